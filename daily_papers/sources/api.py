"""The parse of the arXiv API's Atom answer, strict and bounded. Pure functions: no
network, no clock, no log. What is asked is :mod:`~daily_papers.sources.query`.

The answer is parsed with :mod:`xml.etree.ElementTree`, not ``feedparser``: feedparser
re-decodes text it finds suspect (UTF-8 that looks like latin-1, C1 controls mapped
to cp1252), so a title would not reach the store as arXiv sent it; and etree is about
ten times faster on a real page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from daily_papers.paper import ARXIV_ID, Paper, normalize_space, parse_timestamp
from daily_papers.printable import printable

_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_AUTHOR = _ATOM + "author"
_CATEGORY = _ATOM + "category"
_LINK = _ATOM + "link"

MAX_TITLE = 1_000
MAX_ABSTRACT = 10_000
"""arXiv caps abstracts at 1,920 characters; this is five times that."""
MAX_COMMENT = 2_000
MAX_JOURNAL_REF = 1_000
MAX_DOI = 300
MAX_URL = 2_000
MAX_AUTHORS = 2_000
"""Collaboration papers list a few thousand authors; no page shows more than a handful."""
MAX_AUTHOR_NAME = 500
MAX_CATEGORIES = 50
MAX_CATEGORY = 50
"""Characters or items a field of an entry may have: more than any real paper's. A field
that is longer is cut, and the page's notes say so."""

_ARXIV_ID = re.compile(
    r"https?://(?:export\.)?arxiv\.org/abs/"
    rf"(?P<id>{ARXIV_ID})(?:v(?P<version>[0-9]{{1,6}}))?"
)
"""An entry's ``<id>``: new-style (``2505.20241``) or old-style (``hep-th/0601001``) ids."""
_COUNT = re.compile(r"[0-9]{1,12}")
_ERROR_ID = re.compile(r"https?://arxiv\.org/api/errors")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
"""Control characters that are not whitespace (whitespace ones become spaces)."""


class BadAnswer(Exception):
    """An answer that is not a whole API answer (cut, broken, a proxy's page); another try may do."""


class ArxivRefusal(Exception):
    """arXiv's own error entry: its words are the message."""


@dataclass(frozen=True)
class Page:
    """One parsed answer of the API."""

    total_results: int
    start_index: int
    items_per_page: int
    """The page size the service applied; 0 when it did not say."""
    papers: tuple[Paper, ...]
    entries: int
    """Entries the answer held, those dropped included: what is checked against the promise."""
    notes: tuple[str, ...] = ()
    """What the parse dropped or cut, in printable text, for the log."""

    def promised(self, max_results: int) -> int:
        """How many entries this page should hold for a search of ``max_results``."""
        wanted = min(max_results, self.items_per_page) if self.items_per_page else max_results
        return max(0, min(wanted, self.total_results - self.start_index))


def parse_page(body: bytes) -> Page:
    """Parse one API answer strictly.

    Raises :class:`BadAnswer` for anything that is not a whole answer (not XML, no
    ``opensearch:totalResults``) and :class:`ArxivRefusal` for arXiv's error entry (sent
    with HTTP 200 since 2025). An entry that cannot be a paper (no arXiv id, a date
    that is not one) is dropped and noted; the others are kept.
    """
    feed = _parse_xml(body)
    if feed.tag != _ATOM + "feed":
        raise BadAnswer("not an arXiv API answer: no Atom feed")
    total = _count(feed, "totalResults")
    if total is None:
        # Not an answer of the API (a proxy's page, say): its emptiness proves nothing.
        raise BadAnswer("not an arXiv API answer: no opensearch:totalResults")
    entries = feed.findall(_ATOM + "entry")
    for entry in entries:
        if _ERROR_ID.match(_text(entry, _ATOM + "id")):
            raise ArxivRefusal(clean(_text(entry, _ATOM + "summary"), MAX_ABSTRACT) or "no explanation given")
    notes: list[str] = []
    papers = tuple(paper for entry in entries if (paper := _paper(entry, notes)) is not None)
    return Page(total, _count(feed, "startIndex") or 0, _count(feed, "itemsPerPage") or 0, papers, len(entries),
                tuple(notes))


def error_summary(body: bytes) -> str | None:
    """arXiv's own explanation from an error answer (an entry titled ``Error`` or with
    an ``…/api/errors#…`` id), printable; None when the body holds none."""
    try:
        feed = _parse_xml(body)
    except BadAnswer:
        return None
    for entry in feed.iter(_ATOM + "entry"):
        if _text(entry, _ATOM + "title").strip().lower() == "error" or _ERROR_ID.match(_text(entry, _ATOM + "id")):
            return printable(clean(_text(entry, _ATOM + "summary"), MAX_ABSTRACT)) or None
    return None


def _parse_xml(body: bytes) -> ElementTree.Element:
    if not body.strip():
        raise BadAnswer("not an arXiv API answer: an empty body")
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        # arXiv sends no DTD; one is a web page or an entity bomb.
        raise BadAnswer("not an arXiv API answer: it has a DOCTYPE")
    try:
        return ElementTree.fromstring(body)  # noqa: S314 - no DOCTYPE (so no entities), size capped
    except (ElementTree.ParseError, LookupError, ValueError) as err:  # the last two: an odd declared encoding
        raise BadAnswer(f"malformed feed: {printable(str(err)[:200])}") from None


