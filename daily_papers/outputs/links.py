"""Where the outputs link to: relative links inside the repository, and the addresses on
GitHub (the blob page, the raw file, GitHub Pages) for the links that leave it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from daily_papers.config import Config
from daily_papers.outputs.feeds import ALL_FEED


@dataclass(frozen=True)
class Links:
    """Where the repository lives, for the links that leave it (the digest becomes an
    e-mail, where a relative link leads nowhere). Passed in by the caller: the renderer
    reads no environment."""

    repository: str | None = None
    """``owner/name`` on GitHub; None renders relative links."""
    server: str = "https://github.com"

    def blob(self, config: Config, path: Path) -> str | None:
        """GitHub's page for ``path`` (under the config's folder, the repository's root)."""
        if self.repository is None or not path.is_relative_to(config.path.parent):
            return None
        return f"{self.server}/{self.repository}/blob/HEAD/{path.relative_to(config.path.parent).as_posix()}"

    def pages(self, config: Config, path: Path) -> str | None:
        """``path`` inside the site folder as GitHub Pages serves it (github.com only)."""
        if self.repository is None or self.server != "https://github.com" or config.site is None \
                or not path.is_relative_to(config.site.folder):
            return None
        owner, name = self.repository.split("/")
        base = f"https://{owner.lower()}.github.io/"
        if name.lower() != f"{owner.lower()}.github.io":
            base += f"{name}/"
        relative = path.relative_to(config.site.folder).as_posix()
        return base + ("" if relative == "." else relative)

    def feeds_base(self, config: Config) -> str | None:
        """Where the feeds are served (their ``rel="self"``), None when unknown."""
        served = self.subscribe(config, config.feeds / ALL_FEED)
        return served.rsplit("/", 1)[0] + "/" if served else None

    def subscribe(self, config: Config, feed: Path) -> str | None:
        """The address a feed reader subscribes to: the site's copy when there is a site
        (Pages serves it as a feed), else the raw file."""
        if config.site is not None:
            served = self.pages(config, config.site.folder / "feeds" / feed.relative_to(config.feeds))
            if served:
                return served
        return self.raw(config, feed)

    def raw(self, config: Config, path: Path) -> str | None:
        """The file itself, as a feed reader must fetch it (GitHub's page of it is HTML)."""
        if self.repository is None or self.server != "https://github.com" \
                or not path.is_relative_to(config.path.parent):
            return None
        return f"https://raw.githubusercontent.com/{self.repository}/HEAD/" \
               f"{path.relative_to(config.path.parent).as_posix()}"

    def to(self, config: Config, path: Path, base: Path) -> str:
        """``path`` on GitHub when the repository is known, else relative to the folder ``base``."""
        return self.blob(config, path) or relative_link(path, base)


def relative_link(target: Path, base: Path) -> str:
    """``target`` relative to the folder ``base``, with ``/`` as GitHub wants it."""
    return Path(os.path.relpath(target, base)).as_posix()
