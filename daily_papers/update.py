"""The ``update`` run: fetch each keyword and merge it into the store.

A keyword that fails keeps what the store had for it; the others go on. The caller has
read and checked every store file before this writes anything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping
from datetime import datetime

from daily_papers.config import Config
from daily_papers.report import Observer, RunReport
from daily_papers.search import update_keyword
from daily_papers.sources import ArxivClient
from daily_papers.store import KeywordStore

log = logging.getLogger(__name__)


def run_update(
    config: Config,
    stores: MutableMapping[str, KeywordStore | None],
    client: ArxivClient,
    now: datetime,
    clock: Callable[[], float] = time.monotonic,
    observer: Observer | None = None,
) -> RunReport:
    """Fetch and merge every keyword in config order, saving each store file as soon as it
    is merged (a run stopped half-way keeps what it finished); the caller renders."""
    if config.source == "feed":
        from daily_papers.follow import run_feed  # feedparser and the feed's store, only when used

        return run_feed(config, stores, client, now, clock, observer)
    report = RunReport()
    for keyword in config.keywords:
        if observer:
            observer.keyword_started(keyword)
        entry = update_keyword(config, keyword, stores, client, now, clock, report.written)
        report.keywords.append(entry)
        if observer:
            observer.keyword_finished(entry)
    return report
