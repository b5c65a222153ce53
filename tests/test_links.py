"""Links that leave the repository: a feed reader gets the file itself, the digest's
e-mail reaches the README, and the README points at the site when there is one."""

from __future__ import annotations

import re

from paperkit import make_config, make_papers, make_stores

from daily_papers.outputs.render import Links, render_outputs


def feed_links(readme: str) -> list[str]:
    return re.findall(r"\[Atom feed\]\(([^)]*)\)", readme)


def test_with_a_site_the_readme_links_the_pages_copy_of_each_feed_and_the_page(tmp_path):
    config = make_config(tmp_path, ["Reward Model"])
    stores = make_stores(config, [make_papers("2505", 3)])
    readme = render_outputs(config, stores, Links("Me/papers"))[config.readme]
    assert feed_links(readme) == ["https://me.github.io/papers/feeds/reward-model.xml"]
    assert "[the web page](https://me.github.io/papers/)" in readme
    outputs = render_outputs(config, stores, Links("me/me.github.io"))
    assert feed_links(outputs[config.readme]) == ["https://me.github.io/feeds/reward-model.xml"]
    assert (config.site.folder / "feeds/reward-model.xml") in outputs


def test_without_a_site_the_raw_file_and_without_a_repository_a_relative_link(tmp_path):
    config = make_config(tmp_path, ["Reward Model"], site=None)
    stores = make_stores(config, [make_papers("2505", 3)])
    readme = render_outputs(config, stores, Links("me/papers"))[config.readme]
    assert feed_links(readme) == ["https://raw.githubusercontent.com/me/papers/HEAD/feeds/reward-model.xml"]
    assert "web page" not in readme
    assert feed_links(render_outputs(config, stores)[config.readme]) == ["feeds/reward-model.xml"]
    enterprise = render_outputs(config, stores, Links("me/papers", "https://ghe.example"))[config.readme]
    assert feed_links(enterprise) == ["feeds/reward-model.xml"]
