"""Measure daily-papers against its performance targets and print a Markdown table.

    python benchmarks/run.py           # the full run: about a minute
    python benchmarks/run.py --quick   # tiny sizes in a few seconds (no target is judged on time)

Every measure runs the real command in a new process (``python -m daily_papers``) in a
scratch folder, against the test arXiv stand-in (``tests/standin.py``) on 127.0.0.1:

- update: K keywords with ``delay_seconds`` d, each answer taking L seconds. No run can
  be faster than the floor (K-1)*d + L (requests start d apart, the last one takes L);
  the target is to stay within 0.8 s of it, one request per keyword.
- render: whole-process time of ``render`` on a new day with an unchanged store, as a
  ratio to its floor (benchmarks/floor.py, run alternately with it), peak memory over
  stores of real-length papers, and which modules it loads.
- sizes: the outputs' bytes, and what an update that adds 5 papers to one keyword
  changes, as ``git diff`` sees it (the daily churn of the repository).
- cpu: the CPU time (user + system) of a second-day update of 20 keywords x 100 papers, per
  keyword, beyond that of a render drawing every output of the store it left, for short
  and for real-length answers (benchmarks/cpu.py).
- worst inputs: for each class of input that once cost quadratic time (benchmarks/corpus.py),
  the time per MB to render it as a table row or to import it, called in this process,
  as a ratio to the same size of plain text measured alternately with it (the median of
  several pairs), so that the machine's speed cancels out.

The exit status is 1 when a target fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout, not an installed copy

import corpus
from standin import ArxivStandin, Entry

from daily_papers.config import Config, load_config
from daily_papers.outputs.feeds import ALL_FEED
from daily_papers.paper import Paper
from daily_papers.sources.query import build_query
from daily_papers.store import KeywordStore, save_keyword, store_path

log = logging.getLogger("benchmark")

DAY = 86_400
EPOCH = 1_748_350_800  # 2025-05-27T13:00:00Z, the first day of every scratch project
LIMIT = 500_000
"""The README and page size limit (daily_papers.outputs.budget.LIMIT), as a target."""

FORBIDDEN = ("requests", "urllib3", "lxml", "arxiv", "feedparser", "sgmllib", "http", "urllib.request", "xml",
             "ssl", "socket")
"""Modules of the HTTP and XML stacks: ``render`` works from the store and needs none."""

UPDATE_TARGET = (6, 1.0, 0.6)
"""Keywords, delay and latency the update target is set for."""
UPDATE_SLACK = 0.8
RENDER_TARGET = (50, 100)
"""Keywords and papers per keyword the render targets are set for."""
RENDER_RATIO = 1.5
"""How many times its floor (benchmarks/floor.py) a render on a new day may take."""
RENDER_MB = 150
WORST_RATIO = 50
"""How many times the time of plain text of the same size a worst input may take: linear
work with more to do per byte (a link per URL) stays well below it, quadratic work on a
megabyte is thousands of times over it."""


@dataclass(frozen=True)
class Plan:
    """What to measure, and how big."""

    update_keywords: int
    delay: float
    latency: float
    papers: int
    """Papers per keyword, in every store and every answer."""
    render_keywords: tuple[int, ...]
    render_runs: int
    sizes_keywords: int
    worst_bytes: int
    """The size of each worst input."""
    worst_pairs: int
    new_papers: int = 5


FULL = Plan(update_keywords=6, delay=1.0, latency=0.6, papers=100, render_keywords=(10, 50, 200), render_runs=5,
            sizes_keywords=10, worst_bytes=1_000_000, worst_pairs=5)
QUICK = Plan(update_keywords=3, delay=0.05, latency=0.02, papers=5, render_keywords=(2,), render_runs=1,
             sizes_keywords=3, worst_bytes=20_000, worst_pairs=1)


@dataclass
class Row:
    """One line of the table; ``ok`` is None for a measure without a target here."""

    measure: str
    result: str
    target: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("pass" if self.ok else "FAIL")


@dataclass
class Run:
    """One process of the command."""

    seconds: float
    peak_mb: float
    status: int
    stderr: str


@dataclass
class Report:
    """The table's rows, in the order measured."""

    rows: list[Row] = field(default_factory=list)

    def add(self, measure: str, result: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append(Row(measure, result, target, ok))

    @property
    def failed(self) -> bool:
        return any(row.ok is False for row in self.rows)


# The command, in a process of its own


def cli_env(arxiv_url: str | None = None, epoch: int = EPOCH) -> dict[str, str]:
    """The environment of a run: no GitHub Actions outputs, a fixed "now", the stand-in, the
    package of this checkout (not whichever one is installed), and Python's bytecode cache
    on (as an installed tool has it), whatever this shell says."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("GITHUB_") and name != "PYTHONDONTWRITEBYTECODE"}
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))  # this checkout
    if arxiv_url:
        env["DAILY_PAPERS_ARXIV_URL"] = arxiv_url
    return env


def run_cli(command: str, config: Path, env: dict[str, str]) -> Run:
    """``python -m daily_papers <command> -c <config>``: its wall time from start to exit,
    and its peak resident memory (from ``wait4``, so this process alone)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "daily_papers", command, "-q", "-c", str(config)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    kib = 1 / 1024 if sys.platform == "darwin" else 1  # ru_maxrss: bytes on macOS, KiB elsewhere
    return Run(seconds, usage.ru_maxrss * kib * 1024 / 1e6, process.returncode, stderr)


def checked(run: Run, what: str) -> Run:
    if run.status != 0:
        raise SystemExit(f"{what} exited with status {run.status}:\n{run.stderr}")
    return run


# Scratch projects


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="daily-papers-bench-") as folder:
        yield Path(folder)


