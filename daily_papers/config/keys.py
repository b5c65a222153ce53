"""The keys of ``config.yaml``: one table that names each key once, with its default, its
range and what it does.

The validator reads its defaults, bounds and choices from here and refuses any key not in
it; ``docs/configuration.md`` shows it as its reference tables (``python
tests/update_docs.py`` writes them), so the checks, the defaults and the documentation
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

SortKey = Literal["lastUpdatedDate", "submittedDate"]
"""The dates arXiv sorts by that a config may pick (``arxiv.sort_by``)."""
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)

Column = Literal["title", "date", "abstract", "comment", "authors", "categories", "pdf", "code", "first_seen"]
"""A column of the README's tables."""
COLUMNS: tuple[Column, ...] = get_args(Column)
DEFAULT_COLUMNS: tuple[Column, ...] = ("title", "date", "abstract", "comment")

Field = Literal["title", "abstract", "comment", "all"]
"""Where a keyword's phrases are looked for."""
FIELD_PREFIXES: dict[str, str] = {"title": "ti", "abstract": "abs", "comment": "co", "all": "all"}
"""Each field's prefix in an arXiv query."""

Source = Literal["api", "feed"]
SOURCES: tuple[Source, ...] = get_args(Source)
"""``api``: one search per keyword; ``feed``: arXiv's daily announcement feed (docs/feed.md)."""

DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query"
DEFAULT_FEED_URL = "https://rss.arxiv.org/atom/"


class _Required:
    """The marker of a key without a default: no value of YAML can be it."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""The default of a key that must be given."""


@dataclass(frozen=True)
class Key:
    """One key: how the reference describes it and what the validator checks it against."""

    name: str
    kind: str
    """Its type as the reference writes it (``text``, ``whole number``, ``path or null``)."""
    doc: str
    """What it does: the reference's last column."""
    default: Any = None
    low: float | None = None
    high: float | None = None
    """The range of a number, both ends included."""
    choices: tuple[str, ...] = ()
    """The only values it takes, for a key of text."""
    limits: str = ""
    """The rest of its range, in words."""
    shown: str = ""
    """Its default in words, when that is not a value (``the name``)."""

    @property
    def default_text(self) -> str:
        """The default as the reference writes it."""
        value = self.default
        if self.shown:
            return self.shown
        if value is REQUIRED:
            return "required"
        if value is None:
            return "null"
        if value == ():
            return "none"
        if isinstance(value, bool):
            return f"`{str(value).lower()}`"
        if isinstance(value, (int, float)):
            return f"`{value:g}`"
        if isinstance(value, tuple):
            return f"`[{', '.join(value)}]`"
        return f"`{value}`"

    @property
    def range_text(self) -> str:
        """The values it takes, as the reference writes them."""
        parts = []
        if self.low is not None and self.high is not None:
            parts.append(f"{self.low:g} to {self.high:g}")
        if self.choices:
            parts.append(" or ".join(f"`{c}`" for c in self.choices))
        return "; ".join([*parts, self.limits] if self.limits else parts)


@dataclass(frozen=True)
class Section:
    """The keys of one mapping of the config; ``prefix`` names them in messages."""

    prefix: str
    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def __getitem__(self, name: str) -> Key:
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)

    def get(self, raw: dict[str, Any], name: str) -> Any:
        """The value given for ``name`` (null too), else its default (a list for a tuple, as
        YAML would give it)."""
        default = self[name].default
        return raw.get(name, list(default) if isinstance(default, tuple) else default)


def _code(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values)


ARXIV = Section("arxiv.", (
    Key("url", "URL", "The API endpoint. The environment variable `DAILY_PAPERS_ARXIV_URL` overrides it.",
        DEFAULT_ARXIV_URL, limits="an http(s) address with a host"),
    Key("feed_url", "URL",
        "The announcement feed (`source: feed`); the categories, joined with `+`, follow it. The "
        "environment variable `DAILY_PAPERS_FEED_URL` overrides it.",
        DEFAULT_FEED_URL, limits="an http(s) address without a query"),
    Key("delay_seconds", "number",
        "Seconds between the starts of two requests, retries included, to the API and the feed alike. "
        "arXiv asks for one request every three seconds.",
        3.0, 0, 600, limits="at least 3 for arXiv's own hosts"),
    Key("retries", "whole number", "Extra tries per keyword after a failed one ([robustness.md](robustness.md)).",
        4, 0, 10),
    Key("backoff_seconds", "number",
        "The wait before the first retry; it doubles for each next one, plus up to 25% at random.", 5.0, 0, 600),
    Key("timeout_seconds", "number",
        "One deadline for each request, from connecting to the last byte of the answer.", 30.0, 0.001, 600),
    Key("sort_by", "text",
        "Newest first by this date; the Date column shows it. Changing it re-sorts the stored papers.",
        "lastUpdatedDate", choices=SORT_KEYS),
    Key("max_retry_after_seconds", "number",
        "The longest wait asked for by a `Retry-After` header that is honoured; a longer one is cut to "
        "this.", 120.0, 0, 3600),
    Key("max_total_seconds", "number",
        "The most time a run spends asking arXiv; the keywords left after it are not asked and keep "
        "their papers.", 1200.0, 1, 86400),
))

