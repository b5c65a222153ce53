"""Asking a service politely and giving up in time: pacing, retries, the run's budget,
and the outage breaker.

The pieces are separate so that several sources can share what must be shared: arXiv's
rule (one request every three seconds) covers its API and its feeds together, so one
:class:`Pacer` serves every source of a run. A :class:`Retrier` runs one job (a search,
a lookup) as a series of tries; a try is a function that asks through :meth:`Try.get`
and raises :class:`TryFailed` for what another try may mend, or :class:`Refused` for
what it will not. Nothing here knows about Atom or search queries.
"""

from __future__ import annotations

import email.utils
import enum
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from daily_papers import HOMEPAGE, __version__
from daily_papers.config import ArxivSettings
from daily_papers.printable import printable
from daily_papers.sources import http

log = logging.getLogger(__name__)

T = TypeVar("T")

USER_AGENT = f"daily-papers/{__version__} (+{HOMEPAGE})"
"""arXiv asks automated clients to name themselves and a contact."""

OUTAGE_KEYWORDS = 3
"""After this many jobs in a row gave up on the service (or got short answers), the rest
are not asked."""

MAX_REDIRECTS = 3
"""Redirect hops a try follows; each is a request of its own, paced like the first."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DELTA_SECONDS = re.compile(r"[0-9]{1,12}")
"""``Retry-After`` in seconds: ASCII digits only (``str.isdigit`` also takes ``²``)."""


class TryFailed(Exception):
    """One try went wrong in a way another try may not; ``retry_after`` is the server's wish.

    ``outage`` tells a failing service (an HTTP error, the network, a cut or broken
    answer) from an answer that is only suspect for this job (empty, or short).
    """

    def __init__(self, reason: str, retry_after: float | None = None, *, outage: bool = True):
        super().__init__(reason)
        self.retry_after = retry_after
        self.outage = outage


class Refused(Exception):
    """The service said no, in its own words; asking again would not change its mind."""


class GaveUp(Exception):
    """A job that did not get its answer: ``retry`` is the last try's index, ``requests``
    how many requests it sent (redirect hops included)."""

    def __init__(self, message: str, retry: int, requests: int):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.requests = requests


class Verdict(enum.Enum):
    """What a good try's answer says about the service."""

    ANSWERED = "answered"
    """A whole answer: the service works."""
    HONEST_EMPTY = "honest empty"
    """Nothing, for a job not expected to find anything: it says nothing either way."""
    SHORT = "short"
    """Less than promised, kept because no try is left: counts towards an outage."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a good try brought back, and its verdict."""

    value: T
    verdict: Verdict = Verdict.ANSWERED