def write_config(root: Path, keywords: int, delay: float = 3.0, arxiv_url: str | None = None) -> Config:
    """A config with ``keywords`` keywords and the package's default templates."""
    names = "".join(f"  - {json.dumps(name)}\n" for name in corpus.keyword_names(keywords))
    path = root / "config.yaml"
    path.write_text(f"keywords:\n{names}max_papers: 100\narxiv:\n  delay_seconds: {delay}\n", encoding="utf-8")
    env = {"DAILY_PAPERS_ARXIV_URL": arxiv_url} if arxiv_url else {}
    return load_config(path, env)


def entries(papers: Sequence[Paper]) -> list[Entry]:
    """The papers as the stand-in serves them."""
    return [
        Entry(p.versioned_id, p.title, summary=p.abstract or "", updated=p.updated, published=p.published,
              authors=list(p.authors), comment=p.comment, journal_ref=p.journal_ref, doi=p.doi,
              categories=list(p.categories))
        for p in papers
    ]


def serve(arxiv: ArxivStandin, config: Config, papers: int, new: dict[int, int] | None = None) -> None:
    """Answer each keyword's query with its ``papers`` papers, and ``new[index]`` newer ones
    on top (published a day later)."""
    for index, keyword in enumerate(config.keywords):
        fresh = (new or {}).get(index, 0)
        served = corpus.papers(index, fresh, first=papers, newest=corpus.NEWEST + timedelta(days=1)) if fresh else ()
        arxiv.add(build_query(keyword), entries(served + corpus.papers(index, papers)))


def folder_bytes(folder: Path) -> list[int]:
    return [p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.name != ".lock"]


# Measures


