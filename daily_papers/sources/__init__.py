"""Where papers come from, in layers that know less the lower they are:

- :mod:`~daily_papers.sources.http`: one GET with one deadline and a size cap;
- :mod:`~daily_papers.sources.retry`: pacing, redirects, retries, the run's budget and
  the outage breaker, for any source (one :class:`Pacer` may serve them all);
- :mod:`~daily_papers.sources.api`: the arXiv API's queries and answers, pure;
- :mod:`~daily_papers.sources.client`: searches, the three put together.

They import nothing of the store or the outputs.
"""

from daily_papers.sources.api import (
           Search,
           SortBy,
           SortOrder,
           build_query,
           build_search,
)
from daily_papers.sources.client import ArxivClient, FetchError, SearchResult
from daily_papers.sources.retry import OUTAGE_KEYWORDS, Pacer

__all__ = ["OUTAGE_KEYWORDS", "ArxivClient", "FetchError", "Pacer", "Search", "SearchResult", "SortBy", "SortOrder",
           "build_query", "build_search"]
