"""``update`` with ``source: feed``: one feed request for every keyword, matching done
here, one ``id_list`` lookup per 100 new papers.

A keyword whose store holds nothing for its query yet is filled once by an API search,
as with ``source: api``. A category whose feed did not move forward since the last
kept announcement day is stale: its keywords are searched through the API instead. An
empty feed is a quiet day (a weekend or an arXiv holiday): no store changes.
See docs/feed.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from daily_papers import feedstore
from daily_papers.config import Config, Keyword
from daily_papers.matching import Rules, Texts, compile_rules, match, needs_lookup
from daily_papers.merge import merge_keyword
from daily_papers.paper import Paper
from daily_papers.report import FeedReport, KeywordReport, Observer, RunReport
from daily_papers.search import update_keyword
from daily_papers.sources import ArxivClient, build_query
from daily_papers.sources.feed import (
    CANDIDATES,
    Item,
    announcement_day,
    fetch_feed,
    lookup,
    plan,
)
from daily_papers.sources.retry import GaveUp
from daily_papers.store import KeywordStore, save_keyword, store_path

log = logging.getLogger(__name__)


def quiet_reason(day: date) -> str:
    if day.weekday() >= 5:
        return (f"no announcement: arXiv's feed is empty on {day.strftime('%A')} ({day.isoformat()}); "
                "arXiv announces Sunday to Thursday evening, US Eastern")
    return (f"no announcement: arXiv's feed is empty on {day.strftime('%A')} {day.isoformat()}, "
            "an arXiv holiday")


def run_feed(
    config: Config,
    stores: MutableMapping[str, KeywordStore | None],
    client: ArxivClient,
    now: datetime,
    clock: Callable[[], float],
    observer: Observer | None = None,
) -> RunReport:
    """Update every keyword from the day's feed; returns the run's report."""
    report = RunReport()
    day = announcement_day(now)
    feed = FeedReport(day)
    report.feed = feed
    queries = {kw.slug: build_query(kw) for kw in config.keywords}
    followers = [kw for kw in config.keywords if _follows(stores.get(kw.slug), queries[kw.slug])]
    kept = _ask_feed(config, client, day, followers, feed)
    items = kept.items() if kept else []
    if kept is not None and not feed.failed and not items:
        feed.quiet = report.quiet = quiet_reason(day)
        log.info("quiet day: %s; the %d keywords that follow the feed are left as they were", feed.quiet,
                 len(followers))
    if kept is not None and not feed.quiet:
        _mark_stale(config, kept, followers, feed)
    searched = {kw.slug for kw in followers if _searched(kw, feed)}
    feeding = [kw for kw in followers if kw.slug not in searched and not _failed(kw, feed) and not feed.quiet]
    rules = {kw.slug: compile_rules(kw) for kw in feeding}
    found = _found(items, rules, stores) if kept is not None else {}
    if kept is not None and found:
        _look_up(config, client, kept, found, feed)
    if kept is not None and items and not feed.from_kept:
        report.written += feedstore.save_day(config.store, kept)

    for keyword in config.keywords:
        if observer:
            observer.keyword_started(keyword)
        slug = keyword.slug
        if slug in rules:
            entry = _merge(config, rules[slug], stores, kept, found[slug], queries[slug], now, report.written)
        elif any(kw.slug == slug for kw in followers) and (feed.quiet or _failed(keyword, feed)):
            stored = stores.get(slug)
            entry = KeywordReport(keyword, queries[slug], kept=len(stored.papers) if stored else 0)
            if not feed.quiet:
                entry.error = "; ".join(dict.fromkeys(feed.failed[c] for c in keyword.categories if c in feed.failed))
                log.error("%s: not updated, %d stored papers kept: %s", keyword.name, entry.kept, entry.error)
        else:  # a new keyword's backfill, or a stale or capped category's fallback: one API search
            entry = update_keyword(config, keyword, stores, client, now, clock, report.written)
        report.keywords.append(entry)
        if observer:
            observer.keyword_finished(entry)
    log.info("feed: %d feed request%s and %d lookup%s for %d keywords%s", feed.feed_requests,
             "" if feed.feed_requests == 1 else "s", feed.lookup_requests, "" if feed.lookup_requests == 1 else "s",
             len(followers), " (today's kept answers: nothing asked of the feed)" if feed.from_kept else "")
    return report


def _follows(stored: KeywordStore | None, query: str) -> bool:
    """A keyword follows the feed once its store is of its query and holds papers or an
    answer (a search that found nothing is not asked again)."""
    return bool(stored and stored.answers(query) and (stored.papers or stored.fetched is not None))


def _failed(keyword: Keyword, feed: FeedReport) -> bool:
    return any(c in feed.failed for c in keyword.categories)


def _searched(keyword: Keyword, feed: FeedReport) -> bool:
    return not feed.quiet and any(c in feed.stale or c in feed.capped for c in keyword.categories)


def _ask_feed(config: Config, client: ArxivClient, day: date, followers: list[Keyword],
              feed: FeedReport) -> feedstore.Day | None:
    """Today's kept answers, completed with a feed request for each category not in them."""
    union = tuple(dict.fromkeys(c for kw in followers for c in kw.categories))
    if not union:
        return None
    kept = feedstore.load_day(config.store, day) or feedstore.Day(day)
    missing = tuple(c for c in union if not kept.answered(c))
    feed.from_kept = not missing
    queue = plan(missing)
    while queue:
        group = queue.pop(0)
        try:
            answer, requests = fetch_feed(client.retrier, config.arxiv.feed_url, group)
        except GaveUp as gave_up:
            feed.feed_requests += gave_up.requests
            feed.failed.update((c, gave_up.message) for c in group)
            log.error("feed %s: %s", "+".join(group), gave_up.message)
            continue
        feed.feed_requests += requests
        for note in answer.notes:
            log.warning("feed %s: %s", "+".join(group), note)
        if not answer.complete_candidates:
            if len(group) > 1:
                half = len(group) // 2
                log.info("feed %s: %d items, the feed's cap; asking in two halves", "+".join(group),
                         len(answer.items))
                queue[:0] = [group[:half], group[half:]]
                continue
            feed.capped.append(group[0])
            log.warning("feed %s: %d items, the feed's cap: some new papers may be missing, so its keywords are "
                        "searched through the API", group[0], len(answer.items))
        kept.answers.append(answer)
    return kept


