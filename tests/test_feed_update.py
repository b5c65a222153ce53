"""``update`` with ``source: feed``, end to end against the feed stand-in on 127.0.0.1."""

from __future__ import annotations

import gc
import itertools
import json
from collections.abc import Iterator
from datetime import date, datetime, timezone

import pytest
from feedstandin import FeedStandin, Listing
from standin import Entry

from daily_papers.config import load_config
from daily_papers.paper import Paper
from daily_papers.sources.query import build_query
from daily_papers.store import KeywordStore, load_keyword, save_keyword, store_path

TUESDAY = "1748350800"  # 2025-05-27T13:00:00Z, 09:00 in New York
WEDNESDAY = str(int(TUESDAY) + 86_400)
SATURDAY = str(int(TUESDAY) + 4 * 86_400)
DELAY = 0.05
ARRIVAL_JITTER = 0.02
"""How much later than it left the stand-in may stamp a request on a loaded machine (its
thread waits for a core); an unpaced run's requests arrive about a millisecond apart."""
FAST = f"""
arxiv:
  delay_seconds: {DELAY}
  retries: 2
  backoff_seconds: 0.01
  timeout_seconds: 2
"""
TOPICS = [f"topic{n:02d} method" for n in range(20)]


@pytest.fixture
def site(project, monkeypatch) -> Iterator[FeedStandin]:
    with FeedStandin() as server:
        monkeypatch.setenv("DAILY_PAPERS_ARXIV_URL", server.url)
        monkeypatch.setenv("DAILY_PAPERS_FEED_URL", server.feed_url)
        yield server


def write_config(project, keywords: str, extra: str = "") -> None:
    project.write_config("source: feed\ncategories: [cs.LG, cs.CL]\n" + extra + "keywords:\n" + keywords + FAST)


def seed(project) -> None:
    """One old paper for every keyword, from its own query: every keyword follows the feed."""
    config = load_config(project.config)
    for n, keyword in enumerate(config.keywords):
        old = Paper(f"2401.{n:05d}", 1, f"Old {keyword.name}", datetime(2024, 1, 1, tzinfo=timezone.utc),
                    published=datetime(2024, 1, 1, tzinfo=timezone.utc), abstract="Old.", categories=("cs.LG",),
                    primary_category="cs.LG")
        store = KeywordStore(keyword.name, build_query(keyword), config.arxiv.sort_by, (old,),
                             datetime(2025, 5, 26, tzinfo=timezone.utc))
        save_keyword(store_path(config.store, keyword.slug), store)


def entry(number: int, title: str, categories=("cs.LG",), version: int = 1, **fields) -> Entry:
    return Entry(f"2505.{number:05d}v{version}", title, summary=fields.pop("summary", "An abstract."),
                 categories=list(categories), comment=fields.pop("comment", f"{number} pages"), **fields)


def stored(project, slug: str) -> KeywordStore:
    result = load_keyword(project.root / "data" / f"{slug}.json")
    assert result is not None
    return result


def twenty_keywords(project, site) -> dict[str, list[str]]:
    """20 keywords, and a day of 260 new papers: 130 match (so two lookups), one is a
    cross-list, one is excluded; the paper of keyword 5 is replaced."""
    write_config(project, "".join(f"  - name: K{n:02d}\n    phrases: ['{t}']\n" for n, t in enumerate(TOPICS))
                 + "    exclude: [survey]\n")
    seed(project)
    expected: dict[str, list[str]] = {f"k{n:02d}": [] for n in range(20)}
    number = 0
    for n, topic in enumerate(TOPICS):
        for copy in range(6):
            number += 1
            site.announce(Listing(entry(number, f"A {topic.replace(' ', '-')}s study {copy}")))
            expected[f"k{n:02d}"].append(f"2505.{number:05d}")
    for _ in range(130):
        number += 1
        site.announce(Listing(entry(number, "Nothing to see", categories=("cs.CL",))))
    number += 1  # a cross-list: primary math.OC, asked through cs.LG
    site.announce(Listing(entry(number, "Control", categories=("math.OC", "cs.LG"), summary=f"We use {TOPICS[3]}.")))
    expected["k03"].append(f"2505.{number:05d}")
    number += 1
    site.announce(Listing(entry(number, f"{TOPICS[19]}: a survey")))  # excluded
    for n in (0, 1, 2, 4, 6, 7, 8, 9):  # more matches, in the abstract, to pass 100 lookups
        for copy in range(1):
            number += 1
            site.announce(Listing(entry(number, "Abstract match", summary=f"The {TOPICS[n]} works.")))
            expected[f"k{n:02d}"].append(f"2505.{number:05d}")
    replaced = Entry("2401.00005v2", "Old K05, second version", categories=["cs.LG"], comment="v2 comment",
                     published=datetime(2024, 1, 1, tzinfo=timezone.utc))
    site.announce(Listing(replaced, "replace"))
    site.announce(Listing(Entry("2401.09999v3", f"A {TOPICS[6]} paper", categories=["cs.LG"]), "replace"))
    return expected


