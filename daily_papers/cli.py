"""The ``daily-papers`` command line: parse, set up logging, call the pipeline, print.

Exit status: 0 all good; 1 some keywords could not be fetched (the rest was updated
and rendered), or ``render --check`` found files that would change; 2 bad configuration,
bad usage, or a store that cannot be read (nothing written).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from daily_papers import pipeline
from daily_papers.config import Config, load_config
from daily_papers.environ import links_from, now_from
from daily_papers.errors import DailyPapersError
from daily_papers.outputs.links import relative_link

log = logging.getLogger("daily_papers")

EXIT_OK, EXIT_PARTIAL, EXIT_UNUSABLE = 0, 1, 2


class UsageError(DailyPapersError):
    """Something the user must fix before anything can run (exit status 2)."""


def _count(number: int, noun: str) -> str:
    """``1 keyword``, ``2 keywords``: counts in the log read as sentences."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def cmd_update(config: Config, args: argparse.Namespace) -> int:
    """Fetch every keyword from arXiv, merge it into the store, render the outputs."""
    now = now_from(os.environ)
    observer = None
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if in_actions:
        from daily_papers import actions

        observer = actions.ActionsObserver()
    report = pipeline.update(config, links_from(config, os.environ), now, observer)
    if in_actions:
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
    """Render the outputs from the store alone, without asking arXiv. With --check, write
    nothing: exit 1 and name the files that would change."""
    report = pipeline.render(config, links_from(config, os.environ), check=args.check)
    if not report.checked:
        log.info("rendered; %s changed", _count(len(report.changed), "file"))
        return EXIT_OK
    for path in report.changed:
        print(relative_link(path, config.path.parent))
    if report.changed:
        log.error("%s would change: run `daily-papers render` and commit the result",
                  _count(len(report.changed), "file"))
        return EXIT_PARTIAL
    log.info("every output is what render writes")
    return EXIT_OK


def cmd_check(config: Config, args: argparse.Namespace) -> int:
    """Validate the config, check that the store and the templates render, and print each
    keyword's arXiv query."""
    for name, query in pipeline.check(config, links_from(config, os.environ)):
        print(f"{name}: {query}")
    log.info("%s is valid: %s", config.path, _count(len(config.keywords), "keyword"))
    return EXIT_OK


def cmd_paths(config: Config, args: argparse.Namespace) -> int:
    """Print what daily-papers writes and a workflow must commit, one path a line, relative
    to the config file's folder."""
    for path in pipeline.owned_paths(config):
        print(path.as_posix())
    return EXIT_OK


def cmd_import(config: Config, args: argparse.Namespace) -> int:
    """Import the papers of a DailyArXiv README, a cv-arxiv-daily JSON file or a
    daily-papers store file (such as one the archive keeps) into the store."""
    report = pipeline.import_(config, args.paths, now_from(os.environ), links_from(config, os.environ))
    for name, (rows, new, newer, kept) in report.imported.items():
        log.info("%s: imported %d rows: new %d, newer versions %d, kept %d (max_papers %d)", name, rows, new,
                 newer, kept, config.max_papers)
    for path, dropped in report.kept_files:
        log.warning("%s is not rewritten: %s of it %s not in the store (skipped, or past max_papers); "
                    "`daily-papers render` writes it when you are ready", path, _count(dropped, "row"),
                    "is" if dropped == 1 else "are")
    log.info("rendered; %s changed", _count(len(report.written), "file"))
    if report.skipped:
        log.warning("skipped %s with no keyword of that name in %s: %s; add the keyword to the config (names "
                    "match whatever their case) and import again", _count(len(report.skipped), "section"),
                    config.path.name, ", ".join(f"{heading!r} ({path.name})" for heading, path in report.skipped))
        return EXIT_PARTIAL
    return EXIT_OK


def cmd_preview(config: Config, args: argparse.Namespace) -> int:
    """Show which of the kept recent announcements each keyword's rules match, and what
    its exclude phrases drop (source: feed); what the store holds (source: api). Offline;
    writes nothing."""
    from daily_papers import preview

    try:
        previews = preview.preview(config, args.keywords, args.since)
    except preview.PreviewError as err:
        raise UsageError(str(err)) from None
    for line in preview.lines(config, previews):
        print(line)
    return EXIT_OK


