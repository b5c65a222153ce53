"""What a validated configuration holds; the defaults are the key table's
(:mod:`daily_papers.config.keys`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from daily_papers.config.keys import ARXIV, DIGEST, TOP, Column, Field, SortKey, Source


@dataclass(frozen=True)
class Keyword:
    """One README section: a name and what to ask arXiv for it."""

    name: str
    phrases: tuple[str, ...]
    """Matched as exact phrases, any of them (OR)."""
    fields: tuple[Field, ...]
    """Where the phrases must occur: ``title``, ``abstract``, ``comment`` or ``all``."""
    categories: tuple[str, ...] = ()
    """arXiv categories to keep (``cs.LG``, ``quant-ph``); empty keeps all."""
    exclude: tuple[str, ...] = ()
    """Words or phrases that drop a paper when they occur in the same fields."""
    columns: tuple[Column, ...] | None = None
    """This keyword's table columns; None uses the config's ``columns``."""

    @property
    def slug(self) -> str:
        """The keyword's file name in the store and elsewhere: ``Reward Model`` -> ``reward-model``."""
        return slugify(self.name)


@dataclass(frozen=True)
class ArxivSettings:
    """How the fetcher talks to the arXiv API."""

    url: str = ARXIV["url"].default
    delay_seconds: float = ARXIV["delay_seconds"].default
    retries: int = ARXIV["retries"].default
    backoff_seconds: float = ARXIV["backoff_seconds"].default
    timeout_seconds: float = ARXIV["timeout_seconds"].default
    sort_by: SortKey = ARXIV["sort_by"].default
    max_retry_after_seconds: float = ARXIV["max_retry_after_seconds"].default
    """A ``Retry-After`` longer than this is cut to it."""
    max_total_seconds: float = ARXIV["max_total_seconds"].default
    """The time a run may spend asking arXiv; after it, the keywords left are not asked."""
    feed_url: str = ARXIV["feed_url"].default
    """The announcement feed's base; the categories, joined with ``+``, follow it."""


@dataclass(frozen=True)
class DigestSettings:
    """The notification issue's body, written on every update."""

    path: Path
    papers: int = DIGEST["papers"].default
    """The most new papers the digest lists (fewer when GitHub's size limit needs it), and
    the most updated ones."""
    updates: bool = DIGEST["updates"].default
    """List the papers that came in a newer version, apart from the new ones."""
    label: str | None = DIGEST["label"].default
    """A label for the digest issue (the workflow creates it when missing)."""
    close_previous: bool = DIGEST["close_previous"].default
    """Close the previous digest issue when a new one is opened."""


@dataclass(frozen=True)
class SiteSettings:
    """The searchable static site ``render`` writes for GitHub Pages."""

    folder: Path
    math: str | None = TOP["site_math"].default
    """An http(s) script that typesets the TeX in titles and abstracts; None shows TeX as written."""


@dataclass(frozen=True)
class Config:
    """A validated configuration; every path in it is absolute."""

    path: Path
    title: str
    keywords: tuple[Keyword, ...]
    max_papers: int
    readme: Path
    store: Path
    timezone: str
    template: Path | None
    arxiv: ArxivSettings
    columns: tuple[Column, ...]
    """README table columns, in order, from :data:`~daily_papers.config.keys.COLUMNS`."""
    pages: Path
    """Folder of the per-keyword pages that hold every stored paper."""
    feeds: Path
    """Folder of the per-keyword Atom feeds."""
    digest: DigestSettings
    repository: str | None = TOP["repository"].default
    """``owner/name`` on GitHub, for links that leave the repository (the digest's e-mail,
    feed addresses); inside GitHub Actions the run's own repository when not given."""
    site: SiteSettings | None = None
    """None: no site (``site: null``)."""
    source: Source = TOP["source"].default
    """Where new papers come from: one of :data:`~daily_papers.config.keys.SOURCES`."""
    categories: tuple[str, ...] = TOP["categories"].default
    """The top-level ``categories:``: what keywords without their own inherit."""


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by ``-``; accents are dropped, other scripts kept."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_")
