"""Sharing a size limit between tables: GitHub stops displaying a file after 500 KiB, so
the README and each page must stay below it whatever the keywords and abstracts.

Arithmetic on byte counts, and the searches over a draw callback; :mod:`daily_papers.outputs.readme`
measures and renders.
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


def largest_fitting(draw: Callable[[int], tuple[int, T]], estimate: int, ceiling: int) -> tuple[bool, T]:
    """What ``draw(room)`` makes for the largest room from 0 to ``ceiling`` (within
    :data:`PRECISION`) whose result stays below :data:`LIMIT`.

    ``draw`` lays out and renders the tables within ``room`` bytes and returns the size it
    got and what it made; a larger room never makes a smaller result. ``estimate`` is the
    room the rest of the file leaves. It holds for a template that shows each table once,
    which takes one draw; else one correction by the excess, then bisection. Returns
    whether the result fits (False only when even room 0 does not).
    """
    room = min(max(estimate, 0), ceiling)
    low, high = -1, ceiling + 1  # the largest room known to fit (-1: none yet), the smallest known not to
    best: T | None = None
    for step in range(_DRAWS):
        got, result = draw(room)
        if got < LIMIT:
            low, best = room, result
            if room == estimate:
                break
        else:
            high = room
        if high - low <= PRECISION or low == ceiling or high == 0:
            break
        if step == 0 and got >= LIMIT:
            room = max(room - (got - LIMIT + 1), 0)
        else:
            room = (max(low, 0) + high) // 2
    if best is None:
        got, best = draw(0)
        return got < LIMIT, best
    return True, best


def largest_count(high: int, fits: Callable[[int], bool]) -> int:
    """The largest n in 0..high for which ``fits(n)`` holds (0 if none does), by bisection:
    how many rows the digest shows.

    ``fits`` must hold for every n below one it holds for: more rows never make a text shorter.
    """
    low = 0
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