class Pacer:
    """Keeps the *starts* of consecutive requests at least ``delay`` seconds apart, and
    none before a time the service asked for (``Retry-After``).

    Spacing start to start lets the service's own answer time count towards the gap;
    the first request never waits. One instance serves every source of a run.
    """

    MARGIN = 0.005
    """Seconds added to the spacing: jitter on the way can bring two requests that left
    exactly ``delay`` apart a fraction of a millisecond closer on arrival."""

    def __init__(
        self,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self._last_start: float | None = None
        self._held_until: float | None = None

    def hold_until(self, when: float) -> None:
        """No request before ``when`` (clock time), whoever asks next."""
        self._held_until = max(when, self._held_until or when)

    @property
    def free_at(self) -> float:
        """The earliest clock time the next request may start."""
        target = max(self.clock(), self._held_until or float("-inf"))
        if self._last_start is not None:
            target = max(target, self._last_start + self.delay + self.MARGIN)
        return target

    def wait_turn(self, not_before: float | None = None) -> None:
        """Sleep until a request may start (and not before ``not_before``), then mark its start."""
        target = max(self.free_at, not_before if not_before is not None else float("-inf"))
        now = self.clock()
        if target > now:
            self.sleep(target - now)
        self.mark_start()

    def mark_start(self) -> None:
        """The request starts now: called again when it actually leaves, after connecting."""
        self._last_start = self.clock()


class Breaker:
    """Counts the jobs in a row that gave up (or got short answers), so that an outage
    costs one job's retries, not every job's.

    After a job gave up on the service, the next gets a single try; after one gave up
    on suspect answers (empty, short), the next believes its first suspect answer; after
    :data:`OUTAGE_KEYWORDS` in a row, no job is asked. A whole answer resets it.
    """

    def __init__(self, limit: int = OUTAGE_KEYWORDS):
        self.limit = limit
        self.in_a_row = 0
        self.last_outage = False
        """Whether the last of those gave up on the service itself (not on suspect answers)."""

    @property
    def open(self) -> bool:
        return self.in_a_row >= self.limit

    @property
    def single_try(self) -> bool:
        return self.in_a_row > 0 and self.last_outage

    @property
    def suspects_believed(self) -> bool:
        """A suspect answer ends the job at once: the jobs before got nothing better."""
        return self.in_a_row > 0 and not self.last_outage

    def record(self, verdict: Verdict) -> None:
        if verdict is Verdict.ANSWERED:
            self.in_a_row = 0
        elif verdict is Verdict.SHORT:
            self.failed(outage=False)

    def failed(self, *, outage: bool) -> None:
        self.in_a_row += 1
        self.last_outage = outage


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds from ``now``: a number or an HTTP date; None for
    anything else (never an exception: the header is the server's text)."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - now).total_seconds())
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


class Try:
    """One try of a job: its requests go through the pacer, hop by hop."""

    def __init__(self, retrier: Retrier, *, final: bool, believe_suspects: bool, not_before: float | None):
        self.retrier = retrier
        self.final = final
        """No other try follows if this one fails."""
        self.believe_suspects = believe_suspects
        """No other try follows a suspect answer (empty or short): keep what comes."""
        self.not_before = not_before
        self.requests = 0

    def get(self, url: str) -> http.Response:
        """A 2xx or 4xx answer (but 429) for ``url``, following up to :data:`MAX_REDIRECTS`
        redirects to web addresses; raises :class:`TryFailed` for anything else."""
        retrier = self.retrier
        for hop in range(MAX_REDIRECTS + 1):
            retrier.pacer.wait_turn(self.not_before if hop == 0 else None)
            self.requests += 1
            log.debug("GET %s", printable(url))
            try:
                response = http.get(url, timeout=retrier.settings.timeout_seconds,
                                    headers={"User-Agent": USER_AGENT}, on_send=retrier.pacer.mark_start)
            except http.HttpFailure as failure:
                raise TryFailed(str(failure)) from None
            status = response.status
            if status in _REDIRECTS:
                url = _redirect_target(response)
                log.info("HTTP %d: redirected to %s", status, printable(url))
                continue
            if status == 429 or status >= 500:
                raise TryFailed(f"HTTP {status}",
                                retry_after_seconds(response.headers.get("Retry-After"), retrier.wall_clock()))
            if not (200 <= status < 300 or 400 <= status < 500):
                raise TryFailed(f"unexpected HTTP {status} {response.reason}".rstrip())
            return response
        raise TryFailed(f"more than {MAX_REDIRECTS} redirects (the last to {printable(url)})")


def _redirect_target(response: http.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise TryFailed(f"HTTP {response.status} redirect without a Location")
    try:
        target = urljoin(response.url, location.strip())
        scheme, host = urlsplit(target).scheme, urlsplit(target).hostname
        asked = urlsplit(response.url).hostname
    except ValueError:  # a broken IPv6 address
        scheme, host, asked = "", None, None
    if scheme not in ("http", "https"):
        raise TryFailed(f"HTTP {response.status} redirect to a non-web address: {printable(location)}")
    if host != asked:  # http -> https on the same host is what arXiv sends; another host is not arXiv
        raise TryFailed(f"HTTP {response.status} redirect to another host ({printable(str(host))}), "
                        f"not followed: {printable(location[:200])}")
    return target


class Retrier:
    """Runs jobs as tries against one service: spacing, backoff with jitter,
    ``Retry-After``, the run's ``max_total_seconds`` and the outage :class:`Breaker`."""

    def __init__(
        self,
        settings: ArxivSettings,
        *,
        pacer: Pacer | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        service: str = "arXiv",
        jobs: str = "keywords",
    ):
        self.settings = settings
        self.pacer = pacer or Pacer(settings.delay_seconds, clock, sleep)
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self.wall_clock = wall_clock
        self.breaker = Breaker()
        self.service = service
        self.jobs = jobs
        self._deadline: float | None = None
        """No try starts after this (clock time): ``max_total_seconds`` from the first job."""

    def run(self, label: str, attempt: Callable[[Try], Outcome[T]]) -> tuple[T, int]:
        """The value of the first good try and the requests it took; raises :class:`GaveUp`.
        ``label`` names the job in the log."""
        label = printable(label)
        self._may_ask()
        deadline = self._deadline
        if deadline is None:  # set by _may_ask
            raise RuntimeError("no run deadline")
        last = 0 if self.breaker.single_try else self.settings.retries
        not_before: float | None = None
        requests = 0
        for index in range(last + 1):
            current = Try(self, final=index == last, believe_suspects=index == last or self.breaker.suspects_believed,
                          not_before=not_before)
            try:
                outcome = attempt(current)
            except Refused as refusal:
                raise GaveUp(str(refusal), index, requests + current.requests) from None
            except TryFailed as failure:
                requests += current.requests
                wait = self._wait(index, failure, label)
                final = current.final or (not failure.outage and current.believe_suspects)
                out_of_time = self.clock() + wait > deadline
                if final or out_of_time:
                    self.breaker.failed(outage=failure.outage)
                    if failure.retry_after is not None:
                        # The service's wish is about this client, not this job: whoever asks next honours it.
                        self.pacer.hold_until(self.clock() + wait)
                    tries = f"{index + 1} tr{'y' if index == 0 else 'ies'}"
                    why = " (no time left for more: arxiv.max_total_seconds)" if not final else ""
                    raise GaveUp(f"gave up after {tries}{why}; last: {failure}", index, requests) from None
                log.warning("%s: try %d of %d failed: %s; trying again in %.3g s", label, index + 1, last + 1,
                            failure, wait)
                not_before = self.clock() + wait
            else:
                self.breaker.record(outcome.verdict)
                return outcome.value, requests + current.requests
        raise AssertionError("unreachable")  # the last try returns or raises

    def _may_ask(self) -> None:
        if self._deadline is None:
            self._deadline = self.clock() + self.settings.max_total_seconds
        if self.breaker.open:
            raise GaveUp(f"not asked: {self.service} failed for the {self.breaker.in_a_row} {self.jobs} before", 0, 0)
        if self.pacer.free_at >= self._deadline:
            raise GaveUp(f"not asked: the run's time for {self.service} is spent "
                         f"(arxiv.max_total_seconds: {self.settings.max_total_seconds:g})", 0, 0)

    def _wait(self, index: int, failure: TryFailed, label: str) -> float:
        """Exponential backoff with jitter, or the server's ``Retry-After`` (capped) when given."""
        cap = self.settings.max_retry_after_seconds
        if failure.retry_after is not None:
            if failure.retry_after > cap:
                log.warning("%s: %s asked to wait %.3g s (Retry-After); waiting %.3g s "
                            "(arxiv.max_retry_after_seconds)", label, self.service, failure.retry_after, cap)
            else:
                log.info("%s: %s asked to wait %.3g s (Retry-After)", label, self.service, failure.retry_after)
            return min(failure.retry_after, cap)
        return float(self.settings.backoff_seconds * 2**index * (1 + 0.25 * self.rng.random()))
