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
from daily_papers.errors import DailyPapersError
from daily_papers.paper import ARXIV_ID, Paper, normalize_space, split_id

log = logging.getLogger(__name__)

README_FORMAT = "a README in the DailyArXiv format"
JSON_FORMAT = "a cv-arxiv-daily JSON file"
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


_HEADING_START = re.compile(r" {0,3}#{1,2}[ \t]")
_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")
_DELIMITER_CELL = re.compile(r":?-+:?")
_ARXIV_ID = rf"(?:{ARXIV_ID})(?:v[0-9]{{1,4}})?"
"""An arXiv id in ASCII digits, with at most a four-digit version: no cell can make
:func:`~daily_papers.paper.split_id` convert thousands of digits (``int`` refuses them)."""
_ABS_LINK = re.compile(rf"https?://(?:www\.|export\.)?arxiv\.org/abs/(?P<id>{_ARXIV_ID})/?")
_BARE_ID = re.compile(rf"(?:arXiv:)?(?P<id>{_ARXIV_ID})")
_SPACE = re.compile(r"\s*")


def _after_spaces(text: str, pos: int) -> int:
    """The index of the first character at or after ``pos`` that is not a space."""
    match = _SPACE.match(text, pos)
    return match.end() if match else pos
_TITLE_END = re.compile(r"\]\((?P<url>[^\s()]+)\)\*\*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PDF = re.compile(r"\[[^\]]*\]\((?P<pdf>[^\s()]+)\)")
_PLAIN = re.compile(r"[^|\\]*(?:\\.[^|\\]*)*")
_TEXT_COLUMNS = ("abstract", "comment", "authors", "tags", "categories")
_ROW_SHAPE = "| **[title](https://arxiv.org/abs/<id>v<n>)** | YYYY-MM-DD | ... |"


def parse_readme(text: str, source: str) -> tuple[HistorySection, ...]:
    """Every ``## <heading>`` section that holds a Title/Date table, with its rows in order.

    Linear in the text: every line is read a bounded number of times, and no pattern
    here can go back over what it has read (a heading padded with spaces, a delimiter row
    or a cell ending in a run of spaces cost their length, not its square). A row that
    cannot be read (its cells, its link, its date, a version of more than four digits)
    is a :class:`HistoryError`, never skipped: import exits 2 and writes nothing.
    """
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
        elif (title := _heading_text(line)) is not None:
            heading = (normalize_space(shown_text(title)), index + 1)
        elif (
            index + 1 < len(lines)
            and _is_delimiter_row(lines[index + 1])
            and _is_papers_header(line, source, index + 1)
        ):
            if heading is None:
                raise HistoryError(f"{source}:{index + 1}: a papers table under no heading; "
                                   "each table needs its ## <keyword> heading")
            columns = _header_names(line)
            papers: list[Paper] = []
            index += 2
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                papers.append(_readme_row(lines[index].strip(), columns, source, index + 1))
                index += 1
            sections.append(HistorySection(heading[0], tuple(papers), heading[1]))
            continue
        index += 1
    if not sections:
        raise HistoryError(f"{source}: no ## <keyword> section with a | **Title** | **Date** | ... | table; {EXPECTED}")
    return tuple(sections)


def _heading_text(line: str) -> str | None:
    """The text of a ``#`` or ``##`` heading (CommonMark's ATX heading: up to three spaces,
    then a space or tab, an optional closing run of ``#`` after a space); None for any
    other line. Found by stripping, as a pattern would try every split of a run of spaces."""
    start = _HEADING_START.match(line)
    if start is None:
        return None
    text = line[start.end():].strip(" \t")
    unclosed = text.rstrip("#")
    if unclosed != text and unclosed[-1:] in (" ", "\t"):
        text = unclosed.rstrip(" \t")
    return text


def _is_delimiter_row(line: str) -> bool:
    """A table's delimiter row: cells of ``---`` (with ``:`` for alignment), split by ``|``."""
    if "-" not in line:
        return False
    body = line[1:] if line.startswith("|") else line
    body = body.rstrip()
    body = body[:-1] if body.endswith("|") else body
    return all(_DELIMITER_CELL.fullmatch(cell.strip()) for cell in body.split("|"))


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


