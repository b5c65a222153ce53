"""Reading and strictly validating ``config.yaml``.

Every mistake is found here, before any request is sent or any file written, and is
reported with the key it concerns, the value found and, for a misspelt key, the
closest known one.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import SplitResult, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from daily_papers.errors import DailyPapersError

DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query"
ARXIV_URL_ENV = "DAILY_PAPERS_ARXIV_URL"
ARXIV_HOSTS = {"export.arxiv.org", "arxiv.org", "www.arxiv.org", "rss.arxiv.org"}
DEFAULT_FEED_URL = "https://rss.arxiv.org/atom/"
FEED_URL_ENV = "DAILY_PAPERS_FEED_URL"
SOURCES = ("api", "feed")
"""``api``: one search per keyword; ``feed``: arXiv's daily announcement feed (docs/feed.md)."""
MIN_ARXIV_DELAY = 3.0
"""arXiv's terms: no more than one request every three seconds."""

SORT_KEYS = ("lastUpdatedDate", "submittedDate")
COLUMNS = ("title", "date", "abstract", "comment", "authors", "categories", "pdf", "code", "first_seen")
DEFAULT_COLUMNS = ("title", "date", "abstract", "comment")
FIELD_PREFIXES = {"title": "ti", "abstract": "abs", "comment": "co", "all": "all"}


REPOSITORY = re.compile(r"[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}")
"""A GitHub repository's ``owner/name``."""


class ConfigError(DailyPapersError):
    """The configuration cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Keyword:
    """One README section: a name and what to ask arXiv for it."""

    name: str
    phrases: tuple[str, ...]
    """Matched as exact phrases, any of them (OR)."""
    fields: tuple[str, ...]
    """Where the phrases must occur: ``title``, ``abstract``, ``comment`` or ``all``."""
    categories: tuple[str, ...] = ()
    """arXiv categories to keep (``cs.LG``, ``quant-ph``); empty keeps all."""
    exclude: tuple[str, ...] = ()
    """Words or phrases that drop a paper when they occur in the same fields."""
    columns: tuple[str, ...] | None = None
    """This keyword's table columns; None uses the config's ``columns``."""

    @property
    def slug(self) -> str:
        """The keyword's file name in the store and elsewhere: ``Reward Model`` -> ``reward-model``."""
        return slugify(self.name)


@dataclass(frozen=True)
class ArxivSettings:
    """How the fetcher talks to the arXiv API."""

    url: str = DEFAULT_ARXIV_URL
    delay_seconds: float = 3.0
    retries: int = 4
    backoff_seconds: float = 5.0
    timeout_seconds: float = 30.0
    sort_by: str = "lastUpdatedDate"
    max_retry_after_seconds: float = 120.0
    """A ``Retry-After`` longer than this is cut to it."""
    max_total_seconds: float = 1200.0
    """The time a run may spend asking arXiv; after it, the keywords left are not asked."""
    feed_url: str = DEFAULT_FEED_URL
    """The announcement feed's base; the categories, joined with ``+``, follow it."""


@dataclass(frozen=True)
class DigestSettings:
    """The notification issue's body, written on every update."""

    path: Path
    papers: int = 200
    """The most new papers the digest lists (fewer when GitHub's size limit needs it), and
    the most updated ones."""
    updates: bool = True
    """List the papers that came in a newer version, apart from the new ones."""
    label: str | None = None
    """A label for the digest issue (the workflow creates it when missing)."""
    close_previous: bool = False
    """Close the previous digest issue when a new one is opened."""


@dataclass(frozen=True)
class SiteSettings:
    """The searchable static site ``render`` writes for GitHub Pages."""

    folder: Path
    math: str | None = None
    """An http(s) script that typesets the TeX in titles and abstracts; None shows TeX as written."""


