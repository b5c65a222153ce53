"""The digest (the notification issue's body): the newest papers per keyword without
abstracts, always below GitHub's 65,536-character limit for an issue body."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from gfm import tables

from daily_papers.config import Config, validate
from daily_papers.digest import BODY_LIMIT, digest_title, readme_link, render_digest
from daily_papers.markdown import github_anchors
from daily_papers.paper import Paper
from daily_papers.render import Section

TODAY = date(2025, 5, 27)
NEWEST = datetime(2025, 5, 26, 18, 0, tzinfo=timezone.utc)
ACTIONS = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "me/papers"}


def make_config(tmp_path: Path, names: list[str], **top: object) -> Config:
    return validate({"keywords": names, **top}, tmp_path / "config.yaml", {})


def make_papers(prefix: str, count: int, title: str = "{prefix} paper {n}", comment: str | None = None) -> tuple[Paper, ...]:
    return tuple(
        Paper(f"{prefix}.{n:05d}", 1, title.format(prefix=prefix, n=n), NEWEST - timedelta(hours=count - n),
              abstract=f"The abstract of {prefix}.{n:05d}.", comment=comment)
        for n in range(count, 0, -1)
    )


def sections(config: Config, count: int, **kwargs: object) -> list[Section]:
    anchors = github_anchors([config.title, *(kw.name for kw in config.keywords)])[1:]
    return [Section(kw, make_papers(f"{2400 + i}", count, **kwargs), anchor=anchor)
            for i, (kw, anchor) in enumerate(zip(config.keywords, anchors))]


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def rows_per_table(text: str) -> list[int]:
    return [len(t.rows) for t in tables(text)]


def test_newest_papers_per_keyword_without_abstracts(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "C++ & Rust", "Reasoning"])
    odd = Paper("2505.00001", 2, "A | pipe, *stars*, <b>tags</b> & [brackets] \\ back", NEWEST,
                abstract="Not in the digest.", comment="10 pages, 3 figures, code at https://x.org")
    body = render_digest(config, [Section(config.keywords[0], (odd, *make_papers("2505", 20))),
                                  Section(config.keywords[1], ()),
                                  Section(config.keywords[2], make_papers("2504", 4))], TODAY, {})
    first = body.splitlines()[0]
    assert "[README](../README.md)" in first and "2025-05-27" in first
    assert re.findall(r"^## .*", body, re.M) == ["## Reward Model", "## C++ &amp; Rust", "## Reasoning"]
    reward, reasoning = tables(body)
    assert reward.headers == ["Title", "Date", "Comment"] == reasoning.headers
    assert len(reward.rows) == 15 and len(reasoning.rows) == 4
    title, day, comment = reward.rows[0]
    assert title.text == odd.title and title.links == ["https://arxiv.org/abs/2505.00001v2"]
    assert day.text == "2025-05-26"
    assert comment.summary == "10 pa..." and comment.body == odd.comment and comment.links == ["https://x.org"]
    assert [r[0].text for r in reward.rows[1:]] == [f"2505 paper {n}" for n in range(20, 6, -1)]
    assert "No papers yet." in body.split("## C++")[1].split("## Reasoning")[0]
    assert "Not in the digest." not in body and "The abstract of" not in body


def test_papers_per_keyword_is_configurable(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "Reasoning"], digest={"papers": 3})
    body = render_digest(config, sections(config, 10), TODAY, {})
    assert rows_per_table(body) == [3, 3]
    assert body.startswith("The newest 3 papers per keyword, as of 2025-05-27.")


LONG_TITLE = "{prefix} paper {n}: " + "a very long title about reward models and reasoning " * 5
LONG_COMMENT = "35 pages, 12 figures, 9 tables; accepted at a conference; code and data at a long address"


def test_many_keywords_get_fewer_papers_each_as_many_as_fit(tmp_path):
    config = make_config(tmp_path, [f"Topic {n}" for n in range(40)])
    given = sections(config, 30, title=LONG_TITLE, comment=LONG_COMMENT)
    body = render_digest(config, given, TODAY, ACTIONS)
    assert size(body) < BODY_LIMIT
    counts = set(rows_per_table(body))
    assert len(counts) == 1
    shown = counts.pop()
    assert 0 < shown < 15
    assert body.startswith(f"The newest {shown} papers per keyword (all that fit in an issue)")
    # the largest count that fits: asking for exactly that many gives the same rows,
    # asking for one more does not fit and shrinks back to it
    exact = render_digest(make_config(tmp_path, [f"Topic {n}" for n in range(40)], digest={"papers": shown}),
                          given, TODAY, ACTIONS)
    assert rows_per_table(exact) == [shown] * 40 and "(all that fit" not in exact
    assert size(exact) < BODY_LIMIT
    one_more = make_config(tmp_path, [f"Topic {n}" for n in range(40)], digest={"papers": shown + 1})
    assert rows_per_table(render_digest(one_more, given, TODAY, ACTIONS)) == [shown] * 40


def test_too_many_keywords_for_any_table_list_names_linked_to_the_readme(tmp_path):
    names = [f"Keyword {n}: C++ & Rust" for n in range(400)]
    config = make_config(tmp_path, names)
    body = render_digest(config, sections(config, 30, title=LONG_TITLE, comment=LONG_COMMENT), TODAY, ACTIONS)
    assert size(body) < BODY_LIMIT
    assert tables(body) == []
    items = re.findall(r"^- \[(.*)\]\((.*)\): 30 papers$", body, re.M)
    assert len(items) == 400
    assert items[7] == ("Keyword 7: C++ &amp; Rust",
                        "https://github.com/me/papers/blob/HEAD/README.md#keyword-7-c--rust")
    assert "more keywords" not in body


def test_even_the_names_are_cut_to_fit(tmp_path):
    names = [f"Keyword {n} " + "with a rather long descriptive name " * 4 for n in range(3000)]
    config = make_config(tmp_path, names)
    body = render_digest(config, sections(config, 1), TODAY, ACTIONS)
    assert size(body) < BODY_LIMIT
    listed = re.findall(r"^- \[Keyword (\d+) ", body, re.M)
    assert 100 < len(listed) < 3000 and listed == [str(n) for n in range(len(listed))]
    assert f"- and {3000 - len(listed)} more keywords in the [README](" in body
    assert size(body) > BODY_LIMIT - 400  # as many names as fit, not a few
    assert body.count(": 1 paper\n") == len(listed)


def test_the_limit_counts_every_character_of_wide_text(tmp_path):
    names = [f"主题 {n}" for n in range(40)]
    config = make_config(tmp_path, names)
    body = render_digest(config, sections(config, 30, title="{prefix} 论文 {n}：" + "关于奖励模型与推理的研究" * 12,
                                          comment="😀" * 40), TODAY, ACTIONS)
    assert len(body) < size(body) < BODY_LIMIT
    assert 0 < rows_per_table(body)[0] < 15


def test_no_papers_wanted_lists_the_keywords(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "Reasoning"], digest={"papers": 0})
    body = render_digest(config, sections(config, 5), TODAY, {})
    assert re.findall(r"^- \[(.*)\]\((.*)\)", body, re.M) == [
        ("Reward Model", "../README.md#reward-model"), ("Reasoning", "../README.md#reasoning")]
    assert "too many" not in body and "Each keyword's section of the [README](../README.md) has them." in body


def test_readme_link(tmp_path):
    config = make_config(tmp_path, ["A"])
    assert readme_link(config, {}) == "../README.md"
    assert readme_link(config, {**ACTIONS, "GITHUB_ACTIONS": "false"}) == "../README.md"
    workspace = {**ACTIONS, "GITHUB_WORKSPACE": str(tmp_path)}
    assert readme_link(config, workspace) == "https://github.com/me/papers/blob/HEAD/README.md"
    moved = make_config(tmp_path, ["A"], readme="docs/README.md", digest={"path": "notify/body.md"})
    assert readme_link(moved, {}) == "../docs/README.md"
    assert readme_link(moved, workspace) == "https://github.com/me/papers/blob/HEAD/docs/README.md"
    nested = {**ACTIONS, "GITHUB_WORKSPACE": str(tmp_path.parent)}
    assert readme_link(config, nested) == f"https://github.com/me/papers/blob/HEAD/{tmp_path.name}/README.md"


def test_digest_title():
    assert digest_title(12, TODAY) == "Latest 12 Papers - May 27, 2025"
    assert digest_title(1200, date(2025, 11, 3)) == "Latest 1200 Papers - November 3, 2025"


def test_no_text_from_arxiv_mentions_a_github_user_or_an_issue(tmp_path):
    config = make_config(tmp_path, ["Reward Model"])
    paper = Paper("2505.00001", 1, "Scaling @openai models", NEWEST,
                  comment="Accepted @ICML2025; see #3, GH-4 and org/repo#12; mail a@b.org; "
                          "code https://github.com/org/repo and https://x.org/?a=@bob#12")
    body = render_digest(config, [Section(config.keywords[0], (paper,))], TODAY, {})
    text_only = re.sub(r"\]\([^)\s]*\)", "]", body)
    assert re.findall(r"(?<![\w/@.])@[A-Za-z0-9]|(?<!&)#\d|GH-\d", text_only) == []
    ((title, _, comment),) = tables(body)[0].rows
    assert title.text == "Scaling @\u2060openai models"
    assert comment.body.replace("\u2060", "") == paper.comment
    assert "https://github.com/org/repo" in comment.links and "a@b.org" in comment.body
    assert "https://x.org/?a=@bob#12" in comment.links
