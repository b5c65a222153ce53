"""The commands as functions of a :class:`~daily_papers.config.Config`: each reads the
store, does its work and returns a typed report; the CLI only prints and picks the exit
status. Data flows one way: config -> sources -> store -> outputs.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from daily_papers.config import Config
from daily_papers.files import store_lock
from daily_papers.merge import merge_keyword
from daily_papers.outputs.links import Links, relative_link
from daily_papers.outputs.render import check_templates, write_outputs
from daily_papers.outputs.site import in_site
from daily_papers.outputs.write import outputs_for, write_render
from daily_papers.store import (
    KeywordStore,
    load_keyword,
    load_stores,
    save_archive,
    save_keyword,
    store_path,
)

if TYPE_CHECKING:
    from daily_papers.report import Observer, RunReport

log = logging.getLogger(__name__)


def _stores(config: Config) -> dict[str, KeywordStore | None]:
    return load_stores(config.store, [kw.slug for kw in config.keywords])


@dataclass(frozen=True)
class RenderReport:
    """What ``render`` wrote, or with ``check`` would have written."""

    changed: list[Path]
    checked: bool


def render(config: Config, links: Links, *, check: bool = False) -> RenderReport:
    """Render the outputs from the store alone, drawing only those whose inputs changed
    since the manifest. With ``check``, draw everything, write nothing and report the
    files whose content would change."""
    if check:
        outputs = outputs_for(config, _stores(config), links)
        return RenderReport([p for p, text in outputs.items() if not in_site(config, p) and not _holds(p, text)], True)
    with store_lock(config.store):
        return RenderReport(write_render(config, links, lambda: _stores(config)), False)


def update(config: Config, links: Links, now: datetime, observer: Observer | None = None) -> RunReport:
    """Fetch every keyword, merge it into the store, render the outputs. ``now`` is the
    run's instant: every keyword that arXiv answers records it as its last fetch."""
    from daily_papers.sources import (
        ArxivClient,  # the HTTP and XML stack only where needed
    )
    from daily_papers.update import run_update

    with store_lock(config.store):
        stores = _stores(config)
        with _out_of_collection():
            check_templates(config, stores, links)  # a broken template stops the run before any request
            report = run_update(config, stores, ArxivClient(config.arxiv), now, observer=observer)
            report.written += write_render(config, links, stores)
    return report


@contextlib.contextmanager
def _out_of_collection() -> Iterator[None]:
    """Keep what is alive now (the stored papers, the modules) out of the garbage
    collector's full collections while the block runs. An update builds a tree for each
    answer, and each full collection would walk every stored paper again: about a tenth
    of its CPU. They are handed back after, for a caller that lives on."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def check(config: Config, links: Links) -> list[tuple[str, str]]:
    """Each keyword's name and arXiv query (with ``source: feed``, its matching rules),
    after checking that the store and the templates render (nothing is written)."""
    from daily_papers.sources.query import build_query

    outputs_for(config, _stores(config), links)
    if config.source == "feed":
        from daily_papers.matching import compile_rules, describe

        return [(keyword.name, f"feed: {describe(compile_rules(keyword))}") for keyword in config.keywords]
    return [(keyword.name, build_query(keyword)) for keyword in config.keywords]


def owned_paths(config: Config) -> list[Path]:
    """What daily-papers writes and a workflow must commit, relative to the config's folder:
    the README, the store, the pages, the feeds and the digest, in that order."""
    root = config.path.parent
    found: list[Path] = []
    for path in (config.readme, config.store, config.pages, config.feeds, config.digest.path):
        relative = Path(relative_link(path, root))
        if relative not in found:
            found.append(relative)
    return found


@dataclass
class ImportReport:
    """What ``import`` did: rows per keyword, and the sections no keyword took."""

    imported: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    """Keyword name -> (rows, new, newer versions, kept)."""
    skipped: list[tuple[str, Path]] = field(default_factory=list)
    kept_files: list[tuple[Path, int]] = field(default_factory=list)
    """Imported files left as they are: they hold this many rows the store does not keep."""
    written: list[Path] = field(default_factory=list)


STORE_FORMAT = "a daily-papers store file"


def import_(config: Config, paths: Sequence[Path], now: datetime, links: Links) -> ImportReport:
    """Merge the papers of older tools' files (and of daily-papers' own store files, such as
    the archive a change of query leaves) into the store, then render. Imported papers are
    never announced as new."""
    from daily_papers.importer import History, HistorySection, assign, read_history
    from daily_papers.sources.query import build_query

    histories = []
    for path in paths:
        stored = _store_file(path)
        if stored is not None:
            histories.append(History(path, STORE_FORMAT, (HistorySection(stored.keyword, stored.papers, None),)))
        else:
            histories.append(read_history(path))
    imported, skipped = assign(histories, config.keywords)
    report = ImportReport(skipped=[(s.heading, s.path) for s in skipped])

    with store_lock(config.store):
        stores = _stores(config)
        changed: dict[str, KeywordStore] = {}
        archives: list[tuple[str, KeywordStore]] = []
        for keyword in config.keywords:
            papers = imported[keyword.slug]
            if not papers:
                continue
            # the keyword's own query, so that the next update goes on from this store
            new_store, merged, archived = merge_keyword(
                stores.get(keyword.slug), keyword.name, build_query(keyword), config.arxiv.sort_by, papers,
                config.max_papers, now, fetched=False)
            if archived is not None:
                archives.append((keyword.slug, archived))
            stores[keyword.slug] = changed[keyword.slug] = new_store
            report.imported[keyword.name] = (len(papers), len(merged.new), len(merged.updated), len(merged.papers))
        # a broken template stops the import before any write
        outputs = outputs_for(config, stores, links, changed)
        # An imported file that holds rows the store does not keep (a skipped section, or
        # rows past max_papers) is their only copy: it stays as it is.
        kept = {p.id for st in stores.values() if st for p in st.papers}
        for history in histories:
            dropped = sum(p.id not in kept for section in history.sections for p in section.papers)
            if dropped and history.path.resolve() in {p.resolve() for p in outputs}:
                report.kept_files.append((history.path, dropped))
                outputs = {p: text for p, text in outputs.items() if p.resolve() != history.path.resolve()}
        for slug, archived in archives:
            if kept_at := save_archive(config.store, slug, archived, now):
                report.written.append(kept_at)
        for slug, keyword_store in changed.items():
            if save_keyword(store_path(config.store, slug), keyword_store):
                report.written.append(store_path(config.store, slug))
        report.written += write_outputs(outputs)
    return report


def _store_file(path: Path) -> KeywordStore | None:
    """``path`` read as a daily-papers store file, or None when it is not one."""
    try:
        head = path.read_bytes()[:4096].lstrip()
    except OSError:
        return None
    if not head.startswith(b"{") or b'"schema"' not in head:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError, OSError):
        return None  # read_history says what is wrong with it
    if not isinstance(data, dict) or "schema" not in data or "papers" not in data:
        return None
    return load_keyword(path)
