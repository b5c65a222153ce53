"""The fetcher over real HTTP against the stand-in: retries, waits, spacing, strict parsing.

Waits are not slept: the client gets a fake clock whose time moves only when it sleeps,
and every sleep is recorded with the number of requests the stand-in had seen by then.
Only the network timeout is real (and tiny).
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standin import ArxivStandin, Entry, Fault, atom_feed, error_feed, papers

from daily_papers import HOMEPAGE
from daily_papers.config import ArxivSettings
from daily_papers.printable import printable
from daily_papers.sources import ArxivClient, FetchError, Pacer, Search, SortBy, SortOrder, api
from daily_papers.sources.api import MAX_ABSTRACT, MAX_AUTHOR_NAME, MAX_AUTHORS, MAX_COMMENT, MAX_TITLE
from daily_papers.sources.http import MAX_BODY
from daily_papers.sources.retry_after import retry_after_seconds

QUERY = 'ti:"Reward Model" OR abs:"Reward Model"'


class FakeTime:
    """A clock that stands still until slept; ``waits`` holds (requests seen, seconds slept)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[tuple[int, float]] = []
        self.standin: ArxivStandin | None = None

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        seen = len(self.standin.requests) if self.standin else 0
        self.waits.append((seen, seconds))
        self.now += seconds

    def waited_after(self, requests: int) -> float:
        """Seconds slept between the ``requests``-th request and the next one."""
        return sum(s for seen, s in self.waits if seen == requests)


@pytest.fixture(autouse=True)
def logs_reach_caplog(monkeypatch):
    """A CLI run earlier in the session leaves the package's logger not propagating."""
    monkeypatch.setattr(logging.getLogger("daily_papers"), "propagate", True)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def standin(fake):
    with ArxivStandin(clock=fake.clock) as server:
        fake.standin = server
        yield server


def settings(standin, **changes) -> ArxivSettings:
    base = ArxivSettings(url=standin.url, delay_seconds=3, retries=4, backoff_seconds=5, timeout_seconds=0.2)
    return replace(base, **changes)


def client(standin, fake, **changes) -> ArxivClient:
    return ArxivClient(settings(standin, **changes), clock=fake.clock, sleep=fake.sleep, rng=random.Random(7))


def search(max_results: int = 100, query: str = QUERY) -> Search:
    return Search(query=query, max_results=max_results, sort_by=SortBy.LastUpdatedDate,
                  sort_order=SortOrder.Descending)


def ids(result) -> list[str]:
    return [p.versioned_id for p in result.papers]


def test_a_healthy_answer_takes_one_request_and_no_wait(standin, fake):
    standin.add(QUERY, papers("2505", 12))
    result = client(standin, fake).search(search())
    assert ids(result) == [f"2505.{n:05d}v1" for n in range(12, 0, -1)]
    assert result.requests == 1 and result.total_results == 12
    assert fake.waits == []


def test_every_kind_of_fault_is_retried_until_the_whole_list_arrives(standin, fake, caplog):
    standin.add(QUERY, papers("2505", 30))
    faults = [Fault("429", retry_after="2"), Fault("503"), Fault("reset"), Fault("truncate"), Fault("hang"),
              Fault("short"), Fault("empty"), Fault("html"), Fault("trickle")]
    standin.fail(*faults)
    caplog.set_level(logging.INFO, "daily_papers")
    started = time.monotonic()
    result = client(standin, fake, retries=len(faults), delay_seconds=1, max_total_seconds=86400).search(
        search(), expect_results=True)
    assert time.monotonic() - started < 5
    assert len(ids(result)) == 30 and result.requests == len(faults) + 1
    assert len(standin.requests) == len(faults) + 1
    assert fake.waited_after(1) >= 2  # the 429's Retry-After, not the 5 s backoff
    assert fake.waited_after(1) == pytest.approx(2)
    log = caplog.text
    assert "arXiv asked to wait 2 s (Retry-After)" in log
    for reason in ("HTTP 429", "HTTP 503", "connection failed", "cut short", "no answer within 0.2 s",
                   "short page: 15 of the 30", "empty page for a keyword that had papers",
                   "not an arXiv API answer", "still arriving after 0.2 s"):
        assert reason in log, reason
    assert QUERY in log


