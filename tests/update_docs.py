"""Rewrite the command examples of the documentation with what the commands print now.

    python tests/update_docs.py

A fenced block right after a comment such as ``<!-- output of: daily-papers paths -->``
holds what that command prints on standard output, run from the repository's root.
This rewrites every such block in ``docs/*.md`` and in ``templates/README.md.j2`` (the
source of README.md), then renders the README's example project and README.md. ``tests/test_docs.py`` fails while a block
is out of date.

A table right after ``<!-- keys of: top -->`` (or ``keyword``) is the configuration's
reference, written from the key table of :mod:`daily_papers.config.keys`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this checkout's package, not whichever one is installed

README_SOURCE = ROOT / "templates" / "README.md.j2"
EXAMPLE = ROOT / "templates" / "example" / "config.yaml"
"""The small project whose table the README shows."""
BLOCK = re.compile(r"(?P<head><!-- output of: (?P<command>[^\n]*?) -->\n```[^\n]*\n)(?P<body>.*?)(?P<tail>^```)",
                   re.DOTALL | re.MULTILINE)
"""A marked block: the comment, the opening fence, what the command printed, the closing fence."""
KEY_TABLE = re.compile(r"(?P<head><!-- keys of: (?P<section>top|keyword) -->\n)(?P<body>(?:\|[^\n]*\n)*)")
"""A marked table of keys: the comment, then the table's lines."""

ENVIRONMENT = {"COLUMNS": "100", "NO_COLOR": "1", "PYTHON_COLORS": "0"}
"""Help text wrapped at 100 columns, without colour, whatever the terminal."""
CLEARED = ("GITHUB_ACTIONS", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "DAILY_PAPERS_ARXIV_URL", "FORCE_COLOR")


def documents() -> list[Path]:
    """The files whose marked blocks are checked: the README and every page under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(text: str) -> Iterator[re.Match[str]]:
    return BLOCK.finditer(text)


@contextlib.contextmanager
def _environment() -> Iterator[None]:
    saved = dict(os.environ)
    for name in CLEARED:
        os.environ.pop(name, None)
    os.environ.update(ENVIRONMENT)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _package_logger() -> Iterator[None]:
    """The CLI sets up the package's logger; leave it as it was."""
    logger = logging.getLogger("daily_papers")
    state = (logger.handlers[:], logger.level, logger.propagate)
    try:
        yield
    finally:
        logger.handlers[:], logger.level, logger.propagate = state


def output_of(command: str) -> str:
    """What ``command`` (``daily-papers ...``) prints on standard output, run in this
    process from the repository's root."""
    from daily_papers import cli

    argv = shlex.split(command)
    if not argv or argv[0] != "daily-papers":
        raise ValueError(f"not a daily-papers command: {command!r}")
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with _environment(), _package_logger(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main(argv[1:])
            except SystemExit:  # --help
                pass
    finally:
        os.chdir(cwd)
    return out.getvalue()


def comparable(text: str) -> str:
    """Text as it compares across Python versions: white space collapsed, since argparse
    aligns and wraps help differently from one version to the next, and an option's
    metavar shown once (``-c, --config PATH``), as Python 3.13 and later show it; a word
    that help text broke at its hyphen (``daily-`` / ``papers``) is whole again."""
    text = re.sub(r"(?<=\w-)\n\s+(?=\w)", "", text)
    text = re.sub(r"(?<!\S)(-\w) (\S+), (--[\w-]+) \2(?!\S)", r"\1, \3 \2", text)
    return " ".join(text.split())


def key_table(section: str) -> str:
    """The reference table of the config's keys (``top``, with ``arxiv.*`` and ``digest.*``)
    or of a keyword's keys, as markdown."""
    from daily_papers.config import KEYWORD, reference

    top = section == "top"
    rows = [["Key", "Type", "Default", *(["Range"] if top else []), "What it does"]]
    rows.append(["---"] * len(rows[0]))
    for key in reference() if top else KEYWORD.keys:
        rows.append([f"`{key.name}`", key.kind, key.default_text, *([key.range_text] if top else []), key.doc])
    return "".join("|" + "".join(f" {cell} |" if cell else " |" for cell in row) + "\n" for row in rows)


def key_tables(text: str) -> Iterator[re.Match[str]]:
    return KEY_TABLE.finditer(text)


def rewrite(text: str) -> str:
    """``text`` with every marked block holding its command's output now, and every marked
    table of keys the key table's."""
    def fresh(match: re.Match[str]) -> str:
        body = output_of(match["command"])
        if body and not body.endswith("\n"):
            body += "\n"
        return match["head"] + body + match["tail"]

    text = BLOCK.sub(fresh, text)
    return KEY_TABLE.sub(lambda match: match["head"] + key_table(match["section"]), text)


def main() -> int:
    from daily_papers import cli

    for path in [README_SOURCE, *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        updated = rewrite(text)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}")
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with _environment():
            # the example first: the README includes its table
            return cli.main(["render", "-c", str(EXAMPLE)]) or cli.main(["render"])
    finally:
        os.chdir(cwd)


if __name__ == "__main__":
    sys.exit(main())
