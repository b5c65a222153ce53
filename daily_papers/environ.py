"""What a run takes from its environment rather than its config: the instant it calls
"now" (``SOURCE_DATE_EPOCH`` fixes it, so outputs can be reproduced) and the repository its
links point to (inside GitHub Actions, the run's own)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone

from daily_papers.config import REPOSITORY, Config
from daily_papers.errors import DailyPapersError
from daily_papers.outputs.links import Links

LAST_EPOCH = 253_370_678_400
"""9998-12-31T00:00:00Z: a later "now" has no calendar date in every time zone."""


def now_from(environ: Mapping[str, str]) -> datetime:
    """"Now", or the instant ``SOURCE_DATE_EPOCH`` names, so that outputs can be reproduced."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return datetime.now(timezone.utc)
    if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > 12 or int(epoch) > LAST_EPOCH:
        raise DailyPapersError(f"SOURCE_DATE_EPOCH: {epoch[:40]!r} is not a whole number of seconds from 1970 "
                               "to the year 9998")
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def links_from(config: Config, environ: Mapping[str, str]) -> Links:
    """The repository the links point to: inside GitHub Actions the run's own
    (``GITHUB_REPOSITORY`` on ``GITHUB_SERVER_URL``), so that a fork links to itself
    whatever its config says; elsewhere the config's ``repository`` (None: relative links)."""
    repository = environ.get("GITHUB_REPOSITORY") if environ.get("GITHUB_ACTIONS") == "true" else None
    if repository and REPOSITORY.fullmatch(repository):
        server = environ.get("GITHUB_SERVER_URL") or "https://github.com"
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?", server.rstrip("/")):
            server = "https://github.com"
        return Links(repository, server.rstrip("/"))
    return Links(config.repository) if config.repository else Links()
