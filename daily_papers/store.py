"""The JSON store: one pretty-printed file per keyword, newest paper first.

The store is the only state daily-papers keeps. It is read whole and checked before a
run writes anything, and each file is replaced atomically. Besides the papers, a
keyword's file records when arXiv last answered for it and which ids that answer
brought for the first time: the README's date, the digest and the site's "new" marks
are all read from here, so a render on any later day writes the same bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from daily_papers.config import SORT_KEYS
from daily_papers.errors import DailyPapersError
from daily_papers.files import write_atomic
from daily_papers.jsontext import dumps_indented
from daily_papers.paper import Paper, format_timestamp, parse_timestamp

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
READABLE_SCHEMAS = (1, 2)
"""Version 1 had no fetch date, no new ids and no first-seen dates: it reads as "unknown"."""

FUTURE_SLACK = timedelta(days=1)
"""A paper dated more than this past "now" is refused: arXiv's clock is not ahead of ours
by a day, and such a date would sort above every genuine paper and push them out."""

ARCHIVE = "archive"
"""The store's sub-folder that keeps a keyword's papers when its query changes."""


class StoreError(DailyPapersError):
    """A store file cannot be read or does not match the schema; it is left untouched."""


@dataclass(frozen=True)
class KeywordStore:
    """What the store holds for one keyword."""

    keyword: str
    query: str
    """The arXiv query the papers came from; a different query archives them and starts afresh."""
    sort_by: str
    papers: tuple[Paper, ...]
    fetched: datetime | None = None
    """When arXiv last answered for this keyword; None before its first answer."""
    new: frozenset[str] = frozenset()
    """Ids that the answer at :attr:`fetched` brought for the first time."""
    updated: frozenset[str] = frozenset()
    """Ids that the answer at :attr:`fetched` brought in a newer version."""
    seen: frozenset[str] = frozenset()
    """Ids the keyword held once and no longer holds (past ``max_papers``): they are not new
    when arXiv sends them again."""

    def answers(self, query: str) -> bool:
        """True when these papers came from ``query``, so new ones merge in. arXiv's search
        ignores case, so a keyword respelt in another case asks the same."""
        return self.query.casefold() == query.casefold()

    def to_json(self) -> str:
        ids = [p.id for p in self.papers]
        data = {
            "schema": SCHEMA_VERSION,
            "keyword": self.keyword,
            "query": self.query,
            "sort_by": self.sort_by,
            "fetched": format_timestamp(self.fetched) if self.fetched else None,
            "new": [i for i in ids if i in self.new],
            "updated": [i for i in ids if i in self.updated],
            "seen": sorted(self.seen),
            "papers": [p.to_json() for p in self.papers],
        }
        return dumps_indented(data) + "\n"


@dataclass(frozen=True)
class Merge:
    """The outcome of merging fetched papers into a keyword's store."""

    papers: tuple[Paper, ...]
    new: tuple[Paper, ...]
    """Kept papers whose id the store did not hold before."""
    updated: tuple[Paper, ...]
    """Kept papers that replaced an older version of themselves."""


def store_path(folder: Path, slug: str) -> Path:
    return folder / f"{slug}.json"


