"""The ``Retry-After`` header, read without trusting it: it is the server's text."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timezone

_DELTA_SECONDS = re.compile(r"[0-9]{1,12}")
"""``Retry-After`` in seconds: ASCII digits only (``str.isdigit`` also takes ``²``)."""


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
