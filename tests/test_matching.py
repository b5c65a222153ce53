"""The local matching rules of ``source: feed`` (daily_papers.matching), one rule a test."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from daily_papers.config import Keyword
from daily_papers.matching import (
    Outcome,
    Texts,
    compile_rules,
    describe,
    match,
    needs_lookup,
    word_forms,
)
from daily_papers.paper import Paper


def paper(title: str = "A title", abstract: str = "An abstract.", comment: str | None = None,
          categories: tuple[str, ...] = ("cs.LG",)) -> Paper:
    return Paper("2505.00001", 1, title, datetime(2025, 5, 27, tzinfo=timezone.utc), abstract=abstract,
                 comment=comment, categories=categories)


def keyword(*phrases: str, fields=("title", "abstract"), categories=("cs.LG",), exclude=()) -> Keyword:
    return Keyword(phrases[0], tuple(phrases), tuple(fields), tuple(categories), tuple(exclude))


def verdict(kw: Keyword, p: Paper) -> Outcome:
    return match(compile_rules(kw), Texts.of(p)).outcome


@pytest.mark.parametrize("text", ["Reward models for RLHF", "a REWARD-MODEL", "reward \n  model", "reward\u2013model",
                                  "(reward model)", "reward-models."])
def test_case_hyphens_spaces_and_plural_fold(text):
    assert verdict(keyword("Reward Model"), paper(abstract=text)) is Outcome.MATCH


@pytest.mark.parametrize("text", ["rewardmodel", "reward modelling", "unreward model", "reward of model",
                                  "model reward"])
def test_words_stay_whole_and_in_order(text):
    assert verdict(keyword("reward model"), paper(abstract=text)) is Outcome.NO_MATCH


@pytest.mark.parametrize("text, expected", [("URL", False), ("RLHF", False), ("(RL)", True), ("RL-based", True),
                                            ("RLs", True)])
def test_word_boundaries(text, expected):
    assert (verdict(keyword("RL"), paper(title=text)) is Outcome.MATCH) is expected


def test_plural_rule_is_the_last_word_only():
    assert word_forms("models")[-1] == "model"
    assert "policies" in word_forms("policy") and "policy" in word_forms("policies")
    assert "box" in word_forms("boxes") and "boxes" in word_forms("box")
    assert "ga" not in word_forms("gas")  # three letters at least
    assert word_forms("4") == ("4",)
    assert verdict(keyword("models reward"), paper(title="model reward")) is Outcome.NO_MATCH
    assert verdict(keyword("graph neural networks"), paper(title="A graph neural network")) is Outcome.MATCH


def test_exclude_drops_and_says_why():
    kw = keyword("reward model", exclude=("survey",))
    rules = compile_rules(kw)
    found = match(rules, Texts.of(paper(title="Reward models: a Survey")))
    assert (found.outcome, found.found, found.excluded_by) == (Outcome.EXCLUDED, "reward models", "survey")
    assert not found.kept


def test_categories_must_intersect_and_archives_cover():
    assert verdict(keyword("reward model"), paper(title="reward model", categories=("stat.ML",))) is \
        Outcome.OTHER_CATEGORY
    assert verdict(keyword("reward model", categories=("cs",)), paper(title="reward model",
                                                                   categories=("stat.ML", "cs.AI"))) is Outcome.MATCH
    assert verdict(keyword("reward model", categories=("cs",)), paper(title="reward model",
                                                                   categories=("csx.AI",))) is Outcome.OTHER_CATEGORY


def test_fields_are_respected_and_comment_waits_for_the_lookup():
    title_only = keyword("reward model", fields=("title",))
    assert verdict(title_only, paper(abstract="reward model")) is Outcome.NO_MATCH
    with_comment = keyword("NeurIPS", fields=("comment",))
    feed_item = Texts.of(paper(comment=None))
    assert needs_lookup(compile_rules(with_comment), feed_item)
    assert not needs_lookup(compile_rules(title_only), feed_item)
    assert verdict(with_comment, paper(comment="Accepted at NeurIPS 2025")) is Outcome.MATCH
    assert verdict(keyword("NeurIPS", fields=("all",)), paper(comment="NeurIPS")) is Outcome.MATCH


def test_user_text_is_escaped():
    assert verdict(keyword("C++ (code)"), paper(title="Fast C++ (code) now")) is Outcome.MATCH
    assert verdict(keyword("a.b"), paper(title="axb")) is Outcome.NO_MATCH
    assert verdict(keyword("-"), paper(title="- anything -")) is Outcome.NO_MATCH  # nothing left to match


def test_linear_on_hostile_text():
    rules = compile_rules(keyword("a a a a a a a b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"))
    for text in ("a " * 100_000, "a" * 200_000, "a-" * 100_000):
        started = time.perf_counter()
        assert not match(rules, Texts.of(paper(abstract=text))).kept
        assert time.perf_counter() - started < 2.0


def test_describe_names_every_rule():
    text = describe(compile_rules(keyword("Reward Model", "RLHF", exclude=("survey",))))
    assert text == "'Reward Model' OR 'RLHF' in title/abstract of cs.LG; not 'survey'"
