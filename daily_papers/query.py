"""Turning a configured keyword into the arXiv search it stands for."""

from __future__ import annotations

import arxiv

from daily_papers.config import FIELD_PREFIXES, Config, Keyword


def build_query(keyword: Keyword) -> str:
    """The ``search_query`` for a keyword.

    Each phrase is looked for in each configured field (OR); categories narrow the
    result (AND), excluded words drop papers that have them in those fields (ANDNOT).
    ``Reward Model`` with the defaults gives ``ti:"Reward Model" OR abs:"Reward Model"``.
    """
    query = _any_of(keyword.phrases, keyword.fields)
    if keyword.categories:
        cats = " OR ".join(f"cat:{c}" for c in keyword.categories)
        query = f"({query}) AND ({cats})" if len(keyword.categories) > 1 else f"({query}) AND {cats}"
    if keyword.exclude:
        query = f"({query}) ANDNOT ({_any_of(keyword.exclude, keyword.fields)})"
    return query


def build_search(keyword: Keyword, config: Config) -> arxiv.Search:
    """The whole request for a keyword: its query, newest first by the configured date."""
    return arxiv.Search(
        query=build_query(keyword),
        max_results=config.max_papers,
        sort_by=arxiv.SortCriterion(config.arxiv.sort_by),
        sort_order=arxiv.SortOrder.Descending,
    )


def _any_of(phrases: tuple[str, ...], fields: tuple[str, ...]) -> str:
    return " OR ".join(f'{FIELD_PREFIXES[f]}:"{p}"' for p in phrases for f in fields)