@dataclass(frozen=True)
class Config:
    """A validated configuration; every path in it is absolute."""

    path: Path
    title: str
    keywords: tuple[Keyword, ...]
    max_papers: int
    readme: Path
    store: Path
    timezone: str
    template: Path | None
    arxiv: ArxivSettings
    columns: tuple[str, ...]
    """README table columns, in order, from :data:`COLUMNS`."""
    pages: Path
    """Folder of the per-keyword pages that hold every stored paper."""
    feeds: Path
    """Folder of the per-keyword Atom feeds."""
    digest: DigestSettings
    repository: str | None = None
    """``owner/name`` on GitHub, for links that leave the repository (the digest's e-mail,
    feed addresses); inside GitHub Actions the run's own repository when not given."""
    site: SiteSettings | None = None
    """None: no site (``site: null``)."""
    source: str = "api"
    """Where new papers come from: one of :data:`SOURCES`."""
    categories: tuple[str, ...] = ()
    """The top-level ``categories:``: what keywords without their own inherit."""


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by ``-``; accents are dropped, other scripts kept."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_")


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read, parse and validate the config file at ``path``.

    ``environ`` (default ``os.environ``) may override the arXiv endpoint through
    ``DAILY_PAPERS_ARXIV_URL``.
    """
    environ = os.environ if environ is None else environ
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read config file {path}: {err}") from None
    data = parse_yaml(text, path)
    try:
        return validate(data, path.resolve(), environ)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None


def parse_yaml(text: str, path: Path) -> Any:
    """Safe YAML (no Python tags) with duplicate keys refused; errors carry line and column."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        problem = err.problem or err.context or "invalid YAML"
        raise ConfigError(f"{path}: YAML error at {where}: {problem}") from None
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: YAML error: {err}") from None
    except ValueError as err:  # an integer of more digits than Python converts
        raise ConfigError(f"{path}: YAML error: {str(err).split(';')[0]}") from None


