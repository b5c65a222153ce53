"""Rendering the store into the README, the keyword pages, the feeds, the web page and the
digest: lay the tables out (:mod:`~daily_papers.outputs.layout`,
:mod:`~daily_papers.outputs.readme`), then draw each file once.

The templates receive typed values (:class:`~daily_papers.outputs.layout.Section`,
:class:`~daily_papers.paper.Paper`) and produce Markdown only through the filters of
:mod:`daily_papers.outputs.markdown`. Each paper's table row is rendered once, by
``columns.j2``; the README, the pages and the size budget all work from those rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import jinja2

from daily_papers.config import Config
from daily_papers.files import write_atomic
from daily_papers.outputs.digest import announced, render_digest
from daily_papers.outputs.environment import COLUMNS_TEMPLATE, RenderError, Templates, draw, environment
from daily_papers.outputs.feeds import ALL_FEED, OPML, Entries, all_feed, keyword_feed, opml
from daily_papers.outputs.layout import Section, day_of, feed_path, local_date, page_path, sections_for, tabulate
from daily_papers.outputs.links import Links, relative_link
from daily_papers.outputs.readme import Drawing, draw_page, draw_readme
from daily_papers.outputs.site import build_site
from daily_papers.store import KeywordStore, last_fetched, latest_new, latest_updated

__all__ = [
    "COLUMNS_TEMPLATE", "Links", "RenderError", "Section", "check_templates", "environment", "feed_path",
    "local_date", "page_path", "relative_link", "render_outputs", "sections_for", "write_outputs",
]


def render_outputs(
    config: Config,
    stores: Mapping[str, KeywordStore | None],
    links: Links | None = None,
    kept: Mapping[str, Sequence[Path]] | None = None,
) -> dict[Path, str]:
    """Every generated file and its content, in the order they are written: feeds and
    pages before the README that links to them, the digest last.

    Only the store decides what is written: its dates are the README's "Last update", so
    a render on another day, or one after a run in which arXiv never answered, writes the
    same bytes. ``kept`` names, by slug, the keywords whose feed and pages are on disk as
    this render would draw them, with their page files (none: the README shows them
    whole); while the layout still gives them those pages, they are not drawn again.
    """
    links = links or Links()
    kept = kept or {}
    templates = Templates(config)
    drawing = Drawing(config, templates, links, day_of(last_fetched(stores), config.timezone))
    sections = tabulate(config, sections_for(config, stores), templates.row, links)
    readme, sections, pages = draw_readme(drawing, sections, {s: p for s, p in kept.items() if p})
    reused = {s.slug for s in sections if s.slug in kept and bool(s.pages) == bool(kept[s.slug])}
    base_url = links.feeds_base(config)
    entries = templates.entries()
    outputs = {feed_path(config, s.slug): _feed(drawing, s, entries, base_url)
               for s in sections if s.slug not in reused}
    outputs[config.feeds / ALL_FEED] = _all_feed(drawing, sections, entries, base_url)
    outputs[config.feeds / OPML] = _opml(drawing, sections, base_url)
    outputs.update(pages)
    outputs[config.readme] = readme
    feeds = {**{feed_path(config, slug): feed_path(config, slug).read_text(encoding="utf-8") for slug in reused},
             **outputs}
    outputs.update(build_site(config, stores, latest_new(stores), drawing.today, feeds))
    outputs[config.digest.path] = _digest(drawing, sections, stores)
    return outputs


def check_templates(config: Config, stores: Mapping[str, KeywordStore | None], links: Links) -> None:
    """Raise the :class:`RenderError` a render of ``stores`` would raise for a broken
    template, without drawing every output: every template is loaded, then each is drawn
    once over each keyword's newest paper (a keyword page too, which a render draws only
    for a long table)."""
    newest = {slug: store and replace(store, papers=store.papers[:1]) for slug, store in stores.items()}
    render_outputs(config, newest, links)
    templates = Templates(config)
    drawing = Drawing(config, templates, links, day_of(last_fetched(stores), config.timezone))
    for section in tabulate(config, sections_for(config, newest), templates.row, links)[:1]:
        draw_page(drawing, section, range(len(section.papers)), 1, [page_path(config, section.slug, 1)])


def write_outputs(outputs: Mapping[Path, str]) -> list[Path]:
    """Write each file atomically; returns the paths whose content changed."""
    return [path for path, text in outputs.items() if write_atomic(path, text)]


def _feed(drawing: Drawing, section: Section, entries: Entries, base_url: str | None) -> str:
    context = keyword_feed(drawing.config.title, section, entries, _page(drawing, section), base_url)
    return draw(drawing.templates.feed, **context)


def _all_feed(drawing: Drawing, sections: Sequence[Section], entries: Entries, base_url: str | None) -> str:
    config = drawing.config
    readme = drawing.links.to(config, config.readme, config.feeds)
    return draw(drawing.templates.all_feed,
                **all_feed(config.title, sections, entries, config.arxiv.sort_by, readme, base_url))


def _opml(drawing: Drawing, sections: Sequence[Section], base_url: str | None) -> str:
    config = drawing.config
    pages = {s.slug: _page(drawing, s) for s in sections}
    readme = drawing.links.to(config, config.readme, config.feeds)
    return draw(drawing.templates.opml, **opml(config.title, sections, pages, readme, base_url))


def _page(drawing: Drawing, section: Section) -> str:
    """The keyword's page, relative to the feeds folder: its first page when the README
    shows only its newest papers, else its section of the README."""
    config = drawing.config
    if section.pages:
        return drawing.links.to(config, config.readme.parent / section.pages[0], config.feeds)
    return f"{drawing.links.to(config, config.readme, config.feeds)}#{section.anchor}"


def _digest(drawing: Drawing, sections: Sequence[Section], stores: Mapping[str, KeywordStore | None]) -> str:
    """The issue body for what the newest run brought (see :mod:`daily_papers.outputs.digest`)."""
    config = drawing.config
    named = [(s.name, s.papers) for s in sections]
    new_ids, updated_ids = latest_new(stores), latest_updated(stores)
    new = announced(named, {i: new_ids.get(s.slug, frozenset()) for i, s in enumerate(sections)},
                    config.arxiv.sort_by)
    updated = announced(named, {i: updated_ids.get(s.slug, frozenset()) for i, s in enumerate(sections)},
                        config.arxiv.sort_by)
    readme = drawing.links.to(config, config.readme, config.digest.path.parent)
    today = drawing.today
    try:
        return render_digest(drawing.templates.digest, drawing.templates.columns, new,
                             updated if config.digest.updates else None, limit=config.digest.papers,
                             day=today.isoformat() if today else "never", readme=readme,
                             sort_by=config.arxiv.sort_by)
    except jinja2.TemplateError as err:
        raise RenderError(f"{err}") from None
