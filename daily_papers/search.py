"""One keyword by the arXiv search: ask, merge into its store, save, and say what it did.

A keyword that fails keeps what the store had for it. A change of query keeps the old
papers in the store's archive folder before the keyword starts afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from datetime import datetime
from pathlib import Path

from daily_papers.config import Config, Keyword
from daily_papers.merge import is_baseline, merge_keyword
from daily_papers.report import KeywordReport
from daily_papers.sources import ArxivClient, FetchError, build_search
from daily_papers.store import KeywordStore, save_archive, save_keyword, store_path

log = logging.getLogger(__name__)


def update_keyword(
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
    entry.baseline = is_baseline(stored, search.query)
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
    if archived is not None and (kept := save_archive(config.store, keyword.slug, archived, now)):
        written.append(kept)
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