def test_backoff_doubles_from_backoff_seconds_with_at_most_a_quarter_of_jitter(standin, fake):
    standin.add(QUERY, papers("2505", 3))
    standin.fail(*[Fault("503")] * 4)
    result = client(standin, fake, retries=4, backoff_seconds=5).search(search())
    assert result.requests == 5
    waits = [fake.waited_after(n) for n in range(1, 5)]
    for attempt, wait in enumerate(waits):
        assert 5 * 2**attempt <= wait <= 1.25 * 5 * 2**attempt, waits
    assert len(set(w / 2**i for i, w in enumerate(waits))) > 1  # jittered, not a fixed schedule


def test_retry_after_as_an_http_date(standin, fake):
    wall = datetime(2025, 5, 27, 13, 0, 0, tzinfo=timezone.utc)
    standin.add(QUERY, papers("2505", 3))
    standin.fail(Fault("503", retry_after=email.utils.format_datetime(wall + timedelta(seconds=42), usegmt=True)))
    arxiv_client = ArxivClient(settings(standin), clock=fake.clock, sleep=fake.sleep, wall_clock=lambda: wall)
    assert len(arxiv_client.search(search()).papers) == 3
    assert fake.waited_after(1) == pytest.approx(42)


def test_a_long_retry_after_is_capped_and_the_cap_is_logged(standin, fake, caplog):
    standin.add(QUERY, papers("2505", 3))
    standin.fail(Fault("429", retry_after="86400"))
    caplog.set_level(logging.INFO, "daily_papers")
    client(standin, fake, max_retry_after_seconds=30).search(search())
    assert fake.waited_after(1) == pytest.approx(30)
    assert "arXiv asked to wait 8.64e+04 s (Retry-After); waiting 30 s" in caplog.text


def test_a_keyword_that_always_fails_is_asked_retries_plus_one_times(standin, fake):
    standin.add(QUERY, papers("2505", 3))
    standin.fail(*[Fault("503")] * 20)
    with pytest.raises(FetchError) as failure:
        client(standin, fake, retries=3).search(search())
    assert len(standin.requests) == 4
    assert failure.value.retry == 3
    assert failure.value.message == "gave up after 4 tries; last: HTTP 503"
    assert standin.url in str(failure.value)


def test_an_http_400_is_asked_once_and_carries_arxivs_own_words(standin, fake):
    standin.fail(Fault("400", message="incorrect id format for abc"))
    with pytest.raises(FetchError) as failure:
        client(standin, fake).search(search())
    assert len(standin.requests) == 1 and fake.waits == []
    assert failure.value.message == "arXiv refused the query (HTTP 400): incorrect id format for abc"


def test_a_truncated_body_never_passes_as_a_shorter_list(standin, fake):
    standin.add(QUERY, papers("2505", 40))
    standin.fail(Fault("truncate"))
    with pytest.raises(FetchError, match="cut short"):
        client(standin, fake, retries=0).search(search())


def test_a_well_formed_short_page_is_retried_and_kept_only_on_the_last_try(standin, fake, caplog):
    standin.add(QUERY, papers("2505", 40))
    standin.fail(Fault("short"), Fault("short"))
    result = client(standin, fake, retries=1).search(search())
    assert len(result.papers) == 20 and result.requests == 2
    assert "sent 20 of the 40 papers it promised" in caplog.text


def test_an_empty_answer_is_suspect_only_when_papers_are_expected(standin, fake):
    standin.add(QUERY, papers("2505", 3))
    standin.fail(Fault("empty"))
    assert len(client(standin, fake).search(search(), expect_results=True).papers) == 3
    assert len(standin.requests) == 2

    standin.fail(*[Fault("empty")] * 3)
    with pytest.raises(FetchError, match="empty page for a keyword that had papers"):
        client(standin, fake, retries=2).search(search(), expect_results=True)

    nothing = client(standin, fake).search(search(query='ti:"nothing matches"'))
    assert nothing.papers == () and nothing.requests == 1


