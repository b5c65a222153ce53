"""The GitHub workflows and the Action: valid by GitHub's schemas and actionlint's rules,
least privilege, and their shell steps run here against real git repositories and a
stand-in for gh."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import EPOCH_2025_05_27, FAST_ARXIV
from standin import papers
from workflowkit import actionlint, load, run_cli, schema_check

REPOSITORY = Path(__file__).parent.parent
WORKFLOWS = REPOSITORY / ".github" / "workflows"
DAILY = WORKFLOWS / "daily.yml"
CI = WORKFLOWS / "ci.yml"
ACTION = REPOSITORY / "action.yml"
OUTPUTS = {"status", "new_papers", "digest_title", "paths", "site", "digest_label", "close_previous"}


def job(name: str = "update", path: Path = DAILY) -> dict[str, Any]:
    return load(path)["jobs"][name]


def steps(path: Path = DAILY) -> list[dict[str, Any]]:
    """The steps of the update job (daily.yml) or of the only job (ci.yml)."""
    jobs = load(path)["jobs"]
    return (jobs["update"] if "update" in jobs else next(iter(jobs.values())))["steps"]


def step(**match: str) -> dict[str, Any]:
    (found,) = [s for s in steps() if all(s.get(k) == v for k, v in match.items())]
    return found


def action_step(step_id: str) -> dict[str, Any]:
    (found,) = [s for s in load(ACTION)["runs"]["steps"] if s.get("id") == step_id or s.get("name") == step_id]
    return found


def test_workflows_pass_githubs_schema():
    result = schema_check("vendor.github-workflows", DAILY, CI)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_action_passes_githubs_schema():
    result = schema_check("vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(DAILY.read_text().replace("runs-on:", "runs_on:"))
    assert schema_check("vendor.github-workflows", broken).returncode == 1


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    broken = DAILY.read_text().replace('echo "Opened $url"', 'echo "${{ github.event.issue.title }}"')
    files = {"daily.yml": DAILY.read_text(), "ci.yml": CI.read_text(), "broken.yml": broken}
    return actionlint(files, tmp_path_factory.mktemp("actionlint"))


@pytest.mark.parametrize("name", ["daily.yml", "ci.yml"])
def test_workflows_pass_actionlint(linted, name):
    assert linted[name] == []


def test_actionlint_catches_an_expression_spliced_into_a_script(linted):
    assert len(linted["broken.yml"]) == 1 and "untrusted" in linted["broken.yml"][0]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_every_script_passes_shellcheck():
    scripts = [s for s in [*steps(DAILY), *load(ACTION)["runs"]["steps"]] if "run" in s]
    for s in scripts:
        result = subprocess.run(["shellcheck", "--shell=bash", "-"], input=s["run"], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, f"{s.get('name')}: {result.stdout}"


def test_daily_runs_on_arxivs_timetable_and_by_hand():
    flow = load(DAILY)
    # After arXiv's Sunday-Thursday 20:00 Eastern announcements, Monday to Friday.
    assert flow["on"]["schedule"] == [{"cron": "30 6 * * 1-5"}]
    assert "workflow_dispatch" in flow["on"]
    assert flow["concurrency"]["group"] and flow["concurrency"]["cancel-in-progress"] is False
    assert "20:00 US Eastern" in DAILY.read_text() and "Friday and Saturday" in DAILY.read_text()


def test_each_job_has_only_the_permissions_it_needs():
    flow = load(DAILY)
    assert flow["permissions"] == {}
    assert set(flow["jobs"]) == {"update", "pages"}
    update, pages = flow["jobs"]["update"], flow["jobs"]["pages"]
    assert update["permissions"] == {"contents": "write", "issues": "write"}
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert pages["needs"] == "update" and "needs.update.outputs.site != ''" in pages["if"]
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    for one in (update, pages):
        assert 0 < one["timeout-minutes"] <= 60


def test_daily_runs_the_tool_through_the_action_and_uploads_the_site_when_there_is_one():
    uses = [s.get("uses", "") for s in steps()]
    assert uses[0].startswith("actions/checkout@")
    update = step(id="update")
    assert update["uses"] == "./" and update["with"] == {"config": "config.yaml"}
    assert job()["outputs"]["site"] == "${{ steps.update.outputs.site }}"
    upload = step(name="Upload the site for GitHub Pages")
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["if"] == "steps.update.outputs.site != ''"
    assert upload["with"]["path"] == "${{ steps.update.outputs.site }}"
    names = [s.get("id") or s.get("name") for s in steps()]
    check = step(name="Check that the outputs are the render of the store")
    assert check["run"] == 'daily-papers render --check --config "$CONFIG"' and check["env"]["CONFIG"] == "config.yaml"
    assert names.index("update") < names.index("commit") < names.index(check["name"])
    last = steps()[-1]
    assert last["if"] == "steps.update.outputs.status == '1'" and "exit 1" in last["run"]


def test_no_expression_inside_a_shell_script():
    """Values reach scripts through env:, so no data is ever spliced into shell code."""
    scripts = [*steps(DAILY), *steps(CI), *load(ACTION)["runs"]["steps"]]
    assert len([s for s in scripts if "run" in s]) >= 6
    for s in scripts:
        assert "${{" not in s.get("run", ""), s


def test_the_commit_step_commits_the_paths_output():
    commit = step(id="commit")
    assert commit["env"] == {"GENERATED": "${{ steps.update.outputs.paths }}",
                             "SITE": "${{ steps.update.outputs.site }}"}


def test_ci_runs_the_tests_on_push_and_pull_request_on_oldest_and_newest_python():
    flow = load(CI)
    assert set(flow["on"]) == {"push", "pull_request"}
    (only,) = flow["jobs"].values()
    versions = only["strategy"]["matrix"]["python-version"]
    assert "3.10" in versions and max(versions, key=lambda v: tuple(map(int, v.split(".")))) in ("3.13", "3.14")
    assert any(s.get("run", "").strip() == "bash .ci/run" for s in only["steps"])


# The Action.

def test_the_action_installs_its_own_checkout_and_exposes_the_clis_outputs():
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["config"]["default"] == "config.yaml" and action["inputs"]["args"]["default"] == ""
    assert set(action["outputs"]) == OUTPUTS
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.update.outputs.{name} }}}}"
    install = action_step("Install daily-papers")
    assert install["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
    assert '"$ACTION_PATH"' in install["run"]
    for scope in ("contents: write", "issues: write", "pages: write", "id-token: write"):
        assert scope in action["description"]


def fake_tool(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/usr/bin/env python3\n{textwrap.dedent(script)}")
    tool.chmod(0o755)
    return folder


@pytest.mark.parametrize("status", [0, 1, 2])
def test_the_actions_update_step_goes_on_after_a_partial_failure_only(tmp_path, status):
    bin_dir = fake_tool(tmp_path / "bin", "daily-papers", f"""
        import json, os, sys
        open(os.environ["ARGV_LOG"], "w").write(json.dumps(sys.argv[1:]))
        sys.exit({status})
    """)
    output = tmp_path / "output"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "ARGV_LOG": str(tmp_path / "argv"),
           "GITHUB_OUTPUT": str(output), "CONFIG": "my config.yaml", "ARGS": "-v  -q $(touch pwned)"}
    update = action_step("update")
    result = subprocess.run(["bash", "-c", update["run"]], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == (2 if status == 2 else 0), result.stderr
    assert output.read_text() == f"status={status}\n"
    argv = json.loads((tmp_path / "argv").read_text())
    assert argv == ["update", "--config", "my config.yaml", "-v", "-q", "$(touch", "pwned)"]
    assert not (tmp_path / "pwned").exists()


# The digest issue step, against a stand-in for gh that logs its calls.

FAKE_GH = """
    import json, os, sys
    args = sys.argv[1:]
    with open(os.environ["GH_LOG"], "a") as log:
        log.write(json.dumps(args) + "\\n")
    what = " ".join(args[:2])
    if what == os.environ.get("GH_FAIL"):
        sys.exit("gh: HTTP 502")
    if what == "label list":
        print(os.environ.get("GH_LABELS", ""))
    elif what == "issue list":
        print(os.environ.get("GH_ISSUES", ""))
    elif what == "issue create":
        print("https://github.com/someone/papers/issues/99")
