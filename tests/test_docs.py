"""The documentation says what the tool does: its command examples are what the commands
print, its links lead somewhere, its configuration table is the config's keys with their
defaults, and its examples are the tool's own output.

`python tests/update_docs.py` rewrites the command examples after a change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest
from update_docs import ROOT, blocks, comparable, documents, key_table, key_tables, output_of

from daily_papers import pipeline
from daily_papers.config import (
    ARXIV,
    DIGEST,
    FIELD_PREFIXES,
    KEYWORD,
    REQUIRED,
    SECTIONS,
    TOP,
    ArxivSettings,
    DigestSettings,
    Field,
    load_config,
    reference,
)
from daily_papers.outputs.markdown import github_anchors
from daily_papers.outputs.render import Links
from daily_papers.store import load_keyword

MARKED = [(path, match) for path in documents() for match in blocks(path.read_text(encoding="utf-8"))]


def test_the_documentation_has_command_examples():
    commands = {match["command"] for _, match in MARKED}
    assert {"daily-papers check", "daily-papers paths", "daily-papers import --help"} <= commands


@pytest.mark.parametrize(("path", "match"), MARKED,
                         ids=[f"{p.relative_to(ROOT)}: {m['command']}" for p, m in MARKED])
def test_a_command_example_is_what_the_command_prints(path, match):
    printed = output_of(match["command"])
    assert printed, f"{match['command']} printed nothing"
    assert comparable(match["body"]) == comparable(printed), (
        f"{path.relative_to(ROOT)}: the example of `{match['command']}` is out of date; "
        "run `python tests/update_docs.py`")


def test_an_out_of_date_example_is_caught():
    text = "<!-- output of: daily-papers paths -->\n```\nREADME.md\nstore\n```\n"
    (match,) = blocks(text)
    assert comparable(match["body"]) != comparable(output_of(match["command"]))


def test_help_compares_across_python_versions():
    older = "  -c PATH, --config PATH\n                        the config file\n"
    newer = "  -c, --config PATH  the config file\n"
    assert comparable(older) == comparable(newer)
    assert comparable(older) != comparable("  -c PATH, --config FILE the config file\n")
    assert comparable("a daily-\n    papers store") == comparable("a daily-papers store")


# --- links --------------------------------------------------------------------------------

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\((?P<target>[^)\s]+)\)")
FENCED = re.compile(r"^ {0,3}```.*?^ {0,3}```", re.DOTALL | re.MULTILINE)
CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6} +(?P<text>.+?) *$", re.MULTILINE)


def prose(text: str) -> str:
    """Markdown without its code, where a link is only an example."""
    return CODE.sub("", FENCED.sub("", text))


def relative_links(path: Path) -> list[str]:
    found = [m["target"] for m in LINK.finditer(prose(path.read_text(encoding="utf-8")))]
    return [t for t in found if not re.match(r"[a-z][a-z0-9+.-]*:", t, re.IGNORECASE)]


def anchors(path: Path) -> set[str]:
    return set(github_anchors([m["text"] for m in HEADING.finditer(prose(path.read_text(encoding="utf-8")))]))


LINKS = [(path, target) for path in documents() for target in relative_links(path)]


@pytest.mark.parametrize(("path", "target"), LINKS, ids=[f"{p.relative_to(ROOT)}: {t}" for p, t in LINKS])
def test_a_relative_link_leads_to_a_file_and_heading_that_exist(path, target):
    place, _, fragment = target.partition("#")
    file = (path.parent / place).resolve() if place else path
    assert file.exists(), f"{path.relative_to(ROOT)} links to {target}, which does not exist"
    if fragment:
        assert file.suffix == ".md", target
        assert fragment in anchors(file), f"{path.relative_to(ROOT)}: {target}: no such heading"


def test_the_link_check_finds_links_and_skips_code():
    page = ROOT / "docs" / "configuration.md"
    assert "store.md#a-change-of-query" in relative_links(page)
    assert LINK.findall("`[x](nowhere.md)`") and not LINK.findall(prose("`[x](nowhere.md)`"))


def test_the_readme_links_every_page_of_the_docs():
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in relative_links(ROOT / "README.md")}
    pages = {p.resolve() for p in (ROOT / "docs").glob("*.md")}
    assert pages <= linked, sorted(p.name for p in pages - linked)


# --- configuration ------------------------------------------------------------------------

def table(path: Path, heading: str) -> dict[str, list[str]]:
    """The rows of the first table under ``## heading``: its first cell's `key` -> the other cells."""
    text = path.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| `") and cells:
            rows[cells[0].strip("`")] = cells[1:]
    return rows


CONFIGURATION = ROOT / "docs" / "configuration.md"


def accepted_keys() -> set[str]:
    return {key.name for key in reference()}


def test_the_reference_names_every_key_of_the_table_once_and_the_sections_in_full():
    names = [key.name for key in reference()]
    assert len(names) == len(set(names))
    assert set(names) == ({k for k in TOP.names if k not in SECTIONS} | {f"arxiv.{k}" for k in ARXIV.names}
                          | {f"digest.{k}" for k in DIGEST.names})
    assert set(SECTIONS) < set(TOP.names)


def test_the_configuration_tables_are_the_key_table():
    text = CONFIGURATION.read_text(encoding="utf-8")
    found = {match["section"]: match["body"] for match in key_tables(text)}
    assert set(found) == {"top", "keyword"}
    for section, body in found.items():
        assert body == key_table(section), f"docs/configuration.md: the {section} keys are out of date; " \
                                           "run `python tests/update_docs.py`"