def test_every_try_respects_the_spacing_and_the_first_does_not_wait(standin, fake):
    for name, prefix in (("a", "2501"), ("b", "2502"), ("c", "2503")):
        standin.add(f"ti:{name}", papers(prefix, 2))
    standin.fail(Fault("503", retry_after="0"), Fault("reset"), query="ti:b")
    arxiv_client = client(standin, fake, delay_seconds=3, backoff_seconds=0.5)
    for name in ("a", "b", "c"):
        arxiv_client.search(search(query=f"ti:{name}"))
    starts = [r.started for r in standin.requests]
    assert [r.query for r in standin.requests] == ["ti:a", "ti:b", "ti:b", "ti:b", "ti:c"]
    assert starts[0] == 1000.0 and fake.waited_after(0) == 0
    assert all(b - a >= 3 for a, b in zip(starts, starts[1:])), starts


def test_the_pacer_spaces_starts_not_ends():
    now = [0.0]
    slept: list[float] = []
    pacer = Pacer(3, clock=lambda: now[0], sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)))
    pacer.wait_turn()
    now[0] += 2.5  # the answer took 2.5 s
    pacer.wait_turn()
    now[0] += 4  # a slow answer: no wait needed
    pacer.wait_turn()
    assert slept == [pytest.approx(0.5 + Pacer.MARGIN)]


def test_requests_name_the_tool_and_never_hang(standin, fake):
    standin.add(QUERY, papers("2505", 2))
    standin.fail(Fault("hang"), Fault("hang"))
    started = time.monotonic()
    client(standin, fake, retries=2, timeout_seconds=0.2).search(search())
    assert time.monotonic() - started < 2
    agents = {r.headers["User-Agent"] for r in standin.requests}
    assert len(standin.requests) == 3 and len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("daily-papers/") and HOMEPAGE in agent


def test_a_retry_after_on_the_last_try_holds_back_the_next_search(standin, fake):
    standin.add("ti:b", papers("2502", 2))
    standin.fail(Fault("429", retry_after="60"), Fault("429", retry_after="60"), query=QUERY)
    arxiv_client = client(standin, fake, retries=1, delay_seconds=3)
    with pytest.raises(FetchError, match="HTTP 429"):
        arxiv_client.search(search())
    assert len(arxiv_client.search(search(query="ti:b")).papers) == 2
    starts = [r.started for r in standin.requests]
    assert starts[1] - starts[0] == pytest.approx(60) and starts[2] - starts[1] == pytest.approx(60)


def test_an_outage_costs_one_keywords_retries_then_single_tries_then_nothing(standin, fake):
    arxiv_client = client(standin, fake, retries=4)
    queries = [f"q{n}" for n in range(6)]
    standin.fail(*[Fault("503")] * 7)  # the first keyword's 5 tries, then one try each for two more
    for q in queries[:3]:
        with pytest.raises(FetchError):
            arxiv_client.search(search(query=q))
    with pytest.raises(FetchError) as skipped:
        arxiv_client.search(search(query=queries[3]))
    assert "not asked: arXiv failed for the 3 keywords before" in skipped.value.message
    assert skipped.value.requests == 0
    assert [len(standin.requests_for(q)) for q in queries[:4]] == [5, 1, 1, 0]


def test_a_success_ends_the_outage(standin, fake):
    arxiv_client = client(standin, fake, retries=2)
    standin.add("ok", papers("2505", 2))
    standin.fail(*[Fault("503")] * 3, query="down")
    with pytest.raises(FetchError):
        arxiv_client.search(search(query="down"))
    assert arxiv_client.search(search(query="ok")).requests == 1  # a single try while in doubt
    standin.fail(*[Fault("503")] * 2, query="down")
    standin.add("down", papers("2504", 1))
    assert arxiv_client.search(search(query="down")).requests == 3  # full retries again


def test_a_run_spends_at_most_max_total_seconds_asking_arxiv(standin, fake):
    arxiv_client = client(standin, fake, retries=4, backoff_seconds=5, max_total_seconds=30)
    standin.add("late", papers("2505", 1))
    standin.fail(*[Fault("empty")] * 5, query="slow")  # suspect, not an outage: full retries
    with pytest.raises(FetchError) as gave_up:
        arxiv_client.search(search(query="slow"), expect_results=True)
    assert "no time left for more: arxiv.max_total_seconds" in gave_up.value.message
    assert len(standin.requests_for("slow")) == 3  # waits of ~5 and ~10 s fit in 30 s, ~20 more do not
    assert sum(seconds for _, seconds in fake.waits) <= 30
    fake.sleep(30)
    with pytest.raises(FetchError) as skipped:
        arxiv_client.search(search(query="late"))
    assert skipped.value.requests == 0 and "time for arXiv is spent" in skipped.value.message


