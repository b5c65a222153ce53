"""The ``daily-papers`` command line: one function per command.

Exit status: 0 all good; 1 some keywords could not be fetched (the rest was updated
and rendered); 2 bad configuration, bad usage, or a store that cannot be read
(nothing written).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from daily_papers import __version__
from daily_papers.config import Config, ConfigError, load_config
from daily_papers.files import LockedError, store_lock
from daily_papers.render import RenderError, render_outputs, write_outputs
from daily_papers.store import StoreError, load_stores

log = logging.getLogger("daily_papers")

EXIT_OK, EXIT_PARTIAL, EXIT_UNUSABLE = 0, 1, 2


class UsageError(Exception):
    """Something the user must fix before anything can run (exit status 2)."""


def now_from(environ: Mapping[str, str]) -> datetime:
    """"Now", or the instant ``SOURCE_DATE_EPOCH`` names, so that outputs can be reproduced."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return datetime.now(timezone.utc)
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a whole number of seconds since 1970") from None


def _count(number: int, noun: str) -> str:
    """``1 keyword``, ``2 keywords``: counts in the log read as sentences."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def cmd_update(config: Config, args: argparse.Namespace) -> int:
    """Fetch every keyword, merge it into the store, render the outputs."""
    from daily_papers.sources import ArxivClient  # the HTTP and XML stack only where needed
    from daily_papers.update import run_update

    now = now_from(os.environ)
    observer = None
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from daily_papers import actions

        observer = actions.ActionsObserver()
    with store_lock(config.store):
        stores = load_stores(config.store, [kw.slug for kw in config.keywords])
        render_outputs(config, stores, now)  # a broken template stops the run before any request
        report = run_update(config, stores, ArxivClient(config.arxiv), now, observer=observer)
    if observer is not None:
        actions.publish(report, config, now, os.environ)
    for path in report.written:
        log.debug("wrote %s", path)
    if report.failed:
        log.error("%d of %s could not be fetched and kept their stored papers:",
                  len(report.failed), _count(len(report.keywords), "keyword"))
        for entry in report.failed:
            log.error("  %s: %s", entry.keyword.name, entry.error)
        return EXIT_PARTIAL
    log.info("done: %s; %s changed", _count(report.new_papers, "new paper"), _count(len(report.written), "file"))
    return EXIT_OK


def cmd_render(config: Config, args: argparse.Namespace) -> int:
    """Render the outputs from the store alone, without asking arXiv."""
    now = now_from(os.environ)
    with store_lock(config.store):
        stores = load_stores(config.store, [kw.slug for kw in config.keywords])
        written = write_outputs(render_outputs(config, stores, now))
    log.info("rendered; %s changed", _count(len(written), "file"))
    return EXIT_OK


def cmd_check(config: Config, args: argparse.Namespace) -> int:
    """Validate the config and print each keyword's arXiv query."""
    from daily_papers.sources.api import build_query

    stores = load_stores(config.store, [kw.slug for kw in config.keywords])
    render_outputs(config, stores, now_from(os.environ))  # the templates and the store render, unwritten
    for keyword in config.keywords:
        print(f"{keyword.name}: {build_query(keyword)}")
    log.info("%s is valid: %s", config.path, _count(len(config.keywords), "keyword"))
    return EXIT_OK


