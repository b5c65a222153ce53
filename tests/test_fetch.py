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

import pytest

from daily_papers import HOMEPAGE
from daily_papers.config import ArxivSettings
from daily_papers.sources import ArxivClient, FetchError, Pacer, Search, SortBy, SortOrder
from standin import ArxivStandin, Fault, papers

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
