"""arXiv's announcement feed (``https://rss.arxiv.org/atom/cs.LG+cs.CL``): the day's new
papers, cross-lists and replacements of several categories in one request.

:func:`parse_feed` is pure. It reads with ``feedparser``, which knows Atom and the
namespaces arXiv's feed service writes (``dc:creator``, ``arxiv:announce_type``), and
refuses what is not a whole feed. Each item becomes a :class:`Paper` with what the feed
has; the comment and the submission dates come from an API ``id_list`` lookup later.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import feedparser

from daily_papers.paper import Paper, parse_timestamp
from daily_papers.printable import printable
from daily_papers.sources import api
from daily_papers.sources.api import (
    MAX_ABSTRACT,
    MAX_AUTHOR_NAME,
    MAX_AUTHORS,
    MAX_CATEGORIES,
    MAX_TITLE,
)
from daily_papers.sources.breaker import Verdict
from daily_papers.sources.client import api_page
from daily_papers.sources.retry import GaveUp, Outcome, Retrier
from daily_papers.sources.tries import Refused, Try, TryFailed

ARXIV_TZ = ZoneInfo("America/New_York")
"""arXiv's business day: the feed is rebuilt around midnight there."""

FEED_CAP = 2000
"""Items the feed service sends at most; a feed that holds this many may lack some."""
MAX_ITEMS = 5000
"""Items read at most from one answer (more than the service ever sends)."""
MAX_FIELD = 2_000
"""Characters a DOI, journal reference or category may have; longer ones are cut and
noted (the other fields have the API's limits)."""

ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")
CANDIDATES = ("new", "cross")
"""Announce types that bring a paper to a keyword; the others only update one it holds."""

_ID = re.compile(r"(?:oai:arXiv\.org:|arXiv:)?(?P<id>[0-9]{4}\.[0-9]{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/[0-9]{7})"
                 r"v(?P<version>[0-9]{1,6})")
_PREFIX = re.compile(r"arXiv:(?P<id>\S{1,60}) Announce Type: (?P<type>[a-z-]{1,20})\s{0,20}Abstract: ")
"""The head of each summary: ``arXiv:2512.01234v1 Announce Type: new \\nAbstract: ``."""
ERROR_TITLE = "Feed error for query"


class BadFeed(Exception):
    """An answer that is not a whole feed (cut, broken, a proxy's page): another try may do."""


class FeedRefused(Exception):
    """The feed service's own error (``Feed error for query``): its words are the message."""


@dataclass(frozen=True)
class Item:
    """One announcement: a paper (as the feed tells it) and why it is listed today."""

    paper: Paper
    announce_type: str


@dataclass(frozen=True)
class Announcement:
    """One feed answer: the items of ``categories`` on ``day``."""

    categories: tuple[str, ...]
    items: tuple[Item, ...]
    day: date | None = None
    """The announcement's date (arXiv's time zone); None for an empty feed."""
    notes: tuple[str, ...] = ()
    """What the parse dropped or cut, printable, for the log."""

    @property
    def capped(self) -> bool:
        """The feed holds as many items as the service sends at most."""
        return len(self.items) >= FEED_CAP

    @property
    def complete_candidates(self) -> bool:
        """Every new submission and cross-list is here: the feed is not capped, or the cap
        cut only replacements (which the service lists after them)."""
        return not self.capped or any(i.announce_type not in CANDIDATES for i in self.items)


def feed_url(base: str, categories: tuple[str, ...]) -> str:
    """``base`` (ending with ``/``) and the categories joined with ``+``."""
    return base + "+".join(categories)


def parse_feed(body: bytes, asked: tuple[str, ...]) -> Announcement:
    """One feed answer; raises :class:`BadFeed` or :class:`FeedRefused`. Items that cannot be
    papers are dropped and noted, never raised."""
    if not body.strip():
        raise BadFeed("not an arXiv feed: an empty body")
    if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body:
        raise BadFeed("not an arXiv feed: it has a DOCTYPE")
    # A file object: given bytes, feedparser first tries them as a path and reads that file.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        raise BadFeed(f"malformed feed: {printable(str(parsed.get('bozo_exception'))[:200])}")
    if parsed.get("version") != "atom10":
        raise BadFeed("not an arXiv feed: no Atom feed")
    title = api.clean(parsed.feed.get("title", ""))
    if title.startswith(ERROR_TITLE):
        detail = api.clean(parsed.feed.get("subtitle", ""))[:MAX_FIELD] or title[:MAX_FIELD]
        raise FeedRefused(printable(detail))
    notes: list[str] = []
    entries = parsed.entries
    if len(entries) > MAX_ITEMS:
        notes.append(f"read the first {MAX_ITEMS} items of {len(entries)}")
        entries = entries[:MAX_ITEMS]
    items = tuple(item for entry in entries if (item := _item(entry, notes)) is not None)
    day = next((i.paper.updated.astimezone(ARXIV_TZ).date() for i in items), None)
    return Announcement(tuple(asked), items, day, tuple(notes))


