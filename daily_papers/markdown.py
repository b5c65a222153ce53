"""The few filters that turn arXiv's text into Markdown a reader on GitHub sees verbatim.

Everything from arXiv is data: no character of it may start an element, a link, an
entity or a new table cell. LaTeX between ``$`` is left for GitHub to typeset; GitHub
applies Markdown escapes before typesetting, so escaped math reaches it unchanged.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from daily_papers.paper import normalize_space

_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)
_WWW = re.compile(r"www\.", re.IGNORECASE)


def md(text: str | None) -> str:
    """Inline Markdown that displays ``text`` exactly, on one line, safe inside a table cell.

    Besides escaping Markdown and HTML syntax, it keeps GitHub from turning URLs in
    the text into links (``://`` and ``www.`` get an entity that displays the same).
    """
    if not text:
        return ""
    escaped = normalize_space(text).translate(_ESCAPES)
    escaped = escaped.replace("://", "&#58;//")
    return _WWW.sub(lambda m: m.group(0)[:3] + "&#46;", escaped)


def md_url(url: str) -> str:
    """A URL as a Markdown link destination: characters that could end the link or the
    table cell early (spaces, brackets, parentheses, ``|``, backslashes) are percent-encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def shorten(text: str | None, length: int) -> str:
    """The first ``length`` characters of the text (whitespace normalised), for a summary."""
    return normalize_space(text or "")[:length]
