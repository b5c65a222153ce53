"""One try of a job: its requests, paced hop by hop through redirects, and what its
answer means for the next try.

A try is a function that asks through :meth:`Try.get` and raises :class:`TryFailed` for
what another try may mend, or :class:`Refused` for what it will not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from daily_papers import HOMEPAGE, __version__
from daily_papers.printable import printable
from daily_papers.sources import http
from daily_papers.sources.pacing import Pacer
from daily_papers.sources.retry_after import retry_after_seconds

log = logging.getLogger(__name__)

USER_AGENT = f"daily-papers/{__version__} (+{HOMEPAGE})"
"""arXiv asks automated clients to name themselves and a contact."""

MAX_REDIRECTS = 3
"""Redirect hops a try follows; each is a request of its own, paced like the first."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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


class Try:
    """One try of a job: its requests go through the pacer, hop by hop."""

    def __init__(self, pacer: Pacer, timeout: float, wall_clock: Callable[[], datetime], *,
                 final: bool, believe_suspects: bool, not_before: float | None):
        self.pacer = pacer
        self.timeout = timeout
        """Seconds for each request, all of it (:func:`http.get`)."""
        self.wall_clock = wall_clock
        """Now, for a ``Retry-After`` given as a date."""
        self.final = final
        """No other try follows if this one fails."""
        self.believe_suspects = believe_suspects
        """No other try follows a suspect answer (empty or short): keep what comes."""
        self.not_before = not_before
        self.requests = 0

    def get(self, url: str) -> http.Response:
        """A 2xx or 4xx answer (but 429) for ``url``, following up to :data:`MAX_REDIRECTS`
        redirects to web addresses; raises :class:`TryFailed` for anything else."""
        for hop in range(MAX_REDIRECTS + 1):
            self.pacer.wait_turn(self.not_before if hop == 0 else None)
            self.requests += 1
            log.debug("GET %s", printable(url))
            try:
                response = http.get(url, timeout=self.timeout, headers={"User-Agent": USER_AGENT},
                                    on_send=self.pacer.mark_start)
            except http.HttpFailure as failure:
                raise TryFailed(str(failure)) from None
            status = response.status
            if status in _REDIRECTS:
                url = _redirect_target(response)
                log.info("HTTP %d: redirected to %s", status, printable(url))
                continue
            if status == 429 or status >= 500:
                raise TryFailed(f"HTTP {status}",
                                retry_after_seconds(response.headers.get("Retry-After"), self.wall_clock()))
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
