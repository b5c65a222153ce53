"""The Jinja environment the outputs are drawn with, and the templates of one config.

Every template error becomes a :class:`RenderError` that names the template, whether it
shows when the template is loaded (missing, bad syntax) or when it is drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from daily_papers.config import Config
from daily_papers.errors import DailyPapersError
from daily_papers.outputs.digest import DIGEST_TEMPLATE
from daily_papers.outputs.feeds import ALL_FEED_TEMPLATE, ENTRY_TEMPLATE, FEED_TEMPLATE, OPML_TEMPLATE, Entries
from daily_papers.outputs.feeds import FILTERS as FEED_FILTERS
from daily_papers.outputs.markdown import code_host, code_url, md, md_links, md_url, pdf_url, shorten

PACKAGE_TEMPLATES = Path(__file__).parent.parent / "templates"
README_TEMPLATE = "README.md.j2"
PAGE_TEMPLATE = "page.md.j2"
COLUMNS_TEMPLATE = "columns.j2"


class RenderError(DailyPapersError):
    """A template is missing or broken; the message names it."""


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


class Templates:
    """The templates of one configuration, each loaded (and compiled) once: loading them
    all is the check that no template is missing or broken in its syntax."""

    def __init__(self, config: Config) -> None:
        template_dir = config.template.parent if config.template else None
        env = self.env = environment(template_dir)
        where = template_dir or PACKAGE_TEMPLATES
        self.readme = load(env, config.template.name if config.template else README_TEMPLATE, where)
        self.page = load(env, PAGE_TEMPLATE, where)
        self.feed = load(env, FEED_TEMPLATE, where)
        self.all_feed = load(env, ALL_FEED_TEMPLATE, where)
        self.opml = load(env, OPML_TEMPLATE, where)
        self.digest = load(env, DIGEST_TEMPLATE, where)
        entry: Any = load(env, ENTRY_TEMPLATE, where).make_module()  # a template's macros are untyped
        self.entry: Callable[..., Any] = entry.entry
        columns: Any = load(env, COLUMNS_TEMPLATE, where).make_module()
        self.columns: Any = columns
        self.row: Callable[..., Any] = columns.row

    def entries(self) -> Entries:
        """A fresh cache of feed entries, shared by the feeds of one render."""
        return Entries(self.entry)


def load(env: jinja2.Environment, name: str, where: Path) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as err:
        raise RenderError(f"template not found: {err.name} (looked in {where})") from None
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(f"{err.filename or name}, line {err.lineno}: {err.message}") from None


def draw(template: jinja2.Template, **context: Any) -> str:
    """The template's text for ``context``; a template error names the template."""
    try:
        return template.render(**context)
    except jinja2.TemplateError as err:
        raise RenderError(f"{template.name}: {err}") from None


def call(macro: Callable[..., Any], name: str, *args: Any) -> str:
    """A macro's text (a table row, an entry); an error names its template."""
    try:
        return str(macro(*args))
    except jinja2.TemplateError as err:
        raise RenderError(f"{name}: {err}") from None