def measure_update(plan: Plan, report: Report) -> None:
    """Two updates: into an empty store, then the next day with new papers on every keyword."""
    k, delay, latency = plan.update_keywords, plan.delay, plan.latency
    floor = (k - 1) * delay + latency
    judged = (k, delay, latency) == UPDATE_TARGET and plan.papers == 100
    with scratch() as root, ArxivStandin(latency=latency) as arxiv:
        config = write_config(root, k, delay, arxiv.url)
        runs: list[tuple[str, Run, list[float]]] = []
        for label, epoch, new in (("empty store", EPOCH, None),
                                  (f"next day, {plan.new_papers} new papers per keyword", EPOCH + DAY,
                                   dict.fromkeys(range(k), plan.new_papers))):
            serve(arxiv, config, plan.papers, new)
            arxiv.requests.clear()
            log.info("update: %d keywords, %s", k, label)
            run = checked(run_cli("update", config.path, cli_env(arxiv.url, epoch)), "update")
            runs.append((label, run, [r.started for r in arxiv.requests]))
    for label, run, _ in runs:
        over = run.seconds - floor
        report.add(f"update, {k} keywords × {plan.papers} papers, delay {delay:g} s, latency {latency:g} s "
                   f"({label}): wall time",
                   f"{run.seconds:.2f} s = floor {floor:.2f} s + {over:.2f} s ({run.peak_mb:.0f} MB peak)",
                   f"≤ floor + {UPDATE_SLACK:g} s" if judged else "", over <= UPDATE_SLACK if judged else None)
    counts = [len(starts) for _, _, starts in runs]
    report.add("update: requests per run", ", ".join(map(str, counts)), f"{k} (one per keyword)",
               all(c == k for c in counts))
    gaps = [b - a for _, _, starts in runs for a, b in itertools.pairwise(starts)]
    report.add("update: shortest start-to-start gap seen by the stand-in",
               f"{min(gaps):.3f} s" if gaps else "no gap", f"≥ {delay:g} s (delay_seconds)",
               bool(gaps) and min(gaps) >= delay)


def measure_render(plan: Plan, report: Report) -> None:
    """Whole-process ``render`` over stores written directly, a new day on every run (the
    store is unchanged, so every output is already what the render would write), each run
    paired with a run of its floor (benchmarks/floor.py: start, imports, json-loading the
    store, writing the bytes of the files that render wrote), alternately."""
    for keywords in plan.render_keywords:
        with scratch() as root:
            config = write_config(root, keywords)
            for index, keyword in enumerate(config.keywords):
                stored = KeywordStore(keyword.name, build_query(keyword), config.arxiv.sort_by,
                                      corpus.papers(index, plan.papers))
                save_keyword(store_path(config.store, keyword.slug), stored)
            store_mb = sum(folder_bytes(config.store)) / 1e6
            log.info("render: %d keywords", keywords)
            first = checked(run_cli("render", config.path, cli_env()), "render")
            files = len(folder_bytes(root)) - 1 - keywords  # the outputs: all but the config and the store
            runs, floors, written = [], [], []
            for n in range(plan.render_runs):
                before = mtimes(root)
                runs.append(checked(run_cli("render", config.path, cli_env(epoch=EPOCH + DAY * (n + 1))), "render"))
                after = mtimes(root)
                written.append(sorted(p for p, t in after.items() if before.get(p) != t))
                floors.append(run_floor(config.store, written[-1]))
            if keywords == min(plan.render_keywords):
                measure_imports(config.path, report)
        seconds = statistics.median(r.seconds for r in runs)
        floor = statistics.median(f.seconds for f in floors)
        ratio = statistics.median(r.seconds / f.seconds for r, f in zip(runs, floors))
        peak = max(r.peak_mb for r in runs + [first])
        judged = (keywords, plan.papers) == RENDER_TARGET
        report.add(f"render, {keywords} keywords × {plan.papers} papers ({store_mb:.1f} MB store), a new day, "
                   f"unchanged store: whole process / its floor, median of {len(runs)} pairs",
                   f"{ratio:.2f} × floor (render {seconds:.3f} s, floor {floor:.3f} s; each wrote "
                   f"{max(len(w) for w in written)} of {files} files; "
                   f"first render, writing all: {first.seconds:.3f} s)",
                   f"≤ {RENDER_RATIO:g} × floor" if judged else "", ratio <= RENDER_RATIO if judged else None)
        report.add(f"render, {keywords} keywords: peak memory", f"{peak:.0f} MB",
                   f"< {RENDER_MB} MB" if judged else "", peak < RENDER_MB if judged else None)


