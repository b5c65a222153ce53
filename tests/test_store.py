"""What the store keeps, whatever arXiv sends and whatever a store file holds: no paper
pushed out by a date from the future, none lost to a change of order or query, none
announced twice, and no store file that crashes a command."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FAST_ARXIV
from hypothesis import given
from hypothesis import strategies as st
from standin import Entry, papers

from daily_papers.jsontext import dumps_indented

REWARD = 'ti:"Reward Model" OR abs:"Reward Model"'


def store(project, slug: str = "reward-model") -> dict:
    return json.loads((project.root / "data" / f"{slug}.json").read_text())


def ids(project) -> list[str]:
    return [p["id"] for p in store(project)["papers"]]


def first_run(project, standin, count: int = 10, extra: str = "") -> list[Entry]:
    entries = papers("2505", count)
    standin.add(REWARD, entries)
    project.write_config("keywords: [Reward Model]\nmax_papers: 10\n" + extra + FAST_ARXIV)
    result = project.run("update")
    assert result.status == 0, result.err
    return entries


def test_papers_dated_years_ahead_cannot_push_out_genuine_ones(project, standin):
    entries = first_run(project, standin)
    newest = entries[0].updated
    future = [Entry(f"2999.{n:05d}v1", f"from the future {n}", updated=newest + timedelta(days=3650 + n))
              for n in range(10)]
    standin.add(REWARD, [*future, *entries])
    result = project.run("update")
    assert result.status == 0
    assert ids(project) == [e.arxiv_id.split("v")[0] for e in entries]
    assert "refused 10 papers dated more than a day ahead" in result.err
    # and the keyword is not frozen: a genuine new paper still enters
    fresh = Entry("2506.00001v1", "genuinely new", updated=newest + timedelta(hours=1))
    standin.add(REWARD, [fresh, *future, *entries])
    assert project.run("update").status == 0
    assert ids(project)[0] == "2506.00001" and store(project)["new"] == ["2506.00001"]


def test_a_paper_a_day_ahead_is_still_welcome(project, standin):
    entries = first_run(project, standin)
    soon = Entry("2506.00001v1", "announced tonight", updated=entries[0].updated + timedelta(hours=20))
    standin.add(REWARD, [soon, *entries])
    assert project.run("update").status == 0
    assert ids(project)[0] == "2506.00001"


def test_changing_the_order_re_sorts_and_keeps_every_paper(project, standin):
    entries = first_run(project, standin)
    standin.add(REWARD, entries)
    project.write_config("keywords: [Reward Model]\nmax_papers: 10\n" + FAST_ARXIV.replace(
        "arxiv:\n", "arxiv:\n  sort_by: submittedDate\n"))
    result = project.run("update")
    assert result.status == 0, result.err
    assert sorted(ids(project)) == sorted(e.arxiv_id.split("v")[0] for e in entries)
    assert store(project)["sort_by"] == "submittedDate" and store(project)["new"] == []
    assert "re-sorting" in result.err and "query changed" not in result.err
    assert not (project.root / "data/archive").exists()


def test_an_import_then_an_update_announce_nothing_old(project, standin, tmp_path):
    entries = first_run(project, standin)
    archive = tmp_path / "old.md"
    archive.write_text("## Reward Model\n| **Title** | **Date** |\n| --- | --- |\n"
                       "| **[Old one](https://arxiv.org/abs/2401.00001v1)** | 2024-01-02 |\n")
    result = project.run("import", str(archive))
    assert result.status == 0, result.err
    assert store(project)["new"] == []
    standin.add(REWARD, entries)
    assert project.run("update").status == 0
    assert store(project)["new"] == []


def test_a_paper_pushed_out_and_sent_again_is_not_new(project, standin):
    entries = first_run(project, standin, count=12)  # the oldest two never fit
    kept = ids(project)
    revived = Entry(entries[9].arxiv_id.replace("v1", "v2"), "revised", updated=entries[0].updated + timedelta(hours=1))
    fresh = [Entry(f"2506.{n:05d}v1", f"fresh {n}", updated=entries[0].updated + timedelta(minutes=n)) for n in (1, 2)]
    standin.add(REWARD, [*fresh, *entries])
    assert project.run("update").status == 0
    pushed = kept[-2:]
    assert set(store(project)["seen"]) == set(pushed)
    standin.add(REWARD, [revived, *fresh, *entries])
    result = project.run("update")
    assert result.status == 0
    assert store(project)["new"] == [] and "new 0" in result.err


def test_an_archived_store_imports_back_whole(project, standin):
    first_run(project, standin)
    before = ids(project)
    standin.add('ti:"Reward Model"', papers("2507", 2))
    project.write_config("keywords:\n  - name: Reward Model\n    fields: [title]\nmax_papers: 10\n" + FAST_ARXIV)
    assert project.run("update").status == 0
    (archived,) = (project.root / "data/archive").glob("*.json")
    project.write_config("keywords: [Reward Model]\nmax_papers: 20\n" + FAST_ARXIV)
    standin.add(REWARD, [])
    result = project.run("import", str(archived))
    assert result.status == 0, result.err
    assert set(before) <= set(ids(project))
    assert store(project)["new"] == []


BAD_STORES = {
    "a 5000-digit version": lambda p: {**p, "version": int("9" * 4000)},
    "a 5000-digit number text": None,
    "a lone surrogate": lambda p: {**p, "title": "\ud800 broken"},
    "a date that overflows in UTC": lambda p: {**p, "updated": "0001-01-01T00:00:00+01:00"},
    "a date past 9999 in UTC": lambda p: {**p, "updated": "9999-12-31T23:59:59-05:00"},
    "a huge timestamp text": lambda p: {**p, "updated": "2025-" * 10000},
    "an id that is a path": lambda p: {**p, "id": "../../x"},
    "an id with markup": lambda p: {**p, "id": "2505.00001\n[y](javascript:alert(1))"},
    "an origin no tool writes": lambda p: {**p, "origin": "<b>elsewhere</b>"},
}


@pytest.mark.parametrize("name", list(BAD_STORES))
@pytest.mark.parametrize("command", ["render", "check", "update"])
def test_a_store_file_with_anything_in_it_is_a_clear_error(project, standin, name, command):
    first_run(project, standin)
    path = project.root / "data/reward-model.json"
    data = json.loads(path.read_text())
    change = BAD_STORES[name]
    if change is None:
        text = path.read_text().replace('"version": 1', '"version": ' + "9" * 5000, 1)
    else:
        data["papers"][0] = change(data["papers"][0])
        text = json.dumps(data, ensure_ascii=True)
    path.write_text(text, encoding="utf-8")
    before = project.files()
    requests = len(standin.requests)
    result = project.run(command)
    assert result.status == 2
    assert "Traceback" not in result.err and str(path) in result.err and len(result.err) < 500
    assert project.files() == before and len(standin.requests) == requests


def test_a_run_in_which_every_request_fails_changes_no_file(project, standin):
    from standin import Fault

    first_run(project, standin)
    before = project.files()
    for _ in range(10):
        standin.fail(Fault("503"))
    result = project.run("update", env={"SOURCE_DATE_EPOCH": str(1748350800 + 86400)})
    assert result.status == 1
    assert project.files() == before


def test_a_keyword_arxiv_did_not_answer_for_says_since_when(project, standin):
    from standin import Fault

    standin.add(REWARD, papers("2505", 3))
    standin.add('ti:"Reasoning" OR abs:"Reasoning"', papers("2504", 3))
    project.write_config("keywords: [Reward Model, Reasoning]\n" + FAST_ARXIV)
    assert project.run("update").status == 0
    for _ in range(3):
        standin.fail(Fault("503"), query='ti:"Reasoning" OR abs:"Reasoning"')
    assert project.run("update", env={"SOURCE_DATE_EPOCH": str(1748350800 + 3 * 86400)}).status == 1
    readme = project.readme.read_text()
    assert "Last update: 2025-05-30" in readme
    reasoning = readme.split("## Reasoning")[1]
    assert "Last fetched 2025-05-27: arXiv did not answer for this keyword since." in reasoning
    assert "Last fetched" not in readme.split("## Reasoning")[0]


def test_first_seen_is_kept_across_versions_and_shown_as_a_column(project, standin):
    entries = first_run(project, standin, extra="columns: [title, date, first_seen]\n")
    revised = Entry(entries[0].arxiv_id.replace("v1", "v2"), "revised", updated=entries[0].updated + timedelta(hours=1))
    standin.add(REWARD, [revised, *entries[1:]])
    assert project.run("update", env={"SOURCE_DATE_EPOCH": str(1748350800 + 86400)}).status == 0
    first = store(project)["papers"][0]
    assert (first["version"], first["first_seen"]) == (2, "2025-05-27T13:00:00Z")
    assert store(project)["updated"] == [first["id"]]
    assert "| **First seen** |" in project.readme.read_text()
    assert "| 2025-05-27 |" in project.readme.read_text()


def test_a_schema_1_store_still_reads(project, standin):
    first_run(project, standin)
    path: Path = project.root / "data/reward-model.json"
    data = json.loads(path.read_text())
    old = {"schema": 1, **{k: data[k] for k in ("keyword", "query", "sort_by")},
           "papers": [{k: v for k, v in p.items() if k != "first_seen"} for p in data["papers"]]}
    path.write_text(json.dumps(old))
    assert project.run("render").status == 0
    assert "Last update: none yet" in project.readme.read_text()


def test_an_imported_record_says_so_and_an_arxiv_record_of_its_version_replaces_it(project, standin, tmp_path):
    entries = first_run(project, standin)
    first = entries[0].arxiv_id.rsplit("v", 1)[0]
    archive = tmp_path / "old.md"
    archive.write_text("## Reward Model\n| **Title** | **Date** |\n| --- | --- |\n"
                       f"| **[Old title](https://arxiv.org/abs/{first}v1)** | 2024-01-02 |\n"
                       "| **[Old one](https://arxiv.org/abs/2401.00001v1)** | 2024-01-02 |\n")
    path: Path = project.root / "data/reward-model.json"
    path.unlink()
    assert project.run("import", str(archive)).status == 0
    origins = {p["id"]: p.get("origin", "arxiv") for p in store(project)["papers"]}
    assert origins == {first: "import", "2401.00001": "import"}
    standin.add(REWARD, entries)
    assert project.run("update").status == 0
    kept = {p["id"]: p for p in store(project)["papers"]}
    assert "origin" not in kept[first] and kept[first]["title"] != "Old title"


def test_a_store_written_before_origins_tells_an_import_by_its_missing_arxiv_fields(project, standin, tmp_path):
    from daily_papers.paper import Paper

    first_run(project, standin)
    record = store(project)["papers"][0]
    assert Paper.from_json(record).origin == "arxiv"
    bare = {k: v for k, v in record.items() if k not in {"published", "primary_category", "origin"}}
    assert Paper.from_json(bare).origin == "import"
    assert Paper.from_json({**bare, "origin": "arxiv"}).origin == "arxiv"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.dictionaries(st.integers(), inner, max_size=2),
    max_leaves=30,
)


@given(_JSON)
def test_the_store_writer_writes_what_json_dumps_writes(value):
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_the_store_writer_escapes_as_json_does():
    hostile = ['"\\\n\t\x00\x1f\x7f\x85\u2028\ud800 é 😀', "", "  ", "</script>"]
    value = {"papers": [{"authors": hostile, "links": {"abstract": None}, "version": 2, "n": [], "o": {}}],
             "new": [], "seen": hostile, "tuple": ("a", 1, None, True)}
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
