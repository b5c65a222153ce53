"""One Atom feed per keyword: linked from its README section, read by feedparser without
complaint, valid by RFC 4287's rules, and holding the text exactly as arXiv sent it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timezone

import feedparser
import pytest
from paperkit import make_config, make_papers, make_stores

from daily_papers.outputs.feeds import ALL_FEED, OPML, feed_id, iri, xml_text
from daily_papers.outputs.render import Links, render_outputs
from daily_papers.paper import Paper

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
HOSTILE = "<script>alert(1)</script> & &amp; ]]> \"quotes\" 'single' $\\textbf{x}$ 10\\% Δ 強化 🚀"


def render_feeds(tmp_path, keywords, papers, **top):
    config = make_config(tmp_path, keywords, **top)
    outputs = render_outputs(config, make_stores(config, papers))
    return config, outputs


def feed_of(config, outputs, slug: str) -> bytes:
    return outputs[config.feeds / f"{slug}.xml"].encode("utf-8")


def check_atom(raw: bytes) -> ET.Element:
    """RFC 4287's rules for what a feed and each entry must hold."""
    root = ET.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    feed_authors = root.findall(f"{ATOM}author")
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        for published in entry.findall(f"{ATOM}published"):
            assert RFC3339.match(published.text)
        assert feed_authors or entry.findall(f"{ATOM}author")
        for author in entry.findall(f"{ATOM}author"):
            assert (author.findtext(f"{ATOM}name") or "").strip()
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternate) == 1 and alternate[0].get("href").startswith("https://")
        for category in entry.findall(f"{ATOM}category"):
            assert category.get("term").strip()
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)) and all(re.match(r"^[a-z][a-z0-9+.-]*:", i) for i in ids)
    assert re.match(r"^urn:uuid:[0-9a-f-]{36}$", root.findtext(f"{ATOM}id"))
    return root


