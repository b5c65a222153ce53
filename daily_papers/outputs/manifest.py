"""The render's record of itself: what went in and what came out.

A fork's committed outputs are always the render of *some* config: after the owner edits
``config.yaml`` and before the next run, they are the render of the old one. The
manifest (``<store>/_render.json``; no keyword's slug starts with ``_``) names the inputs
by their hashes and each output by its hash, so a check can mean the same in every state
a repository can be in: when the inputs are the ones recorded, the outputs are exactly
what ``render`` writes; when they are not, each output is still the one the last render
wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from daily_papers import __version__
from daily_papers.outputs.render import Links, relative_link

if TYPE_CHECKING:
    from daily_papers.config import Config

MANIFEST_NAME = "_render.json"
TEMPLATE_SUFFIXES = (".j2", ".md", ".html", ".txt", ".css", ".js")
"""The files of a template folder that a template may include."""
MAX_TEMPLATE_FILES = 2000


def fingerprint(config: Config, links: Links) -> str:
    """A hash of everything a render reads besides the store: the config file, the
    template folder's files (not the outputs in it), the links passed in, the version."""
    digest = hashlib.sha256()
    digest.update(f"daily-papers {__version__}\nrepository {links.repository}\nserver {links.server}\n".encode())
    digest.update(config.path.read_bytes())
    for path in _template_files(config):
        digest.update(b"\0" + path.relative_to(config.template.parent).as_posix().encode() + b"\0")  # type: ignore[union-attr]
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def _template_files(config: Config) -> list[Path]:
    if config.template is None:
        return []
    root = config.template.parent
    site = [config.site.folder] if config.site else []
    outputs = {p.resolve() for p in (config.store, config.pages, config.feeds, *site)}
    files = {config.readme.resolve(), config.digest.path.resolve()}
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and (here / d).resolve() not in outputs)
        for name in sorted(names):
            path = here / name
            if name.endswith(TEMPLATE_SUFFIXES) and path.resolve() not in files:
                found.append(path)
        if len(found) > MAX_TEMPLATE_FILES:
            break
    return found[:MAX_TEMPLATE_FILES]


def manifest_text(config: Config, links: Links, outputs: Mapping[Path, str]) -> str:
    """The manifest for ``outputs``, paths relative to the config's folder, sorted."""
    root = config.path.parent
    files = {relative_link(path, root): _hash(text.encode("utf-8")) for path, text in outputs.items()}
    data = {"inputs": fingerprint(config, links), "outputs": dict(sorted(files.items()))}
    return json.dumps(data, indent=2) + "\n"


def _hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def stale_outputs(config: Config, links: Links) -> list[str] | None:
    """None when the recorded inputs are today's (or there is no manifest): then only a
    fresh render can tell. Otherwise the recorded outputs whose file no longer holds what
    the last render wrote."""
    try:
        data = json.loads((config.store / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if data.get("inputs") == fingerprint(config, links):
        return None
    root = config.path.parent
    changed = []
    for name, recorded in data.get("outputs", {}).items():
        try:
            if _hash((root / name).read_bytes()) != recorded:
                changed.append(name)
        except OSError:
            changed.append(name)
    return changed
