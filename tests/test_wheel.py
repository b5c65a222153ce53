"""The package as users get it: an sdist and a wheel built from a copy of the checkout,
installed into a fresh virtual environment outside the repository, with every template.

Built once for the module (about 20 s: the build, then pip installing the dependencies
from the machine's package index).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from standin import ArxivStandin, papers

REPOSITORY = Path(__file__).resolve().parents[1]
LEFT_OUT = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                  ".hypothesis", ".venv")


def pyproject_version() -> str:
    found = re.search(r'^version = "([^"]+)"', (REPOSITORY / "pyproject.toml").read_text(), re.M)
    assert found
    return found[1]


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS", "GITHUB_OUTPUT")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env={**clean, **(env or {})}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel (built from the sdist, so the sdist must hold everything)."""
    scratch = tmp_path_factory.mktemp("build")
    source = scratch / "source"
    shutil.copytree(REPOSITORY, source, ignore=LEFT_OUT)
    result = run(sys.executable, "-m", "build", "--outdir", scratch / "dist", source, cwd=scratch)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (wheel,) = (scratch / "dist").glob("*.whl")
    (sdist,) = (scratch / "dist").glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def venv(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel installed; returns its bin folder."""
    folder = tmp_path_factory.mktemp("venv") / "env"
    assert run(sys.executable, "-m", "venv", folder, cwd=folder.parent).returncode == 0
    result = run(folder / "bin" / "python", "-m", "pip", "install", "--quiet", built["wheel"], cwd=folder.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    return folder / "bin"


def test_wheel_and_sdist_carry_every_template(built):
    templates = {p.relative_to(REPOSITORY).as_posix()
                 for p in (REPOSITORY / "daily_papers" / "templates").rglob("*") if p.is_file()}
    assert any(t.startswith("daily_papers/templates/init/") for t in templates)
    with zipfile.ZipFile(built["wheel"]) as wheel:
        assert templates <= set(wheel.namelist())
    with tarfile.open(built["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert templates <= names
    assert built["wheel"].name == f"daily_papers-{pyproject_version()}-py3-none-any.whl"


def test_twine_check_passes_on_wheel_and_sdist(built):
    result = run(sys.executable, "-m", "twine", "check", "--strict", built["wheel"], built["sdist"], cwd=REPOSITORY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_installed_tool_inits_checks_updates_and_renders_in_an_empty_folder(venv, tmp_path):
    tool = venv / "daily-papers"
    version = run(tool, "--version", cwd=tmp_path)
    assert version.stdout == f"daily-papers {pyproject_version()}\n"
    folder = tmp_path / "mine"
    init = run(tool, "init", folder, "--keyword", "Reward Model", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert f"uses: daily-papers/daily-papers@v{pyproject_version()}" in (
        folder / ".github" / "workflows" / "daily.yml").read_text()
    check = run(tool, "check", cwd=folder)
    assert check.returncode == 0, check.stderr
    assert check.stdout == 'Reward Model: ti:"Reward Model" OR abs:"Reward Model"\n'
    with ArxivStandin() as arxiv:
        arxiv.add('ti:"Reward Model" OR abs:"Reward Model"', papers("2505", 3))
        env = {"DAILY_PAPERS_ARXIV_URL": arxiv.url, "SOURCE_DATE_EPOCH": "1748350800"}
        update = run(tool, "update", cwd=folder, env=env)
    assert update.returncode == 0, update.stderr
    readme = (folder / "README.md").read_text()
    assert "## Reward Model" in readme and readme.count("arxiv.org/abs/2505.") >= 3
    before = readme
    render = run(tool, "render", cwd=folder, env={"SOURCE_DATE_EPOCH": "1748350800"})
    assert render.returncode == 0, render.stderr
    assert (folder / "README.md").read_text() == before
