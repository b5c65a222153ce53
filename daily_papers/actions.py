"""Talking to GitHub Actions: step outputs, the job summary and annotations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from daily_papers.config import Config, Keyword
from daily_papers.update import KeywordReport, RunReport


class ActionsObserver:
    """Groups each keyword's log lines and turns failures into annotations."""

    def keyword_started(self, keyword: Keyword) -> None:
        pass

    def keyword_finished(self, entry: KeywordReport) -> None:
        pass


def publish(report: RunReport, config: Config, now: datetime, environ: Mapping[str, str]) -> None:
    """Append the step outputs and the job summary (placeholder)."""
