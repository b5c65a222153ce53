"""The command line itself: help, logging levels, paths, exit statuses."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from conftest import FAST_ARXIV
from standin import papers

from daily_papers import cli


@pytest.mark.parametrize("command", ["update", "render", "check", "import"])
def test_every_command_has_help_for_every_option(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("-c PATH, --config PATH", "-v, --verbose", "-q, --quiet"):
        assert option in out
    assert "default: ./config.yaml" in out


def test_python_dash_m_runs_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "daily_papers", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("update", "render", "check", "import"):
        assert command in result.stdout


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["fetch-everything"])
    assert exit_.value.code == 2


def test_check_prints_each_query_and_sends_nothing(project, standin):
    project.write_config("keywords:\n  - Reward Model\n  - name: Reasoning\n    categories: [cs.AI]\n" + FAST_ARXIV)
    result = project.run("check")
    assert result.status == 0
    assert result.out == (
        'Reward Model: ti:"Reward Model" OR abs:"Reward Model"\n'
        'Reasoning: (ti:"Reasoning" OR abs:"Reasoning") AND cat:cs.AI\n'
    )
    assert standin.requests == []
    assert project.files() == {"config.yaml": project.config.read_bytes()}


def test_quiet_and_verbose_change_what_is_logged(project, standin):
    standin.add('ti:"Reward Model" OR abs:"Reward Model"', papers("2505", 2))
    project.write_config("keywords: [Reward Model]\n" + FAST_ARXIV)
    normal = project.run("update")
    assert "Reward Model: fetched 2, new 0, updated 0, kept 2" in normal.err
    assert project.run("update", "-q").err == ""
    verbose = project.run("update", "-v")
    assert "GET " + standin.url in verbose.err


def test_paths_are_relative_to_the_config_folder(project, standin, tmp_path, monkeypatch):
    standin.add('ti:"Reward Model" OR abs:"Reward Model"', papers("2505", 2))
    project.write_config("keywords: [Reward Model]\nreadme: out/README.md\nstore: state\n" + FAST_ARXIV)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert project.run("update").status == 0
    assert (project.root / "out/README.md").exists() and (project.root / "state/reward-model.json").exists()
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("epoch", ["yesterday", "²", "1" * 5000, "253402300799", "-1"])
def test_source_date_epoch_must_be_a_number_of_a_year_with_a_date_everywhere(project, standin, epoch):
    project.write_config("keywords: [Reward Model]\ntimezone: Asia/Shanghai\n" + FAST_ARXIV)
    result = project.run("update", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.status == 2
    assert "SOURCE_DATE_EPOCH" in result.err and "Traceback" not in result.err and len(result.err) < 300
    assert not project.readme.exists() and standin.requests == []


def test_the_last_day_of_9998_east_of_utc_renders(project, standin):
    standin.add('ti:"Reward Model" OR abs:"Reward Model"', papers("2505", 2))
    project.write_config("keywords: [Reward Model]\ntimezone: Pacific/Kiritimati\n" + FAST_ARXIV)
    result = project.run("update", env={"SOURCE_DATE_EPOCH": "253370678400"})
    assert result.status == 0, result.err
    assert "Last update: 9998-12-31" in project.readme.read_text()


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_config_option_goes_before_or_after_the_command(project, standin, where):
    project.write_config("keywords: [Reward Model]\n" + FAST_ARXIV)
    out = io.StringIO()
    project.monkeypatch.setattr(sys, "stdout", out)
    args = ["-c", str(project.config), "check"] if where == "before" else ["check", "-c", str(project.config)]
    assert cli.main(args) == 0
    assert out.getvalue() == 'Reward Model: ti:"Reward Model" OR abs:"Reward Model"\n'


def test_the_real_arxiv_endpoint_is_never_asked_faster_than_every_3_seconds(project, monkeypatch):
    monkeypatch.delenv("DAILY_PAPERS_ARXIV_URL")
    project.write_config("keywords: [Reward Model]\narxiv:\n  delay_seconds: 1\n")
    result = project.run("check")
    assert result.status == 2
    assert "arxiv.delay_seconds: 1 is below 3, the spacing arXiv's terms of use ask for" in result.err


def test_the_installed_script_runs(tmp_path):
    script = os.path.join(os.path.dirname(sys.executable), "daily-papers")
    result = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("daily-papers ")


def test_a_broken_template_stops_update_before_any_request(project, standin):
    (project.root / "broken.md.j2").write_text("{% for x in %}\n")
    project.write_config("keywords: [Reward Model]\ntemplate: broken.md.j2\n" + FAST_ARXIV)
    before = project.files()
    result = project.run("update")
    assert result.status == 2
    assert "broken.md.j2" in result.err and "line 1" in result.err
    assert standin.requests == [] and project.files() == before


def test_a_file_that_cannot_be_written_is_named_without_a_traceback(project, standin):
    (project.root / "blocker").write_text("a file where a folder should be\n")
    project.write_config("keywords: [Reward Model]\nreadme: blocker/README.md\n" + FAST_ARXIV)
    result = project.run("render")
    assert result.status == 2
    assert "blocker" in result.err and "Traceback" not in result.err


def test_links_point_to_the_run_s_repository_and_nothing_else_from_the_environment(tmp_path):
    from daily_papers.config import validate
    from daily_papers.environ import links_from

    plain = validate({"keywords": ["A"]}, tmp_path / "config.yaml", {})
    named = validate({"keywords": ["A"], "repository": "me/papers"}, tmp_path / "config.yaml", {})
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "fork/papers", "GITHUB_SERVER_URL": "https://ghe.x"}
    assert links_from(plain, {}).repository is None
    assert links_from(named, {}).repository == "me/papers"
    assert links_from(named, actions) == links_from(plain, actions)
    assert (links_from(plain, actions).repository, links_from(plain, actions).server) == ("fork/papers", "https://ghe.x")
    assert links_from(plain, {**actions, "GITHUB_ACTIONS": "false"}).repository is None
    hostile = {**actions, "GITHUB_REPOSITORY": "a/b)\n[x](javascript:1", "GITHUB_SERVER_URL": "javascript:x"}
    assert links_from(plain, hostile).repository is None
    assert links_from(plain, {**actions, "GITHUB_SERVER_URL": "javascript:x"}).server == "https://github.com"


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("keywords:\n" + "".join(f"  - Keyword {n}\n" for n in range(2500)))
    env = {**os.environ, "DAILY_PAPERS_ARXIV_URL": "http://127.0.0.1:9/"}
    process = subprocess.Popen([sys.executable, "-m", "daily_papers", "check", "-c", str(config)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().startswith(b"Keyword 0: ")
    process.stdout.close()  # as `| head -1` does
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0 and b"Traceback" not in err and b"Broken pipe" not in err
