"""The sample's 40 papers, served by the stand-in, render into tables a reader cannot tell
from the sample's own: DailyArXiv's README format, kept as a fixture."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import FAST_ARXIV
from gfm import tables
from standin import Entry

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "dailyarxiv-sample.md"
ROW = re.compile(
    r"^\| \*\*\[(?P<title>.*)\]\((?P<link>\S+)\)\*\* \| (?P<date>\d{4}-\d\d-\d\d) \| "
    r"<details><summary>Show</summary><p>(?P<abstract>.*)</p></details> \| (?P<comment>.*) \|$"
)


def sample_sections() -> dict[str, list[Entry]]:
    """The sample's rows as arXiv would have sent them, in the sample's order."""
    sections: dict[str, list[Entry]] = {}
    current: list[Entry] = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:], [])
        elif match := ROW.match(line):
            comment = match["comment"]
            if folded := re.fullmatch(r"<details><summary>.*?</summary><p>(.*)</p></details>", comment):
                comment = folded[1]
            day = datetime.strptime(match["date"], "%Y-%m-%d").replace(tzinfo=timezone.utc)
            current.append(Entry(
                match["link"].rsplit("/abs/", 1)[1], match["title"], summary=match["abstract"],
                updated=day + timedelta(hours=23) - timedelta(minutes=len(current)),
                comment=comment or None, scheme="http",
            ))
    return sections


def test_the_sample_renders_the_same_for_a_reader(project, standin):
    sections = sample_sections()
    assert sum(len(v) for v in sections.values()) == 40
    for name, entries in sections.items():
        standin.add(f'ti:"{name}" OR abs:"{name}"', entries)
    project.write_config("keywords:\n" + "".join(f"  - {name}\n" for name in sections) + FAST_ARXIV)
    assert project.run("update").status == 0
    ours = tables(project.readme.read_text(encoding="utf-8"))
    theirs = tables(SAMPLE.read_text(encoding="utf-8"))
    assert len(ours) == len(theirs) == 2
    for mine, sample in zip(ours, theirs):
        assert mine.headers == sample.headers
        assert len(mine.rows) == len(sample.rows)
        for row, sample_row in zip(mine.rows, sample.rows):
            assert [c.links for c in row] == [c.links for c in sample_row]
            for cell, sample_cell in zip(row, sample_row):
                # the sample's generator did not escape, so GitHub ate the backslash of "\%"
                assert cell.text.replace("\\%", "%") == sample_cell.text
                assert cell.summary.replace("\\%", "%") == sample_cell.summary
