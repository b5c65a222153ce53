"""The CPU rows of the benchmark: what a second-day ``update`` of 20 keywords x 100 papers
costs in CPU time, per keyword, the render it ends with taken out.

    python benchmarks/cpu.py           # 20 keywords x 100 papers, both shapes, 5 pairs each: about 30 s
    python benchmarks/cpu.py --quick   # 3 keywords x 5 papers, 1 pair (no target is judged)

Answers come in two shapes: short (the stand-in's own entries: a one-line abstract, two
authors, two categories), against which the target is judged, and real-length (the
papers of ``benchmarks/corpus.py``: abstracts near arXiv's limit, 2 to 12 authors), which
is reported beside it. For each, a scratch project of 20 keywords is filled by a first
update against the arXiv stand-in (``tests/standin.py``); then, a day later, each
keyword's answer is its 100 newest papers, 5 of them new. That second day is run again
and again from a copy of the first day's project, each time followed by a ``render`` of
the store it left, on the same day, with the render manifest removed so that the render
draws every output, as the update's own render did (every keyword has new papers): the
two alternate, so that a slow moment of the machine slows both. The CPU time of a
process (user + system, from ``os.wait4``, so the child alone) is what is measured;
``delay_seconds`` is 0 against 127.0.0.1 (the minimum is only enforced against arXiv's own
hosts), so waiting costs nothing anyway.

The rows: the update's CPU minus the same-day full render's, per keyword (the median of the
pairs' differences, divided by the keywords), with the target; and the update's whole
process per keyword (start-up, store, both renders and all).

``measure_cpu(plan, report)`` takes the ``Plan`` and ``Report`` of ``run.py``.
"""

from __future__ import annotations

import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]  # this checkout's package, not another

import corpus
import run as bench
import standin
from standin import ArxivStandin

from daily_papers.config import Config
from daily_papers.outputs.manifest import MANIFEST_NAME
from daily_papers.sources.query import build_query

log = logging.getLogger("benchmark")

KEYWORDS = 20
PAIRS = 5
TARGET_MS = 20.0
"""CPU milliseconds per keyword a second-day update of short answers may spend beyond its
render. Real-length answers are reported beside it, without a target."""
SHAPES = ("short", "real-length")


def cpu_seconds(command: str, config: Path, env: dict[str, str]) -> float:
    """``python -m daily_papers <command>``: the CPU time (user + system) of that process alone."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([sys.executable, "-m", "daily_papers", command, "-q", "-c", str(config)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{command} failed:\n{errors.read().decode('utf-8', 'replace')}")
    return usage.ru_utime + usage.ru_stime


def serve_short(arxiv: ArxivStandin, config: Config, papers: int, new: int = 0) -> None:
    """Each keyword's answer in the stand-in's own short shape (a one-line abstract, two
    authors, two categories), ``new`` papers newer than the first day's on top."""
    for index, keyword in enumerate(config.keywords):
        newest = corpus.NEWEST + timedelta(hours=new)
        arxiv.add(build_query(keyword), standin.papers(f"25{index % 12 + 1:02d}.{index:02d}", papers + new,
                                                       newest=newest))


def measure_shape(plan: bench.Plan, report: bench.Report, shape: str, judged: bool) -> None:
    """Pairs of (second-day update, same-day full render) from one first-day project whose
    answers have ``shape``: "short" or "real-length"."""
    keywords, pairs = (KEYWORDS, PAIRS) if judged else (plan.update_keywords, 1)
    with bench.scratch() as root, ArxivStandin() as arxiv:
        day1 = root / "day1"
        day1.mkdir()
        config = bench.write_config(day1, keywords, 0, arxiv.url)

        def serve(new: int) -> None:
            if shape == "short":
                serve_short(arxiv, config, plan.papers, new)
            else:
                bench.serve(arxiv, config, plan.papers, dict.fromkeys(range(keywords), new) if new else None)

        serve(0)
        log.info("cpu: the first day, %d keywords × %d %s papers", keywords, plan.papers, shape)
        bench.checked(bench.run_cli("update", config.path, bench.cli_env(arxiv.url)), "update")
        serve(plan.new_papers)
        env = bench.cli_env(arxiv.url, bench.EPOCH + bench.DAY)
        updates, renders = [], []
        for n in range(pairs):
            project = root / f"day2-{n}"
            shutil.copytree(day1, project)
            log.info("cpu: the second day, pair %d of %d", n + 1, pairs)
            updates.append(cpu_seconds("update", project / "config.yaml", env))
            (project / "data" / MANIFEST_NAME).unlink()  # a render of everything, as the update's was
            renders.append(cpu_seconds("render", project / "config.yaml", env))
            shutil.rmtree(project)
    beyond = statistics.median(u - r for u, r in zip(updates, renders)) / keywords * 1000
    whole = statistics.median(updates) / keywords * 1000
    render = statistics.median(renders) / keywords * 1000
    size = f"{keywords} keywords × {plan.papers} {shape} papers, {plan.new_papers} new each"
    target = judged and shape == "short"
    report.add(f"update, second day, {size}: CPU per keyword beyond its render (update's CPU − the same day's "
               f"full render's, median of {pairs} pairs, ÷ {keywords})",
               f"{beyond:.1f} ms", f"≤ {TARGET_MS:g} ms" if target else "", beyond <= TARGET_MS if target else None)
    report.add(f"update, second day, {size}: whole-process CPU per keyword (user + system, median, ÷ {keywords})",
               f"{whole:.1f} ms (the full render alone: {render:.1f} ms)")


def measure_cpu(plan: bench.Plan, report: bench.Report) -> None:
    """The CPU rows, for answers of both shapes."""
    # Compared by size, not identity: run.py's own Plan class, when it is the main module,
    # is another class than the one this module imported.
    judged = plan.papers == bench.FULL.papers and plan.worst_pairs == bench.FULL.worst_pairs
    for shape in SHAPES:
        measure_shape(plan, report, shape, judged)


def main(argv: Sequence[str] | None = None) -> int:
    return bench.run_alone(measure_cpu, "cpu.py", "tiny sizes (no target judged)", argv)


if __name__ == "__main__":
    sys.exit(main())
