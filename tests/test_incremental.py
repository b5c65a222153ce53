"""A render draws only what changed since the manifest, and writes the same bytes as a
render that draws everything: an unchanged keyword's feed and pages are left as they are,
a file deleted or edited by hand is drawn again."""

from __future__ import annotations

from pathlib import Path

import pytest
from paperkit import make_papers, make_stores, save_stores

from daily_papers import pipeline
from daily_papers.config import load_config
from daily_papers.outputs import readme, render
from daily_papers.outputs.links import Links
from daily_papers.outputs.render import RenderError, check_templates
from daily_papers.outputs.write import outputs_for, write_render
from daily_papers.store import load_stores


@pytest.fixture
def project(tmp_path):
    """Two keywords with long tables: the README shows their newest papers, pages hold all."""
    (tmp_path / "config.yaml").write_text("keywords: [Reward Model, Reasoning]\nmax_papers: 200\n")
    config = load_config(tmp_path / "config.yaml", {})
    save_stores(config, make_stores(config, [make_papers("2505", 150, abstract_length=1900),
                                             make_papers("2504", 150, abstract_length=1900)]))
    return config


@pytest.fixture
def drawn(monkeypatch):
    """The slugs whose page or keyword feed a render draws, in order."""
    slugs: list[str] = []
    draw_page, feed = readme.draw_page, render._feed

    def spy_page(drawing, section, *args):
        slugs.append(f"page {section.slug}")
        return draw_page(drawing, section, *args)

    def spy_feed(drawing, section, *args):
        slugs.append(f"feed {section.slug}")
        return feed(drawing, section, *args)

    monkeypatch.setattr(readme, "draw_page", spy_page)
    monkeypatch.setattr(render, "_feed", spy_feed)
    return slugs


def files(config) -> dict[str, bytes]:
    root = config.path.parent
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stores(config):
    return load_stores(config.store, [kw.slug for kw in config.keywords])


def a_full_render(config) -> dict[str, bytes]:
    return {str(p.relative_to(config.path.parent)): t.encode() for p, t in
            outputs_for(config, stores(config), Links()).items()}


def test_an_unchanged_keyword_s_feed_and_pages_are_not_drawn_again(project, drawn):
    write_render(project, Links(), lambda: stores(project))
    assert "page reward-model" in drawn and "feed reasoning" in drawn
    grown = stores(project)
    save_stores(project, make_stores(project, [grown["reward-model"].papers,
                                               make_papers("2506", 3, abstract_length=1900) + grown["reasoning"].papers]))
    drawn.clear()
    write_render(project, Links(), lambda: stores(project))
    assert drawn and all(name.endswith(" reasoning") for name in drawn), drawn
    written = files(project)
    assert {name: written[name] for name in a_full_render(project)} == a_full_render(project)


def test_a_render_of_an_unchanged_store_draws_and_writes_nothing(project, drawn):
    write_render(project, Links(), lambda: stores(project))
    drawn.clear()

    def unread():
        raise AssertionError("the store was read")

    assert write_render(project, Links(), unread) == [] and drawn == []
    assert pipeline.render(project, Links(), check=True).changed == []


@pytest.mark.parametrize("name", ["papers/reward-model.md", "feeds/reasoning.xml", "README.md", "site/index.html"])
def test_a_deleted_or_edited_output_is_drawn_again(project, name):
    write_render(project, Links(), lambda: stores(project))
    before = files(project)
    (project.path.parent / name).unlink()
    write_render(project, Links(), lambda: stores(project))
    assert files(project) == before
    (project.path.parent / name).write_bytes(before[name] + b"edited by hand\n")
    assert write_render(project, Links(), lambda: stores(project)) == [project.path.parent / name]
    assert files(project) == before


def test_a_config_edit_draws_every_keyword_again(project, drawn):
    write_render(project, Links(), lambda: stores(project))
    drawn.clear()
    project.path.write_text(project.path.read_text() + "title: Other\n")
    config = load_config(project.path, {})
    write_render(config, Links(), lambda: stores(config))
    assert {"feed reward-model", "feed reasoning", "page reward-model", "page reasoning"} <= set(drawn)
    written = files(config)
    assert {name: written[name] for name in a_full_render(config)} == a_full_render(config)


@pytest.mark.parametrize(("name", "text"), [
    ("page.md.j2", "{{ nothing.here }}"),
    ("columns.j2", "{% macro header(c) %}{% endmacro %}{% macro row(a, b, c) %}{{ b.missing }}{% endmacro %}"),
    ("feed.xml.j2", '{% extends "nope.xml.j2" %}'),
    ("digest.md.j2", "{% for x in %}"),
])
def test_the_template_check_fails_where_a_render_would(tmp_path: Path, name, text):
    (tmp_path / "mine.md.j2").write_text('{% extends "daily_papers/README.md.j2" %}')
    (tmp_path / name).write_text(text)
    (tmp_path / "config.yaml").write_text("keywords: [Reward Model]\ntemplate: mine.md.j2\n")
    config = load_config(tmp_path / "config.yaml", {})
    with pytest.raises(RenderError, match=name.replace(".", r"\.")):
        check_templates(config, make_stores(config, [make_papers("2505", 2)]), Links())


def test_a_change_of_the_package_s_code_draws_everything_again(project, drawn, monkeypatch):
    from daily_papers.outputs import manifest

    write_render(project, Links(), lambda: stores(project))
    drawn.clear()
    monkeypatch.setattr(manifest, "_code", lambda: "sha256:other code")
    write_render(project, Links(), lambda: stores(project))
    assert {"feed reward-model", "feed reasoning", "page reward-model", "page reasoning"} <= set(drawn)


def test_an_edited_manifest_is_written_again_without_drawing(project, drawn):
    write_render(project, Links(), lambda: stores(project))
    path = project.store / "_render.json"
    before = path.read_bytes()
    path.write_bytes(before.replace(b'"inputs": "sha256:', b'"inputs": "sha256:0'))
    drawn.clear()
    assert write_render(project, Links(), lambda: stores(project)) == [path]
    assert path.read_bytes() == before and drawn == []


def test_a_keyword_whose_pages_the_layout_drops_is_drawn_again(project, drawn):
    write_render(project, Links(), lambda: stores(project))
    save_stores(project, make_stores(project, [stores(project)["reward-model"].papers, make_papers("2506", 1)]))
    drawn.clear()
    write_render(project, Links(), lambda: stores(project))
    assert "feed reward-model" in drawn  # its feed now links to its README section, not to its page
    written = files(project)
    assert {name: written[name] for name in a_full_render(project)} == a_full_render(project)
    assert "papers/reward-model.md" not in a_full_render(project)
