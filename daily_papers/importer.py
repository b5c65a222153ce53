"""Reading the history kept by the tools daily-papers replaces, so that switching keeps it.

Two formats are read. A README in the DailyArXiv format, which daily-papers also writes:
``## <keyword>`` sections, each with a ``| **Title** | **Date** | ... |`` table. And the
JSON file of cv-arxiv-daily: ``{keyword: {id: "|**date**|**title**|author et.al.|[id](url)|code|"}}``.

Each row becomes a :class:`~daily_papers.paper.Paper` that carries only what the source
showed. It never has a ``published`` date or a primary category, which only the API
sends: that is how the store tells an imported record from a full one.
"""

from __future__ import annotations

import difflib
import html
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from daily_papers.config import Keyword
from daily_papers.paper import Paper, normalize_space, split_id

log = logging.getLogger(__name__)

README_FORMAT = "a README in the DailyArXiv format"
JSON_FORMAT = "a cv-arxiv-daily JSON file"
EXPECTED = (
    "import reads a README in the DailyArXiv format (## <keyword> sections with a "
    "| **Title** | **Date** | ... | table) or the JSON file of cv-arxiv-daily "
    '({keyword: {id: "|**date**|**title**|author et.al.|[id](url)|code|"}})'
)


class HistoryError(Exception):
    """The file is not one of the formats import reads; the message says where and what was expected."""


@dataclass(frozen=True)
class HistorySection:
    """One keyword's rows in an old page, in the order the page showed them."""

    heading: str
    papers: tuple[Paper, ...]
    line: int | None
    """Where the section's heading is in its file, for the log; None in a JSON file."""


@dataclass(frozen=True)
class History:
    """Everything one file holds, section by section."""

    path: Path
    format: str
    sections: tuple[HistorySection, ...]


@dataclass(frozen=True)
class Skipped:
    """A section no configured keyword is named like."""

    heading: str
    path: Path


def assign(histories: Sequence[History], keywords: Sequence[Keyword]) -> tuple[dict[str, list[Paper]], list[Skipped]]:
    """Each section's papers under the keyword of the same name (in any case), by slug, in
    file order; and the sections no keyword is named like."""
    by_name = {kw.name.casefold(): kw for kw in keywords}
    assigned: dict[str, list[Paper]] = {kw.slug: [] for kw in keywords}
    skipped: list[Skipped] = []
    for history in histories:
        log.info("%s: %s, %d section%s", history.path, history.format, len(history.sections),
                 "" if len(history.sections) == 1 else "s")
        for section in history.sections:
            where = f"{history.path}: section {section.heading!r}"
            where += f" (line {section.line})" if section.line else ""
            keyword = by_name.get(section.heading.casefold())
            if keyword is None:
                close = difflib.get_close_matches(section.heading.casefold(), list(by_name), n=1, cutoff=0.6)
                skipped.append(Skipped(section.heading, history.path))
                hint = f" (did you mean {by_name[close[0]].name!r}?)" if close else ""
                log.warning("%s: skipped (%d rows): no keyword of that name%s", where, len(section.papers), hint)
                continue
            assigned[keyword.slug] += section.papers
            log.info("%s: %d rows for %s", where, len(section.papers), keyword.name)
    return assigned, skipped


