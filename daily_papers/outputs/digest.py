"""The digest: the body of the issue that tells watchers about new papers.

It lists what the newest run brought and nothing else: the papers new to some keyword,
each once with the names of every keyword that found it, then (if wanted) the papers
that came in a newer version. GitHub refuses an issue body of 65,536 characters or
more, so the lists shrink to fit, new papers first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import jinja2

from daily_papers.outputs.budget import largest_fitting, size
from daily_papers.outputs.markdown import md
from daily_papers.paper import Paper

BODY_LIMIT = 65_536
"""GitHub's limit for an issue body. The digest's UTF-8 size stays below it; a text never
has more characters (or UTF-16 units) than UTF-8 bytes, so any way of counting agrees."""

COLUMNS = ("title", "date", "comment")
"""The digest's table: no abstracts, so that many papers fit and the email stays short."""

DIGEST_TEMPLATE = "digest.md.j2"


@dataclass(frozen=True)
class Announced:
    """One paper of the digest and the keywords (config order) that found it."""

    paper: Paper
    keywords: tuple[str, ...]


def digest_title(new_papers: int, today: date) -> str:
    """``Latest 12 Papers - May 27, 2025``: the notification issue's title."""
    return f"Latest {new_papers} Papers - {today.strftime('%B')} {today.day}, {today.year}"


def announced(
    sections: Sequence[tuple[str, Sequence[Paper]]], ids: Mapping[int, frozenset[str]], sort_by: str
) -> list[Announced]:
    """The papers whose id is in ``ids[i]`` for section ``i``, each once, newest first."""
    found: dict[str, tuple[Paper, list[str]]] = {}
    for index, (name, papers) in enumerate(sections):
        wanted = ids.get(index, frozenset())
        for paper in papers:
            if paper.id in wanted:
                found.setdefault(paper.id, (paper, []))[1].append(name)
    entries = [Announced(paper, tuple(names)) for paper, names in found.values()]
    return sorted(entries, key=lambda e: e.paper.sort_date(sort_by), reverse=True)


def render_digest(
    template: jinja2.Template,
    columns: Any,
    new: Sequence[Announced],
    updated: Sequence[Announced] | None,
    *,
    limit: int,
    day: str,
    readme: str,
    sort_by: str,
) -> str:
    """The issue body: the new papers and then the updated ones (None: updates are not
    listed), at most ``limit`` of each and as many as fit under :data:`BODY_LIMIT`, new
    ones first; the text always says how many there are. ``columns`` is the module of
    ``columns.j2``, whose ``header`` and ``row`` macros draw the table."""
    header, row = str(columns.header(COLUMNS)), columns.row

    def rows(entries: Sequence[Announced], version: bool) -> list[str]:
        return [f"{row(COLUMNS, quiet_paper(e.paper), sort_by)} {_cell(e, version)} |" for e in entries]

    new_rows, updated_rows = rows(new, False), rows(updated or (), True)

    def draw(shown_new: int, shown_updated: int) -> str:
        return str(template.render(
            day=day, readme=readme, header=header,
            new=new_rows[:shown_new], new_total=len(new_rows),
            updated=updated_rows[:shown_updated], updated_total=len(updated_rows),
            list_updates=updated is not None,
        ))

    def most(rows: int, drawn: Callable[[int], str]) -> int:
        """The most rows (up to ``rows``) that fit: all of them, in the usual case, at one draw."""
        def measured(count: int) -> tuple[int, int]:
            return size(drawn(count)), count

        return largest_fitting(measured, rows, rows, limit=BODY_LIMIT, precision=1)[1]

    shown_new = most(min(limit, len(new_rows)), lambda n: draw(n, 0))
    shown_updated = most(min(limit, len(updated_rows)), lambda n: draw(shown_new, n))
    return draw(shown_new, shown_updated)


def _cell(entry: Announced, version: bool) -> str:
    """The keywords cell (``updated: v3`` first for an update), escaped like every datum."""
    names = md(", ".join(entry.keywords))
    return f"updated: v{entry.paper.version}; {names}" if version else names


_URL_TOKEN = re.compile(r"(https?://\S+)", re.IGNORECASE)
"""What the ``md_links`` filter may turn into a link: a URL runs to the next space."""
_REFERENCE = re.compile(r"(?<![\w/@.])@(?=[A-Za-z0-9])|#(?=\d)|\bGH-(?=\d)")


def quiet(text: str | None) -> str | None:
    """Put an invisible word joiner after each ``@``, ``#`` or ``GH-`` that GitHub would
    take for a mention or an issue reference, outside URLs.

    In an issue, ``@name`` notifies that GitHub user and ``#12``, ``GH-12`` or
    ``owner/repo#12`` link, and back-link, an issue; a comment such as "Accepted
    @ICML2025" or "see #3" must do neither. This works on the data, before it becomes
    Markdown, so no Markdown it could spell (``](@octocat)``) escapes it. The text reads
    the same; URLs are not touched (inside a link GitHub mentions no one).
    """
    if not text or ("@" not in text and "#" not in text and "GH-" not in text):
        return text
    parts = _URL_TOKEN.split(text)
    parts[::2] = [_REFERENCE.sub(lambda match: match.group(0) + "\u2060", part) for part in parts[::2]]
    return "".join(parts)


def quiet_paper(paper: Paper) -> Paper:
    """``paper`` with every text the digest shows quieted (see :func:`quiet`)."""
    return replace(paper, title=quiet(paper.title) or "", comment=quiet(paper.comment),
                   authors=tuple(quiet(a) or "" for a in paper.authors))
