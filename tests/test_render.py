"""The README and its companions: the sample's format by default, columns from the config,
a table of contents whose links reach the headings, and papers with missing fields."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from gfm import tables, to_html
from paperkit import make_config, make_papers, make_stores

from daily_papers.config import COLUMNS
from daily_papers.outputs.markdown import github_anchors
from daily_papers.outputs.render import RenderError, render_outputs
from daily_papers.paper import Paper


def render(config, papers) -> dict[str, str]:
    """The outputs, keyed by their path relative to the config's folder."""
    outputs = render_outputs(config, make_stores(config, papers))
    return {str(path.relative_to(config.path.parent)): text for path, text in outputs.items()}


def test_default_readme_has_the_samples_format(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "Reasoning"], site=None)  # the site: test_site.py
    paper = Paper("2505.20241", 1, "DreamPRM: Domain-Reweighted Process Reward Model", datetime(
        2025, 5, 26, 17, 59, 46, tzinfo=timezone.utc), abstract="Reasoning has improved.",
        comment="https://github.com/declare-lab/PathFinder-PRM", abs_url="http://arxiv.org/abs/2505.20241v1")
    short = replace(paper, id="2505.19770", title="Understanding the Gap", comment="30 pages, 5 figures",
                    abs_url="http://arxiv.org/abs/2505.19770v1")
    outputs = render(config, [(paper, short), ()])
    assert set(outputs) == {"README.md", "feeds/reward-model.xml", "feeds/reasoning.xml", "feeds/all.atom",
                            "feeds/feeds.opml", ".github/digest.md"}
    readme = outputs["README.md"]
    assert readme.startswith("# Daily Papers\n")
    assert "Last update: 2025-05-27\n\n## Reward Model\n" in readme
    section = readme[readme.index("## Reward Model"):]
    assert section == (
        "## Reward Model\n"
        "[Atom feed](feeds/reward-model.xml)\n"
        "\n"
        "| **Title** | **Date** | **Abstract** | **Comment** |\n"
        "| --- | --- | --- | --- |\n"
        "| **[DreamPRM: Domain-Reweighted Process Reward Model](http://arxiv.org/abs/2505.20241v1)** | 2025-05-26 | "
        "<details><summary>Show</summary><p>Reasoning has improved.</p></details> | "
        "<details><summary>https...</summary><p>https://github.com/declare-lab/PathFinder-PRM</p></details> |\n"
        "| **[Understanding the Gap](http://arxiv.org/abs/2505.19770v1)** | 2025-05-26 | "
        "<details><summary>Show</summary><p>Reasoning has improved.</p></details> | 30 pages, 5 figures |\n"
        "\n"
        "## Reasoning\n"
        "[Atom feed](feeds/reasoning.xml)\n"
        "\n"
        "No papers yet: the next update fills this section.\n"
        "\n"
    )
    assert "papers/" not in readme and "- [" not in readme  # no pages and no contents when all fits


def test_columns_and_their_order_come_from_the_config(tmp_path):
    config = make_config(tmp_path, [
        "Reward Model",
        {"name": "Reasoning", "columns": ["code", "title", "authors"]},
    ], columns=["title", "authors", "categories", "pdf", "code", "date"])
    reward, reasoning = tables(render(config, [make_papers("2505", 2), make_papers("2504", 1)])["README.md"])
    assert reward.headers == ["Title", "Authors", "Categories", "PDF", "Code", "Date"]
    assert reasoning.headers == ["Code", "Title", "Authors"]
    title, authors, categories, pdf, code, day = reward.rows[0]
    assert (authors.summary, authors.body) == ("Ada Lovelace et al.", "Ada Lovelace, Alan Turing, Grace Hopper")
    assert categories.text == "cs.LG, cs.AI"
    assert (pdf.text, pdf.links) == ("PDF", ["https://arxiv.org/pdf/2505.00000v1"])
    assert (code.text, code.links) == ("GitHub", ["https://github.com/example/repo"])
    assert day.text == "2025-05-26"
    assert [c.text for c in reasoning.rows[0]][:2] == ["GitHub", "2504 paper 0: a study"]


@pytest.mark.parametrize("columns", [COLUMNS, ("title", "date", "abstract", "comment")])
def test_imported_papers_with_missing_fields_render_every_column(tmp_path, columns):
    config = make_config(tmp_path, ["Reward Model"], columns=list(columns))
    imported = Paper("hep-th/0601001", 2, "An old paper", datetime(2006, 1, 1, tzinfo=timezone.utc))
    (table,) = tables(render(config, [(imported,)])["README.md"])
    (row,) = table.rows
    assert len(row) == len(columns)
    expected = {"title": "An old paper", "date": "2006-01-01", "pdf": "PDF"}
    assert [cell.text for cell in row] == [expected.get(name, "") for name in columns]
    cells = dict(zip(columns, row))
    assert cells["title"].links == ["https://arxiv.org/abs/hep-th/0601001v2"]


