"""The package's imports flow one way: config -> sources -> store -> outputs, with no cycle.
Read from the source itself (every import, at the top of a module or inside a function)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "daily_papers"

SOURCES = "daily_papers.sources"
OUTPUTS = "daily_papers.outputs"
"""What is written: the README and pages, the digest, the feeds, the site, and their filters."""
CONFIG = "daily_papers.config"
LATER_STAGES = {"store", "merge", "pipeline", "update", "follow", "search", "actions", "cli", "report"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports; ``from pkg import sub`` names ``pkg.sub``."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
                subs = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
                deps |= subs or {node.module}
                if len(subs) < len(node.names):
                    deps.add(node.module)
        found[name] = deps - {name}
    return found


def short(name: str) -> str:
    return name.removeprefix("daily_papers.")


def test_there_is_no_import_cycle():
    graph = imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_sources_know_nothing_of_the_store_or_the_outputs():
    for name, deps in imports().items():
        if name.startswith(SOURCES):
            assert {short(d) for d in deps} & LATER_STAGES == set(), name
            assert not any(d.startswith(OUTPUTS) for d in deps), name


def test_outputs_never_ask_a_source():
    for name, deps in imports().items():
        if name.startswith(OUTPUTS):
            assert not any(d.startswith(SOURCES) or short(d) in {"update", "follow", "search", "pipeline", "cli"}
                           for d in deps), (name, sorted(deps))


def test_config_imports_only_its_leaves():
    config = {name: deps for name, deps in imports().items() if name == CONFIG or name.startswith(f"{CONFIG}.")}
    assert len(config) > 1
    for name, deps in config.items():
        assert {short(d) for d in deps if not d.startswith(f"{CONFIG}.")} <= {"errors", "categories"}, name


def test_the_command_line_holds_no_domain_logic():
    """cli.py parses, logs, calls the pipeline and picks the exit status: it never touches
    the store, the sources or the renderer's internals itself."""
    deps = {short(d) for d in imports()["daily_papers.cli"]}
    assert deps & {"store", "merge", "sources", "update", "follow", "search", "importer", "outputs.manifest"} == set(), deps


def test_the_store_knows_nothing_of_the_outputs():
    for name, deps in imports().items():
        if short(name) in {"store", "merge", "paper", "config", "feedstore"}:
            assert not any(d.startswith(OUTPUTS) for d in deps), (name, sorted(deps))