def test_twenty_keywords_one_feed_request_and_a_lookup_per_100_new_papers(project, site):
    expected = twenty_keywords(project, site)
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 0, result.err
    assert len(site.feed_requests) == 1
    assert site.feed_requests[0].query == "feed:cs.LG+cs.CL"
    wanted = {i for ids in expected.values() for i in ids} | {"2401.00005"}
    assert [len(ids) for ids in site.lookups] == [100, len(wanted) - 100]
    assert set().union(*site.lookups) == wanted
    assert [r for r in site.requests if r.query not in ("id_list",) and not r.query.startswith("feed:")] == []
    starts = sorted(r.started for r in site.requests)
    assert all(b - a >= DELAY - ARRIVAL_JITTER for a, b in itertools.pairwise(starts)), "one pacer for the feed and the API"

    readme = project.readme.read_text()
    for slug, ids in expected.items():
        store = stored(project, slug)
        assert {p.id for p in store.papers} - {f"2401.{int(slug[1:]):05d}"} == set(ids), slug
        assert store.new == frozenset(ids), slug
        for paper in store.papers:
            if paper.id in ids:
                assert paper.comment == f"{int(paper.id[5:])} pages"
                assert paper.published is not None
                assert f"{int(paper.id[5:])} pages" in readme
    k05 = stored(project, "k05")
    assert [(p.id, p.version, p.comment) for p in k05.papers if p.id == "2401.00005"] == [
        ("2401.00005", 2, "v2 comment")]
    assert k05.updated == frozenset({"2401.00005"}) and "2401.00005" not in k05.new
    assert "2401.09999" not in {p.id for p in stored(project, "k06").papers}, "a replacement never enters as new"
    assert all(not p.title.endswith("a survey") for p in stored(project, "k19").papers)
    assert "feed: 1 feed request and 2 lookups for 20 keywords" in result.err

    kept = json.loads((project.root / "data/_feed/2025-05-27.json").read_text())
    assert kept["day"] == "2025-05-27" and len(kept["lookups"]) == len(wanted)
    assert "data" in project.run("paths").out.split()


def test_a_second_run_the_same_day_asks_nothing(project, site):
    twenty_keywords(project, site)
    assert project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY}).status == 0
    asked = len(site.requests)
    readme = project.readme.read_text()
    result = project.run("update", env={"SOURCE_DATE_EPOCH": str(int(TUESDAY) + 3600)})
    assert result.status == 0, result.err
    assert len(site.requests) == asked
    assert "nothing asked of the feed" in result.err
    assert {p.id for p in stored(project, "k03").papers} >= {"2505.00019"}
    assert project.readme.read_text().count("pages") == readme.count("pages")


def test_saturday_is_a_quiet_day_and_changes_nothing(project, site):
    twenty_keywords(project, site)
    site.listings.clear()
    site.day = date(2025, 5, 31)
    project.run("render")
    before = project.files()
    result = project.run("update", env={"SOURCE_DATE_EPOCH": SATURDAY})
    assert result.status == 0, result.err
    assert project.files() == before
    assert "quiet day: no announcement: arXiv's feed is empty on Saturday (2025-05-31)" in result.err
    assert len(site.feed_requests) == 1 and site.lookups == []


