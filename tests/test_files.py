"""The files: atomic replacement, a broken store stops everything, one run at a time."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from conftest import FAST_ARXIV
from standin import papers

from daily_papers import files
from daily_papers.files import LockedError, store_lock, write_atomic

REWARD = 'ti:"Reward Model" OR abs:"Reward Model"'
REASONING = 'ti:"Reasoning" OR abs:"Reasoning"'


@pytest.fixture
def stored(project, standin):
    """A project after one update of two keywords."""
    standin.add(REWARD, papers("2505", 4))
    standin.add(REASONING, papers("2504", 4))
    project.write_config("keywords: [Reward Model, Reasoning]\n" + FAST_ARXIV)
    assert project.run("update").status == 0
    standin.add(REWARD, papers("2505", 6))
    standin.requests.clear()
    return project


@pytest.mark.parametrize("command", ["update", "render"])
def test_a_truncated_store_file_stops_the_run_and_nothing_changes(stored, standin, command):
    path = stored.root / "data/reasoning.json"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    before = stored.files()
    result = stored.run(command)
    assert result.status == 2
    assert str(path) in result.err and "not valid JSON (line" in result.err
    assert "Traceback" not in result.err
    assert stored.files() == before
    assert standin.requests == []


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda d: d.update(papers="many"), "'papers' must be a list"),
        (lambda d: d["papers"][1].pop("title"), "paper #2 is not valid: missing 'title'"),
        (lambda d: d["papers"][0].update(updated="yesterday"), "paper #1 is not valid"),
        (lambda d: d.update(schema=99), "schema version 99"),
        (lambda d: d.pop("query"), "'query' must be text"),
        (lambda d: d["papers"][2].update(links="arxiv.org"), "paper #3 is not valid"),
        (lambda d: d["papers"].append(["not", "a", "paper"]), "paper #5 is not valid: expected an object"),
        (lambda d: d["papers"][0].update(links=[]), "paper #1 is not valid: expected 'links' to be an object"),
        (lambda d: d.update(sort_by="relevance"), "'sort_by' is 'relevance'"),
    ],
)
def test_a_store_file_off_the_schema_stops_the_run_naming_file_and_fault(stored, standin, damage, said):
    path = stored.root / "data/reward-model.json"
    data = json.loads(path.read_text())
    damage(data)
    path.write_text(json.dumps(data))
    before = stored.files()
    result = stored.run("update")
    assert result.status == 2
    assert f"{path}: " in result.err and said in result.err
    assert stored.files() == before and standin.requests == []


def test_a_store_file_nested_beyond_reason_is_refused_not_crashed_on(stored, standin):
    path = stored.root / "data/reward-model.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = stored.run("render")
    assert result.status == 2 and f"{path}: " in result.err and "Traceback" not in result.err


def test_a_second_run_waits_briefly_then_exits_2(stored, standin, monkeypatch):
    monkeypatch.setattr(files, "LOCK_WAIT_SECONDS", 0.2)
    before = stored.files()
    with store_lock(stored.root / "data"):
        result = stored.run("update")
    assert result.status == 2
    assert "another daily-papers run is using" in result.err and "waited 0.2 s" in result.err
    assert "Traceback" not in result.err
    assert standin.requests == [] and stored.files() == before
    assert stored.run("update").status == 0  # the lock went with its holder


def test_a_waiting_run_goes_ahead_when_the_first_finishes(tmp_path):
    held = threading.Event()
    release = threading.Event()

    def first() -> None:
        with store_lock(tmp_path):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    assert held.wait(5), "the first run never took the lock"
    threading.Timer(0.1, release.set).start()
    with store_lock(tmp_path, wait_seconds=5):
        assert release.is_set()  # it waited for the first run, and did not run beside it
    thread.join(5)
    assert not thread.is_alive()


def test_the_lock_gives_up_at_its_deadline(tmp_path):
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with store_lock(tmp_path), pytest.raises(LockedError, match="waited 3 s"):
        with store_lock(tmp_path, 3, clock=lambda: now[0], sleep=sleep):
            pass
    assert sum(slept) == pytest.approx(3)


def test_write_atomic_replaces_whole_files_and_skips_identical_ones(tmp_path):
    path = tmp_path / "sub" / "README.md"
    assert write_atomic(path, "one\n") is True
    path.chmod(0o640)
    mtime = path.stat().st_mtime_ns
    assert write_atomic(path, "one\n") is False
    assert path.stat().st_mtime_ns == mtime
    assert write_atomic(path, "two ü\n") is True
    assert path.read_bytes() == "two ü\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["README.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "data.json"
    path.write_text("old\n")

    def no_room(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(OSError):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]


def test_temp_files_of_a_killed_run_are_cleared_by_the_next_write(stored):
    leftovers = [stored.root / ".README.md.x1y2.tmp", stored.root / "data/.reasoning.json.abc.tmp"]
    for path in leftovers:
        path.write_text("half a fi")
    other = stored.root / ".notes.tmp"
    other.write_text("not ours")
    assert stored.run("update").status == 0
    assert not any(path.exists() for path in leftovers)
    assert other.exists()
