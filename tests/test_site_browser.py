"""The site in a real browser (headless Chromium through Playwright): search, filters, the
URL and the back button, hostile text shown as text, no request to another host, no
console error, from http:// and from file://.

Without Chromium or Playwright these tests are skipped, saying which is missing; with
``CI=true`` (GitHub Actions sets it) a missing browser fails them instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from paperkit import NEWEST, make_config, make_papers, make_stores
from test_markdown import HOSTILE

from daily_papers.outputs.render import render_outputs, write_outputs
from daily_papers.paper import Paper

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 10_000
"""The longest any step waits for the page (a bound, not a pause: waits end when the page is ready)."""

NAMES = ["Reward Model", "Reasoning", "Diffusion Models", "Retrieval", "Mixture of Experts", "Speculative Decoding",
         "Vision-Language Models", "Preference Optimization", "Code Generation", "State Space Models",
         "Graph Neural Networks", "Hostile <b>&amp;</b> 'keyword' </script>"]
HOSTILE_TITLES = [*HOSTILE, "</script><script>window.__pwned = 1</script>",
                  '<img src=x onerror="window.__pwned = 2">', "<svg onload=\"window.__pwned = 3\"></svg>"]
UNIQUE = "Quasiperiodic"


def browser_missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"Chromium is not installed ({CHROMIUM}): apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install playwright"
    return None


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.cache
def _handler(base: type[Quiet], directory: str) -> type[Quiet]:
    return type("Handler", (base,), {"__init__": functools.partialmethod(base.__init__, directory=directory)})


@dataclass
class Server:
    """A folder served on 127.0.0.1 at a random port, in a thread."""

    folder: Path
    base: type[Quiet] = Quiet
    """The request handler to serve with (a benchmark's counts the bytes it sends)."""
    httpd: http.server.ThreadingHTTPServer = field(init=False)

    def __enter__(self) -> Server:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.base, str(self.folder)))
        self.httpd.timeout = 5
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"


# ---- the site under test ----

@dataclass
class Site:
    root: Path
    keywords: list[list[Paper]]
    slugs: list[str]

    def newest_first(self, papers: Sequence[Paper]) -> list[str]:
        unique = {p.id: p for p in papers}
        return [p.id for p in sorted(unique.values(), key=lambda p: (-p.updated.timestamp(), p.id))]

    @property
    def everything(self) -> list[Paper]:
        return [p for papers in self.keywords for p in papers]


def keyword_papers(k: int) -> list[Paper]:
    """15 papers over about a month, in three category sets."""
    categories = [("cs.LG",), ("cs.CV", "cs.LG"), ("math.OC",)]
    return [replace(p, updated=NEWEST - timedelta(days=(n * 3 + k) % 30, minutes=k * 15 + n),
                    categories=categories[n % 3], title=f"{NAMES[k]} study {n}")
            for n, p in enumerate(make_papers(f"25{k:02d}", 15))]


def build(root: Path, **top: Any) -> Site:
    keywords = [keyword_papers(k) for k in range(11)]
    keywords[1].append(keywords[0][0])  # one paper in two keywords
    keywords[3][7] = replace(keywords[3][7], abstract=f"A {UNIQUE} tiling of the plane. " + keywords[3][7].abstract)
    hostile = make_papers("2511", len(HOSTILE_TITLES))
    keywords.append([replace(p, title=t, abstract=t, comment=t, authors=(t, "Ada"), categories=(t,))
                     for p, t in zip(hostile, HOSTILE_TITLES)])
    keywords[0][0] = replace(keywords[0][0], first_seen=NEWEST)
    config = make_config(root, NAMES, **top)
    stores = make_stores(config, keywords)
    stores[config.keywords[0].slug] = replace(stores[config.keywords[0].slug], new=frozenset({keywords[0][0].id}))
    write_outputs(render_outputs(config, stores))
    return Site(config.site.folder, keywords, [kw.slug for kw in config.keywords])


