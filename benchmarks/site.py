"""Measure the static site in headless Chromium: what a first visit downloads, and how soon
a search across every keyword shows its results.

    python benchmarks/site.py                  # 50 keywords x 100 papers of real length
    python benchmarks/site.py --keywords 5 --papers 10

The site is rendered from stores of the benchmark corpus and served from 127.0.0.1 by a
server that counts the body bytes it sends (no compression: GitHub Pages gzips, so a
real visit transfers less). Chromium is ``/usr/bin/chromium`` (or ``$CHROMIUM``) through
Playwright, as in the browser tests. The exit status is 1 when a target fails.

The file is named by the brief of the site; as ``site`` is also a module of Python's, a
caller loads it by path (``importlib.util.spec_from_file_location``), not by ``import site``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus
from paperkit import NOW
from test_site_browser import Quiet, Server, browser_missing, launch

from daily_papers.config import validate
from daily_papers.outputs.render import render_outputs, write_outputs
from daily_papers.store import KeywordStore

log = logging.getLogger("benchmark")

FIRST_LOAD_BYTES = 1_500_000
SEARCH_SECONDS = 1.0
TARGET = (50, 100)
"""Keywords and papers per keyword the targets are set for."""
WAIT_MS = 30_000
QUERY = "verifier calibrated"
"""Two words of one of the corpus's sentences: matches about one paper in eleven."""


class Reporter(Protocol):
    def add(self, measure: str, result: str, target: str = "", ok: bool | None = None) -> None: ...


class Counting(Quiet):
    """Counts the body bytes of every answer, for all servers of this process."""

    sent = 0
    lock = threading.Lock()

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-length":
            with Counting.lock:
                Counting.sent += int(value)
        super().send_header(keyword, value)


def build(root: Path, keywords: int, papers: int) -> Path:
    """A project of ``keywords`` x ``papers`` corpus papers, rendered; returns the site folder."""
    config = validate({"keywords": corpus.keyword_names(keywords)}, root / "config.yaml", {})
    stores = {kw.slug: KeywordStore(kw.name, "query", config.arxiv.sort_by, corpus.papers(k, papers), NOW)
              for k, kw in enumerate(config.keywords)}
    write_outputs(render_outputs(config, stores))
    assert config.site is not None
    return config.site.folder


def measure_site(report: Reporter, keywords: int = TARGET[0], papers: int = TARGET[1]) -> None:
    """First-load bytes, time to the first papers, and time to the first result of a search
    across every keyword (its data not loaded yet), then of the next search."""
    missing = browser_missing()
    if missing:
        report.add("site in headless Chromium", f"not measured: {missing}", "Chromium and Playwright", False)
        return
    from playwright.sync_api import sync_playwright

    judged = (keywords, papers) == TARGET
    with tempfile.TemporaryDirectory(prefix="daily-papers-site-") as folder:
        log.info("site: %d keywords x %d papers", keywords, papers)
        site = build(Path(folder), keywords, papers)
        data = sum(p.stat().st_size for p in (site / "data").rglob("*.js"))
        with Server(site, Counting) as server, sync_playwright() as api:
            browser = launch(api)
            page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            Counting.sent = 0
            start = time.perf_counter()
            page.goto(server.origin + "/")
            page.wait_for_selector("[data-arxiv-id]", timeout=WAIT_MS)
            shown = time.perf_counter() - start
            page.wait_for_load_state("networkidle", timeout=WAIT_MS)
            first = Counting.sent
            cold = search(page, QUERY)
            found = page.text_content("#status")
            everything = Counting.sent
            warm = search(page, "reward hacking")
            browser.close()
    limit = f"≤ {FIRST_LOAD_BYTES / 1e6:g} MB"
    report.add(f"site, {keywords} keywords × {papers} papers: bytes of a first visit (page, assets, index)",
               f"{first:,} bytes (all data: {data:,} bytes)", limit if judged else "",
               first <= FIRST_LOAD_BYTES if judged else None)
    report.add("site: from opening the page to the first papers shown", f"{shown:.3f} s")
    report.add(f"site: a first search across every keyword ({QUERY!r}: {found}), typed to shown",
               f"{cold:.3f} s, loading {everything - first:,} bytes of data",
               f"≤ {SEARCH_SECONDS:g} s" if judged else "", cold <= SEARCH_SECONDS if judged else None)
    report.add("site: the next search, typed to shown (its 200 ms typing pause included)", f"{warm:.3f} s")


def search(page: Any, text: str) -> float:
    """Seconds from typing ``text`` into the search field to its results on the page."""
    start = time.perf_counter()
    page.fill("input[type=search]", text)
    page.wait_for_function(
        """want => new URLSearchParams(location.search).get('q') === want
           && !document.getElementById('status').textContent.startsWith('Loading')""",
        arg=text, timeout=WAIT_MS)
    return time.perf_counter() - start


class _Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def add(self, measure: str, result: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append((measure, result, target, ok))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keywords", type=int, default=TARGET[0])
    parser.add_argument("--papers", type=int, default=TARGET[1])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    table = _Table()
    measure_site(table, args.keywords, args.papers)
    print("| Measure | Result | Target | |\n| --- | --- | --- | --- |")
    for measure, result, target, ok in table.rows:
        print(f"| {measure} | {result} | {target} | {'' if ok is None else 'pass' if ok else 'FAIL'} |")
    return 1 if any(row[3] is False for row in table.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