def test_a_suspect_empty_answer_is_not_an_outage(standin, fake):
    arxiv_client = client(standin, fake, retries=2)
    standin.fail(*[Fault("empty")] * 3, query="empty")
    with pytest.raises(FetchError):
        arxiv_client.search(search(query="empty"), expect_results=True)
    standin.add("next", papers("2505", 1))
    standin.fail(Fault("503"), query="next")
    assert arxiv_client.search(search(query="next")).requests == 2  # still retried


def test_a_retry_after_past_the_runs_time_is_not_waited_for(standin, fake):
    arxiv_client = client(standin, fake, retries=0, max_total_seconds=5)
    standin.fail(Fault("429", retry_after="6"), query="first")
    with pytest.raises(FetchError):
        arxiv_client.search(search(query="first"))
    with pytest.raises(FetchError) as skipped:
        arxiv_client.search(search(query="second"))
    assert skipped.value.requests == 0 and "time for arXiv is spent" in skipped.value.message
    assert fake.waits == [] and standin.requests_for("second") == []


# --- redirects: each hop a paced request, only to the web, only a few -------------------


def test_a_redirect_is_a_paced_request_of_its_own(standin, fake):
    standin.add(QUERY, papers("2505", 3))
    arxiv_client = client(standin, fake, delay_seconds=3)
    moved = arxiv_client.url_for(search()).replace("/api/query", "/api/moved")
    standin.fail(Fault("redirect", status=301), Fault("redirect", status=302, location=moved))
    result = arxiv_client.search(search())
    assert len(result.papers) == 3 and result.requests == 3
    assert [r.path for r in standin.requests] == ["/api/query", "/api/query", "/api/moved"]
    starts = [r.started for r in standin.requests]
    assert all(b - a >= 3 for a, b in zip(starts, starts[1:])), starts


def test_a_redirect_loop_is_a_failed_try_after_a_few_paced_hops(standin, fake):
    standin.always = Fault("redirect", status=302)
    with pytest.raises(FetchError) as failure:
        client(standin, fake, retries=1, delay_seconds=3, backoff_seconds=1).search(search())
    assert failure.value.message.startswith("gave up after 2 tries; last: more than 3 redirects (the last to http://")
    assert len(standin.requests) == failure.value.requests == 2 * 4
    starts = [r.started for r in standin.requests]
    assert all(b - a >= 3 for a, b in zip(starts, starts[1:])), starts


@pytest.mark.parametrize("location", ["http://[::1/api/query", "javascript:alert(1)", "//[zz]/x"])
def test_a_redirect_to_no_web_address_is_a_failed_try(standin, fake, location):
    standin.fail(Fault("redirect", status=302, location=location))
    with pytest.raises(FetchError, match="HTTP 302 redirect to a non-web address"):
        client(standin, fake, retries=0).search(search())


def test_a_redirect_off_the_web_is_a_failed_try(standin, fake):
    standin.fail(Fault("redirect", status=301, location="ftp://arxiv.org/api/query\x1b[2J\x85"))
    with pytest.raises(FetchError) as failure:
        client(standin, fake, retries=0).search(search())
    assert failure.value.message == ("gave up after 1 try; last: HTTP 301 redirect to a non-web address: "
                                     "ftp://arxiv.org/api/query\\x1b[2J\\x85")


def test_a_redirect_to_another_host_is_not_followed(standin, fake):
    standin.fail(Fault("redirect", status=302, location="http://169.254.169.254/latest/meta-data/"))
    with pytest.raises(FetchError) as failure:
        client(standin, fake, retries=0).search(search())
    assert "redirect to another host (169.254.169.254), not followed" in failure.value.message
    assert len(standin.requests) == 1


# --- what servers say: never a traceback, never a raw control character -------------------


@pytest.mark.parametrize("value", ["²", "Fri, 01 Jan 99999999999 00:00:00 GMT", "-5", "1e9", "٣", "Mon, 99 Foo",
                                   "9" * 5000])
def test_a_retry_after_that_is_no_number_or_date_means_backoff(standin, fake, value):
    standin.add(QUERY, papers("2505", 3))
    standin.fail(Fault("503", retry_after=value))
    result = client(standin, fake, backoff_seconds=5, max_retry_after_seconds=30).search(search())
    assert result.requests == 2
    assert 5 <= fake.waited_after(1) <= 30


