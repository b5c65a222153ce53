"""The feed-mode row of the benchmark: one day's update of 50 keywords over 8 categories
with 40 new matching papers, with ``source: feed`` and, side by side, ``source: api``.

    python benchmarks/feed.py           # delay 0.2 s, latency 0.1 s: about 15 s
    python benchmarks/feed.py --quick   # delay 0.02 s (no target is judged on time)

Both run the real command in a new process against the stand-ins of ``tests/`` on
127.0.0.1 (``feedstandin.FeedStandin``: the feed, ``id_list`` and the searches). The
feed day holds 800 new papers (100 a category, real-length abstracts), 40 of which
match a keyword; each keyword's store already holds 100 papers (5 with ``--quick``), so every keyword
follows the feed. A run cannot be faster than its floor, (R-1)*delay + latency for R
requests; the wall time is reported against it (both modes also read, merge and render
50 keywords of 100 papers, which the render rows of ``run.py`` measure). Targets: 1
feed request + 1 lookup, every start ``delay`` apart, and exactly the 40 papers new.

``measure_feed(plan, report)`` takes the ``Plan`` and ``Report`` of ``run.py`` (its
delay, latency and papers; the report's ``add``).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]  # this checkout's package, not another

import corpus
import run as bench
from feedstandin import FeedStandin, Listing

from daily_papers.config import load_config
from daily_papers.sources.query import build_query
from daily_papers.store import KeywordStore, load_keyword, save_keyword, store_path

log = logging.getLogger("benchmark")

KEYWORDS = 50
CATEGORIES = ("cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.IR", "cs.NE")
PER_CATEGORY = 100
MATCHES = 40
JUDGED_DELAY = 0.2
LATENCY = 0.1


def phrase(index: int) -> str:
    """A phrase no corpus text holds, so that exactly the papers given it match."""
    return f"zeta{index:02d} model"


def write_project(root: Path, source: str, delay: float, url: str, feed_url: str, stored: int = 100):
    keywords = "".join(f"  - name: {name!r}\n    phrases: ['{phrase(i)}']\n    categories: [{CATEGORIES[i % 8]}]\n"
                       for i, name in enumerate(corpus.keyword_names(KEYWORDS)))
    path = root / "config.yaml"
    path.write_text(f"source: {source}\nkeywords:\n{keywords}max_papers: 100\narxiv:\n  delay_seconds: {delay}\n",
                    encoding="utf-8")
    config = load_config(path, {"DAILY_PAPERS_ARXIV_URL": url, "DAILY_PAPERS_FEED_URL": feed_url})
    for index, keyword in enumerate(config.keywords):
        papers = corpus.papers(index, stored)
        save_keyword(store_path(config.store, keyword.slug),
                     KeywordStore(keyword.name, build_query(keyword), config.arxiv.sort_by, papers, corpus.NEWEST))
    return config


def serve_day(site: FeedStandin, config, stored: int = 100) -> set[str]:
    """The day: 800 new papers over the 8 categories; keyword i < 40 gets one of them
    (in its category) with its phrase in the title. Every search answers its keyword's
    stored papers and its new one. Returns the ids of the 40."""
    matching: dict[int, object] = {}
    for c, category in enumerate(CATEGORIES):
        for n in range(PER_CATEGORY):
            base = bench.entries(corpus.papers(60 + c, 1, first=n))[0]
            entry = dataclasses.replace(base, arxiv_id=f"2506.{c * PER_CATEGORY + n:05d}v1", categories=[category])
            index = n * len(CATEGORIES) + c  # keyword index whose category this is, for n < 5
            if index < MATCHES:
                entry = dataclasses.replace(entry, title=f"{entry.title}: {phrase(index)}s at scale")
                matching[index] = entry
            site.announce(Listing(entry))
    for index, keyword in enumerate(config.keywords):
        fresh = [matching[index]] if index in matching else []
        site.add(build_query(keyword), fresh + bench.entries(corpus.papers(index, stored)))
    return {e.arxiv_id.split("v")[0] for e in matching.values()}  # type: ignore[attr-defined]


def measure_feed(plan: bench.Plan, report: bench.Report) -> None:
    """The same day in feed mode and in api mode."""
    # Compared by size, not identity: run.py's own Plan class, when it is the main module,
    # is another class than the one this module imported.
    judged = (plan.delay, plan.papers) == (bench.FULL.delay, bench.FULL.papers)
    delay = plan.delay * JUDGED_DELAY / bench.FULL.delay
    latency = LATENCY if judged else plan.latency
    results = {}
    for source in ("feed", "api"):
        with bench.scratch() as root, FeedStandin(latency=latency) as site:
            config = write_project(root, source, delay, site.url, site.feed_url, plan.papers)
            matching = serve_day(site, config, plan.papers)
            env = bench.cli_env(site.url, bench.EPOCH)
            env["DAILY_PAPERS_FEED_URL"] = site.feed_url
            log.info("update in %s mode: %d keywords over %d categories", source, KEYWORDS, len(CATEGORIES))
            result = bench.checked(bench.run_cli("update", config.path, env), f"update ({source})")
            new = set().union(*(load_keyword(store_path(config.store, kw.slug)).new for kw in config.keywords))
            results[source] = (result, len(site.feed_requests), len(site.lookups),
                               len(site.requests) - len(site.feed_requests) - len(site.lookups), new == matching,
                               len(new), sorted(r.started for r in site.requests))
    for source, (result, feeds, lookups, searches, exact, new, starts) in results.items():
        requests = feeds + lookups + searches
        floor = (requests - 1) * delay + latency
        over = result.seconds - floor
        report.add(f"feed row: {KEYWORDS} keywords over {len(CATEGORIES)} categories, {MATCHES} new matches, "
                   f"source: {source}: requests",
                   f"{feeds} feed + {lookups} lookup + {searches} searches",
                   "1 feed + 1 lookup" if source == "feed" else f"{KEYWORDS} searches (for comparison)",
                   (feeds, lookups, searches) == (1, 1, 0) if source == "feed" else searches == KEYWORDS)
        report.add(f"feed row, source: {source}: wall time (delay {delay:g} s, latency {latency:g} s)",
                   f"{result.seconds:.2f} s = floor {floor:.2f} s + {over:.2f} s ({result.peak_mb:.0f} MB peak)",
                   "reported: the render both modes share is measured apart" if judged else "")
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        report.add(f"feed row, source: {source}: new papers, and the shortest start-to-start gap",
                   f"{new} new{' (exactly the matching ones)' if exact else ' (NOT the matching ones)'}; "
                   f"{min(gaps):.3f} s" if gaps else f"{new} new; one request",
                   f"{MATCHES}, ≥ {delay:g} s", exact and new == MATCHES and all(g >= delay for g in gaps))


def main(argv: Sequence[str] | None = None) -> int:
    return bench.run_alone(measure_feed, "feed.py", "short delays (no target on time)", argv)


if __name__ == "__main__":
    sys.exit(main())
