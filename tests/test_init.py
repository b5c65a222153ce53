"""``daily-papers init``: a new repository that works as written, and never over another."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from workflowkit import actionlint, load, run_cli, schema_check

from daily_papers import __version__
from daily_papers.config import load_config

REPOSITORY = Path(__file__).parent.parent
FILES = [".github/workflows/daily.yml", ".gitignore", "README.md", "config.yaml"]


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    return run_cli(monkeypatch, *args)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_writes_a_repository_that_checks_and_says_what_next(tmp_path, monkeypatch):
    target = tmp_path / "papers"
    status, out, err = run(monkeypatch, "init", str(target))
    assert status == 0, err
    assert sorted(tree(target)) == FILES
    config = load_config(target / "config.yaml", environ={})
    assert [k.name for k in config.keywords] == ["Reward Model", "Reasoning"]
    assert "# One README section per keyword" in (target / "config.yaml").read_text()
    assert "site/" in (target / ".gitignore").read_text().splitlines()
    for step in ("push", "Actions", "Settings > Pages > Source: GitHub Actions", "Watch > Custom > Issues"):
        assert step in out
    monkeypatch.chdir(target)
    assert run(monkeypatch, "check")[0] == 0


def test_the_keywords_given_fill_the_config_whatever_their_characters(tmp_path, monkeypatch):
    names = ["Graph: Neural #1", "yes", "Müller's [Theorem]", "Reasoning"]
    status, _, err = run(monkeypatch, "init", str(tmp_path), *(f"--keyword={n}" for n in names))
    assert status == 0, err
    assert [k.name for k in load_config(tmp_path / "config.yaml", environ={}).keywords] == names
    assert "  - Reasoning\n" in (tmp_path / "config.yaml").read_text()


def test_a_keyword_the_config_refuses_writes_nothing(tmp_path, monkeypatch):
    status, _, err = run(monkeypatch, "init", str(tmp_path), "--keyword", 'say "hi"')
    assert status == 2 and "double quote" in err
    assert tree(tmp_path) == {}


def test_source_feed_and_categories_give_a_feed_mode_config(tmp_path, monkeypatch):
    status, _, err = run(monkeypatch, "init", str(tmp_path), "--keyword", "Reward Model", "--source", "feed",
                         "--categories", "cs.LG,cs.CL", "--categories", "stat.ML")
    assert status == 0, err
    config = load_config(tmp_path / "config.yaml", environ={})
    assert config.source == "feed"
    assert [k.categories for k in config.keywords] == [("cs.LG", "cs.CL", "stat.ML")]


@pytest.mark.parametrize("args, said", [
    (["--source", "feed"], "--source feed needs --categories"),
    (["--source", "feed", "--categories", "cs.LLM"], "cs.LLM"),
])
def test_feed_mode_without_good_categories_writes_nothing(tmp_path, monkeypatch, args, said):
    status, _, err = run(monkeypatch, "init", str(tmp_path), *args)
    assert status == 2 and said in err and "Traceback" not in err
    assert tree(tmp_path) == {}


def test_the_workflow_runs_the_action_of_this_version_and_passes_schema_and_actionlint(tmp_path, monkeypatch):
    assert run(monkeypatch, "init", str(tmp_path))[0] == 0
    workflow = tmp_path / ".github" / "workflows" / "daily.yml"
    flow = load(workflow)
    (update,) = [s for s in flow["jobs"]["update"]["steps"] if s.get("id") == "update"]
    assert update["uses"] == f"daily-papers/daily-papers@v{__version__}"
    result = schema_check("vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    found = actionlint({"daily.yml": workflow.read_text()}, tmp_path / "lint")
    assert found == {"daily.yml": []}


def test_the_workflow_is_the_repositorys_own_but_for_the_action_it_uses(tmp_path, monkeypatch):
    """One workflow to maintain: the repository runs what init hands out, with `uses: ./`."""
    assert run(monkeypatch, "init", str(tmp_path))[0] == 0
    written = (tmp_path / ".github" / "workflows" / "daily.yml").read_text()
    own = (REPOSITORY / ".github" / "workflows" / "daily.yml").read_text()
    assert written.replace(f"uses: daily-papers/daily-papers@v{__version__}\n", "uses: ./\n") == own


def test_init_again_exits_2_and_changes_nothing(tmp_path, monkeypatch):
    assert run(monkeypatch, "init", str(tmp_path), "--keyword", "Reasoning")[0] == 0
    (tmp_path / "config.yaml").write_text("keywords: [Mine]\n")
    before = tree(tmp_path)
    status, out, err = run(monkeypatch, "init", str(tmp_path))
    assert status == 2 and out == ""
    assert tree(tmp_path) == before
    assert "config.yaml" in err and ".github/workflows/daily.yml" in err


def test_one_existing_file_is_named_and_nothing_is_written(tmp_path, monkeypatch):
    (tmp_path / ".gitignore").write_text("*.pyc\n")
    status, _, err = run(monkeypatch, "init", str(tmp_path))
    assert status == 2
    assert "already has .gitignore;" in err and "config.yaml" not in err.split(";")[0]
    assert tree(tmp_path) == {".gitignore": b"*.pyc\n"}


def test_init_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(monkeypatch, "init")[0] == 0
    assert sorted(tree(tmp_path)) == FILES
    assert yaml.safe_load((tmp_path / "config.yaml").read_text())["keywords"] == ["Reward Model", "Reasoning"]


def test_the_commented_digest_options_are_valid_when_uncommented(tmp_path, monkeypatch):
    assert run(monkeypatch, "init", str(tmp_path))[0] == 0
    path = tmp_path / "config.yaml"
    text = path.read_text()
    assert "  # label: papers\n" in text and "  # close_previous: true\n" in text
    path.write_text(text.replace("  # label: papers", "  label: papers").replace("  # close_", "  close_"))
    config = load_config(path, environ={})
    assert (config.digest.label, config.digest.close_previous) == ("papers", True)
