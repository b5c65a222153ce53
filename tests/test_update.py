"""`daily-papers update` end to end: config -> stand-in arXiv over HTTP -> store -> README."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import FAST_ARXIV
from gfm import tables
from standin import Entry, papers

REWARD = 'ti:"Reward Model" OR abs:"Reward Model"'
FIXTURES = Path(__file__).parent / "fixtures"


def config(keywords: str = "  - Reward Model\n", extra: str = "") -> str:
    return "keywords:\n" + keywords + extra + FAST_ARXIV


def stored_ids(project, slug: str = "reward-model") -> list[str]:
    data = json.loads((project.root / "data" / f"{slug}.json").read_text())
    return [f"{p['id']}v{p['version']}" for p in data["papers"]]


def test_keeps_the_newest_max_papers_and_asks_once(project, standin):
    standin.add(REWARD, papers("2505", 120))
    project.write_config(config())
    result = project.run("update")
    assert result.status == 0, result.err
    ids = stored_ids(project)
    assert ids == [f"2505.{n:05d}v1" for n in range(120, 20, -1)]
    assert len(standin.requests) == 1
    params = standin.requests[0].params
    assert params["max_results"] == "100"
    assert params["sortBy"] == "lastUpdatedDate" and params["sortOrder"] == "descending"
    rows = tables(project.readme.read_text())[0].rows
    assert [r[0].text for r in rows] == [f"2505 paper {n}" for n in range(120, 20, -1)]
    # a keyword's first answer is its baseline: nothing in it is announced as new
    assert "Reward Model: fetched 100, new 0, updated 0, kept 100" in result.err


def test_second_run_adds_new_papers_and_replaces_a_version_in_place(project, standin):
    first = papers("2505", 100)
    standin.add(REWARD, first)
    project.write_config(config())
    assert project.run("update").status == 0

    newest = first[0].updated
    fresh = [Entry(f"2506.{n:05d}v1", f"new paper {n}", updated=newest + timedelta(hours=n)) for n in range(1, 6)]
    revised = Entry("2505.00050v2", "2505 paper 50, revised", updated=newest + timedelta(hours=10))
    standin.add(REWARD, [revised, *reversed(fresh), *[e for e in first if e.arxiv_id != "2505.00050v1"]][:100])
    result = project.run("update")
    assert result.status == 0, result.err
    ids = stored_ids(project)
    assert ids[:6] == ["2505.00050v2", "2506.00005v1", "2506.00004v1", "2506.00003v1", "2506.00002v1", "2506.00001v1"]
    assert len(ids) == 100 and len(set(i.split("v")[0] for i in ids)) == 100
    assert "2505.00050v1" not in ids
    titles = [r[0].text for r in tables(project.readme.read_text())[0].rows]
    assert titles.count("2505 paper 50, revised") == 1 and titles[0] == "2505 paper 50, revised"
    assert "new 5, updated 1, kept 100" in result.err


def test_max_papers_caps_store_and_readme(project, standin):
    standin.add(REWARD, papers("2505", 120))
    project.write_config(config(extra="max_papers: 30\n"))
    assert project.run("update").status == 0
    assert len(stored_ids(project)) == 30
    assert len(tables(project.readme.read_text())[0].rows) == 30
    assert standin.requests[0].params["max_results"] == "30"


def test_a_run_that_changes_nothing_rewrites_nothing(project, standin):
    standin.add(REWARD, papers("2505", 10))
    project.write_config(config())
    assert project.run("update").status == 0
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in project.root.rglob("*") if p.is_file()}
    result = project.run("update")
    assert result.status == 0
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in project.root.rglob("*") if p.is_file()}
    assert after == before
    assert "new 0" in result.err


def test_same_store_and_date_give_the_same_bytes(project, standin):
    standin.add(REWARD, papers("2505", 10))
    project.write_config(config())
    assert project.run("update").status == 0
    first = project.readme.read_bytes()
    project.readme.unlink()
    assert project.run("render").status == 0
    assert project.readme.read_bytes() == first
    project.readme.unlink()
    # a render on a later day moves no date: "Last update" is when arXiv last answered
    assert project.run("render", env={"SOURCE_DATE_EPOCH": str(1748350800 + 86400)}).status == 0
    assert project.readme.read_bytes() == first and b"Last update: 2025-05-27" in first


def test_requests_start_spaced_and_the_first_does_not_wait(project, standin):
    names = ["Alpha", "Beta", "Gamma", "Delta"]
    for name in names:
        standin.add(f'ti:"{name}" OR abs:"{name}"', papers(name.lower(), 3))
    delay = 0.5  # well above the run's start-up (config, store, templates), even beside other tests
    project.write_config(
        "keywords: [Alpha, Beta, Gamma, Delta]\narxiv:\n  delay_seconds: 0.5\n  timeout_seconds: 2\n"
    )
    import time

    started = time.monotonic()
    assert project.run("update").status == 0
    starts = [r.started for r in standin.requests]
    assert [r.query for r in standin.requests] == [f'ti:"{n}" OR abs:"{n}"' for n in names]
    assert starts[0] - started < delay
    assert all(b - a >= delay for a, b in zip(starts, starts[1:])), [b - a for a, b in zip(starts, starts[1:])]


def test_query_change_starts_the_keyword_afresh(project, standin):
    standin.add(REWARD, papers("2505", 5))
    project.write_config(config())
    assert project.run("update").status == 0
    narrowed = 'ti:"Reward Model"'
    standin.add(narrowed, papers("2507", 2))
    project.write_config(config("  - name: Reward Model\n    fields: [title]\n"))
    result = project.run("update")
    assert result.status == 0
    assert stored_ids(project) == ["2507.00002v1", "2507.00001v1"]
    assert json.loads((project.root / "data/reward-model.json").read_text())["query"] == narrowed
    # the papers of the old query are kept whole, the log says where, and none is announced
    (archived,) = (project.root / "data/archive").glob("reward-model.*.json")
    assert "query changed" in result.err and str(archived) in result.err
    assert [f"{p['id']}v{p['version']}" for p in json.loads(archived.read_text())["papers"]] == [
        f"2505.{n:05d}v1" for n in range(5, 0, -1)]
    assert json.loads((project.root / "data/reward-model.json").read_text())["new"] == []


def test_a_keyword_removed_from_the_config_keeps_its_file_but_leaves_the_readme(project, standin):
    standin.add(REWARD, papers("2505", 2))
    standin.add('ti:"Reasoning" OR abs:"Reasoning"', papers("2504", 2))
    project.write_config(config("  - Reward Model\n  - Reasoning\n"))
    assert project.run("update").status == 0
    project.write_config(config("  - Reasoning\n"))
    assert project.run("render").status == 0
    assert (project.root / "data/reward-model.json").exists()
    assert "## Reward Model" not in project.readme.read_text()


def test_store_file_format(project, standin):
    standin.add_raw(REWARD, (FIXTURES / "live_answer.xml").read_bytes())
    project.write_config(config())
    assert project.run("update").status == 0
    text = (project.root / "data/reward-model.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text.startswith('{\n  "schema": 2,\n  "keyword": "Reward Model",\n  "query": ')
    assert data["fetched"] == "2025-05-27T13:00:00Z" and data["new"] == [] and data["seen"] == []
    assert data["query"] == REWARD and data["sort_by"] == "lastUpdatedDate"
    first = data["papers"][0]
    assert first == {
        "id": "2505.20081",
        "version": 2,
        "title": "Inference-time Alignment in Continuous Space: $\\textbf{SEA}$ beats Best-of-$N$ | "
        "Reward & Policy <Models>",
        "authors": ["Yige Yuan", "Teng Xiao", "Li Yunfan"],
        "abstract": first["abstract"],
        "comment": "17 pages; code at https://github.com/yuanyige/SEA and www.example.org/sea_v2",
        "categories": ["cs.LG", "cs.AI"],
        "primary_category": "cs.LG",
        "published": "2025-05-26T14:50:27Z",
        "updated": "2025-05-26T16:40:01Z",
        "links": {"abstract": "https://arxiv.org/abs/2505.20081v2", "pdf": "https://arxiv.org/pdf/2505.20081v2"},
        "doi": None,
        "journal_ref": None,
        "first_seen": "2025-05-27T13:00:00Z",
    }
    assert first["abstract"].startswith("Aligning large language models with human feedback at inference time has received")
    assert "\n" not in first["abstract"] and "  " not in first["abstract"]
    second = data["papers"][1]
    assert (second["doi"], second["journal_ref"]) == ("10.1000/xyz123", "ACL 2025, pp. 1-12")
    old = data["papers"][2]
    assert (old["id"], old["version"]) == ("math/0601001", 3)
    assert data["papers"][3]["links"]["pdf"] is None


def test_a_live_shaped_answer_reads_on_github_as_arxiv_sent_it(project, standin):
    standin.add_raw(REWARD, (FIXTURES / "live_answer.xml").read_bytes())
    project.write_config(config())
    assert project.run("update").status == 0
    (table,) = tables(project.readme.read_text())
    assert table.headers == ["Title", "Date", "Abstract", "Comment"]
    assert all(len(row) == 4 for row in table.rows)
    title, date, abstract, comment = table.rows[0]
    assert title.text == (
        "Inference-time Alignment in Continuous Space: $\\textbf{SEA}$ beats Best-of-$N$ | Reward & Policy <Models>"
    )
    assert title.links == ["https://arxiv.org/abs/2505.20081v2"]
    assert date.text == "2025-05-26"
    assert abstract.summary == "Show"
    assert abstract.body == (
        "Aligning large language models with human feedback at inference time has received increasing attention. "
        "We propose Simple Energy Adaptation ($\\textbf{SEA}$), improving by up to $ \\textbf{77.51%}$ on AdvBench "
        "and 10\\% on MATH, where $a_i * b_j$ and __init__ hold. Code: https://github.com/yuanyige/SEA"
    )
    assert abstract.links == ["https://github.com/yuanyige/SEA"]
    assert comment.summary == "17 pa..."
    assert comment.body == "17 pages; code at https://github.com/yuanyige/SEA and www.example.org/sea_v2"
    assert comment.links == ["https://github.com/yuanyige/SEA"]  # http(s) URLs only, as GitHub would

    title, _, abstract, comment = table.rows[1]
    assert title.text == "Curriculum-RLAIF: Δ-Alignment für Modelle — 強化学習 🚀 [draft] `code` ~~strike~~"
    assert "code" not in title.tags and "del" not in title.tags
    assert abstract.body == (
        "Reward models trained with conventional RLAIF suffer; see [1](http://x.y) and "
        "<script>alert(1)</script> or &amp; in the data."
    )
    assert "script" not in abstract.tags and abstract.links == ["http://x.y"]  # the URL, not the [1](...)
    assert (comment.summary, comment.body) == ("*Zhan...", "*Zhang & Liu contributed equally")
    assert "em" not in comment.tags

    title, date, _, comment = table.rows[2]
    assert title.text == "An old-style identifier\\ with a trailing backslash\\"
    assert title.links == ["http://arxiv.org/abs/math/0601001v3"]
    assert (date.text, comment.text) == ("2025-05-25", "")
    assert table.rows[3][3].text == "12 pages, 3 figures" and table.rows[3][2].body == "x_1 | y_2"


def test_submitted_date_orders_and_shows_the_first_version_date(project, standin):
    query = 'ti:"Reward Model" OR abs:"Reward Model"'
    base = datetime(2025, 5, 1, tzinfo=timezone.utc)
    standin.add(query, [
        Entry("2505.00002v3", "old paper, new version", updated=base + timedelta(days=20), published=base),
        Entry("2505.00003v1", "new paper", updated=base + timedelta(days=10), published=base + timedelta(days=10)),
    ])
    project.write_config(config() + "  sort_by: submittedDate\n")
    assert project.run("update").status == 0
    assert standin.requests[0].params["sortBy"] == "submittedDate"
    rows = tables(project.readme.read_text())[0].rows
    assert [(r[0].text, r[1].text) for r in rows] == [
        ("new paper", "2025-05-11"),
        ("old paper, new version", "2025-05-01"),
    ]


def test_a_keyword_respelt_in_another_case_keeps_its_papers(project, standin):
    standin.add(REWARD, papers("2505", 5))
    project.write_config(config())
    assert project.run("update").status == 0
    respelt = 'ti:"reward model" OR abs:"reward model"'
    standin.add(respelt, papers("2505", 6))
    project.write_config(config("  - reward model\n"))
    result = project.run("update")
    assert result.status == 0 and "afresh" not in result.err
    assert "new 1, updated 0, kept 6" in result.err