def read_history(path: Path) -> History:
    """Read and parse one file; raises :class:`HistoryError` for anything it cannot use."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise HistoryError(f"{path}: not UTF-8 text; {EXPECTED}") from None
    except OSError as err:
        raise HistoryError(f"{path}: cannot be read: {err.strerror or err}") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return History(path, JSON_FORMAT, parse_cv_json(text, str(path)))
    return History(path, README_FORMAT, parse_readme(text, str(path)))


# --- Markdown ---------------------------------------------------------------------------

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


_HEADING = re.compile(r" {0,3}#{1,2}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")
_DELIMITER_ROW = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ABS_LINK = re.compile(rf"https?://(?:www\.|export\.)?arxiv\.org/abs/(?P<id>{_ARXIV_ID})/?")
_BARE_ID = re.compile(rf"(?:arXiv:)?(?P<id>{_ARXIV_ID})")
_SEPARATOR = r"\s*(?<!\\)\|\s*"
_COLLAPSED = r"<details><summary>(?:(?!</summary>).)*</summary><p>(?P<{0}>(?:(?!</p></details>).)*)</p></details>"
_CELLS = {
    "title": r"\*\*\[(?P<title>.*?)\]\((?P<url>[^\s()]+)\)\*\*",
    "date": r"(?P<date>\d{4}-\d{2}-\d{2})",
    "pdf": r"(?:\[[^\]]*\]\((?P<pdf>[^\s()]+)\))?",
}
_TEXT_COLUMNS = ("abstract", "comment", "authors", "tags", "categories")
_ROW_SHAPE = "| **[title](https://arxiv.org/abs/<id>v<n>)** | YYYY-MM-DD | ... |"


def parse_readme(text: str, source: str) -> tuple[HistorySection, ...]:
    """Every ``## <heading>`` section that holds a Title/Date table, with its rows in order."""
    lines = text.splitlines()
    sections: list[HistorySection] = []
    heading: tuple[str, int] | None = None
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            index += 1
            continue
        if opening := _FENCE.match(line):
            fence = opening["fence"]
        elif title := _HEADING.fullmatch(line):
            heading = (normalize_space(shown_text(title["text"])), index + 1)
        elif (
            index + 1 < len(lines)
            and _DELIMITER_ROW.fullmatch(lines[index + 1])
            and _is_papers_header(line, source, index + 1)
        ):
            if heading is None:
                raise HistoryError(f"{source}:{index + 1}: a papers table under no heading; "
                                   "each table needs its ## <keyword> heading")
            columns = _header_names(line)
            row_pattern = _row_pattern(columns)
            papers: list[Paper] = []
            index += 2
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                papers.append(_readme_row(lines[index].strip(), row_pattern, columns, source, index + 1))
                index += 1
            sections.append(HistorySection(heading[0], tuple(papers), heading[1]))
            continue
        index += 1
    if not sections:
        raise HistoryError(f"{source}: no ## <keyword> section with a | **Title** | **Date** | ... | table; {EXPECTED}")
    return tuple(sections)


def _header_names(line: str) -> list[str]:
    return [normalize_space(cell.strip().strip("*")).lower() for cell in line.strip().strip("|").split("|")]


def _is_papers_header(line: str, source: str, number: int) -> bool:
    """A header with Title and Date cells; other tables (documentation, say) are not papers."""
    if not line.lstrip().startswith("|"):
        return False
    names = _header_names(line)
    if {"publish date", "title", "pdf"} <= set(names):
        raise HistoryError(f"{source}:{number}: this is the README of cv-arxiv-daily; import its JSON file "
                           "(cv-arxiv-daily.json), which holds the same rows")
    return "title" in names and "date" in names


def _row_pattern(columns: list[str]) -> re.Pattern[str]:
    """A row as the header announces it.

    DailyArXiv wrote ``|`` unescaped, so a pipe inside a title (closed by its link), a
    collapsed cell (closed by ``</details>``) or the last cell (closed by the end of the
    line) is text. Any other cell ends at its first unescaped pipe, which keeps a row
    that fits nothing from costing more than linear time to refuse; no plain cell holds
    a ``<details>`` element, so cells never slide into their neighbours.
    """
    cells = []
    for position, name in enumerate(columns):
        if name in _CELLS and columns.index(name) == position:
            cells.append(_CELLS[name])
            continue
        group = name if name in _TEXT_COLUMNS and columns.index(name) == position else f"other{position}"
        plain = r"(?:(?!<details>).)*?" if position == len(columns) - 1 else r"(?:[^|\\]|\\.)*?"
        cells.append(rf"(?:{_COLLAPSED.format(group)}|(?!<details>)(?P<{group}_plain>{plain}))")
    return re.compile(r"\|\s*" + _SEPARATOR.join(cells) + r"\s*\|")


def _readme_row(line: str, pattern: re.Pattern[str], columns: list[str], source: str, number: int) -> Paper:
    match = pattern.fullmatch(line)
    if match is None:
        header = " | ".join(f"**{name.title()}**" for name in columns)
        raise HistoryError(f"{source}:{number}: a row that does not fit its table's header | {header} |; "
                           f"expected {_ROW_SHAPE} (a | inside a short cell that is not the last one "
                           "needs escaping as \\|)")
    url = match["url"]
    link = _ABS_LINK.fullmatch(url)
    if link is None:
        raise HistoryError(f"{source}:{number}: the title links to {url}, not to an arXiv abstract page "
                           "such as https://arxiv.org/abs/2505.20241v1")
    paper_id, version = split_id(link["id"])
    authors = _cell(match, "authors")
    categories = _cell(match, "categories") or _cell(match, "tags")
    return Paper(
        id=paper_id,
        version=version,
        title=_text(match["title"]),
        updated=_date(match["date"], f"{source}:{number}"),
        authors=_authors(authors),
        abstract=_cell(match, "abstract"),
        comment=_cell(match, "comment"),
        categories=_names(categories),
        abs_url=url,
        pdf_url=match["pdf"] if "pdf" in match.re.groupindex else None,
    )


