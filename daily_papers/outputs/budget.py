"""Sharing a size limit between tables: GitHub stops displaying a file after 500 KiB, so
the README and each page must stay below it whatever the keywords and abstracts; it
refuses an issue body of 65,536 characters, so the digest's lists shrink the same way.

Arithmetic on byte counts, and the one search over a draw callback that every one of
them uses; :mod:`daily_papers.outputs.readme` and :mod:`daily_papers.outputs.digest`
measure and render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

LIMIT = 500_000
"""Bytes a README or page stays below: GitHub shows the first 500 KiB (512,000 bytes) of a
file and silently drops the rest; the difference leaves room for rounding and edits."""

PRECISION = 5_000
"""How close to the best room a search that bisects gets (1% of the limit)."""
_DRAWS = 16
"""Renders a search may take; bisection reaches :data:`PRECISION` well before."""


def size(text: str) -> int:
    """What GitHub counts: UTF-8 bytes (for ASCII text, its length: no need to encode it)."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def fair_shares(needs: Sequence[int], room: int) -> list[int]:
    """Split ``room`` bytes between tables that need ``needs`` bytes each.

    Every table gets an equal share; a table that needs less than its share gets what
    it needs, and what it leaves over is shared again between the others.
    """
    shares = [0] * len(needs)
    left = len(needs)
    room = max(room, 0)
    for index in sorted(range(len(needs)), key=lambda i: needs[i]):
        shares[index] = min(needs[index], room // left)
        room -= shares[index]
        left -= 1
    return shares


def fit_prefix(sizes: Sequence[int], room: int) -> int:
    """How many of the first rows (the newest papers) fit in ``room`` bytes together."""
    used = 0
    for count, row in enumerate(sizes):
        used += row
        if used > room:
            return count
    return len(sizes)


def paginate(sizes: Sequence[int], room: int) -> list[range]:
    """Consecutive runs of rows, each within ``room`` bytes (a row larger than ``room``
    gets a run of its own), covering every row in order."""
    runs: list[range] = []
    start, used = 0, 0
    for index, row in enumerate(sizes):
        if index > start and used + row > room:
            runs.append(range(start, index))
            start, used = index, 0
        used += row
    if start < len(sizes) or not runs:
        runs.append(range(start, len(sizes)))
    return runs


def largest_fitting(draw: Callable[[int], tuple[int, T]], estimate: int, ceiling: int, *,
                    limit: int = LIMIT, precision: int = PRECISION) -> tuple[bool, T]:
    """What ``draw(room)`` makes for the largest room from 0 to ``ceiling`` (within
    ``precision``; 1 finds the largest exactly) whose result stays below ``limit``.

    ``draw`` lays out and renders within ``room`` (the bytes of a README's tables, the
    rows of the digest) and returns the size it got and what it made; a larger room never
    makes a smaller result. ``estimate`` is the first room tried: for the README, the room
    the rest of the file leaves, which holds for a template that shows each table once
    and then takes one draw; else one correction by the excess, then bisection. Returns
    whether the result fits (False only when even room 0 does not).
    """
    room = min(max(estimate, 0), ceiling)
    low, high = -1, ceiling + 1  # the largest room known to fit (-1: none yet), the smallest known not to
    best: T | None = None
    for step in range(_DRAWS):
        got, result = draw(room)
        if got < limit:
            low, best = room, result
            if room == estimate:
                break
        else:
            high = room
        if high - low <= precision or low == ceiling or high == 0:
            break
        if step == 0 and got >= limit:
            room = max(room - (got - limit + 1), 0)
        else:
            room = (max(low, 0) + high) // 2
    if best is None:
        got, best = draw(0)
        return got < limit, best
    return True, best
