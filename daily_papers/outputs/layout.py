"""What the outputs are made of, as data: each keyword's section (its papers, its rows, how
much of it the README shows, its pages), and where each file goes. Nothing here draws a
whole file; :mod:`daily_papers.outputs.readme` decides how much of each table the README
shows, and the drawing is :mod:`daily_papers.outputs.render`'s."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from daily_papers.config import DEFAULT_COLUMNS, Config, Keyword
from daily_papers.outputs.environment import COLUMNS_TEMPLATE, call
from daily_papers.outputs.links import Links, relative_link
from daily_papers.outputs.markdown import github_anchors
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore, last_fetched


@dataclass(frozen=True)
class Section:
    """One keyword's part of the outputs: its settings, its papers (newest first), and how
    the README shows them."""

    keyword: Keyword
    papers: tuple[Paper, ...]
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    """The keyword's table columns (its own, else the config's)."""
    rows: tuple[str, ...] = ()
    """Each paper's table row as rendered by ``columns.j2``, without the line break."""
    shown: int = 0
    """How many of the newest papers (and rows) the README shows."""
    anchor: str = ""
    """The fragment of the section's heading in the README, by GitHub's rules."""
    feed: str = ""
    """The keyword's Atom feed, relative to the README."""
    pages: tuple[str, ...] = ()
    """The keyword's pages, relative to the README; empty when the README shows every paper."""
    fetched: date | None = None
    """The day arXiv last answered for this keyword (config time zone); None: never."""
    stale: bool = False
    """True when that day is older than the page's "Last update": arXiv did not answer since."""

    @property
    def name(self) -> str:
        return self.keyword.name

    @property
    def slug(self) -> str:
        return self.keyword.slug

    @property
    def truncated(self) -> bool:
        """True when the README shows only the newest papers and the pages hold them all."""
        return self.shown < len(self.papers)


def local_date(now: datetime, timezone: str) -> date:
    """The calendar date of ``now`` in the configured time zone (the "Last update"); the
    UTC date for an instant at the end of year 9999, which has none further east."""
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except OverflowError:
        return now.date()


def day_of(when: datetime | None, timezone: str) -> date | None:
    return None if when is None else local_date(when, timezone)


def sections_for(config: Config, stores: Mapping[str, KeywordStore | None]) -> list[Section]:
    """The configured keywords in config order, each with its stored papers (none yet: empty)
    and the day arXiv last answered for it."""
    page_day = day_of(last_fetched(stores), config.timezone)
    sections = []
    for kw in config.keywords:
        stored = stores.get(kw.slug)
        day = day_of(stored.fetched if stored else None, config.timezone)
        sections.append(Section(kw, stored.papers if stored else (), fetched=day,
                                stale=day is not None and page_day is not None and day < page_day))
    return sections


def tabulate(config: Config, sections: Sequence[Section], row: Callable[..., Any], links: Links) -> list[Section]:
    """Each section with its columns, rendered rows, anchor and feed link, showing all."""
    base = config.readme.parent
    anchors = github_anchors([config.title, *(s.name for s in sections)])[1:]
    tabulated = []
    for section, anchor in zip(sections, anchors):
        columns = section.keyword.columns or config.columns
        rows = tuple(call(row, COLUMNS_TEMPLATE, columns, paper, config.arxiv.sort_by) for paper in section.papers)
        feed = feed_path(config, section.slug)
        tabulated.append(replace(
            section, columns=columns, rows=rows, shown=len(rows), anchor=anchor,
            feed=links.subscribe(config, feed) or relative_link(feed, base),
        ))
    return tabulated


def feed_path(config: Config, slug: str) -> Path:
    return config.feeds / f"{slug}.xml"


def page_path(config: Config, slug: str, number: int) -> Path:
    """``papers/<slug>.md``, then ``papers/<slug>.2.md``: no keyword's slug has a dot, so
    a page never takes another keyword's name."""
    return config.pages / (f"{slug}.md" if number == 1 else f"{slug}.{number}.md")
