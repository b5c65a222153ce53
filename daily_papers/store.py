"""The JSON store: one pretty-printed file per keyword, newest paper first.

The store is the only state daily-papers keeps. It is read whole and checked before a
run writes anything, and each file is replaced atomically. Besides the papers, a
keyword's file records when arXiv last answered for it and which ids that answer
brought for the first time: the README's date, the digest and the site's "new" marks
are all read from here, so a render on any later day writes the same bytes. How an
answer merges into a keyword's papers is :mod:`daily_papers.merge`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
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