def cmd_import(config: Config, args: argparse.Namespace) -> int:
    """Import the papers of a DailyArXiv README or a cv-arxiv-daily JSON file into the store."""
    from daily_papers.importer import HistoryError, assign, read_history
    from daily_papers.sources.api import build_query
    from daily_papers.store import KeywordStore, merge_keyword, save_keyword, store_path

    now = now_from(os.environ)
    try:
        histories = [read_history(path) for path in args.paths]
    except HistoryError as err:
        raise UsageError(str(err)) from None
    imported, skipped = assign(histories, config.keywords)
    with store_lock(config.store):
        stores = load_stores(config.store, [kw.slug for kw in config.keywords])
        changed: dict[str, KeywordStore] = {}
        for keyword in config.keywords:
            papers = imported[keyword.slug]
            if not papers:
                continue
            # the keyword's own query, so that the next update goes on from this store
            new_store, merged = merge_keyword(stores.get(keyword.slug), keyword.name, build_query(keyword),
                                              config.arxiv.sort_by, papers, config.max_papers)
            stores[keyword.slug] = changed[keyword.slug] = new_store
            log.info("%s: imported %d rows: new %d, newer versions %d, kept %d (max_papers %d)", keyword.name,
                     len(papers), len(merged.new), len(merged.updated), len(merged.papers), config.max_papers)
        outputs = render_outputs(config, stores, now)  # a broken template stops the import before any write
        # An imported file that holds rows the store does not keep (a skipped section, or
        # rows past max_papers) is their only copy: it stays as it is.
        kept = {p.id for st in stores.values() if st for p in st.papers}
        for history in histories:
            dropped = sum(p.id not in kept for section in history.sections for p in section.papers)
            if dropped and history.path.resolve() in {p.resolve() for p in outputs}:
                log.warning("%s is not rewritten: %s of it %s not in the store (skipped, or past max_papers); "
                            "`daily-papers render` writes it when you are ready", history.path,
                            _count(dropped, "row"), "is" if dropped == 1 else "are")
                outputs = {p: text for p, text in outputs.items() if p.resolve() != history.path.resolve()}
        for slug, keyword_store in changed.items():
            save_keyword(store_path(config.store, slug), keyword_store)
        written = write_outputs(outputs)
    log.info("rendered; %s changed", _count(len(written), "file"))
    if skipped:
        log.warning("skipped %s with no keyword of that name in %s: %s; add the keyword to the config (names "
                    "match whatever their case) and import again", _count(len(skipped), "section"),
                    config.path.name, ", ".join(f"{s.heading!r} ({s.path.name})" for s in skipped))
        return EXIT_PARTIAL
    return EXIT_OK


COMMANDS = {
    "update": (cmd_update, "fetch every keyword from arXiv, merge into the store, render the outputs"),
    "render": (cmd_render, "render the outputs from the store alone (no network)"),
    "check": (cmd_check, "validate the config and print each keyword's arXiv query"),
    "import": (cmd_import, "import the history of a DailyArXiv README or cv-arxiv-daily JSON"),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-c", "--config", type=Path, default=Path("config.yaml"), metavar="PATH",
                        help="the config file (default: ./config.yaml); paths in it are relative to its folder")
    common.add_argument("-v", "--verbose", action="count", default=0,
                        help="log more: each request, and a traceback with an error")
    common.add_argument("-q", "--quiet", action="count", default=0,
                        help="log less (only warnings and errors; -qq: only errors)")
    parser = argparse.ArgumentParser(
        prog="daily-papers",
        description="Keep a README up to date with the newest arXiv papers for your keywords.",
        epilog="Exit status: 0 all good, 1 some keywords failed (the rest was updated), "
        "2 bad config, usage or store (nothing written).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (func, summary) in COMMANDS.items():
        sub = commands.add_parser(name, parents=[common], help=summary, description=func.__doc__)
        sub.set_defaults(func=func)
        if name == "import":
            sub.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                             help="a README.md in the DailyArXiv format or a cv-arxiv-daily JSON file")
    return parser


def setup_logging(verbose: int, quiet: int) -> None:
    level = {-2: logging.ERROR, -1: logging.WARNING, 0: logging.INFO}.get(verbose - quiet, logging.DEBUG)
    if verbose - quiet < -2:
        level = logging.CRITICAL
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s" if level <= logging.DEBUG else "%(message)s"))
    root = logging.getLogger("daily_papers")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose, args.quiet)
    try:
        config = load_config(args.config)
        return args.func(config, args)
    # OSError: a disk that is full, or a file where a folder should be
    except (ConfigError, StoreError, RenderError, LockedError, UsageError, OSError) as err:
        log.error("error: %s", err, exc_info=args.verbose > 0)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
