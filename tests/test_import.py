"""`daily-papers import`: a DailyArXiv README or a cv-arxiv-daily JSON file into the store.

The main check reads the old and the new README the way GitHub shows them (cmarkgfm)
and compares every table cell.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from conftest import FAST_ARXIV
from hypothesis import given, settings
from hypothesis import strategies as st
from linear import assert_linear
from standin import Entry

from daily_papers.importer import HistoryError, parse_cv_json, parse_readme, read_history
from daily_papers.merge import merge
from daily_papers.paper import Paper
from daily_papers.store import KeywordStore, load_keyword, save_keyword, store_path

FIXTURES = Path(__file__).parent / "fixtures" / "import"
UTC = timezone.utc
REWARD_QUERY = 'ti:"Reward Model" OR abs:"Reward Model"'


# --- a realistic DailyArXiv README ------------------------------------------------------

_OPENERS = [
    "Large language models (LLMs) are increasingly used to {verb} {object}.",
    "Aligning language models with human preferences remains a central challenge for {object}.",
    "Recent progress in {object} has been driven by ever larger models and datasets.",
    "Despite strong benchmark results, current methods for {object} generalize poorly to new domains.",
    "Time series forecasting underpins decisions in energy, finance and healthcare.",
]
_MIDDLES = [
    "However, existing approaches rely on costly human annotation and fail when the data distribution shifts.",
    "In this paper, we propose {name}, a simple yet effective framework that {verb}s {object} with little supervision.",
    "We formulate the problem as a bi-level optimization and solve it with an efficient first-order method.",
    "Our analysis shows that the error decays as $\\mathcal{{O}}(1/\\sqrt{{n}})$ under mild assumptions.",
    "We construct a benchmark of {count} tasks spanning mathematics, coding and open-ended dialogue.",
    "Experiments on {count} datasets show gains of up to {pct}\\% over the strongest baseline (p < 0.05).",
    "The method needs no reward model at test time and adds less than {pct}% overhead.",
    "We further study how the learned policy $\\pi_\\theta$ behaves under distribution shift.",
    "A na\\\"ive combination of both signals fails, which motivates our design.",
    "Ablations confirm that each component contributes, and that the gains hold across model sizes from 1B to 70B.",
    "We release all prompts, checkpoints and evaluation scripts to support R&D in this area.",
    "Unlike prior work, our estimator is unbiased and its variance is bounded by $\\sigma^2 / k$.",
    "The resulting scores correlate with human judgments (Spearman $\\rho = 0.{pct}$) far better than BLEU or ROUGE.",
    "Our theoretical results hold for any policy class with finite Rademacher complexity.",
    "The binary codes live in $\\{{0,1\\}}^d$ and can be compared in constant time.",
]
_CLOSERS = [
    "Our code is available at https://github.com/example-lab/{slug}.",
    "Code and data are publicly available at www.example.org/{slug}.",
    "These results suggest a practical path toward more reliable {object}.",
    "We hope this work serves as a strong baseline for future research on {object}.",
]
_VERBS = ["evaluate", "align", "train", "steer", "calibrate", "compress", "verify"]
_OBJECTS = ["reward models", "reasoning chains", "multimodal assistants", "code generation",
            "long-horizon forecasts", "preference data", "chain-of-thought traces", "process supervision"]
_TITLE_HEADS = ["Scaling", "Rethinking", "Learning", "Understanding", "Towards", "Beyond", "Revisiting", "Taming"]
_TITLE_TAILS = ["for Robust Alignment", "in Large Language Models", "with Sparse Feedback", "at Test Time",
                "under Distribution Shift", "via Self-Play", "from Noisy Labels", "in the Wild"]
_COMMENTS = [
    "", "", "", "", "", "", "",
    "8 pages, 5 figures",
    "Accepted to ICML 2025",
    "Accepted at ACL 2025 Findings; 9 pages, 4 figures, 6 tables",
    "Code: https://github.com/example-lab/release",
    "*Equal contribution",
    "*These authors contributed equally to this work",
    "exactly twenty chars",
    "twenty-one characters",
    "Project page: www.example.org/project",
    "Schrödinger-style notes",
]


@dataclass
class OldRow:
    title: str
    link: str
    day: date
    abstract: str
    comment: str

    def markdown(self) -> str:
        """The row as DailyArXiv's generate_table wrote it: text unescaped, long comments collapsed."""
        comment = self.comment
        if len(comment) > 20:
            comment = f"<details><summary>{comment[:5]}...</summary><p>{comment}</p></details>"
        abstract = f"<details><summary>Show</summary><p>{self.abstract}</p></details>"
        return f"| **[{self.title}]({self.link})** | {self.day.isoformat()} | {abstract} | {comment} |"


