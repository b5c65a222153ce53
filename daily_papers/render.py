"""Rendering the store into the README (and the other generated files) through Jinja2.

The templates receive typed values (:class:`Section`, :class:`~daily_papers.paper.Paper`)
and produce Markdown only through the filters of :mod:`daily_papers.markdown`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from daily_papers.config import Config, Keyword
from daily_papers.digest import render_digest
from daily_papers.files import write_atomic
from daily_papers.markdown import md, md_url, shorten
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Section:
    """One keyword's part of the page: its settings and its papers, newest first."""

    keyword: Keyword
    papers: tuple[Paper, ...]

    @property
    def name(self) -> str:
        return self.keyword.name

    @property
    def slug(self) -> str:
        return self.keyword.slug


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment over the user's template folder (first) and the package's.

    The package's templates are also reachable as ``daily_papers/<name>``, so a user's
    template can extend the default one it replaces.
    """
    package = jinja2.FileSystemLoader(PACKAGE_TEMPLATES)
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [jinja2.PrefixLoader({"daily_papers": package}), package]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # the output is Markdown; the md filter escapes every datum
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(md=md, md_url=md_url, shorten=shorten, ymd=lambda d: d.strftime("%Y-%m-%d"))
    return env


def local_date(now: datetime, timezone: str) -> date:
    """The calendar date of ``now`` in the configured time zone (the "Last update")."""
    return now.astimezone(ZoneInfo(timezone)).date()


def render_readme(config: Config, sections: list[Section], today: date) -> str:
    """The README: the configured template (or the package default) over every section."""
    template_dir = config.template.parent if config.template else None
    name = config.template.name if config.template else "README.md.j2"
    try:
        template = environment(template_dir).get_template(name)
    except jinja2.TemplateNotFound as err:
        raise RenderError(f"template not found: {err.name} (looked in {template_dir or PACKAGE_TEMPLATES})") from None
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(f"{err.filename or name}, line {err.lineno}: {err.message}") from None
    try:
        return template.render(
            title=config.title,
            sections=sections,
            max_papers=config.max_papers,
            last_update=today.isoformat(),
            sort_by=config.arxiv.sort_by,
            columns=config.columns,
        )
    except jinja2.TemplateError as err:
        raise RenderError(f"{name}: {err}") from None


class RenderError(Exception):
    """A template is missing or broken; the message names it."""


def sections_for(config: Config, stores: Mapping[str, KeywordStore | None]) -> list[Section]:
    """The configured keywords in config order, each with its stored papers (none yet: empty)."""
    return [Section(kw, stored.papers if (stored := stores.get(kw.slug)) else ()) for kw in config.keywords]


def render_outputs(config: Config, stores: Mapping[str, KeywordStore | None], now: datetime) -> dict[Path, str]:
    """Every generated file and its content, in the order they are written."""
    sections = sections_for(config, stores)
    today = local_date(now, config.timezone)
    return {
        config.readme: render_readme(config, sections, today),
        config.digest.path: render_digest(config, sections, today),
    }


def write_outputs(outputs: Mapping[Path, str]) -> list[Path]:
    """Write each file atomically; returns the paths whose content changed."""
    return [path for path, text in outputs.items() if write_atomic(path, text)]
