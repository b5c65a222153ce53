"""The digest: the body of the issue that tells watchers about new papers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from daily_papers.config import Config
    from daily_papers.render import Section


def digest_title(new_papers: int, today: date) -> str:
    """``Latest 12 Papers - May 27, 2025``: the notification issue's title."""
    return f"Latest {new_papers} Papers - {today.strftime('%B')} {today.day}, {today.year}"


def render_digest(config: Config, sections: list[Section], today: date) -> str:
    """The issue body: newest papers per keyword, no abstracts (placeholder until issue 4 lands)."""
    lines = [f"See the [README]({config.readme.name}) for all papers; last update: {today.isoformat()}.", ""]
    for section in sections:
        lines.append(f"## {section.name}")
        lines += [f"- {p.title}" for p in section.papers[: config.digest.papers]]
        lines.append("")
    return "\n".join(lines)
