"""The typed value that every stage of the pipeline passes on: one arXiv paper."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

ARXIV_ID = r"[0-9]{4}\.[0-9]{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/[0-9]{7}"
"""An arXiv id without version: new-style (``2505.20241``) or old-style (``hep-th/0601001``)."""
_ID = re.compile(ARXIV_ID)

_VERSIONED_ID = re.compile(r"^(?P<id>.+?)v(?P<version>\d+)$")


def normalize_space(text: str) -> str:
    """Collapse the line wrapping and runs of spaces arXiv puts into free text."""
    return " ".join(text.split())


def split_id(versioned: str) -> tuple[str, int]:
    """``2505.20241v2`` -> (``2505.20241``, 2); an id without a version is version 1."""
    match = _VERSIONED_ID.match(versioned)
    if match is None:
        return versioned, 1
    return match["id"], int(match["version"])


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 timestamp (``Z`` or an offset) into an aware UTC datetime.

    Raises ValueError for anything else, including a valid time whose UTC equivalent lies
    outside the years 1 to 9999 (``0001-01-01T00:00:00+01:00``), and for text too long to
    be a timestamp."""
    if len(text) > 64:
        raise ValueError(f"not a timestamp: {text[:64]!r}...")
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"{text!r} is outside the years 1 to 9999 in UTC") from None


def format_timestamp(value: datetime) -> str:
    """The one timestamp format of the store and the feeds (RFC 3339 in UTC, as Atom wants
    it): ``2025-05-26T17:59:46Z``. Written out, as it is faster than ``strftime``, and
    feeds have two for every paper."""
    t = value.astimezone(timezone.utc)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (t.year, t.month, t.day, t.hour, t.minute, t.second)


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, else None: a link from the data never gets another
    scheme (``javascript:``, ``data:``) into the page."""
    if url and url[:8].lower().startswith(("https://", "http://")):
        return url
    return None


Origin = Literal["arxiv", "import"]
"""Where a record came from: arXiv itself (the API, or the feed's lookup), or a table of an
older tool's README read by ``daily-papers import``."""
ORIGINS: tuple[Origin, ...] = ("arxiv", "import")


@dataclass(frozen=True)
class Paper:
    """One version of one arXiv paper, as the API or an imported README described it.

    Papers imported from an older tool's README carry only what that README had, so
    everything but the id, version, title and updated date may be empty.
    """

    id: str
    """The arXiv id without version: ``2505.20241`` or ``hep-th/0601001``."""
    version: int
    title: str
    updated: datetime
    """When this version appeared (UTC)."""
    published: datetime | None = None
    """When the first version appeared (UTC)."""
    authors: tuple[str, ...] = ()
    abstract: str | None = None
    comment: str | None = None
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    abs_url: str | None = None
    """The abstract page of this version, as arXiv linked it."""
    pdf_url: str | None = None
    origin: Origin = "arxiv"
    """An imported record carries only what the older README showed, so an arXiv record of
    the same version replaces it."""
    first_seen: datetime | None = field(default=None, compare=False)
    """When the keyword's store first held this paper (any version); None for papers stored
    before daily-papers recorded it. Not part of equality: it is the store's fact, not arXiv's."""

    @property
    def versioned_id(self) -> str:
        return f"{self.id}v{self.version}"

    @property
    def link(self) -> str:
        """The abstract page of this version; built from the id when none (or no web link) was given."""
        return web_url(self.abs_url) or f"https://arxiv.org/abs/{self.versioned_id}"

    def sort_date(self, sort_by: str) -> datetime:
        """The date papers are ordered and shown by: ``submittedDate`` or ``lastUpdatedDate``."""
        if sort_by == "submittedDate" and self.published is not None:
            return self.published
        return self.updated

    def to_json(self) -> dict[str, Any]:
        """The store's representation: plain JSON types, fixed key order."""
        data: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "authors": list(self.authors),
            "abstract": self.abstract,
            "comment": self.comment,
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "published": format_timestamp(self.published) if self.published else None,
            "updated": format_timestamp(self.updated),
            "links": {"abstract": self.abs_url, "pdf": self.pdf_url},
            "doi": self.doi,
            "journal_ref": self.journal_ref,
        }
        if self.origin != "arxiv":
            data["origin"] = self.origin
        if self.first_seen is not None:
            data["first_seen"] = format_timestamp(self.first_seen)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Paper:
        """Inverse of :meth:`to_json`; raises ``KeyError``/``TypeError``/``ValueError`` on bad data."""
        links = data.get("links", {})
        if not isinstance(links, dict):
            raise TypeError(f"expected 'links' to be an object, got {links!r}")
        published = data.get("published")
        first_seen = data.get("first_seen")
        primary = _opt_str(data.get("primary_category"))
        return cls(
            id=_id(data["id"]),
            version=_int(data["version"]),
            title=_str(data["title"]),
            updated=parse_timestamp(_str(data["updated"])),
            published=parse_timestamp(_str(published)) if published is not None else None,
            authors=tuple(_str(a) for a in _list(data.get("authors", []))),
            abstract=_opt_str(data.get("abstract")),
            comment=_opt_str(data.get("comment")),
            categories=tuple(_str(c) for c in _list(data.get("categories", []))),
            primary_category=primary,
            doi=_opt_str(data.get("doi")),
            journal_ref=_opt_str(data.get("journal_ref")),
            abs_url=_opt_str(links.get("abstract")),
            pdf_url=_opt_str(links.get("pdf")),
            origin=_origin(data.get("origin"), published is not None or primary is not None),
            first_seen=parse_timestamp(_str(first_seen)) if first_seen is not None else None,
        )


_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_VERSION = 1000
"""No arXiv paper comes near this many versions; a larger number is damage, not data."""


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_brief(value)}")
    if not value.isascii() and _SURROGATE.search(value):  # the test of isascii is the fast one
        raise ValueError("text with a lone surrogate, which no UTF-8 file can hold")
    return value


def _origin(value: Any, arxiv_shaped: bool) -> Origin:
    """The recorded origin; a store written before origins were recorded tells an imported
    record by what no older README had: the published date and the primary category."""
    if value is None:
        return "arxiv" if arxiv_shaped else "import"
    for origin in ORIGINS:
        if value == origin:
            return origin
    raise ValueError(f"origin {_brief(value)} is not one of {', '.join(ORIGINS)}")


def _id(value: Any) -> str:
    text = _str(value)
    if not _ID.fullmatch(text):
        raise ValueError(f"{_brief(text)} is not an arXiv id")
    return text


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {_brief(value)}")
    if not 1 <= value <= MAX_VERSION:
        raise ValueError(f"version {_brief(value)} is not from 1 to {MAX_VERSION}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {_brief(value)}")
    return value


def _brief(value: Any) -> str:
    """A value for an error message, never longer than a line (a store can hold anything)."""
    if isinstance(value, int) and abs(value) >= 10**40:
        return f"a {type(value).__name__} of many digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
