"""The arXiv API's side of a search before it is sent: the query a keyword stands for
and the request URL. Pure functions: no network, no clock, no log.

The search is a small value of our own (:class:`Search`, :class:`SortBy`,
:class:`SortOrder`, with arXiv's names) rather than the ``arxiv`` package's: importing
that package costs 110-220 ms and pulls in ``requests`` and ``lxml``, for three names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from urllib.parse import urlencode

from daily_papers.config import FIELD_PREFIXES, Config, Keyword


class SortBy(str, enum.Enum):
    """arXiv's ``sortBy`` values."""

    Relevance = "relevance"
    LastUpdatedDate = "lastUpdatedDate"
    SubmittedDate = "submittedDate"


class SortOrder(str, enum.Enum):
    """arXiv's ``sortOrder`` values."""

    Ascending = "ascending"
    Descending = "descending"


@dataclass(frozen=True)
class Search:
    """One search of the API: one page holding all ``max_results``."""

    query: str
    max_results: int
    sort_by: SortBy = SortBy.LastUpdatedDate
    sort_order: SortOrder = SortOrder.Descending


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


def build_search(keyword: Keyword, config: Config) -> Search:
    """The whole request for a keyword: its query, newest first by the configured date."""
    return Search(build_query(keyword), config.max_papers, SortBy(config.arxiv.sort_by), SortOrder.Descending)


def _any_of(phrases: tuple[str, ...], fields: tuple[str, ...]) -> str:
    return " OR ".join(f'{FIELD_PREFIXES[f]}:"{p}"' for p in phrases for f in fields)


def search_url(base: str, search: Search) -> str:
    """The request URL for a search: one page holding all ``max_results``."""
    params = {
        "search_query": search.query,
        "start": 0,
        "max_results": search.max_results,
        "sortBy": search.sort_by.value,
        "sortOrder": search.sort_order.value,
    }
    return f"{base}?{urlencode(params)}"
