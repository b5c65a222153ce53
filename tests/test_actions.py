"""`daily-papers update` inside GitHub Actions: step outputs, job summary, log groups and
annotations, over real HTTP against the arXiv stand-in."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import FAST_ARXIV
from gfm import tables
from standin import Entry, Fault, papers

from daily_papers import actions
from daily_papers.config import Keyword
from daily_papers.outputs.digest import BODY_LIMIT
from daily_papers.report import KeywordReport, RunReport

KEYWORDS = [f"Topic {n:02d}" for n in range(1, 41)]


def query(name: str) -> str:
    return f'ti:"{name}" OR abs:"{name}"'


def actions_env(root: Path) -> dict[str, str]:
    """What the runner gives a step: fresh output and summary files."""
    outputs, summary = root / "github_output", root / "step_summary"
    outputs.write_text("")
    summary.write_text("")
    return {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "someone/papers",
            "GITHUB_WORKSPACE": str(root)}


def read_outputs(path: str) -> dict[str, str]:
    """Parse GITHUB_OUTPUT the way the runner does (both forms)."""
    values: dict[str, str] = {}
    lines = iter(Path(path).read_text().split("\n"))
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def forty_keywords(project, standin) -> None:
    listed = "".join(f"  - {name}\n" for name in KEYWORDS)
    project.write_config("keywords:\n" + listed + "max_papers: 30\n" + FAST_ARXIV)
    for n, name in enumerate(KEYWORDS, start=1):
        entries = papers(f"{2400 + n}", 30, comment="12 pages, 5 figures, accepted at a conference")
        for entry in entries:  # titles as long as real ones, so the digest has to shrink
            entry.title = f"{entry.title}: {'a study of ' * 8}{name}"
        standin.add(query(name), entries)


def test_forty_keywords_a_baseline_then_exactly_the_new_papers(project, standin):
    forty_keywords(project, standin)
    env = actions_env(project.root.parent)
    first = project.run("update", env=env)
    assert first.status == 0, first.err
    outputs = read_outputs(env["GITHUB_OUTPUT"])
    # the first answer of each keyword is its baseline: none of it is announced
    assert outputs == {"new_papers": "0", "digest_title": "Latest 0 Papers - May 27, 2025",
                       "paths": "README.md\ndata\npapers\nfeeds\n.github/digest.md", "site": "site",
                       "digest_label": "", "close_previous": "false"}
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    (table,) = tables(summary)
    assert table.headers == ["Keyword", "Fetched", "New", "Updated", "Kept", "Failed"]
    assert [[c.text for c in row] for row in table.rows] == [[name, "30", "0", "0", "30", "no"] for name in KEYWORDS]
    assert "No new papers: a first answer: it is each keyword's starting point" in summary

    # three papers no keyword had: two for Topic 05, one found by Topic 05 and Topic 07;
    # and a newer version of a paper Topic 09 had
    base = papers("2410", 30)[0].updated
    fresh = [Entry(f"2601.0000{n}v1", f"fresh paper {n}", updated=base + timedelta(hours=n)) for n in (1, 2, 3)]
    standin.add(query("Topic 05"), [*fresh, *papers("2405", 30)][:30])
    standin.add(query("Topic 07"), [fresh[2], *papers("2407", 30)][:30])
    topic9 = papers("2409", 30)
    topic9[4] = Entry(topic9[4].arxiv_id.replace("v1", "v3"), "revised title", updated=base + timedelta(hours=9))
    standin.add(query("Topic 09"), topic9)
    env = actions_env(project.root.parent)
    second = project.run("update", env=env)
    assert second.status == 0, second.err
    outputs = read_outputs(env["GITHUB_OUTPUT"])
    assert (outputs["new_papers"], outputs["digest_title"]) == ("3", "Latest 3 Papers - May 27, 2025")
    digest = (project.root / ".github" / "digest.md").read_text()
    assert len(digest.encode("utf-8")) < BODY_LIMIT
    assert digest.startswith("3 new papers in the update of 2025-05-27.")
    new, updated = tables(digest)
    assert [(r[0].text, r[3].text) for r in new.rows] == [
        ("fresh paper 3", "Topic 05, Topic 07"), ("fresh paper 2", "Topic 05"), ("fresh paper 1", "Topic 05")]
    assert [(r[0].text, r[3].text) for r in updated.rows] == [("revised title", "updated: v3; Topic 09")]
    assert "https://github.com/someone/papers/blob/HEAD/README.md" in digest

    env = actions_env(project.root.parent)
    third = project.run("update", env=env)
    assert third.status == 0, third.err
    assert read_outputs(env["GITHUB_OUTPUT"])["new_papers"] == "0"
    assert tables((project.root / ".github" / "digest.md").read_text()) == []


def test_a_failed_keyword_is_an_error_annotation_and_a_summary_row(project, standin):
    project.write_config("keywords:\n  - Reward Model\n  - Reasoning\n  - Nothing Here\n" + FAST_ARXIV)
    standin.add(query("Reward Model"), papers("2505", 3))
    standin.add(query("Reasoning"), papers("2504", 2))
    standin.fail(Fault("400", message="incorrect id format for 50% | <b>"), query=query("Reasoning"))
    env = actions_env(project.root.parent)
    result = project.run("update", env=env)
    assert result.status == 1
    assert read_outputs(env["GITHUB_OUTPUT"])["new_papers"] == "0"

    lines = result.err.splitlines()
    groups = [line for line in lines if line.startswith("::group::")]
    assert groups == ["::group::Reward Model", "::group::Reasoning", "::group::Nothing Here"]
    for name in ("Reward Model", "Reasoning", "Nothing Here"):
        start = lines.index(f"::group::{name}")
        end = lines.index("::endgroup::", start)
        assert any(line.startswith(f"{name}: ") for line in lines[start + 1 : end]), lines
    (error,) = [line for line in lines if line.startswith("::error")]
    assert error.startswith("::error title=daily-papers%3A Reasoning::Reasoning: not updated, 0 stored papers kept:")
    assert "50%25" in error and "50% " not in error
    (warning,) = [line for line in lines if line.startswith("::warning")]
    assert warning.startswith("::warning title=daily-papers%3A Nothing Here::Nothing Here: arXiv has no papers")

    rows = tables(Path(env["GITHUB_STEP_SUMMARY"]).read_text())[0].rows
    failed = rows[1]
    assert [c.text for c in failed[:5]] == ["Reasoning", "0", "0", "0", "0"]
    assert failed[5].text.startswith("yes: ") and "incorrect id format for 50% | <b>" in failed[5].text
    assert [c.text for c in rows[0]] == ["Reward Model", "3", "0", "0", "3", "no"]


def test_outside_actions_nothing_is_written_for_the_runner(project, standin):
    project.write_config("keywords:\n  - Reward Model\n" + FAST_ARXIV)
    standin.add(query("Reward Model"), papers("2505", 3))
    env = actions_env(project.root.parent)
    env["GITHUB_ACTIONS"] = "false"
    result = project.run("update", env=env)
    assert result.status == 0
    assert Path(env["GITHUB_OUTPUT"]).read_text() == ""
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text() == ""
    assert "::" not in result.err


def test_a_bad_config_writes_no_outputs(project, standin):
    project.write_config("keywords: []\n")
    env = actions_env(project.root.parent)
    assert project.run("update", env=env).status == 2
    assert Path(env["GITHUB_OUTPUT"]).read_text() == ""


def test_workflow_command_escaping():
    assert actions.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert actions.escape_property("a: b, c%") == "a%3A b%2C c%25"
    assert actions.command("endgroup") == "::endgroup::"
    assert actions.command("error", "line 1\nline 2", title="x: y") == "::error title=x%3A y::line 1%0Aline 2"


def test_an_annotation_is_always_one_line():
    stream = io.StringIO()
    observer = actions.ActionsObserver(stream)
    keyword = Keyword("Odd\nName", ("Odd",), ("title",))
    observer.keyword_started(keyword)
    observer.keyword_finished(KeywordReport(keyword, "q", kept=4, error="HTTP 503\n::endgroup::\r%"))
    assert stream.getvalue().splitlines() == [
        "::group::Odd%0AName",
        "::endgroup::",
        "::error title=daily-papers%3A Odd%0AName::Odd%0AName: not updated, 4 stored papers kept: "
        "HTTP 503%0A::endgroup::%0D%25",
    ]


def test_output_lines_use_a_delimiter_for_multi_line_values(tmp_path):
    values = {"one": "1", "many": "a\nb=c\nmany<<x", "two": "x=y"}
    text = actions.output_lines(values)
    assert text.startswith("one=1\nmany<<ghadelimiter_")
    delimiter = re.search(r"many<<(\S+)\n", text)[1]
    assert text.count(delimiter) == 2
    (tmp_path / "out").write_text(text)
    assert read_outputs(str(tmp_path / "out")) == values


def test_summary_escapes_what_arxiv_and_the_config_say():
    keyword = Keyword("A | B *bold*", ("A",), ("title",))
    report = RunReport([KeywordReport(keyword, "q", fetched=2, new=1, kept=2),
                        KeywordReport(keyword, "q", kept=5, error="<script>x</script> | [link](http://e.org)")])
    (table,) = tables(actions.render_summary(report, "2025-05-27"))
    assert [[c.text for c in row] for row in table.rows] == [
        ["A | B *bold*", "2", "1", "0", "2", "no"],
        ["A | B *bold*", "0", "0", "0", "5", "yes: <script>x</script> | [link](http://e.org)"],
    ]
    assert all(not c.links and "script" not in c.tags for row in table.rows for c in row)


def test_the_summary_says_why_nothing_is_new():
    keyword = Keyword("A", ("A",), ("title",))
    answered = RunReport([KeywordReport(keyword, "q", fetched=2, kept=2)])
    failed = RunReport([KeywordReport(keyword, "q", kept=2, error="HTTP 503")])
    saturday_morning = datetime(2025, 5, 31, 6, 30, tzinfo=timezone.utc)  # after a Friday: no announcement
    tuesday_morning = datetime(2025, 5, 27, 6, 30, tzinfo=timezone.utc)  # after Monday's announcement
    assert actions.why_nothing_new(answered, saturday_morning).startswith("weekend:")
    assert actions.why_nothing_new(answered, tuesday_morning).startswith("arXiv answered, nothing new")
    assert actions.why_nothing_new(failed, tuesday_morning).startswith("arXiv did not answer")
    assert actions.why_nothing_new(RunReport([KeywordReport(keyword, "q", new=1, new_ids=frozenset({"x"}))]),
                                   tuesday_morning) is None
