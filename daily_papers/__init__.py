"""daily-papers: keep a README up to date with the newest arXiv papers for your keywords.

The pipeline runs one way: :mod:`~daily_papers.config` -> :mod:`~daily_papers.sources`
-> :mod:`~daily_papers.store` -> :mod:`~daily_papers.render`.
"""

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/daily-papers/daily-papers"
"""Named in the User-Agent of every request, as arXiv asks of automated clients."""
