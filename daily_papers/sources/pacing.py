"""The spacing of requests to one service, shared by every source that asks it.

arXiv's rule (one request every three seconds) covers its API and its feeds together,
so one :class:`Pacer` serves every source of a run.
"""

from __future__ import annotations

import time
from collections.abc import Callable


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