def mtimes(root: Path) -> dict[Path, int]:
    """Every file under ``root`` by its modification time (ns)."""
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def run_floor(store: Path, written: Sequence[Path]) -> Run:
    """benchmarks/floor.py over the store, writing the bytes of ``written``: its wall time."""
    with tempfile.TemporaryDirectory(prefix="daily-papers-floor-") as out:
        start = time.perf_counter()
        process = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(store), out,
                                  *map(str, written)], stdin=subprocess.DEVNULL, capture_output=True,
                                 env=cli_env(), check=False)
        seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"floor exited with status {process.returncode}:\n{process.stderr.decode()}")
    return Run(seconds, 0.0, 0, "")


_PROBE = """
import runpy, sys
sys.argv = ["daily-papers", "render", "-q", "-c", sys.argv[1]]
try:
    runpy.run_module("daily_papers", run_name="__main__", alter_sys=True)
except SystemExit as end:
    status = end.code
print(status, *sorted(sys.modules))
"""


def measure_imports(config: Path, report: Report) -> None:
    """The modules ``render`` has loaded by the time it exits (``python -m daily_papers``)."""
    probe = subprocess.run([sys.executable, "-c", _PROBE, str(config)], capture_output=True, text=True,
                           env=cli_env(), check=True)
    status, *modules = probe.stdout.split()
    if status != "0":
        raise SystemExit(f"render exited with status {status}:\n{probe.stderr}")
    loaded = sorted(m for m in modules if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    report.add("render: modules of the HTTP and XML stacks loaded",
               ", ".join(loaded) if loaded else f"none ({len(modules)} modules in all)",
               "none of " + ", ".join(FORBIDDEN), not loaded)


def measure_sizes(plan: Plan, report: Report) -> None:
    """The outputs' sizes, then what an update adding 5 papers to one keyword changes in git."""
    keywords = plan.sizes_keywords
    changed = 1 % keywords
    with scratch() as root, ArxivStandin() as arxiv:
        config = write_config(root, keywords, 0, arxiv.url)
        slug, name = config.keywords[changed].slug, config.keywords[changed].name
        serve(arxiv, config, plan.papers)
        log.info("sizes: %d keywords, the first update", keywords)
        checked(run_cli("update", config.path, cli_env(arxiv.url)), "update")
        readme_before = config.readme.read_text(encoding="utf-8")
        pages = [p.stat().st_size for p in config.pages.glob("*.md")]
        feeds = [p.stat().st_size for p in config.feeds.glob("*.xml")]
        stores = folder_bytes(config.store)
        report.add(f"README, {keywords} keywords × {plan.papers} papers", f"{config.readme.stat().st_size:,} bytes",
                   f"< {LIMIT:,} bytes", config.readme.stat().st_size < LIMIT)
        report.add("largest keyword page", f"{max(pages):,} bytes ({len(pages)} pages)" if pages else "no pages",
                   f"< {LIMIT:,} bytes", not pages or max(pages) < LIMIT)
        report.add("store", f"{sum(stores):,} bytes ({sum(stores) // len(stores):,} per keyword); "
                   f"feeds {sum(feeds):,} bytes")

        (root / ".gitignore").write_text("/site/\n", encoding="utf-8")  # Pages gets the site; git never does
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "day 1")
        serve(arxiv, config, plan.papers, {changed: plan.new_papers})
        log.info("sizes: an update with %d new papers for %s", plan.new_papers, name)
        checked(run_cli("update", config.path, cli_env(arxiv.url, EPOCH + DAY)), "update")
        git(root, "add", "-A")
        files = git(root, "diff", "--cached", "--name-only").split()
        churn = diff_bytes(git(root, "diff", "--cached", "-U0", "--no-color", "--no-ext-diff"))
        readme_after = config.readme.read_text(encoding="utf-8")

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    digest = rel(config.digest.path)
    required = {rel(store_path(config.store, slug)), rel(config.feeds / f"{slug}.xml"), rel(config.feeds / ALL_FEED),
                rel(config.readme)}
    others = {rel(store_path(config.store, kw.slug)) for kw in config.keywords} - required
    allowed = required | {digest, rel(config.store / "_render.json")} | others | {
        rel(config.pages) + f"/{slug}.md"} | {rel(config.pages) + f"/{slug}.{n}.md" for n in range(2, 10)}
    report.add(f"files changed by an update adding {plan.new_papers} papers to {name!r}", ", ".join(files),
               "its store file, page and feed; the feed of all keywords; README; digest; the manifest",
               required <= set(files) <= allowed)
    dates_only = all(churn.get(f, [1, 1])[:2] == [1, 1] for f in others & set(files))
    report.add("other keywords' store files", churn_text(churn, sorted(others & set(files))),
               "their fetch date only (+1 −1 line each)", dates_only)
    sections, other = readme_changes(readme_before, readme_after)
    where = [f"section {s!r}" for s in sections] + other
    report.add("README lines changed", f"{churn_text(churn, [rel(config.readme)])}: {', '.join(where) or 'none'}",
               "that keyword's section and the date line",
               sections == [name] and other == ["the date line"])
    report.add("store churn", churn_text(churn, [f for f in files if f.startswith(rel(config.store) + "/")]))
    report.add("page and feed churn", churn_text(churn, [f for f in files if f.startswith(
        (rel(config.pages) + "/", rel(config.feeds) + "/"))]))
    report.add("digest churn (rewritten on every update)", churn_text(churn, [digest]))
    report.add("git churn of the day, all files", churn_text(churn, files))


