"""Where papers come from, in layers that know less the lower they are:

- :mod:`~daily_papers.sources.http`: one GET with one deadline and a size cap;
- :mod:`~daily_papers.sources.pacing`: the spacing of requests (one :class:`Pacer` may
  serve every source of a run);
- :mod:`~daily_papers.sources.tries`: one try, its requests and redirects, and
  :mod:`~daily_papers.sources.retry_after`, the server's wish to wait;
- :mod:`~daily_papers.sources.breaker`, :mod:`~daily_papers.sources.job` and
  :mod:`~daily_papers.sources.retry`: a job as a series of tries, backoff, the run's
  budget and the outage breaker, for any source;
- :mod:`~daily_papers.sources.query`: the arXiv API's queries and request URLs, pure;
- :mod:`~daily_papers.sources.api`: the parse of its answers, pure;
- :mod:`~daily_papers.sources.client`: searches, these put together.

They import nothing of the store or the outputs.
"""

from daily_papers.sources.breaker import OUTAGE_KEYWORDS
from daily_papers.sources.client import ArxivClient, FetchError, SearchResult
from daily_papers.sources.pacing import Pacer
from daily_papers.sources.query import Search, SortBy, SortOrder, build_query, build_search

__all__ = ["OUTAGE_KEYWORDS", "ArxivClient", "FetchError", "Pacer", "Search", "SearchResult", "SortBy", "SortOrder",
           "build_query", "build_search"]