def test_a_stale_category_falls_back_to_the_api(project, site):
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n    categories: [cs.LG]\n"
                 "  - name: Language\n    phrases: [parsing]\n    categories: [cs.CL]\n")
    seed(project)
    monday = [Listing(entry(1, "Gradient one")), Listing(entry(2, "Parsing one", categories=("cs.CL",)))]
    site.announce(*monday)
    assert project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY}).status == 0
    site.listings[:] = [Listing(entry(3, "Gradient two")), Listing(entry(4, "Parsing two", categories=("cs.CL",)))]
    site.know(*(listing.entry for listing in site.listings))
    site.stale["cs.CL"] = monday[1:]  # cs.CL serves yesterday's batch
    language = load_config(project.config).keywords[1]
    site.add(build_query(language), [entry(4, "Parsing two", categories=("cs.CL",))])
    site.day = date(2025, 5, 28)
    result = project.run("update", env={"SOURCE_DATE_EPOCH": WEDNESDAY})
    assert result.status == 0, result.err
    assert "feed cs.CL is stale: its newest paper is 2505.00002, as on 2025-05-27" in result.err
    assert len(site.requests_for(build_query(language))) == 1
    assert stored(project, "language").new == frozenset({"2505.00004"})
    assert stored(project, "learning").new == frozenset({"2505.00003"})


def test_a_new_keyword_is_filled_once_by_a_search_then_follows_the_feed(project, site):
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    learning = load_config(project.config).keywords[0]
    site.add(build_query(learning), [entry(1, "Gradient history")])
    site.announce(Listing(entry(2, "Gradient news")))
    assert project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY}).status == 0
    assert len(site.requests_for(build_query(learning))) == 1 and site.feed_requests == []
    site.day = date(2025, 5, 28)
    assert project.run("update", env={"SOURCE_DATE_EPOCH": WEDNESDAY}).status == 0
    assert len(site.requests_for(build_query(learning))) == 1 and len(site.feed_requests) == 1
    assert stored(project, "learning").new == frozenset({"2505.00002"})


def test_a_category_the_feed_refuses_is_a_clear_error(project, site):
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    site.refused.add("cs.CL")
    before = project.files()
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 1
    assert "arXiv's feed refused cs.LG+cs.CL: Bad subject class 'cs.CL'" in result.err
    assert "Traceback" not in result.err
    assert len(site.feed_requests) == 1, "a refusal is not retried"
    assert project.files()["data/learning.json"] == before["data/learning.json"]
    assert not (project.root / "data/_feed").exists()


@pytest.mark.parametrize("fault", ["503", "cut", "html", "truncate"])
def test_feed_faults_are_retried_then_reported(project, site, fault):
    from standin import Fault

    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    site.announce(Listing(entry(1, "Gradient news")))
    site.fail(Fault(fault), query="feed:cs.LG+cs.CL")
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 0, result.err
    assert len(site.feed_requests) == 2
    assert stored(project, "learning").new == frozenset({"2505.00001"})

    site.fail(*[Fault(fault)] * 3, query="feed:cs.LG+cs.CL")
    (project.root / "data/_feed/2025-05-27.json").unlink()
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 1
    assert "Learning: not updated, 2 stored papers kept" in result.err and "Traceback" not in result.err


def test_a_failed_lookup_keeps_the_papers_as_the_feed_told_them(project, site):
    from standin import Fault

    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    site.announce(Listing(entry(1, "Gradient news")))
    site.fail(*[Fault("503")] * 3, query="id_list")
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 0, result.err
    assert "lookup: no comment or dates for 1 of 1 papers" in result.err
    (paper,) = [p for p in stored(project, "learning").papers if p.id == "2505.00001"]
    assert (paper.title, paper.comment) == ("Gradient news", None)


def test_a_feed_at_the_cap_is_asked_in_halves(project, site, monkeypatch):
    import feedstandin

    from daily_papers.sources import feed

    monkeypatch.setattr(feed, "FEED_CAP", 4)
    monkeypatch.setattr(feedstandin, "CAP", 4)
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    site.announce(*[Listing(entry(n, f"Gradient {n}")) for n in range(1, 4)])
    site.announce(*[Listing(entry(n, f"Words {n}", categories=("cs.CL",))) for n in range(4, 6)])
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 0, result.err
    assert [r.query for r in site.feed_requests] == ["feed:cs.LG+cs.CL", "feed:cs.LG", "feed:cs.CL"]
    assert stored(project, "learning").new == frozenset({"2505.00001", "2505.00002", "2505.00003"})


