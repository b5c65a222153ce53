"""One Atom feed (RFC 4287) per keyword, so a reader can follow a single topic.

The feed is rendered by ``feed.xml.j2``, which escapes every value for XML; the filters
here make the values valid Atom: text XML can hold, RFC 3339 dates, ids that stay the
same from run to run.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from urllib.parse import quote

from daily_papers.markdown import md_url
from daily_papers.paper import Paper, format_timestamp

FEED_TEMPLATE = "feed.xml.j2"

NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)
"""The ``updated`` date of a feed without papers: a fixed date, so that the file does not
change from run to run while the keyword finds nothing."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str | None) -> str:
    """The text without the characters XML 1.0 cannot hold (controls, lone surrogates);
    escaping is :func:`escape_xml`'s job. Printable text holds none of them."""
    if not text:
        return ""
    return text if text.isprintable() else _NOT_XML.sub("", text)


_XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))
"""What Jinja's automatic escaping replaces, with the same entities: ``&`` first."""


def escape_xml(value: object) -> str:
    """The value as text that stands for itself in XML content and attribute values."""
    text = str(value)
    for char, entity in _XML_ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def iri(url: str) -> str:
    """A URL percent-encoded where a space, quote or bracket would make it an invalid IRI."""
    return md_url(url)


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


def feed_updated(papers: Sequence[Paper]) -> datetime:
    """When the feed last changed: its newest paper's date (:data:`NEVER` without papers)."""
    return max((p.updated for p in papers), default=NEVER)


FILTERS = {"xml": xml_text, "escape_xml": escape_xml, "texts": texts, "iri": iri, "atom_time": format_timestamp,
           "entry_id": entry_id}
"""The filters ``feed.xml.j2`` uses, for the rendering environment."""
