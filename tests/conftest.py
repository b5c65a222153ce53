"""Shared fixtures: the arXiv stand-in, a scratch project, and a way to run the CLI."""

from __future__ import annotations

import io
import logging
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from standin import ArxivStandin

from daily_papers import cli

EPOCH_2025_05_27 = "1748350800"  # 2025-05-27T13:00:00Z


@pytest.fixture
def standin() -> Iterator[ArxivStandin]:
    with ArxivStandin() as server:
        yield server


@dataclass
class Result:
    status: int
    out: str
    err: str


@dataclass
class Project:
    """A scratch folder with a config.yaml, run through the CLI in-process."""

    root: Path
    monkeypatch: pytest.MonkeyPatch

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    def write_config(self, text: str) -> None:
        self.config.write_text(textwrap.dedent(text), encoding="utf-8")

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        for name, value in (env or {}).items():
            self.monkeypatch.setenv(name, value)
        out, err = io.StringIO(), io.StringIO()
        self.monkeypatch.setattr(sys, "stdout", out)
        self.monkeypatch.setattr(sys, "stderr", err)
        try:
            status = cli.main([*args[:1], "-c", str(self.config), *args[1:]])
        finally:
            logger = logging.getLogger("daily_papers")
            logger.handlers.clear()
            logger.propagate = True  # the CLI's own setting would hide later tests' records from caplog
            logger.setLevel(logging.NOTSET)
        self.monkeypatch.setattr(sys, "stdout", sys.__stdout__)
        self.monkeypatch.setattr(sys, "stderr", sys.__stderr__)
        return Result(status, out.getvalue(), err.getvalue())

    def files(self) -> dict[str, bytes]:
        """Every file under the project (but the lock), for before/after comparisons."""
        return {
            str(p.relative_to(self.root)): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file() and p.name != ".lock"
        }


FAST_ARXIV = """
arxiv:
  delay_seconds: 0.01
  retries: 2
  backoff_seconds: 0.01
  timeout_seconds: 2
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, standin: ArxivStandin) -> Project:
    monkeypatch.setenv("DAILY_PAPERS_ARXIV_URL", standin.url)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2025_05_27)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = tmp_path / "repo"
    root.mkdir()
    return Project(root, monkeypatch)
