"""The repository's committed outputs are the tool's own render, in every state a fork can
be in: fresh, after its owner edited config.yaml or a template, after a nightly run.

When the config and templates are the ones the last render recorded (its manifest,
data/_render.json), the outputs are exactly what `daily-papers render` writes. When they
changed since, and the next run has not come yet, each output is still byte for byte
what the last render wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from standin import ArxivStandin, papers

from daily_papers import pipeline
from daily_papers.config import load_config
from daily_papers.environ import links_from
from daily_papers.outputs.manifest import stale_outputs

REPOSITORY = Path(__file__).resolve().parents[1]


def test_the_committed_outputs_are_a_render_of_the_store():
    config = load_config(REPOSITORY / "config.yaml", {})
    links = links_from(config, os.environ)
    changed_by_hand = stale_outputs(config, links)
    if changed_by_hand is None:
        report = pipeline.render(config, links, check=True)
        assert report.changed == [], "re-render the repository's outputs: daily-papers render, then commit them"
    else:
        assert changed_by_hand == [], "these outputs are not what the last render wrote; run daily-papers render"


# --- a fork, in each state a user can bring it to ------------------------------------


def clone(tmp_path: Path) -> Path:
    """The repository's tracked files, as a fork's checkout has them."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPOSITORY, capture_output=True, check=True).stdout
    root = tmp_path / "fork"
    for name in listed.decode().split("\0"):
        if name and (REPOSITORY / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPOSITORY / name, root / name)
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DAILY_PAPERS_"))}
    return subprocess.run([sys.executable, *args], cwd=root, env={**clean, **(env or {})}, capture_output=True,
                          text=True, timeout=120)


def the_repository_tests_pass(root: Path, env: dict[str, str] | None = None) -> None:
    result = run(root, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "tests/test_repository.py",
                 "-k", "committed_outputs", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def edit_config(root: Path, arxiv_url: str | None = None) -> None:
    """Add a keyword, as step 4 of "Run it on GitHub" says; point the fork at a stand-in."""
    text = (root / "config.yaml").read_text()
    text = text.replace("  - Reasoning\n", "  - Reasoning\n  - Diffusion Models\n", 1)
    if arxiv_url:
        text = text.replace("  delay_seconds: 3\n", f"  delay_seconds: 0.01\n  url: {arxiv_url}\n")
        assert arxiv_url in text
    assert "Diffusion Models" in text
    (root / "config.yaml").write_text(text)


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    return clone(tmp_path)


def test_a_fork_whose_owner_edited_the_config_passes(fork):
    edit_config(fork)
    the_repository_tests_pass(fork)


def test_a_fork_after_a_nightly_run_passes_in_and_out_of_actions(fork, tmp_path):
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com",
               "GITHUB_REPOSITORY": "someone/papers", "GITHUB_WORKSPACE": str(fork),
               "GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
               "SOURCE_DATE_EPOCH": "1748350800"}
    with ArxivStandin() as arxiv:
        edit_config(fork, arxiv.url)
        for name in ("Reward Model", "Reasoning", "Diffusion Models"):
            arxiv.add(f'ti:"{name}" OR abs:"{name}"', papers(name.split()[0].lower(), 3))
        result = run(fork, "-m", "daily_papers", "update", env=actions)
    assert result.returncode == 0, result.stderr
    assert "someone/papers" in (fork / ".github/digest.md").read_text()
    the_repository_tests_pass(fork, actions)
    the_repository_tests_pass(fork)


def test_a_fork_after_a_template_change_and_a_render_passes(fork):
    template = fork / "templates" / "README.md.j2"
    template.write_text(template.read_text().replace("{% block footer %}\n", "{% block footer %}\nMaintained by someone.\n"))
    the_repository_tests_pass(fork)  # changed, not yet rendered
    assert run(fork, "-m", "daily_papers", "render").returncode == 0
    assert "Maintained by someone." in (fork / "README.md").read_text()
    the_repository_tests_pass(fork)


def test_a_hand_edited_output_is_caught(fork):
    edit_config(fork)
    readme = fork / "README.md"
    readme.write_text(readme.read_text() + "\nedited by hand\n")
    result = run(fork, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "tests/test_repository.py",
                 "-k", "committed_outputs")
    assert result.returncode == 1 and "README.md" in result.stdout