def _split_row(line: str, columns: list[str]) -> dict[str, str | None] | None:
    """A row's cells as the header announces them, or None when the row does not fit it.

    DailyArXiv wrote ``|`` unescaped, so a pipe inside a title (closed by its link), a
    collapsed cell (closed by ``</details>``) or the last cell (closed by the end of the
    line) is text. Any other cell ends at its first unescaped pipe. The row is read once,
    from left to right, and each cell is decided where it stands: the title ends at the
    first ``](url)**`` that a separator follows, and a cell that starts with
    ``<details>`` must be a whole collapsed cell. Nothing is tried a second way, so a row
    costs its length, whatever it holds.
    """
    if not line.startswith("|"):
        return None
    first: dict[str, int] = {}
    for position, name in enumerate(columns):
        first.setdefault(name, position)
    cells: dict[str, str | None] = {}
    pos, last = 1, len(columns) - 1
    for position, name in enumerate(columns):
        pos = _after_spaces(line, pos)
        special = first[name] == position
        if special and name == "title":
            end = _title_cell(line, pos, position == last, cells)
        elif special and name == "date":
            date = _DATE.match(line, pos)
            end = date.end() if date else -1
            cells["date"] = date[0] if date else None
        elif special and name == "pdf":
            pdf = _PDF.match(line, pos)
            end = pdf.end() if pdf else pos
            cells["pdf"] = pdf["pdf"] if pdf else None
        else:
            end, text = _text_cell(line, pos, position == last)
            if special and name in _TEXT_COLUMNS:
                cells[name] = text
        if end < 0:
            return None
        pos = _after_spaces(line, end)
        if position == last:
            return cells if pos == len(line) - 1 and line[pos] == "|" else None
        if pos >= len(line) or line[pos] != "|" or line[pos - 1] == "\\":
            return None
        pos += 1
    return None


def _title_cell(line: str, pos: int, last: bool, cells: dict[str, str | None]) -> int:
    """``**[title](url)**`` at ``pos``: the title runs to the first ``](url)**`` followed by
    a separator (the end of the row for the last cell). Returns where the cell ends, -1 if none."""
    if not line.startswith("**[", pos):
        return -1
    candidate = line.find("](", pos + 3)
    while candidate >= 0:
        close = _TITLE_END.match(line, candidate)
        if close is not None:
            after = _after_spaces(line, close.end())
            if after < len(line) and line[after] == "|" and (not last or after == len(line) - 1):
                cells["title"], cells["url"] = line[pos + 3 : candidate], close["url"]
                return close.end()
        candidate = line.find("](", candidate + 1)
    return -1


def _text_cell(line: str, pos: int, last: bool) -> tuple[int, str | None]:
    """A text cell at ``pos``: ``<details><summary>...</summary><p>text</p></details>`` or
    plain text (up to the first unescaped pipe, or for the last cell the row's final
    one). Returns where its text ends and the text; -1 when it is neither."""
    if line.startswith("<details>", pos):
        summary = pos + len("<details><summary>")
        closed = line.find("</summary>", summary) if line.startswith("<details><summary>", pos) else -1
        body = closed + len("</summary><p>")
        if closed < 0 or not line.startswith("<p>", closed + len("</summary>")):
            return -1, None
        end = line.find("</p></details>", body)
        return (-1, None) if end < 0 else (end + len("</p></details>"), line[body:end])
    if last:
        text = line[pos:-1].rstrip() if line.endswith("|") and pos < len(line) else None
        return (-1, None) if text is None or "<details>" in text else (pos + len(text), text)
    plain = _PLAIN.match(line, pos)
    stop = plain.end() if plain else pos
    if stop == len(line) or line[stop] != "|":  # a lone backslash at the end of the line
        return -1, None
    text = line[pos:stop].rstrip()
    backslashes = len(text) - len(text.rstrip("\\"))
    if backslashes % 2:  # the last one escapes the whitespace after it, which stays
        text = line[pos : pos + len(text) + 1]
    return pos + len(text), text


def _readme_row(line: str, columns: list[str], source: str, number: int) -> Paper:
    cells = _split_row(line, columns)
    if cells is None:
        header = _excerpt(" | ".join(f"**{name.title()}**" for name in columns))
        raise HistoryError(f"{source}:{number}: a row that does not fit its table's header | {header} |; "
                           f"expected {_ROW_SHAPE} (a | inside a short cell that is not the last one "
                           "needs escaping as \\|)")
    url = cells["url"] or ""
    link = _ABS_LINK.fullmatch(url)
    if link is None:
        raise HistoryError(f"{source}:{number}: the title links to {_excerpt(url)}, not to an arXiv abstract page "
                           "such as https://arxiv.org/abs/2505.20241v1")
    paper_id, version = split_id(link["id"])
    authors = _cell(cells, "authors")
    categories = _cell(cells, "categories") or _cell(cells, "tags")
    return Paper(
        id=paper_id,
        version=version,
        title=_text(cells["title"] or ""),
        updated=_date(cells["date"] or "", f"{source}:{number}"),
        authors=_authors(authors),
        abstract=_cell(cells, "abstract"),
        comment=_cell(cells, "comment"),
        categories=_names(categories),
        abs_url=url,
        pdf_url=cells.get("pdf"),
        origin="import",
    )


def _excerpt(text: str, length: int = 200) -> str:
    """The start of a text for a message: a line of a megabyte does not make one."""
    return text if len(text) <= length else text[:length] + "..."


def _cell(cells: dict[str, str | None], name: str) -> str | None:
    """A text column's content, unfolded from ``<details>`` if collapsed; None if absent or empty."""
    raw = cells.get(name)
    return (_text(raw) or None) if raw is not None else None


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