def _item(entry: feedparser.FeedParserDict, notes: list[str]) -> Item | None:
    summary = str(entry.get("summary", ""))
    prefix = _PREFIX.match(summary)
    raw_id = str(entry.get("id", ""))
    found = _ID.fullmatch(raw_id.strip()) or (_ID.fullmatch(prefix["id"]) if prefix else None)
    if found is None:
        notes.append(f"dropped an item whose id is not an arXiv id: {printable(raw_id[:200])!r}")
        return None
    name = f"{found['id']}v{found['version']}"
    kind = str(entry.get("arxiv_announce_type", "")).strip() or (prefix["type"] if prefix else "")
    if kind not in ANNOUNCE_TYPES:
        notes.append(f"dropped {name}: announce type {printable(kind[:40])!r} is not one of "
                     f"{', '.join(ANNOUNCE_TYPES)}")
        return None
    try:
        announced = parse_timestamp(str(entry.get("published") or entry.get("updated") or ""))
    except ValueError:
        notes.append(f"dropped {name}: no announcement date")
        return None
    cut = api.FieldCutter(name, notes)
    title = cut(str(entry.get("title", "")), MAX_TITLE, "the title")
    if not title:
        notes.append(f"dropped {name}: no title")
        return None
    abstract = summary[prefix.end():] if prefix else summary
    categories = [cut(str(t.get("term") or ""), MAX_FIELD, "a category") for t in entry.get("tags", [])]
    categories = [c for c in dict.fromkeys(categories) if c]
    authors = [cut(a, MAX_AUTHOR_NAME, "an author's name") for a in split_authors(str(entry.get("author", "")))]
    return Item(Paper(
        id=found["id"],
        version=int(found["version"]),
        title=title,
        updated=announced,
        authors=tuple(cut.items(authors, MAX_AUTHORS, "authors")),
        abstract=cut(abstract, MAX_ABSTRACT, "the abstract"),
        categories=tuple(cut.items(categories, MAX_CATEGORIES, "categories")),
        primary_category=categories[0] if categories else None,
        doi=cut.optional(str(entry.get("arxiv_doi", "")), MAX_FIELD, "the DOI"),
        journal_ref=cut.optional(str(entry.get("arxiv_journal_reference", "")), MAX_FIELD, "the journal reference"),
    ), kind)


def split_authors(text: str) -> list[str]:
    """``dc:creator``'s one string into names: commas separate authors, except inside the
    parentheses that hold affiliations (``Ann (MIT, CSAIL), Bob``). One pass."""
    names: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            names.append(text[start:index])
            start = index + 1
    names.append(text[start:])
    return [name for raw in names if (name := api.clean(raw))]


def announcement_day(now: datetime) -> date:
    """The feed edition ``now`` falls in: the date in arXiv's time zone."""
    return now.astimezone(ARXIV_TZ).date()


# --- Asking: through the retry layer, so that the feed and the API share one pacer. ---

LOOKUP_BATCH = 100
"""Ids per ``id_list`` request."""
MAX_FEED_CATEGORIES = 10
"""Names per feed request: a union of more is asked in several requests. Ten busy
categories stay well below the feed's 2000 items on a normal day; a request that still
reaches the cap with new submissions only is split and asked again."""


def plan(categories: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The feed requests for a union of categories: consecutive runs of at most
    :data:`MAX_FEED_CATEGORIES` names."""
    return [categories[i:i + MAX_FEED_CATEGORIES] for i in range(0, len(categories), MAX_FEED_CATEGORIES)]


def fetch_feed(retrier: Retrier, base: str, categories: tuple[str, ...]) -> tuple[Announcement, int]:
    """The day's announcement for ``categories`` and the requests it took; raises :class:`GaveUp`."""
    url = feed_url(base, categories)
    asked = "+".join(categories)

    def attempt(current: Try) -> Outcome[Announcement]:
        response = current.get(url)
        try:
            answer = parse_feed(response.body, categories)
        except FeedRefused as refusal:
            raise Refused(f"arXiv's feed refused {asked}: {refusal}") from None
        except BadFeed as bad:
            if response.status >= 400:
                raise Refused(f"arXiv's feed refused {asked} (HTTP {response.status} {response.reason})") from None
            raise TryFailed(str(bad)) from None
        if response.status >= 400:
            raise Refused(f"arXiv's feed refused {asked} (HTTP {response.status} {response.reason})")
        return Outcome(answer, Verdict.ANSWERED if answer.items else Verdict.HONEST_EMPTY)

    return retrier.run(f"feed {asked}", attempt)


@dataclass(frozen=True)
class Lookup:
    """What ``id_list`` brought: id (no version) -> the API's record."""

    papers: dict[str, Paper]
    requests: int
    error: str | None = None
    """Why some ids got no answer (the rest are in :attr:`papers`)."""


def lookup(retrier: Retrier, api_url: str, ids: list[str]) -> Lookup:
    """The API's records of ``ids``, :data:`LOOKUP_BATCH` a request."""
    found: dict[str, Paper] = {}
    requests = 0
    for start in range(0, len(ids), LOOKUP_BATCH):
        batch = ids[start:start + LOOKUP_BATCH]
        url = f"{api_url}?{urlencode({'id_list': ','.join(batch), 'max_results': len(batch)}, safe=',/')}"
        try:
            papers, sent = retrier.run(f"lookup of {len(batch)} ids", functools.partial(_lookup_try, batch=batch,
                                                                                       url=url))
        except GaveUp as gave_up:
            return Lookup(found, requests + gave_up.requests, gave_up.message)
        requests += sent
        found.update((p.id, p) for p in papers)
    return Lookup(found, requests)


def _lookup_try(current: Try, batch: list[str], url: str) -> Outcome[list[Paper]]:
    page = api_page(current, url, "lookup")
    wanted = set(batch)
    papers = [p for p in page.papers if p.id in wanted]
    if len({p.id for p in papers}) < len(wanted):
        if not current.believe_suspects:
            raise TryFailed(f"short answer: {len(papers)} of the {len(wanted)} papers asked for", outage=False)
        return Outcome(papers, Verdict.SHORT)
    return Outcome(papers)
