"""Searches of the arXiv API: the query's URL, tries through the :mod:`retry` layer, and
the check that an answer holds what it promised."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from daily_papers.config import ArxivSettings
from daily_papers.paper import Paper
from daily_papers.printable import printable
from daily_papers.sources import api, query
from daily_papers.sources.breaker import Verdict
from daily_papers.sources.pacing import Pacer
from daily_papers.sources.retry import GaveUp, Outcome, Retrier
from daily_papers.sources.tries import Refused, Try, TryFailed

log = logging.getLogger(__name__)


class FetchError(Exception):
    """A search that could not be completed; ``message`` is printable text, ``url`` and
    ``retry`` (the last try's index) tell where, ``requests`` how many it sent."""

    def __init__(self, url: str, retry: int, message: str, *, requests: int):
        super().__init__(url, retry, message)
        self.url = url
        self.retry = retry
        self.message = message
        self.requests = requests

    def __str__(self) -> str:
        return f"{self.message} ({self.url})"


@dataclass(frozen=True)
class SearchResult:
    """What a search brought back and how many requests it took."""

    papers: tuple[Paper, ...]
    total_results: int
    requests: int


def api_page(current: Try, url: str, what: str) -> api.Page:
    """One answer of the API, parsed: a refusal (HTTP 4xx, or arXiv's error entry) in
    arXiv's own words, any broken answer a failed try."""
    response = current.get(url)
    if response.status >= 400:
        message = api.error_summary(response.body) or response.reason or "no explanation given"
        raise Refused(f"arXiv refused the {what} (HTTP {response.status}): {message}")
    try:
        return api.parse_page(response.body)
    except api.BadAnswer as bad:
        raise TryFailed(str(bad)) from None
    except api.ArxivRefusal as refusal:
        raise Refused(f"arXiv refused the {what}: {refusal}") from None


class ArxivClient:
    """Runs searches against the arXiv API with the configured spacing, timeout and retries.

    ``pacer`` may be shared with other sources of the same run: arXiv's one request every
    three seconds counts them together.
    """

    def __init__(
        self,
        settings: ArxivSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        pacer: Pacer | None = None,
    ):
        self.settings = settings
        self.retrier = Retrier(settings, pacer=pacer, clock=clock, sleep=sleep, rng=rng, wall_clock=wall_clock)

    def url_for(self, search: query.Search) -> str:
        return query.search_url(self.settings.url, search)

    def search(self, search: query.Search, *, expect_results: bool = False, label: str = "") -> SearchResult:
        """Fetch a search's papers, retrying what may pass; raises :class:`FetchError`.

        ``expect_results`` marks an empty answer as suspect (the keyword had papers
        before), so it is retried like a failure instead of being believed. ``label``
        names the search in the log (the keyword).
        """
        url = self.url_for(search)
        label = printable(label or search.query)

        def attempt(current: Try) -> Outcome[api.Page]:
            return self._try(current, url, search, expect_results, label)

        try:
            page, requests = self.retrier.run(label, attempt)
        except GaveUp as gave_up:
            raise FetchError(url, gave_up.retry, gave_up.message, requests=gave_up.requests) from None
        return SearchResult(page.papers, page.total_results, requests)

    def _try(self, current: Try, url: str, search: query.Search, expect_results: bool, label: str) -> Outcome[api.Page]:
        page = api_page(current, url, "query")
        for note in page.notes:
            log.warning("%s: %s", label, note)
        promised = page.promised(search.max_results)
        if page.entries == 0:
            if promised > 0:
                raise TryFailed(f"empty page although {page.total_results} papers match", outage=False)
            if expect_results:
                raise TryFailed("empty page for a keyword that had papers", outage=False)
            return Outcome(page, Verdict.HONEST_EMPTY)
        if page.entries < promised:
            if not current.believe_suspects:
                raise TryFailed(f"short page: {page.entries} of the {promised} papers promised", outage=False)
            log.warning("%s: arXiv sent %d of the %d papers it promised; keeping what came", label, page.entries,
                        promised)
            return Outcome(page, Verdict.SHORT)
        return Outcome(page)