MAX_DEPTH = 32
"""How deeply a config's lists and mappings may nest: a real one needs four levels."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML would keep the last),
    a key that is not plain text (``? [a, b]``), and nesting deeper than :data:`MAX_DEPTH`
    (PyYAML builds it by recursion)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text, not a list or mapping", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_TOP_KEYS = (
    "title",
    "repository",
    "keywords",
    "max_papers",
    "readme",
    "store",
    "timezone",
    "template",
    "arxiv",
    "columns",
    "pages",
    "feeds",
    "digest",
    "site",
    "site_math",
    "source",
    "categories",
)
_DIGEST_KEYS = ("path", "papers", "updates", "label", "close_previous")
_ARXIV_KEYS = (
    "url",
    "delay_seconds",
    "retries",
    "backoff_seconds",
    "timeout_seconds",
    "sort_by",
    "max_retry_after_seconds",
    "max_total_seconds",
    "feed_url",
)
_KEYWORD_KEYS = ("name", "phrases", "fields", "categories", "exclude", "columns")


def validate(data: Any, path: Path, environ: Mapping[str, str]) -> Config:
    """Turn parsed YAML into a :class:`Config`, or raise :class:`ConfigError`."""
    if data is None:
        raise ConfigError("the file is empty; it needs at least a 'keywords' list")
    top = _mapping(data, "the config file")
    _check_keys(top, _TOP_KEYS, "")
    root = path.parent
    defaults = ArxivSettings()
    arxiv_given = top.get("arxiv")
    arxiv_raw = _mapping({} if arxiv_given is None else arxiv_given, "arxiv")  # None: every key commented out
    _check_keys(arxiv_raw, _ARXIV_KEYS, "arxiv.")

    _http_url(_text(arxiv_raw.get("url", defaults.url), "arxiv.url"), "arxiv.url")  # checked even when overridden
    url = environ.get(ARXIV_URL_ENV) or _text(arxiv_raw.get("url", defaults.url), "arxiv.url")
    parts = _http_url(url, ARXIV_URL_ENV if environ.get(ARXIV_URL_ENV) else "arxiv.url")
    delay = _number(arxiv_raw.get("delay_seconds", defaults.delay_seconds), "arxiv.delay_seconds", 0, 600)
    if parts.hostname in ARXIV_HOSTS and delay < MIN_ARXIV_DELAY:
        raise ConfigError(
            f"arxiv.delay_seconds: {delay:g} is below {MIN_ARXIV_DELAY:g}, "
            "the spacing arXiv's terms of use ask for"
        )
    sort_by = arxiv_raw.get("sort_by", defaults.sort_by)
    if sort_by not in SORT_KEYS:
        raise ConfigError(f"arxiv.sort_by: {sort_by!r} is not one of {', '.join(SORT_KEYS)}")
    arxiv = ArxivSettings(
        url=url,
        delay_seconds=delay,
        retries=_integer(arxiv_raw.get("retries", defaults.retries), "arxiv.retries", 0, 10),
        backoff_seconds=_number(
            arxiv_raw.get("backoff_seconds", defaults.backoff_seconds), "arxiv.backoff_seconds", 0, 600
        ),
        timeout_seconds=_number(
            arxiv_raw.get("timeout_seconds", defaults.timeout_seconds), "arxiv.timeout_seconds", 0.001, 600
        ),
        sort_by=sort_by,
        max_retry_after_seconds=_number(
            arxiv_raw.get("max_retry_after_seconds", defaults.max_retry_after_seconds),
            "arxiv.max_retry_after_seconds",
            0,
            3600,
        ),
        max_total_seconds=_number(
            arxiv_raw.get("max_total_seconds", defaults.max_total_seconds), "arxiv.max_total_seconds", 1, 86400
        ),
        feed_url=_feed_url(arxiv_raw, environ),
    )
    source = top.get("source", "api")
    if source not in SOURCES:
        raise ConfigError(f"source: {_show(source)} is not one of {', '.join(SOURCES)}"
                          + (_hint(source, SOURCES) if isinstance(source, str) else ""))
    if source == "feed" and urlsplit(arxiv.feed_url).hostname in ARXIV_HOSTS and delay < MIN_ARXIV_DELAY:
        raise ConfigError(f"arxiv.delay_seconds: {delay:g} is below {MIN_ARXIV_DELAY:g}, "
                          "the spacing arXiv's terms of use ask for (its feeds count too)")
    shared = _categories(top.get("categories", []), "categories")

    timezone = _text(top.get("timezone", "UTC"), "timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timezone: {timezone!r} is not an IANA time zone name such as 'UTC' or "
                          "'Asia/Shanghai'") from None

    template = top.get("template")
    digest_given = top.get("digest")
    digest_raw = _mapping({} if digest_given is None else digest_given, "digest")
    _check_keys(digest_raw, _DIGEST_KEYS, "digest.")
    digest = DigestSettings(
        path=root / _path(digest_raw.get("path", ".github/digest.md"), "digest.path"),
        papers=_integer(digest_raw.get("papers", 200), "digest.papers", 0, 2000),
        updates=_bool(digest_raw.get("updates", True), "digest.updates"),
        label=None if digest_raw.get("label") is None else _label(digest_raw["label"]),
        close_previous=_bool(digest_raw.get("close_previous", False), "digest.close_previous"),
    )
    config = Config(
        path=path,
        title=_plain(top.get("title", "Daily Papers"), "title"),
        keywords=_keywords(top.get("keywords"), shared, source),
        max_papers=_integer(top.get("max_papers", 100), "max_papers", 1, 2000),
        readme=root / _path(top.get("readme", "README.md"), "readme"),
        store=root / _path(top.get("store", "data"), "store"),
        timezone=timezone,
        template=None if template is None else root / _path(template, "template"),
        arxiv=arxiv,
        columns=_columns(top.get("columns", list(DEFAULT_COLUMNS)), "columns"),
        pages=root / _path(top.get("pages", "papers"), "pages"),
        feeds=root / _path(top.get("feeds", "feeds"), "feeds"),
        digest=digest,
        repository=None if top.get("repository") is None else _repository(top["repository"]),
        site=_site(top, root),
        source=source,
        categories=shared,
    )
    _check_paths(config)
    return config


def _check_paths(config: Config) -> None:
    """Refuse paths that would make one file overwrite another: the README, the digest,
    the template and the config itself are four files, and none lies in a folder whose
    files daily-papers writes (the store, the pages, the feeds)."""
    files = {"readme": config.readme, "digest.path": config.digest.path, "the config file": config.path}
    if config.template is not None:
        files["template"] = config.template
    seen: dict[Path, str] = {}
    for key, file in files.items():
        resolved = file.resolve()
        if resolved in seen:
            raise ConfigError(f"{key} and {seen[resolved]} are the same file ({file}); give each its own path")
        seen[resolved] = key
    folders = {"store": config.store, "pages": config.pages, "feeds": config.feeds}
    for folder_key, folder in {**folders, **({"site": config.site.folder} if config.site else {})}.items():
        inside = folder.resolve()
        for resolved, key in seen.items():
            if resolved == inside or resolved.is_relative_to(inside):
                raise ConfigError(f"{key} ({files[key]}) is in the {folder_key} folder {folder}, whose files "
                                  "daily-papers writes; put one of them elsewhere")
    named = list(folders.items())
    for index, (folder_key, folder) in enumerate(named):
        for other_key, other in named[index + 1:]:
            if folder.resolve() == other.resolve():
                raise ConfigError(f"{folder_key} and {other_key} are the same folder ({folder}); give each its own")
    outputs = {"readme": config.readme, "digest.path": config.digest.path, **folders,
               **({"site": config.site.folder} if config.site else {})}
    root = config.path.parent.resolve()
    for key, path in outputs.items():
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise ConfigError(f"{key}: {path} is outside the config file's folder {root}, which a workflow "
                              "commits; keep every output inside it")
        parts = resolved.relative_to(root).parts
        if parts[:1] == (".git",) or parts[:2] == (".github", "workflows"):
            raise ConfigError(f"{key}: {path} is in {'/'.join(parts[:2 if parts[0] == '.github' else 1])}, "
                              "which daily-papers must never write")
    if config.site is not None:
        site = config.site.folder.resolve()
        for folder_key, folder in folders.items():
            other = folder.resolve()
            if site.is_relative_to(other) or other.is_relative_to(site):
                raise ConfigError(f"site ({config.site.folder}) and the {folder_key} folder {folder} overlap; "
                                  "the site is written whole, so give it a folder of its own")
    if config.template is not None and not config.template.is_file():
        raise ConfigError(f"template: {config.template} is not a file")


def _site(top: dict[str, Any], root: Path) -> SiteSettings | None:
    """``site`` (a folder, default ``site``; null: none) and ``site_math`` (an http(s) script)."""
    folder = top.get("site", "site")
    math = top.get("site_math")
    if math is not None:
        try:
            parts = urlsplit(_text(math, "site_math"))
            host = parts.hostname
        except ValueError:
            host = None
        if not host or parts.scheme not in ("http", "https") or any(c in math for c in " \"'<>;"):
            raise ConfigError(f"site_math: {math!r} is not an http(s) URL")
    return None if folder is None else SiteSettings(root / _path(folder, "site"), math)


def _http_url(url: str, where: str) -> SplitResult:
    """``url`` split, or :class:`ConfigError` unless it is an http(s) URL with a host and,
    if given, a port from 1 to 65535: what the request will need, found before it is sent."""
    problem = f"{where}: {url!r} is not an http(s) URL such as https://export.arxiv.org/api/query"
    if len(url) > 2000 or any(c.isspace() or ord(c) < 32 for c in url):
        raise ConfigError(problem)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise ConfigError(f"{problem} ({err})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(problem)
    if port == 0:
        raise ConfigError(f"{problem} (port 0)")
    return parts


def _columns(raw: Any, where: str) -> tuple[str, ...]:
    columns = _phrases(raw, where, allow_empty=False)
    for name in columns:
        if name not in COLUMNS:
            raise ConfigError(f"{where}: {name!r} is not one of {', '.join(COLUMNS)}" + _hint(name, COLUMNS))
    if "title" not in columns:
        raise ConfigError(f"{where}: the 'title' column is required (it links each paper)")
    if len(set(columns)) != len(columns):
        raise ConfigError(f"{where}: a column is listed twice")
    return columns


def _feed_url(arxiv_raw: dict[str, Any], environ: Mapping[str, str]) -> str:
    """The feed's base URL (``DAILY_PAPERS_FEED_URL`` wins over ``arxiv.feed_url``), ending
    with ``/`` so that the categories can follow it."""
    given = _text(arxiv_raw.get("feed_url", DEFAULT_FEED_URL), "arxiv.feed_url")
    _http_url(given, "arxiv.feed_url")  # checked even when overridden
    url = environ.get(FEED_URL_ENV) or given
    parts = _http_url(url, FEED_URL_ENV if environ.get(FEED_URL_ENV) else "arxiv.feed_url")
    if parts.query or parts.fragment:
        raise ConfigError(f"arxiv.feed_url: {url!r} has a query or fragment; the categories are appended to it")
    return url if url.endswith("/") else url + "/"


def _categories(raw: Any, where: str) -> tuple[str, ...]:
    """arXiv category or archive names, each checked against :mod:`daily_papers.categories`."""
    from daily_papers.categories import problem

    categories = _phrases(raw, where, allow_empty=True)
    for cat in categories:
        found = problem(cat)
        if found:
            raise ConfigError(f"{where}: {found}")
    return tuple(dict.fromkeys(categories))


def _keywords(raw: Any, shared: tuple[str, ...] = (), source: str = "api") -> tuple[Keyword, ...]:
    if raw is None:
        raise ConfigError("keywords: missing; list at least one keyword")
    if not isinstance(raw, list):
        raise ConfigError(f"keywords: expected a list of keywords, got {_show(raw)}")
    if not raw:
        raise ConfigError("keywords: the list is empty; list at least one keyword")
    keywords = [_keyword(item, i, shared) for i, item in enumerate(raw, start=1)]
    if source == "feed":
        for kw in keywords:
            if not kw.categories:
                raise ConfigError(f"keyword {kw.name!r}: no categories; with 'source: feed' every keyword needs "
                                  "its own 'categories:' or the top-level 'categories:' list (such as [cs.LG])")
    seen_names: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    for kw in keywords:
        if not kw.slug:
            raise ConfigError(f"keywords: {kw.name!r} has no letters or digits to name its files by")
        folded = kw.name.casefold()
        if folded in seen_names:
            raise ConfigError(f"keywords: {kw.name!r} is listed twice (also as {seen_names[folded]!r})")
        if kw.slug in seen_slugs:
            raise ConfigError(
                f"keywords: {kw.name!r} and {seen_slugs[kw.slug]!r} would share the file name {kw.slug!r}"
            )
        seen_names[folded] = kw.name
        seen_slugs[kw.slug] = kw.name
    return tuple(keywords)


def _keyword(item: Any, index: int, shared: tuple[str, ...] = ()) -> Keyword:
    where = f"keywords[{index}]"
    if isinstance(item, str):
        item = {"name": item}
    spec = _mapping(item, where, hint="a name, or a mapping with 'name'")
    _check_keys(spec, _KEYWORD_KEYS, f"{where}.")
    if "name" not in spec:
        raise ConfigError(f"{where}: missing 'name'")
    name = _phrase(spec["name"], f"{where}.name")
    where = f"keyword {name!r}"
    phrases = _phrases(spec.get("phrases", [name]), f"{where}: phrases", allow_empty=False)
    fields = _phrases(spec.get("fields", ["title", "abstract"]), f"{where}: fields", allow_empty=False)
    for field_name in fields:
        if field_name not in FIELD_PREFIXES:
            raise ConfigError(
                f"{where}: fields: {field_name!r} is not one of {', '.join(FIELD_PREFIXES)}"
                + _hint(field_name, FIELD_PREFIXES)
            )
    categories = _categories(spec["categories"], f"{where}: categories") if "categories" in spec else shared
    exclude = _phrases(spec.get("exclude", []), f"{where}: exclude", allow_empty=True)
    columns = _columns(spec["columns"], f"{where}: columns") if "columns" in spec else None
    return Keyword(name=name, phrases=phrases, fields=fields, categories=categories, exclude=exclude,
                   columns=columns)


def _phrases(raw: Any, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: expected a list of text, got {_show(raw)}")
    if not raw and not allow_empty:
        raise ConfigError(f"{where}: the list is empty")
    return tuple(_phrase(value, where) for value in raw)


MAX_NAME = 100
"""Characters in a keyword's name or phrase: its file names must fit every file system."""


