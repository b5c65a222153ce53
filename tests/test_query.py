"""Keyword settings -> arXiv search_query."""

from pathlib import Path

import pytest

from daily_papers.config import validate
from daily_papers.sources.api import build_query, build_search


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
