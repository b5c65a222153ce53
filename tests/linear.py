"""A check that a function's time grows linearly with its input, judged on a ratio and
never on seconds: the time of an input four times as big, against the time of the input.
Linear code gives about 4; quadratic code gives about 16."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

GROWTH = 4
LIMIT = 9.0
"""The ratio that fails: well above linear's 4 (noise, caches), well below quadratic's 16."""
_FLOOR = 0.004
"""Seconds the smaller input must take, so that the timer's resolution does not decide."""


def _best(run: Callable[[Any], object], value: Any, repeats: int = 3) -> float:
    """The least processor time of a few runs: other processes on the machine do not count."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run(value)
        best = min(best, time.process_time() - start)
    return best


def growth(make: Callable[[int], Any], run: Callable[[Any], object], size: int = 1000,
           largest: int = 1 << 20, attempts: int = 3) -> float:
    """How much longer ``run(make(4n))`` takes than ``run(make(n))``, the best of three runs
    each, with ``n`` doubled from ``size`` until the smaller input takes a few milliseconds.
    A ratio over :data:`LIMIT` is measured again (up to ``attempts`` times, the least
    kept): a pause of the machine can spoil one measure, not three."""
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        small_input = make(size)
        small = _best(run, small_input)
        while small < _FLOOR and size * GROWTH <= largest:
            size *= 2
            small_input = make(size)
            small = _best(run, small_input)
        big_input = make(size * GROWTH)
        ratio = float("inf")
        for _ in range(attempts):
            ratio = min(ratio, _best(run, big_input) / max(small, 1e-9))
            if ratio < LIMIT:
                break
            small = min(small, _best(run, small_input))
        return ratio
    finally:
        if gc_was_on:
            gc.enable()


def assert_linear(make: Callable[[int], Any], run: Callable[[Any], object], size: int = 1000,
                  largest: int = 1 << 20) -> None:
    ratio = growth(make, run, size, largest)
    assert ratio < LIMIT, f"an input {GROWTH} times as big took {ratio:.1f} times as long"