def test_check_prints_the_rules(project, site):
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n    exclude: [survey]\n")
    result = project.run("check")
    assert result.status == 0, result.err
    assert result.out == "Learning: feed: 'gradient' in title/abstract of cs.LG, cs.CL; not 'survey'\n"


def test_one_pacer_for_the_feed_host_and_the_api_host(project, monkeypatch):
    with FeedStandin() as feed_host, FeedStandin() as api_host:
        monkeypatch.setenv("DAILY_PAPERS_FEED_URL", feed_host.feed_url)
        monkeypatch.setenv("DAILY_PAPERS_ARXIV_URL", api_host.url)
        write_config(project, "  - name: Learning\n    phrases: [gradient]\n"
                     "  - name: Brand New\n    phrases: [novelty]\n    categories: [cs.CL]\n")
        seed(project)
        (project.root / "data/brand-new.json").unlink()
        listings = [Listing(entry(1, "Gradient news"))]  # a small feed: its lookup would follow at once
        feed_host.announce(*listings)
        api_host.know(*(listing.entry for listing in listings))
        result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
        assert result.status == 0, result.err
        assert len(feed_host.feed_requests) == 1 and api_host.lookups == [["2505.00001"]]
        brand_new = load_config(project.config).keywords[1]
        assert len(api_host.requests_for(build_query(brand_new))) == 1
        starts = sorted(r.started for r in feed_host.requests + api_host.requests)
        assert len(starts) == 3
        assert all(b - a >= DELAY - ARRIVAL_JITTER for a, b in itertools.pairwise(starts))


def test_an_empty_feed_on_a_weekday_is_a_holiday_not_a_failure(project, site):
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    before = project.files()
    result = project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY})
    assert result.status == 0, result.err
    assert "quiet day: no announcement: arXiv's feed is empty on Tuesday 2025-05-27, an arXiv holiday" in result.err
    assert project.files()["data/learning.json"] == before["data/learning.json"]
    assert not (project.root / "data/_feed").exists()


def test_the_run_report_carries_the_quiet_reason_and_the_feed_counts(project, site):
    from daily_papers import pipeline
    from daily_papers.outputs.render import Links

    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    config = load_config(project.config)
    report = pipeline.update(config, Links(), datetime(2025, 5, 31, 13, tzinfo=timezone.utc))
    assert gc.get_freeze_count() == 0  # what the update kept from the collector is handed back
    assert report.quiet is not None and report.quiet.startswith("no announcement: arXiv's feed is empty on Saturday")
    assert report.feed is not None and (report.feed.feed_requests, report.feed.lookup_requests) == (1, 0)
    assert report.answered and not report.failed and report.new_papers == 0


def test_a_backfill_that_found_nothing_is_not_repeated(project, site):
    write_config(project, "  - name: Rare\n    phrases: [zebrafish]\n")
    assert project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY}).status == 0
    rare = load_config(project.config).keywords[0]
    assert len(site.requests_for(build_query(rare))) == 1 and stored(project, "rare").papers == ()
    site.announce(Listing(entry(1, "Zebrafish")))
    site.day = date(2025, 5, 28)
    assert project.run("update", env={"SOURCE_DATE_EPOCH": WEDNESDAY}).status == 0
    assert len(site.requests_for(build_query(rare))) == 1 and len(site.feed_requests) == 1
    assert stored(project, "rare").new == frozenset({"2505.00001"})


def test_inside_actions_a_quiet_day_writes_outputs_and_a_summary(project, site, tmp_path):
    write_config(project, "  - name: Learning\n    phrases: [gradient]\n")
    seed(project)
    outputs, summary = tmp_path / "out.txt", tmp_path / "summary.md"
    result = project.run("update", env={"SOURCE_DATE_EPOCH": SATURDAY, "GITHUB_ACTIONS": "true",
                                        "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.status == 0, result.err
    assert "new_papers=0" in outputs.read_text()
    assert "Learning" in summary.read_text()