@given(st.text())
def test_retry_after_never_raises(value):
    seconds = retry_after_seconds(value, datetime(2025, 5, 27, tzinfo=timezone.utc))
    assert seconds is None or seconds >= 0


def test_a_reason_phrase_reaches_the_message_and_the_log_printable(standin, fake, caplog):
    standin.fail(Fault("reason", status=404, message="Gone\r::warning::x\x1b[2J"))
    with pytest.raises(FetchError) as failure:
        client(standin, fake).search(search())
    assert failure.value.message == "arXiv refused the query (HTTP 404): Gone\\x0d::warning::x\\x1b[2J"
    assert len(standin.requests) == 1


def test_a_broken_status_line_is_retried_and_logged_printable(standin, fake, caplog):
    standin.add(QUERY, papers("2505", 2))
    standin.fail(Fault("status_line", message="HTTP/1.1 abc\r::error::x"))
    result = client(standin, fake).search(search(), label="Reward\r::warning::Model")
    assert result.requests == 2
    assert "Reward\\x0d::warning::Model: try 1 of 5 failed: connection failed: HTTP/1.1 abc\\x0d::error::x" in caplog.text
    assert "\r" not in caplog.text and "\x1b" not in caplog.text


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault("continue"), "no whole status and headers within 0.2 s"),
    (Fault("trailers"), "answer still arriving after 0.2 s"),
    (Fault("trickle", size=1, seconds=0.001), "answer still arriving after 0.2 s"),
    (Fault("endless"), f"more than the {MAX_BODY} allowed"),
    (Fault("huge"), f"answer of 1000000000 bytes refused: more than the {MAX_BODY} allowed"),
])
def test_a_server_that_never_stops_costs_one_timeout_per_try(standin, fake, caplog, fault, reason):
    standin.add(QUERY, papers("2505", 3))
    standin.fail(fault)
    started = time.monotonic()
    timeout = 0.2 if "0.2 s" in reason else 2  # a cap is what is tested, not the deadline
    result = client(standin, fake, timeout_seconds=timeout).search(search())
    assert time.monotonic() - started < 3
    assert result.requests == 2 and len(result.papers) == 3
    assert reason in caplog.text


# --- an arXiv that answers everything empty or short is an outage --------------------------


def test_an_arxiv_that_answers_every_query_empty_trips_the_outage_rule(standin, fake):
    """Before, every keyword spent its retries: 72 requests and max_total_seconds for 20."""
    standin.always = Fault("empty")
    arxiv_client = client(standin, fake, retries=4, max_total_seconds=1200)
    messages = []
    for n in range(20):
        with pytest.raises(FetchError) as failure:
            arxiv_client.search(search(query=f"q{n}"), expect_results=True)
        messages.append(failure.value.message)
    assert [len(standin.requests_for(f"q{n}")) for n in range(5)] == [5, 1, 1, 0, 0]
    assert len(standin.requests) == 7
    assert messages[1] == "gave up after 1 try; last: empty page for a keyword that had papers"
    assert messages[3] == "not asked: arXiv failed for the 3 keywords before"


def test_an_arxiv_that_answers_every_query_short_trips_the_outage_rule_but_keeps_what_came(standin, fake):
    standin.always = Fault("short")
    arxiv_client = client(standin, fake, retries=4)
    kept = []
    for n in range(3):
        standin.add(f"q{n}", papers(f"250{n}", 10))
        kept.append(len(arxiv_client.search(search(query=f"q{n}")).papers))
    with pytest.raises(FetchError, match="not asked"):
        arxiv_client.search(search(query="q3"))
    assert kept == [5, 5, 5]
    assert [len(standin.requests_for(f"q{n}")) for n in range(4)] == [5, 1, 1, 0]


def test_keywords_that_honestly_match_nothing_are_no_outage(standin, fake):
    arxiv_client = client(standin, fake, retries=4)
    for n in range(6):
        assert arxiv_client.search(search(query=f"nothing {n}")).papers == ()
    standin.add("q", papers("2505", 2))
    assert len(arxiv_client.search(search(query="q")).papers) == 2
    assert len(standin.requests) == 7


