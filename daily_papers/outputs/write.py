"""Writing a render: every output, or only those whose inputs changed since the manifest.

A render that finds every input (config, templates, links, store files) as the manifest
recorded them, and every output file holding the recorded bytes, draws nothing and
writes nothing; it does not even read the store. Otherwise it draws the README, the feed
of all keywords, the OPML list, the web page and the digest, and each keyword's feed and
pages unless that keyword's key is the recorded one and its files are as recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from daily_papers.config import Config
from daily_papers.outputs.layout import feed_path, sections_for
from daily_papers.outputs.links import Links, relative_link
from daily_papers.outputs.manifest import (
    ALL,
    MANIFEST_NAME,
    file_hash,
    fingerprint,
    manifest_text,
    recorded,
    render_keys,
    store_hashes,
)
from daily_papers.outputs.markdown import github_anchors
from daily_papers.outputs.render import render_outputs, write_outputs
from daily_papers.store import KeywordStore

log = logging.getLogger(__name__)

Stores = Mapping[str, KeywordStore | None]


def outputs_for(config: Config, stores: Stores, links: Links,
                changed: Mapping[str, KeywordStore] | None = None) -> dict[Path, str]:
    """Every output and, last, the manifest that records what rendered them; ``changed``
    holds the stores about to be written over their files."""
    outputs = render_outputs(config, stores, links)
    keys = _keys(config, fingerprint(config, links), store_hashes(config, changed), stores)
    files = {p: file_hash(t) for p, t in outputs.items()}
    outputs[config.store / MANIFEST_NAME] = manifest_text(config, links, files, keys)
    return outputs


def write_render(config: Config, links: Links, stores: Stores | Callable[[], Stores]) -> list[Path]:
    """Draw and write what changed since the manifest (``stores``: the store, or how to
    read it when it is needed); returns the paths whose content changed. The store files
    must be on disk as ``stores`` holds them."""
    inputs = fingerprint(config, links)
    hashes = store_hashes(config)
    last = recorded(config)
    root = config.path.parent
    if last is not None and last.keys.get(ALL) == render_keys(inputs, hashes)[ALL] \
            and last.holds(root, last.files):
        log.info("the store, config and templates are as the last render found them; nothing to draw")
        files = {root / name: h for name, h in last.files.items()}
        return write_outputs({config.store / MANIFEST_NAME: manifest_text(config, links, files, last.keys)})
    stores = stores() if callable(stores) else stores
    keys = _keys(config, inputs, hashes, stores)
    kept = last.kept_keywords(config, keys) if last else {}
    outputs = render_outputs(config, stores, links, kept)
    log.info("drew %d files, kept the feeds and pages of %d of %d keywords", len(outputs), len(kept),
             len(config.keywords))
    files = {p: file_hash(t) for p, t in outputs.items()}
    for slug, pages in kept.items():  # a kept keyword whose pages the layout changed was drawn
        if last is not None and feed_path(config, slug) not in outputs:
            files.update((path, last.files[relative_link(path, root)]) for path in (feed_path(config, slug), *pages))
    outputs[config.store / MANIFEST_NAME] = manifest_text(config, links, files, keys)
    return write_outputs(outputs)


def _keys(config: Config, inputs: str, hashes: dict[str, str], stores: Stores) -> dict[str, str]:
    sections = sections_for(config, stores)
    anchors = github_anchors([config.title, *(s.name for s in sections)])[1:]
    return render_keys(inputs, hashes, [(s.slug, a, s.stale) for s, a in zip(sections, anchors)])