def _phrase(value: Any, where: str) -> str:
    text = " ".join(_plain(value, where).split())
    if not text:
        raise ConfigError(f"{where}: empty text")
    if len(text) > MAX_NAME:
        raise ConfigError(f"{where}: {text[:40]!r}... is {len(text)} characters long; keep it to {MAX_NAME}")
    if '"' in text:
        raise ConfigError(f"{where}: {text!r} contains a double quote, which arXiv queries cannot hold")
    return text


def _mapping(value: Any, where: str, hint: str = "a mapping of keys to values") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected {hint}, got {_show(value)}")
    return value


def _check_keys(mapping: dict[Any, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in mapping:
        if key not in known:
            raise ConfigError(f"unknown key {prefix}{key}" + _hint(str(key), known, prefix))


def _hint(word: str, known: Any, prefix: str = "") -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]}?)" if close else ""


def _plain(value: Any, where: str) -> str:
    """Text for a heading, a name or a query: no control character (a terminal, a log or a
    workflow command would read it as one), no lone surrogate."""
    text = _text(value, where)
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t" for c in text):
        raise ConfigError(f"{where}: {text[:60]!r} holds a control character")
    return text


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected text, got {_show(value)} (quote it if it is meant as text)")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {_show(value)}")
    return value


def _label(value: Any) -> str:
    text = _text(value, "digest.label").strip()
    if not text or len(text) > 50 or any(ord(c) < 32 or c == "," for c in text):
        raise ConfigError(f"digest.label: {text!r} is not a GitHub label (1 to 50 characters, no comma)")
    return text


def _repository(value: Any) -> str:
    text = _text(value, "repository")
    if not REPOSITORY.fullmatch(text):
        raise ConfigError(f"repository: {text!r} is not a GitHub repository such as 'octocat/papers'")
    return text


def _path(value: Any, where: str) -> str:
    text = _text(value, where)
    if not text.strip():
        raise ConfigError(f"{where}: empty; give a path relative to the config file's folder")
    return text


def _number(value: Any, where: str, low: float, high: float) -> float:
    return float(_ranged(value, where, low, high, (int, float), "a number"))


def _integer(value: Any, where: str, low: int, high: int) -> int:
    return int(_ranged(value, where, low, high, (int,), "a whole number"))


def _ranged(
    value: Any, where: str, low: float, high: float, types: tuple[type, ...], kind: str
) -> int | float:
    if isinstance(value, bool) or not isinstance(value, types):
        raise ConfigError(f"{where}: expected {kind} from {low:g} to {high:g}, got {_show(value)}")
    number = cast("int | float", value)
    if not low <= number <= high:
        raise ConfigError(f"{where}: {number!r} is out of range; use {kind} from {low:g} to {high:g}")
    return number


def _show(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return f"{text if len(text) <= 60 else text[:57] + '...'} ({type(value).__name__})"
