"""Keyword settings -> arXiv search_query, and the text of the answer as it is kept."""

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daily_papers.config import validate
from daily_papers.sources import api
from daily_papers.sources.query import build_query, build_search


def keyword(spec):
    config = validate({"keywords": [spec]}, Path("/x/config.yaml"), {})
    return config.keywords[0], config


@pytest.mark.parametrize(
    ("spec", "query"),
    [
        ("Reward Model", 'ti:"Reward Model" OR abs:"Reward Model"'),
        ({"name": "RLHF", "fields": ["title"]}, 'ti:"RLHF"'),
        (
            {"name": "Diffusion", "phrases": ["diffusion model", "score-based model"]},
            'ti:"diffusion model" OR abs:"diffusion model" OR ti:"score-based model" OR abs:"score-based model"',
        ),
        ({"name": "LLM", "categories": ["cs.CL"]}, '(ti:"LLM" OR abs:"LLM") AND cat:cs.CL'),
        (
            {"name": "LLM", "fields": ["all"], "categories": ["cs.CL", "cs.LG"], "exclude": ["survey", "position paper"]},
            '((all:"LLM") AND (cat:cs.CL OR cat:cs.LG)) ANDNOT (all:"survey" OR all:"position paper")',
        ),
        ({"name": "Agents", "fields": ["comment"]}, 'co:"Agents"'),
    ],
)
def test_build_query(spec, query):
    kw, _ = keyword(spec)
    assert build_query(kw) == query


def test_search_asks_for_max_papers_newest_first():
    kw, config = keyword("Reasoning")
    search = build_search(kw, config)
    assert (search.max_results, search.sort_by.value, search.sort_order.value) == (100, "lastUpdatedDate", "descending")


def _clean_plainly(text: str) -> str:
    """What :func:`api.clean` does, written the plain way it once was."""
    return " ".join(re.sub(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]", "", text).split())


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2000\u2028\u3000\x00\x1b\x9fab é")))
def test_the_answers_text_is_cleaned_as_it_always_was(text):
    assert api.clean(text) == _clean_plainly(text)


def test_no_whitespace_but_the_space_is_printable():
    """What the quick path of :func:`api.clean` rests on: printable text needs no normalizing
    unless it has a doubled, leading or trailing space."""
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]
