"""The static site, read back without a browser: its config keys, its files, data scripts
that no text from arXiv can break out of, one record per paper, and the size of a first load."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from paperkit import NEWEST, NOW, abstract, make_config, make_papers, make_stores, save_stores
from test_markdown import HOSTILE

from daily_papers import pipeline
from daily_papers.config import ConfigError
from daily_papers.outputs.manifest import MANIFEST_NAME, fingerprint
from daily_papers.outputs.markdown import code_url
from daily_papers.outputs.render import Links, render_outputs, write_outputs
from daily_papers.outputs.site import RECENT, build_site, content_security_policy


def site_files(config, papers, fetched=NOW) -> dict[str, str]:
    """The site's outputs, keyed by their path relative to the site folder."""
    stores = {slug: replace(stored, fetched=fetched) for slug, stored in make_stores(config, papers).items()}
    outputs = render_outputs(config, stores)
    root = config.site.folder
    return {path.relative_to(root).as_posix(): text for path, text in outputs.items() if path.is_relative_to(root)}


def data(text: str, prefix: str):
    """The value a data script assigns, checked to be the script's only statement."""
    assert text.startswith(prefix) and text.endswith(";\n"), text[:80]
    return json.loads(text[len(prefix):-2])


def index_of(files):
    return data(files["data/index.js"], "window.DP_INDEX=")


def shard(files, slug):
    prefix = f"window.DP_SHARDS=window.DP_SHARDS||{{}};window.DP_SHARDS[{json.dumps(slug)}]="
    return data(files[f"data/keywords/{slug}.js"], prefix)


# ---- config ----

def test_the_site_is_on_by_default_and_null_turns_it_off(tmp_path):
    config = make_config(tmp_path, ["A"])
    assert config.site.folder == tmp_path / "site" and config.site.math is None
    assert make_config(tmp_path, ["A"], site=None).site is None
    assert make_config(tmp_path, ["A"], site="public/site").site.folder == tmp_path / "public/site"
    off = make_config(tmp_path, ["A"], site=None)
    assert not any("site" in path.parts for path in render_outputs(off, make_stores(off, [()])))


@pytest.mark.parametrize("url", ["https://cdn.example.org/mathjax/tex-chtml.js", "http://127.0.0.1:8000/m.js"])
def test_a_math_script_is_an_http_url(tmp_path, url):
    assert make_config(tmp_path, ["A"], site_math=url).site.math == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/m.js", "//cdn.example.org/m.js",
                                 "https://", "http://[", "https://a.org/x.js; script-src *", 'https://a.org/"x',
                                 "https://a.org/<x>", 42, ["https://a.org"]])
def test_a_math_script_that_is_not_an_http_url_is_refused(tmp_path, url):
    with pytest.raises(ConfigError, match="site_math"):
        make_config(tmp_path, ["A"], site_math=url)


@pytest.mark.parametrize(("top", "words"), [
    ({"site": "data"}, "store folder"),
    ({"site": "data/site"}, "store folder"),
    ({"site": "out", "feeds": "out/feeds"}, "feeds folder"),
    ({"site": "papers"}, "pages folder"),
    ({"site": "."}, "site folder"),
    ({"site": "docs", "readme": "docs/README.md"}, "readme"),
    ({"site": ".github"}, "digest.path"),
    ({"site": ""}, "site: empty"),
    ({"site": 3}, "site: expected text"),
])
def test_a_site_folder_that_would_overwrite_other_files_is_refused(tmp_path, top, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        make_config(tmp_path, ["A"], **top)


# ---- files ----

def test_render_writes_the_page_its_assets_data_feeds_and_nojekyll(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "Reasoning", "Empty"])
    outputs = render_outputs(config, make_stores(config, [make_papers("2505", 3), make_papers("2504", 2), ()]))
    write_outputs(outputs)
    site = tmp_path / "site"
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == [".nojekyll", "assets/site.css", "assets/site.js", "data/index.js", "data/keywords/empty.js",
                     "data/keywords/reasoning.js", "data/keywords/reward-model.js", "feeds/all.atom", "feeds/empty.xml",
                     "feeds/feeds.opml",
                     "feeds/reasoning.xml", "feeds/reward-model.xml", "index.html"]
    for feed in ("reward-model", "reasoning", "empty"):
        assert (site / "feeds" / f"{feed}.xml").read_bytes() == (tmp_path / "feeds" / f"{feed}.xml").read_bytes()
    page = (site / "index.html").read_text(encoding="utf-8")
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        if not url.startswith(("https://", "data:", "#")):
            assert (site / url.split("?")[0]).is_file(), url
    assert (tmp_path / "README.md").is_file()


def test_the_same_store_gives_the_same_bytes(tmp_path):
    config = make_config(tmp_path, ["A", "B"])
    papers = [make_papers("2505", 5), make_papers("2504", 5)]
    first = site_files(config, papers)
    assert site_files(config, papers) == first
    assert "Last update: 2025-05-27." in first["index.html"]
    assert "No update yet." in site_files(config, papers, None)["index.html"]
    later = site_files(config, papers, NOW + timedelta(days=1))
    assert later["data/index.js"] != first["data/index.js"]
    assert later["data/keywords/a.js"] == first["data/keywords/a.js"]  # a keyword file changes with its papers only