def _mark_stale(config: Config, kept: feedstore.Day, followers: list[Keyword], feed: FeedReport) -> None:
    """Categories whose newest paper is the one the last kept day had: the feed did not move."""
    earlier = [d for d in feedstore.kept_days(config.store) if d < kept.day]
    previous = feedstore.load_day(config.store, earlier[-1]) if earlier else None
    if previous is None:
        return
    for category in dict.fromkeys(c for kw in followers for c in kw.categories):
        newest = kept.newest(category)
        if newest is not None and previous.answered(category) and previous.newest(category) == newest:
            feed.stale.append(category)
            log.warning("feed %s is stale: its newest paper is %s, as on %s; its keywords are searched through "
                        "the API instead", category, newest, previous.day.isoformat())


def _found(items: list[Item], rules: dict[str, Rules], stores: MutableMapping[str, KeywordStore | None]
           ) -> dict[str, list[Item]]:
    """Slug -> the items that may be the keyword's (before their lookup), and the
    replacements of papers it holds in an older version."""
    texts = [(item, Texts.of(item.paper)) for item in items if item.announce_type in CANDIDATES]
    found: dict[str, list[Item]] = {}
    for slug, keyword_rules in rules.items():
        stored = stores.get(slug)
        held = {p.id: p.version for p in stored.papers} if stored else {}
        mine = [item for item, text in texts if needs_lookup(keyword_rules, text)]
        mine += [item for item in items if item.announce_type not in CANDIDATES
                 and held.get(item.paper.id, item.paper.version) < item.paper.version]
        found[slug] = mine
    return found


def _look_up(config: Config, client: ArxivClient, kept: feedstore.Day, found: dict[str, list[Item]],
             feed: FeedReport) -> None:
    ids = sorted({item.paper.id for items in found.values() for item in items} - kept.lookups.keys())
    if not ids:
        return
    result = lookup(client.retrier, config.arxiv.url, ids)
    feed.lookup_requests += result.requests
    kept.lookups.update(result.papers)
    missing = [i for i in ids if i not in result.papers]
    if missing:
        why = result.error or "arXiv did not send them"
        log.warning("lookup: no comment or dates for %d of %d papers (%s); they are kept as the feed told them: %s",
                    len(missing), len(ids), why, ", ".join(missing[:10]))


def _merge(config: Config, rules: Rules, stores: MutableMapping[str, KeywordStore | None],
           kept: feedstore.Day | None, items: list[Item], query: str, now: datetime,
           written: list[Path]) -> KeywordReport:

    keyword = rules.keyword
    stored = stores.get(keyword.slug)
    held = {p.id: p for p in stored.papers} if stored else {}
    lookups = kept.lookups if kept else {}
    papers: list[Paper] = []
    for item in items:
        known = lookups.get(item.paper.id)
        if item.announce_type in CANDIDATES:
            paper = known or item.paper
            if match(rules, Texts.of(paper)).kept:
                papers.append(paper)
        else:
            papers.append(known or _replaced(held[item.paper.id], item.paper))
    new_store, merged, _ = merge_keyword(stored, keyword.name, query, config.arxiv.sort_by, papers,
                                         config.max_papers, now)
    path = store_path(config.store, keyword.slug)
    if save_keyword(path, new_store):
        written.append(path)
    stores[keyword.slug] = new_store
    entry = KeywordReport(keyword, query, fetched=len(papers), new=len(new_store.new), updated=len(new_store.updated),
                          kept=len(merged.papers), new_ids=new_store.new)
    log.info("%s: matched %d in the feed, new %d, updated %d, kept %d", keyword.name, entry.fetched, entry.new,
             entry.updated, entry.kept)
    return entry


def _replaced(stored: Paper, announced: Paper) -> Paper:
    """A stored paper in the version the feed announced, when no lookup told more."""
    return replace(stored, version=announced.version, title=announced.title, updated=announced.updated,
                   abstract=announced.abstract or stored.abstract, abs_url=None, pdf_url=None)

