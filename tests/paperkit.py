"""Papers, configs and stores made in memory, for the rendering tests (no arXiv needed)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from daily_papers.config import Config, validate
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore, save_keyword, store_path

NOW = datetime(2025, 5, 27, 13, 0, tzinfo=timezone.utc)
NEWEST = datetime(2025, 5, 26, 17, 59, 46, tzinfo=timezone.utc)

_WORDS = (
    "we propose a reward model for reasoning with large language models and show that process "
    "supervision improves policy optimization on mathematical benchmarks while preference data "
    "from human feedback remains costly; our method ($\\mathcal{O}(n)$ time, 10\\% fewer tokens) "
    "outperforms strong baselines across diverse tasks including code generation and retrieval"
).split()


def abstract(length: int = 1900, seed: int = 0) -> str:
    """Text of about ``length`` characters that reads like an arXiv abstract (the longest
    abstracts arXiv accepts are 1,920 characters)."""
    rng = random.Random(seed)
    words: list[str] = []
    total = 0
    while total < length:
        word = rng.choice(_WORDS)
        words.append(word)
        total += len(word) + 1
    return " ".join(words)[:length].rstrip() + "."


def make_papers(prefix: str, count: int, *, abstract_length: int = 300, **fields: Any) -> tuple[Paper, ...]:
    """``count`` papers, newest first, an hour apart, with every field filled."""
    return tuple(
        Paper(
            id=f"{prefix}.{n:05d}",
            version=1 + n % 2,
            title=f"{prefix} paper {n}: a study",
            updated=NEWEST - timedelta(hours=n),
            published=NEWEST - timedelta(days=3, hours=n),
            authors=("Ada Lovelace", "Alan Turing", "Grace Hopper"),
            abstract=abstract(abstract_length, seed=n) if abstract_length else None,
            comment="12 pages, 3 figures; code: https://github.com/example/repo",
            categories=("cs.LG", "cs.AI"),
            primary_category="cs.LG",
            abs_url=f"https://arxiv.org/abs/{prefix}.{n:05d}v{1 + n % 2}",
            pdf_url=f"https://arxiv.org/pdf/{prefix}.{n:05d}v{1 + n % 2}",
            **fields,
        )
        for n in range(count)
    )


def make_config(root: Path, keywords: Sequence[Any], **top: Any) -> Config:
    return validate({"keywords": list(keywords), **top}, root / "config.yaml", {})


def make_stores(config: Config, papers: Sequence[Sequence[Paper]]) -> dict[str, KeywordStore | None]:
    return {
        kw.slug: KeywordStore(kw.name, "query", config.arxiv.sort_by, tuple(ps), NOW)
        for kw, ps in zip(config.keywords, papers)
    }


def save_stores(config: Config, stores: dict[str, KeywordStore | None]) -> None:
    """Write the store files, as an update would have, for the CLI to render from."""
    for slug, stored in stores.items():
        if stored is not None:
            save_keyword(store_path(config.store, slug), stored)
