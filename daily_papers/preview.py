"""``daily-papers preview``: what each keyword's rules keep from the kept recent
announcements, and what its ``exclude`` phrases drop, offline and writing nothing.

With ``source: api`` there is nothing local to match: it says what the store holds and
the query an update would send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from daily_papers import feedstore
from daily_papers.config import Config, Keyword
from daily_papers.matching import Outcome, Texts, compile_rules, describe, match
from daily_papers.paper import Paper, format_timestamp
from daily_papers.printable import printable
from daily_papers.sources.feed import CANDIDATES
from daily_papers.sources.query import build_query
from daily_papers.store import load_keyword, store_path


class PreviewError(Exception):
    """A keyword named on the command line that the config does not have."""


@dataclass
class DayPreview:
    day: date
    matched: list[Paper] = field(default_factory=list)
    excluded: list[tuple[Paper, str]] = field(default_factory=list)
    """Papers a phrase matched and an exclude phrase dropped, with the words that did it."""


@dataclass
class KeywordPreview:
    keyword: Keyword
    rules: str
    """The rules in one line (feed) or the query (api)."""
    days: list[DayPreview] = field(default_factory=list)
    stored: int = 0
    fetched: datetime | None = None


def choose(config: Config, names: Sequence[str]) -> list[Keyword]:
    """The keywords named (by name, in any case, or by file name); all when none is."""
    if not names:
        return list(config.keywords)
    by_name = {kw.name.casefold(): kw for kw in config.keywords} | {kw.slug: kw for kw in config.keywords}
    chosen = []
    for name in names:
        keyword = by_name.get(name.casefold())
        if keyword is None:
            known = ", ".join(repr(kw.name) for kw in config.keywords)
            raise PreviewError(f"no keyword {printable(name)!r} in {config.path.name}; it has {known}")
        chosen.append(keyword)
    return list(dict.fromkeys(chosen))


def preview(config: Config, names: Sequence[str] = (), since: int = 1) -> list[KeywordPreview]:
    """Each chosen keyword's preview over the kept announcement days of the last
    ``since`` days, counted back from the newest kept one (1: that day alone)."""
    keywords = choose(config, names)
    if config.source != "feed":
        return [_api_preview(config, kw) for kw in keywords]
    days = feedstore.kept_days(config.store)
    if days:
        days = [d for d in days if d > days[-1] - timedelta(days=since)]
    loaded = [kept for d in reversed(days) if (kept := feedstore.load_day(config.store, d)) is not None]
    previews = []
    for keyword in keywords:
        rules = compile_rules(keyword)
        entry = KeywordPreview(keyword, describe(rules))
        for kept in loaded:
            shown = DayPreview(kept.day)
            for item in kept.items():
                if item.announce_type not in CANDIDATES:
                    continue
                paper = kept.lookups.get(item.paper.id) or item.paper
                verdict = match(rules, Texts.of(paper))
                if verdict.outcome is Outcome.MATCH:
                    shown.matched.append(paper)
                elif verdict.outcome is Outcome.EXCLUDED:
                    shown.excluded.append((paper, verdict.excluded_by or ""))
            entry.days.append(shown)
        previews.append(entry)
    return previews


def _api_preview(config: Config, keyword: Keyword) -> KeywordPreview:
    stored = load_keyword(store_path(config.store, keyword.slug))
    return KeywordPreview(keyword, build_query(keyword), stored=len(stored.papers) if stored else 0,
                          fetched=stored.fetched if stored else None)


def lines(config: Config, previews: list[KeywordPreview]) -> list[str]:
    """The preview as text, one paper a line; every text from arXiv made printable."""
    out = []
    for entry in previews:
        name = printable(entry.keyword.name)
        if config.source != "feed":
            when = format_timestamp(entry.fetched) if entry.fetched else "never"
            out += [f"{name}: the query an update sends: {printable(entry.rules)}",
                    (f"  the store holds {entry.stored} paper{'' if entry.stored == 1 else 's'}; arXiv last "
                     f"answered {when} (source: api keeps no announcements to preview)")]
            continue
        out.append(f"{name}: {printable(entry.rules)}")
        if not entry.days:
            out.append("  no kept announcement: run `daily-papers update` once with source: feed")
        for day in entry.days:
            out.append(f"  {day.day.isoformat()}: {len(day.matched)} matched, {len(day.excluded)} excluded")
            out += [f"    + {p.versioned_id} {printable(p.title)}" for p in day.matched]
            out += [f"    - {p.versioned_id} {printable(p.title)} (excluded by {printable(words)!r})"
                    for p, words in day.excluded]
    return out