def load_keyword(path: Path) -> KeywordStore | None:
    """Read one keyword's file; None when there is none yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(f"{path}: cannot be read: {err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise StoreError(f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except ValueError as err:  # a number of more digits than Python converts
        raise StoreError(f"{path}: not a store file ({err})") from None
    except RecursionError:
        raise StoreError(f"{path}: not a store file (nested too deeply)") from None
    return _from_json(data, path)


def _from_json(data: Any, path: Path) -> KeywordStore:
    if not isinstance(data, dict):
        raise StoreError(f"{path}: expected a JSON object at the top")
    schema = data.get("schema")
    if schema not in READABLE_SCHEMAS or isinstance(schema, bool):
        shown = repr(schema) if isinstance(schema, (int, str)) and len(str(schema)) < 20 else "unknown"
        raise StoreError(f"{path}: schema version {shown}, but this daily-papers reads versions "
                         f"{', '.join(map(str, READABLE_SCHEMAS))}")
    for key in ("keyword", "query", "sort_by"):
        if not isinstance(data.get(key), str):
            raise StoreError(f"{path}: '{key}' must be text")
    if data["sort_by"] not in SORT_KEYS:
        raise StoreError(f"{path}: 'sort_by' is {data['sort_by'][:40]!r}, not one of {', '.join(SORT_KEYS)}")
    raw_papers = data.get("papers")
    if not isinstance(raw_papers, list):
        raise StoreError(f"{path}: 'papers' must be a list")
    papers = []
    for index, raw in enumerate(raw_papers):
        try:
            if not isinstance(raw, dict):
                raise TypeError("expected an object")
            papers.append(Paper.from_json(raw))
        except (KeyError, TypeError, ValueError, AttributeError) as err:  # AttributeError: a wrong shape
            detail = f"missing {err}" if isinstance(err, KeyError) else str(err)
            raise StoreError(f"{path}: paper #{index + 1} is not valid: {detail}") from None
    fetched = data.get("fetched")
    try:
        when = parse_timestamp(fetched) if isinstance(fetched, str) else None
    except ValueError as err:
        raise StoreError(f"{path}: 'fetched' is not valid: {err}") from None
    if fetched is not None and not isinstance(fetched, str):
        raise StoreError(f"{path}: 'fetched' must be a timestamp or null")
    ids = {p.id for p in papers}
    return KeywordStore(
        data["keyword"], data["query"], data["sort_by"], tuple(papers), when,
        new=_ids(data, "new", path) & ids,
        updated=_ids(data, "updated", path) & ids,
        seen=_ids(data, "seen", path) - ids,
    )


def _ids(data: dict[str, Any], key: str, path: Path) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        raise StoreError(f"{path}: '{key}' must be a list of arXiv ids")
    return frozenset(value)


def load_stores(folder: Path, slugs: Iterable[str]) -> dict[str, KeywordStore | None]:
    """Every named keyword's stored papers; raises :class:`StoreError` on the first bad file."""
    return {slug: load_keyword(store_path(folder, slug)) for slug in slugs}


def save_keyword(path: Path, store: KeywordStore) -> bool:
    """Write one keyword's file atomically; False when it already held exactly this."""
    return write_atomic(path, store.to_json())


def archive_path(folder: Path, slug: str, when: datetime) -> Path:
    """``archive/<slug>.<YYYYMMDDTHHMMSSZ>.json``: one file per change of query, never reused."""
    stamp = format_timestamp(when).replace("-", "").replace(":", "")
    return folder / ARCHIVE / f"{slug}.{stamp}.json"


def save_archive(folder: Path, slug: str, archived: KeywordStore, now: datetime) -> Path | None:
    """Keep a keyword's store of its old query, whole, under the store's archive folder
    before its file is replaced, and say where; None when it held no papers."""
    if not archived.papers:
        return None
    path = archive_path(folder, slug, now)
    save_keyword(path, archived)
    log.warning("%s: the query changed; its %d papers for the old query are kept in %s (none of them is "
                "announced as new; `daily-papers import` brings them back)", archived.keyword,
                len(archived.papers), path)
    return path


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


def latest_new(stores: Mapping[str, KeywordStore | None]) -> dict[str, frozenset[str]]:
    """Slug -> the ids new in the newest run: the keywords whose last answer is the newest
    one any keyword had. A keyword that failed in that run announced its papers before."""
    last = last_fetched(stores)
    return {slug: s.new if s and s.fetched == last else frozenset() for slug, s in stores.items()}


def latest_updated(stores: Mapping[str, KeywordStore | None]) -> dict[str, frozenset[str]]:
    """Slug -> the ids that the newest run brought in a newer version."""
    last = last_fetched(stores)
    return {slug: s.updated if s and s.fetched == last else frozenset() for slug, s in stores.items()}


def last_fetched(stores: Mapping[str, KeywordStore | None]) -> datetime | None:
    """When arXiv last answered for any of these keywords (None: never)."""
    return max((s.fetched for s in stores.values() if s and s.fetched), default=None)


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
