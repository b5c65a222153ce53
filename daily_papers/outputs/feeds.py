"""Atom feeds (RFC 4287): one per keyword, so a reader can follow a single topic, one of
every keyword's papers, and an OPML file that lists them all for a feed reader to import.

The templates (``*.xml.j2``) are rendered with Jinja's autoescape, which escapes every
value for XML; the filters here make the values valid Atom and nothing more: text XML can
hold, IRIs, RFC 3339 dates, ids that stay the same from run to run. So a feed parsed back
gives exactly the data (an ``&`` in a link is ``&`` again, not ``&amp;``).

Where the files are: ``<feeds>/<slug>.xml`` per keyword, ``<feeds>/all.atom`` for every
keyword and ``<feeds>/feeds.opml``. A slug is made of ``[\\w-]`` and every keyword's feed
ends in ``.xml``, so neither of the other two names can be a keyword's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol
from urllib.parse import quote, urljoin

from daily_papers import HOMEPAGE
from daily_papers.paper import Paper, format_timestamp

FEED_TEMPLATE = "feed.xml.j2"
ENTRY_TEMPLATE = "entry.xml.j2"
ALL_FEED_TEMPLATE = "all.xml.j2"
OPML_TEMPLATE = "opml.xml.j2"
ALL_FEED = "all.atom"
"""The feed of every keyword's papers, in the feeds folder (``.atom``: RFC 4287's own extension)."""
OPML = "feeds.opml"
"""The list of every feed, in the feeds folder."""

NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)
"""The ``updated`` date of a feed without papers: a fixed date, so that the file does not
change from run to run while the keyword finds nothing."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str | None) -> str:
    """The text without the characters XML 1.0 cannot hold (controls, lone surrogates);
    escaping is the template's (autoescape). Printable text holds none of them."""
    if not text:
        return ""
    return text if text.isprintable() else _NOT_XML.sub("", text)


_NOT_IRI = re.compile('[\x00-\x20"<>\\\\^`{|}\x7f-\x9f\ud800-\udfff\ufffe\uffff]')
"""What RFC 3987 does not allow in an IRI: controls, space, ``"<>\\^`{|}``, and what no
UTF-8 or XML can hold (lone surrogates, U+FFFE, U+FFFF)."""


def iri(url: str | None) -> str:
    """The URL as an IRI: each character an IRI cannot hold is percent-encoded (UTF-8) or,
    if UTF-8 cannot encode it, dropped; all else, ``&`` and non-ASCII letters included,
    stays as it is, so a feed reader gets back the very URL."""
    if not url:
        return ""
    if not _NOT_IRI.search(url):
        return url
    return _NOT_IRI.sub(_encode, url)


def _encode(match: re.Match[str]) -> str:
    char = match.group(0)
    return "" if "\ud800" <= char <= "\udfff" else quote(char, safe="")


def texts(values: Sequence[str]) -> list[str]:
    """The values that hold some text once :func:`xml_text` has cleaned them (author
    names, categories): an Atom name or term is never empty."""
    return [text for text in map(xml_text, values) if text.strip()]


def entry_id(paper: Paper) -> str:
    """The paper's abstract page without version: the entry keeps its id when arXiv
    publishes a new version, so feed readers update it instead of showing it twice."""
    return f"https://arxiv.org/abs/{quote(paper.id, safe='/')}"


