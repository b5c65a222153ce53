"""daily-papers: keep a README up to date with the newest arXiv papers for your keywords.

The pipeline runs one way: :mod:`~daily_papers.config` -> :mod:`~daily_papers.query`
-> :mod:`~daily_papers.fetch` -> :mod:`~daily_papers.store` -> :mod:`~daily_papers.render`.
"""

from functools import cache

HOMEPAGE = "https://github.com/daily-papers/daily-papers"
"""Named in the User-Agent of every request, as arXiv asks of automated clients."""


@cache
def version() -> str:
    """The version pyproject.toml gives: from the installed metadata, or in a source
    checkout that is not installed, from pyproject.toml itself."""
    import re
    from importlib import metadata  # loads the email package: only when asked for
    from pathlib import Path

    try:
        return metadata.version("daily-papers")
    except metadata.PackageNotFoundError:
        pass
    try:
        text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return "0+unknown"
    found = re.search(r'^version\s*=\s*"([^"\n]+)"', text, re.M)
    return found[1] if found else "0+unknown"


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use (render never needs it)."""
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
