"""Users' typos: every broken config stops the run before any request or write, says
what is wrong and where, and shows no traceback."""

from __future__ import annotations

import pytest


def broken_configs(marker: str) -> list[tuple[str, str, list[str]]]:
    """(id, config text, what stderr must say) for each mistake; ``marker`` is a file a
    Python tag would create if it ran."""
    return [
        ("misspelt key", "keywrods: [Reward Model]\n", ["unknown key keywrods", "did you mean keywords?"]),
        ("misspelt nested key", "keywords: [A]\narxiv:\n  retires: 3\n",
         ["unknown key arxiv.retires", "did you mean arxiv.retries?"]),
        ("keywords not a list", "keywords: Reward Model\n", ["keywords: expected a list", "'Reward Model'"]),
        ("empty keyword list", "keywords: []\n", ["keywords: the list is empty"]),
        ("no keywords", "max_papers: 10\n", ["keywords: missing"]),
        ("duplicate keyword", "keywords: [Reasoning, Agents, Reasoning]\n", ["'Reasoning' is listed twice"]),
        ("duplicate in another case", "keywords: [Reward Model, reward model]\n",
         ["'reward model' is listed twice (also as 'Reward Model')"]),
        ("same file name", "keywords: [Reward Model, Reward-Model]\n",
         ["'Reward-Model' and 'Reward Model' would share the file name 'reward-model'"]),
        ("negative max_papers", "keywords: [A]\nmax_papers: -5\n", ["max_papers: -5 is out of range", "1 to 2000"]),
        ("non-numeric max_papers", "keywords: [A]\nmax_papers: lots\n",
         ["max_papers: expected a whole number", "'lots' (str)"]),
        ("fractional max_papers", "keywords: [A]\nmax_papers: 12.5\n", ["max_papers: expected a whole number", "12.5"]),
        ("non-numeric delay", "keywords: [A]\narxiv:\n  delay_seconds: three\n",
         ["arxiv.delay_seconds: expected a number", "'three' (str)"]),
        ("retries out of range", "keywords: [A]\narxiv:\n  retries: 99\n", ["arxiv.retries: 99 is out of range"]),
        ("boolean for a number", "keywords: [A]\narxiv:\n  timeout_seconds: yes\n",
         ["arxiv.timeout_seconds: expected a number", "True (bool)"]),
        ("unknown sort", "keywords: [A]\narxiv:\n  sort_by: relevance\n", ["arxiv.sort_by: 'relevance' is not one of"]),
        ("bad time zone", "keywords: [A]\ntimezone: Mars/Olympus\n", ["timezone: 'Mars/Olympus'"]),
        ("keyword without name", "keywords:\n  - phrases: [x]\n", ["keywords[1]: missing 'name'"]),
        ("YAML syntax", "keywords:\n  - Reward Model\n  - [Reasoning\nmax_papers: 3\n", ["YAML error at line 4, column"]),
        ("key given twice", "keywords: [A]\nmax_papers: 3\nmax_papers: 4\n",
         ["key 'max_papers' appears twice", "line 3, column 1"]),
        ("a name longer than a file name may be", "keywords: [" + "ab " * 100 + "]\n",
         ["is 299 characters long; keep it to 100"]),
        ("terminal escapes in a name", 'keywords: ["Reward \\e]0;pwned\\a\\e[2J Model"]\n', ["holds a control character"]),
        ("a README over the workflow", "keywords: [A]\nreadme: .github/workflows/daily.yml\n",
         ["readme: ", "is in .github/workflows, which daily-papers must never write"]),
        ("pages inside .git", "keywords: [A]\npages: .git\n", ["pages: ", "is in .git"]),
        ("a README outside the repository", "keywords: [A]\nreadme: ../outside.md\n",
         ["readme: ", "is outside the config file's folder"]),
        ("feeds in the store folder", "keywords: [A]\nfeeds: data\n", ["store and feeds are the same folder"]),
        ("complex key", "? [a, b]\n: 1\nkeywords: [A]\n", ["a key must be plain text", "line 1, column 3"]),
        ("nested thousands deep", "keywords: " + "[" * 5000 + "]" * 5000 + "\n", ["nested more than 32 levels deep"]),
        ("a 5000-digit number", "keywords: [A]\nmax_papers: " + "9" * 5000 + "\n", ["Exceeds the limit"]),
        ("a bracket left open in the URL", 'keywords: [A]\narxiv:\n  url: "http://[::1/"\n',
         ["arxiv.url: 'http://[::1/' is not an http(s) URL", "Invalid IPv6 URL"]),
        ("a port that is not a number", 'keywords: [A]\narxiv:\n  url: "http://127.0.0.1:abc/"\n',
         ["arxiv.url: 'http://127.0.0.1:abc/' is not an http(s) URL"]),
        ("a port out of range", 'keywords: [A]\narxiv:\n  url: "http://127.0.0.1:99999/"\n',
         ["arxiv.url: 'http://127.0.0.1:99999/' is not an http(s) URL"]),
        ("a URL with a line break", 'keywords: [A]\narxiv:\n  url: "http://x.org/\\r\\n::warning::x"\n',
         ["arxiv.url:", "is not an http(s) URL"]),
        ("a label with a comma", "keywords: [A]\ndigest:\n  label: a,b\n", ["digest.label: 'a,b' is not a GitHub label"]),
        ("close_previous not a boolean", "keywords: [A]\ndigest:\n  close_previous: sometimes\n",
         ["digest.close_previous: expected true or false"]),
        ("a repository without owner", "keywords: [A]\nrepository: papers\n",
         ["repository: 'papers' is not a GitHub repository"]),
        ("python tag", f'keywords: !!python/object/apply:os.system ["touch {marker}"]\n',
         ["could not determine a constructor for the tag", "python/object/apply:os.system", "line 1, column 11"]),
        ("python tag in a value", f'keywords: [A]\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n',
         ["could not determine a constructor"]),
        ("not a mapping", "- Reward Model\n- Reasoning\n", ["the config file: expected a mapping"]),
        ("empty file", "", ["the file is empty"]),
        ("empty path", "keywords: [A]\nstore: ''\n", ["store: empty"]),
    ]


