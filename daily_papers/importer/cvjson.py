"""The JSON file of cv-arxiv-daily: ``{keyword: {id: "|**date**|**title**|author et.al.|[id](url)|code|"}}``,
read whatever it holds into sections or a :class:`~daily_papers.importer.cells.HistoryError`."""

from __future__ import annotations

import json
import re

from daily_papers.importer.cells import (
    ABS_LINK,
    BARE_ID,
    EXPECTED,
    HistoryError,
    HistorySection,
    authors_of,
    excerpt,
    row_date,
)
from daily_papers.paper import Paper, normalize_space, split_id

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
        where = f"{source}: keyword {excerpt(keyword, 80)!r}"
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
            at = f"{where}, id {excerpt(key, 80)!r}"
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
    link = ABS_LINK.fullmatch(url)
    found = link or BARE_ID.fullmatch(tail["label"].strip()) or BARE_ID.fullmatch(key.strip())
    if found is None:
        raise HistoryError(f"{where}: neither the link {excerpt(url, 120)!r} nor the id names an arXiv paper")
    paper_id, version = split_id(found["id"])
    return Paper(
        id=paper_id,
        version=version,
        title=normalize_space(row[head.end() : tail.start()]),
        updated=row_date(head["date"], where),
        authors=authors_of(normalize_space(tail["author"])),
        abs_url=url if link else None,
        origin="import",
    )
