"""The repository's committed README, feeds and digest are the tool's own output for the
repository's config: a change to a template or the docs without a re-render fails here."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
GENERATED = ["README.md", ".github/digest.md", "feeds", "papers"]


def files_under(root: Path, names: list[str]) -> dict[str, bytes]:
    found = {}
    for name in names:
        path = root / name
        paths = sorted(path.rglob("*")) if path.is_dir() else [path] if path.exists() else []
        found.update({str(p.relative_to(root)): p.read_bytes() for p in paths if p.is_file()})
    return found


def test_the_committed_outputs_are_what_render_writes(project):
    committed = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    day = re.search(r"^Last update: (\d{4}-\d{2}-\d{2})$", committed, re.M)
    assert day, "the README has no 'Last update' line"
    noon = datetime.strptime(day[1], "%Y-%m-%d").replace(hour=12, tzinfo=timezone.utc)
    shutil.copy(REPOSITORY / "config.yaml", project.config)
    shutil.copytree(REPOSITORY / "templates", project.root / "templates")
    if (REPOSITORY / "data").exists():
        shutil.copytree(REPOSITORY / "data", project.root / "data")
    result = project.run("render", env={"SOURCE_DATE_EPOCH": str(int(noon.timestamp()))})
    assert result.status == 0, result.err
    rendered = files_under(project.root, GENERATED)
    assert rendered == files_under(REPOSITORY, GENERATED), (
        "re-render the repository's outputs: daily-papers render, then commit them")
