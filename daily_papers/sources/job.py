"""One job's state across its tries: how many it may have, the requests they sent, and
when the next may start. The :class:`~.retry.Retrier` decides; this only remembers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from daily_papers.sources.pacing import Pacer
from daily_papers.sources.tries import Try, TryFailed


@dataclass
class Job:
    """One :meth:`~.retry.Retrier.run`: the tries it may have, those it had, and when the next starts."""

    label: str
    """The job's name in the log, printable."""
    last: int
    """The index of its last try."""
    believe_suspects: bool
    """A suspect answer (empty, short) ends it at any try, not only at the last."""
    deadline: float
    """No try starts after this (clock time)."""
    tries: list[Try] = field(default_factory=list)
    not_before: float | None = None
    """The next try's first request starts no earlier (clock time): the backoff."""

    @property
    def index(self) -> int:
        """The current try's index."""
        return len(self.tries) - 1

    @property
    def requests(self) -> int:
        return sum(t.requests for t in self.tries)

    def each_try(self, pacer: Pacer, timeout: float, wall_clock: Callable[[], datetime]) -> Iterator[Try]:
        """Its tries in turn, each made when the one before has failed."""
        for index in range(self.last + 1):
            final = index == self.last
            self.tries.append(Try(pacer, timeout, wall_clock, final=final,
                                  believe_suspects=final or self.believe_suspects, not_before=self.not_before))
            yield self.tries[-1]

    def ends_with(self, failure: TryFailed) -> bool:
        """No other try follows this failure of the current try, whatever the time left."""
        current = self.tries[-1]
        return current.final or (not failure.outage and current.believe_suspects)
