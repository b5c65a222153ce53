"""The render's record of itself: what went in and what came out.

A fork's committed outputs are always the render of *some* config: after the owner edits
``config.yaml`` and before the next run, they are the render of the old one. The
manifest (``<store>/_render.json``; no keyword's slug starts with ``_``) names the inputs
by their hashes and each output by its hash, so a check can mean the same in every state
a repository can be in: when the inputs are the ones recorded, the outputs are exactly
what ``render`` writes; when they are not, each output is still the one the last render
wrote.

It is also what lets a render skip work: ``keys`` holds, under ``*``, a hash of every
input (the config, the templates, the links, the package's own code and templates, each
store file) and, under each keyword's slug, a hash of what its feed and pages are drawn
from; ``site`` the hash of each file of the web page (never committed, so not among
``outputs``). A file is left as it is only when its key is the recorded one and the file
still holds the recorded bytes, so a stale or missing manifest only costs a full draw.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daily_papers import __version__
from daily_papers.outputs.layout import feed_path, page_path
from daily_papers.outputs.links import Links, relative_link
from daily_papers.outputs.site import in_site

if TYPE_CHECKING:
    from daily_papers.config import Config
    from daily_papers.store import KeywordStore

MANIFEST_NAME = "_render.json"
PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATE_SUFFIXES = (".j2", ".md", ".html", ".txt", ".css", ".js")
"""The files of a template folder that a template may include."""
MAX_TEMPLATE_FILES = 2000
ALL = "*"
"""The key of every input, in ``keys``; no slug is ``*``."""


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


def store_hashes(config: Config, changed: Mapping[str, KeywordStore] | None = None) -> dict[str, str]:
    """Each keyword's store file by its hash ("none" when there is none), in config order;
    a store in ``changed`` is hashed as the file it is about to be written as."""
    from daily_papers.store import store_path

    hashes = {}
    for keyword in config.keywords:
        if changed and keyword.slug in changed:
            hashes[keyword.slug] = _hash(changed[keyword.slug].to_json().encode("utf-8"))
            continue
        try:
            hashes[keyword.slug] = _hash(store_path(config.store, keyword.slug).read_bytes())
        except FileNotFoundError:
            hashes[keyword.slug] = "none"
    return hashes


def render_keys(inputs: str, stores: Mapping[str, str],
                keywords: Iterable[tuple[str, str, bool]] = ()) -> dict[str, str]:
    """The keys of a render: every input under :data:`ALL`, then, for each keyword given as
    (slug, anchor, stale), what its feed and pages are drawn from besides the layout: the
    inputs besides the store, its own store file, its heading's anchor and whether it is
    stale (which depend on the other keywords)."""
    inputs = f"{inputs}\n{_code()}"
    keys = {ALL: _hash("\n".join([inputs, *(f"{s} {h}" for s, h in stores.items())]).encode())}
    for slug, anchor, stale in keywords:
        keys[slug] = _hash(f"{inputs}\n{stores[slug]}\n{anchor}\n{stale}".encode())
    return keys


@functools.cache
def _code() -> str:
    """A hash of the package's modules and templates: a checkout whose code changed draws
    everything again, as a new version does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


def manifest_text(config: Config, links: Links, outputs: Mapping[Path, str], keys: Mapping[str, str]) -> str:
    """The manifest for ``outputs`` (each file's hash, as :func:`file_hash` gives it),
    paths relative to the config's folder, sorted; the keys and the site's files after
    the committed files."""
    root = config.path.parent
    committed = {relative_link(path, root): h for path, h in outputs.items() if not in_site(config, path)}
    site = {relative_link(path, root): h for path, h in outputs.items() if in_site(config, path)}
    data: dict[str, Any] = {"inputs": fingerprint(config, links), "outputs": dict(sorted(committed.items())),
                            "keys": dict(sorted(keys.items()))}
    if site:
        data["site"] = dict(sorted(site.items()))
    return json.dumps(data, indent=2) + "\n"


def file_hash(text: str) -> str:
    return _hash(text.encode("utf-8"))


def _hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _file_hash(path: Path) -> str | None:
    """The file's hash; None when it cannot be read (deleted: it must be drawn again)."""
    try:
        return _hash(path.read_bytes())
    except OSError:
        return None


_WORKERS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class Recorded:
    """What the last render wrote into its manifest."""

    files: dict[str, str]
    """Every output it wrote (committed and site), relative to the config's folder, by hash."""
    keys: dict[str, str]

    def holds(self, root: Path, names: Iterable[str]) -> bool:
        """True when each named file still holds the bytes recorded for it. The files are
        hashed on a few threads (hashlib lets go of the GIL): reading and hashing every
        output is most of a render that finds nothing to draw."""
        names = list(names)
        if not all(name in self.files for name in names):
            return False
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            found = pool.map(lambda name: _file_hash(root / name), names)
            return all(got == self.files[name] for name, got in zip(names, found))

    def kept_keywords(self, config: Config, keys: Mapping[str, str]) -> dict[str, list[Path]]:
        """The keywords whose key is the recorded one and whose feed and pages are on disk
        as recorded, each with its page files (none when the README showed it whole)."""
        root = config.path.parent
        kept = {}
        for keyword in config.keywords:
            slug = keyword.slug
            if slug not in keys or self.keys.get(slug) != keys[slug]:
                continue
            pages: list[Path] = []
            while relative_link(page_path(config, slug, len(pages) + 1), root) in self.files:
                pages.append(page_path(config, slug, len(pages) + 1))
            if self.holds(root, [relative_link(p, root) for p in (feed_path(config, slug), *pages)]):
                kept[slug] = pages
        return kept


def recorded(config: Config) -> Recorded | None:
    """The last render's manifest; None when there is none or it cannot be read."""
    try:
        data = json.loads((config.store / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    files, keys, site = data.get("outputs"), data.get("keys"), data.get("site", {})
    if not (isinstance(files, dict) and isinstance(keys, dict) and isinstance(site, dict)):
        return None
    if not all(_strings(d) for d in (files, keys, site)):
        return None
    return Recorded({**files, **site}, keys)


def _strings(value: dict[Any, Any]) -> bool:
    return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


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
    for name, recorded_hash in data.get("outputs", {}).items():
        try:
            if _hash((root / name).read_bytes()) != recorded_hash:
                changed.append(name)
        except OSError:
            changed.append(name)
    return changed
