"""The feed answers of the last announcement days, kept in the store's folder as
``<store>/_feed/<YYYY-MM-DD>.json`` (no keyword's file name starts with ``_``).

A day's file holds what the feed listed for each request and what the ``id_list``
lookups brought, so that a second run the same day asks nothing, ``preview`` works
offline, and the next day can tell a category whose feed did not move forward. Items
keep only what the feed says (no empty fields, one item a line); the last
:data:`KEEP_DAYS` days are kept.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from daily_papers.categories import covers
from daily_papers.files import write_atomic
from daily_papers.paper import Paper, parse_timestamp, split_id
from daily_papers.sources.feed import ANNOUNCE_TYPES, CANDIDATES, Announcement, Item

log = logging.getLogger(__name__)

FOLDER = "_feed"
KEEP_DAYS = 10
SCHEMA = 1
_NAME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.json")
MAX_FILE = 64 * 1024 * 1024
"""A kept day larger than this is not read (a real one is a few megabytes)."""


@dataclass
class Day:
    """One announcement day's kept answers."""

    day: date
    answers: list[Announcement] = field(default_factory=list)
    lookups: dict[str, Paper] = field(default_factory=dict)
    """Paper id (no version) -> the API's record, from ``id_list``."""

    def answered(self, category: str) -> bool:
        return any(category in a.categories for a in self.answers)

    def items(self) -> list[Item]:
        """Every item once, in the order the answers listed them."""
        seen: dict[str, Item] = {}
        for answer in self.answers:
            for item in answer.items:
                seen.setdefault(item.paper.id, item)
        return list(seen.values())

    def newest(self, category: str) -> str | None:
        """The newest id of a new submission or cross-list in ``category``: it moves forward
        every announcement day (replacements may be of old-style ids, which sort apart)."""
        ids = [i.paper.id for a in self.answers if category in a.categories for i in a.items
               if i.announce_type in CANDIDATES and any(covers(category, c) for c in i.paper.categories)]
        return max(ids, default=None)

    def to_json(self) -> str:
        lines = [f'{{"schema": {SCHEMA}, "day": "{self.day.isoformat()}", "answers": [']
        for index, answer in enumerate(self.answers):
            lines.append(json.dumps({"categories": list(answer.categories), "items": len(answer.items)}) + ",")
            lines += [json.dumps(_item_json(item), ensure_ascii=False) + "," for item in answer.items]
            lines.append("null" + ("," if index < len(self.answers) - 1 else ""))
        lines.append('], "lookups": [')
        papers = [self.lookups[k] for k in sorted(self.lookups)]
        lines += [json.dumps(_compact(p.to_json()), ensure_ascii=False) + ("," if i < len(papers) - 1 else "")
                  for i, p in enumerate(papers)]
        lines.append("]}")
        return "\n".join(lines) + "\n"


def folder(store: Path) -> Path:
    return store / FOLDER


def day_path(store: Path, day: date) -> Path:
    return folder(store) / f"{day.isoformat()}.json"


def kept_days(store: Path) -> list[date]:
    """The days kept, oldest first."""
    try:
        names = [p.name for p in folder(store).iterdir()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    days = []
    for name in names:
        found = _NAME.fullmatch(name)
        if found:
            try:
                days.append(date.fromisoformat(found[1]))
            except ValueError:
                continue
    return sorted(days)


def load_day(store: Path, day: date) -> Day | None:
    """A kept day, or None when there is none or it cannot be read (a kept day is a
    cache: a broken one is asked for again, and said so)."""
    path = day_path(store, day)
    try:
        if path.stat().st_size > MAX_FILE:
            raise ValueError(f"larger than {MAX_FILE} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
        return _from_json(data, day)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as err:
        log.warning("%s cannot be read and is not used: %s", path, str(err)[:200])
        return None


def save_day(store: Path, kept: Day) -> list[Path]:
    """Write a day's file whole and drop the days past the last :data:`KEEP_DAYS`; the
    paths written or removed."""
    path = day_path(store, kept.day)
    changed = [path] if write_atomic(path, kept.to_json()) else []
    days = kept_days(store)
    for old in days[:-KEEP_DAYS] if len(days) > KEEP_DAYS else []:
        stale = day_path(store, old)
        stale.unlink(missing_ok=True)
        changed.append(stale)
    return changed


def _item_json(item: Item) -> dict[str, Any]:
    paper = item.paper
    data: dict[str, Any] = {"type": item.announce_type, "id": paper.versioned_id,
                            "announced": paper.updated.isoformat().replace("+00:00", "Z"), "title": paper.title,
                            "authors": list(paper.authors), "abstract": paper.abstract,
                            "categories": list(paper.categories), "doi": paper.doi, "journal_ref": paper.journal_ref}
    return _compact(data)


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def _from_json(data: Any, day: date) -> Day:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError("not a kept feed day of this daily-papers")
    kept = Day(day)
    answers = data["answers"]
    if not isinstance(answers, list):
        raise TypeError("'answers' must be a list")
    current: tuple[tuple[str, ...], list[Item]] | None = None
    for row in answers:
        if row is None:
            if current is not None:
                kept.answers.append(Announcement(current[0], tuple(current[1]), day))
            current = None
        elif current is None:
            current = (tuple(_strings(row["categories"])), [])
        else:
            current[1].append(_item(row))
    if current is not None:
        raise ValueError("an answer without its end")
    for row in data["lookups"]:
        paper = Paper.from_json({**row, "authors": row.get("authors", []), "categories": row.get("categories", [])})
        kept.lookups[paper.id] = paper
    return kept


def _item(row: dict[str, Any]) -> Item:
    kind = row["type"]
    if kind not in ANNOUNCE_TYPES:
        raise ValueError(f"announce type {str(kind)[:40]!r}")
    paper_id, version = split_id(row["id"])
    categories = tuple(_strings(row.get("categories", [])))
    paper = Paper(id=paper_id, version=version, title=row["title"], updated=parse_timestamp(row["announced"]),
                  authors=tuple(_strings(row.get("authors", []))), abstract=row.get("abstract"),
                  categories=categories, primary_category=categories[0] if categories else None,
                  doi=row.get("doi"), journal_ref=row.get("journal_ref"))
    return Item(Paper.from_json(paper.to_json()), kind)  # the store's own checks on every field


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of text")
    return value