def headings_in(html: str) -> list[tuple[int, str]]:
    """(level, visible text) of each heading, in page order."""

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.found: list[tuple[int, str]] = []
            self.level = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.level = int(tag[1])
                self.found.append((self.level, ""))

        def handle_endtag(self, tag):
            if tag.startswith("h") and tag[1:].isdigit():
                self.level = 0

        def handle_data(self, data):
            if self.level:
                level, text = self.found[-1]
                self.found[-1] = (level, text + data)

    parser = Parser()
    parser.feed(html)
    return parser.found


def links_in(html: str) -> list[str]:
    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.hrefs.append(dict(attrs).get("href") or "")

    parser = Parser()
    parser.feed(html)
    return parser.hrefs


NAMES = ["Daily Papers", "C++ & C#", "Café <b>au</b> lait", "中文 模型", "1.5", "15", "a | b", "[x](y) *z*",
         "Topic #", "snake_case_name", "Δ-Alignment"]


def test_many_keywords_get_contents_whose_links_reach_their_headings(tmp_path):
    config = make_config(tmp_path, NAMES)
    readme = render(config, [make_papers(f"25{i:02d}", 1) for i in range(len(NAMES))])["README.md"]
    html = to_html(readme)
    headings = headings_in(html)
    assert [text for level, text in headings if level == 2] == NAMES  # each name shown as written
    ids = github_anchors(text for _, text in headings)
    contents = [unquote(href[1:]) for href in links_in(html) if href.startswith("#")]
    assert contents == ids[1:]
    assert contents[:7] == ["daily-papers-1", "c--c", "café-baub-lait", "中文-模型", "15", "15-1", "a--b"]


def test_five_keywords_get_no_contents(tmp_path):
    config = make_config(tmp_path, ["A", "B", "C", "D", "E"])
    readme = render(config, [make_papers("2505", 1)] * 5)["README.md"]
    assert "](#" not in readme


def test_feed_links_resolve_from_a_readme_in_a_subfolder(tmp_path):
    config = make_config(tmp_path, ["Reward Model"], readme="docs/README.md", feeds="out/feeds")
    outputs = render(config, [make_papers("2505", 1)])
    assert "[Atom feed](../out/feeds/reward-model.xml)" in outputs["docs/README.md"]
    assert "out/feeds/reward-model.xml" in outputs


def test_same_store_same_bytes(tmp_path):
    config = make_config(tmp_path, [f"Keyword {i}" for i in range(7)])
    papers = [make_papers(f"25{i:02d}", 30, abstract_length=1900) for i in range(7)]
    assert render(config, papers) == render(config, papers)


def test_a_template_that_extends_the_default_keeps_its_sections(tmp_path):
    (tmp_path / "mine.md.j2").write_text(
        '{% extends "daily_papers/README.md.j2" %}\n{% block footer %}\nMade with care.\n{% endblock %}\n')
    config = make_config(tmp_path, ["Reward Model"], template="mine.md.j2")
    readme = render(config, [make_papers("2505", 2)])["README.md"]
    assert readme.endswith("Made with care.\n") and len(tables(readme)[0].rows) == 2


@pytest.mark.parametrize(("files", "message"), [
    ({"mine.md.j2": '{% extends "nope.md.j2" %}'}, "nope.md.j2"),
    ({"mine.md.j2": "{% for x in %}"}, "mine.md.j2, line 1"),
    ({"mine.md.j2": "{{ nothing.here }}"}, "mine.md.j2"),
    ({"mine.md.j2": "ok", "columns.j2": "{% macro row(a, b, c) %}{{ b.missing }}{% endmacro %}"}, "columns.j2"),
])
def test_a_broken_template_is_named(tmp_path, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    config = make_config(tmp_path, ["Reward Model"], template="mine.md.j2")
    with pytest.raises(RenderError, match=message.replace(".", r"\.")):
        render(config, [make_papers("2505", 1)])


def test_rendering_imports_no_http_or_xml_stack():
    code = ("import sys, daily_papers.outputs.render; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('requests', 'lxml', 'arxiv', 'feedparser', 'urllib3', 'http') or m.startswith('xml.etree')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


DOCS = Path(__file__).resolve().parents[1] / "docs" / "templates.md"


@pytest.mark.parametrize("index", [0, 1])
def test_the_documented_template_examples_render(tmp_path, index):
    example = re.findall(r"```jinja\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)[index]
    (tmp_path / "mine.md.j2").write_text(example)
    config = make_config(tmp_path, ["Reward Model", "Reasoning"], template="mine.md.j2")
    readme = render(config, [make_papers("2505", 3), make_papers("2504", 2)])["README.md"]
    assert [len(t.rows) for t in tables(readme)] == [3, 2]
    assert ("Maintained by" in readme) if index == 0 else ("## Reward Model (3 papers)" in readme)
