"""The README format of DailyArXiv, which daily-papers also writes: ``## <keyword>``
sections, each with a ``| **Title** | **Date** | ... |`` table, read in one pass."""

from __future__ import annotations

import re

from daily_papers.importer.cells import (
    ABS_LINK,
    EXPECTED,
    HistoryError,
    HistorySection,
    authors_of,
    cell,
    cell_text,
    excerpt,
    names_of,
    row_date,
    shown_text,
)
from daily_papers.paper import Paper, normalize_space, split_id

_HEADING_START = re.compile(r" {0,3}#{1,2}[ \t]")
_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")
_DELIMITER_CELL = re.compile(r":?-+:?")
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
        header = excerpt(" | ".join(f"**{name.title()}**" for name in columns))
        raise HistoryError(f"{source}:{number}: a row that does not fit its table's header | {header} |; "
                           f"expected {_ROW_SHAPE} (a | inside a short cell that is not the last one "
                           "needs escaping as \\|)")
    url = cells["url"] or ""
    link = ABS_LINK.fullmatch(url)
    if link is None:
        raise HistoryError(f"{source}:{number}: the title links to {excerpt(url)}, not to an arXiv abstract page "
                           "such as https://arxiv.org/abs/2505.20241v1")
    paper_id, version = split_id(link["id"])
    authors = cell(cells, "authors")
    categories = cell(cells, "categories") or cell(cells, "tags")
    return Paper(
        id=paper_id,
        version=version,
        title=cell_text(cells["title"] or ""),
        updated=row_date(cells["date"] or "", f"{source}:{number}"),
        authors=authors_of(authors),
        abstract=cell(cells, "abstract"),
        comment=cell(cells, "comment"),
        categories=names_of(categories),
        abs_url=url,
        pdf_url=cells.get("pdf"),
        origin="import",
    )
