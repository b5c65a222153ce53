"""Asking the arXiv API for a keyword's newest papers, politely and without being fooled.

The ``arxiv`` package supplies the search value (:class:`arxiv.Search`) and the error
type (:class:`arxiv.ArxivError`, which carries the URL and the try number). Its
``Client`` is not used for the request itself because it has no HTTP timeout, ignores
``Retry-After``, spaces requests from the *end* of the previous answer, and returns a
truncated feed as a shorter list. This module owns those parts: start-to-start spacing,
a timeout on every request, backoff with jitter, ``Retry-After``, and a strict parse
(``feedparser``) whose entry count is checked against what the feed promised.
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import random
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode

import arxiv
import feedparser

from daily_papers import HOMEPAGE, __version__
from daily_papers.config import ArxivSettings
from daily_papers.paper import Paper, normalize_space, parse_timestamp, split_id

log = logging.getLogger(__name__)

USER_AGENT = f"daily-papers/{__version__} (+{HOMEPAGE})"


OUTAGE_KEYWORDS = 3
"""After this many keywords in a row gave up on a failing service, the rest are not asked."""


class FetchError(arxiv.ArxivError):
    """A search that could not be completed; ``url`` and ``retry`` (the last try's index) tell where."""

    def __init__(self, url: str, retry: int, message: str, *, asked: bool = True):
        super().__init__(url, retry, message)
        self.requests = retry + 1 if asked else 0
        """How many requests the search sent."""


class _TryFailed(Exception):
    """One try went wrong in a way another try may not; ``retry_after`` is the server's wish.

    ``outage`` tells a failing service (an HTTP error, the network, a cut or broken
    answer) from an answer that is only suspect for this query (empty, or short).
    """

    def __init__(self, reason: str, retry_after: float | None = None, *, outage: bool = True):
        super().__init__(reason)
        self.retry_after = retry_after
        self.outage = outage


@dataclass(frozen=True)
class Page:
    """One parsed answer of the API."""

    total_results: int
    start_index: int
    items_per_page: int
    """The page size the service applied; 0 when it did not say."""
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class SearchResult:
    """What a search brought back and how many requests it took."""

    papers: tuple[Paper, ...]
    total_results: int
    requests: int


class Pacer:
    """Keeps the *starts* of consecutive requests at least ``delay`` seconds apart.

    Spacing start to start lets the service's own answer time count towards the gap;
    the first request never waits.
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

    def wait_turn(self, not_before: float | None = None) -> None:
        """Sleep until a request may start (and not before ``not_before``), then mark its start."""
        target = not_before if not_before is not None else float("-inf")
        if self._last_start is not None:
            target = max(target, self._last_start + self.delay + self.MARGIN)
        now = self.clock()
        if target > now:
            self.sleep(target - now)
        self._last_start = self.clock()


class ArxivClient:
    """Runs searches against the arXiv API with the configured spacing, timeout and retries."""

    def __init__(
        self,
        settings: ArxivSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ):
        self.settings = settings
        self.pacer = Pacer(settings.delay_seconds, clock, sleep)
        self.clock = clock
        self.rng = rng or random.Random()
        self.wall_clock = wall_clock
        self._resume_at: float | None = None
        """No request before this (clock time): a ``Retry-After`` that came with a final failure."""
        self.failed_in_a_row = 0
        """Searches in a row that gave up on the service (not on the query): while any
        did, the next gets a single try, and after :data:`OUTAGE_KEYWORDS` none is sent,
        so an outage costs one keyword's retries, not every keyword's."""
        self._deadline: float | None = None
        """No try starts after this (clock time): ``max_total_seconds`` from the first search."""

    def url_for(self, search: arxiv.Search) -> str:
        """The request URL for a search: one page holding all ``max_results``."""
        params = {
            "search_query": search.query,
            "start": 0,
            "max_results": search.max_results,
            "sortBy": search.sort_by.value,
            "sortOrder": search.sort_order.value,
        }
        return f"{self.settings.url}?{urlencode(params)}"

    def search(self, search: arxiv.Search, *, expect_results: bool = False, label: str = "") -> SearchResult:
        """Fetch a search's papers, retrying what may pass; raises :class:`FetchError`.

        ``expect_results`` marks an empty answer as suspect (the keyword had papers
        before), so it is retried like a failure instead of being believed. ``label``
        names the search in the log (the keyword).
        """
        url = self.url_for(search)
        label = label or search.query
        if self._deadline is None:
            self._deadline = self.clock() + self.settings.max_total_seconds
        if self.failed_in_a_row >= OUTAGE_KEYWORDS:
            raise FetchError(url, 0, f"not asked: arXiv failed for the {self.failed_in_a_row} keywords before",
                             asked=False)
        if max(self.clock(), self._resume_at or 0.0) >= self._deadline:
            raise FetchError(url, 0, "not asked: the run's time for arXiv is spent "
                             f"(arxiv.max_total_seconds: {self.settings.max_total_seconds:g})", asked=False)
        last = self.settings.retries if self.failed_in_a_row == 0 else 0
        not_before = self._resume_at
        for attempt in range(last + 1):
            self.pacer.wait_turn(not_before)
            try:
                page = self._request(url, attempt)
                papers = self._check(page, search, expect_results, final=attempt == last, label=label)
            except _TryFailed as failure:
                wait = self._backoff(attempt, failure, label)
                out_of_time = self.clock() + wait > self._deadline
                if attempt == last or out_of_time:
                    self.failed_in_a_row += failure.outage
                    if failure.retry_after is not None:
                        # arXiv's wish is about this client, not this query: the next search honours it.
                        self._resume_at = self.clock() + wait
                    tries = f"{attempt + 1} tr{'y' if attempt == 0 else 'ies'}"
                    why = " (no time left for more: arxiv.max_total_seconds)" if attempt < last else ""
                    raise FetchError(url, attempt, f"gave up after {tries}{why}; last: {failure}") from None
                log.warning("%s: try %d of %d failed: %s; trying again in %.3g s", label, attempt + 1,
                            last + 1, failure, wait)
                not_before = self.clock() + wait
            else:
                self.failed_in_a_row = 0
                return SearchResult(papers, page.total_results, attempt + 1)
        raise AssertionError("unreachable")  # the last try returns or raises

    def _backoff(self, attempt: int, failure: _TryFailed, label: str) -> float:
        """Exponential backoff with jitter, or the server's ``Retry-After`` (capped) when given."""
        cap = self.settings.max_retry_after_seconds
        if failure.retry_after is not None:
            if failure.retry_after > cap:
                log.warning("%s: arXiv asked to wait %.3g s (Retry-After); waiting %.3g s "
                            "(arxiv.max_retry_after_seconds)", label, failure.retry_after, cap)
            else:
                log.info("%s: arXiv asked to wait %.3g s (Retry-After)", label, failure.retry_after)
            return min(failure.retry_after, cap)
        return self.settings.backoff_seconds * 2**attempt * (1 + 0.25 * self.rng.random())

    def _request(self, url: str, attempt: int) -> Page:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        timeout = self.settings.timeout_seconds
        log.debug("GET %s (try %d)", url, attempt + 1)
        # The deadline is real time, whatever clock paces the requests: it is about the network.
        deadline = time.monotonic() + timeout
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = _read_by(response, deadline, timeout)
        except urllib.error.HTTPError as err:
            body = _read_quietly(err)
            if err.code == 429 or err.code >= 500:
                raise _TryFailed(f"HTTP {err.code}", self._retry_after(err.headers.get("Retry-After"))) from None
            message = _error_summary(body) or err.reason or "no explanation given"
            raise FetchError(url, attempt, f"arXiv refused the query (HTTP {err.code}): {message}") from None
        except (TimeoutError, socket.timeout):
            raise _TryFailed(f"no answer within {timeout:g} s") from None
        except http.client.IncompleteRead as err:
            raise _TryFailed(f"answer cut short after {len(err.partial)} bytes") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _TryFailed(f"no answer within {timeout:g} s") from None
            raise _TryFailed(f"connection failed: {reason}") from None
        page = parse_page(body)
        error = _error_summary(body) if not page.papers else None
        if error:
            raise FetchError(url, attempt, f"arXiv refused the query: {error}")
        return page

    def _check(self, page: Page, search: arxiv.Search, expect_results: bool, *, final: bool,
               label: str) -> tuple[Paper, ...]:
        """Reject pages that hold less than the feed promised, and suspect empty ones."""
        wanted = search.max_results or 0
        if page.items_per_page:
            wanted = min(wanted, page.items_per_page)
        promised = max(0, min(wanted, page.total_results - page.start_index))
        got = len(page.papers)
        if got == 0 and (promised > 0 or expect_results):
            raise _TryFailed("empty page" + (f" although {page.total_results} papers match" if promised else
                                             " for a keyword that had papers"), outage=False)
        if got < promised:
            if not final:
                raise _TryFailed(f"short page: {got} of the {promised} papers promised", outage=False)
            log.warning("%s: arXiv sent %d of the %d papers it promised; keeping what came", label, got, promised)
        return page.papers

    def _retry_after(self, value: str | None) -> float | None:
        """``Retry-After`` as seconds from now; it may be a number or an HTTP date."""
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - self.wall_clock()).total_seconds())


