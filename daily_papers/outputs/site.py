"""The searchable static site: one page for every keyword's papers, for GitHub Pages.

The page is plain HTML, CSS and a script of the package's own (``templates/site/``); the
papers are data scripts that assign JSON to a global, since a page opened from
``file://`` may load scripts but not fetch files. ``data/index.js`` is small and loaded
first: the keywords, the categories, papers per day, and the newest papers in full. Each
keyword's papers are in ``data/keywords/<slug>.js``, loaded when a search or a filter
needs them. A paper in several keywords is one record that names all of them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from daily_papers.config import Config
from daily_papers.outputs.markdown import CODE_HOSTS, code_url, pdf_url
from daily_papers.paper import Paper, format_timestamp, web_url
from daily_papers.store import KeywordStore

ASSETS = Path(__file__).parent.parent / "templates" / "site"
PAGE_TEMPLATE = "index.html.j2"
STATIC = ("site.css", "site.js")
RECENT = 50
"""Papers the index holds in full: the first screen of the page, shown before any other data loads."""

_JS_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))
"""ASCII JSON (so U+2028, U+2029 and lone surrogates are escapes too) without a character
that could close the script element or start markup."""


def build_site(
    config: Config,
    stores: Mapping[str, KeywordStore | None],
    new_ids: Mapping[str, frozenset[str]],
    today: date | None,
    outputs: Mapping[Path, str],
) -> dict[Path, str]:
    """The site's files and their content (none when the config turns the site off).

    ``new_ids`` names, per keyword slug, the ids new in the last update; ``outputs`` are
    the files rendered so far, whose feeds are copied into the site's ``feeds/`` so
    Pages serves them as feeds.
    """
    if config.site is None:
        return {}
    root = config.site.folder
    records, keywords = _records(config, stores, new_ids)
    files: dict[Path, str] = {}
    shard_names: list[str] = []
    for kw, members in zip(config.keywords, keywords):
        text = _data_script(f"window.DP_SHARDS=window.DP_SHARDS||{{}};window.DP_SHARDS[{_js(kw.slug)}]=",
                            [records[i] for i in members])
        name = f"data/keywords/{kw.slug}.js"
        files[root / name] = text
        shard_names.append(f"{name}?v={_digest(text)}")
    by_date = _submitted if config.arxiv.sort_by == "submittedDate" else _updated
    ordered = sorted(sorted(records.values(), key=_by_id), key=by_date, reverse=True)  # newest first, ties by id
    index = {
        "updated": today.isoformat() if today else None,
        "total": len(records),
        "new": sum(1 for r in records.values() if r.get("n")),
        "keywords": [
            {"slug": kw.slug, "name": kw.name, "count": len(members), "file": file}
            for kw, members, file in zip(config.keywords, keywords, shard_names)
        ],
        "categories": sorted({c for r in records.values() for c in r.get("g", ())}),
        "days": sorted(Counter(by_date(r)[:10] for r in records.values()).items()),
        "recent": ordered[:RECENT],
        "math": config.site.math is not None,
        "submitted": config.arxiv.sort_by == "submittedDate",
    }
    index_text = _data_script("window.DP_INDEX=", index)
    files[root / "data/index.js"] = index_text
    static = {name: (ASSETS / name).read_text(encoding="utf-8") for name in STATIC}
    for name, text in static.items():
        files[root / "assets" / name] = text
    files[root / "index.html"] = _page(config, _summary(index), {
        "css": f"assets/site.css?v={_digest(static['site.css'])}",
        "js": f"assets/site.js?v={_digest(static['site.js'])}",
        "index": f"data/index.js?v={_digest(index_text)}",
    })
    for path, text in outputs.items():
        if path.is_relative_to(config.feeds):
            files[root / "feeds" / path.relative_to(config.feeds)] = text
    files[root / ".nojekyll"] = ""
    return files


def in_site(config: Config, path: Path) -> bool:
    """True for a file of the site: Pages gets it from the run that renders it and git never
    holds it, so the manifest does not record it and ``render --check`` does not ask for it."""
    return config.site is not None and path.is_relative_to(config.site.folder)


def _records(
    config: Config, stores: Mapping[str, KeywordStore | None], new_ids: Mapping[str, frozenset[str]]
) -> tuple[dict[str, dict[str, Any]], list[list[str]]]:
    """One record per paper id, built from its newest version among the keywords, and
    each keyword's ids in the order of its store (newest first)."""
    chosen: dict[str, Paper] = {}
    holders: dict[str, list[int]] = {}
    fresh: set[str] = set()
    members: list[list[str]] = []
    for number, kw in enumerate(config.keywords):
        stored = stores.get(kw.slug)
        papers = stored.papers if stored else ()
        new = new_ids.get(kw.slug, frozenset())
        ids = []
        for paper in papers:
            if paper.id in holders:
                if holders[paper.id][-1] == number:  # a store holds each id once; a bad one is not shown twice
                    continue
                holders[paper.id].append(number)
                if _rank(paper) > _rank(chosen[paper.id]):
                    chosen[paper.id] = paper
            else:
                holders[paper.id] = [number]
                chosen[paper.id] = paper
            if paper.id in new:
                fresh.add(paper.id)
            ids.append(paper.id)
        members.append(ids)
    records = {pid: _record(p, holders[pid], pid in fresh) for pid, p in chosen.items()}
    return records, members


