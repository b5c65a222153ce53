"""Reading the history kept by the tools daily-papers replaces, so that switching keeps it.

Two formats are read. A README in the DailyArXiv format, which daily-papers also writes:
``## <keyword>`` sections, each with a ``| **Title** | **Date** | ... |`` table. And the
JSON file of cv-arxiv-daily: ``{keyword: {id: "|**date**|**title**|author et.al.|[id](url)|code|"}}``.

Each row becomes a :class:`~daily_papers.paper.Paper` that carries only what the source
showed, with ``origin="import"``: a record of arXiv's own of the same version replaces it.
The formats are read in :mod:`~daily_papers.importer.readme` and
:mod:`~daily_papers.importer.cvjson`, from what :mod:`~daily_papers.importer.cells` shares.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from daily_papers.config import Keyword
from daily_papers.importer.cells import EXPECTED, HistoryError, HistorySection, shown_text
from daily_papers.importer.cvjson import parse_cv_json
from daily_papers.importer.readme import parse_readme
from daily_papers.paper import Paper

__all__ = [
    "EXPECTED", "JSON_FORMAT", "README_FORMAT", "History", "HistoryError", "HistorySection", "Skipped", "assign",
    "parse_cv_json", "parse_readme", "read_history", "shown_text",
]

log = logging.getLogger(__name__)

README_FORMAT = "a README in the DailyArXiv format"
JSON_FORMAT = "a cv-arxiv-daily JSON file"
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
