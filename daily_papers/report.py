"""What a run did, as typed values: per keyword, per run and, in feed mode, per feed.
The command line turns them into logs, the job summary, step outputs and an exit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from daily_papers.config import Keyword


@dataclass
class FeedReport:
    """What the feed side of a run did."""

    day: date
    feed_requests: int = 0
    lookup_requests: int = 0
    quiet: str | None = None
    """Why the feed was empty (a weekend, a holiday); None on an announcement day."""
    stale: list[str] = field(default_factory=list)
    """Categories whose feed did not move forward: their keywords were searched instead."""
    capped: list[str] = field(default_factory=list)
    """Categories whose feed alone reached the 2000-item cap: searched instead."""
    failed: dict[str, str] = field(default_factory=dict)
    """Category -> why its feed could not be had."""
    from_kept: bool = False
    """Every answer came from the kept day: nothing was asked of the feed."""


@dataclass
class KeywordReport:
    """What one keyword's update did."""

    keyword: Keyword
    query: str
    fetched: int = 0
    new: int = 0
    """Papers this keyword never had (a baseline answer, after a change of query, has none)."""
    updated: int = 0
    """Papers it had that came in a newer version."""
    kept: int = 0
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None
    new_ids: frozenset[str] = frozenset()
    baseline: bool = False
    """True when this answer was the keyword's first (new, or its query changed): nothing in
    it is announced, the next answers are compared with it."""


@dataclass
class RunReport:
    """What a whole ``update`` did; the CLI turns it into logs, outputs and an exit status."""

    keywords: list[KeywordReport] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    quiet: str | None = None
    """With ``source: feed``, why the day brought nothing (a weekend, an arXiv holiday), for
    the log and the job summary; None otherwise."""
    feed: FeedReport | None = None
    """With ``source: feed``, what the feed side did (requests, stale categories)."""

    @property
    def new_papers(self) -> int:
        """New papers, each once however many keywords found it: what the digest announces."""
        return len(frozenset().union(*(k.new_ids for k in self.keywords)))

    @property
    def answered(self) -> bool:
        """True when arXiv answered for at least one keyword."""
        return any(not k.error for k in self.keywords)

    @property
    def failed(self) -> list[KeywordReport]:
        return [k for k in self.keywords if k.error]


class Observer(Protocol):
    """Told about each keyword as the run goes (the GitHub Actions output uses this)."""

    def keyword_started(self, keyword: Keyword) -> None: ...

    def keyword_finished(self, entry: KeywordReport) -> None: ...
