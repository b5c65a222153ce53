"""Talking to GitHub Actions: step outputs, the job summary and annotations.

Used when ``GITHUB_ACTIONS=true``. The runner reads workflow commands (``::group::``,
``::error::``) from the step's output, one per line, and after the step reads the files
that ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` name. Those two belong to the runner
and may already hold lines of earlier commands of the step, so they are appended to,
never replaced.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from daily_papers.config import Config, Keyword
from daily_papers.outputs.digest import digest_title
from daily_papers.outputs.environment import environment
from daily_papers.outputs.layout import local_date
from daily_papers.outputs.links import relative_link
from daily_papers.pipeline import owned_paths
from daily_papers.report import KeywordReport, RunReport

log = logging.getLogger(__name__)


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", **properties: str) -> str:
    """One workflow command line: ``::error title=Reasoning::HTTP 503``."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


class ActionsObserver:
    """Folds each keyword's log lines into a group and turns its trouble into an annotation.

    Writes to the stream the log goes to (standard error by default), so that the
    commands and the log lines stay in order.
    """

    def __init__(self, stream: TextIO | None = None):
        self._stream = stream

    def _emit(self, line: str) -> None:
        stream = self._stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    def keyword_started(self, keyword: Keyword) -> None:
        self._emit(command("group", keyword.name))

    def keyword_finished(self, entry: KeywordReport) -> None:
        self._emit(command("endgroup"))
        name = entry.keyword.name
        if entry.error:
            self._emit(command("error", f"{name}: not updated, {entry.kept} stored papers kept: {entry.error}",
                               title=f"daily-papers: {name}"))
        elif entry.kept == 0:
            self._emit(command("warning", f"{name}: arXiv has no papers for the query {entry.query}; "
                               "check the keyword's phrases, fields and categories in the config",
                               title=f"daily-papers: {name}"))


def output_lines(outputs: Mapping[str, str]) -> str:
    """Step outputs in the ``GITHUB_OUTPUT`` format: ``name=value``, or for a value with a
    line break the ``name<<DELIMITER`` form with a delimiter the value does not contain."""
    lines = []
    for name, value in outputs.items():
        if "\n" in value or "\r" in value:
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            lines.append(f"{name}={value}\n")
    return "".join(lines)


ARXIV_TIME_ZONE = "America/New_York"
"""arXiv announces Sunday to Thursday at 20:00 in New York; nothing on Friday and Saturday."""


def why_nothing_new(report: RunReport, now: datetime) -> str | None:
    """Why a run brought no new paper, for the job summary; None when it brought some."""
    if report.new_papers:
        return None
    if report.quiet:  # the announcement feed said so itself
        return report.quiet
    answered = [k for k in report.keywords if not k.error]
    if answered and all(k.baseline for k in answered):
        return ("a first answer: it is each keyword's starting point, so nothing in it is announced; "
                "the next updates announce the papers that arrive after it.")
    if not report.answered:
        return "arXiv did not answer: every keyword kept its papers, and no file changed."
    evening = local_date(now, ARXIV_TIME_ZONE)
    # The announcement of an evening reaches the search a few hours later, so a run before
    # noon in New York reads the evening before.
    if now.astimezone(ZoneInfo(ARXIV_TIME_ZONE)).hour < 12:
        evening = evening - timedelta(days=1)
    if evening.weekday() in (4, 5):  # Friday, Saturday
        return ("weekend: arXiv announces new papers Sunday to Thursday at 20:00 US Eastern, and none on "
                f"{evening.strftime('%A')} evening.")
    return ("arXiv answered, nothing new: no paper matched that the store did not hold (on an arXiv "
            "holiday, or when the search lags the announcement, this is normal).")


def render_summary(report: RunReport, today: str, reason: str | None = None) -> str:
    """The job summary: a Markdown table with one row per keyword, and why nothing is new."""
    return environment().get_template("summary.md.j2").render(
        today=today,
        new_papers=report.new_papers,
        failed=len(report.failed),
        keywords=report.keywords,
        reason=reason,
    )


def publish(report: RunReport, config: Config, now: datetime, environ: Mapping[str, str]) -> None:
    """Append the step outputs (``new_papers``, ``digest_title``, ``paths``, ``site``,
    ``digest_label``, ``close_previous``) and the job summary to the runner's files."""
    today = local_date(now, config.timezone)
    outputs = {
        "new_papers": str(report.new_papers),
        "digest_title": digest_title(report.new_papers, today),
        "paths": "\n".join(p.as_posix() for p in owned_paths(config)),
        "site": site_folder(config),
        "digest_label": config.digest.label or "",
        "close_previous": "true" if config.digest.close_previous else "false",
    }
    _append(environ.get("GITHUB_OUTPUT"), output_lines(outputs), "GITHUB_OUTPUT")
    summary = render_summary(report, today.isoformat(), why_nothing_new(report, now))
    _append(environ.get("GITHUB_STEP_SUMMARY"), summary, "GITHUB_STEP_SUMMARY")


def site_folder(config: Config) -> str:
    """The site's folder relative to the config's (the Pages upload); empty when it is off."""
    if config.site is None:
        return ""
    return relative_link(config.site.folder, config.path.parent)


def _append(path: str | None, text: str, name: str) -> None:
    """Append to one of the runner's files (a step run outside a runner has none)."""
    if not path:
        log.debug("%s is not set; nothing written for it", name)
        return
    with Path(path).open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
