"""Rendering the store into the README, the keyword pages, the feeds and the digest.

The templates receive typed values (:class:`Section`, :class:`~daily_papers.paper.Paper`)
and produce Markdown only through the filters of :mod:`daily_papers.outputs.markdown`. Each
paper's table row is rendered once, by ``columns.j2``; the README, the pages and the size
budget all work from those rows.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from daily_papers.config import DEFAULT_COLUMNS, Config, Keyword
from daily_papers.errors import DailyPapersError
from daily_papers.files import write_atomic
from daily_papers.outputs.budget import (
    LIMIT,
    fair_shares,
    fit_prefix,
    largest_fitting,
    paginate,
    size,
)
from daily_papers.outputs.digest import announced, render_digest
from daily_papers.outputs.feeds import (
    ALL_FEED,
    ALL_FEED_TEMPLATE,
    ENTRY_TEMPLATE,
    FEED_TEMPLATE,
    OPML,
    OPML_TEMPLATE,
    Entries,
    all_feed,
    keyword_feed,
    opml,
)
from daily_papers.outputs.feeds import FILTERS as FEED_FILTERS
from daily_papers.outputs.markdown import (
    code_host,
    code_url,
    github_anchors,
    md,
    md_links,
    md_url,
    pdf_url,
    shorten,
)
from daily_papers.outputs.site import build_site
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore, last_fetched, latest_new, latest_updated

log = logging.getLogger(__name__)

PACKAGE_TEMPLATES = Path(__file__).parent.parent / "templates"
README_TEMPLATE = "README.md.j2"
PAGE_TEMPLATE = "page.md.j2"
COLUMNS_TEMPLATE = "columns.j2"

_SLACK = 16
"""Bytes kept free per table for text whose length the estimate cannot know (counts)."""


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


class RenderError(DailyPapersError):
    """A template is missing or broken; the message names it."""


@dataclass(frozen=True)
class Links:
    """Where the repository lives, for the links that leave it (the digest becomes an
    e-mail, where a relative link leads nowhere). Passed in by the caller: the renderer
    reads no environment."""

    repository: str | None = None
    """``owner/name`` on GitHub; None renders relative links."""
    server: str = "https://github.com"

    def blob(self, config: Config, path: Path) -> str | None:
        """GitHub's page for ``path`` (under the config's folder, the repository's root)."""
        if self.repository is None or not path.is_relative_to(config.path.parent):
            return None
        return f"{self.server}/{self.repository}/blob/HEAD/{path.relative_to(config.path.parent).as_posix()}"

    def pages(self, config: Config, path: Path) -> str | None:
        """``path`` inside the site folder as GitHub Pages serves it (github.com only)."""
        if self.repository is None or self.server != "https://github.com" or config.site is None \
                or not path.is_relative_to(config.site.folder):
            return None
        owner, name = self.repository.split("/")
        base = f"https://{owner.lower()}.github.io/"
        if name.lower() != f"{owner.lower()}.github.io":
            base += f"{name}/"
        relative = path.relative_to(config.site.folder).as_posix()
        return base + ("" if relative == "." else relative)

    def feeds_base(self, config: Config) -> str | None:
        """Where the feeds are served (their ``rel="self"``), None when unknown."""
        served = self.subscribe(config, config.feeds / ALL_FEED)
        return served.rsplit("/", 1)[0] + "/" if served else None

    def subscribe(self, config: Config, feed: Path) -> str | None:
        """The address a feed reader subscribes to: the site's copy when there is a site
        (Pages serves it as a feed), else the raw file."""
        if config.site is not None:
            served = self.pages(config, config.site.folder / "feeds" / feed.relative_to(config.feeds))
            if served:
                return served
        return self.raw(config, feed)

    def raw(self, config: Config, path: Path) -> str | None:
        """The file itself, as a feed reader must fetch it (GitHub's page of it is HTML)."""
        if self.repository is None or self.server != "https://github.com" \
                or not path.is_relative_to(config.path.parent):
            return None
        return f"https://raw.githubusercontent.com/{self.repository}/HEAD/" \
               f"{path.relative_to(config.path.parent).as_posix()}"


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment over the user's template folder (first) and the package's.

    The package's templates are also reachable as ``daily_papers/<name>``, so a user's
    template can extend the default one it replaces. Templates named ``*.xml.j2`` escape
    every value for XML; the Markdown ones escape nothing by themselves (the ``md``
    filter escapes every datum). One environment per folder is kept, with the templates
    it compiled; Jinja reloads a template whose file changed.
    """
    return _environment(template_dir)


@functools.lru_cache(maxsize=8)
def _environment(template_dir: Path | None) -> jinja2.Environment:
    package = jinja2.FileSystemLoader(PACKAGE_TEMPLATES)
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [jinja2.PrefixLoader({"daily_papers": package}), package]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # XML templates escape every value; Markdown and HTML rows escape through the md filters
        autoescape=lambda name: name is not None and name.endswith(".xml.j2"),  # noqa: S701
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md=md,
        md_links=md_links,
        md_url=md_url,
        shorten=shorten,
        ymd=_ymd,
        pdf_url=pdf_url,
        code_url=code_url,
        code_host=code_host,
        **FEED_FILTERS,
    )
    return env


def _ymd(day: date) -> str:
    """``2025-05-26``: the tables' date format (faster than ``strftime``, once per row)."""
    return "%04d-%02d-%02d" % (day.year, day.month, day.day)


