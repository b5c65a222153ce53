"""The digest: the body of the issue that tells watchers about new papers.

GitHub refuses an issue body of 65,536 characters or more, so the digest shrinks to
fit: first fewer papers per keyword, then only the keyword names with links to their
README sections, then only as many names as fit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from daily_papers.budget import size

if TYPE_CHECKING:
    from daily_papers.config import Config
    from daily_papers.render import Section

BODY_LIMIT = 65_536
"""GitHub's limit for an issue body. The digest's UTF-8 size stays below it; a text never
has more characters (or UTF-16 units) than UTF-8 bytes, so any way of counting agrees."""

COLUMNS = ("title", "date", "comment")
"""The digest's table: no abstracts, so that many papers fit and the email stays short."""


def digest_title(new_papers: int, today: date) -> str:
    """``Latest 12 Papers - May 27, 2025``: the notification issue's title."""
    return f"Latest {new_papers} Papers - {today.strftime('%B')} {today.day}, {today.year}"


def render_digest(
    config: Config, sections: list[Section], today: date, environ: Mapping[str, str] | None = None
) -> str:
    """The issue body: the newest ``digest.papers`` papers per keyword, as many as fit."""
    from daily_papers.render import environment  # render imports this module

    env = environment()
    template = env.get_template("digest.md.j2")
    col = env.get_template("columns.j2").make_module()  # the package's: this environment has no other
    sort_by, wanted = config.arxiv.sort_by, config.digest.papers
    # Each row once: the search below draws the digest several times.
    header = str(col.header(COLUMNS))
    rows = [[str(col.row(COLUMNS, p, sort_by)) for p in s.papers[:wanted]] for s in sections]
    readme = readme_link(config, os.environ if environ is None else environ)

    def draw(papers: int, listed: int) -> str:
        return quiet_references(template.render(
            readme=readme,
            last_update=today.isoformat(),
            sections=sections,
            header=header,
            rows=rows,
            papers=papers,
            wanted=wanted,
            listed=listed,
        ))

    def fits(text: str) -> bool:
        return size(text) < BODY_LIMIT

    papers = _largest(wanted, lambda n: fits(draw(n, len(sections))))
    if papers:
        return draw(papers, len(sections))
    listed = _largest(len(sections), lambda n: fits(draw(0, n)))
    return draw(0, listed)


_REFERENCE = re.compile(r"(?<![\w/@.])@(?=[A-Za-z0-9])|\\#(?=\d)|\bGH-(?=\d)")
_DESTINATION = re.compile(r"(\]\([^)\s]*\))")
"""A link's destination, which :func:`~daily_papers.markdown.md_url` writes without
spaces or parentheses: it is left as it is."""


def quiet_references(text: str) -> str:
    """Put an invisible word joiner after each ``@``, ``#`` or ``GH-`` that GitHub would
    take for a mention or an issue reference.

    In an issue, ``@name`` notifies that GitHub user and ``#12``, ``GH-12`` or
    ``owner/repo#12`` link, and back-link, an issue; a comment such as "Accepted
    @ICML2025" or "see #3" must do neither. The text reads the same; link destinations
    are not touched. Only an escaped ``\\#`` comes from the data.
    """
    if "@" not in text and "\\#" not in text and "GH-" not in text:  # the search is slow, these are rare
        return text
    parts = _DESTINATION.split(text)
    parts[::2] = [_REFERENCE.sub(lambda match: match.group(0) + "\u2060", part) for part in parts[::2]]
    return "".join(parts)


def _largest(high: int, fits: Callable[[int], bool]) -> int:
    """The largest n in 1..high for which ``fits(n)`` holds (0 if none does).

    ``fits`` must hold for every n below one it holds for: more rows never make a text shorter.
    """
    low = 0
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def readme_link(config: Config, environ: Mapping[str, str]) -> str:
    """Where the digest sends readers for everything else.

    Inside GitHub Actions: the README's absolute address, since the digest becomes an
    issue and an email, where a relative link leads nowhere. Elsewhere: the README's
    path relative to the digest file, which GitHub resolves when the file is viewed.
    """
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    workspace = environ.get("GITHUB_WORKSPACE")
    if environ.get("GITHUB_ACTIONS") == "true" and server and repository:
        root = Path(workspace).resolve() if workspace else config.path.parent
        if config.readme.is_relative_to(root):
            return f"{server}/{repository}/blob/HEAD/{config.readme.relative_to(root).as_posix()}"
    from daily_papers.render import relative_link  # render imports this module

    return relative_link(config.readme, config.digest.path.parent)