def parse_page(body: bytes) -> Page:
    """Parse one API answer strictly; raises :class:`_TryFailed` for anything cut or broken."""
    parsed = feedparser.parse(body)
    if parsed.bozo:
        raise _TryFailed(f"malformed feed: {parsed.get('bozo_exception')}")
    feed = parsed.feed
    if "opensearch_totalresults" not in feed:
        # Not an answer of the API (a proxy's page, say): its emptiness proves nothing.
        raise _TryFailed("not an arXiv API answer: no opensearch:totalResults")
    try:
        total = int(feed["opensearch_totalresults"])
        start = int(feed.get("opensearch_startindex", 0))
        per_page = int(feed.get("opensearch_itemsperpage", 0))
        papers = tuple(entry_to_paper(e) for e in parsed.entries if "/api/errors" not in e.get("id", ""))
    except (KeyError, ValueError, TypeError, AttributeError) as err:
        raise _TryFailed(f"malformed feed: {err!r}") from None
    return Page(total, start, per_page, papers)


def entry_to_paper(entry: feedparser.FeedParserDict) -> Paper:
    """One Atom ``<entry>`` of the API as a :class:`Paper`, whitespace normalised."""
    versioned = entry["id"].rsplit("/abs/", 1)[-1]
    paper_id, version = split_id(versioned)
    links = entry.get("links", [])
    abs_url = next((link["href"] for link in links if link.get("rel") == "alternate"), None)
    pdf_url = next((link["href"] for link in links if link.get("title") == "pdf"), None)
    primary = entry.get("arxiv_primary_category") or {}
    return Paper(
        id=paper_id,
        version=version,
        title=normalize_space(entry["title"]),
        updated=parse_timestamp(entry["updated"]),
        published=parse_timestamp(entry["published"]) if entry.get("published") else None,
        authors=tuple(normalize_space(a.get("name", "")) for a in entry.get("authors", []) if a.get("name")),
        abstract=normalize_space(entry.get("summary", "")),
        comment=_optional(entry.get("arxiv_comment")),
        categories=tuple(t["term"] for t in entry.get("tags", []) if t.get("term")),
        primary_category=primary.get("term") or None,
        doi=_optional(entry.get("arxiv_doi")),
        journal_ref=_optional(entry.get("arxiv_journal_ref")),
        abs_url=abs_url,
        pdf_url=pdf_url,
    )


