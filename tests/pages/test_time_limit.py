"""The audit's time limit grows with the page (issue #12): elements counted after load, within a cap."""

from __future__ import annotations

from typing import Any

import pytest
from page_fixtures import FixtureServer, page_needs, page_options

from guideline_lint.browser import SessionPool
from guideline_lint.collect.pages import PageOptions, browser_options, collect_service_pages
from guideline_lint.collect.pages.scripts import LIMIT_CAP, NODES_PER_LIMIT, audit_time_limit


def test_limit_grows_with_the_element_count_up_to_the_cap() -> None:
    assert audit_time_limit(30, 0) == 30
    assert audit_time_limit(30, 100) == pytest.approx(30.6)
    assert audit_time_limit(30, 6000) == pytest.approx(66)
    assert audit_time_limit(30, 10**7) == 30 * LIMIT_CAP
    assert audit_time_limit(30, -1) == 30  # a page that reports nonsense gets the plain limit


@pytest.mark.browser
def test_big_page_gets_a_longer_limit(fixture_server: FixtureServer, page_pool: Any) -> None:
    small = fixture_server.add("/limit-small.html", "<p>小さなページ</p>")
    big = fixture_server.add("/limit-big.html", "<ul>" + "<li>項目</li>" * (2 * NODES_PER_LIMIT) + "</ul>")
    limit = 30.0  # a pool of its own: the shared one's 5 s may not load 10,000 elements on a busy machine
    with SessionPool(browser_options(PageOptions(page_timeout=limit), axe=False), 1) as pool:
        pages = collect_service_pages([small, big], [], None, page_options(page_timeout=limit), page_needs([]),
                                      pool=pool)
    assert [p.error for p in pages] == [None, None]
    assert pages[0].timings["time_limit_s"] < limit * 1.01
    assert pages[1].timings["time_limit_s"] > limit * 3  # 10,000 list items and the page's own
