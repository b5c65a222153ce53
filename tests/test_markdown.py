"""Text from arXiv is data: read back through GitHub's renderer (cmarkgfm), every row keeps
its cells, every cell shows exactly the text sent, and nothing becomes an element or a link."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from gfm import Cell, tables, to_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linear import assert_linear
from paperkit import NEWEST, make_config, make_papers, make_stores

from daily_papers.config import COLUMNS
from daily_papers.outputs.markdown import CODE_HOSTS, _trim_url, code_url, github_anchors, md, md_links, md_url, shorten
from daily_papers.outputs.render import environment, render_outputs
from daily_papers.paper import Paper, normalize_space

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1)) and ![y](javascript:alert(2))",
    "<!-- a comment --> visible",
    "</details></td></tr></table> breaking out",
    "a | b || c \\| d |",
    "&amp; stays &amp; and &lt; too, &#58; &copy;",
    "back\\slash\\ \\\\ ending in \\",
    "***bold*** __under__ ~~strike~~ *_~ runs ~_*",
    "``code`` and `tick",
    "$\\textbf{x}$ and 10\\% of $a_i * b_j$",
    "Unicode: Δ-Alignment für 強化学習 🚀 \u200b zero-width",
    "[brackets] [^1] [a]: http://x.y \"title\"",
    "see https://github.com/a/b, http://x.org/y?q=1&r=2 and www.example.org",
    "mail foo@bar.com now",
    "# not a heading\n\n- not a list\n> not a quote",
    "<https://autolink.example> <a href=\"javascript:x\">a</a>",
    "see http://[our site] and https://a.com]/x, not a host",
    "Results!https://evil.example/track_me.png and https://a.com/&amp;b",
]
ALLOWED_TAGS = {"strong", "a", "details", "summary", "p"}
ALL_COLUMNS = COLUMNS


def row_markdown(columns, paper: Paper) -> str:
    env = environment()
    col = env.get_template("columns.j2").make_module()
    return f"{col.header(columns)}\n{col.row(columns, paper, 'lastUpdatedDate')}\n"


def check_cell(cell: Cell, name: str, paper: Paper) -> None:
    """The cell shows exactly the paper's data (whitespace folded), with no element of its own
    and no link but its own, and the mailto links GitHub makes of e-mail addresses in it."""
    assert set(cell.tags) <= ALLOWED_TAGS, (name, cell.tags)
    data = {
        "title": paper.title,
        "abstract": paper.abstract,
        "comment": paper.comment,
        "authors": ", ".join(paper.authors),
        "categories": ", ".join(paper.categories),
    }
    own = [link for link in cell.links if not link.startswith("mailto:")]
    assert all(link.startswith(("https://", "http://")) for link in own), (name, own)
    if name in data:
        text = normalize_space(data[name] or "")
        mails = [link.removeprefix("mailto:") for link in cell.links if link.startswith("mailto:")]
        assert all(address in text for address in mails), (name, mails)
    if name == "title":
        assert cell.text == normalize_space(paper.title) and len(own) == 1
        assert cell.tags[:2] == ["strong", "a"]
    elif name == "date":
        assert cell.text == paper.updated.strftime("%Y-%m-%d")
    elif name == "abstract" and paper.abstract:
        assert (cell.summary, cell.body) == ("Show", normalize_space(paper.abstract))
    elif name == "comment" and paper.comment and len(paper.comment) > 20:
        assert cell.summary == normalize_space(paper.comment)[:5] + "..."
        assert cell.body == normalize_space(paper.comment)
    elif name == "authors" and len(paper.authors) > 1:
        assert cell.summary == normalize_space(paper.authors[0]) + " et al."
        assert cell.body == normalize_space(data["authors"])
    elif name in data:
        assert cell.text == normalize_space(data[name] or "")
    elif name == "pdf":
        assert cell.text == "PDF" and len(own) == 1
    elif name == "code" and code_url(paper) is None:
        assert (cell.text, own) == ("", [])
    elif name == "code":
        assert cell.text in CODE_HOSTS.values() and urlsplit(own[0]).hostname in CODE_HOSTS


def check_row(columns, paper: Paper) -> None:
    markdown = row_markdown(columns, paper)
    (table,) = tables(markdown)
    assert len(table.rows) == 1
    (row,) = table.rows
    assert len(row) == len(columns)
    for name, cell in zip(columns, row):
        check_cell(cell, name, paper)
    rendered = to_html(markdown).lower()
    assert "<script" not in rendered and "<img" not in rendered
    hrefs = re.findall(r'href="([^"]*)"', rendered)
    assert all(href.startswith(("https://", "http://", "mailto:")) for href in hrefs), hrefs


def hostile_paper(text: str) -> Paper:
    (paper,) = make_papers("2505", 1)
    return replace(paper, title=text, abstract=text, comment=text, authors=(text, text), categories=(text,))


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("columns", [("title", "date", "abstract", "comment"), ALL_COLUMNS])
def test_hostile_text_is_shown_as_data_in_every_column(columns, text):
    check_row(columns, hostile_paper(text))


def test_an_entity_in_the_data_shows_as_written():
    (table,) = tables(row_markdown(("title", "comment"), replace(hostile_paper("x"), title="&amp;", comment="&amp;")))
    assert [c.text for c in table.rows[0]] == ["&amp;", "&amp;"]


def test_a_readme_of_hostile_papers_reads_as_sent(tmp_path):
    name = "C++ <b>&amp;</b> | [x](javascript:y) #"
    papers = [replace(hostile_paper(text), id=f"2505.{n:05d}") for n, text in enumerate(HOSTILE)]
    config = make_config(tmp_path, [name])
    readme = render_outputs(config, make_stores(config, [papers]))[config.readme]
    html_ = to_html(readme)
    assert f"<h2>{html.escape(name, quote=False)}</h2>" in html_
    (table,) = tables(readme)
    assert len(table.rows) == len(HOSTILE) >= 14
    for paper, row in zip(papers, table.rows):
        assert len(row) == 4
        for column, cell in zip(("title", "date", "abstract", "comment"), row):
            check_cell(cell, column, paper)
    assert "<script" not in html_ and "<img" not in html_
    assert all(href.startswith(("https://", "http://", "mailto:", "feeds/"))
               for href in re.findall(r'href="([^"]*)"', html_))


def test_short_and_long_comments_and_authors_fold_as_the_sample_does():
    paper = replace(make_papers("2505", 1)[0], comment="15 pages, 9 figure, 4 tables", authors=("Solo Author",))
    row = row_markdown(("comment", "authors"), paper).splitlines()[2]
    assert row == ("| <details><summary>15 pa...</summary><p>15 pages, 9 figure, 4 tables</p></details> "
                   "| Solo Author |")
    short = replace(paper, comment="30 pages, 5 figures", authors=())
    assert row_markdown(("comment", "authors"), short).splitlines()[2] == "| 30 pages, 5 figures |  |"


@pytest.mark.parametrize(("comment", "links"), [
    ("see https://github.com/a/b and WWW.Example.org/x", ["https://github.com/a/b"]),
    ("code: https://github.com/a_b/c_d*, then (https://x.org/a) and https://x.org/q?a=1&b=|2.",
     ["https://github.com/a_b/c_d", "https://x.org/a", "https://x.org/q?a=1&b=%7C2"]),
    ("javascript:alert(1) ftp://x.org/f data:text/html,<b>x</b> [a](https://x.org)",
     ["https://x.org"]),
    ("https://x.org/a<b>_c_ and http://localhost:8000/x", ["https://x.org/a", "http://localhost:8000/x"]),
    ("<https://x.org/a> and https://github.com/a/b; then", ["https://x.org/a", "https://github.com/a/b"]),
    ("http://[our site] Results!https://x.org/p.png https://a.com/&amp;b",
     ["https://x.org/p.png", "https://a.com/&amp;b"]),
])
def test_http_urls_in_the_data_link_to_themselves_and_nothing_else_links(comment, links):
    paper = replace(make_papers("2505", 1)[0], comment=comment)
    (table,) = tables(row_markdown(("comment",), paper))
    (cell,) = table.rows[0]
    assert cell.body == comment and cell.links == links


def test_link_destinations_cannot_end_early_or_change_scheme():
    paper = replace(make_papers("2505", 1)[0], abs_url="https://arxiv.org/abs/x) [y](javascript:alert(1)",
                    pdf_url="javascript:alert(1)")
    (table,) = tables(row_markdown(("title", "pdf"), paper))
    title, pdf = table.rows[0]
    assert len(table.rows[0]) == 2 and title.links == ["https://arxiv.org/abs/x%29%20%5By%5D%28javascript:alert%281%29"]
    assert pdf.links == [f"https://arxiv.org/pdf/{paper.versioned_id}"]
    assert md_url("a b|c\\d<e>") == "a%20b%7Cc%5Cd%3Ce%3E"


@pytest.mark.parametrize(("comment", "abstract", "expected", "label"), [
    ("code: https://github.com/org/repo.", "https://gitlab.com/x/y", "https://github.com/org/repo", "GitHub"),
    (None, "Models at https://huggingface.co/org/model; data soon.", "https://huggingface.co/org/model",
     "Hugging Face"),
    ("https://hf.co/org/m, https://github.com/x/y", None, "https://hf.co/org/m", "Hugging Face"),
    ("see (https://gitlab.com/group/project)", None, "https://gitlab.com/group/project", "GitLab"),
    ("HTTPS://GitHub.com/Org/Repo", None, "HTTPS://GitHub.com/Org/Repo", "GitHub"),
    ("https://github.com.evil.com/x/y", None, None, ""),
    ("https://evil.com/github.com/x/y", None, None, ""),
    ("https://github.com@evil.com/x", None, None, ""),
    ("javascript:alert('https://github.com/x')", None, "https://github.com/x", "GitHub"),
    ("javascript://github.com/%0aalert(1)", None, None, ""),
    ("https://github.com/", "https://github.io/x/y", None, ""),
])
def test_code_link_is_the_first_code_host_address(comment, abstract, expected, label):
    paper = replace(make_papers("2505", 1)[0], comment=comment, abstract=abstract)
    assert code_url(paper) == expected
    (table,) = tables(row_markdown(("code",), paper))
    (cell,) = table.rows[0]
    assert (cell.text, cell.links) == (label, [] if expected is None else [expected])


def test_title_and_pdf_link_to_arxiv():
    paper = make_papers("2505", 1)[0]
    imported = replace(paper, abs_url=None, pdf_url=None, version=3)
    for p, abs_link, pdf_link in [
        (paper, paper.abs_url, paper.pdf_url),
        (imported, "https://arxiv.org/abs/2505.00000v3", "https://arxiv.org/pdf/2505.00000v3"),
    ]:
        (table,) = tables(row_markdown(("title", "pdf"), p))
        assert [c.links for c in table.rows[0]] == [[abs_link], [pdf_link]]


@pytest.mark.parametrize(("headings", "anchors"), [
    (["Daily Papers", "Reward Model"], ["daily-papers", "reward-model"]),
    (["C++ & C#", "A - B", "snake_case", "1.5"], ["c--c", "a---b", "snake_case", "15"]),
    (["Δ-Alignment für Modelle", "中文 模型", "हिन्दी", "Emoji 🚀 here"],
     ["δ-alignment-für-modelle", "中文-模型", "हिन्दी", "emoji--here"]),
    (["Daily Papers", "Daily Papers!", "daily papers", "Intro"], ["daily-papers", "daily-papers-1", "daily-papers-2",
                                                                  "intro"]),
])
def test_github_anchors_follow_githubs_heading_rules(headings, anchors):
    assert github_anchors(headings) == anchors


def test_md_folds_line_breaks_and_keeps_headings_whole():
    assert md("a\n\n# b\r\n  c\t") == "a \\# b c"
    assert md("C #") == "C \\#"  # a trailing " #" would otherwise close an ATX heading
    assert "<h2>Topic #</h2>" in to_html("## " + md("Topic #") + "\n")


# Any text at all (but NUL, which no XML answer from arXiv can hold and cmark replaces),
# with the pieces of Markdown, HTML and URLs mixed in often.
TOKENS = ["://", "www.", "http", "&amp;", "&#", ";", "<!--", "-->", "<", ">", "</details>", "<p>", "javascript:",
          "[", "]", "](", ")", "(", "**", "_", "~", "`", "\\", "|", "$", "#", "!", "@", "x@y.z", " ", "\n", "  "]
TEXT = st.lists(
    st.one_of(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), st.sampled_from(TOKENS)),
    max_size=25,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, abstract=TEXT, comment=TEXT, authors=st.lists(TEXT, max_size=3),
       categories=st.lists(TEXT, max_size=2), abs_url=TEXT, pdf_url=TEXT)
def test_any_text_in_any_column_reads_as_sent(title, abstract, comment, authors, categories, abs_url, pdf_url):
    paper = Paper("2505.00001", 1, title, NEWEST, abstract=abstract or None, comment=comment or None,
                  authors=tuple(authors), categories=tuple(categories), abs_url=abs_url, pdf_url=pdf_url)
    check_row(ALL_COLUMNS, paper)


# Linear time: each filter on the worst input of its kind, its time for n and 4n compared.
def _paper_with(text: str) -> Paper:
    return replace(make_papers("2505", 1)[0], comment=text, abstract=text)


@pytest.mark.parametrize(("make", "run", "size"), [
    pytest.param(lambda n: "see https://x.org/a" + ")" * n, md_links, 1000, id="a URL and a run of )"),
    pytest.param(lambda n: "see https://x.org/a" + ".)" * n, md_links, 1000, id="a URL and a run of .)"),
    pytest.param(lambda n: "https://x.org/(" * n + ")" * n, md_links, 1000, id="a URL of parentheses"),
    pytest.param(lambda n: "https://x.org/a " * n, md_links, 1 << 14, id="many URLs"),
    pytest.param(lambda n: "x https://[ " * n, md_links, 1000, id="many URLs without a host"),
    pytest.param(lambda n: "https://github.com/a/b" + "." * n, lambda t: code_url(_paper_with(t)), 1000,
                 id="code URL"),
    pytest.param(lambda n: "https://github.com/a " * n, lambda t: code_url(_paper_with(t)), 1000, id="code URLs"),
    pytest.param(lambda n: "*_<&|://www. \\ `#" * n, md, 1000, id="md"),
    pytest.param(lambda n: " a \n" * n, md, 1000, id="md, whitespace"),
    pytest.param(lambda n: "a b(c)|&" * n, md_url, 1000, id="md_url"),
    pytest.param(lambda n: " \n" * n + "abc", lambda t: shorten(t, 5), 1000, id="shorten"),
    pytest.param(lambda n: ["Intro"] * n, github_anchors, 1000, id="repeated headings"),
    pytest.param(lambda n: ["C++ & 強化 🚀 " * n], github_anchors, 1000, id="a long heading"),
    pytest.param(lambda n: _paper_with("https://x.org/a) " * n), lambda p: row_markdown(ALL_COLUMNS, p), 1000,
                 id="a whole row"),
])
def test_every_filter_takes_linear_time(make, run, size):
    assert_linear(make, run, size)


def _trim_by_steps(url: str) -> str:
    """The rule as GitHub states it, one character at a time (quadratic: for comparison only)."""
    while url:
        if url[-1] in "?!.,:;*_~'\"" or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


@given(st.text(alphabet="()a.?!,:;*_~'\"/", max_size=30))
def test_trimming_a_url_by_index_keeps_githubs_rule(tail):
    url = "https://x.org/" + tail
    assert _trim_url(url) == _trim_by_steps(url)
