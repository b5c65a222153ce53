"""The paths of a config, checked together: no output overwrites another file or lands
where a workflow could not commit it, or must never write."""

from __future__ import annotations

from pathlib import Path

from daily_papers.config.model import Config
from daily_papers.config.values import ConfigError


def _check_paths(config: Config) -> None:
    """Refuse paths that would make one file overwrite another: the README, the digest,
    the template and the config itself are four files, and none lies in a folder whose
    files daily-papers writes (the store, the pages, the feeds)."""
    files = {"readme": config.readme, "digest.path": config.digest.path, "the config file": config.path}
    if config.template is not None:
        files["template"] = config.template
    seen: dict[Path, str] = {}
    for key, file in files.items():
        resolved = file.resolve()
        if resolved in seen:
            raise ConfigError(f"{key} and {seen[resolved]} are the same file ({file}); give each its own path")
        seen[resolved] = key
    folders = {"store": config.store, "pages": config.pages, "feeds": config.feeds}
    for folder_key, folder in {**folders, **({"site": config.site.folder} if config.site else {})}.items():
        inside = folder.resolve()
        for resolved, key in seen.items():
            if resolved == inside or resolved.is_relative_to(inside):
                raise ConfigError(f"{key} ({files[key]}) is in the {folder_key} folder {folder}, whose files "
                                  "daily-papers writes; put one of them elsewhere")
    named = list(folders.items())
    for index, (folder_key, folder) in enumerate(named):
        for other_key, other in named[index + 1:]:
            if folder.resolve() == other.resolve():
                raise ConfigError(f"{folder_key} and {other_key} are the same folder ({folder}); give each its own")
    outputs = {"readme": config.readme, "digest.path": config.digest.path, **folders,
               **({"site": config.site.folder} if config.site else {})}
    root = config.path.parent.resolve()
    for key, path in outputs.items():
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise ConfigError(f"{key}: {path} is outside the config file's folder {root}, which a workflow "
                              "commits; keep every output inside it")
        parts = resolved.relative_to(root).parts
        if parts[:1] == (".git",) or parts[:2] == (".github", "workflows"):
            raise ConfigError(f"{key}: {path} is in {'/'.join(parts[:2 if parts[0] == '.github' else 1])}, "
                              "which daily-papers must never write")
    if config.site is not None:
        site = config.site.folder.resolve()
        for folder_key, folder in folders.items():
            other = folder.resolve()
            if site.is_relative_to(other) or other.is_relative_to(site):
                raise ConfigError(f"site ({config.site.folder}) and the {folder_key} folder {folder} overlap; "
                                  "the site is written whole, so give it a folder of its own")
    if config.template is not None and not config.template.is_file():
        raise ConfigError(f"template: {config.template} is not a file")