def old_rows(count: int, seed: int, first_id: int) -> list[OldRow]:
    """``count`` rows newest first, a few per day, in the sample's style."""
    rng = random.Random(seed)
    day = date(2025, 5, 26)
    rows = []
    for i in range(count):
        if i and rng.random() < 0.3:
            day -= timedelta(days=rng.choice([1, 1, 2]))
        fill = {
            "verb": rng.choice(_VERBS), "object": rng.choice(_OBJECTS), "count": rng.randint(3, 40),
            "pct": rng.randint(10, 95), "name": f"Method{first_id + i}", "slug": f"project-{first_id + i}",
        }
        sentences = [rng.choice(_OPENERS)] + rng.sample(_MIDDLES, rng.randint(7, 12)) + [rng.choice(_CLOSERS)]
        abstract = " ".join(s.format(**fill) for s in sentences)
        title = f"{rng.choice(_TITLE_HEADS)} {fill['object'].title()} {rng.choice(_TITLE_TAILS)}"
        if rng.random() < 0.15:
            title = f"Method{first_id + i}: {title} with $\\alpha$-Divergences"
        if rng.random() < 0.05:
            title += " — Gödel, Escher, Bach"
        version = rng.choice([1, 1, 1, 1, 1, 2, 2, 3])
        scheme = "https" if rng.random() < 0.1 else "http"
        paper_id = f"math/06{first_id + i:05d}" if rng.random() < 0.02 else f"2505.{first_id + i:05d}"
        link = f"{scheme}://arxiv.org/abs/{paper_id}v{version}"
        rows.append(OldRow(title, link, day, abstract, rng.choice(_COMMENTS)))
    return rows


def dailyarxiv_readme(sections: dict[str, list[OldRow]]) -> str:
    """A whole README as DailyArXiv's main.py writes it."""
    text = (
        "# Daily Papers\nThe project automatically fetches the latest papers from arXiv based on keywords.\n\n"
        "The subheadings in the README file represent the search keywords.\n\n"
        "Only the most recent articles for each keyword are retained, up to a maximum of 100 papers.\n\n"
        "You can click the 'Watch' button to receive daily email notifications.\n\nLast update: 2025-05-27\n\n"
    )
    for name, rows in sections.items():
        header = "| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |"
        text += f"## {name}\n{header}" + "".join("\n" + row.markdown() for row in rows) + "\n\n"
    return text


SECTIONS = {"Reward Model": (100, 1, 20000), "Reasoning": (90, 2, 21000), "Time Series": (60, 3, 22000)}


@pytest.fixture
def project(project):
    """The scratch project as the working folder, where users name the files to import from."""
    project.monkeypatch.chdir(project.root)
    return project


@pytest.fixture(scope="module")
def old_sections() -> dict[str, list[OldRow]]:
    return {name: old_rows(count, seed, first) for name, (count, seed, first) in SECTIONS.items()}


# --- reading a README as GitHub shows it ---------------------------------------------------