@pytest.fixture(scope="module")
def playwright_api() -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"a browser test cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="module")
def browser(playwright_api: Any) -> Iterator[Any]:
    browser = launch(playwright_api)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[Server]:
    with Server(site.root) as running:
        yield running


@dataclass
class Watched:
    """A page and what it did: requests, console errors, script errors, dialogs."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def shown(self) -> list[str]:
        return self.page.evaluate(SHOWN)

    def wait_shown(self, expected: list[str]) -> None:
        """Wait (bounded) until the page shows exactly ``expected``, in order."""
        try:
            self.page.wait_for_function(f"want => JSON.stringify(({SHOWN})()) === JSON.stringify(want)",
                                        arg=expected, timeout=WAIT_MS)
        except Exception:
            pass
        assert self.shown() == expected

    def search(self, text: str) -> None:
        self.page.fill("input[type=search]", text)

    def query(self) -> dict[str, list[str]]:
        from urllib.parse import parse_qs, urlsplit

        return parse_qs(urlsplit(self.page.url).query)


SHOWN = """() => [...document.querySelectorAll('[data-arxiv-id]')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).display !== 'none').map(e => e.dataset.arxivId)"""


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    seen = Watched(page)
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and seen.errors.append(m.text))
    page.on("pageerror", lambda e: seen.errors.append(str(e)))

    def dialog(d: Any) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    yield seen
    context.close()
    assert seen.errors == []
    assert seen.dialogs == []


def only_from(watched: Watched, *origins: str) -> None:
    outside = [url for url in watched.requests if not url.startswith(tuple(o + "/" for o in origins))]
    assert watched.requests and outside == []


# ---- the tests ----

def test_the_page_opens_with_the_newest_papers_of_every_keyword(watched, site, server):
    watched.page.goto(server.origin + "/")
    watched.wait_shown(site.newest_first(site.everything)[:50])
    total = len({p.id for p in site.everything})
    assert watched.page.text_content("#summary") == f"{total} papers, 12 keywords, 1 new. Last update: 2025-05-27."
    assert watched.page.locator("#chart svg rect").count() >= 14
    new = watched.page.locator(".paper:has(.badge)")
    assert new.evaluate_all("items => items.map(i => i.dataset.arxivId)") == [site.keywords[0][0].id]
    assert "First seen 2025-05-26" in new.locator(".meta").text_content()
    assert watched.page.get_by_role("button", name="Show 50 more").is_visible()
    only_from(watched, server.origin)
    assert watched.page.evaluate("window.__pwned") is None


def test_a_word_found_in_one_abstract_shows_that_paper_alone(watched, site, server):
    watched.page.goto(server.origin + "/index.html")
    watched.wait_shown(site.newest_first(site.everything)[:50])
    watched.search(UNIQUE.lower())
    watched.wait_shown([site.keywords[3][7].id])
    assert watched.query() == {"q": [UNIQUE.lower()]}
    watched.search(f"{UNIQUE.upper()} tiling nowhere-else")
    watched.wait_shown([])
    assert "No paper matches" in watched.page.text_content("#status")
    watched.search("lovelace STUDY 4")  # words of the authors and the title, in any case, in any order
    expected = site.newest_first([p for papers in site.keywords[:11] for p in papers
                                  if p.title.endswith(("study 4", "study 14"))])
    watched.wait_shown(expected)
    only_from(watched, server.origin)


def test_a_keyword_and_a_date_range_narrow_the_list(watched, site, server):
    page = watched.page
    page.goto(server.origin + "/")
    watched.wait_shown(site.newest_first(site.everything)[:50])
    page.click("#keyword-box summary")
    page.check("input[value=reasoning]")
    watched.wait_shown(site.newest_first(site.keywords[1]))
    assert watched.query() == {"keyword": ["reasoning"]}
    shared = page.locator(f'[data-arxiv-id="{site.keywords[0][0].id}"] .keyword')
    assert shared.all_text_contents() == ["Reward Model", "Reasoning"]  # once, with both its keywords
    page.fill("#from", "2025-05-10")
    page.fill("#to", "2025-05-20")
    inside = [p for p in site.keywords[1] if "2025-05-10" <= p.updated.date().isoformat() <= "2025-05-20"]
    assert 0 < len(inside) < len(site.keywords[1])
    watched.wait_shown(site.newest_first(inside))
    assert watched.query() == {"keyword": ["reasoning"], "from": ["2025-05-10"], "to": ["2025-05-20"]}
    page.select_option("#category", "math.OC")
    watched.wait_shown(site.newest_first([p for p in inside if "math.OC" in p.categories]))
    only_from(watched, server.origin)


def test_a_shared_url_opens_filtered(watched, site, server):
    page = watched.page
    page.goto(server.origin + "/?q=study&keyword=diffusion-models&keyword=retrieval&category=cs.CV")
    papers = [p for p in site.keywords[2] + site.keywords[3] if "cs.CV" in p.categories]
    watched.wait_shown(site.newest_first(papers))
    assert page.input_value("input[type=search]") == "study"
    assert page.is_checked("input[value=diffusion-models]") and page.is_checked("input[value=retrieval]")
    assert page.input_value("#category") == "cs.CV"
    assert page.text_content("#keyword-note") == "Diffusion Models, Retrieval"
    page.goto(server.origin + "/?keyword=no-such-keyword&from=not-a-date&q=")  # nonsense is ignored, not an error
    watched.wait_shown(site.newest_first(site.everything)[:50])


def test_the_back_button_restores_each_search_and_filter(watched, site, server):
    page = watched.page
    page.goto(server.origin + "/")
    first = site.newest_first(site.everything)[:50]
    watched.wait_shown(first)
    watched.search("study 13")
    found = site.newest_first([p for p in site.everything if p.title.endswith("study 13")])
    watched.wait_shown(found)
    page.click("#keyword-box summary")
    page.check("input[value=code-generation]")
    watched.wait_shown(site.newest_first([p for p in site.keywords[8] if p.title.endswith("study 13")]))
    page.go_back()
    watched.wait_shown(found)
    assert page.input_value("input[type=search]") == "study 13"
    assert not page.is_checked("input[value=code-generation]")
    page.go_back()
    watched.wait_shown(first)
    assert page.input_value("input[type=search]") == ""
    page.go_forward()
    watched.wait_shown(found)


def test_hostile_text_shows_as_text_and_runs_nothing(watched, site, server):
    page = watched.page
    page.goto(f"{server.origin}/?keyword={site.slugs[11]}")
    papers = site.keywords[11]
    watched.wait_shown(site.newest_first(papers))
    for paper in papers:
        item = page.locator(f'[data-arxiv-id="{paper.id}"]')
        assert item.locator(".title a").text_content() == paper.title
        assert item.locator(".abstract p").text_content() == paper.abstract
        assert item.locator(".comment").text_content() == paper.comment
        assert item.locator(".category").text_content() == paper.categories[0]
    assert page.locator("#results :is(script, img, svg, iframe, b, strong, a[href^=javascript])").count() == 0
    hrefs = page.eval_on_selector_all("#results a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert page.text_content("#keyword-note") == NAMES[11]
    page.click("#keyword-box summary")
    page.uncheck(f"input[value={site.slugs[11]}]")
    watched.wait_shown(site.newest_first(site.everything)[:50])
    page.locator("details.abstract summary").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "Daily Papers"
    only_from(watched, server.origin)


def test_the_search_field_is_labelled_and_reached_by_keyboard(watched, site, server):
    page = watched.page
    page.goto(server.origin + "/")
    watched.wait_shown(site.newest_first(site.everything)[:50])
    assert page.locator("input[type=search]").count() == 1
    field_ = page.get_by_label("Search titles, abstracts, authors and comments")
    assert field_.get_attribute("type") == "search"
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(UNIQUE)
    watched.wait_shown([site.keywords[3][7].id])
    page.keyboard.press("Escape")
    watched.wait_shown(site.newest_first(site.everything)[:50])


@pytest.mark.parametrize("width", [1000, 360])
def test_nothing_moves_while_the_page_loads_or_an_abstract_opens(watched, site, server, width):
    page = watched.page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(server.origin + f"/?q={UNIQUE}")
    watched.wait_shown([site.keywords[3][7].id])
    shift = page.evaluate("""() => new Promise(resolve => {
      let total = 0;
      const o = new PerformanceObserver(
        list => list.getEntries().forEach(e => { if (!e.hadRecentInput) total += e.value; }));
      o.observe({type: 'layout-shift', buffered: true});
      requestAnimationFrame(() => requestAnimationFrame(() => { o.takeRecords().forEach(e => { total += e.value; });
        o.disconnect(); resolve(total); }));
    })""")
    assert shift < 0.01
    box = page.locator("#results").bounding_box()
    page.set_viewport_size({"width": width, "height": 400})
    page.locator("details.abstract summary").click()
    assert page.locator("details.abstract").get_attribute("open") is not None
    assert page.locator("#results").bounding_box()["width"] == box["width"]


def test_the_page_works_from_a_file_url(watched, site):
    page = watched.page
    page.goto((site.root / "index.html").as_uri() + f"?q={UNIQUE}")
    watched.wait_shown([site.keywords[3][7].id])
    watched.search("")
    watched.wait_shown(site.newest_first(site.everything)[:50])
    page.get_by_role("button", name="Show 50 more").click()
    watched.wait_shown(site.newest_first(site.everything)[:100])
    assert all(url.startswith("file://") for url in watched.requests)


MATH = """window.MathJax = {typesetPromise: function (nodes) {
  document.body.setAttribute('data-typeset', String(nodes[0].querySelectorAll('[data-arxiv-id]').length));
  return Promise.resolve();
}};
"""


def test_a_configured_math_script_is_loaded_from_its_host_and_typesets_the_list(watched, tmp_path):
    (tmp_path / "math").mkdir()
    (tmp_path / "math" / "tex.js").write_text(MATH, encoding="utf-8")
    with Server(tmp_path / "math") as math:
        site = build(tmp_path / "project", site_math=f"{math.origin}/tex.js")
        with Server(site.root) as server:
            watched.page.goto(server.origin + "/")
            watched.wait_shown(site.newest_first(site.everything)[:50])
            watched.page.wait_for_function("() => document.body.getAttribute('data-typeset') === '50'", timeout=WAIT_MS)
            only_from(watched, server.origin, math.origin)
            assert f"{math.origin}/tex.js" in watched.requests


def test_a_site_without_papers_says_so(watched, tmp_path):
    config = make_config(tmp_path, ["Reward Model"])
    write_outputs(render_outputs(config, make_stores(config, [()])))
    with Server(config.site.folder) as server:
        watched.page.goto(server.origin + "/")
        watched.page.wait_for_function("() => document.querySelector('#status').textContent.startsWith('No papers')")
        assert watched.shown() == []
        assert watched.page.text_content("#summary") == "0 papers, 1 keyword. Last update: 2025-05-27."


def test_a_small_site_searches_its_index_alone(watched, tmp_path):
    papers = make_papers("2505", 12)
    config = make_config(tmp_path, ["A", "B"])
    write_outputs(render_outputs(config, make_stores(config, [papers[:7], papers[5:]])))
    with Server(config.site.folder) as server:
        watched.page.goto(server.origin + "/?keyword=b")
        watched.wait_shown([p.id for p in papers[5:]])
        watched.search("2505 paper 6:")
        watched.wait_shown([papers[6].id])
        assert not [url for url in watched.requests if "/data/keywords/" in url]
