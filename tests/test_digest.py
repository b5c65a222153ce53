"""The digest (the notification issue's body): what the newest update brought, each paper
once, always below GitHub's 65,536-character limit for an issue body."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from gfm import tables
from paperkit import NEWEST, NOW, make_config, make_papers

from daily_papers.config import Config
from daily_papers.outputs.digest import BODY_LIMIT, digest_title, quiet
from daily_papers.outputs.render import Links, render_outputs
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore


def digest(config: Config, stores: dict[str, KeywordStore | None], links: Links | None = None) -> str:
    return render_outputs(config, stores, links)[config.digest.path]


def store(config: Config, index: int, papers: tuple[Paper, ...], new: set[str] = frozenset(),
          updated: set[str] = frozenset(), fetched=NOW) -> KeywordStore:
    keyword = config.keywords[index]
    return KeywordStore(keyword.name, "q", config.arxiv.sort_by, papers, fetched, frozenset(new), frozenset(updated))


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def test_only_what_the_newest_run_brought_is_listed_each_paper_once(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "C++ & Rust", "Reasoning"])
    reward = make_papers("2505", 20)
    shared = reward[3]
    reasoning = (shared, *make_papers("2504", 5))
    stores = {
        "reward-model": store(config, 0, reward, new={reward[0].id, shared.id}, updated={reward[1].id}),
        "c-rust": store(config, 1, ()),
        "reasoning": store(config, 2, reasoning, new={shared.id, reasoning[2].id}),
    }
    body = digest(config, stores)
    assert body.startswith("3 new papers in the update of 2025-05-27. See the [README](../README.md)")
    new, updated = tables(body)
    assert new.headers == ["Title", "Date", "Comment", "Keywords"]
    assert sorted((row[0].text, row[3].text) for row in new.rows) == sorted([
        (reward[0].title, "Reward Model"), (reasoning[2].title, "Reasoning"), (shared.title, "Reward Model, Reasoning")])
    dates = [row[1].text for row in new.rows]
    assert dates == sorted(dates, reverse=True)
    assert [(row[0].text, row[3].text) for row in updated.rows] == [(reward[1].title,
                                                                     f"updated: v{reward[1].version}; Reward Model")]
    assert "abstract" not in body.lower().replace("with abstracts", "")


def test_a_keyword_that_failed_in_the_newest_run_does_not_announce_its_old_news(tmp_path):
    config = make_config(tmp_path, ["Reward Model", "Reasoning"])
    reward, reasoning = make_papers("2505", 5), make_papers("2504", 5)
    stores = {"reward-model": store(config, 0, reward, new={reward[0].id}),
              "reasoning": store(config, 1, reasoning, new={reasoning[0].id}, fetched=NOW - timedelta(days=1))}
    (new,) = tables(digest(config, stores))
    assert [row[0].text for row in new.rows] == [reward[0].title]


def test_nothing_new_lists_nothing(tmp_path):
    config = make_config(tmp_path, ["Reward Model"])
    body = digest(config, {"reward-model": store(config, 0, make_papers("2505", 5))})
    assert body.startswith("No new papers in the update of 2025-05-27.")
    assert tables(body) == []
    never = digest(config, {"reward-model": None})
    assert never.startswith("No new papers in the update of never.")


def test_updates_can_be_left_out(tmp_path):
    config = make_config(tmp_path, ["Reward Model"], digest={"updates": False})
    papers = make_papers("2505", 5)
    body = digest(config, {"reward-model": store(config, 0, papers, new={papers[0].id}, updated={papers[1].id})})
    (new,) = tables(body)
    assert len(new.rows) == 1 and "Updated" not in body


def test_thousands_of_new_papers_are_cut_to_fit_and_the_count_stays_true(tmp_path):
    names = [f"Topic {n}" for n in range(40)]
    config = make_config(tmp_path, names, max_papers=2000, digest={"papers": 2000})
    long_title = "a very long title about reward models and reasoning " * 5
    stores = {}
    for i, kw in enumerate(config.keywords):
        papers = tuple(replace(p, title=f"{p.title} {long_title}") for p in make_papers(f"{2400 + i}", 75))
        stores[kw.slug] = store(config, i, papers, new={p.id for p in papers})
    body = digest(config, stores, Links("me/papers"))
    assert size(body) < BODY_LIMIT
    (new,) = tables(body)
    assert 50 < len(new.rows) < 3000
    assert body.startswith(f"3000 new papers in the update of 2025-05-27 (the newest {len(new.rows)} are listed here).")
    assert "(https://github.com/me/papers/blob/HEAD/README.md)" in body.splitlines()[0]
    assert BODY_LIMIT - size(body) < max(map(size, body.splitlines()))  # as many rows as fit: one more would not


def test_the_limit_counts_every_character_of_wide_text(tmp_path):
    config = make_config(tmp_path, ["主题"], max_papers=2000, digest={"papers": 2000})
    papers = tuple(replace(p, title="论文：" + "关于奖励模型与推理的研究" * 12, comment="😀" * 40)
                   for p in make_papers("2505", 1500))
    body = digest(config, {"主题": store(config, 0, papers, new={p.id for p in papers})})
    assert len(body) < size(body) < BODY_LIMIT
    assert 0 < len(tables(body)[0].rows) < 1500


def test_digest_papers_limits_the_rows(tmp_path):
    config = make_config(tmp_path, ["Reward Model"], digest={"papers": 3})
    papers = make_papers("2505", 10)
    body = digest(config, {"reward-model": store(config, 0, papers, new={p.id for p in papers})})
    assert len(tables(body)[0].rows) == 3
    assert body.startswith("10 new papers in the update of 2025-05-27 (the newest 3 are listed here).")


def test_the_readme_link_is_relative_or_the_repositorys_address(tmp_path):
    config = make_config(tmp_path, ["A"])
    stores = {"a": store(config, 0, ())}
    assert "[README](../README.md)" in digest(config, stores)
    assert "[README](https://github.com/me/papers/blob/HEAD/README.md)" in digest(config, stores, Links("me/papers"))
    moved = make_config(tmp_path, ["A"], readme="docs/README.md", digest={"path": "notify/body.md"})
    assert "[README](../docs/README.md)" in digest(moved, stores)
    assert "(https://ghe.example/me/papers/blob/HEAD/docs/README.md)" in digest(
        moved, stores, Links("me/papers", "https://ghe.example"))


def test_digest_title():
    assert digest_title(12, date(2025, 5, 27)) == "Latest 12 Papers - May 27, 2025"
    assert digest_title(1200, date(2025, 11, 3)) == "Latest 1200 Papers - November 3, 2025"


HOSTILE = [
    "Scaling @openai models",
    "see ](@octocat) and [x](@octocat)",
    "![x](@octocat) <a href=x>@octocat</a>",
    "Accepted @ICML2025; see #3, GH-4 and org/repo#12",
    "`@octocat` and **@octocat** and _#12_",
]


def test_no_text_from_arxiv_mentions_a_github_user_or_an_issue(tmp_path):
    config = make_config(tmp_path, ["Reward Model"])
    papers = tuple(
        Paper(f"2505.0000{n}", 1, title, NEWEST, authors=("@octocat",),
              comment=f"{title}; mail a@b.org; code https://github.com/org/repo and https://x.org/?a=@bob#12")
        for n, title in enumerate(HOSTILE, start=1))
    body = digest(config, {"reward-model": store(config, 0, papers, new={p.id for p in papers})})
    # GitHub mentions no one inside a link (nor in code); everything else must be quiet
    text_only = re.sub(r"\[(?:\\.|[^\]\\])*\]\([^)\s]*\)", "", body)
    assert re.findall(r"(?<![\w/@.])@[A-Za-z0-9]|(?<![&\w])#\d|GH-\d", text_only) == []
    (new,) = tables(body)
    for row, paper in zip(sorted(new.rows, key=lambda r: r[0].text.replace("\u2060", "")),
                          sorted(papers, key=lambda p: p.title)):
        title, _, comment, _ = row
        assert title.text.replace("\u2060", "") == paper.title
        assert comment.body.replace("\u2060", "") == paper.comment
        assert "https://github.com/org/repo" in comment.links and "https://x.org/?a=@bob#12" in comment.links
        assert all(link.startswith(("https://", "mailto:")) for cell in row for link in cell.links)


def test_quiet_leaves_urls_and_plain_text_alone():
    assert quiet("see https://x.org/@bob#12 @bob") == "see https://x.org/@bob#12 @\u2060bob"
    assert quiet("a@b.org and C#3") == "a@b.org and C#\u20603"
    assert quiet(None) is None and quiet("plain") == "plain"


def test_paths_in_the_config_for_the_digest(tmp_path: Path):
    config = make_config(tmp_path, ["A"], digest={"path": "out/digest.md"})
    assert config.digest.path == tmp_path / "out/digest.md"
