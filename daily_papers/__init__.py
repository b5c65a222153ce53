"""daily-papers: keep a README up to date with the newest arXiv papers for your keywords.

The pipeline runs one way: :mod:`~daily_papers.config` -> :mod:`~daily_papers.sources`
-> :mod:`~daily_papers.store` -> :mod:`~daily_papers.outputs`.
"""

from functools import cache
from pathlib import Path

HOMEPAGE = "https://github.com/daily-papers/daily-papers"
"""Named in the User-Agent of every request, as arXiv asks of automated clients."""


@cache
def version() -> str:
    """The version pyproject.toml gives, as the installed package's metadata holds it.

    The ``.dist-info`` folder beside the package is read directly: ``importlib.metadata``
    loads the email package (and with it ``socket``), which a render has no other use
    for. A source checkout reads pyproject.toml itself; any other layout (a zip, an
    unusual installer) asks ``importlib.metadata``.
    """
    import re

    here = Path(__file__).resolve().parent.parent
    for info in sorted(here.glob("daily_papers-*.dist-info")):
        found = re.search(r"^Version: *(\S+)", _read(info / "METADATA"), re.MULTILINE)
        if found:
            return found[1]
    found = re.search(r'^version\s*=\s*"([^"\n]+)"', _read(here / "pyproject.toml"), re.MULTILINE)
    if found:
        return found[1]
    from importlib import metadata

    try:
        return metadata.version("daily-papers")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use (render never needs it)."""
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
