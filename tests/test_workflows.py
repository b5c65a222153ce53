"""The GitHub workflows: valid by GitHub's schema, least privilege, and the nightly job's
own shell steps run here against real git repositories."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).parent.parent / ".github" / "workflows"
DAILY = WORKFLOWS / "daily.yml"
CI = WORKFLOWS / "ci.yml"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(path: Path = DAILY) -> list[dict[str, Any]]:
    (job,) = load(path)["jobs"].values()
    return job["steps"]


def step(**match: str) -> dict[str, Any]:
    (found,) = [s for s in steps() if all(s.get(k) == v for k, v in match.items())]
    return found


def test_workflows_pass_githubs_schema():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(DAILY), str(CI)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(DAILY.read_text().replace("runs-on:", "runs_on:"))
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1


def test_daily_runs_on_schedule_and_by_hand_with_least_privilege():
    flow = load(DAILY)
    assert flow["on"]["schedule"] == [{"cron": "30 16 * * 0-4"}]
    assert "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {"contents": "write", "issues": "write"}
    assert flow["concurrency"]["group"] and flow["concurrency"]["cancel-in-progress"] is False
    (job,) = flow["jobs"].values()
    assert 0 < job["timeout-minutes"] <= 60
    assert "permissions" not in job  # the workflow's least set applies


def test_daily_installs_with_pip_cache_and_tolerates_a_partial_failure():
    uses = [s.get("uses", "") for s in steps()]
    assert uses[0].startswith("actions/checkout@")
    python = step(uses=uses[1])
    assert python["uses"].startswith("actions/setup-python@") and python["with"]["cache"] == "pip"
    update = step(id="update")
    assert update["run"].strip() == "daily-papers update" and update["continue-on-error"] is True
    names = [s.get("id") or s.get("name") for s in steps()]
    assert names.index("update") < names.index("commit")
    last = steps()[-1]
    assert last["if"] == "steps.update.outcome == 'failure'" and "exit 1" in last["run"]


def test_no_expression_inside_a_shell_script():
    """Values reach scripts through env:, so no data is ever spliced into shell code."""
    for path in (DAILY, CI):
        for s in steps(path):
            assert "${{" not in s.get("run", ""), s


def test_the_issue_step_is_gated_on_new_papers_and_uses_gh():
    issue = step(name="Open the digest issue")
    assert issue["if"] == "steps.update.outputs.new_papers != '' && steps.update.outputs.new_papers != '0'"
    assert issue["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert issue["env"]["TITLE"] == "${{ steps.update.outputs.digest_title }}"
    assert issue["env"]["DIGEST"] == ".github/digest.md"
    assert issue["run"].startswith("gh issue create")


def test_the_issue_step_passes_title_and_body_as_they_are(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_gh = bin_dir / "gh"
    fake_gh.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "$GH_ARGS"\n')
    fake_gh.chmod(0o755)
    issue = step(name="Open the digest issue")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_ARGS": str(tmp_path / "args"),
           "TITLE": 'Latest 3 Papers - May 27, 2025 $(touch pwned) "; `x`', "DIGEST": ".github/digest.md"}
    subprocess.run(["bash", "-c", issue["run"]], env=env, cwd=tmp_path, check=True, timeout=30)
    args = (tmp_path / "args").read_text().splitlines()
    assert args == ["issue", "create", "--title", env["TITLE"], "--body-file", ".github/digest.md"]
    assert not (tmp_path / "pwned").exists()


def test_ci_runs_the_tests_on_push_and_pull_request_on_oldest_and_newest_python():
    flow = load(CI)
    assert set(flow["on"]) == {"push", "pull_request"}
    (job,) = flow["jobs"].values()
    versions = job["strategy"]["matrix"]["python-version"]
    assert "3.10" in versions and max(versions, key=lambda v: tuple(map(int, v.split(".")))) in ("3.13", "3.14")
    assert any(s.get("run", "").strip() == "bash .ci/run" for s in job["steps"])


# The commit step, run as a script in a clone of a local bare repository.

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True,
                          timeout=30).stdout


def person(cwd: Path) -> None:
    git(cwd, "config", "user.name", "Someone")
    git(cwd, "config", "user.email", "someone@example.org")


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare origin holding one commit with the generated files."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "--quiet", str(bare), str(seed))
    person(seed)
    (seed / "data").mkdir()
    (seed / "data" / "reward-model.json").write_text("{}\n")
    (seed / "README.md").write_text("# Daily Papers\n")
    (seed / "config.yaml").write_text("keywords: [Reward Model]\n")
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "start")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    return bare


def checkout(origin: Path, name: str) -> Path:
    """A shallow clone, as actions/checkout makes one."""
    work = origin.parent / name
    git(origin.parent, "clone", "--quiet", "--depth", "1", f"file://{origin}", str(work))
    return work


def run_commit_step(work: Path) -> subprocess.CompletedProcess[str]:
    commit = step(id="commit")
    env = {**os.environ, **GIT_ENV, **commit["env"], "GITHUB_REF_NAME": "main"}
    return subprocess.run(["bash", "-c", commit["run"]], cwd=work, env=env, capture_output=True, text=True,
                          timeout=60)


def origin_log(origin: Path) -> list[str]:
    return git(origin, "log", "--format=%an|%s", "main").splitlines()


def test_commit_step_commits_nothing_when_nothing_changed(origin):
    work = checkout(origin, "work")
    (work / "data" / ".lock").write_text("")  # the store's lock file is never committed
    result = run_commit_step(work)
    assert result.returncode == 0, result.stderr
    assert "Nothing changed" in result.stdout
    assert origin_log(origin) == ["Someone|start"]


def test_commit_step_commits_and_pushes_changed_generated_files_only(origin):
    work = checkout(origin, "work")
    (work / "README.md").write_text("# Daily Papers\n\nnew\n")
    (work / "data" / "reasoning.json").write_text("{}\n")
    (work / "data" / ".lock").write_text("")
    (work / "papers").mkdir()
    (work / "papers" / "reward-model.md").write_text("all\n")
    (work / ".github").mkdir()
    (work / ".github" / "digest.md").write_text("digest\n")
    (work / "notes.txt").write_text("not generated\n")
    result = run_commit_step(work)
    assert result.returncode == 0, result.stderr
    log = origin_log(origin)
    assert len(log) == 2 and re.fullmatch(r"github-actions\[bot\]\|Update papers \d{4}-\d{2}-\d{2}", log[0])
    files = git(origin, "show", "--name-only", "--format=", "main").split()
    assert sorted(files) == [".github/digest.md", "README.md", "data/reasoning.json", "papers/reward-model.md"]
    assert git(work, "status", "--porcelain").split() == ["??", "data/.lock", "??", "notes.txt"]


def test_commit_step_rebases_and_pushes_again_when_someone_pushed_first(origin):
    work = checkout(origin, "work")
    other = checkout(origin, "other")
    person(other)
    (other / "config.yaml").write_text("keywords: [Reward Model, Reasoning]\n")
    git(other, "commit", "--quiet", "-am", "add a keyword")
    git(other, "push", "--quiet", "origin", "HEAD:main")

    (work / "README.md").write_text("# Daily Papers\n\nnew\n")
    result = run_commit_step(work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rejected" in result.stdout
    log = origin_log(origin)
    assert log[1:] == ["Someone|add a keyword", "Someone|start"]
    assert log[0].startswith("github-actions[bot]|Update papers")
    assert git(origin, "show", "main:README.md") == "# Daily Papers\n\nnew\n"
    assert git(origin, "show", "main:config.yaml") == "keywords: [Reward Model, Reasoning]\n"


def test_the_last_step_fails_the_job():
    last = steps()[-1]
    result = subprocess.run(["bash", "-c", last["run"]], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and result.stdout.startswith("::error::")
