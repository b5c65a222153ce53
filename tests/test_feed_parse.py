"""The feed parser (pure) and the kept announcement days."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import replace
from datetime import date

import pytest
from feedstandin import FeedStandin, Listing
from standin import Entry

from daily_papers import feedstore
from daily_papers.sources.feed import (
    FEED_CAP,
    Announcement,
    BadFeed,
    FeedRefused,
    Item,
    feed_url,
    parse_feed,
    plan,
    split_authors,
)

ASKED = ("cs.LG", "cs.AI")


def body(*listings: Listing, asked=ASKED) -> bytes:
    site = FeedStandin()
    site.announce(*listings)
    return site.atom(list(asked), site.items(list(asked)))


def one(**fields) -> Listing:
    fields.setdefault("categories", ["cs.LG", "cs.AI"])
    return Listing(Entry(fields.pop("arxiv_id", "2505.01234v1"), fields.pop("title", "A title"), **fields))


def test_the_real_shape_becomes_papers():
    raw = body(one(summary="We show $x<y$ & that \\textbf{SEA} helps.", authors=["Andr\\'e Ng (MIT, CSAIL)", "Bo Li"],
                   doi="10.1/x", journal_ref="J. 1 (2025)"),
               Listing(Entry("2505.00002v1", "Crossed", categories=["math.OC", "cs.LG"])),
               Listing(Entry("2401.00001v3", "Replaced", categories=["cs.AI"]), "replace"),
               Listing(Entry("hep-th/0601001v2", "Old", categories=["hep-th", "cs.LG"]), "replace"))
    answer = parse_feed(raw, ASKED)
    assert answer.day == date(2025, 5, 27) and answer.notes == ()
    assert [(i.announce_type, i.paper.versioned_id) for i in answer.items] == [
        ("new", "2505.01234v1"), ("cross", "2505.00002v1"), ("replace", "2401.00001v3"),
        ("replace-cross", "hep-th/0601001v2")]
    paper = answer.items[0].paper
    assert paper.abstract == "We show $x<y$ & that \\textbf{SEA} helps."
    assert paper.authors == ("Andr\\'e Ng (MIT, CSAIL)", "Bo Li")
    assert (paper.categories, paper.primary_category) == (("cs.LG", "cs.AI"), "cs.LG")
    assert (paper.doi, paper.journal_ref, paper.comment) == ("10.1/x", "J. 1 (2025)", None)
    assert paper.link == "https://arxiv.org/abs/2505.01234v1"


def test_the_feed_error_names_the_category():
    with pytest.raises(FeedRefused, match="Bad subject class 'cs.XX'"):
        parse_feed(FeedStandin().error("cs.LG+cs.XX", "cs.XX"), ("cs.LG", "cs.XX"))


@pytest.mark.parametrize("raw", [
    b"", b"   ", b"<html><body>Sign in</body></html>", b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>",
    b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feed>&b;</feed>',
    b"\xff\xfe\x00garbage", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>",
])
def test_what_is_not_a_whole_feed_is_bad(raw):
    with pytest.raises(BadFeed):
        parse_feed(raw, ASKED)


def test_an_answer_that_names_a_local_file_is_not_read_from_it(tmp_path):
    local = tmp_path / "feed.xml"
    local.write_bytes(body(one()))
    assert len(parse_feed(local.read_bytes(), ASKED).items) == 1
    with pytest.raises(BadFeed):
        parse_feed(str(local).encode(), ASKED)


def test_a_cut_feed_is_bad():
    raw = body(one())
    with pytest.raises(BadFeed):
        parse_feed(raw[: len(raw) * 2 // 3], ASKED)


def test_odd_items_are_dropped_or_cut_and_noted():
    raw = body(one(title="x" * 5000), one(arxiv_id="2505.00009v1", title="Fine"))
    raw = raw.replace(b"oai:arXiv.org:2505.00009v1", b"oai:elsewhere:1").replace(b"arXiv:2505.00009v1", b"no")
    answer = parse_feed(raw, ASKED)
    assert [i.paper.id for i in answer.items] == ["2505.01234"]
    assert len(answer.items[0].paper.title) == 1000
    assert any("cut the title" in n for n in answer.notes) and any("not an arXiv id" in n for n in answer.notes)
    typed = body(one()).replace(b">new<", b">absonly<").replace(b"Announce Type: new", b"Announce Type: absonly")
    assert parse_feed(typed, ASKED).items == () and "announce type" in parse_feed(typed, ASKED).notes[0]


def test_no_input_gives_a_traceback():
    raw = body(*[one(arxiv_id=f"2505.{n:05d}v1", title=f"T{n}", summary="A & B < C") for n in range(5)])
    rng = random.Random(20250527)
    for _ in range(150):
        mutated = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(mutated))
            choice = rng.random()
            if choice < 0.4:
                mutated[at] = rng.randrange(256)
            elif choice < 0.7:
                del mutated[at:at + rng.randint(1, 40)]
            else:
                mutated[at:at] = rng.choice([b"<", b"&", b"]]>", b"\x00", b"<entry>", b"</feed>", b"\xc3"])
        try:
            parse_feed(bytes(mutated), ASKED)
        except (BadFeed, FeedRefused):
            pass


def test_a_day_of_2000_items_parses_in_bounded_time():
    raw = body(*[one(arxiv_id=f"2505.{n:05d}v1", title=f"Title {n}", summary="An abstract of words. " * 60)
                 for n in range(FEED_CAP)])
    started = time.perf_counter()
    answer = parse_feed(raw, ASKED)
    assert len(answer.items) == FEED_CAP and answer.capped and not answer.complete_candidates
    assert time.perf_counter() - started < 20
    capped_by_replacements = Announcement(ASKED, answer.items[:-1] + (replace(answer.items[-1],
                                                                              announce_type="replace"),))
    assert capped_by_replacements.complete_candidates


def test_authors_split_on_commas_outside_parentheses():
    assert split_authors("A (X, Y), B, ((C, D)), E)") == ["A (X, Y)", "B", "((C, D))", "E)"]
    assert split_authors("") == [] and split_authors(" , ,") == []


def test_requests_are_planned_ten_names_at_most():
    names = tuple(f"cs.{c}" for c in ("AI", "AR", "CC", "CE", "CG", "CL", "CR", "CV", "CY", "DB", "DC", "DL"))
    assert [len(group) for group in plan(names)] == [10, 2]
    assert feed_url("https://rss.arxiv.org/atom/", ("cs.LG", "stat.ML")) == "https://rss.arxiv.org/atom/cs.LG+stat.ML"


def test_a_kept_day_reads_back_as_written(tmp_path):
    answer = parse_feed(body(one(summary="Ünïcode \\' & <", doi="10.1/x"), Listing(Entry("2401.00001v3", "R"),
                                                                                    "replace")), ASKED)
    kept = feedstore.Day(date(2025, 5, 27), [answer, Announcement(("stat.ML",), ())])
    lookup = replace(answer.items[0].paper, comment="9 pages", pdf_url="https://arxiv.org/pdf/2505.01234v1")
    kept.lookups[lookup.id] = lookup
    feedstore.save_day(tmp_path, kept)
    again = feedstore.load_day(tmp_path, date(2025, 5, 27))
    assert again is not None
    assert [a.categories for a in again.answers] == [ASKED, ("stat.ML",)]
    assert again.items() == kept.items() and again.lookups == kept.lookups
    assert again.newest("cs.LG") == "2505.01234" and again.newest("stat.ML") is None
    assert again.answered("stat.ML") and not again.answered("cs.CL")


def test_a_broken_kept_day_is_asked_again_and_only_ten_are_kept(tmp_path, caplog):
    folder = tmp_path / "_feed"
    folder.mkdir()
    (folder / "2025-05-27.json").write_text('{"schema": 1, "answers": [{"categories": 5}]')
    with caplog.at_level(logging.WARNING):
        assert feedstore.load_day(tmp_path, date(2025, 5, 27)) is None
    assert "cannot be read and is not used" in caplog.text
    for day in range(1, 13):
        feedstore.save_day(tmp_path, feedstore.Day(date(2025, 5, day), [Announcement(ASKED, (
            Item(parse_feed(body(one()), ASKED).items[0].paper, "new"),))]))
    assert feedstore.kept_days(tmp_path) == [date(2025, 5, d) for d in range(4, 13)] + [date(2025, 5, 27)]