def test_the_readmes_feed_link_leads_to_a_clean_feed_newest_first(tmp_path):
    papers = make_papers("2505", 30)
    config, outputs = render_feeds(tmp_path, ["Reward Model", "Reasoning"], [papers, ()])
    readme = outputs[config.readme]
    (link,) = re.findall(r"\[Atom feed\]\(([^)]+)\)", readme.split("## Reasoning")[0])
    raw = (config.readme.parent / link)
    assert raw == config.feeds / "reward-model.xml"
    parsed = feedparser.parse(feed_of(config, outputs, "reward-model"))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert "Reward Model" in parsed.feed.title
    assert [e.title for e in parsed.entries] == [p.title for p in papers]
    updated = [e.updated_parsed for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    first, paper = parsed.entries[0], papers[0]
    assert first.id == "https://arxiv.org/abs/2505.00000"  # the same for every version
    assert first.link == paper.link
    assert [a.name for a in first.authors] == list(paper.authors)
    assert [t.term for t in first.tags] == list(paper.categories)
    assert first.summary == paper.abstract
    assert first.updated == "2025-05-26T17:59:46Z" and first.published == "2025-05-23T17:59:46Z"
    assert [link.href for link in first.links if link.rel == "related"] == [paper.pdf_url]
    check_atom(feed_of(config, outputs, "reward-model"))


def test_hostile_text_and_keyword_names_survive_as_text(tmp_path):
    name = "C++ & <Rust> 'quoted' ]]>"
    paper = replace(make_papers("2505", 1)[0], title=HOSTILE, abstract=HOSTILE, authors=(HOSTILE, "B. Ø"),
                    categories=("cs.LG", HOSTILE))
    config, outputs = render_feeds(tmp_path, [name], [(paper,)])
    raw = next(iter(outputs[p] for p in outputs if p.suffix == ".xml")).encode()
    check_atom(raw)
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0
    assert parsed.feed.title == f"Daily Papers: {name}"
    (entry,) = parsed.entries
    assert entry.title == entry.summary == HOSTILE
    assert [a.name for a in entry.authors] == [HOSTILE, "B. Ø"]
    assert [t.term for t in entry.tags] == ["cs.LG", HOSTILE]


def test_imported_papers_without_authors_abstract_or_dates_make_a_valid_feed(tmp_path):
    imported = Paper("hep-th/0601001", 2, "An old paper", datetime(2006, 1, 1, tzinfo=timezone.utc))
    odd = replace(imported, id="2401.00001", title="Blank names", authors=("  ", ""), categories=("",))
    config, outputs = render_feeds(tmp_path, ["Strings"], [(odd, imported)])
    raw = feed_of(config, outputs, "strings")
    root = check_atom(raw)
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Daily Papers"  # covers entries without authors
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0 and [e.id for e in parsed.entries] == [
        "https://arxiv.org/abs/2401.00001", "https://arxiv.org/abs/hep-th/0601001"]
    assert "summary" not in parsed.entries[1] and "published" not in parsed.entries[1]


def test_a_keyword_without_papers_has_a_valid_empty_feed(tmp_path):
    config, outputs = render_feeds(tmp_path, ["Nothing Yet"], [()])
    raw = feed_of(config, outputs, "nothing-yet")
    root = check_atom(raw)
    assert root.findall(f"{ATOM}entry") == [] and root.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    assert feedparser.parse(raw).bozo == 0


def test_feed_updated_is_the_newest_paper_and_the_id_is_stable(tmp_path):
    papers = make_papers("2505", 3)
    config, outputs = render_feeds(tmp_path, ["Reward Model"], [papers])
    root = ET.fromstring(feed_of(config, outputs, "reward-model"))
    assert root.findtext(f"{ATOM}updated") == "2025-05-26T17:59:46Z"
    assert root.findtext(f"{ATOM}id") == feed_id("Daily Papers", "Reward Model")
    assert feed_id("Daily Papers", "Reward Model") != feed_id("Daily Papers", "Reasoning")
    assert render_feeds(tmp_path, ["Reward Model"], [papers])[1] == outputs


@pytest.mark.parametrize(("text", "kept"), [
    ("plain", "plain"),
    ("bell\x07 nul\x00 esc\x1b tab\t", "bell nul esc tab\t"),
    ("\ufffe\uffff ok \U0001f680", " ok \U0001f680"),
    ("", ""),
    (None, ""),
])
def test_xml_text_drops_what_xml_cannot_hold(text, kept):
    assert xml_text(text) == kept


def test_control_characters_in_the_store_still_give_a_valid_feed(tmp_path):
    paper = replace(make_papers("2505", 1)[0], title="A\x0b title\x00", abstract="x\x1fy")
    config, outputs = render_feeds(tmp_path, ["Reward Model"], [(paper,)])
    parsed = feedparser.parse(feed_of(config, outputs, "reward-model"))
    assert parsed.bozo == 0 and parsed.entries[0].title == "A title" and parsed.entries[0].summary == "xy"


# --- exact data, links, the feed of all keywords and the OPML list ----------------------

def feed_links_of(parsed) -> dict[str, str]:
    return {link.rel: link.href for link in parsed.feed.links}


def test_a_parsed_feed_gives_back_exactly_the_data_ampersands_included(tmp_path):
    name = "R&D <models> & 'more'"
    paper = replace(make_papers("2505", 1)[0], title=HOSTILE, abstract=HOSTILE, authors=(HOSTILE, "A & B"),
                    categories=("cs.LG", "a&b"), abs_url="https://arxiv.org/abs/2505.00000v1?a=1&b=2&amp;c=3",
                    pdf_url="https://arxiv.org/pdf/2505.00000v1?x=<y>&z='1'")
    config, outputs = render_feeds(tmp_path, [name], [(paper,)])
    for raw in (feed_of(config, outputs, "r-d-models-more"), outputs[config.feeds / ALL_FEED].encode()):
        check_atom(raw)
        parsed = feedparser.parse(raw)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        (entry,) = parsed.entries
        assert entry.title == entry.summary == HOSTILE
        assert entry.link == paper.abs_url
        assert [link.href for link in entry.links if link.rel == "related"] == [
            "https://arxiv.org/pdf/2505.00000v1?x=%3Cy%3E&z='1'"]  # < and > cannot be in an IRI
        assert [a.name for a in entry.authors] == [HOSTILE, "A & B"]
        assert [t.term for t in entry.tags][:2] == ["cs.LG", "a&b"]
    parsed = feedparser.parse(feed_of(config, outputs, "r-d-models-more"))
    assert parsed.feed.title == f"Daily Papers: {name}"


def test_each_feed_links_to_itself_and_to_its_section(tmp_path):
    config, outputs = render_feeds(tmp_path, ["Reward Model", "All"], [make_papers("2505", 2), ()])
    parsed = feedparser.parse(feed_of(config, outputs, "reward-model"))
    assert feed_links_of(parsed) == {"self": "reward-model.xml", "alternate": "../README.md#reward-model"}
    assert feedparser.parse(feed_of(config, outputs, "all")).feed.links[0].href == "all.xml"

    # served from the repository's Pages site; the section is the README on GitHub
    served = render_outputs(config, make_stores(config, [make_papers("2505", 2), ()]), Links("me/papers"))
    parsed = feedparser.parse(served[config.feeds / "reward-model.xml"].encode())
    assert feed_links_of(parsed) == {
        "self": "https://me.github.io/papers/feeds/reward-model.xml",
        "alternate": "https://github.com/me/papers/blob/HEAD/README.md#reward-model"}
    parsed = feedparser.parse(served[config.feeds / ALL_FEED].encode())
    assert feed_links_of(parsed) == {"self": "https://me.github.io/papers/feeds/all.atom",
                                     "alternate": "https://github.com/me/papers/blob/HEAD/README.md"}


def test_a_keyword_the_readme_cuts_links_to_its_page(tmp_path):
    config, outputs = render_feeds(tmp_path, ["Reward Model"], [make_papers("2505", 300, abstract_length=1900)])
    assert config.pages / "reward-model.md" in outputs
    parsed = feedparser.parse(feed_of(config, outputs, "reward-model"))
    assert feed_links_of(parsed)["alternate"] == "../papers/reward-model.md"


def test_the_feed_of_all_keywords_holds_each_paper_once_with_its_keywords(tmp_path):
    shared, *others = make_papers("2505", 4)
    newer = replace(shared, version=3, updated=shared.updated.replace(year=2026))
    config, outputs = render_feeds(tmp_path, ["Reward Model", "Reasoning", "All"],
                                   [(shared, others[0]), (newer, others[1]), (others[2],)])
    raw = outputs[config.feeds / ALL_FEED].encode()
    check_atom(raw)
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0
    assert [e.id for e in parsed.entries] == [f"https://arxiv.org/abs/{p.id}" for p in (newer, *others)]
    scheme = ET.fromstring(raw).findtext(f"{ATOM}id")

    def keywords(entry) -> list[str]:
        return [t.term for t in entry.tags if t.scheme == scheme]

    assert keywords(parsed.entries[0]) == ["Reward Model", "Reasoning"]
    assert parsed.entries[0].link == newer.link  # the newest version any keyword holds
    assert [keywords(e) for e in parsed.entries[1:]] == [["Reward Model"], ["Reasoning"], ["All"]]
    assert parsed.feed.updated == "2026-05-26T17:59:46Z"
    assert config.feeds / "all.xml" in outputs  # the keyword "All" has its own feed


def test_the_opml_file_lists_every_feed(tmp_path):
    name = "C++ & <Rust>"
    config, outputs = render_feeds(tmp_path, ["Reward Model", name], [make_papers("2505", 1), ()])
    root = ET.fromstring(outputs[config.feeds / OPML])
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    feeds = sorted(p.name for p in outputs if p.parent == config.feeds and p.suffix in (".xml", ".atom"))
    assert sorted(o.get("xmlUrl") for o in outlines) == feeds == ["all.atom", "c-rust.xml", "reward-model.xml"]
    assert [o.get("text") for o in outlines] == ["Daily Papers: all keywords", "Daily Papers: Reward Model",
                                                 f"Daily Papers: {name}"]
    assert all(o.get("type") == "rss" and o.get("htmlUrl").startswith("../README.md") for o in outlines)


@pytest.mark.parametrize(("url", "written"), [
    ("https://x.org/a?b=1&c=2", "https://x.org/a?b=1&c=2"),
    ("https://x.org/a b|c\"d<e>", "https://x.org/a%20b%7Cc%22d%3Ce%3E"),
    ("https://x.org/Δ?q=強", "https://x.org/Δ?q=強"),
    ("https://x.org/\ud800x\x00", "https://x.org/x%00"),
    (None, ""),
])
def test_iri_encodes_only_what_an_iri_cannot_hold(url, written):
    assert iri(url) == written