"""


def run_issue_step(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    bin_dir = fake_tool(tmp_path / "bin", "gh", FAKE_GH)
    issue = step(name="Open the digest issue")
    values = {"TITLE": "Latest 3 Papers - May 27, 2025", "DIGEST": ".github/digest.md", "LABEL": "",
              "CLOSE_PREVIOUS": "false", **env}
    full = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_LOG": str(tmp_path / "log"), **values}
    result = subprocess.run(["bash", "-c", issue["run"]], env=full, cwd=tmp_path, capture_output=True, text=True,
                            timeout=30)
    log = tmp_path / "log"
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, calls


def test_the_issue_step_is_gated_on_new_papers_and_gets_every_value_through_env():
    issue = step(name="Open the digest issue")
    assert issue["if"] == "steps.update.outputs.new_papers != '' && steps.update.outputs.new_papers != '0'"
    assert issue["env"] == {
        "GH_TOKEN": "${{ github.token }}",
        "GH_REPO": "${{ github.repository }}",
        "TITLE": "${{ steps.update.outputs.digest_title }}",
        "DIGEST": ".github/digest.md",
        "LABEL": "${{ steps.update.outputs.digest_label }}",
        "CLOSE_PREVIOUS": "${{ steps.update.outputs.close_previous }}",
    }


def test_the_issue_step_passes_title_and_body_as_they_are(tmp_path):
    title = 'Latest 3 Papers - May 27, 2025 $(touch pwned) "; `x`'
    result, calls = run_issue_step(tmp_path, TITLE=title)
    assert result.returncode == 0, result.stderr
    assert calls == [["issue", "create", "--title", title, "--body-file", ".github/digest.md"]]
    assert not (tmp_path / "pwned").exists()


def test_the_issue_step_creates_a_missing_label_and_labels_the_issue(tmp_path):
    result, calls = run_issue_step(tmp_path, LABEL="papers: daily", GH_LABELS="bug\npapers")
    assert result.returncode == 0, result.stderr
    assert calls[1][:3] == ["label", "create", "papers: daily"]
    assert calls[2] == ["issue", "create", "--title", "Latest 3 Papers - May 27, 2025", "--body-file",
                        ".github/digest.md", "--label", "papers: daily"]


def test_the_issue_step_leaves_an_existing_label_alone(tmp_path):
    result, calls = run_issue_step(tmp_path, LABEL="Digest", GH_LABELS="bug\ndigest")
    assert result.returncode == 0, result.stderr
    assert [c[:2] for c in calls] == [["label", "list"], ["issue", "create"]]


def test_a_failing_label_lookup_fails_the_step(tmp_path):
    result, calls = run_issue_step(tmp_path, LABEL="digest", GH_FAIL="label list")
    assert result.returncode != 0
    assert [c[:2] for c in calls] == [["label", "list"]]


def test_the_previous_digest_is_found_by_label_and_closed_with_a_link_to_the_new_one(tmp_path):
    result, calls = run_issue_step(tmp_path, LABEL="digest", GH_LABELS="digest", CLOSE_PREVIOUS="true",
                                   GH_ISSUES="41 Anything labelled")
    assert result.returncode == 0, result.stderr
    listing = calls[1]
    assert listing[:2] == ["issue", "list"] and "--label" in listing and "open" in listing
    assert calls[2][:2] == ["issue", "create"]
    assert calls[3] == ["issue", "close", "41", "--comment",
                        "A newer digest is open: https://github.com/someone/papers/issues/99"]


def test_without_a_label_the_previous_digest_is_found_by_its_title(tmp_path):
    issues = "41 Latest 12 Papers - May 26, 2025\n40 Latest news about the build\n39 Latest 0 Papers - May 1, 2025"
    result, calls = run_issue_step(tmp_path, CLOSE_PREVIOUS="true", GH_ISSUES=issues)
    assert result.returncode == 0, result.stderr
    assert "--label" not in calls[0]
    closed = [c[2] for c in calls if c[:2] == ["issue", "close"]]
    assert closed == ["41", "39"]


def test_nothing_is_closed_unless_asked(tmp_path):
    result, calls = run_issue_step(tmp_path, LABEL="digest", GH_LABELS="digest", CLOSE_PREVIOUS="false",
                                   GH_ISSUES="41 Latest 12 Papers - May 26, 2025")
    assert result.returncode == 0, result.stderr
    assert not [c for c in calls if c[:2] in (["issue", "list"], ["issue", "close"])]


# The commit step, run as a script in a clone of a local bare repository.

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}
DEFAULT_PATHS = "README.md\ndata\npapers\nfeeds\n.github/digest.md"


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


def run_commit_step(work: Path, paths: str = DEFAULT_PATHS, site: str = "") -> subprocess.CompletedProcess[str]:
    commit = step(id="commit")
    env = {**os.environ, **GIT_ENV, "GENERATED": paths, "SITE": site, "GITHUB_REF_NAME": "main"}
    return subprocess.run(["bash", "-c", commit["run"]], cwd=work, env=env, capture_output=True, text=True,
                          timeout=60)


def origin_log(origin: Path) -> list[str]:
    return git(origin, "log", "--format=%an|%s", "main").splitlines()


def committed(origin: Path) -> list[str]:
    return sorted(git(origin, "show", "--name-only", "--format=", "main").split())


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
    (work / "data" / ".reasoning.json.x1y2.tmp").write_text("cut")
    (work / "papers").mkdir()
    (work / "papers" / "reward-model.md").write_text("all\n")
    (work / ".github").mkdir()
    (work / ".github" / "digest.md").write_text("digest\n")
    (work / "notes.txt").write_text("not generated\n")
    result = run_commit_step(work)
    assert result.returncode == 0, result.stderr
    log = origin_log(origin)
    assert len(log) == 2 and re.fullmatch(r"github-actions\[bot\]\|Update papers \d{4}-\d{2}-\d{2}", log[0])
    assert committed(origin) == [".github/digest.md", "README.md", "data/reasoning.json", "papers/reward-model.md"]
    assert git(work, "status", "--porcelain").split() == [
        "??", "data/.lock", "??", "data/.reasoning.json.x1y2.tmp", "??", "notes.txt"]


def test_commit_step_commits_exactly_the_paths_the_config_writes(origin, monkeypatch):
    """A moved store and README: the step commits them because the tool names them."""
    work = checkout(origin, "work")
    (work / "config.yaml").write_text("keywords: [Reward Model]\nstore: history\nreadme: docs/index.md\n")
    status, out, err = run_cli(monkeypatch, "paths", "-c", str(work / "config.yaml"))
    assert status == 0, err
    paths = out.splitlines()
    assert paths == ["docs/index.md", "history", "papers", "feeds", ".github/digest.md"]
    for name in ("docs/index.md", "history/reward-model.json", "papers/reward-model.md",
                 "feeds/reward-model.xml", ".github/digest.md", "site/index.html", "site/feeds/x.xml"):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(name + "\n")
    (work / "README.md").write_text("# Not written by the tool any more\n")
    result = run_commit_step(work, out, site="site")
    assert result.returncode == 0, result.stderr
    assert committed(origin) == [".github/digest.md", "docs/index.md", "feeds/reward-model.xml",
                                 "history/reward-model.json", "papers/reward-model.md"]


def step_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: ``name=value`` or ``name<<DELIMITER`` lines."""
    outputs, lines = {}, iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            outputs[name] = "\n".join(iter(lambda: next(lines), delimiter))
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def test_the_action_then_the_commit_step_commit_what_the_tool_wrote_and_it_renders_the_same(
        origin, standin, monkeypatch):
    """The Action's update step (the real CLI under GITHUB_ACTIONS), its outputs, the commit
    step and `render --check`, as the nightly run chains them."""
    work = checkout(origin, "work")
    (work / "config.yaml").write_text("keywords: [Reward Model]\nstore: history\nreadme: docs/index.md\n"
                                      "digest: {label: papers, close_previous: true}\n" + FAST_ARXIV)
    person(work)
    git(work, "commit", "--quiet", "-am", "move the store")
    standin.add('ti:"Reward Model" OR abs:"Reward Model"', papers("2505", 3))
    shim = fake_tool(work.parent / "bin", "daily-papers", f"""
        import sys
        sys.path.insert(0, {str(REPOSITORY)!r})
        from daily_papers.cli import main
        sys.exit(main())
    """)
    output = work.parent / "github_output"
    env = {**os.environ, **GIT_ENV, "PATH": f"{shim}:{os.environ['PATH']}", "GITHUB_ACTIONS": "true",
           "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(work.parent / "summary"),
           "GITHUB_REPOSITORY": "someone/papers", "DAILY_PAPERS_ARXIV_URL": standin.url,
           "SOURCE_DATE_EPOCH": EPOCH_2025_05_27, "CONFIG": "config.yaml", "ARGS": ""}
    update = subprocess.run(["bash", "-c", action_step("update")["run"]], cwd=work, env=env, capture_output=True,
                            text=True, timeout=120)
    assert update.returncode == 0, update.stderr
    outputs = step_outputs(output.read_text())
    assert outputs["status"] == "0" and outputs["new_papers"] == "0"  # the first run is a baseline
    assert outputs["paths"].splitlines() == ["docs/index.md", "history", "papers", "feeds", ".github/digest.md"]
    assert (outputs["digest_label"], outputs["close_previous"]) == ("papers", "true")
    result = run_commit_step(work, outputs["paths"], outputs["site"])
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(work).as_posix() for name in outputs["paths"].splitlines()
                     for p in [work / name, *(work / name).rglob("*")] if p.is_file() and p.name != ".lock")
    assert "history/reward-model.json" in written and "docs/index.md" in written
    assert committed(origin) == written
    untracked = git(work, "status", "--porcelain", "--untracked-files=all").split()[1::2]
    assert outputs["site"] == "site" and any(p.startswith("site/") for p in untracked)
    assert [p for p in untracked if not p.startswith("site/")] == ["history/.lock"]  # the site is never committed
    check = subprocess.run(["daily-papers", "render", "--check", "--config", "config.yaml"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_site_is_never_committed_even_inside_a_path_given(origin):
    work = checkout(origin, "work")
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("<p>site</p>\n")
    (work / "README.md").write_text("# Daily Papers\n\nnew\n")
    result = run_commit_step(work, ".", site="site")
    assert result.returncode == 0, result.stderr
    assert committed(origin) == ["README.md"]


def test_commit_step_with_no_path_present_commits_nothing(origin):
    work = checkout(origin, "work")
    result = run_commit_step(work, "history\nfeeds\n")
    assert result.returncode == 0, result.stderr
    assert "nothing to commit" in result.stdout and origin_log(origin) == ["Someone|start"]


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
