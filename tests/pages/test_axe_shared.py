"""axe-core's colour checks shared between nodes with the same inputs (js/axe_shared.js) report exactly the
violations and incomplete nodes plain axe-core reports, for every rule guideline-lint runs: on ACT test cases
(the contrast ones and a sample of the rest), the W3C WAI "Before and After" pages and a generated big page.
bench/big_pages.py compares the whole ACT set and measures the speed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from big_page import big_page, ours, plain

from guideline_lint.browser import SessionPool
from guideline_lint.collect.pages import PageOptions, browser_options
from guideline_lint.collect.static_server import StaticServer
from guideline_lint.kinds import needs_of
from guideline_lint.loading import load_ruleset

from helpers import SHARED

pytestmark = pytest.mark.browser
ACT = SHARED / "benchmarks" / "act-rules"
BAD = SHARED / "benchmarks" / "wai-bad"
SLOW = 110.0  # below Selenium's 120 s for one command
RULES = sorted(needs_of(c for c in load_ruleset().checks.values() if c.target.value == "page").axe_rules)


def act_sample() -> list[str]:
    if not (ACT / "cases.json").is_file():
        return []
    cases = json.loads((ACT / "cases.json").read_text(encoding="utf-8"))
    contrast = [c["file"] for c in cases if "contrast" in c["rule_name"].lower()]
    return sorted(set(contrast) | {c["file"] for c in cases[::40]})


@pytest.fixture(scope="module")
def session(page_pool: Any) -> Iterator[Any]:
    """A session of its own with long time limits: plain axe judges every node, on a machine maybe busy."""
    one = SessionPool(browser_options(PageOptions(page_timeout=SLOW)), 1)  # page_pool: Chromium is there
    try:
        with one.session() as started:
            yield started
    finally:
        one.close()


def test_colour_and_link_rules_are_shared() -> None:
    assert {"color-contrast", "link-in-text-block"} <= set(RULES)  # else this file tests nothing shared


@pytest.mark.parametrize("case", act_sample() or ["(no ACT cases)"])
def test_act_case_same_as_plain_axe(session: Any, case: str) -> None:
    if not (ACT / case).is_file():
        pytest.skip(f"the ACT cases are not at {ACT}")
    with StaticServer(ACT) as server:
        url = server.url_for(ACT / case)
        shared, _, _ = ours(session, url, RULES)
        alone, _, _ = ours(session, url, RULES, shared=False)
        expected, _ = plain(session, url, RULES)
        off = set(RULES) - _run_by_default(session)
    assert shared == alone  # sharing changes nothing, on every rule we run
    # Plain axe leaves its deprecated rules off (audio-caption: an autoplaying <audio> is "needs review" for us).
    assert _without(shared, off) == expected


def _run_by_default(session: Any) -> set[str]:
    """The rules plain axe (injected by :func:`plain` in the page's world) runs with its default options."""
    return set(session.driver.execute_script("return axe._audit.rules.filter(r => r.enabled !== false).map(r => r.id)"))


def _without(sets: dict[str, dict[str, Any]], rules: set[str]) -> dict[str, dict[str, Any]]:
    return {kind: {rule: nodes for rule, nodes in found.items() if rule not in rules} for kind, found in sets.items()}


@pytest.mark.parametrize("page", [f"{side}/{name}.html" for side in ("before", "after")
                                  for name in ("home", "news", "tickets", "survey", "template")])
def test_wai_bad_page_same_as_plain_axe(session: Any, page: str) -> None:
    if not (BAD / page).is_file():
        pytest.skip(f"the WAI BAD demo is not at {BAD}")
    with StaticServer(BAD) as server:
        url = server.url_for(BAD / page)
        shared, _, counts = ours(session, url, RULES)
        expected, _ = plain(session, url, RULES)
    assert shared == expected
    assert counts["evaluated"] > 0


def test_big_page_same_as_plain_axe_and_shared(session: Any, tmp_path: Path) -> None:
    page = tmp_path / "news.html"
    page.write_text(big_page(300), encoding="utf-8")
    with StaticServer(tmp_path) as server:
        url = server.url_for(page)
        shared, _, counts = ours(session, url, RULES)
        alone, _, none = ours(session, url, RULES, shared=False)
        expected, _ = plain(session, url, RULES)
    assert shared == expected == alone
    # The page's failures are found: grey text on white and links told apart by colour alone.
    assert len(shared["violations"]["color-contrast"]) == 3  # the .pale text, 3 times
    assert len(shared["violations"]["link-in-text-block"]) == 3 * 2
    # ~900 text nodes and 300 links come in a handful of distinct styles: nearly every result is reused.
    assert counts["reused"] > 10 * counts["evaluated"] and none is None
