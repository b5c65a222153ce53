"""The ``update`` run: fetch each keyword and merge it into the store.

A keyword that fails keeps what the store had for it; the others go on. The caller has
read and checked every store file before this writes anything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from daily_papers.config import Config, Keyword
from daily_papers.sources import ArxivClient, FetchError, build_search
from daily_papers.store import (
    KeywordStore,
    archive_path,
    merge_keyword,
    save_keyword,
    store_path,
)

if TYPE_CHECKING:
    from daily_papers.follow import FeedReport

log = logging.getLogger(__name__)


@dataclass
class KeywordReport:
    """What one keyword's update did."""

    keyword: Keyword
    query: str
    fetched: int = 0
    new: int = 0
    """Papers this keyword never had (a baseline answer, after a change of query, has none)."""
    updated: int = 0
    """Papers it had that came in a newer version."""
    kept: int = 0
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None
    new_ids: frozenset[str] = frozenset()


@dataclass
class RunReport:
    """What a whole ``update`` did; the CLI turns it into logs, outputs and an exit status."""

    keywords: list[KeywordReport] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    quiet: str | None = None
    """With ``source: feed``, why the day brought nothing (a weekend, an arXiv holiday), for
    the log and the job summary; None otherwise."""
    feed: FeedReport | None = None
    """With ``source: feed``, what the feed side did (requests, stale categories)."""

    @property
    def new_papers(self) -> int:
        """New papers, each once however many keywords found it: what the digest announces."""
        return len(frozenset().union(*(k.new_ids for k in self.keywords)))

    @property
    def answered(self) -> bool:
        """True when arXiv answered for at least one keyword."""
        return any(not k.error for k in self.keywords)

    @property
    def failed(self) -> list[KeywordReport]:
        return [k for k in self.keywords if k.error]


class Observer(Protocol):
    """Told about each keyword as the run goes (the GitHub Actions output uses this)."""

    def keyword_started(self, keyword: Keyword) -> None: ...

    def keyword_finished(self, entry: KeywordReport) -> None: ...


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
        from daily_papers.follow import run_feed

        return run_feed(config, stores, client, now, clock, observer)
    report = RunReport()
    for keyword in config.keywords:
        if observer:
            observer.keyword_started(keyword)
        entry = _update_keyword(config, keyword, stores, client, now, clock, report.written)
        report.keywords.append(entry)
        if observer:
            observer.keyword_finished(entry)
    return report


def _update_keyword(
    config: Config,
    keyword: Keyword,
    stores: MutableMapping[str, KeywordStore | None],
    client: ArxivClient,
    now: datetime,
    clock: Callable[[], float],
    written: list[Path],
) -> KeywordReport:
    started = clock()
    search = build_search(keyword, config)
    entry = KeywordReport(keyword, search.query)
    stored = stores.get(keyword.slug)
    had_papers = bool(stored and stored.papers and stored.answers(search.query))
    try:
        result = client.search(search, expect_results=had_papers, label=keyword.name)
    except FetchError as err:
        entry.error = err.message
        entry.requests = err.requests
        entry.kept = len(stored.papers) if stored else 0
        entry.seconds = clock() - started
        log.error("%s: not updated, %d stored papers kept: %s (query: %s)", keyword.name, entry.kept,
                  err.message, search.query)
        return entry
    new_store, merged, archived = merge_keyword(stored, keyword.name, search.query, config.arxiv.sort_by,
                                                result.papers, config.max_papers, now)
    if archived is not None:
        written += keep_archived(config, keyword, archived, now)
    path = store_path(config.store, keyword.slug)
    if save_keyword(path, new_store):
        written.append(path)
    stores[keyword.slug] = new_store
    entry.fetched = len(result.papers)
    entry.new = len(new_store.new)
    entry.new_ids = new_store.new
    entry.updated = len(new_store.updated)
    entry.kept = len(merged.papers)
    entry.requests = result.requests
    entry.seconds = clock() - started
    log.info("%s: fetched %d, new %d, updated %d, kept %d (%d request%s, %.1f s)", keyword.name, entry.fetched,
             entry.new, entry.updated, entry.kept, entry.requests, "" if entry.requests == 1 else "s",
             entry.seconds)
    return entry


def keep_archived(config: Config, keyword: Keyword, archived: KeywordStore, now: datetime) -> list[Path]:
    """Write a keyword's store of its old query under the store's archive folder, whole,
    before its file is replaced; returns the path written (none when it had no papers)."""
    if not archived.papers:
        return []
    path = archive_path(config.store, keyword.slug, now)
    save_keyword(path, archived)
    log.warning("%s: the query changed; its %d papers for the old query are kept in %s (a baseline for the "
                "new query is fetched, and none of it is announced as new)", keyword.name, len(archived.papers),
                path)
    return [path]