def measure_worst(plan: Plan, report: Report) -> None:
    """Each worst input against plain text of the same size, in pairs (one after the other,
    so a slow moment of the machine slows both): render as a table row, import as a
    README or a cv-arxiv-daily JSON file."""
    from daily_papers.importer import HistoryError, parse_cv_json, parse_readme
    from daily_papers.outputs.render import COLUMNS_TEMPLATE, environment

    row = environment().get_template(COLUMNS_TEMPLATE).make_module().row
    (base,) = corpus.papers(0, 1)

    def render(text: str) -> object:
        return str(row(("title", "abstract", "comment", "code"), replace(base, abstract=text, comment=text),
                       "lastUpdatedDate"))

    def readme(text: str) -> object:
        try:
            return parse_readme(text, "worst.md")
        except HistoryError:
            return None

    def cv(text: str) -> object:
        try:
            return parse_cv_json(json.dumps({"SLAM": {"2505.00001": text}}), "worst.json")
        except HistoryError:
            return None

    size = plan.worst_bytes
    kinds = [("render", render, corpus.render_floor, corpus.RENDER_WORST),
             ("import", readme, corpus.import_floor, corpus.IMPORT_WORST),
             ("import", cv, corpus.cv_floor, corpus.CV_WORST)]
    judged = plan is FULL
    for verb, run, floor_of, worst in kinds:
        floor_text = floor_of(size)
        for name, make in worst.items():
            text = make(size)
            log.info("worst inputs: %s %s", verb, name)
            pairs = [(timed(run, floor_text), timed(run, text)) for _ in range(plan.worst_pairs)]
            ratio = statistics.median(w / f for f, w in pairs)
            per_mb = statistics.median(w for _, w in pairs) / (len(text) / 1e6)
            floor_mb = statistics.median(f for f, _ in pairs) / (len(floor_text) / 1e6)
            report.add(f"{verb} {name} ({len(text) / 1e6:.2f} MB), median of {len(pairs)} pairs",
                       f"{per_mb * 1000:.1f} ms/MB = {ratio:.1f} × plain text ({floor_mb * 1000:.1f} ms/MB)",
                       f"≤ {WORST_RATIO} × plain text" if judged else "", ratio <= WORST_RATIO if judged else None)