def test_honest_empty_answers_neither_end_nor_prolong_an_outage(standin, fake):
    arxiv_client = client(standin, fake, retries=2)
    standin.fail(*[Fault("503")] * 3, query="down")
    with pytest.raises(FetchError):
        arxiv_client.search(search(query="down"))
    assert arxiv_client.search(search(query="nothing")).requests == 1
    standin.fail(Fault("503"), Fault("503"), query="down 2")
    with pytest.raises(FetchError) as failure:
        arxiv_client.search(search(query="down 2"))
    assert failure.value.requests == 1  # still a single try while in doubt


# --- the answer's text and entries -------------------------------------------------------


def test_titles_and_abstracts_arrive_exactly_as_sent(standin, fake):
    mojibake = "CafÃ© â€™quotedâ€™ Ã¼ber"  # UTF-8 read as latin-1 by someone else: arXiv's text, kept
    standin.add(QUERY, [
        Entry("2505.00002v1", mojibake, summary="Ã© \u00a0 $\\alpha$ <b>&amp;</b> 強化学習 🚀"),
        Entry("2505.00001v1", "C1\x80controls\x9d dropped\x85here", summary="a\x9bb", authors=["Jos\x96é"]),
    ])
    result = client(standin, fake).search(search())
    first, second = result.papers
    assert first.title == mojibake
    assert first.abstract == "Ã© $\\alpha$ <b>&amp;</b> 強化学習 🚀"
    assert (second.title, second.abstract, second.authors) == ("C1controls dropped here", "ab", ("José",))


@pytest.mark.parametrize("bad", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "yesterday", ""])
def test_an_entry_with_a_date_that_is_not_one_is_dropped_alone(standin, fake, caplog, bad):
    entries = papers("2505", 3)
    entries[1] = replace(entries[1], updated_text=bad)
    standin.add(QUERY, entries)
    result = client(standin, fake).search(search(), label="Reward Model")
    assert ids(result) == ["2505.00003v1", "2505.00001v1"]
    assert result.requests == 1  # the entry came: the page is whole, not short
    assert "Reward Model: dropped 2505.00002v1: a date that is not one" in caplog.text


@pytest.mark.parametrize("bad_id", ["http://arxiv.org/abs/../../etc", "https://evil.example/abs/2505.00001v1",
                                    "2505.00001v1", "http://arxiv.org/abs/2505.00001v1\r::warning::x"])
def test_an_entry_whose_id_is_no_arxiv_id_is_dropped(standin, fake, caplog, bad_id):
    entries = papers("2505", 2)
    entries[0] = replace(entries[0], id_text=bad_id)
    standin.add(QUERY, entries)
    result = client(standin, fake).search(search())
    assert ids(result) == ["2505.00001v1"] and result.requests == 1
    assert "dropped an entry whose id is not an arXiv id" in caplog.text and "\r" not in caplog.text


def test_old_style_ids_and_ids_without_version_are_arxiv_ids(standin, fake):
    standin.add(QUERY, [Entry("hep-th/0601001v2", "Old"), Entry("math.AG/0601001v1", "Older"),
                        Entry("2505.00001", "No version")])
    assert ids(client(standin, fake).search(search())) == ["hep-th/0601001v2", "math.AG/0601001v1", "2505.00001v1"]


def test_fields_longer_than_any_real_one_are_cut_and_the_log_says_so(standin, fake, caplog):
    standin.add(QUERY, [Entry("2505.00001v1", "T" * 5_000, summary="A" * 50_000, comment="C" * 3_000,
                              authors=["N" * 600] + [f"Author {n}" for n in range(2_500)])])
    (paper,) = client(standin, fake).search(search()).papers
    assert len(paper.title) == MAX_TITLE and len(paper.abstract) == MAX_ABSTRACT
    assert len(paper.comment) == MAX_COMMENT
    assert len(paper.authors) == MAX_AUTHORS and paper.authors[0] == "N" * MAX_AUTHOR_NAME
    for note in (f"2505.00001v1: cut the title to {MAX_TITLE} characters (it had 5000)",
                 f"2505.00001v1: cut the abstract to {MAX_ABSTRACT} characters (it had 50000)",
                 f"2505.00001v1: cut the comment to {MAX_COMMENT} characters (it had 3000)",
                 f"2505.00001v1: cut an author's name to {MAX_AUTHOR_NAME} characters (it had 600)",
                 f"2505.00001v1: kept the first {MAX_AUTHORS} authors of 2501"):
        assert note in caplog.text, note


