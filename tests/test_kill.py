"""A run killed at any instant (SIGKILL: no clean-up of any kind) leaves every file
whole, old or new, and the next run works normally."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import EPOCH_2025_05_27
from standin import papers

from daily_papers.config import load_config, slugify
from daily_papers.outputs.render import render_outputs
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore, load_keyword, load_stores, save_keyword

KEYWORDS = [f"Topic {n:02d}" for n in range(40)]
PAPERS = 100
DAY = 86400
NEWEST = datetime(2025, 5, 26, 18, 0, tzinfo=timezone.utc)


def query(name: str) -> str:
    return f'ti:"{name}" OR abs:"{name}"'


def seed(folder: Path) -> None:
    """The store as a first update leaves it, written directly (parsing 4,000 papers is slow)."""
    for n, name in enumerate(KEYWORDS):
        stored = tuple(
            Paper(id=e.arxiv_id[:-2], version=1, title=e.title, updated=e.updated, published=e.updated,
                  authors=tuple(e.authors), abstract=e.summary, categories=tuple(e.categories),
                  primary_category=e.categories[0], abs_url=f"https://arxiv.org/abs/{e.arxiv_id}",
                  pdf_url=f"https://arxiv.org/pdf/{e.arxiv_id}")
            for e in papers(f"25{n:02d}", PAPERS)
        )
        save_keyword(folder / f"{slugify(name)}.json", KeywordStore(name, query(name), "lastUpdatedDate", stored))


def serve(standin, round_: int) -> None:
    """Each round brings 5 newer papers per keyword, so every store file and the README
    change (and the run is quick: there is little to parse)."""
    for name in KEYWORDS:
        standin.add(query(name), papers(f"26{round_:02d}", 5, newest=NEWEST + timedelta(days=round_)))


def start(root: Path, standin, command: str, round_: int) -> subprocess.Popen:
    env = dict(os.environ, DAILY_PAPERS_ARXIV_URL=standin.url, SOURCE_DATE_EPOCH=str(epoch(round_)))
    return subprocess.Popen([sys.executable, "-m", "daily_papers", command, "-q", "-c", str(root / "config.yaml")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def epoch(round_: int) -> int:
    return int(EPOCH_2025_05_27) + round_ * DAY


def full_readme(root: Path, round_: int) -> str:
    """The README a complete run of ``round_`` writes from the store as it now is."""
    config = load_config(root / "config.yaml", {"DAILY_PAPERS_ARXIV_URL": "http://127.0.0.1/"})
    stores = load_stores(config.store, [k.slug for k in config.keywords])
    return render_outputs(config, stores)[config.readme]


def assert_whole(root: Path, round_: int, before: str, when: str) -> str:
    """Every store file parses and holds all its papers; the README is the one from before
    the run or the one the run meant to write. Returns the README."""
    store = sorted((root / "data").glob("[!_]*.json"))
    assert len(store) == len(KEYWORDS), when
    for path in root.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in store:
        assert len(load_keyword(path).papers) == PAPERS, (when, path)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme == before or readme == full_readme(root, round_), when
    assert readme.count("\n## Topic ") == len(KEYWORDS), when
    return readme


def kill_at(proc: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL ``proc`` after ``seconds``; False if it had finished by then."""
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True
    finally:
        proc.stderr.close()


def finish(proc: subprocess.Popen) -> None:
    """Let ``proc`` run to its end, which must be a success."""
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()


@pytest.fixture
def big_store(tmp_path, standin):
    """A store of 40 keywords x 100 papers, and how long an update and a render of it take."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "config.yaml").write_text(
        "keywords:\n" + "".join(f"  - {name}\n" for name in KEYWORDS)
        + "arxiv:\n  delay_seconds: 0\n  retries: 1\n  backoff_seconds: 0\n  timeout_seconds: 10\n"
    )
    seed(root / "data")
    durations = []
    for command, round_ in (("update", 1), ("render", 2)):
        serve(standin, round_)
        started = time.monotonic()
        finish(start(root, standin, command, round_))
        durations.append(time.monotonic() - started)
    assert (root / "README.md").read_text() == full_readme(root, 2)
    return root, *durations


def test_update_and_render_killed_at_random_moments_leave_every_file_whole(big_store, standin):
    root, update_seconds, render_seconds = big_store
    readme = (root / "README.md").read_text()
    rng = random.Random(20250527)
    kills = []
    # Moments spread over each whole run: start-up, fetching and saving, rendering at the end;
    # over three quarters of the measured time, as a run beside other tests may go faster.
    for round_, third in zip(range(3, 6), range(3)):
        serve(standin, round_)
        moment = 0.75 * update_seconds * (third + rng.random()) / 3
        kills.append(("update", round(moment, 2), kill_at(start(root, standin, "update", round_), moment)))
        readme = assert_whole(root, round_, readme, f"update killed after {moment:.2f} s")
    for round_, third in zip(range(6, 9), range(3)):
        moment = 0.75 * render_seconds * (third + rng.random()) / 3
        kills.append(("render", round(moment, 2), kill_at(start(root, standin, "render", round_), moment)))
        readme = assert_whole(root, round_, readme, f"render killed after {moment:.2f} s")
    assert sum(killed for _, _, killed in kills) >= 4, kills

    serve(standin, 10)
    finish(start(root, standin, "update", 10))
    assert (root / "README.md").read_text() == full_readme(root, 10)
    assert_whole(root, 10, "", "after a normal update")
    assert list(root.rglob("*.tmp")) == [], "temp files of killed runs are cleared"
