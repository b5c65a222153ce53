"""The README and the keyword pages, under GitHub's size limit.

When every table fits under :data:`~daily_papers.outputs.budget.LIMIT` the README shows
them whole and there are no pages. Otherwise each table gets a fair share of the room
the rest of the README leaves, shows its newest papers that fit, and links to its pages,
which hold all of them; :func:`~daily_papers.outputs.budget.largest_fitting` finds the
room for the README and for each keyword's pages.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from daily_papers.config import Config
from daily_papers.outputs.budget import LIMIT, fair_shares, fit_prefix, largest_fitting, paginate, size
from daily_papers.outputs.environment import Templates, draw
from daily_papers.outputs.feeds import ALL_FEED, OPML
from daily_papers.outputs.layout import Section, feed_path, page_path
from daily_papers.outputs.links import Links, relative_link

log = logging.getLogger(__name__)

_SLACK = 16
"""Bytes kept free per table for text whose length the estimate cannot know (counts)."""


@dataclass(frozen=True)
class Drawing:
    """What the README and the pages are drawn with."""

    config: Config
    templates: Templates
    links: Links
    today: date | None


def draw_readme(
    drawing: Drawing, sections: list[Section], kept: Mapping[str, Sequence[Path]] | None = None
) -> tuple[str, list[Section], dict[Path, str]]:
    """The README, its sections as shown, and the pages of the sections it cuts.

    ``kept`` holds, by slug, the page files of keywords whose pages are on disk as this
    render would draw them: they are linked and not drawn again.
    """
    kept = kept or {}
    text = _draw(drawing, sections)
    if size(text) < LIMIT:
        return text, sections, {}
    sizes = [[size(row) + 1 for row in s.rows] for s in sections]  # each with its line break
    needs = [sum(s) for s in sizes]
    log.info("the tables need %d bytes, more than a README can show; each keyword shows its newest "
             "papers that fit and links to pages with all of them", sum(needs))
    pages: dict[str, tuple[tuple[str, ...], dict[Path, str]]] = {}

    def page_files(section: Section, sz: list[int]) -> tuple[tuple[str, ...], dict[Path, str]]:
        if section.slug in kept:
            base = drawing.config.readme.parent
            return tuple(relative_link(p, base) for p in kept[section.slug]), {}
        return draw_pages(drawing, section, sz)

    def fit(room: int) -> tuple[int, tuple[str, list[Section]]]:
        shown = []
        for section, sz, share in zip(sections, sizes, fair_shares(needs, room)):
            count = fit_prefix(sz, share)
            if count < len(section.papers) and section.slug not in pages:
                pages[section.slug] = page_files(section, sz)
            links = pages[section.slug][0] if count < len(section.papers) else ()
            shown.append(replace(section, shown=count, pages=links))
        drawn = _draw(drawing, shown)
        return size(drawn), (drawn, shown)

    estimate = LIMIT - 1 - (size(text) - sum(needs)) - _SLACK * len(sections)
    fits, (text, shown) = largest_fitting(fit, estimate, sum(needs))
    if not fits:
        log.warning("%s: %d bytes even without papers; GitHub will not show its end",
                    drawing.config.readme, size(text))
    files = {path: page for s in shown if s.pages for path, page in pages[s.slug][1].items()}
    return text, shown, files


def _draw(drawing: Drawing, sections: list[Section]) -> str:
    config, links = drawing.config, drawing.links
    return draw(
        drawing.templates.readme,
        title=config.title,
        sections=sections,
        max_papers=config.max_papers,
        last_update=drawing.today.isoformat() if drawing.today else None,
        sort_by=config.arxiv.sort_by,
        columns=config.columns,
        site_url=links.pages(config, config.site.folder) if config.site else None,
        all_feed=links.subscribe(config, config.feeds / ALL_FEED)
        or relative_link(config.feeds / ALL_FEED, config.readme.parent),
        feeds_opml=links.subscribe(config, config.feeds / OPML)
        or relative_link(config.feeds / OPML, config.readme.parent),
    )


def draw_pages(drawing: Drawing, section: Section, sizes: list[int]) -> tuple[tuple[str, ...], dict[Path, str]]:
    """A section's pages (links relative to the README, and their files): as few as
    keep each page under the limit, in order, newest first."""
    config = drawing.config

    def fit(room: int) -> tuple[int, tuple[list[Path], list[str]]]:
        runs = paginate(sizes, room)
        paths = [page_path(config, section.slug, n) for n in range(1, len(runs) + 1)]
        texts = [draw_page(drawing, section, run, number, paths) for number, run in enumerate(runs, start=1)]
        return max(size(t) for t in texts), (paths, texts)

    paths = [page_path(config, section.slug, 1)]
    texts = [draw_page(drawing, section, range(len(sizes)), 1, paths)]
    if size(texts[0]) >= LIMIT:
        estimate = LIMIT - 1 - (size(texts[0]) - sum(sizes)) - _SLACK
        fits, (paths, texts) = largest_fitting(fit, estimate, sum(sizes))
        if not fits:
            log.warning("%s: a page is over %d bytes even with one paper per page", section.name, LIMIT)
    base = config.readme.parent
    return tuple(relative_link(p, base) for p in paths), dict(zip(paths, texts))


def draw_page(drawing: Drawing, section: Section, run: range, number: int, paths: list[Path]) -> str:
    config = drawing.config
    folder = paths[0].parent
    return draw(
        drawing.templates.page,
        title=config.title,
        section=section,
        page=number,
        pages=[relative_link(p, folder) for p in paths],
        papers=section.papers[run.start:run.stop],
        rows=section.rows[run.start:run.stop],
        readme=relative_link(config.readme, folder),
        feed=relative_link(feed_path(config, section.slug), folder),
        sort_by=config.arxiv.sort_by,
    )
