"""The JSON store: one pretty-printed file per keyword, newest paper first.

The store is the only state daily-papers keeps. It is read whole and checked before a
run writes anything, and each file is replaced atomically.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daily_papers.config import SORT_KEYS
from daily_papers.files import write_atomic
from daily_papers.paper import Paper

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


class StoreError(Exception):
    """A store file cannot be read or does not match the schema; it is left untouched."""


@dataclass(frozen=True)
class KeywordStore:
    """What the store holds for one keyword."""

    keyword: str
    query: str
    """The arXiv query the papers came from; a different query starts the keyword afresh."""
    sort_by: str
    papers: tuple[Paper, ...]

    def answers(self, query: str, sort_by: str) -> bool:
        """True when these papers came from ``query`` in ``sort_by`` order, so new ones merge in.
        arXiv's search ignores case, so a keyword respelt in another case asks the same."""
        return self.query.casefold() == query.casefold() and self.sort_by == sort_by

    def to_json(self) -> str:
        data = {
            "schema": SCHEMA_VERSION,
            "keyword": self.keyword,
            "query": self.query,
            "sort_by": self.sort_by,
            "papers": [p.to_json() for p in self.papers],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
    except RecursionError:
        raise StoreError(f"{path}: not a store file (nested too deeply)") from None
    return _from_json(data, path)


def _from_json(data: Any, path: Path) -> KeywordStore:
    if not isinstance(data, dict):
        raise StoreError(f"{path}: expected a JSON object at the top")
    schema = data.get("schema")
    if schema != SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {schema!r}, but this daily-papers reads version {SCHEMA_VERSION}")
    for key in ("keyword", "query", "sort_by"):
        if not isinstance(data.get(key), str):
            raise StoreError(f"{path}: '{key}' must be text")
    if data["sort_by"] not in SORT_KEYS:
        raise StoreError(f"{path}: 'sort_by' is {data['sort_by']!r}, not one of {', '.join(SORT_KEYS)}")
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
    return KeywordStore(data["keyword"], data["query"], data["sort_by"], tuple(papers))


def load_stores(folder: Path, slugs: Iterable[str]) -> dict[str, KeywordStore | None]:
    """Every named keyword's stored papers; raises :class:`StoreError` on the first bad file."""
    return {slug: load_keyword(store_path(folder, slug)) for slug in slugs}


def save_keyword(path: Path, store: KeywordStore) -> bool:
    """Write one keyword's file atomically; False when it already held exactly this."""
    return write_atomic(path, store.to_json())


def merge_keyword(
    stored: KeywordStore | None, name: str, query: str, sort_by: str, papers: Iterable[Paper], max_papers: int
) -> tuple[KeywordStore, Merge]:
    """A keyword's new store: ``papers`` merged into what it held, or into nothing when it
    was written for another query or order (the old papers would not belong)."""
    base = stored.papers if stored else ()
    if stored and not stored.answers(query, sort_by):
        log.warning("%s: the query changed since the store was written; starting this keyword afresh", name)
        base = ()
    merged = merge(base, papers, max_papers, sort_by)
    return KeywordStore(name, query, sort_by, merged.papers), merged


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

    See :attr:`Paper.from_api` for how an imported record is told from an API one.
    """
    if candidate.version != current.version:
        return candidate.version > current.version
    if candidate == current:
        return False
    if candidate.from_api or current.from_api:
        return candidate.from_api
    return candidate.abstract is not None and current.abstract is None