DIGEST = Section("digest.", (
    Key("path", "path",
        "The body of the issue that tells watchers about new papers, written on every update. The "
        "workflow reads it from there: move it, and change `DIGEST` in the workflow too.", ".github/digest.md"),
    Key("papers", "whole number",
        "The most new papers the digest lists, and the most updated ones (fewer when GitHub's limit of "
        "65,536 characters for an issue needs it). The count in its first line is always the whole "
        "number. `init` writes 15.", 200, 0, 2000),
    Key("updates", "true or false",
        "Also list the papers that came in a newer version, after the new ones.", True),
    Key("label", "text or null",
        "A label for the digest issue; the workflow creates it the first time.",
        limits="1 to 50 characters, no comma"),
    Key("close_previous", "true or false",
        "Close the digest issues still open when a new one is opened, each with a comment that links "
        "the new one: those with `digest.label`, or without a label those titled `Latest N Papers - …`.",
        False),
))

SECTIONS = {"digest": DIGEST, "arxiv": ARXIV}
"""The top-level keys that hold a mapping of their own keys, in the reference's order."""

TOP = Section("", (
    Key("title", "text", "The README's top heading; also the feeds' author and the web page's title.",
        "Daily Papers"),
    Key("repository", "text or null",
        "The GitHub repository, for the links that leave it: the digest's link to the README (the digest "
        "becomes an email, where a relative link leads nowhere), the feed addresses, the web page's "
        "address. Inside GitHub Actions the run's own repository is used instead, so a fork links to "
        "itself. Without either, links are relative.",
        limits="`owner/name`: an owner of 1 to 39 letters, digits or `-`; a name of 1 to 100 letters, digits, "
               "`.`, `_` or `-`"),
    Key("source", "text",
        "Where new papers come from: `api` asks arXiv's search once per keyword; `feed` reads arXiv's "
        "daily announcement feed once for all keywords and picks each keyword's papers by local rules "
        "([feed.md](feed.md)).", "api", choices=SOURCES),
    Key("categories", "list",
        "The categories of every keyword that has no `categories` of its own. With `source: feed` each "
        "keyword needs some, its own or these.",
        (), limits="arXiv categories (`cs.LG`, `quant-ph`) or archives (`cs`, `math`), checked against arXiv's list"),
    Key("keywords", "list",
        "One README section per keyword, in this order. An item is a name (searched as an exact phrase "
        "in titles and abstracts) or a mapping with `name` and the keys of the next table.",
        REQUIRED, limits="at least one"),
    Key("max_papers", "whole number",
        "The newest papers kept per keyword, in the store and in the README. It is also how many results "
        "each request asks for.", 100, 1, 2000),
    Key("readme", "path", "The README to write.", "README.md"),
    Key("store", "path",
        "The folder of the JSON store, one file per keyword ([store.md](store.md)). Commit it: it is "
        "the history.", "data"),
    Key("timezone", "text", 'The time zone of the dates "Last update" and "Last fetched".', "UTC",
        limits="an IANA time zone name (`Asia/Shanghai`, `Europe/Berlin`)"),
    Key("template", "path or null",
        "Your own Jinja2 template for the README; null uses the one built in ([templates.md](templates.md)).",
        limits="an existing file"),
    Key("columns", "list",
        "The tables' columns, in order ([templates.md](templates.md#columns)). A keyword may have its own.",
        DEFAULT_COLUMNS, limits=f"from {_code(COLUMNS)}; `title` required; none twice"),
    Key("pages", "path",
        "The folder of the per-keyword pages, written when the README cannot show every paper.", "papers"),
    Key("feeds", "path", "The folder of the per-keyword Atom feeds.", "feeds"),
    Key("site", "path or null",
        "The folder of the searchable web page that every update and render write, for GitHub Pages. "
        "It is never committed: the workflow uploads it. null: no web page.", "site"),
    Key("site_math", "URL or null",
        "A script that typesets the TeX in titles and abstracts on the web page, such as MathJax 3 "
        "(`https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js`). The page's content security policy "
        "allows that script's host and nothing else. null: TeX is shown as written.",
        limits="an http(s) address"),
    *(Key(name, "mapping", f"The keys `{name}.*`.") for name in SECTIONS),
))

KEYWORD = Section("", (
    Key("name", "text",
        "The section's heading and the keyword's file name: `Reward Model` is `data/reward-model.json`.",
        REQUIRED),
    Key("phrases", "list of text",
        "The phrases to look for; any of them matches. Each is searched as an exact phrase, so it may "
        'not contain `"`.', shown="the name"),
    Key("fields", "list", f"Where to look: {_code(get_args(Field)[:-1])} or `all`.", ("title", "abstract")),
    Key("categories", "list",
        "Keep only papers in these arXiv categories (`cs.LG`, `quant-ph`) or archives (`cs`: every "
        "`cs.*` category). A misspelt one is refused with a hint (`'cs.lg' is not an arXiv category (did "
        "you mean cs.LG?)`).", shown="the top-level `categories` (none: all)"),
    Key("exclude", "list of text", "Drop the papers that have any of these phrases in the same fields.", ()),
    Key("columns", "list", "This keyword's table columns.", shown="the config's `columns`"),
))
"""The keys of a keyword given as a mapping; their prefix is the keyword's place (``keywords[2].``)."""


def reference() -> list[Key]:
    """The rows of the reference's table of keys, in order, each named as the config writes
    it (``digest.path``)."""
    rows = [key for key in TOP.keys if key.name not in SECTIONS]
    for section in SECTIONS.values():
        rows += [replace(key, name=section.prefix + key.name) for key in section.keys]
    return rows