def test_the_configuration_table_lists_every_key_the_config_accepts_and_no_other():
    documented = set(table(CONFIGURATION, "Keys"))
    assert documented == accepted_keys(), (sorted(documented - accepted_keys()), sorted(accepted_keys() - documented))


def test_the_keyword_table_lists_every_key_a_keyword_accepts_and_no_other():
    assert set(table(CONFIGURATION, "Keys of a keyword")) == set(KEYWORD.names)


def test_an_out_of_date_key_table_is_caught():
    text = CONFIGURATION.read_text(encoding="utf-8").replace("| 1 to 2000 |", "| 1 to 3000 |")
    (changed,) = [m for m in key_tables(text) if m["section"] == "top"]
    assert changed["body"] != key_table("top")


def test_every_number_key_has_a_range_and_every_field_a_query_prefix():
    for section in (TOP, ARXIV, DIGEST):
        for key in section.keys:
            assert (key.kind in ("number", "whole number")) == (key.low is not None and key.high is not None), key
    assert tuple(FIELD_PREFIXES) == get_args(Field)


def test_a_config_of_only_keywords_has_the_tables_defaults(tmp_path):
    (tmp_path / "config.yaml").write_text("keywords: [A]\n")
    config = load_config(tmp_path / "config.yaml", {})
    assert vars(config.arxiv) == {key.name: key.default for key in ARXIV.keys} == vars(ArxivSettings())
    digest = {**vars(config.digest), "path": config.digest.path.relative_to(tmp_path).as_posix()}
    assert digest == {key.name: key.default for key in DIGEST.keys}
    assert config.site is not None and config.site.math is None
    given = {"keywords": [config.keywords[0].name], "site": config.site.folder, "site_math": config.site.math,
             **{name: None for name in SECTIONS}}
    for key in TOP.keys:
        value = given[key.name] if key.name in given else getattr(config, key.name)
        if isinstance(value, Path):
            value = value.relative_to(tmp_path).as_posix()
        assert key.default is REQUIRED or value == key.default, (key.name, value, key.default)


def defaults(tmp_path: Path) -> dict[str, str]:
    """Each key's default as the table writes it, from a config that sets only keywords."""
    (tmp_path / "config.yaml").write_text("keywords: [A]\n")
    config = load_config(tmp_path / "config.yaml", {})
    relative = {key: getattr(config, key).relative_to(tmp_path).as_posix() for key in ("readme", "store", "pages", "feeds")}
    assert config.site is not None
    values: dict[str, str] = {
        **relative,
        "title": config.title, "max_papers": str(config.max_papers), "timezone": config.timezone,
        "columns": f"[{', '.join(config.columns)}]", "site": config.site.folder.relative_to(tmp_path).as_posix(),
        "source": config.source, "categories": ", ".join(config.categories) or "none",
        "repository": "null", "template": "null", "site_math": "null", "digest.label": "null",
        "digest.path": config.digest.path.relative_to(tmp_path).as_posix(),
    }
    for name, value in vars(DigestSettings(path=Path("x"))).items():
        if name not in ("path", "label"):
            values[f"digest.{name}"] = str(value).lower() if isinstance(value, bool) else str(value)
    for name, value in vars(ArxivSettings()).items():
        values[f"arxiv.{name}"] = f"{value:g}" if isinstance(value, float) else str(value)
    return values


def test_the_configuration_table_gives_each_keys_default(tmp_path):
    rows = table(CONFIGURATION, "Keys")
    for key, default in defaults(tmp_path).items():
        assert rows[key][1] == f"`{default}`" or rows[key][1] == default, (key, rows[key][1], default)


def test_every_config_key_the_docs_name_exists():
    keys = accepted_keys()
    for path in documents():
        for key in re.findall(r"`((?:arxiv|digest)\.[a-z_]+)(?![\w.])", path.read_text(encoding="utf-8")):
            assert key in keys, f"{path.relative_to(ROOT)} names {key}, which the config does not accept"


def test_the_documented_small_config_is_valid(tmp_path):
    text = CONFIGURATION.read_text(encoding="utf-8")
    (tmp_path / "config.yaml").write_text(re.search(r"```yaml\n(.*?)```", text, re.DOTALL)[1])
    config = load_config(tmp_path / "config.yaml", {})
    queries = dict(pipeline.check(config, Links()))
    assert f"\n{queries['Diffusion Models']}\n" in text


# --- the examples are the tool's output ---------------------------------------------------

EXAMPLE = ROOT / "templates" / "example" / "config.yaml"


def test_the_readmes_example_is_the_render_of_its_store():
    config = load_config(EXAMPLE, {})
    assert pipeline.render(config, Links(), check=True).changed == []
    table_text = config.readme.read_text(encoding="utf-8").strip()
    quoted = "\n".join(("> " + line).rstrip() if line else ">" for line in table_text.splitlines())
    readme = "\n".join(line.rstrip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    assert quoted in readme


def test_the_store_example_is_a_store_file_as_daily_papers_writes_it(tmp_path):
    text = (ROOT / "docs" / "store.md").read_text(encoding="utf-8")
    example = re.search(r"<!-- a store file -->\n```json\n(.*?)```", text, re.DOTALL)[1]
    (tmp_path / "reward-model.json").write_text(example)
    stored = load_keyword(tmp_path / "reward-model.json")
    assert stored is not None and stored.to_json() == example
    assert set(json.loads(example)) == {"schema", "keyword", "query", "sort_by", "fetched", "new", "updated", "seen",
                                        "papers"}


def test_the_screenshot_is_a_small_png():
    data = (ROOT / "docs" / "site.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 200_000