def test_every_file_the_page_loads_is_named_with_its_content_hash(tmp_path):
    config = make_config(tmp_path, ["A"])
    first = site_files(config, [make_papers("2505", 2)])
    second = site_files(config, [make_papers("2505", 3)])
    assert first["index.html"] != second["index.html"]
    assert index_of(first)["keywords"][0]["file"] != index_of(second)["keywords"][0]["file"]
    assert re.fullmatch(r"data/keywords/a\.js\?v=[0-9a-f]{12}", index_of(first)["keywords"][0]["file"])


# ---- data ----

def hostile_papers():
    base = make_papers("2505", len(HOSTILE) + 2)
    texts = [*HOSTILE, "</script><script>window.__pwned = 1</script>", "line\u2028and\u2029para \ud800 lone"]
    return [replace(p, title=t, abstract=t, comment=t, authors=(t,), categories=(t,)) for p, t in zip(base, texts)]


def test_no_text_from_arxiv_can_end_a_data_script_and_every_text_comes_back(tmp_path):
    papers = hostile_papers()
    config = make_config(tmp_path, ["C++ </script> <b>&amp;</b>"])
    built = build_site(config, make_stores(config, [papers]), {}, NOW.date(), {})
    files = {path.relative_to(config.site.folder).as_posix(): text for path, text in built.items()}
    for text in files.values():
        text.encode("utf-8")  # a lone surrogate from the store is an escape, and the file can be written
    for name, text in files.items():
        if name.startswith("data/"):
            assert text.isascii(), name
            assert not set("<>&\u2028\u2029") & set(text), name
    index = index_of(files)
    assert index["keywords"][0]["name"] == "C++ </script> <b>&amp;</b>"
    records = {r["id"]: r for r in shard(files, config.keywords[0].slug)}
    for paper in papers:
        record = records[paper.id]
        assert (record["t"], record["s"], record["c"], record["a"], record["g"]) == (
            paper.title, paper.abstract, paper.comment, list(paper.authors), list(paper.categories))
    page = files["index.html"]
    assert "<b>" not in page and "C++ &lt;/script&gt; &lt;b&gt;&amp;amp;&lt;/b&gt;" in page


def test_a_paper_in_several_keywords_is_one_record_naming_them_all(tmp_path):
    shared = make_papers("2505", 3)
    newer = replace(shared[1], version=5, title="The newer version")
    config = make_config(tmp_path, ["A", "B", "C"])
    files = site_files(config, [shared, (newer, *make_papers("2504", 2)), make_papers("2503", 1)])
    index = index_of(files)
    assert index["total"] == 3 + 2 + 1
    ids = [r["id"] for r in index["recent"]]
    assert len(ids) == len(set(ids)) == 6
    by_id = {r["id"]: r for r in index["recent"]}
    assert by_id[shared[1].id]["k"] == [0, 1] and by_id[shared[1].id]["v"] == 5
    assert by_id[shared[0].id]["k"] == [0]
    assert shard(files, "a")[1] == shard(files, "b")[0] == by_id[shared[1].id]
    assert [k["count"] for k in index["keywords"]] == [3, 3, 1]