_CV_HEAD = re.compile(r"\|\s*(?:\*\*)?(?P<date>\d{4}-\d{2}-\d{2})(?:\*\*)?\s*\|\s*\*\*")
_CV_TAIL = re.compile(r"\*\*\s*\|(?P<author>[^|]*)\|\s*\[(?P<label>[^\]|]*)\]\((?P<url>[^)\s|]*)\)\s*\|")
_CV_SHAPE = '"|**YYYY-MM-DD**|**title**|first author et.al.|[id](http://arxiv.org/abs/<id>)|code|"'
_MAX_DIGITS = 100
"""The longest integer a cv-arxiv-daily file may hold (it holds none: rows are text)."""
_SURROGATE = re.compile("[\ud800-\udfff]")


class _LongNumber(ValueError):
    """A JSON integer of more digits than :data:`_MAX_DIGITS`."""


def _json_int(digits: str) -> int:
    """JSON's integers, refused past :data:`_MAX_DIGITS` digits before ``int`` sees them:
    Python limits the digits ``int`` converts, and raises a ``ValueError`` of its own."""
    if len(digits) > _MAX_DIGITS:
        raise _LongNumber(len(digits))
    return int(digits)


def parse_cv_json(text: str, source: str) -> tuple[HistorySection, ...]:
    """Every keyword of the JSON file, rows in the order cv-arxiv-daily's README showed
    them (arXiv id, newest first).

    Whatever the file holds, the answer is these sections or a :class:`HistoryError`
    (import exits 2 and writes nothing): invalid JSON, nesting too deep for the parser,
    an integer of more than :data:`_MAX_DIGITS` digits, a value of the wrong type, a row
    that is not cv-arxiv-daily's, or text with a lone surrogate (a ``\\ud800`` escape:
    valid JSON, but no UTF-8 file can hold it). A ``null`` row is skipped, as
    cv-arxiv-daily writes it for a paper it dropped.
    """
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as err:
        raise HistoryError(f"{source}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
                           f"{EXPECTED}") from None
    except _LongNumber as err:
        raise HistoryError(f"{source}: a number of {err.args[0]} digits, which no cv-arxiv-daily file holds; "
                           f"{EXPECTED}") from None
    except RecursionError:
        raise HistoryError(f"{source}: JSON nested too deeply to read; {EXPECTED}") from None
    if not isinstance(data, dict) or not data:
        raise HistoryError(f"{source}: expected a JSON object of keywords, each an object of rows by arXiv id; "
                           f"{EXPECTED}")
    sections = []
    for keyword, rows in data.items():
        where = f"{source}: keyword {_excerpt(keyword, 80)!r}"
        if _SURROGATE.search(keyword):
            raise HistoryError(f"{where}: the name holds a lone surrogate, which UTF-8 cannot write")
        if not isinstance(rows, dict):
            raise HistoryError(f"{where}: expected an object of rows by arXiv id "
                               f"({{id: {_CV_SHAPE}}}), found {type(rows).__name__}")
        papers = []
        for key in sorted(rows, reverse=True):
            row = rows[key]
            if row is None:
                continue
            at = f"{where}, id {_excerpt(key, 80)!r}"
            if not isinstance(row, str):
                raise HistoryError(f"{at}: expected a row {_CV_SHAPE}, found {type(row).__name__}")
            if _SURROGATE.search(row):
                raise HistoryError(f"{at}: the row holds a lone surrogate, which UTF-8 cannot write")
            papers.append(_cv_row(row, at, key))
        sections.append(HistorySection(normalize_space(keyword), tuple(papers), None))
    return tuple(sections)


def _cv_row(row: str, where: str, key: str) -> Paper:
    """One row ``|date|**title**|author|[label](url)|code|``. The title may hold ``|`` and
    ``**``: it ends at the last ``**`` that the author, link and code cells follow (the
    author and link cells hold no ``|``). Each candidate is checked within the two cells
    after it, so a row costs its length."""
    row = row.strip()
    head = _CV_HEAD.match(row)
    tail = None
    if head is not None and row.endswith("|"):
        end = len(row)
        while (candidate := row.rfind("**", head.end(), end)) >= 0:
            tail = _CV_TAIL.match(row, candidate)
            if tail is not None and tail.end() < len(row):
                break
            tail, end = None, candidate + 1
    if head is None or tail is None:
        raise HistoryError(f"{where}: expected a row {_CV_SHAPE}, found {row[:120]!r}")
    url = tail["url"]
    link = _ABS_LINK.fullmatch(url)
    found = link or _BARE_ID.fullmatch(tail["label"].strip()) or _BARE_ID.fullmatch(key.strip())
    if found is None:
        raise HistoryError(f"{where}: neither the link {_excerpt(url, 120)!r} nor the id names an arXiv paper")
    paper_id, version = split_id(found["id"])
    return Paper(
        id=paper_id,
        version=version,
        title=normalize_space(row[head.end() : tail.start()]),
        updated=_date(head["date"], where),
        authors=_authors(normalize_space(tail["author"])),
        abs_url=url if link else None,
        origin="import",
    )