def feed_id(title: str, keyword: str) -> str:
    """A ``urn:uuid:`` made from the README title and the keyword: the same on every run
    and wherever the feed is served from."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'daily-papers:{title}:{keyword}')}"


def all_feed_id(title: str) -> str:
    """The all-keywords feed's id; no keyword's (a keyword's id has a keyword after the title)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'daily-papers-all:{title}')}"


def feed_updated(papers: Sequence[Paper]) -> datetime:
    """When the feed last changed: its newest paper's date (:data:`NEVER` without papers)."""
    return max((p.updated for p in papers), default=NEVER)


def href(link: str, base_url: str | None) -> str:
    """A link written relative to the feeds folder, as a feed's ``href``: as it is when
    ``base_url`` (where the feeds are served) is None, since Atom resolves a relative
    reference against the feed's own address; else resolved against ``base_url``."""
    if base_url is None:
        return link
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", link)


@dataclass(frozen=True)
class FeedLinks:
    """A feed's own address (``rel="self"``) and its page's (``rel="alternate"``)."""

    self: str
    page: str


def feed_links(name: str, page: str, base_url: str | None = None) -> FeedLinks:
    """The links of the feed file ``name`` whose page is ``page``, both relative to the
    feeds folder (the page: the keyword's README section, ``../README.md#reward-model``,
    or its first page when the README shows only its newest papers)."""
    return FeedLinks(self=href(name, base_url), page=href(page, base_url))


@dataclass(frozen=True)
class Tagged:
    """A paper in the all-keywords feed, and the names of the keywords that found it."""

    paper: Paper
    keywords: tuple[str, ...]


def tagged_papers(keywords: Sequence[tuple[str, Sequence[Paper]]], sort_by: str) -> list[Tagged]:
    """Every keyword's papers, each once (its newest version any keyword holds), newest
    first by ``sort_by`` (then by id, for the same order on every run), each with the
    names of the keywords whose store holds it, in config order."""
    chosen: dict[str, Paper] = {}
    names: dict[str, list[str]] = {}
    for name, papers in keywords:
        for paper in papers:
            held = chosen.get(paper.id)
            if held is None or paper.version > held.version:
                chosen[paper.id] = paper
            found = names.setdefault(paper.id, [])
            if not found or found[-1] != name:
                found.append(name)
    ordered = sorted(chosen.values(), key=lambda p: (p.sort_date(sort_by), p.id), reverse=True)
    return [Tagged(paper, tuple(names[paper.id])) for paper in ordered]


class Entries:
    """Each paper's entry, rendered once by the ``entry`` macro of ``entry.xml.j2`` and
    shared by every feed that holds the paper (its keyword's and the feed of all keywords):
    the feeds are half of a render's work, and the feed of all keywords would double it."""

    def __init__(self, macro: Callable[[Paper], str]) -> None:
        self._macro = macro
        self._done: dict[int, tuple[Paper, str]] = {}
        """By ``id``, as hashing a paper hashes all its fields; the paper is kept with its
        entry, so that no other object can take its ``id``."""

    def __call__(self, paper: Paper) -> str:
        done = self._done.get(id(paper))
        if done is None:
            done = self._done[id(paper)] = (paper, self._macro(paper))
        return done[1]


class Keyword(Protocol):
    """What a feed needs of a keyword's section of the outputs."""

    @property
    def name(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def papers(self) -> tuple[Paper, ...]: ...


def keyword_feed(title: str, section: Keyword, entries: Entries, page: str,
                 base_url: str | None = None) -> dict[str, Any]:
    """What ``feed.xml.j2`` renders for one keyword; ``page`` is its section or page,
    relative to the feeds folder, ``base_url`` where the feeds are served (None: links
    relative to the feed)."""
    return {
        "entry": entries,
        "title": title,
        "section": section,
        "feed_id": feed_id(title, section.name),
        "updated": feed_updated(section.papers),
        "homepage": HOMEPAGE,
        "links": feed_links(f"{section.slug}.xml", page, base_url),
    }


def all_feed(title: str, sections: Sequence[Keyword], entries: Entries, sort_by: str, readme: str,
             base_url: str | None = None) -> dict[str, Any]:
    """What ``all.xml.j2`` renders: every keyword's papers (:func:`tagged_papers`); its
    page is the README (``readme``, relative to the feeds folder)."""
    papers = tagged_papers([(s.name, s.papers) for s in sections], sort_by)
    return {
        "entry": entries,
        "title": title,
        "papers": papers,
        "feed_id": all_feed_id(title),
        "updated": feed_updated([t.paper for t in papers]),
        "homepage": HOMEPAGE,
        "links": feed_links(ALL_FEED, readme, base_url),
    }


@dataclass(frozen=True)
class Listed:
    """A feed as the OPML file lists it."""

    text: str
    links: FeedLinks


def opml(title: str, sections: Sequence[Keyword], pages: Mapping[str, str], readme: str,
         base_url: str | None = None) -> dict[str, Any]:
    """What ``opml.xml.j2`` renders: the feed of all keywords, then each keyword's feed in
    config order; ``pages`` holds each keyword's page by slug, relative to the feeds folder."""
    feeds = [Listed(f"{title}: all keywords", feed_links(ALL_FEED, readme, base_url))]
    feeds += [Listed(f"{title}: {s.name}", feed_links(f"{s.slug}.xml", pages[s.slug], base_url)) for s in sections]
    return {"title": title, "feeds": feeds}


FILTERS = {"xml": xml_text, "texts": texts, "iri": iri, "atom_time": format_timestamp, "entry_id": entry_id}
"""The filters the feed templates use, for the rendering environment."""