def local_date(now: datetime, timezone: str) -> date:
    """The calendar date of ``now`` in the configured time zone (the "Last update"); the
    UTC date for an instant at the end of year 9999, which has none further east."""
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except OverflowError:
        return now.date()


def sections_for(config: Config, stores: Mapping[str, KeywordStore | None]) -> list[Section]:
    """The configured keywords in config order, each with its stored papers (none yet: empty)
    and the day arXiv last answered for it."""
    page_day = _day(last_fetched(stores), config.timezone)
    sections = []
    for kw in config.keywords:
        stored = stores.get(kw.slug)
        day = _day(stored.fetched if stored else None, config.timezone)
        sections.append(Section(kw, stored.papers if stored else (), fetched=day,
                                stale=day is not None and page_day is not None and day < page_day))
    return sections


def _day(when: datetime | None, timezone: str) -> date | None:
    return None if when is None else local_date(when, timezone)


def feed_path(config: Config, slug: str) -> Path:
    return config.feeds / f"{slug}.xml"


def page_path(config: Config, slug: str, number: int) -> Path:
    """``papers/<slug>.md``, then ``papers/<slug>.2.md``: no keyword's slug has a dot, so
    a page never takes another keyword's name."""
    return config.pages / (f"{slug}.md" if number == 1 else f"{slug}.{number}.md")


def render_outputs(
    config: Config, stores: Mapping[str, KeywordStore | None], links: Links | None = None
) -> dict[Path, str]:
    """Every generated file and its content, in the order they are written: feeds and
    pages before the README that links to them, the digest last.

    Only the store decides what is written: its dates are the README's "Last update", so
    a render on another day, or one after a run in which arXiv never answered, writes the
    same bytes.
    """
    links = links or Links()
    last = last_fetched(stores)
    renderer = _Renderer(config, _day(last, config.timezone), links)
    sections = renderer.tabulate(sections_for(config, stores))
    readme, sections, pages = renderer.readme(sections)  # first: a feed links to its keyword's page
    base_url = links.feeds_base(config)
    outputs = {feed_path(config, s.slug): renderer.feed(s, base_url) for s in sections}
    outputs[config.feeds / ALL_FEED] = renderer.all_feed(sections, base_url)
    outputs[config.feeds / OPML] = renderer.opml(sections, base_url)
    outputs.update(pages)
    outputs[config.readme] = readme
    outputs.update(build_site(config, stores, latest_new(stores), renderer.today, outputs))
    outputs[config.digest.path] = renderer.digest(sections, stores)
    return outputs


def write_outputs(outputs: Mapping[Path, str]) -> list[Path]:
    """Write each file atomically; returns the paths whose content changed."""
    return [path for path, text in outputs.items() if write_atomic(path, text)]


