"""The outage breaker: what good answers say about the service, and how many jobs in a row
it failed, so that an outage costs one job's retries, not every job's."""

from __future__ import annotations

import enum

OUTAGE_KEYWORDS = 3
"""After this many jobs in a row gave up on the service (or got short answers), the rest
are not asked."""


class Verdict(enum.Enum):
    """What a good try's answer says about the service."""

    ANSWERED = "answered"
    """A whole answer: the service works."""
    HONEST_EMPTY = "honest empty"
    """Nothing, for a job not expected to find anything: it says nothing either way."""
    SHORT = "short"
    """Less than promised, kept because no try is left: counts towards an outage."""


class Breaker:
    """Counts the jobs in a row that gave up (or got short answers).

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