def _optional(text: str | None) -> str | None:
    text = normalize_space(text or "")
    return text or None


def _error_summary(body: bytes) -> str | None:
    """arXiv's own explanation from an error feed (``<entry><title>Error</title><summary>…``)."""
    if not body:
        return None
    parsed = feedparser.parse(body)
    for entry in parsed.entries:
        if entry.get("title", "").strip().lower() == "error" or "/api/errors" in entry.get("id", ""):
            return normalize_space(entry.get("summary", "")) or None
    return None


def _read_by(response: http.client.HTTPResponse, deadline: float, timeout: float) -> bytes:
    """The whole body, or :class:`_TryFailed` if it is still arriving at ``deadline`` or ends
    before its ``Content-Length``.

    The socket timeout alone only limits each silence; an answer trickling in byte by
    byte would never end. ``read1`` returns after one system call, so the deadline is
    checked at least once per ``timeout`` seconds.
    """
    expected = response.length
    chunks: list[bytes] = []
    received = 0
    while chunk := response.read1(1 << 16):
        chunks.append(chunk)
        received += len(chunk)
        if expected is not None and received >= expected:
            break
        if time.monotonic() > deadline:
            raise _TryFailed(f"answer still arriving after {timeout:g} s ({received} bytes so far)")
    if expected is not None and received < expected:
        raise _TryFailed(f"answer cut short: {received} of {expected} bytes")
    return b"".join(chunks)


def _read_quietly(err: urllib.error.HTTPError) -> bytes:
    try:
        return err.read()
    except (OSError, http.client.HTTPException):
        return b""
