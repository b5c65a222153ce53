"""A whole update on arXiv's bad days: faults are retried, a keyword that still fails
keeps what it had, the others are updated, and the exit status says what happened."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone

import pytest
from conftest import EPOCH_2025_05_27
from gfm import tables
from standin import ArxivStandin, Fault, papers

from daily_papers.config import load_config
from daily_papers.outputs.render import render_outputs, write_outputs
from daily_papers.sources import ArxivClient
from daily_papers.store import load_stores
from daily_papers.update import run_update

NAMES = ["Reward Model", "Reasoning", "Agents"]
PREFIXES = ["2505", "2504", "2503"]


def query(name: str) -> str:
    return f'ti:"{name}" OR abs:"{name}"'


def serve(standin, count: int = 5, prefixes: list[str] = PREFIXES) -> None:
    for name, prefix in zip(NAMES, prefixes):
        standin.add(query(name), papers(prefix, count))


def config_text(retries: int = 3, extra: str = "") -> str:
    return (
        "keywords: [Reward Model, Reasoning, Agents]\n"
        "arxiv:\n"
        "  delay_seconds: 0.01\n"
        f"  retries: {retries}\n"
        "  backoff_seconds: 0.01\n"
        "  timeout_seconds: 0.3\n"
        "  max_retry_after_seconds: 0.05\n" + extra
    )


def titles_by_section(readme: str) -> dict[str, list[str]]:
    sections = [part.split("\n", 1)[0] for part in readme.split("\n## ")[1:]]
    return {name: [row[0].text for row in table.rows] for name, table in zip(sections, tables(readme))}


def test_a_run_through_every_fault_gets_every_paper_and_waits_as_asked(tmp_path):
    """429 with Retry-After: 2, 503, a reset, a cut body and a hung answer: the waits are
    recorded on a fake clock; the HTTP and the 0.2 s timeout are real."""
    now = [1000.0]
    waits: list[tuple[int, float]] = []
    with ArxivStandin(clock=lambda: now[0], hang_seconds=5) as standin:

        def sleep(seconds: float) -> None:
            waits.append((len(standin.requests), seconds))
            now[0] += seconds

        serve(standin, count=20)
        standin.fail(Fault("429", retry_after="2"), Fault("503"), query=query("Reward Model"))
        standin.fail(Fault("reset"), Fault("truncate"), query=query("Reasoning"))
        standin.fail(Fault("hang"), query=query("Agents"))
        path = tmp_path / "config.yaml"
        path.write_text("keywords: [Reward Model, Reasoning, Agents]\narxiv:\n  delay_seconds: 1\n"
                        "  retries: 2\n  backoff_seconds: 5\n  timeout_seconds: 0.2\n")
        config = load_config(path, {"DAILY_PAPERS_ARXIV_URL": standin.url})
        stores = load_stores(config.store, [k.slug for k in config.keywords])
        client = ArxivClient(config.arxiv, clock=lambda: now[0], sleep=sleep, rng=random.Random(1))
        report = run_update(config, stores, client, datetime(2025, 5, 27, tzinfo=timezone.utc),
                            clock=lambda: now[0])
        write_outputs(render_outputs(config, stores))

        assert report.failed == []
        assert [k.requests for k in report.keywords] == [3, 3, 2]
        after_429 = sum(seconds for seen, seconds in waits if seen == 1)
        assert after_429 >= 2
        starts = [r.started for r in standin.requests]
        assert all(b - a >= 1 for a, b in zip(starts, starts[1:]))
    for name, prefix in zip(NAMES, PREFIXES):
        slug = name.lower().replace(" ", "-")
        stored = json.loads((tmp_path / "data" / f"{slug}.json").read_text())["papers"]
        assert len(stored) == 20
        assert titles_by_section(config.readme.read_text())[name] == [f"{prefix} paper {n}" for n in range(20, 0, -1)]


def test_the_command_line_rides_out_the_same_faults_and_exits_0(project, standin):
    standin.hang_seconds = 5
    serve(standin)
    standin.fail(Fault("429", retry_after="2"), Fault("503"), Fault("reset"), Fault("truncate"), Fault("hang"))
    project.write_config(config_text(retries=5))
    result = project.run("update")
    assert result.status == 0, result.err
    assert len(standin.requests) == 8
    sections = titles_by_section(project.readme.read_text())
    assert all(len(sections[name]) == 5 for name in NAMES)
    assert "arXiv asked to wait 2 s (Retry-After); waiting 0.05 s" in result.err
    for reason in ("HTTP 429", "HTTP 503", "connection failed", "cut short", "no answer within 0.3 s"):
        assert reason in result.err


@pytest.fixture
def updated(project, standin):
    """A project whose first update stored 3 papers per keyword; arXiv now has 2 more each."""
    serve(standin, count=3)
    project.write_config(config_text(retries=3))
    assert project.run("update").status == 0
    serve(standin, count=5)
    standin.requests.clear()
    return project


def test_a_keyword_that_keeps_failing_keeps_its_rows_and_the_others_are_updated(updated, standin):
    standin.fail(*[Fault("503")] * 50, query=query("Reasoning"))
    before = (updated.root / "data/reasoning.json").read_bytes()
    result = updated.run("update")
    assert result.status == 1
    assert len(standin.requests_for(query("Reasoning"))) == 4  # retries + 1
    sections = titles_by_section(updated.readme.read_text())
    assert sections["Reasoning"] == ["2504 paper 3", "2504 paper 2", "2504 paper 1"]
    assert len(sections["Reward Model"]) == len(sections["Agents"]) == 5
    assert (updated.root / "data/reasoning.json").read_bytes() == before
    assert "1 of 3 keywords could not be fetched" in result.err
    assert "  Reasoning: gave up after 4 tries; last: HTTP 503" in result.err


def test_an_empty_answer_for_a_keyword_that_had_papers_keeps_them(updated, standin):
    standin.fail(*[Fault("empty")] * 4, query=query("Agents"))
    result = updated.run("update")
    assert result.status == 1
    assert len(standin.requests_for(query("Agents"))) == 4
    assert titles_by_section(updated.readme.read_text())["Agents"] == ["2503 paper 3", "2503 paper 2", "2503 paper 1"]
    assert "Agents: gave up after 4 tries; last: empty page for a keyword that had papers" in result.err


def test_a_passing_empty_answer_is_retried_and_forgotten(updated, standin):
    standin.fail(Fault("empty"), query=query("Agents"))
    result = updated.run("update")
    assert result.status == 0, result.err
    assert len(titles_by_section(updated.readme.read_text())["Agents"]) == 5


def test_an_http_400_is_asked_once_and_shows_arxivs_message_and_the_keyword(updated, standin):
    standin.fail(Fault("400", message="incorrect id format for abc"), query=query("Reward Model"))
    result = updated.run("update")
    assert result.status == 1
    assert len(standin.requests_for(query("Reward Model"))) == 1
    assert "Reward Model: arXiv refused the query (HTTP 400): incorrect id format for abc" in result.err
    assert query("Reward Model") in result.err
    sections = titles_by_section(updated.readme.read_text())
    assert len(sections["Reward Model"]) == 3 and len(sections["Reasoning"]) == 5


def test_a_keyword_new_to_the_store_may_well_have_no_papers(project, standin):
    project.write_config(config_text())
    result = project.run("update", env={"SOURCE_DATE_EPOCH": EPOCH_2025_05_27})
    assert result.status == 0, result.err
    assert len(standin.requests) == 3
    assert project.readme.read_text().count("No papers yet") == 3


def test_a_servers_words_never_become_a_workflow_command(updated, standin):
    """GitHub's runner ends a line at a bare CR: ``\\r::warning::`` from a server would be an annotation."""
    standin.fail(Fault("reason", status=404, message="Nope\r::warning::pwned\x1b[2J"), query=query("Reasoning"))
    standin.fail(Fault("status_line", message="HTTP/1.1 x\r::error::pwned"), query=query("Agents"))
    result = updated.run("update")
    assert result.status == 1
    assert "Reasoning: arXiv refused the query (HTTP 404): Nope\\x0d::warning::pwned\\x1b[2J" in result.err
    assert "connection failed: HTTP/1.1 x\\x0d::error::pwned" in result.err
    lines = re.split(r"\r\n|\r|\n", result.err)
    assert not [line for line in lines if line.startswith("::")] and "\x1b" not in result.err


def test_an_arxiv_that_answers_everything_empty_is_an_outage(updated, standin):
    standin.always = Fault("empty")
    before = {name: (updated.root / "data" / f"{name}.json").read_bytes() for name in ("reward-model", "agents")}
    result = updated.run("update")
    assert result.status == 1
    assert [len(standin.requests_for(query(name))) for name in NAMES] == [4, 1, 1]  # not 4 each
    assert "3 of 3 keywords could not be fetched" in result.err
    assert all((updated.root / "data" / f"{name}.json").read_bytes() == data for name, data in before.items())