def test_an_error_entry_sent_with_http_200_is_arxivs_refusal(standin, fake):
    standin.add_raw(QUERY, error_feed("start + max_results must not exceed 30000"))
    with pytest.raises(FetchError) as failure:
        client(standin, fake).search(search())
    assert failure.value.message == "arXiv refused the query: start + max_results must not exceed 30000"
    assert len(standin.requests) == 1


def test_a_paper_titled_error_is_a_paper(standin, fake):
    standin.add(QUERY, [Entry("2505.00001v1", "Error")])
    assert ids(client(standin, fake).search(search())) == ["2505.00001v1"]


@pytest.mark.parametrize(("body", "reason"), [
    (b"   \n", "not an arXiv API answer: an empty body"),
    (b"Service temporarily unavailable", "malformed feed: syntax error: line 1, column 0"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><feed/>', "not an arXiv API answer: it has a DOCTYPE"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "not an arXiv API answer: no opensearch:totalResults"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'><totalResults xmlns='http://a9.com/-/spec/opensearch/1.1/'>"
     b"\xc2\xb2</totalResults></feed>", "malformed feed: opensearch:totalResults is '²'"),
    (b'<?xml version="1.0" encoding="rot13"?><feed/>',
     "malformed feed: 'rot13' is not a text encoding; use codecs.decode() to handle arbitrary codecs"),
    (b'<?xml version="1.0" encoding="utf-7"?><feed/>', "malformed feed: multi-byte encodings are not supported"),
    (b'<?xml version="1.0" encoding="nonesuch"?><feed/>', "malformed feed: unknown encoding: nonesuch"),
])
def test_a_body_that_is_no_api_answer_is_a_failed_try(standin, fake, body, reason):
    standin.add_raw(QUERY, body)
    with pytest.raises(FetchError) as failure:
        client(standin, fake, retries=1).search(search())
    assert failure.value.message == f"gave up after 2 tries; last: {reason}"


def test_one_pacer_spaces_the_requests_of_several_clients(standin, fake):
    pacer = Pacer(3, clock=fake.clock, sleep=fake.sleep)
    standin.add("a", papers("2501", 1))
    first = ArxivClient(settings(standin), clock=fake.clock, sleep=fake.sleep, pacer=pacer)
    second = ArxivClient(settings(standin, url=standin.url.replace("/api/query", "/other")), clock=fake.clock,
                         sleep=fake.sleep, pacer=pacer)
    for arxiv_client in (first, second, first):
        arxiv_client.search(search(query="a"))
    starts = [r.started for r in standin.requests]
    assert all(b - a >= 3 for a, b in zip(starts, starts[1:])), starts


# --- the parser never raises anything but its own errors ----------------------------------

LIVE = (Path(__file__).parent / "fixtures" / "live_answer.xml").read_bytes()


@given(st.binary(max_size=3000))
def test_the_parser_takes_any_bytes(body):
    try:
        api.parse_page(body)
    except (api.BadAnswer, api.ArxivRefusal):
        pass
    assert api.error_summary(body) is None or "\r" not in api.error_summary(body)


@given(st.integers(0, len(LIVE)), st.integers(0, 200), st.binary(max_size=40))
def test_the_parser_takes_a_real_answer_cut_and_spliced(start, length, splice):
    try:
        page = api.parse_page(LIVE[:start] + splice + LIVE[start + length:])
    except (api.BadAnswer, api.ArxivRefusal):
        return
    assert len(page.papers) <= page.entries


@given(st.text(), st.text())
def test_the_parser_takes_any_text_in_any_field(date, text):
    body = atom_feed([Entry("2505.00001v1", text or "x", summary=text, comment=text, authors=[text], doi=text,
                            journal_ref=text, categories=[text or "cs.LG"], updated_text=date, published_text=date)])
    try:
        page = api.parse_page(body)
    except (api.BadAnswer, api.ArxivRefusal):
        return
    assert page.entries == 1
    for paper in page.papers:
        assert all(printable(value) == value for value in (paper.title, paper.abstract, *paper.authors))
