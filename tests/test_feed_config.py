"""Config of ``source: feed``: categories, their taxonomy, and the feed's URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_papers import categories
from daily_papers.config import DEFAULT_FEED_URL, ConfigError, load_config


def load(tmp_path: Path, text: str, environ: dict[str, str] | None = None):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ or {})


def test_default_is_api_and_the_feed_url_is_arxivs(tmp_path):
    config = load(tmp_path, "keywords: [Reward Model]\n")
    assert (config.source, config.arxiv.feed_url) == ("api", DEFAULT_FEED_URL)


def test_keywords_inherit_the_top_level_categories(tmp_path):
    config = load(tmp_path, "source: feed\ncategories: [cs.LG, cs.CL]\nkeywords:\n  - Reward Model\n"
                  "  - name: Quantum\n    categories: [quant-ph]\n")
    assert [kw.categories for kw in config.keywords] == [("cs.LG", "cs.CL"), ("quant-ph",)]
    assert config.categories == ("cs.LG", "cs.CL")


def test_feed_mode_refuses_a_keyword_without_categories(tmp_path):
    with pytest.raises(ConfigError, match="keyword 'Reward Model': no categories; with 'source: feed'"):
        load(tmp_path, "source: feed\nkeywords: [Reward Model]\n")


@pytest.mark.parametrize("name, hint", [("cs.lg", "did you mean cs.LG?"), ("cs.LGG", "did you mean cs.LG?"),
                                        ("quant-pH", "did you mean quant-ph?"), ("hep-thx", "did you mean hep-th?")])
def test_an_unknown_category_is_refused_with_a_hint(tmp_path, name, hint):
    with pytest.raises(ConfigError, match=f"categories: '{name}' is not an arXiv category.*{hint}"):
        load(tmp_path, f"source: feed\nkeywords:\n  - name: A\n    categories: [{name}]\n")


def test_unknown_source_gets_a_hint(tmp_path):
    with pytest.raises(ConfigError, match=r"source: 'fed' \(str\) is not one of api, feed \(did you mean feed\?\)"):
        load(tmp_path, "source: fed\nkeywords: [A]\n")


def test_the_feed_url_from_the_config_or_the_environment(tmp_path):
    text = "arxiv:\n  feed_url: https://mirror.example/atom\nkeywords: [A]\n"
    assert load(tmp_path, text).arxiv.feed_url == "https://mirror.example/atom/"
    env = {"DAILY_PAPERS_FEED_URL": "http://127.0.0.1:9/atom/"}
    assert load(tmp_path, text, env).arxiv.feed_url == "http://127.0.0.1:9/atom/"
    with pytest.raises(ConfigError, match="DAILY_PAPERS_FEED_URL"):
        load(tmp_path, text, {"DAILY_PAPERS_FEED_URL": "ftp://x/"})
    with pytest.raises(ConfigError, match="query or fragment"):
        load(tmp_path, "arxiv:\n  feed_url: https://x.example/atom?x=1\nkeywords: [A]\n")


def test_arxivs_feed_is_paced_like_its_api(tmp_path):
    with pytest.raises(ConfigError, match="its feeds count too"):
        load(tmp_path, "source: feed\ncategories: [cs.LG]\narxiv:\n  delay_seconds: 1\n  url: http://127.0.0.1:9/\n"
             "keywords: [A]\n")


def test_the_taxonomy_holds_the_real_names():
    for name in ("cs.AI", "cs.LG", "stat.TH", "math.AP", "math.ST", "hep-th", "quant-ph", "cs", "math", "physics",
                 "astro-ph.CO", "cond-mat.mes-hall", "q-bio.NC", "q-fin.TR", "econ.EM", "eess.SP", "nlin.CD",
                 "physics.optics", "gr-qc", "nucl-th", "math-ph"):
        assert categories.problem(name) is None, name
    assert len(categories.KNOWN) >= 160
    assert categories.covers("cs", "cs.LG") and not categories.covers("cs", "csx.LG")
    assert not categories.covers("cs.L", "cs.LG")
