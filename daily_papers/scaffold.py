"""``daily-papers init``: a new repository that runs daily-papers through its Action.

The files come from ``templates/init/`` in the package. They are plain text with a few
``__NAME__`` placeholders rather than Jinja2 templates, because the workflow is full of
``${{ }}`` expressions. Nothing is written unless every file can be: an existing file is
never replaced, and the config is validated before the first write.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import yaml

from daily_papers import HOMEPAGE, version
from daily_papers.config import ConfigError, load_config
from daily_papers.errors import DailyPapersError
from daily_papers.files import write_atomic

log = logging.getLogger(__name__)

EXAMPLE_KEYWORDS = ("Reward Model", "Reasoning")
FILES = {
    "config.yaml": "config.yaml",
    ".github/workflows/daily.yml": "daily.yml",
    ".gitignore": "gitignore",
    "README.md": "README.md",
}
"""Where each file goes, relative to the new repository -> its template's name."""

NEXT_STEPS = """\
Next steps:
  1. Edit {folder}/config.yaml (your keywords), then run `daily-papers check` there.
  2. Commit everything and push it to a new GitHub repository.
  3. On GitHub, open the Actions tab and enable workflows if asked, then run
     "Update papers" once by hand (Run workflow); it runs by itself from then on.
  4. For a web site: Settings > Pages > Source: GitHub Actions.
  5. For the digest by email: Watch > Custom > Issues (the default Watch level sends
     no email for new issues).
"""


class ScaffoldError(DailyPapersError):
    """The new repository cannot be written; nothing was."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``daily-papers init``."""
    parser.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                        help="where to write the new repository (default: the current folder)")
    parser.add_argument("--keyword", action="append", default=[], metavar="NAME",
                        help=f"a keyword for config.yaml; repeat for more (default: {', '.join(EXAMPLE_KEYWORDS)})")
    parser.add_argument("--source", choices=("api", "feed"), default="api",
                        help="where papers come from: one arXiv search per keyword (api, the default) or "
                        "arXiv's daily announcement feed (feed, which needs --categories)")
    parser.add_argument("--categories", action="append", default=[], metavar="CAT[,CAT...]",
                        help="arXiv categories every keyword follows, e.g. cs.LG,cs.CL; repeat or separate "
                        "with commas")


def action_ref() -> str:
    """``daily-papers/daily-papers@v0.1.0``: the Action of this very version."""
    repository = HOMEPAGE.removeprefix("https://github.com/").strip("/")
    return f"{repository}@v{version()}"


def yaml_scalar(text: str) -> str:
    """``text`` as YAML reads it back: plain when it can be, else a JSON string (also YAML)."""
    if "\n" not in text and yaml.safe_load(f"- {text}") == [text]:
        return text
    return json.dumps(text, ensure_ascii=False)


def source_lines(source: str, categories: Sequence[str]) -> str:
    """The config's ``source`` and ``categories`` lines (commented out when not asked for)."""
    if source == "feed" and not categories:
        raise ScaffoldError("--source feed needs --categories: the announcement feed is read by category")
    listed = f"[{', '.join(yaml_scalar(c) for c in categories)}]" if categories else "[cs.LG, cs.CL]"
    if source == "feed":
        return f"source: feed\ncategories: {listed}"
    return f"# source: feed\n{'' if categories else '# '}categories: {listed}"


def render_files(keywords: Sequence[str], source: str = "api", categories: Sequence[str] = ()) -> dict[str, str]:
    """The new repository's files, by path relative to it."""
    names = list(keywords) or list(EXAMPLE_KEYWORDS)
    values = {
        "__SOURCE__": source_lines(source, categories),
        "__KEYWORDS__": "\n".join(f"  - {yaml_scalar(name)}" for name in names),
        "__ACTION__": action_ref(),
        "__HOMEPAGE__": HOMEPAGE,
    }
    folder = resources.files("daily_papers") / "templates" / "init"
    files = {}
    for target, source in FILES.items():
        text = (folder / source).read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        files[target] = text
    return files


def check_config(text: str) -> None:
    """Validate the config to be written, as ``daily-papers check`` will read it."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "config.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_config(path, environ={})
        except ConfigError as err:
            raise ScaffoldError(str(err).replace(str(path), "config.yaml")) from None


def scaffold(folder: Path, keywords: Sequence[str], source: str = "api", categories: Sequence[str] = ()) -> list[Path]:
    """Write the new repository into ``folder``; returns the files written.

    Raises :class:`ScaffoldError`, having written nothing, when a file is already there
    or the keywords do not make a valid config.
    """
    files = render_files(keywords, source, categories)
    existing = [target for target in files if os.path.lexists(folder / target)]
    if existing:
        raise ScaffoldError(f"{folder} already has {', '.join(existing)}; init writes only into a folder "
                            "without them, and wrote nothing")
    check_config(files["config.yaml"])
    written: list[Path] = []
    try:
        for target, text in files.items():
            path = folder / target
            write_atomic(path, text)
            written.append(path)
    except OSError:
        for path in written:  # all or nothing
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return written


def run_init(args: argparse.Namespace) -> None:
    """``daily-papers init``: write the repository and say what to do next."""
    categories = [c.strip() for given in args.categories for c in given.split(",") if c.strip()]
    written = scaffold(args.folder, args.keyword, args.source, categories)
    for path in written:
        log.info("wrote %s", path)
    print(NEXT_STEPS.format(folder=args.folder), end="")