def _rank(paper: Paper) -> tuple[int, bool]:
    return paper.version, paper.origin == "arxiv"


def _record(paper: Paper, keywords: list[int], new: bool) -> dict[str, Any]:
    """The page's view of a paper, in short keys (the data is most of what the page loads);
    empty fields are left out, and every link is http(s). The page sorts by ``u`` or, when
    the config sorts by submission, by ``p`` where there is one, as the tables do."""
    record: dict[str, Any] = {"id": paper.id, "v": paper.version, "t": paper.title,
                              "u": format_timestamp(paper.updated), "k": keywords}
    optional = (
        ("p", paper.published and format_timestamp(paper.published)),
        ("f", paper.first_seen and format_timestamp(paper.first_seen)),
        ("a", paper.authors and list(paper.authors)),
        ("g", paper.categories and list(paper.categories)),
        ("c", paper.comment),
        ("s", paper.abstract),
        ("l", paper.link),
        ("pdf", pdf_url(paper)),
        ("code", _may_have_code(paper) and code_url(paper)),
        ("doi", paper.doi),
        ("j", paper.journal_ref),
        ("n", new and 1),
    )
    for key, value in optional:
        if value:
            record[key] = value
    return record


_CODE_HOSTS = tuple(host for host in CODE_HOSTS if not host.startswith("www."))
"""The code hosts without ``www.``: a text naming none of them names no code host."""


def _may_have_code(paper: Paper) -> bool:
    """False when neither the comment nor the abstract names a code host, so no code link
    can be found: a substring test, many times faster than the search for the link."""
    for text in (paper.comment, paper.abstract):
        if text and "://" in text:  # every code link has one; most abstracts have none
            lowered = text.lower()
            for host in _CODE_HOSTS:
                if host in lowered:
                    return True
    return False


def _by_id(record: dict[str, Any]) -> str:
    return str(record["id"])


def _updated(record: dict[str, Any]) -> str:
    """The sort date: one fixed-width UTC format, so text order is time order."""
    return str(record["u"])


def _submitted(record: dict[str, Any]) -> str:
    return str(record.get("p") or record["u"])


def _js(value: Any) -> str:
    """``value`` as a JavaScript literal that is safe anywhere in a script file."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for char, escape in _JS_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def _data_script(prefix: str, value: Any) -> str:
    return f"{prefix}{_js(value)};\n"


def _digest(text: str) -> str:
    """A short content hash for a file's URL: a browser never runs a page with yesterday's data."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _summary(index: dict[str, Any]) -> str:
    """The line under the title, written in the page so that nothing moves when the script runs."""
    def count(n: int, word: str) -> str:
        return f"{n:,} {word}{'' if n == 1 else 's'}"

    new = f", {index['new']:,} new" if index["new"] else ""
    updated = f"Last update: {index['updated']}." if index["updated"] else "No update yet."
    return f"{count(index['total'], 'paper')}, {count(len(index['keywords']), 'keyword')}{new}. {updated}"


@functools.cache
def _template() -> jinja2.Template:
    """The page's template, HTML-escaping every value (titles and keyword names are text)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    return env.get_template(PAGE_TEMPLATE)


def _page(config: Config, summary: str, urls: dict[str, str]) -> str:
    math = config.site.math if config.site else None
    return _template().render(
        title=config.title, summary=summary, keywords=config.keywords, urls=urls, math=web_url(math),
        csp=content_security_policy(math),
    )


def content_security_policy(math: str | None) -> str:
    """Only the page's own files, and the typesetting script's host when one is configured
    (its script, the styles and fonts it adds)."""
    extra = ""
    if math:
        parts = urlsplit(math)
        extra = f" {parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    return (f"default-src 'none'; script-src 'self'{extra}; style-src 'self'{extra}; "
            f"font-src 'self'{extra}; img-src 'self' data:; connect-src 'self'{extra}; "
            "base-uri 'none'; form-action 'none'")
