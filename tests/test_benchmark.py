"""The benchmark keeps working: its quick mode runs every measure on tiny sizes. Only
counts, spacing and which files change are checked here, never a wall time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def rows(table: str) -> dict[str, tuple[str, str, str]]:
    """The table's rows by measure: (result, target, verdict)."""
    found = {}
    for line in table.splitlines()[2:]:
        if line.startswith("| ") and not line.startswith(("| Measure ", "| --- ")):
            measure, result, target, verdict = (cell.strip() for cell in line.strip("|").split("|"))
            found[measure] = (result, target, verdict)
    return found


def row(table: dict[str, tuple[str, str, str]], start: str) -> tuple[str, str, str]:
    (match,) = [value for measure, value in table.items() if measure.startswith(start)]
    return match


def test_the_quick_benchmark_measures_update_render_and_churn(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Machine: ") and "cores" in lines[0] and "Python 3." in lines[0]
    assert lines[1].startswith("Command: `python benchmarks/run.py --quick`")
    table = rows(result.stdout)

    assert row(table, "update: requests per run") == ("3, 3", "3 (one per keyword)", "pass")
    gap, target, verdict = row(table, "update: shortest start-to-start gap")
    assert float(gap.removesuffix(" s")) >= 0.05 and target == "≥ 0.05 s (delay_seconds)" and verdict == "pass"
    assert len([m for m in table if m.startswith("update, 3 keywords")]) == 2
    assert all(row(table, m)[2] == "" for m in table if "wall time" in m or "whole process" in m)  # not judged

    loaded, _, verdict = row(table, "render: modules of the HTTP and XML stacks")
    assert loaded.startswith("none (") and verdict == "pass"
    assert row(table, "render, 2 keywords × 5 papers")[0].endswith("s)")

    files, _, verdict = row(table, "files changed by an update adding 5 papers to 'Reasoning'")
    assert files.split(", ") == [".github/digest.md", "README.md", "data/_render.json", "data/diffusion-models.json",
                                 "data/reasoning.json", "data/reward-model.json", "feeds/all.atom",
                                 "feeds/reasoning.xml"]
    assert verdict == "pass"
    assert row(table, "other keywords' store files")[2] == "pass"  # arXiv answered for them: a date, no more
    readme, _, verdict = row(table, "README lines changed")
    assert readme.endswith(": section 'Reasoning', the date line") and verdict == "pass"
    assert row(table, "store churn")[0].startswith("+")
    worst = {m: value for m, value in table.items() if m.startswith(("render a", "render many", "import a",
                                                                      "import repeated"))}
    assert len(worst) == 9
    assert all(" × plain text (" in result and verdict == "" for result, _, verdict in worst.values())
    assert "import a cv-arxiv-daily row of title candidates (0.02 MB), median of 1 pairs" in worst
    assert "FAIL" not in result.stdout
