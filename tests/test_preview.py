"""``daily-papers preview``: the rules over the kept announcements, offline."""

from __future__ import annotations

from datetime import date

import pytest
from feedstandin import Listing
from standin import Entry
from test_feed_update import FAST, TUESDAY, WEDNESDAY, seed, site  # noqa: F401 - the fixture


def setup(project, site) -> None:  # noqa: F811
    project.write_config("source: feed\ncategories: [cs.LG]\nkeywords:\n"
                         "  - name: Reward Model\n    exclude: [survey]\n"
                         "  - name: Agents\n    phrases: [agent]\n" + FAST)
    seed(project)
    site.announce(Listing(Entry("2505.00001v1", "Reward models that work", categories=["cs.LG"])),
                  Listing(Entry("2505.00002v1", "Reward-model survey", categories=["cs.LG"])),
                  Listing(Entry("2505.00003v1", "Agents \u2028::warning::x \x9b31m\x85", categories=["cs.LG"])))
    assert project.run("update", env={"SOURCE_DATE_EPOCH": TUESDAY}).status == 0
    site.listings[:] = [Listing(Entry("2505.00004v1", "A reward model again", categories=["cs.LG"]))]
    site.know(site.listings[0].entry)
    site.day = date(2025, 5, 28)
    assert project.run("update", env={"SOURCE_DATE_EPOCH": WEDNESDAY}).status == 0


def test_preview_lists_matches_and_what_the_exclude_removed(project, site):  # noqa: F811
    setup(project, site)
    asked, before = len(site.requests), project.files()
    result = project.run("preview", "reward model", "--since", "2")
    assert result.status == 0, result.err
    assert result.out == (
        "Reward Model: 'Reward Model' in title/abstract of cs.LG; not 'survey'\n"
        "  2025-05-28: 1 matched, 0 excluded\n"
        "    + 2505.00004v1 A reward model again\n"
        "  2025-05-27: 1 matched, 1 excluded\n"
        "    + 2505.00001v1 Reward models that work\n"
        "    - 2505.00002v1 Reward-model survey (excluded by 'survey')\n")
    assert len(site.requests) == asked and project.files() == before, "offline, and nothing written"
    newest = project.run("preview")
    assert "2025-05-27" not in newest.out and "Agents: 'agent'" in newest.out


def test_preview_prints_outside_text_as_text(project, site):  # noqa: F811
    setup(project, site)
    result = project.run("preview", "Agents", "--since", "5")
    assert "+ 2505.00003v1 Agents ::warning::x 31m\n" in result.out
    assert not any(c in result.out for c in "\u2028\x9b\x85\r")


def test_preview_of_an_unknown_keyword_or_bad_days_is_a_usage_error(project, site):  # noqa: F811
    setup(project, site)
    result = project.run("preview", "Nope")
    assert result.status == 2 and "no keyword 'Nope'" in result.err and "'Reward Model', 'Agents'" in result.err
    with pytest.raises(SystemExit) as stopped:
        project.run("preview", "--since", "0")
    assert stopped.value.code == 2


def test_preview_in_api_mode_says_what_the_store_holds(project, standin):
    project.write_config("keywords:\n  - Reward Model\n")
    result = project.run("preview")
    assert result.status == 0, result.err
    assert result.out == ("Reward Model: the query an update sends: ti:\"Reward Model\" OR abs:\"Reward Model\"\n"
                          "  the store holds 0 papers; arXiv last answered never (source: api keeps no "
                          "announcements to preview)\n")
    assert standin.requests == []


def test_preview_before_any_kept_day(project, site):  # noqa: F811
    project.write_config("source: feed\ncategories: [cs.LG]\nkeywords: [Agents]\n" + FAST)
    result = project.run("preview")
    assert result.status == 0
    assert "no kept announcement" in result.out