def _days(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 3650:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of days from 1 to 3650")
    return int(text)


COMMANDS = {
    "update": (cmd_update, "fetch every keyword from arXiv, merge into the store, render the outputs"),
    "render": (cmd_render, "render the outputs from the store alone (no network)"),
    "check": (cmd_check, "validate the config and print each keyword's arXiv query"),
    "import": (cmd_import, "import the history of a DailyArXiv README or cv-arxiv-daily JSON"),
    "paths": (cmd_paths, "print the files and folders daily-papers writes (what a workflow commits)"),
    "preview": (cmd_preview, "show what each keyword's rules match in the kept announcements (no network)"),
}

CONFIG_DEFAULT = Path("config.yaml")


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every command takes, before or after its name. Given after it, the
    command's value wins; the default is set once, on the top level."""
    default = CONFIG_DEFAULT if top else argparse.SUPPRESS
    parser.add_argument("-c", "--config", type=Path, default=default, metavar="PATH",
                        help="the config file (default: ./config.yaml); paths in it are relative to its folder")
    parser.add_argument("-v", "--verbose", action="count", default=0 if top else argparse.SUPPRESS,
                        help="log more: each request, and a traceback with an error")
    parser.add_argument("-q", "--quiet", action="count", default=0 if top else argparse.SUPPRESS,
                        help="log less (only warnings and errors; -qq: only errors)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="daily-papers",
        description="Keep a README up to date with the newest arXiv papers for your keywords.",
        epilog="Exit status: 0 all good, 1 some keywords failed (the rest was updated) or render --check "
        "found changes, 2 bad config, usage or store (nothing written).",
    )
    parser.add_argument("--version", action=VersionAction)
    _common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (func, summary) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=func.__doc__)
        _common(sub, top=False)
        sub.set_defaults(func=func)
        if name == "import":
            sub.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                             help="a README.md in the DailyArXiv format, a cv-arxiv-daily JSON file, or a "
                             "daily-papers store file")
        if name == "preview":
            sub.add_argument("keywords", nargs="*", metavar="KEYWORD", help="keywords to preview (default: all)")
            sub.add_argument("--since", type=_days, default=1, metavar="DAYS",
                             help="the kept announcements of the last DAYS days (default: 1, the newest)")
        if name == "render":
            sub.add_argument("--check", action="store_true",
                             help="write nothing; exit 1 and print the files that would change")
        if name == "init":
            add_init_arguments(sub)
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
        config = None if args.command == "init" else load_config(args.config)
        return int(args.func(config, args))
    except DailyPapersError as err:
        log.error("error: %s", err, exc_info=args.verbose > 0)
        return err.exit_status
    except BrokenPipeError:  # the reader of the output went away (`daily-papers check | head`)
        with contextlib.suppress(OSError, ValueError):  # no flush of the lost output at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # a disk that is full, or a file where a folder should be
        log.error("error: %s", err, exc_info=args.verbose > 0)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130


def cmd_init(config: object, args: argparse.Namespace) -> int:
    """Write a new repository: a config, the workflow that runs the Action, a .gitignore, a README."""
    # Runs before any config exists: main passes None for it.
    from daily_papers.scaffold import run_init

    run_init(args)
    return EXIT_OK


def add_init_arguments(parser: argparse.ArgumentParser) -> None:
    from daily_papers.scaffold import add_arguments

    add_arguments(parser)


def cmd_doctor(config: Config, args: argparse.Namespace) -> int:
    """Check the workflows of the config's repository: what they commit, their permissions, schedule, Pages."""
    from daily_papers.doctor import diagnose

    problems = diagnose(config)
    for problem in problems:
        print(problem)
    breaking = sum(p.breaks for p in problems)
    if breaking:
        log.error("%s would break the nightly run", _count(breaking, "problem"))
        return EXIT_PARTIAL
    log.info("the workflows fit %s%s", config.path.name, f" ({_count(len(problems), 'warning')})" if problems else "")
    return EXIT_OK


COMMANDS["init"] = (cmd_init, "write a new repository that runs daily-papers on GitHub through its Action")
COMMANDS["doctor"] = (cmd_doctor, "check that the workflows commit what the config writes, with the permissions needed")


class VersionAction(argparse.Action):
    """``--version``: the version is read from the package metadata only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0,
                         help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from daily_papers import version

        print(f"{parser.prog} {version()}")
        parser.exit()