CASES = broken_configs("MARKER")


@pytest.mark.parametrize(("text", "said"), [(t, s) for _, t, s in CASES], ids=[i for i, _, _ in CASES])
def test_a_broken_config_stops_everything_and_says_why(project, standin, tmp_path, text, said):
    marker = tmp_path / "ran-a-command"
    text = text.replace("MARKER", str(marker))
    project.config.write_text(text, encoding="utf-8")
    project.readme.write_text("# the old README\n")
    (project.root / "data").mkdir()
    (project.root / "data/a.json").write_text('{"old": "store"}\n')
    before = project.files()
    result = project.run("update")
    assert result.status == 2, result.err
    for words in said:
        assert words in result.err, (words, result.err)
    assert str(project.config) in result.err
    assert "Traceback" not in result.err
    assert standin.requests == []
    assert project.files() == before
    assert not (project.root / "data/.lock").exists()
    assert not marker.exists()


def test_a_missing_config_file_is_named(project, standin):
    result = project.run("update")
    assert result.status == 2
    assert f"config file not found: {project.config}" in result.err
    assert "Traceback" not in result.err and standin.requests == []
    assert list(project.root.iterdir()) == []


def test_a_traceback_only_with_verbose(project):
    project.write_config("keywrods: [A]\n")
    assert "Traceback" in project.run("check", "-v").err
    assert "Traceback" not in project.run("check").err


def test_check_refuses_the_same_configs(project, standin):
    project.write_config("keywords: [A, a]\n")
    result = project.run("check")
    assert result.status == 2 and result.out == ""


def test_an_arxiv_section_with_every_key_commented_out_means_the_defaults(project):
    project.write_config("keywords: [A]\narxiv:\n  # delay_seconds: 3\n")
    result = project.run("check")
    assert result.status == 0, result.err


def test_every_documented_key_of_the_repositorys_config_is_accepted(project):
    import shutil
    from pathlib import Path

    repository = Path(__file__).parent.parent
    project.config.write_text((repository / "config.yaml").read_text())
    shutil.copytree(repository / "templates", project.root / "templates")
    assert project.run("check").status == 0


