"""How fetched papers merge into a keyword's store: one record per id, the newer version
winning in place, the newest ``max_papers`` kept, and which of them are new or updated
(what the digest announces). Pure functions of papers and stores; nothing is read or
written here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from daily_papers.paper import Paper, format_timestamp
from daily_papers.store import KeywordStore

log = logging.getLogger(__name__)

FUTURE_SLACK = timedelta(days=1)
"""A paper dated more than this past "now" is refused: arXiv's clock is not ahead of ours
by a day, and such a date would sort above every genuine paper and push them out."""

@dataclass(frozen=True)
class Merge:
    """The outcome of merging fetched papers into a keyword's store."""

    papers: tuple[Paper, ...]
    new: tuple[Paper, ...]
    """Kept papers whose id the store did not hold before."""
    updated: tuple[Paper, ...]
    """Kept papers that replaced an older version of themselves."""


def merge_keyword(
    stored: KeywordStore | None,
    name: str,
    query: str,
    sort_by: str,
    papers: Iterable[Paper],
    max_papers: int,
    now: datetime,
    *,
    fetched: bool = True,
) -> tuple[KeywordStore, Merge, KeywordStore | None]:
    """A keyword's new store: ``papers`` merged into what it held.

    ``fetched`` is True for an answer of arXiv (the store records ``now`` as its last
    answer and the ids that were new in it) and False for an import (nothing is new).
    A change of ``sort_by`` only re-sorts. A change of query starts the keyword afresh;
    the old store is returned as the third value, for the caller to archive, and the
    answer to the new query is a baseline: none of it is announced as new.
    Papers dated more than :data:`FUTURE_SLACK` past ``now`` are refused.
    """
    papers = _not_from_the_future(papers, now, name)
    archived = None
    base: KeywordStore | None = stored
    if stored and not stored.answers(query):
        archived, base = stored, None
    if base and base.sort_by != sort_by:
        log.info("%s: arxiv.sort_by changed from %s to %s; re-sorting the %d stored papers", name,
                 base.sort_by, sort_by, len(base.papers))
    held = base.papers if base else ()
    merged = merge(held, papers, max_papers, sort_by)
    versions = {p.id: p.version for p in held}
    first_seen = {p.id: p.first_seen for p in held}
    known = versions.keys() | (base.seen if base else frozenset())
    kept = tuple(p if p.first_seen is not None else replace(p, first_seen=first_seen.get(p.id, now))
                 for p in merged.papers)
    kept_ids = {p.id for p in kept}
    seen = frozenset(known - kept_ids)
    baseline = is_baseline(stored, query)
    new_ids = frozenset(p.id for p in merged.new if p.id not in known) if fetched and not baseline else frozenset()
    if fetched:
        updated_ids = frozenset(p.id for p in merged.updated if p.version > versions[p.id])
        store = KeywordStore(name, query, sort_by, kept, now, new_ids, updated_ids, seen)
    else:  # an import: the last answer's facts stay as they were
        store = KeywordStore(name, query, sort_by, kept, base.fetched if base else None,
                             (base.new if base else frozenset()) & kept_ids,
                             (base.updated if base else frozenset()) & kept_ids, seen)
    return store, Merge(kept, merged.new, merged.updated), archived


def is_baseline(stored: KeywordStore | None, query: str) -> bool:
    """Whether an answer to ``query`` would be the keyword's starting point, announcing
    nothing: it has no store yet, one for another query, or one never fetched nor filled."""
    return stored is None or not stored.answers(query) or (stored.fetched is None and not stored.papers)


def _not_from_the_future(papers: Iterable[Paper], now: datetime, name: str) -> list[Paper]:
    limit = now + FUTURE_SLACK
    kept: list[Paper] = []
    refused: list[Paper] = []
    for paper in papers:
        dates = [paper.updated] + ([paper.published] if paper.published else [])
        (refused if max(dates) > limit else kept).append(paper)
    if refused:
        log.warning("%s: refused %d paper%s dated more than a day ahead of now (%s): %s", name, len(refused),
                    "" if len(refused) == 1 else "s", format_timestamp(now),
                    ", ".join(f"{p.versioned_id} ({format_timestamp(p.updated)})" for p in refused[:5]))
    return kept


def merge(stored: Iterable[Paper], fetched: Iterable[Paper], max_papers: int, sort_by: str) -> Merge:
    """One entry per id, the newer version winning in place, newest ``max_papers`` kept.

    Order is stable: stored papers keep their order among equal dates and new ones
    follow them, so merging what the store already holds changes nothing.
    """
    by_id: dict[str, Paper] = {}
    for paper in stored:
        by_id.setdefault(paper.id, paper)
    before = dict(by_id)
    for paper in fetched:
        current = by_id.get(paper.id)
        if current is None or _newer(paper, current):
            by_id[paper.id] = paper
    ordered = sorted(by_id.values(), key=lambda p: p.sort_date(sort_by), reverse=True)[:max_papers]
    new = tuple(p for p in ordered if p.id not in before)
    updated = tuple(p for p in ordered if p.id in before and before[p.id] is not p)
    return Merge(tuple(ordered), new, updated)


def _newer(candidate: Paper, current: Paper) -> bool:
    """Whether ``candidate`` replaces ``current`` (same id): a higher version wins; at the
    same version a full API record beats an imported one and a fresh API record a stored
    one (its comment or journal reference may have changed), and an imported record
    replaces an imported one only when it adds the abstract.
    """
    if candidate.version != current.version:
        return candidate.version > current.version
    if candidate == current:
        return False
    if candidate.origin != current.origin:
        return candidate.origin == "arxiv"
    if candidate.origin == "arxiv":
        return True
    return candidate.abstract is not None and current.abstract is None