def _cell(match: re.Match[str], name: str) -> str | None:
    """A text column's content, unfolded from ``<details>`` if collapsed; None if absent or empty."""
    groups = match.re.groupindex
    if name not in groups:
        return None
    raw = match[name] if match[name] is not None else match[f"{name}_plain"]
    return _text(raw) or None


def _text(raw: str) -> str:
    return normalize_space(shown_text(raw))


_ET_AL = re.compile(r"\s*\bet\.?\s*al\.?$")


def _authors(text: str | None) -> tuple[str, ...]:
    """The authors a cell names: every one of a list (``A, B, C``), or only the first where
    the old tool wrote ``A et al.`` (DailyArXiv) or ``A et.al.`` (cv-arxiv-daily)."""
    if not text:
        return ()
    first = _ET_AL.sub("", text)
    if first != text:
        return (first,) if first else ()
    return _names(text)


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(name for name in (normalize_space(n) for n in (text or "").split(",")) if name)


def _date(text: str, where: str) -> datetime:
    """A ``YYYY-MM-DD`` cell as the paper's date, at midnight UTC."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise HistoryError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


# --- cv-arxiv-daily JSON ----------------------------------------------------------------

_CV_ROW = re.compile(
    r"\|\s*(?:\*\*)?(?P<date>\d{4}-\d{2}-\d{2})(?:\*\*)?\s*"
    r"\|\s*\*\*(?P<title>.*)\*\*\s*"
    r"\|(?P<author>[^|]*)"
    r"\|\s*\[(?P<label>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*"
    r"\|(?P<code>.*)\|",
    re.DOTALL,
)
_CV_SHAPE = '"|**YYYY-MM-DD**|**title**|first author et.al.|[id](http://arxiv.org/abs/<id>)|code|"'


def parse_cv_json(text: str, source: str) -> tuple[HistorySection, ...]:
    """Every keyword of the JSON file, rows in the order cv-arxiv-daily's README showed
    them (arXiv id, newest first)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise HistoryError(f"{source}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
                           f"{EXPECTED}") from None
    if not isinstance(data, dict) or not data:
        raise HistoryError(f"{source}: expected a JSON object of keywords, each an object of rows by arXiv id; "
                           f"{EXPECTED}")
    sections = []
    for keyword, rows in data.items():
        if not isinstance(rows, dict):
            raise HistoryError(f"{source}: keyword {keyword!r}: expected an object of rows by arXiv id "
                               f"({{id: {_CV_SHAPE}}}), found {type(rows).__name__}")
        papers = []
        for key in sorted(rows, reverse=True):
            row = rows[key]
            if row is None:
                continue
            if not isinstance(row, str):
                raise HistoryError(f"{source}: keyword {keyword!r}, id {key!r}: expected a row {_CV_SHAPE}, "
                                   f"found {type(row).__name__}")
            papers.append(_cv_row(row, f"{source}: keyword {keyword!r}, id {key!r}", key))
        sections.append(HistorySection(normalize_space(keyword), tuple(papers), None))
    return tuple(sections)


def _cv_row(row: str, where: str, key: str) -> Paper:
    match = _CV_ROW.fullmatch(row.strip())
    if match is None:
        raise HistoryError(f"{where}: expected a row {_CV_SHAPE}, found {row.strip()[:120]!r}")
    url = match["url"]
    link = _ABS_LINK.fullmatch(url)
    found = link or _BARE_ID.fullmatch(match["label"].strip()) or _BARE_ID.fullmatch(key.strip())
    if found is None:
        raise HistoryError(f"{where}: neither the link {url!r} nor the id names an arXiv paper")
    paper_id, version = split_id(found["id"])
    return Paper(
        id=paper_id,
        version=version,
        title=normalize_space(match["title"]),
        updated=_date(match["date"], where),
        authors=_authors(normalize_space(match["author"])),
        abs_url=url if link else None,
    )