def _count(feed: ElementTree.Element, name: str) -> int | None:
    text = _text(feed, _OPENSEARCH + name).strip()
    if not text:
        return None
    if not _COUNT.fullmatch(text):
        raise BadAnswer(f"malformed feed: opensearch:{name} is {printable(text[:50])!r}")
    return int(text)


def _paper(entry: ElementTree.Element, notes: list[str]) -> Paper | None:
    """One ``<entry>`` as a :class:`Paper`; None (and a note) for one that cannot be a paper."""
    # One pass over the children, instead of a search of them for each field.
    first: dict[str, ElementTree.Element] = {}
    authors_found: list[ElementTree.Element] = []
    categories_found: list[ElementTree.Element] = []
    links: list[ElementTree.Element] = []
    for child in entry:
        tag = child.tag
        if tag == _AUTHOR:
            authors_found.append(child)
        elif tag == _CATEGORY:
            categories_found.append(child)
        elif tag == _LINK:
            links.append(child)
        elif tag not in first:
            first[tag] = child

    def text(name: str) -> str:
        return _own_text(first.get(name))

    raw_id = text(_ATOM + "id").strip()
    match = _ARXIV_ID.fullmatch(raw_id)
    if match is None:
        notes.append(f"dropped an entry whose id is not an arXiv id: {printable(raw_id[:200])!r}")
        return None
    name = match["id"] + (f"v{match['version']}" if match["version"] else "")
    try:
        updated = parse_timestamp(text(_ATOM + "updated").strip())
        published_text = text(_ATOM + "published").strip()
        published = parse_timestamp(published_text) if published_text else None
    except ValueError:  # garbage, or a time that is no UTC time (year 0 or 10000)
        dates = f"{text(_ATOM + 'updated')[:50]!r}, {text(_ATOM + 'published')[:50]!r}"
        notes.append(f"dropped {name}: a date that is not one ({printable(dates)})")
        return None
    cut = FieldCutter(name, notes)
    title = cut(text(_ATOM + "title"), MAX_TITLE, "the title")
    if not title:
        notes.append(f"dropped {name}: no title")
        return None
    authors = [cut(author, MAX_AUTHOR_NAME, "an author's name") for element in authors_found
               if (author := _text(element, _ATOM + "name").strip())]
    categories = [cut(term, MAX_CATEGORY, "a category") for c in categories_found
                  if (term := c.get("term", "").strip())]
    primary = first.get(_ARXIV + "primary_category")
    abs_url = next((link.get("href") for link in links if link.get("rel") == "alternate"), None)
    pdf_url = next((link.get("href") for link in links if link.get("title") == "pdf"), None)
    return Paper(
        id=match["id"],
        version=int(match["version"] or 1),
        title=title,
        updated=updated,
        published=published,
        authors=tuple(cut.items(authors, MAX_AUTHORS, "authors")),
        abstract=cut(text(_ATOM + "summary"), MAX_ABSTRACT, "the abstract"),
        comment=cut.optional(text(_ARXIV + "comment"), MAX_COMMENT, "the comment"),
        categories=tuple(cut.items(categories, MAX_CATEGORIES, "categories")),
        primary_category=cut.optional(primary.get("term", "") if primary is not None else "", MAX_CATEGORY,
                                      "the primary category"),
        doi=cut.optional(text(_ARXIV + "doi"), MAX_DOI, "the DOI"),
        journal_ref=cut.optional(text(_ARXIV + "journal_ref"), MAX_JOURNAL_REF, "the journal reference"),
        abs_url=cut.optional(abs_url or "", MAX_URL, "the abstract link"),
        pdf_url=cut.optional(pdf_url or "", MAX_URL, "the PDF link"),
    )


class FieldCutter:
    """Cleans an entry's fields and cuts the ones longer than any real one, noting each cut."""

    def __init__(self, name: str, notes: list[str]):
        self.name = name
        self.notes = notes

    def __call__(self, text: str, limit: int, what: str) -> str:
        cleaned = clean(text, None)
        if len(cleaned) > limit:
            self.notes.append(f"{self.name}: cut {what} to {limit} characters (it had {len(cleaned)})")
            cleaned = cleaned[:limit]
        return cleaned

    def optional(self, text: str, limit: int, what: str) -> str | None:
        return self(text, limit, what) or None

    def items(self, values: list[str], limit: int, what: str) -> list[str]:
        if len(values) > limit:
            self.notes.append(f"{self.name}: kept the first {limit} {what} of {len(values)}")
        return values[:limit]


def clean(text: str, limit: int | None = None) -> str:
    """Free text exactly as arXiv sent it but for two things: its line wrapping and runs
    of whitespace become single spaces (:func:`~daily_papers.paper.normalize_space`, as
    before), and control characters that are not whitespace are dropped (XML 1.0 lets the
    C1 controls U+0080-U+009F through; no title means one, and a log or a page must not
    get them). The result holds no control character at all."""
    if not text.isprintable():  # a line break or a control character: only the latter go
        text = normalize_space(_CONTROLS.sub("", text))
    elif "  " in text or text[:1] == " " or text[-1:] == " ":
        text = normalize_space(text)
    # else: printable text holds no whitespace but the space (every other kind is not
    # printable), and none doubled nor at an end, so it is already normalized.
    return text if limit is None else text[:limit]


def _text(element: ElementTree.Element, name: str) -> str:
    """The text of ``element``'s first child called ``name``; empty when there is none."""
    return _own_text(element.find(name))


def _own_text(element: ElementTree.Element | None) -> str:
    """All the text inside ``element`` (its children's too); empty for None."""
    if element is None:
        return ""
    if len(element):
        return "".join(element.itertext())
    return element.text or ""
