"""``daily-papers doctor``: the workflow mistakes that only the next nightly run would show."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from workflowkit import run_cli

REPOSITORY = Path(__file__).parent.parent

# A workflow of the older kind: the commit step lists the paths by hand.
HAND_WRITTEN = """\
name: Update papers
on:
  schedule:
    - cron: "30 6 * * 1-5"
  workflow_dispatch:
permissions:
  contents: write
  issues: write
jobs:
  update:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: python -m pip install daily-papers
      - id: update
        run: daily-papers update
      - name: Commit and push what changed
        env:
          GENERATED: README.md data papers feeds .github/digest.md
        run: |
          read -r -a paths <<< "$GENERATED"
          git add --all -- "${paths[@]}"
          git commit -m "Update papers" && git push
      - name: Open the digest issue
        env:
          GH_TOKEN: ${{ github.token }}
          TITLE: ${{ steps.update.outputs.digest_title }}
        run: gh issue create --title "$TITLE" --body-file .github/digest.md
"""


def doctor(monkeypatch: pytest.MonkeyPatch, config: Path) -> tuple[int, str, str]:
    return run_cli(monkeypatch, "doctor", "-c", str(config))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "config.yaml").write_text("keywords: [Reasoning]\nsite: null\n")
    return tmp_path


def workflow(repo: Path, text: str, name: str = "daily.yml") -> None:
    folder = repo / ".github" / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text))


def test_the_init_workflow_passes(tmp_path, monkeypatch):
    assert run_cli(monkeypatch, "init", str(tmp_path))[0] == 0
    (tmp_path / ".git").mkdir()
    status, out, err = doctor(monkeypatch, tmp_path / "config.yaml")
    assert (status, out) == (0, ""), err
    assert "fit" in err


def test_the_repositorys_own_workflow_passes(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPOSITORY / ".github" / "workflows", tmp_path / ".github" / "workflows")
    shutil.copytree(REPOSITORY / "templates", tmp_path / "templates")
    shutil.copy(REPOSITORY / "config.yaml", tmp_path / "config.yaml")
    status, out, err = doctor(monkeypatch, tmp_path / "config.yaml")
    assert (status, out) == (0, ""), out + err


def test_a_hand_written_list_that_covers_the_config_passes(repo, monkeypatch):
    workflow(repo, HAND_WRITTEN)
    status, out, err = doctor(monkeypatch, repo / "config.yaml")
    assert (status, out) == (0, ""), out + err


def test_a_commit_step_that_misses_the_store_folder_is_named(repo, monkeypatch):
    (repo / "config.yaml").write_text("keywords: [Reasoning]\nstore: history\nsite: null\n")
    workflow(repo, HAND_WRITTEN)
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1
    (line,) = out.splitlines()
    assert line.startswith("error: .github/workflows/daily.yml: the step 'Commit and push what changed'")
    assert "does not commit history (store): " in line and "`paths` output" in line


def test_a_moved_digest_is_missed_by_the_issue_step(repo, monkeypatch):
    (repo / "config.yaml").write_text("keywords: [Reasoning]\ndigest: {path: digest.md}\nsite: null\n")
    workflow(repo, HAND_WRITTEN.replace("README.md data", "README.md digest.md data"))
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1
    (line,) = out.splitlines()
    assert "'Open the digest issue'" in line and "digest.md (digest.path)" in line


def test_missing_permissions_are_named_with_the_step_that_needs_them(repo, monkeypatch):
    workflow(repo, HAND_WRITTEN.replace("  issues: write\n", ""))
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1
    assert out.splitlines() == [
        "error: .github/workflows/daily.yml: job 'update' needs `issues: write` for gh issue and gh label "
        "(step 'Open the digest issue'): add it to its permissions"]


def test_undeclared_permissions_are_the_repositorys_default_and_may_be_read_only(repo, monkeypatch):
    workflow(repo, HAND_WRITTEN.replace("permissions:\n  contents: write\n  issues: write\n", ""))
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1 and "declares no permissions" in out and "contents: write" in out


def test_a_job_may_narrow_the_workflows_permissions(repo, monkeypatch):
    workflow(repo, HAND_WRITTEN.replace("    runs-on: ubuntu-latest\n",
                                        "    runs-on: ubuntu-latest\n    permissions: {contents: read}\n"))
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1
    assert "needs `contents: write` for its push" in out and "needs `issues: write`" in out


def test_no_schedule_no_token_no_push(repo, monkeypatch):
    text = (HAND_WRITTEN.replace('  schedule:\n    - cron: "30 6 * * 1-5"\n', "")
            .replace("      GH_TOKEN: ${{ github.token }}\n", "").replace(" && git push", ""))
    workflow(repo, text)
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1
    problems = out.splitlines()
    assert len(problems) == 3
    assert "has no schedule" in problems[0]
    assert "no step pushes a commit" in problems[1]
    assert "runs gh without GH_TOKEN" in problems[2]


def test_no_workflow_that_runs_the_tool(repo, monkeypatch):
    workflow(repo, "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
             name="ci.yml")
    status, out, _ = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1 and "no workflow runs daily-papers update" in out


@pytest.mark.parametrize("text", ["on: [push\n", "jobs:\n  a: 1\n  a: 2\n", "- a list\n", "\xff"])
def test_a_workflow_that_cannot_be_read_is_an_error_not_a_traceback(repo, monkeypatch, text):
    workflow(repo, HAND_WRITTEN)
    folder = repo / ".github" / "workflows"
    (folder / "other.yml").write_bytes(text.encode("latin-1"))
    status, out, err = doctor(monkeypatch, repo / "config.yaml")
    assert "Traceback" not in err
    if text == "- a list\n":  # valid YAML, just not a workflow of the tool's
        assert (status, out) == (0, "")
    else:
        assert status == 1 and out.startswith("error: .github/workflows/other.yml: cannot be read")


@pytest.mark.parametrize("text", [
    "on: 3\njobs: [1, 2]\n",
    "on: {schedule: 5}\npermissions: 7\nenv: x\njobs:\n  a: 3\n  b: {steps: x}\n  c:\n    env: 1\n    steps:\n"
    "      - 4\n      - {run: 5, env: y}\n      - {uses: ./, env: [1]}\n      - {run: git push && gh issue create, env: z}\n",
])
def test_a_workflow_of_odd_shapes_gets_a_diagnosis_not_a_traceback(repo, monkeypatch, text):
    workflow(repo, text)
    status, out, err = doctor(monkeypatch, repo / "config.yaml")
    assert status == 1 and "Traceback" not in err and out.startswith("error: ")


def test_a_site_without_a_pages_deployment_breaks_and_the_init_workflow_has_one(tmp_path, monkeypatch):
    """The site is on by default; a config that has one needs both Pages actions."""
    from daily_papers.config import load_config
    from daily_papers.doctor import diagnose

    assert run_cli(monkeypatch, "init", str(tmp_path))[0] == 0
    (tmp_path / ".git").mkdir()
    with_site = load_config(tmp_path / "config.yaml", environ={})
    assert with_site.site is not None
    assert diagnose(with_site) == []
    workflow(tmp_path, HAND_WRITTEN)
    messages = [p.message for p in diagnose(with_site)]
    assert [m.split(":")[0] for m in messages] == ["the config has a site but no step uses actions/upload-pages-artifact",
                                                   "the config has a site but no step uses actions/deploy-pages"]
    workflow(tmp_path, HAND_WRITTEN.replace("feeds .github", "feeds site .github"))
    (warning,) = [p for p in diagnose(with_site) if not p.breaks]
    assert "commits the site folder site" in warning.message and str(warning).startswith("warning: ")