class _Tables(HTMLParser):
    """Each ``h2`` heading's table rows; a cell is (its text, the links in it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[list[tuple[str, tuple[str, ...]]]]] = {}
        self._heading: list[str] | None = None
        self._current = ""
        self._row: list[tuple[str, tuple[str, ...]]] | None = None
        self._cell: tuple[list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._heading = []
        elif tag == "tr":
            self._row = []
        elif tag == "td":
            self._cell = ([], [])
        elif tag == "a" and self._cell is not None:
            self._cell[1].append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self._current = "".join(self._heading).strip()
            self.sections[self._current] = []
            self._heading = None
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row.append(("".join(self._cell[0]).strip(), tuple(self._cell[1])))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.sections[self._current].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        elif self._cell is not None:
            self._cell[0].append(data)


def shown_tables(markdown: str) -> dict[str, list[list[tuple[str, str]]]]:
    """Per section (heading case-folded), each row's cells as a reader on GitHub sees them:
    the text, and for the title the link target (autolinks elsewhere do not count)."""
    parser = _Tables()
    parser.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE))
    return {
        heading.casefold(): [[(text, links[0] if i == 0 and links else "") for i, (text, links) in enumerate(row)]
                             for row in rows]
        for heading, rows in parser.sections.items()
        if rows
    }


def assert_same_rows(old: list[list[tuple[str, str]]], new: list[list[tuple[str, str]]], section: str) -> None:
    assert len(new) == len(old), f"{section}: {len(new)} rows instead of {len(old)}"
    for number, (old_row, new_row) in enumerate(zip(old, new), start=1):
        assert new_row == old_row, f"{section}, row {number}"


def config_for(names: list[str], extra: str = "") -> str:
    return "keywords:\n" + "".join(f"  - {name}\n" for name in names) + extra + FAST_ARXIV


# --- DailyArXiv README ------------------------------------------------------------------


def test_a_dailyarxiv_readme_is_shown_as_before(project, old_sections):
    old_text = dailyarxiv_readme(old_sections)
    project.readme.write_text(old_text, encoding="utf-8")
    project.write_config(config_for(["Reward Model", "reasoning", "TIME SERIES"]))

    result = project.run("import", str(project.readme))

    assert result.status == 0, result.err
    old, new = shown_tables(old_text), shown_tables(project.readme.read_text(encoding="utf-8"))
    assert sum(len(rows) for rows in old.values()) == 250
    assert list(new) == list(old)
    for section in old:
        assert_same_rows(old[section], new[section], section)
    assert "section 'Reasoning' (line 116): 90 rows for reasoning" in result.err
    assert "TIME SERIES: imported 60 rows: new 60, newer versions 0, kept 60 (max_papers 100)" in result.err
    stored = load_keyword(store_path(project.root / "data", "reasoning"))
    assert stored is not None
    assert stored.query == 'ti:"reasoning" OR abs:"reasoning"'
    assert stored.sort_by == "lastUpdatedDate"


def test_our_parser_reads_both_readmes_alike(project, old_sections):
    old_text = dailyarxiv_readme(old_sections)
    project.readme.write_text(old_text, encoding="utf-8")
    project.write_config(config_for(list(old_sections)))

    assert project.run("import", "README.md").status == 0

    old = parse_readme(old_text, "old")
    new = parse_readme(project.readme.read_text(encoding="utf-8"), "new")
    assert [s.heading for s in new] == [s.heading for s in old]
    for old_section, new_section in zip(old, new):
        assert new_section.papers == old_section.papers


def test_a_section_without_a_keyword_is_named_as_skipped(project, old_sections):
    project.readme.write_text(dailyarxiv_readme(old_sections), encoding="utf-8")
    project.write_config(config_for(["Reward Model", "Time Series"]))

    result = project.run("import", "README.md")

    assert result.status == 1
    assert "skipped 1 section with no keyword of that name in config.yaml: 'Reasoning' (README.md)" in result.err
    # the README is the skipped section's only copy, so it stays; the stores have the rest
    assert project.readme.read_text(encoding="utf-8") == dailyarxiv_readme(old_sections)
    assert re.search(r"README\.md is not rewritten: \d+ rows of it are not in the store", result.err)
    assert len(load_keyword(store_path(project.root / "data", "time-series")).papers) == 60
    assert not store_path(project.root / "data", "reasoning").exists()

    project.write_config(config_for(["Reward Model", "Reasonin", "Time Series"]))
    result = project.run("import", "README.md")
    assert result.status == 1 and "(did you mean 'Reasonin'?)" in result.err
    project.write_config(config_for(["Reward Model", "Reasoning", "Time Series"]))
    assert project.run("import", "README.md").status == 0
    new = shown_tables(project.readme.read_text(encoding="utf-8"))
    assert list(new) == ["reward model", "reasoning", "time series"]
    assert len(new["time series"]) == 60


def test_max_papers_keeps_the_newest_rows_of_each_section(project, old_sections):
    old_text = dailyarxiv_readme(old_sections)
    project.readme.write_text(old_text, encoding="utf-8")
    project.write_config(config_for(list(old_sections), "max_papers: 10\n"))

    result = project.run("import", "README.md")

    assert result.status == 0, result.err
    assert "Reward Model: imported 100 rows: new 10, newer versions 0, kept 10 (max_papers 10)" in result.err
    # the old README is the only copy of the rows past max_papers: it stays until render
    assert project.readme.read_text(encoding="utf-8") == old_text
    assert re.search(r"README\.md is not rewritten: \d+ rows of it are not in the store", result.err)
    assert project.run("render").status == 0
    old, new = shown_tables(old_text), shown_tables(project.readme.read_text(encoding="utf-8"))
    for section in old:
        assert_same_rows(old[section][:10], new[section], section)


def test_unescaped_pipes_and_other_columns_are_read_by_the_cell_structure():
    sections = {s.heading: s.papers for s in read_history(FIXTURES / "dailyarxiv-edge.md").sections}

    pipe, reproduction, old_style, bare = sections["Time Series"]
    assert pipe.title == "Forecasting | Nowcasting: One Model for Both"
    assert (pipe.id, pipe.version, pipe.updated) == ("2505.20001", 1, datetime(2025, 5, 26, tzinfo=UTC))
    assert pipe.abstract == ('We estimate $m_p=E[|x-\\mu|^p]$ online where a na"ive baseline fails, '
                             "with gains of 12.5% over ARIMA (p < 0.05, R&D data).")
    assert pipe.comment == "A | B"
    assert reproduction.title == "[Re] Temporal Fusion Transformers"
    assert (reproduction.version, reproduction.link) == (3, "https://arxiv.org/abs/2505.20002v3")
    assert reproduction.comment == "*These authors contributed equally; code: https://github.com/example/tft"
    assert (old_style.id, old_style.version, old_style.comment) == ("math/0601001", 4, None)
    assert (bare.abstract, bare.comment) == (None, "*Equal contribution")

    residuals, second = sections["Anomaly Detection"]
    assert (residuals.title, residuals.version) == ("Residuals Are All You Need", 2)
    assert (residuals.comment, residuals.abstract) == ("8 pages, 3 figures", "We look at the residual | error.")
    assert (second.comment, second.abstract) == ("Code | data: https://example.org/x", None)
    message_passing, no_labels = sections["Graph Learning"]
    assert message_passing.authors == ("Ada Lovelace",)
    assert message_passing.categories == ("cs.LG", "cs.AI", "stat.ML")
    assert (no_labels.authors, no_labels.categories) == (("Alan Turing",), ("cs.LG",))
    for papers in sections.values():
        assert all(p.published is None and p.primary_category is None for p in papers)


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path):
    path = tmp_path / "README.md"
    text = (FIXTURES / "dailyarxiv-edge.md").read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    assert read_history(path).sections == read_history(FIXTURES / "dailyarxiv-edge.md").sections


TRICKY = [
    "Pipes | stars * and _underscores_ with \\backslashes\\ and \\\\ doubles",
    "Brackets [x](y) and `code` and ~~strike~~ and <b>tags</b> & &amp; entities",
    "URLs https://example.org/a_b and www.example.org, math $|x|_2 \\le \\{1\\}$ and 55\\% — ünïcödé 中文",
]


def api_paper(number: int, text: str, when: datetime, comment: str | None) -> Paper:
    """A full record, as the API gives it."""
    versioned = f"2505.{number:05d}v2"
    return Paper(id=versioned[:-2], version=2, title=f"{number}: {text}", updated=when,
                 published=when - timedelta(days=30),
                 authors=("Ada Lovelace", "Grace Hopper", "Alan Turing")[:number % 3 + 1],
                 abstract=f"Abstract. {text}", comment=comment, categories=("cs.LG", "stat.ML")[:number % 2 + 1],
                 primary_category="cs.LG", abs_url=f"http://arxiv.org/abs/{versioned}",
                 pdf_url=f"http://arxiv.org/pdf/{versioned}")


def save_reward_model(project, papers: tuple[Paper, ...]) -> None:
    store = KeywordStore("Reward Model", REWARD_QUERY, "lastUpdatedDate", papers)
    save_keyword(store_path(project.root / "data", "reward-model"), store)


@pytest.mark.parametrize("columns", [None, "[title, authors, date, categories, pdf, code, abstract, comment]"])
def test_a_readme_daily_papers_wrote_imports_to_the_same_text_and_bytes(project, columns):
    project.write_config(config_for(["Reward Model"], f"columns: {columns}\n" if columns else ""))
    when = datetime(2025, 5, 26, 12, 0, tzinfo=UTC)
    papers = tuple(
        api_paper(i, text, when - timedelta(hours=5 * i), comment)
        for i, (text, comment) in enumerate(
            [(t, c) for t in TRICKY for c in (None, "short | *x*", f"A long comment: {t}")], start=1)
    )
    data = project.root / "data"
    save_reward_model(project, papers)
    assert project.run("render").status == 0
    before = project.readme.read_bytes()
    store_path(data, "reward-model").unlink()

    result = project.run("import", "README.md")

    assert result.status == 0, result.err
    assert project.readme.read_bytes() == before
    imported = load_keyword(store_path(data, "reward-model"))
    assert imported is not None
    for original, paper in zip(papers, imported.papers, strict=True):
        assert (paper.id, paper.version, paper.title, paper.abstract, paper.comment, paper.link) == (
            original.id, original.version, original.title, original.abstract, original.comment, original.link)
        assert paper.updated == datetime.combine(original.updated.date(), datetime.min.time(), UTC)
        if columns:
            assert (paper.authors, paper.categories, paper.pdf_url) == (
                original.authors, original.categories, original.pdf_url)


def test_documentation_and_code_blocks_around_the_tables_are_not_sections(project):
    template = Path(__file__).parent.parent / "templates" / "README.md.j2"
    project.write_config(config_for(["Reward Model", "Reasoning"], f"template: {template}\n"))
    when = datetime(2025, 5, 26, 12, 0, tzinfo=UTC)
    papers = tuple(api_paper(i, "A paper", when - timedelta(hours=i), None) for i in range(1, 4))
    save_reward_model(project, papers)
    assert project.run("render").status == 0
    rendered = project.readme.read_text(encoding="utf-8")
    fenced = "\n```markdown\n## Not A Keyword\n| **Title** | **Date** |\n| --- | --- |\n```\n"
    project.readme.write_text(rendered + fenced, encoding="utf-8")

    result = project.run("import", "README.md")

    assert result.status == 0, result.err
    assert "skipped" not in result.err
    assert project.readme.read_text(encoding="utf-8") == rendered


# --- cv-arxiv-daily JSON ----------------------------------------------------------------


def test_a_cv_arxiv_daily_json_imports_the_same_way(project):
    project.write_config(config_for(["SLAM", "visual localization"]))

    result = project.run("import", str(FIXTURES / "cv-arxiv-daily.json"))

    assert result.status == 1
    assert "'Keypoint Detection' (cv-arxiv-daily.json)" in result.err
    shown = shown_tables(project.readme.read_text(encoding="utf-8"))
    assert list(shown) == ["slam", "visual localization"]
    slam = [(cells[0], cells[1][0]) for cells in shown["slam"]]  # newest first; within a date, by id as cv-arxiv-daily
    assert slam == [
        (("Loop Closure Without Landmarks: Dense Place Recognition for Lidar SLAM",
          "http://arxiv.org/abs/2505.18012"), "2025-05-23"),
        (("Semantic Maps at City Scale: A Study of Memory and Drift", "http://arxiv.org/abs/2505.17981"), "2025-05-23"),
        (("Gaussian Splatting Meets | Visual-Inertial Odometry", "http://arxiv.org/abs/2505.17450"), "2025-05-23"),
        (("Event Cameras for Fast SLAM under Aggressive Motion", "http://arxiv.org/abs/2505.16007"), "2025-05-22"),
        (("Certifiably Optimal Pose Graph Optimization with $SE(3)$ Constraints",
          "http://arxiv.org/abs/2504.09921v2"), "2025-05-22"),
        (("Underwater SLAM with Sonar and Sparse Features", "http://arxiv.org/abs/2505.10233"), "2025-05-20"),
        (("A Revisited Kalman Filter for Mapping, Twenty Years On", "http://arxiv.org/abs/physics/0703001"),
         "2025-05-19"),
    ]
    assert all(cells[2] == ("", "") and cells[3] == ("", "") for cells in shown["slam"])
    assert [cells[0][0] for cells in shown["visual localization"]] == [
        "Where Am I? Cross-View Localization from Satellite Images",
        "Absolute Pose Regression Revisited: 3D\u2013Aware Features",
        "Long-Term Visual Localization under Seasonal Change",
    ]
    stored = load_keyword(store_path(project.root / "data", "slam"))
    assert stored is not None
    by_id = {p.id: p for p in stored.papers}
    assert by_id["2505.17450"].authors == ("Jonas Weißmann",)
    assert (by_id["2504.09921"].version, by_id["physics/0703001"].version) == (2, 1)
    assert all(p.abstract is None and p.published is None for p in stored.papers)


def test_a_readme_and_a_json_file_together_give_one_entry_per_paper(project, tmp_path):
    readme = tmp_path / "old.md"
    readme.write_text(
        "## SLAM\n| **Title** | **Date** | **Abstract** |\n| --- | --- | --- |\n"
        "| **[Underwater SLAM with Sonar and Sparse Features](http://arxiv.org/abs/2505.10233v1)** | 2025-05-20 | "
        "<details><summary>Show</summary><p>Sonar helps.</p></details> |\n",
        encoding="utf-8",
    )
    project.write_config(config_for(["SLAM"]))

    for order in ([FIXTURES / "cv-arxiv-daily.json", readme], [readme, FIXTURES / "cv-arxiv-daily.json"]):
        (project.root / "data" / "slam.json").unlink(missing_ok=True)
        assert project.run("import", *map(str, order)).status == 1
        stored = load_keyword(store_path(project.root / "data", "slam"))
        assert stored is not None
        ids = [p.id for p in stored.papers]
        assert len(ids) == len(set(ids)) == 7
        assert next(p for p in stored.papers if p.id == "2505.10233").abstract == "Sonar helps."


# --- merging with what the store holds --------------------------------------------------


def imported(paper_id: str, version: int, day: int, abstract: str | None = "Imported.") -> Paper:
    return Paper(id=paper_id, version=version, title=f"Imported {paper_id}", updated=datetime(2025, 5, day, tzinfo=UTC),
                 abstract=abstract, abs_url=f"http://arxiv.org/abs/{paper_id}v{version}", origin="import")


def full(paper_id: str, version: int, day: int, hour: int = 12) -> Paper:
    when = datetime(2025, 5, day, hour, tzinfo=UTC)
    return Paper(id=paper_id, version=version, title=f"Full {paper_id}", updated=when, published=when,
                 authors=("Ada Lovelace",), abstract="From the API.", categories=("cs.LG",), primary_category="cs.LG")


@pytest.mark.parametrize(
    ("stored", "incoming", "winner"),
    [
        (full("1", 1, 20), imported("1", 1, 20), "stored"),  # a full record beats an imported one
        (imported("1", 1, 20), full("1", 1, 20), "incoming"),
        (full("1", 1, 20), imported("1", 2, 22), "incoming"),  # a newer version beats an older one
        (imported("1", 2, 22), full("1", 1, 20), "stored"),
        (imported("1", 1, 20, abstract=None), imported("1", 1, 20), "incoming"),  # the abstract adds to a row
        (imported("1", 1, 20), imported("1", 1, 20, abstract=None), "stored"),
        (imported("1", 1, 20), replace(imported("1", 1, 20), title="Other title"), "stored"),
        (full("1", 1, 20), replace(full("1", 1, 20), comment="Accepted at NeurIPS"), "incoming"),
    ],
)
def test_merge_rule(stored, incoming, winner):
    result = merge([stored], [incoming], 10, "lastUpdatedDate")

    assert result.papers == ((stored if winner == "stored" else incoming),)
    assert result.updated == (() if winner == "stored" else (incoming,))
    assert result.new == ()


def test_merge_keeps_the_imported_order_within_a_date_and_changes_nothing_twice():
    stored = (full("9", 1, 26, hour=18), imported("8", 1, 25))
    rows = [imported(str(n), 1, 26) for n in (5, 7, 6)] + [imported("8", 1, 25), imported("4", 1, 24)]

    merged = merge(stored, rows, 5, "submittedDate")

    assert [p.id for p in merged.papers] == ["9", "5", "7", "6", "8"]
    assert merge(merged.papers, merged.papers, 5, "submittedDate").papers == merged.papers
    assert merge(merged.papers, rows, 5, "submittedDate").updated == ()


OLD_README = """\
## Reward Model
| **Title** | **Date** | **Abstract** | **Comment** |
| --- | --- | --- | --- |
| **[Paper three](http://arxiv.org/abs/2505.00003v1)** | 2025-05-26 | <details><summary>Show</summary><p>An older text.</p></details> |  |
| **[Paper two, revised](http://arxiv.org/abs/2505.00002v2)** | 2025-05-26 | <details><summary>Show</summary><p>Version two.</p></details> | 9 pages |
| **[Paper nine](http://arxiv.org/abs/2505.00009v1)** | 2025-05-23 | <details><summary>Show</summary><p>Only here.</p></details> |  |
| **[Paper nine](http://arxiv.org/abs/2505.00009v1)** | 2025-05-23 | <details><summary>Show</summary><p>Only here.</p></details> |  |
"""


def test_import_merges_with_the_store_and_the_next_update_continues_it(project, standin):
    project.write_config(config_for(["Reward Model"]))
    day = datetime(2025, 5, 24, 9, tzinfo=UTC)
    api = [Entry(f"2505.0000{n}v1", f"Paper {n}", summary=f"API abstract {n}", updated=day - timedelta(hours=n))
           for n in (3, 2, 1)]
    standin.add(REWARD_QUERY, api)
    assert project.run("update").status == 0
    (project.root / "old.md").write_text(OLD_README, encoding="utf-8")

    result = project.run("import", "old.md")

    assert result.status == 0, result.err
    assert "Reward Model: imported 4 rows: new 1, newer versions 1, kept 4" in result.err
    path = store_path(project.root / "data", "reward-model")
    stored = load_keyword(path)
    assert stored is not None and stored.query == REWARD_QUERY
    by_id = {p.id: p for p in stored.papers}
    assert [p.id for p in stored.papers] == ["2505.00002", "2505.00001", "2505.00003", "2505.00009"]
    assert (by_id["2505.00003"].abstract, by_id["2505.00003"].authors) == ("API abstract 3",
                                                                           ("Ada Lovelace", "Alan Turing"))
    assert (by_id["2505.00002"].version, by_id["2505.00002"].title, by_id["2505.00002"].authors) == (
        2, "Paper two, revised", ())
    assert "(http://arxiv.org/abs/2505.00002v2)" in project.readme.read_text(encoding="utf-8")

    before = project.files()
    assert project.run("import", "old.md").status == 0
    assert project.files() == before

    standin.add(REWARD_QUERY, [Entry("2505.00002v2", "Paper two, revised", summary="API v2",
                                     updated=datetime(2025, 5, 26, 8, tzinfo=UTC))] + api[::2])
    result = project.run("update")
    assert result.status == 0, result.err
    assert "query changed" not in result.err
    stored = load_keyword(path)
    assert stored is not None
    by_id = {p.id: p for p in stored.papers}
    assert (by_id["2505.00002"].abstract, by_id["2505.00002"].authors) == ("API v2", ("Ada Lovelace", "Alan Turing"))
    assert by_id["2505.00009"].abstract == "Only here."
    assert len(stored.papers) == 4


# --- files that are neither format --------------------------------------------------------

BAD_FILES = {
    "notes.txt": ("Just some notes.\n\n## Reward Model\nNothing tabular here.\n", "no ## <keyword> section"),
    "broken.json": ('{"Reward Model": {"2505.00001": ', "not valid JSON (line 1"),
    "list.json": ("[1, 2, 3]", "expected a JSON object of keywords"),
    "package.json": ('{"name": "x", "version": "1.0"}', "keyword 'name': expected an object of rows"),
    "numbers.json": ('{"SLAM": {"2505.00001": 5}}', "id '2505.00001': expected a row"),
    "row.json": ('{"SLAM": {"2505.00001": "- 2025-05-01, **T**, A et.al., Paper: x"}}', "expected a row"),
    "link.md": ("## SLAM\n| **Title** | **Date** |\n| --- | --- |\n| **[T](https://example.org/t)** | 2025-05-01 |\n",
                "link.md:4: the title links to https://example.org/t, not to an arXiv abstract page"),
    "date.md": ("## SLAM\n| **Title** | **Date** |\n| --- | --- |\n| **[T](http://arxiv.org/abs/2505.00001v1)** | 2025-13-45 |\n",
                "date.md:4: '2025-13-45' is not a date"),
    "cells.md": ("## SLAM\n| **Title** | **Date** |\n| --- | --- |\n| T | 2025-05-01 |\n",
                 "cells.md:4: a row that does not fit its table's header"),
    "pipe.md": ("## SLAM\n| **Title** | **Date** | **Comment** | **Abstract** |\n| --- | --- | --- | --- |\n"
                "| **[T](http://arxiv.org/abs/2505.00001v1)** | 2025-05-01 | A | B | <details><summary>Show</summary>"
                "<p>Text.</p></details> |\n",
                "pipe.md:4: a row that does not fit its table's header | **Title** | **Date** | **Comment** | "
                "**Abstract** |; expected | **[title](https://arxiv.org/abs/<id>v<n>)** | YYYY-MM-DD | ... | "
                "(a | inside a short cell that is not the last one needs escaping as \\|)"),
    "no-date.md": ("## SLAM\n| **Title** | **Abstract** |\n| --- | --- |\n| **[T](http://arxiv.org/abs/2505.00001v1)** | A |\n",
                   "no ## <keyword> section with a | **Title** | **Date** | ... | table"),
    "orphan.md": ("| **Title** | **Date** |\n| --- | --- |\n| **[T](http://arxiv.org/abs/2505.00001v1)** | 2025-05-01 |\n",
                  "orphan.md:1: a papers table under no heading"),
    "cv-readme.md": ("## SLAM\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n",
                     "this is the README of cv-arxiv-daily; import its JSON file"),
    "latin1.md": ("## SLAM d\xe9j\xe0 vu\n", "not UTF-8 text"),
    "digits.json": ('{"SLAM": {"2505.00001": 1' + "0" * 5000 + "}}", "a number of 5001 digits"),
    "deep.json": ('{"SLAM": ' + "[" * 100_000 + "]" * 100_000 + "}", "JSON nested too deeply"),
    "surrogate.json": ('{"SLAM": {"2505.00001": "|**2025-05-01**|**T \\ud800**|A et.al.|[2505.00001]'
                       '(http://arxiv.org/abs/2505.00001)|null|"}}', "'2505.00001': the row holds a lone surrogate"),
    "surrogate-name.json": ('{"SLAM \\udfff": {}}', "the name holds a lone surrogate"),
    "version.json": ('{"SLAM": {"2505.00001v' + "9" * 5000 + '": "|**2025-05-01**|**T**|A et.al.|[2505.00001v'
                     + "9" * 5000 +
                     '](http://arxiv.org/abs/2505.00001v' + "9" * 5000 + ')|null|"}}',
                     "neither the link 'http://arxiv.org/abs/2505.00001v999"),
    "version.md": ("## SLAM\n| **Title** | **Date** |\n| --- | --- |\n| **[T](http://arxiv.org/abs/2505.00001v"
                   + "9" * 5000 + ")** | 2025-05-01 |\n", "version.md:4: the title links to http://arxiv.org/abs/"),
}


@pytest.fixture
def imported_project(project):
    """A project that already imported something: its store and README must stay as they are."""
    project.write_config(config_for(["SLAM"]))
    assert project.run("import", str(FIXTURES / "cv-arxiv-daily.json")).status == 1
    return project


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_file_in_neither_format_changes_nothing(imported_project, tmp_path, name):
    text, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(text.encode("latin-1") if name == "latin1.md" else text.encode("utf-8"))
    before = imported_project.files()

    result = imported_project.run("import", str(FIXTURES / "dailyarxiv-edge.md"), str(path))

    assert result.status == 2
    assert expected in result.err
    assert imported_project.files() == before


def test_a_missing_file_changes_nothing(imported_project, tmp_path):
    before = imported_project.files()

    result = imported_project.run("import", str(tmp_path / "nowhere.md"))

    assert result.status == 2
    assert "nowhere.md: no such file" in result.err
    assert imported_project.files() == before


def test_a_broken_template_stops_the_import_before_any_write(imported_project):
    (imported_project.root / "broken.j2").write_text("{% if %}\n", encoding="utf-8")
    imported_project.write_config(config_for(["SLAM"], "template: broken.j2\n"))
    (imported_project.root / "new.md").write_text(
        "## SLAM\n| **Title** | **Date** |\n| --- | --- |\n| **[New](http://arxiv.org/abs/2505.30000v1)** | 2025-05-27 |\n",
        encoding="utf-8")
    before = imported_project.files()

    result = imported_project.run("import", "new.md")

    assert result.status == 2
    assert "broken.j2" in result.err
    assert imported_project.files() == before


def test_a_store_that_cannot_be_read_stops_the_import(imported_project):
    store_path(imported_project.root / "data", "slam").write_text("{not json", encoding="utf-8")
    before = imported_project.files()

    result = imported_project.run("import", str(FIXTURES / "cv-arxiv-daily.json"))

    assert result.status == 2
    assert "slam.json: not valid JSON" in result.err
    assert imported_project.files() == before



def test_a_cut_readme_and_its_pages_give_back_every_paper(project):
    big = {name: old_rows(200, seed, first) for name, (_, seed, first) in SECTIONS.items()}
    project.readme.write_text(dailyarxiv_readme(big), encoding="utf-8")
    project.write_config(config_for(list(big), "max_papers: 200\n"))
    assert project.run("import", "README.md").status == 0
    pages = sorted(str(p.relative_to(project.root)) for p in (project.root / "papers").glob("*.md"))
    shown = shown_tables(project.readme.read_text(encoding="utf-8"))
    assert pages and all(len(rows) < 200 for rows in shown.values())
    data = project.root / "data"
    stores = {p.name: p.read_bytes() for p in data.glob("*.json")}
    before = project.files()
    for path in stores:
        (data / path).unlink()

    result = project.run("import", "README.md", *pages)

    assert result.status == 0, result.err
    assert {p.name: p.read_bytes() for p in data.glob("*.json")} == stores
    assert project.files() == before


# --- linear time, and an answer for any file ----------------------------------------------

HEADER = "| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |\n"
ROW = "| **[T](http://arxiv.org/abs/2505.00001v1)** | 2025-05-01 | "


def _readme(text: str) -> object:
    try:
        return parse_readme(text, "x.md")
    except HistoryError as err:
        return err


def _cv(row: str) -> object:
    try:
        return parse_cv_json(json.dumps({"SLAM": {"2505.00001": row}}), "x.json")
    except HistoryError as err:
        return err


@pytest.mark.parametrize(("make", "run"), [
    pytest.param(lambda n: "## a" + " " * n + "b\n" + HEADER, _readme, id="a heading padded with spaces"),
    pytest.param(lambda n: "## a" + " " * n + "#b\n" + HEADER, _readme, id="a heading with a late #"),
    pytest.param(lambda n: "## a\n| **Title** | **Date** |\n| ---" + " " * n + "x\n", _readme,
                 id="a delimiter row padded with spaces"),
    pytest.param(lambda n: "## a\n" + HEADER + ROW + "a" + " " * n + "b | c |\n", _readme,
                 id="a cell with a run of spaces"),
    pytest.param(lambda n: "## a\n" + HEADER + ROW + "a | c" + " " * n + "b\n", _readme,
                 id="a last cell with a run of spaces"),
    pytest.param(lambda n: "## a\n" + HEADER + "| **[t" + "](x)** | 2025-05-01 | a | b |" * n + "x\n", _readme,
                 id="repeated title-cell candidates"),
    pytest.param(lambda n: "## a\n" + HEADER + ROW + "<details><summary>" + "</summary><p>" * n + " | c |\n",
                 _readme, id="a broken collapsed cell"),
    pytest.param(lambda n: "## a\n" + HEADER + ROW + "\\" * n + " | c |\n", _readme, id="a run of backslashes"),
    pytest.param(lambda n: "## a\n" + HEADER + "| **[" + "[" * n + "](http://arxiv.org/abs/2505.00001v1)** |"
                 " 2025-05-01 | a | b |\n", _readme, id="brackets in a title"),
    pytest.param(lambda n: "## a\n" + HEADER + (ROW + "a | b |\n") * n, _readme, id="many rows"),
    pytest.param(lambda n: "|2025-05-01|**" + "t**|a|[x](y)|" * n + "x", _cv, id="a cv-arxiv-daily row"),
    pytest.param(lambda n: "|2025-05-01|**t" + "**|a|[x](y" * n, _cv, id="a cv-arxiv-daily row of links"),
    pytest.param(lambda n: "|2025-05-01|**t" + "** |a|[x" * n, _cv, id="a cv-arxiv-daily row of labels"),
    pytest.param(lambda n: "|2025-05-01|**t**" + " " * n + "|a|", _cv, id="a cv-arxiv-daily row of spaces"),
])
def test_every_import_pattern_takes_linear_time(make, run):
    assert_linear(make, run, size=64)  # small first: the quadratic parsers took minutes for 4,000 title candidates


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(["", "|**2025-05-01**|**T**|A et.al."
                                                                             "|[2505.00001](http://arxiv.org/abs/"
                                                                             "2505.00001)|null|"]) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_any_json_shape_is_read_or_refused_with_a_message(value):
    text = json.dumps(value)
    try:
        sections = parse_cv_json(text, "x.json")
    except HistoryError as err:
        assert str(err).startswith("x.json: ")
    else:
        assert isinstance(value, dict) and len(sections) == len(value)


MARKDOWN = st.lists(st.sampled_from(["## ", "# ", "#", "|", "**[", "](", ")**", "**", "\\", " ", "\n", "---",
                                     "<details><summary>", "</summary><p>", "</p></details>", "2025-05-01",
                                     "http://arxiv.org/abs/2505.00001v1", "x", "&#xd800;", "[", "]", "```"])
                    | st.text(max_size=3), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_any_readme_is_read_or_refused_with_a_message(text):
    try:
        sections = parse_readme(HEADER.join(["## T\n", text]) if text.startswith("|") else text, "x.md")
    except HistoryError as err:
        assert str(err).startswith("x.md")
    else:
        assert all("\ud800" not in p.title for s in sections for p in s.papers)
