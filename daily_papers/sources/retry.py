"""Running a job (a search, a lookup) as a series of tries against one service: backoff
with jitter, ``Retry-After``, the run's ``max_total_seconds`` and the outage breaker.

A :class:`Retrier` decides whether a job is asked, how many tries it gets and how long
each waits; the state is kept by small pieces: the :class:`~.pacing.Pacer` (shared by
every source of a run), the :class:`~.breaker.Breaker`, a :class:`~.job.Job` per job
and a :class:`~.tries.Try` per try. Nothing here knows about Atom or search queries.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Generic, NoReturn, TypeVar

from daily_papers.config import ArxivSettings
from daily_papers.printable import printable
from daily_papers.sources.breaker import Breaker, Verdict
from daily_papers.sources.job import Job
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
        job = self._start(printable(label))
        for current in job.each_try(self.pacer, self.settings.timeout_seconds, self.wall_clock):
            try:
                outcome = attempt(current)
            except Refused as refusal:
                raise GaveUp(str(refusal), job.index, job.requests) from None
            except TryFailed as failure:
                self._failed(job, failure)
            else:
                self.breaker.record(outcome.verdict)
                return outcome.value, job.requests
        raise AssertionError("unreachable")  # the last try returns or raises

    def _start(self, label: str) -> Job:
        """The job, if it may ask at all; raises :class:`GaveUp` if not."""
        if self._deadline is None:
            self._deadline = self.clock() + self.settings.max_total_seconds
        if self.breaker.open:
            raise GaveUp(f"not asked: {self.service} failed for the {self.breaker.in_a_row} {self.jobs} before", 0, 0)
        if self.pacer.free_at >= self._deadline:
            raise GaveUp(f"not asked: the run's time for {self.service} is spent "
                         f"(arxiv.max_total_seconds: {self.settings.max_total_seconds:g})", 0, 0)
        last = 0 if self.breaker.single_try else self.settings.retries
        return Job(label, last, self.breaker.suspects_believed, self._deadline)

    def _failed(self, job: Job, failure: TryFailed) -> None:
        """Sets when the next try may start, or gives up if none may follow."""
        wait = self._wait(job, failure)
        final = job.ends_with(failure)
        out_of_time = self.clock() + wait > job.deadline
        if final or out_of_time:
            self._give_up(job, failure, wait, final)
        log.warning("%s: try %d of %d failed: %s; trying again in %.3g s", job.label, job.index + 1, job.last + 1,
                    failure, wait)
        job.not_before = self.clock() + wait

    def _give_up(self, job: Job, failure: TryFailed, wait: float, final: bool) -> NoReturn:
        self.breaker.failed(outage=failure.outage)
        if failure.retry_after is not None:
            # The service's wish is about this client, not this job: whoever asks next honours it.
            self.pacer.hold_until(self.clock() + wait)
        tries = f"{job.index + 1} tr{'y' if job.index == 0 else 'ies'}"
        why = " (no time left for more: arxiv.max_total_seconds)" if not final else ""
        raise GaveUp(f"gave up after {tries}{why}; last: {failure}", job.index, job.requests) from None

    def _wait(self, job: Job, failure: TryFailed) -> float:
        """Exponential backoff with jitter, or the server's ``Retry-After`` (capped) when given."""
        cap = self.settings.max_retry_after_seconds
        if failure.retry_after is not None:
            if failure.retry_after > cap:
                log.warning("%s: %s asked to wait %.3g s (Retry-After); waiting %.3g s "
                            "(arxiv.max_retry_after_seconds)", job.label, self.service, failure.retry_after, cap)
            else:
                log.info("%s: %s asked to wait %.3g s (Retry-After)", job.label, self.service, failure.retry_after)
            return min(failure.retry_after, cap)
        return float(self.settings.backoff_seconds * 2**job.index * (1 + 0.25 * self.rng.random()))