def timed(run: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    run(text)
    return time.perf_counter() - start


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=benchmark", "-c", "user.email=benchmark@localhost", "-c", "commit.gpgsign=false",
               "-c", "core.autocrlf=false", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout


def diff_bytes(diff: str) -> dict[str, list[int]]:
    """Per file of a ``git diff -U0``: lines added, lines removed, bytes added, bytes removed."""
    churn: dict[str, list[int]] = {}
    current: list[int] = []
    in_header = True
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            current = churn.setdefault(line.rsplit(" b/", 1)[-1], [0, 0, 0, 0])
            in_header = True
        elif line.startswith("@@"):
            in_header = False
        elif not in_header and line[:1] in "+-":
            added = line[0] == "+"
            size = len(line[1:].encode("utf-8")) + 1
            current[0 if added else 1] += 1
            current[2 if added else 3] += size
    return churn


def churn_text(churn: dict[str, list[int]], files: Sequence[str]) -> str:
    total = [sum(churn.get(f, [0, 0, 0, 0])[i] for f in files) for i in range(4)]
    return f"+{total[0]:,} −{total[1]:,} lines, +{total[2]:,} −{total[3]:,} bytes"


def readme_changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The ``##`` sections whose text changed, and what changed above them."""

    def split(text: str) -> tuple[list[str], dict[str, list[str]]]:
        head: list[str] = []
        sections: dict[str, list[str]] = {}
        current = head
        for line in text.splitlines():
            if line.startswith("## "):
                current = sections.setdefault(line[3:], [])
            current.append(line)
        return head, sections

    head_before, sections_before = split(before)
    head_after, sections_after = split(after)
    changed = [s for s in sections_after if sections_before.get(s) != sections_after[s]]
    changed += [s for s in sections_before if s not in sections_after]
    other = []
    if head_before != head_after:
        differing = [(a, b) for a, b in zip(head_before, head_after) if a != b]
        dates = len(head_before) == len(head_after) and all(
            a.startswith("Last update: ") and b.startswith("Last update: ") for a, b in differing)
        other.append("the date line" if dates else "the top of the README")
    return changed, other


# Output


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.machine()}"
    return f"{cpu}, {os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def table(report: Report, command: str, seconds: float) -> str:
    lines = [
        f"Machine: {machine()}",
        f"Command: `{command}` ({seconds:.0f} s)",
        "",
        "| Measure | Result | Target | |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {r.measure} | {r.result} | {r.target} | {r.verdict} |" for r in report.rows]
    return "\n".join(lines)


def extra_measures() -> list[tuple[str, Callable[..., None]]]:
    """The measures that live in modules of their own beside this file (feed mode's, and the
    site's in a browser), loaded by path: a module named ``site`` would otherwise be Python's own."""
    found = []
    for name in ("feed", "site", "cpu"):
        spec = importlib.util.spec_from_file_location(f"benchmark_{name}", Path(__file__).with_name(f"{name}.py"))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.append((name, getattr(module, f"measure_{name}")))
    return found


def run_alone(measure: Callable[[Plan, Report], None], script: str, quick_help: str,
              argv: Sequence[str] | None) -> int:
    """A measure module's own command line (``python benchmarks/feed.py [--quick]``): one
    measure, the same table and exit status as the whole benchmark."""
    parser = argparse.ArgumentParser(description=(sys.modules[measure.__module__].__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    report = Report()
    started = time.perf_counter()
    measure(QUICK if args.quick else FULL, report)
    command = f"python benchmarks/{script}" + (" --quick" if args.quick else "")
    print(table(report, command, time.perf_counter() - started))
    return 1 if report.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes in a few seconds, to check that the benchmark works (no target on time)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    plan = QUICK if args.quick else FULL
    report = Report()
    started = time.perf_counter()
    measure_update(plan, report)
    measure_render(plan, report)
    measure_sizes(plan, report)
    measure_worst(plan, report)
    measures = dict(extra_measures())
    measures["feed"](plan, report)
    measures["cpu"](plan, report)
    log.info("site")
    measures["site"](report, *((3, 5) if args.quick else ()))
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    print(table(report, command, time.perf_counter() - started))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