class _Renderer:
    """The templates of one configuration, loaded once, and what the outputs share."""

    def __init__(self, config: Config, today: date | None, links: Links) -> None:
        self.config = config
        self.today = today
        self.links = links
        template_dir = config.template.parent if config.template else None
        env = self.env = environment(template_dir)
        where = template_dir or PACKAGE_TEMPLATES
        self.readme_template = _load(env, config.template.name if config.template else README_TEMPLATE, where)
        self.page_template = _load(env, PAGE_TEMPLATE, where)
        self.feed_template = _load(env, FEED_TEMPLATE, where)
        self.all_feed_template = _load(env, ALL_FEED_TEMPLATE, where)
        self.opml_template = _load(env, OPML_TEMPLATE, where)
        entry: Any = _load(env, ENTRY_TEMPLATE, where).make_module()  # a template's macros are untyped
        self.entries = Entries(entry.entry)
        columns: Any = _load(env, COLUMNS_TEMPLATE, where).make_module()
        self.row: Callable[..., Any] = columns.row

    def tabulate(self, sections: Sequence[Section]) -> list[Section]:
        """Each section with its columns, rendered rows, anchor and feed link, showing all."""
        config, base = self.config, self.config.readme.parent
        anchors = github_anchors([config.title, *(s.name for s in sections)])[1:]
        tabulated = []
        for section, anchor in zip(sections, anchors):
            columns = section.keyword.columns or config.columns
            rows = tuple(
                _call(self.row, COLUMNS_TEMPLATE, columns, paper, config.arxiv.sort_by) for paper in section.papers
            )
            feed = feed_path(config, section.slug)
            tabulated.append(replace(
                section, columns=columns, rows=rows, shown=len(rows), anchor=anchor,
                feed=self.links.subscribe(config, feed) or relative_link(feed, base),
            ))
        return tabulated

    def digest(self, sections: Sequence[Section], stores: Mapping[str, KeywordStore | None]) -> str:
        """The issue body for what the newest run brought (see :mod:`daily_papers.outputs.digest`)."""
        config = self.config
        named = [(s.name, s.papers) for s in sections]
        new_ids, updated_ids = latest_new(stores), latest_updated(stores)
        new = announced(named, {i: new_ids.get(s.slug, frozenset()) for i, s in enumerate(sections)},
                        config.arxiv.sort_by)
        updated = announced(named, {i: updated_ids.get(s.slug, frozenset()) for i, s in enumerate(sections)},
                            config.arxiv.sort_by)
        readme = self.links.blob(config, config.readme) or relative_link(config.readme, config.digest.path.parent)
        try:
            return render_digest(self.env, self.row, new, updated if config.digest.updates else None,
                                 limit=config.digest.papers,
                                 day=self.today.isoformat() if self.today else "never",
                                 readme=readme, sort_by=config.arxiv.sort_by)
        except jinja2.TemplateError as err:
            raise RenderError(f"{err}") from None

    def feed(self, section: Section, base_url: str | None) -> str:
        context = keyword_feed(self.config.title, section, self.entries, self._page(section), base_url)
        return _render(self.feed_template, **context)

    def all_feed(self, sections: Sequence[Section], base_url: str | None) -> str:
        readme = self.links.blob(self.config, self.config.readme) or relative_link(self.config.readme,
                                                                                   self.config.feeds)
        return _render(self.all_feed_template,
                       **all_feed(self.config.title, sections, self.entries, self.config.arxiv.sort_by, readme,
                                  base_url))

    def opml(self, sections: Sequence[Section], base_url: str | None) -> str:
        pages = {s.slug: self._page(s) for s in sections}
        readme = self.links.blob(self.config, self.config.readme) or relative_link(self.config.readme,
                                                                                   self.config.feeds)
        return _render(self.opml_template, **opml(self.config.title, sections, pages, readme, base_url))

    def _page(self, section: Section) -> str:
        """The keyword's page, relative to the feeds folder: its first page when the README
        shows only its newest papers, else its section of the README."""
        if section.pages:
            page = self.config.readme.parent / section.pages[0]
            return self.links.blob(self.config, page) or relative_link(page, self.config.feeds)
        readme = self.links.blob(self.config, self.config.readme) or relative_link(self.config.readme,
                                                                                   self.config.feeds)
        return f"{readme}#{section.anchor}"

    def readme(self, sections: list[Section]) -> tuple[str, list[Section], dict[Path, str]]:
        """The README, its sections as shown, and the pages of the sections it cuts.

        When every table fits under :data:`~daily_papers.outputs.budget.LIMIT` the README shows
        them whole and there are no pages. Otherwise each table gets a fair share of the
        room the rest of the README leaves, shows its newest papers that fit, and links
        to its pages, which hold all of them.
        """
        text = self._draw_readme(sections)
        if size(text) < LIMIT:
            return text, sections, {}
        sizes = [[size(row) + 1 for row in s.rows] for s in sections]  # each with its line break
        needs = [sum(s) for s in sizes]
        log.info("the tables need %d bytes, more than a README can show; each keyword shows its newest "
                 "papers that fit and links to pages with all of them", sum(needs))
        pages: dict[str, tuple[tuple[str, ...], dict[Path, str]]] = {}

        def draw(room: int) -> tuple[int, tuple[str, list[Section]]]:
            shown = []
            for section, sz, share in zip(sections, sizes, fair_shares(needs, room)):
                count = fit_prefix(sz, share)
                if count < len(section.papers) and section.slug not in pages:
                    pages[section.slug] = self._pages(section, sz)
                links = pages[section.slug][0] if count < len(section.papers) else ()
                shown.append(replace(section, shown=count, pages=links))
            drawn = self._draw_readme(shown)
            return size(drawn), (drawn, shown)

        estimate = LIMIT - 1 - (size(text) - sum(needs)) - _SLACK * len(sections)
        fits, (text, shown) = largest_fitting(draw, estimate, sum(needs))
        if not fits:
            log.warning("%s: %d bytes even without papers; GitHub will not show its end",
                        self.config.readme, size(text))
        files = {path: page for s in shown if s.pages for path, page in pages[s.slug][1].items()}
        return text, shown, files

    def _draw_readme(self, sections: list[Section]) -> str:
        config = self.config
        return _render(
            self.readme_template,
            title=config.title,
            sections=sections,
            max_papers=config.max_papers,
            last_update=self.today.isoformat() if self.today else None,
            sort_by=config.arxiv.sort_by,
            columns=config.columns,
            site_url=self.links.pages(config, config.site.folder) if config.site else None,
            all_feed=self.links.subscribe(config, config.feeds / ALL_FEED)
            or relative_link(config.feeds / ALL_FEED, config.readme.parent),
            feeds_opml=self.links.subscribe(config, config.feeds / OPML)
            or relative_link(config.feeds / OPML, config.readme.parent),
        )

    def _pages(self, section: Section, sizes: list[int]) -> tuple[tuple[str, ...], dict[Path, str]]:
        """A section's pages (links relative to the README, and their files): as few as
        keep each page under the limit, in order, newest first."""

        def draw(room: int) -> tuple[int, tuple[list[Path], list[str]]]:
            runs = paginate(sizes, room)
            paths = [page_path(self.config, section.slug, n) for n in range(1, len(runs) + 1)]
            texts = [self._draw_page(section, run, number, paths) for number, run in enumerate(runs, start=1)]
            return max(size(t) for t in texts), (paths, texts)

        paths = [page_path(self.config, section.slug, 1)]
        texts = [self._draw_page(section, range(len(sizes)), 1, paths)]
        if size(texts[0]) >= LIMIT:
            estimate = LIMIT - 1 - (size(texts[0]) - sum(sizes)) - _SLACK
            fits, (paths, texts) = largest_fitting(draw, estimate, sum(sizes))
            if not fits:
                log.warning("%s: a page is over %d bytes even with one paper per page", section.name, LIMIT)
        base = self.config.readme.parent
        return tuple(relative_link(p, base) for p in paths), dict(zip(paths, texts))

    def _draw_page(self, section: Section, run: range, number: int, paths: list[Path]) -> str:
        folder = paths[0].parent
        return _render(
            self.page_template,
            title=self.config.title,
            section=section,
            page=number,
            pages=[relative_link(p, folder) for p in paths],
            papers=section.papers[run.start:run.stop],
            rows=section.rows[run.start:run.stop],
            readme=relative_link(self.config.readme, folder),
            feed=relative_link(feed_path(self.config, section.slug), folder),
            sort_by=self.config.arxiv.sort_by,
        )


def relative_link(target: Path, base: Path) -> str:
    """``target`` relative to the folder ``base``, with ``/`` as GitHub wants it."""
    return Path(os.path.relpath(target, base)).as_posix()


def _load(env: jinja2.Environment, name: str, where: Path) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as err:
        raise RenderError(f"template not found: {err.name} (looked in {where})") from None
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(f"{err.filename or name}, line {err.lineno}: {err.message}") from None


def _render(template: jinja2.Template, **context: Any) -> str:
    try:
        return template.render(**context)
    except jinja2.TemplateError as err:
        raise RenderError(f"{template.name}: {err}") from None


def _call(macro: Callable[..., Any], name: str, *args: Any) -> str:
    try:
        return str(macro(*args))
    except jinja2.TemplateError as err:
        raise RenderError(f"{name}: {err}") from None
