"""What both formats of :mod:`daily_papers.importer` share: the value a section of an old
page becomes, the error for a file that is not one, and how a cell's text is read
(as GitHub showed it, with the old tools' ways of writing authors and dates)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from daily_papers.errors import DailyPapersError
from daily_papers.paper import ARXIV_ID, Paper, normalize_space

EXPECTED = (
    "import reads a README in the DailyArXiv format (## <keyword> sections with a "
    "| **Title** | **Date** | ... | table) or the JSON file of cv-arxiv-daily "
    '({keyword: {id: "|**date**|**title**|author et.al.|[id](url)|code|"}})'
)


class HistoryError(DailyPapersError):
    """The file is not one of the formats import reads; the message says where and what was expected."""


@dataclass(frozen=True)
class HistorySection:
    """One keyword's rows in an old page, in the order the page showed them."""

    heading: str
    papers: tuple[Paper, ...]
    line: int | None
    """Where the section's heading is in its file, for the log; None in a JSON file."""


ARXIV_VERSIONED_ID = rf"(?:{ARXIV_ID})(?:v[0-9]{{1,4}})?"
"""An arXiv id in ASCII digits, with at most a four-digit version: no cell can make
:func:`~daily_papers.paper.split_id` convert thousands of digits (``int`` refuses them)."""
ABS_LINK = re.compile(rf"https?://(?:www\.|export\.)?arxiv\.org/abs/(?P<id>{ARXIV_VERSIONED_ID})/?")
BARE_ID = re.compile(rf"(?:arXiv:)?(?P<id>{ARXIV_VERSIONED_ID})")
_INLINE = re.compile(
    r"\\(?P<char>[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|\[(?P<label>(?:\\.|[^\\\[\]])*)\]\([^\s()]*\)"
)


def shown_text(markdown: str) -> str:
    """The text a reader sees in a Markdown cell, found in one pass as CommonMark reads it:
    a backslash escape of ASCII punctuation is its character, an HTML entity (``&lt;``,
    ``&amp;``, ``&#58;``) its character, and a link ``[label](url)`` its label.

    That undoes exactly what daily-papers' Markdown filters write (they double every
    backslash and write URLs as links to themselves), and reads DailyArXiv's unescaped
    text as GitHub showed it: ``55.9\\%`` was shown, and is imported, as ``55.9%``.
    """

    def shown(match: re.Match[str]) -> str:
        if match["char"] is not None:
            return match["char"]
        if match["entity"] is not None:
            return html.unescape(match["entity"])
        return shown_text(match["label"])

    return _INLINE.sub(shown, markdown)


def excerpt(text: str, length: int = 200) -> str:
    """The start of a text for a message: a line of a megabyte does not make one."""
    return text if len(text) <= length else text[:length] + "..."


def cell(cells: dict[str, str | None], name: str) -> str | None:
    """A text column's content, unfolded from ``<details>`` if collapsed; None if absent or empty."""
    raw = cells.get(name)
    return (cell_text(raw) or None) if raw is not None else None


def cell_text(raw: str) -> str:
    return normalize_space(shown_text(raw))


_ET_AL = re.compile(r"\s*\bet\.?\s*al\.?$")


def authors_of(text: str | None) -> tuple[str, ...]:
    """The authors a cell names: every one of a list (``A, B, C``), or only the first where
    the old tool wrote ``A et al.`` (DailyArXiv) or ``A et.al.`` (cv-arxiv-daily)."""
    if not text:
        return ()
    first = _ET_AL.sub("", text)
    if first != text:
        return (first,) if first else ()
    return names_of(text)


def names_of(text: str | None) -> tuple[str, ...]:
    return tuple(name for name in (normalize_space(n) for n in (text or "").split(",")) if name)


def row_date(text: str, where: str) -> datetime:
    """A ``YYYY-MM-DD`` cell as the paper's date, at midnight UTC."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise HistoryError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None
