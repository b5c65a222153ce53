"""merge_keyword on values alone: what a keyword's store becomes, and what it announces,
when papers merge into it (no files, no arXiv)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from daily_papers.merge import FUTURE_SLACK, merge_keyword
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore

UTC = timezone.utc
NOW = datetime(2025, 5, 28, 12, tzinfo=UTC)
EARLIER = datetime(2025, 5, 1, tzinfo=UTC)
QUERY = 'ti:"Reward Model"'
SORT = "lastUpdatedDate"


def paper(paper_id: str, version: int = 1, day: int = 20, **fields: object) -> Paper:
    when = datetime(2025, 5, day, tzinfo=UTC)
    return replace(Paper(id=paper_id, version=version, title=f"Paper {paper_id}", updated=when, published=when),
                   **fields)


def stored(*papers: Paper, **fields: object) -> KeywordStore:
    return replace(KeywordStore("Reward Model", QUERY, SORT, papers, EARLIER), **fields)


def test_a_kept_paper_keeps_its_first_sighting_and_a_new_one_is_seen_now():
    old = stored(paper("1", first_seen=EARLIER), paper("2"))  # "2" was stored before first sightings were kept

    store, merged, archived = merge_keyword(old, "Reward Model", QUERY, SORT,
                                            [paper("1", version=2, day=27), paper("3", day=26)], 10, NOW)

    assert [(p.id, p.version, p.first_seen) for p in store.papers] == [("1", 2, EARLIER), ("3", 1, NOW), ("2", 1, None)]
    assert merged.papers == store.papers and archived is None
    assert [p.first_seen for p in merged.new] == [None]  # the record as it came


def test_only_ids_never_held_are_new_and_only_higher_versions_are_updated():
    old = stored(paper("1"), paper("2", comment="old"), seen=frozenset({"4"}))
    fetched = [paper("1", version=2, day=27), paper("2", comment="new"), paper("3", day=26), paper("4", day=25)]

    store, merged, _ = merge_keyword(old, "Reward Model", QUERY, SORT, fetched, 10, NOW)

    assert {p.id for p in merged.updated} == {"1", "2"}
    assert (store.fetched, store.new, store.updated) == (NOW, {"3"}, {"1"})


def test_a_paper_pushed_out_is_remembered_and_not_new_when_it_comes_back():
    store, _, _ = merge_keyword(stored(paper("1", day=21), paper("2", day=20)), "Reward Model", QUERY, SORT,
                                [paper("3", day=22)], 2, NOW)
    assert ([p.id for p in store.papers], store.seen, store.new) == (["3", "1"], {"2"}, {"3"})

    again, _, _ = merge_keyword(store, "Reward Model", QUERY, SORT, [paper("2", day=23)], 2, NOW)
    assert ([p.id for p in again.papers], again.seen, again.new) == (["2", "3"], {"1"}, frozenset())


def test_a_new_query_archives_the_old_store_and_announces_nothing():
    old = stored(paper("1"))

    store, _, archived = merge_keyword(old, "Reward Model", "abs:reward", SORT, [paper("2", day=27)], 10, NOW)

    assert archived is old
    assert ([p.id for p in store.papers], store.new, store.query) == (["2"], frozenset(), "abs:reward")


def test_an_import_announces_nothing_and_keeps_the_last_answers_facts():
    old = stored(paper("1"), new=frozenset({"1"}))

    store, _, _ = merge_keyword(old, "Reward Model", QUERY, SORT, [paper("2", day=27, origin="import")], 10, NOW,
                                fetched=False)

    assert (store.fetched, store.new, store.updated) == (EARLIER, {"1"}, frozenset())


def test_a_paper_more_than_the_slack_ahead_of_now_is_refused():
    at_limit = replace(paper("1"), updated=NOW + FUTURE_SLACK)
    ahead = replace(paper("2"), updated=NOW + FUTURE_SLACK + timedelta(seconds=1))
    published_ahead = replace(paper("3"), published=NOW + 2 * FUTURE_SLACK)

    store, _, _ = merge_keyword(None, "Reward Model", QUERY, SORT, [at_limit, ahead, published_ahead], 10, NOW)

    assert [p.id for p in store.papers] == ["1"]