def test_the_index_holds_the_newest_papers_in_full_and_counts_every_day(tmp_path):
    papers = [replace(p, updated=NEWEST - timedelta(days=n // 40, minutes=n))
              for n, p in enumerate(make_papers("2505", 130))]
    config = make_config(tmp_path, ["A", "B"])
    files = site_files(config, [papers[::2], papers[1::2]])
    index = index_of(files)
    assert [r["id"] for r in index["recent"]] == [p.id for p in papers[:RECENT]]
    assert index["days"] == [["2025-05-23", 10], ["2025-05-24", 40], ["2025-05-25", 40], ["2025-05-26", 40]]
    assert index["categories"] == ["cs.AI", "cs.LG"]


def test_links_are_http_only_and_new_papers_are_marked(tmp_path):
    (paper, other) = make_papers("2505", 2)
    paper = replace(paper, abs_url="javascript:alert(1)", pdf_url="data:text/html,x",
                    comment="see javascript:alert(2) and https://github.com/a/b")
    config = make_config(tmp_path, ["A"])
    stores = make_stores(config, [(paper, other)])
    files = build_site(config, stores, {"a": frozenset({paper.id})}, NOW.date(), {})
    text = files[config.site.folder / "data/index.js"]
    records = {r["id"]: r for r in data(text, "window.DP_INDEX=")["recent"]}
    assert records[paper.id]["l"] == f"https://arxiv.org/abs/{paper.versioned_id}"
    assert records[paper.id]["pdf"] == f"https://arxiv.org/pdf/{paper.versioned_id}"
    assert records[paper.id]["code"] == "https://github.com/a/b"
    assert records[paper.id]["n"] == 1 and "n" not in records[other.id]
    assert data(text, "window.DP_INDEX=")["new"] == 1


@pytest.mark.parametrize(("comment", "abstract_", "code"), [
    ("Code: HTTPS://GitHub.com/A/B.", None, "HTTPS://GitHub.com/A/B"),
    (None, "weights at https://hf.co/org/model", "https://hf.co/org/model"),
    ("see https://example.org/github.com/x", "and https://www.gitlab.com/g/p", "https://www.gitlab.com/g/p"),
    ("github.com mentioned, no link", "none here", None),
])
def test_the_code_link_is_the_tables_one(tmp_path, comment, abstract_, code):
    paper = replace(make_papers("2505", 1)[0], comment=comment, abstract=abstract_)
    config = make_config(tmp_path, ["A"])
    (record,) = index_of(site_files(config, [(paper,)]))["recent"]
    assert record.get("code") == code_url(paper) == code


def test_the_page_allows_only_its_own_files_and_the_math_host_when_set(tmp_path):
    plain = site_files(make_config(tmp_path, ["A"]), [()])["index.html"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', plain)[1].replace("&#39;", "'")
    assert csp == content_security_policy(None)
    assert "default-src 'none'; script-src 'self'; style-src 'self';" in csp and "https" not in csp
    assert "<script src=\"https" not in plain
    math = "https://user@cdn.example.org:8443/mathjax/tex-chtml.js?x=1&y=2"
    page = site_files(make_config(tmp_path, ["A"], site_math=math), [()])["index.html"]
    assert "script-src 'self' https://cdn.example.org:8443;" in page.replace("&#39;", "'")
    assert '<script src="https://user@cdn.example.org:8443/mathjax/tex-chtml.js?x=1&amp;y=2" defer>' in page
    assert page.index("assets/site.js") < page.index("cdn.example.org:8443/mathjax")  # its settings come first


def test_fifty_keywords_of_a_hundred_papers_open_with_little_data(tmp_path):
    """The first load is the page, its assets and the index: a bounded part of the data."""
    names = [f"Keyword {n}" for n in range(50)]
    config = make_config(tmp_path, names)
    papers = [[replace(p, abstract=abstract(1900, seed=n)) for n, p in enumerate(make_papers(f"{2400 + k}", 100))]
              for k in range(50)]
    files = site_files(config, papers)
    first = sum(len(files[name].encode()) for name in ("index.html", "assets/site.css", "assets/site.js",
                                                         "data/index.js"))
    everything = sum(len(text.encode()) for name, text in files.items() if name.startswith("data/"))
    assert first < 400_000 < 1_500_000 < everything


def test_the_papers_new_in_the_last_run_are_marked_and_first_seen_dates_kept(tmp_path):
    (old, fresh) = make_papers("2505", 2)
    fresh = replace(fresh, first_seen=NOW)
    config = make_config(tmp_path, ["A", "B"])
    stores = make_stores(config, [(old, fresh), (fresh,)])
    stores["a"] = replace(stores["a"], new=frozenset({fresh.id}))
    stores["b"] = replace(stores["b"], new=frozenset({fresh.id}), fetched=NOW - timedelta(days=2))
    outputs = render_outputs(config, stores)
    index = data(outputs[config.site.folder / "data/index.js"], "window.DP_INDEX=")
    records = {r["id"]: r for r in index["recent"]}
    assert records[fresh.id]["n"] == 1 and records[fresh.id]["f"] == "2025-05-27T13:00:00Z"
    assert "n" not in records[old.id] and "f" not in records[old.id]
    assert index["new"] == 1
    assert "2 papers, 2 keywords, 1 new. Last update: 2025-05-27." in outputs[config.site.folder / "index.html"]


def test_the_site_is_written_by_render_but_never_recorded_or_checked_as_committed(tmp_path):
    (tmp_path / "config.yaml").write_text("keywords: [A]\n", encoding="utf-8")  # the manifest hashes it
    config = make_config(tmp_path, ["A"])
    save_stores(config, make_stores(config, [make_papers("2505", 2)]))
    written = pipeline.render(config, Links()).changed
    assert config.site.folder / "index.html" in written and config.site.folder / ".nojekyll" in written
    manifest = json.loads((config.store / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["outputs"] and not [name for name in manifest["outputs"] if name.startswith("site/")]
    shutil.rmtree(config.site.folder)  # a fresh checkout: git never had the site
    assert pipeline.render(config, Links(), check=True).changed == []
    (config.feeds / "a.xml").write_text("changed", encoding="utf-8")
    assert pipeline.render(config, Links(), check=True).changed == [config.feeds / "a.xml"]


def test_a_site_inside_the_template_folder_is_not_read_as_templates(tmp_path):
    (tmp_path / "config.yaml").write_text("keywords: [A]\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    shutil.copy(Path(__file__).parents[1] / "daily_papers/templates/README.md.j2", tmp_path / "tpl/README.md.j2")
    config = make_config(tmp_path, ["A"], template="tpl/README.md.j2", site="tpl/site")
    before = fingerprint(config, Links())
    write_outputs(render_outputs(config, make_stores(config, [make_papers("2505", 2)])))
    assert (tmp_path / "tpl/site/assets/site.js").is_file()
    assert fingerprint(config, Links()) == before
