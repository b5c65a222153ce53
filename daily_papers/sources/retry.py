"""Running a job (a search, a lookup) as a series of tries against one service: backoff
with jitter, ``Retry-After``, the run's time budget and the outage breaker.

The pieces are separate so that several sources can share what must be shared: one
:class:`~daily_papers.sources.pacing.Pacer` serves every source of a run. A try is a
function that asks through :meth:`~daily_papers.sources.tries.Try.get` and raises
:class:`~daily_papers.sources.tries.TryFailed` for what another try may mend, or
:class:`~daily_papers.sources.tries.Refused` for what it will not. Nothing here knows
about Atom or search queries.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Generic, TypeVar

from daily_papers.config import ArxivSettings
from daily_papers.printable import printable
from daily_papers.sources.breaker import Breaker, Verdict
from daily_papers.sources.pacing import Pacer
from daily_papers.sources.tries import Refused, Try, TryFailed

log = logging.getLogger(__name__)

T = TypeVar("T")


class GaveUp(Exception):
    """A job that did not get its answer: ``retry`` is the last try's index, ``requests``
    how many requests it sent (redirect hops included)."""

    def __init__(self, message: str, retry: int, requests: int):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.requests = requests


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a good try brought back, and its verdict."""

    value: T
    verdict: Verdict = Verdict.ANSWERED


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
        deadline = self._may_ask()
        last = 0 if self.breaker.single_try else self.settings.retries
        not_before: float | None = None
        requests = 0
        for index in range(last + 1):
            current = Try(self.pacer, self.settings.timeout_seconds, self.wall_clock, final=index == last,
                          believe_suspects=index == last or self.breaker.suspects_believed, not_before=not_before)
            try:
                outcome = attempt(current)
            except Refused as refusal:
                raise GaveUp(str(refusal), index, requests + current.requests) from None
            except TryFailed as failure:
                requests += current.requests
                wait = self._wait(index, failure, label)
                final = current.final or (not failure.outage and current.believe_suspects)
                if final or self.clock() + wait > deadline:
                    raise self._give_up(index, failure, wait, requests, out_of_time=not final) from None
                log.warning("%s: try %d of %d failed: %s; trying again in %.3g s", label, index + 1, last + 1,
                            failure, wait)
                not_before = self.clock() + wait
            else:
                self.breaker.record(outcome.verdict)
                return outcome.value, requests + current.requests
        raise AssertionError("unreachable")  # the last try returns or raises

    def _may_ask(self) -> float:
        """The run's deadline (set by the first job); raises :class:`GaveUp` when no job may ask."""
        if self._deadline is None:
            self._deadline = self.clock() + self.settings.max_total_seconds
        if self.breaker.open:
            raise GaveUp(f"not asked: {self.service} failed for the {self.breaker.in_a_row} {self.jobs} before", 0, 0)
        if self.pacer.free_at >= self._deadline:
            raise GaveUp(f"not asked: the run's time for {self.service} is spent "
                         f"(arxiv.max_total_seconds: {self.settings.max_total_seconds:g})", 0, 0)
        return self._deadline

    def _give_up(self, index: int, failure: TryFailed, wait: float, requests: int, *, out_of_time: bool) -> GaveUp:
        """The job's end after its last failed try, counted by the breaker."""
        self.breaker.failed(outage=failure.outage)
        if failure.retry_after is not None:
            # The service's wish is about this client, not this job: whoever asks next honours it.
            self.pacer.hold_until(self.clock() + wait)
        tries = f"{index + 1} tr{'y' if index == 0 else 'ies'}"
        why = " (no time left for more: arxiv.max_total_seconds)" if out_of_time else ""
        return GaveUp(f"gave up after {tries}{why}; last: {failure}", index, requests)

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
