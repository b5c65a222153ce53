"""The size budget: the README and every page stay below GitHub's 500 KiB display limit
whatever the number of keywords and the length of abstracts, and every stored paper stays
one click away from the README."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from gfm import tables, to_html
from paperkit import make_config, make_papers, make_stores, save_stores

from daily_papers.config import load_config
from daily_papers.outputs.budget import LIMIT, PRECISION, fair_shares, fit_prefix, largest_fitting, paginate
from daily_papers.outputs.render import render_outputs

GITHUB_CUT = 500 * 1024
ABS = re.compile(r"^https?://arxiv\.org/abs/")


def test_limit_is_below_githubs_cut():
    assert LIMIT < GITHUB_CUT


@pytest.mark.parametrize(("needs", "room", "shares"), [
    ([10, 20, 30], 100, [10, 20, 30]),      # everything fits
    ([10, 100, 100], 110, [10, 50, 50]),    # the small one's leftover goes to the others
    ([100, 100, 100], 90, [30, 30, 30]),
    ([5, 100, 7, 100], 52, [5, 20, 7, 20]),
    ([10, 10], -5, [0, 0]),
    ([], 10, []),
])
def test_fair_shares(needs, room, shares):
    assert fair_shares(needs, room) == shares
    assert sum(shares) <= max(room, 0)


def test_fit_prefix_and_paginate():
    sizes = [4, 4, 4, 9, 1]
    assert [fit_prefix(sizes, room) for room in (0, 3, 4, 11, 12, 21, 22, 100)] == [0, 0, 1, 2, 3, 4, 5, 5]
    assert paginate(sizes, 8) == [range(0, 2), range(2, 3), range(3, 4), range(4, 5)]
    assert paginate(sizes, 13) == [range(0, 3), range(3, 5)]
    assert paginate(sizes, 100) == [range(0, 5)]
    assert paginate([], 10) == [range(0, 0)]


def render_project(project, keywords: int, papers: int, abstract_length: int, extra: str = "") -> dict:
    """A project whose store holds ``papers`` papers for each of ``keywords`` keywords,
    rendered by the CLI; returns the papers by keyword."""
    names = [f"Keyword {i}" for i in range(keywords)]
    project.write_config("keywords:\n" + "".join(f"  - {n}\n" for n in names) + f"max_papers: {max(papers, 1)}\n"
                         + extra)
    config = load_config(project.config)
    stored = [make_papers(f"{2400 + i}", papers, abstract_length=abstract_length) for i in range(keywords)]
    save_stores(config, make_stores(config, stored))
    result = project.run("render")
    assert result.status == 0, result.err
    return dict(zip(names, stored))


def size(path: Path) -> int:
    return len(path.read_bytes())


def hrefs(markdown: str) -> list[str]:
    return [unquote(h) for h in re.findall(r'<a href="([^"]*)"', to_html(markdown))]


def reachable(readme: Path) -> tuple[set[str], dict[Path, str]]:
    """The arXiv links on the README and on the pages its relative links lead to."""
    found, pages = set(), {}
    for href in hrefs(readme.read_text(encoding="utf-8")):
        if ABS.match(href):
            found.add(href)
        elif not urlsplit(href).scheme and not href.startswith("#") and href.endswith(".md"):
            page = (readme.parent / href).resolve()
            pages[page] = page.read_text(encoding="utf-8")
            found |= {h for h in hrefs(pages[page]) if ABS.match(h)}
    return found, pages


def test_twelve_keywords_of_a_hundred_long_abstracts(project):
    stored = render_project(project, 12, 100, 1900)
    readme = project.readme
    assert size(readme) < LIMIT
    found, pages = reachable(readme)
    assert found == {p.link for papers in stored.values() for p in papers}
    assert len(pages) == 12 and all(len(text.encode()) < LIMIT for text in pages.values())
    shown = [len(t.rows) for t in tables(readme.read_text(encoding="utf-8"))]
    assert len(shown) == 12 and min(shown) >= 15 and max(shown) - min(shown) <= 1  # fair shares
    text = readme.read_text(encoding="utf-8")
    assert f"the newest {shown[0]} of 100 papers below · [all 100 papers](papers/keyword-0.md)" in text
    first = tables(text)[0].rows
    assert [r[0].text for r in first] == [p.title for p in stored["Keyword 0"][:shown[0]]]  # the newest
    page = (project.root / "papers/keyword-0.md").read_text(encoding="utf-8")
    assert page.startswith("# Keyword 0\n[Daily Papers](../README.md) · [Atom feed](../feeds/keyword-0.xml) · ")
    assert [r[0].text for r in tables(page)[0].rows] == [p.title for p in stored["Keyword 0"]]


def test_a_keyword_too_big_for_one_page_gets_several_all_linked(project):
    stored = render_project(project, 2, 700, 1900)
    found, pages = reachable(project.readme)
    assert found == {p.link for papers in stored.values() for p in papers}
    assert len(pages) == 2 * 4 and all(len(text.encode()) < LIMIT for text in pages.values())
    assert all(len(text.encode()) > LIMIT - 10_000 for path, text in pages.items() if not path.name.endswith(".4.md"))
    text = project.readme.read_text(encoding="utf-8")
    assert ("all 700 papers on pages [1](papers/keyword-0.md), [2](papers/keyword-0.2.md), "
            "[3](papers/keyword-0.3.md), [4](papers/keyword-0.4.md)") in text
    second = (project.root / "papers/keyword-0.2.md").read_text(encoding="utf-8")
    assert "page 2 of 4: [1](keyword-0.md) **2** [3](keyword-0.3.md) [4](keyword-0.4.md)" in second
    rows = [r[0].text for n in ("", ".2", ".3", ".4")
            for r in tables((project.root / f"papers/keyword-0{n}.md").read_text(encoding="utf-8"))[0].rows]
    assert rows == [p.title for p in stored["Keyword 0"]]


def test_many_keywords_share_the_room(project):
    stored = render_project(project, 150, 10, 1900)
    assert size(project.readme) < LIMIT
    found, _ = reachable(project.readme)
    assert found == {p.link for papers in stored.values() for p in papers}


def test_a_small_readme_has_no_pages(project):
    render_project(project, 3, 20, 1900)
    assert not (project.root / "papers").exists()
    assert "papers/" not in project.readme.read_text(encoding="utf-8")
    assert sorted(p.name for p in (project.root / "feeds").iterdir()) == [
        "all.atom", "feeds.opml", "keyword-0.xml", "keyword-1.xml", "keyword-2.xml"]


def test_a_template_that_repeats_the_tables_still_fits(tmp_path):
    (tmp_path / "twice.md.j2").write_text(
        '{% extends "daily_papers/README.md.j2" %}\n'
        '{% block footer %}{{ "x" * 100000 }}\n{{ self.sections() }}{% endblock %}\n')
    config = make_config(tmp_path, [f"K{i}" for i in range(4)], template="twice.md.j2")
    stores = make_stores(config, [make_papers(f"25{i:02d}", 100, abstract_length=1900) for i in range(4)])
    readme = render_outputs(config, stores)[config.readme]
    assert len(readme.encode()) < LIMIT
    assert len(tables(readme)) == 8 and all(len(t.rows) > 0 for t in tables(readme))


@pytest.mark.parametrize(("base", "slope", "estimate", "best"), [
    (1_000, 1, LIMIT - 1_001, LIMIT - 1_001),        # a table's bytes count once: the estimate holds
    (100_000, 2, -50_000, (LIMIT - 100_001) // 2),   # a template showing each table twice
    (1_000, 1.01, LIMIT - 1_001, (LIMIT - 1_001) / 1.01),  # counts that grow with the rows
])
def test_largest_fitting_finds_the_room_that_fits(base, slope, estimate, best):
    draws = []

    def draw(room):
        draws.append(room)
        return int(base + slope * room), room

    fits, room = largest_fitting(draw, estimate, ceiling=2 * LIMIT)
    assert fits and base + slope * room < LIMIT
    assert best - PRECISION <= room <= best and len(draws) <= 16
    assert len(draws) == 1 or estimate != best


def test_largest_fitting_says_when_nothing_fits():
    assert largest_fitting(lambda room: (LIMIT + room, room), 1_000, ceiling=5_000) == (False, 0)