@pytest.mark.parametrize(("extra", "message"), [
    ("digest:\n  path: ''\n", "digest.path: empty"),
    ("digest:\n  path: README.md\n", "digest.path and readme are the same file"),
    ("readme: config.yaml\n", "the config file and readme are the same file"),
    ("feeds: README.md\n", "readme (/"),
    ("template: nope.md.j2\n", "template: "),
    ("readme: data/reward-model.json\n", "is in the store folder"),
    ("readme: papers/reward-model.md\n", "is in the pages folder"),
    ("digest:\n  path: feeds/reward-model.xml\n", "digest.path ("),
    ("template: README.md\n", "template and readme are the same file"),
    ("arxiv:\n  max_total_seconds: 0\n", "arxiv.max_total_seconds"),
])
def test_paths_that_would_collide_or_do_not_exist_are_refused(project, standin, extra, message):
    project.write_config("keywords: [Reward Model]\n" + extra)
    result = project.run("check")
    assert result.status == 2 and message in result.err, result.err
    assert standin.requests == []


@pytest.mark.parametrize(("section", "ok"), [
    ("arxiv:\n", True), ("digest:\n", True), ("arxiv: 0\n", False), ("digest: []\n", False),
])
def test_an_empty_section_means_the_defaults_and_a_wrong_one_is_refused(project, section, ok):
    project.write_config("keywords: [Reward Model]\n" + section)
    result = project.run("check")
    assert (result.status == 0) is ok, result.err
    if not ok:
        assert "expected a mapping" in result.err


@pytest.mark.parametrize("url", ["http://[::1/", "http://127.0.0.1:abc/", "ftp://127.0.0.1/", "http:///x"])
def test_a_bad_endpoint_in_the_environment_is_caught_by_check(project, url):
    project.write_config("keywords: [A]\n")
    result = project.run("check", env={"DAILY_PAPERS_ARXIV_URL": url})
    assert result.status == 2 and "DAILY_PAPERS_ARXIV_URL" in result.err and "Traceback" not in result.err



def table_config(tmp_path, section: str, name: str, value):
    from daily_papers.config import validate

    top = {"keywords": ["A"]}
    if section:
        top[section] = {name: value}
    else:
        top[name] = value
    return validate(top, tmp_path / "config.yaml", {})


def test_every_key_of_the_table_is_accepted_with_its_default_and_only_those(tmp_path):
    from daily_papers.config import REQUIRED, SECTIONS, TOP, ConfigError

    sections = {"": TOP, **SECTIONS}
    for section, keys in sections.items():
        for key in keys.keys:
            if key.default is not REQUIRED and key.name not in SECTIONS:
                table_config(tmp_path, section, key.name, list(key.default) if isinstance(key.default, tuple)
                             else key.default)
        with pytest.raises(ConfigError, match=f"^unknown key {keys.prefix}nothing_of_the_kind$"):
            table_config(tmp_path, section, "nothing_of_the_kind", 1)


def test_the_ranges_of_the_numbers_are_the_tables(tmp_path):
    from daily_papers.config import SECTIONS, TOP, ConfigError

    checked = 0
    for section, keys in {"": TOP, **SECTIONS}.items():
        for key in keys.keys:
            if key.high is None:
                continue
            table_config(tmp_path, section, key.name, key.high)
            kind = "a whole number" if key.kind == "whole number" else "a number"
            with pytest.raises(ConfigError, match=rf"^{keys.prefix}{key.name}: .* is out of range; use {kind} "
                                                  rf"from {key.low:g} to {key.high:g}$"):
                table_config(tmp_path, section, key.name, key.high + 1)
            checked += 1
    assert checked == 8


def test_the_sort_keys_are_searches_the_source_can_ask_for():
    from daily_papers.config import SORT_KEYS, ArxivSettings
    from daily_papers.sources import SortBy

    assert set(SORT_KEYS) <= {s.value for s in SortBy}
    assert ArxivSettings().sort_by in SORT_KEYS
