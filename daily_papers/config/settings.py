"""Parsed YAML into a :class:`~daily_papers.config.model.Config`: the top-level keys and
the ``arxiv``, ``digest`` and site settings, each checked against the key table
(:mod:`daily_papers.config.keys`) for its default and range."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from daily_papers.config.keys import ARXIV, DIGEST, TOP
from daily_papers.config.keywords import _categories, _columns, _keywords
from daily_papers.config.model import ArxivSettings, Config, DigestSettings, SiteSettings
from daily_papers.config.paths import _check_paths
from daily_papers.config.values import (
    ConfigError,
    _bool,
    _check_keys,
    _hint,
    _http_url,
    _integer_key,
    _label,
    _mapping,
    _number_key,
    _path,
    _plain,
    _repository,
    _show,
    _text,
)

ARXIV_URL_ENV = "DAILY_PAPERS_ARXIV_URL"
ARXIV_HOSTS = {"export.arxiv.org", "arxiv.org", "www.arxiv.org", "rss.arxiv.org"}
FEED_URL_ENV = "DAILY_PAPERS_FEED_URL"
MIN_ARXIV_DELAY = 3.0
"""arXiv's terms: no more than one request every three seconds."""


def validate(data: Any, path: Path, environ: Mapping[str, str]) -> Config:
    """Turn parsed YAML into a :class:`Config`, or raise :class:`ConfigError`."""
    if data is None:
        raise ConfigError("the file is empty; it needs at least a 'keywords' list")
    top = _mapping(data, "the config file")
    _check_keys(top, TOP)
    root = path.parent
    arxiv = _arxiv(_section(top, "arxiv"), environ)  # None: every key commented out
    source = TOP.get(top, "source")
    choices = TOP["source"].choices
    if source not in choices:
        raise ConfigError(f"source: {_show(source)} is not one of {', '.join(choices)}"
                          + (_hint(source, choices) if isinstance(source, str) else ""))
    delay = arxiv.delay_seconds
    if source == "feed" and urlsplit(arxiv.feed_url).hostname in ARXIV_HOSTS and delay < MIN_ARXIV_DELAY:
        raise ConfigError(f"arxiv.delay_seconds: {delay:g} is below {MIN_ARXIV_DELAY:g}, "
                          "the spacing arXiv's terms of use ask for (its feeds count too)")
    shared = _categories(TOP.get(top, "categories"), "categories")

    timezone = _text(TOP.get(top, "timezone"), "timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timezone: {timezone!r} is not an IANA time zone name such as 'UTC' or "
                          "'Asia/Shanghai'") from None

    template = TOP.get(top, "template")
    digest_raw = _section(top, "digest")
    _check_keys(digest_raw, DIGEST)
    digest = DigestSettings(
        path=root / _path(DIGEST.get(digest_raw, "path"), "digest.path"),
        papers=_integer_key(DIGEST, digest_raw, "papers"),
        updates=_bool(DIGEST.get(digest_raw, "updates"), "digest.updates"),
        label=None if digest_raw.get("label") is None else _label(digest_raw["label"]),
        close_previous=_bool(DIGEST.get(digest_raw, "close_previous"), "digest.close_previous"),
    )
    repository = TOP.get(top, "repository")
    config = Config(
        path=path,
        title=_plain(TOP.get(top, "title"), "title"),
        keywords=_keywords(top.get("keywords"), shared, source),
        max_papers=_integer_key(TOP, top, "max_papers"),
        readme=root / _path(TOP.get(top, "readme"), "readme"),
        store=root / _path(TOP.get(top, "store"), "store"),
        timezone=timezone,
        template=None if template is None else root / _path(template, "template"),
        arxiv=arxiv,
        columns=_columns(TOP.get(top, "columns"), "columns"),
        pages=root / _path(TOP.get(top, "pages"), "pages"),
        feeds=root / _path(TOP.get(top, "feeds"), "feeds"),
        digest=digest,
        repository=None if repository is None else _repository(repository),
        site=_site(top, root),
        source=source,
        categories=shared,
    )
    _check_paths(config)
    return config


def _section(top: dict[str, Any], name: str) -> dict[str, Any]:
    """The mapping under ``name``; none, or null (every key commented out), is empty."""
    given = top.get(name)
    return _mapping({} if given is None else given, name)


def _arxiv(raw: dict[str, Any], environ: Mapping[str, str]) -> ArxivSettings:
    """The ``arxiv`` settings; the environment may name other endpoints (for tests and mirrors)."""
    _check_keys(raw, ARXIV)
    given = _text(ARXIV.get(raw, "url"), "arxiv.url")
    _http_url(given, "arxiv.url")  # checked even when overridden
    url = environ.get(ARXIV_URL_ENV) or given
    parts = _http_url(url, ARXIV_URL_ENV if environ.get(ARXIV_URL_ENV) else "arxiv.url")
    delay = _number_key(ARXIV, raw, "delay_seconds")
    if parts.hostname in ARXIV_HOSTS and delay < MIN_ARXIV_DELAY:
        raise ConfigError(
            f"arxiv.delay_seconds: {delay:g} is below {MIN_ARXIV_DELAY:g}, "
            "the spacing arXiv's terms of use ask for"
        )
    sort_by = ARXIV.get(raw, "sort_by")
    choices = ARXIV["sort_by"].choices
    if sort_by not in choices:
        raise ConfigError(f"arxiv.sort_by: {sort_by!r} is not one of {', '.join(choices)}")
    return ArxivSettings(
        url=url,
        delay_seconds=delay,
        retries=_integer_key(ARXIV, raw, "retries"),
        backoff_seconds=_number_key(ARXIV, raw, "backoff_seconds"),
        timeout_seconds=_number_key(ARXIV, raw, "timeout_seconds"),
        sort_by=sort_by,
        max_retry_after_seconds=_number_key(ARXIV, raw, "max_retry_after_seconds"),
        max_total_seconds=_number_key(ARXIV, raw, "max_total_seconds"),
        feed_url=_feed_url(raw, environ),
    )


def _feed_url(arxiv_raw: dict[str, Any], environ: Mapping[str, str]) -> str:
    """The feed's base URL (``DAILY_PAPERS_FEED_URL`` wins over ``arxiv.feed_url``), ending
    with ``/`` so that the categories can follow it."""
    given = _text(ARXIV.get(arxiv_raw, "feed_url"), "arxiv.feed_url")
    _http_url(given, "arxiv.feed_url")  # checked even when overridden
    url = environ.get(FEED_URL_ENV) or given
    parts = _http_url(url, FEED_URL_ENV if environ.get(FEED_URL_ENV) else "arxiv.feed_url")
    if parts.query or parts.fragment:
        raise ConfigError(f"arxiv.feed_url: {url!r} has a query or fragment; the categories are appended to it")
    return url if url.endswith("/") else url + "/"


def _site(top: dict[str, Any], root: Path) -> SiteSettings | None:
    """``site`` (a folder, default ``site``; null: none) and ``site_math`` (an http(s) script)."""
    folder = TOP.get(top, "site")
    math = TOP.get(top, "site_math")
    if math is not None:
        try:
            parts = urlsplit(_text(math, "site_math"))
            host = parts.hostname
        except ValueError:
            host = None
        if not host or parts.scheme not in ("http", "https") or any(c in math for c in " \"'<>;"):
            raise ConfigError(f"site_math: {math!r} is not an http(s) URL")
    return None if folder is None else SiteSettings(root / _path(folder, "site"), math)
