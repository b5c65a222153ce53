"""The feed-mode benchmark row keeps working (quick mode; no wall time is judged)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_benchmark import row, rows

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "feed.py"


def test_the_quick_feed_row_counts_one_feed_request_and_one_lookup(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    table = rows(result.stdout)
    assert row(table, "feed row: 50 keywords over 8 categories, 40 new matches, source: feed: requests") == (
        "1 feed + 1 lookup + 0 searches", "1 feed + 1 lookup", "pass")
    assert row(table, "feed row: 50 keywords over 8 categories, 40 new matches, source: api: requests")[0] == \
        "0 feed + 0 lookup + 50 searches"
    for source in ("feed", "api"):
        new, _, verdict = row(table, f"feed row, source: {source}: new papers")
        assert new.startswith("40 new (exactly the matching ones)") and verdict == "pass"
        assert row(table, f"feed row, source: {source}: wall time")[2] == ""
    assert "FAIL" not in result.stdout
