"""W3C WAI "Before and After" demo: every inaccessible page shows JIS X 8341-3 failures, no repaired one does."""

from __future__ import annotations

from typing import Any

import pytest
from page_fixtures import page_options

from guideline_lint.collect.pages import collect_service_pages
from guideline_lint.engine import evaluate
from guideline_lint.facts import Facts
from guideline_lint.kinds import needs_of
from guideline_lint.loading import load_ruleset
from guideline_lint.model import Status

from helpers import SHARED

pytestmark = pytest.mark.browser
BAD = SHARED / "benchmarks" / "wai-bad"
PAGES = ["home", "news", "tickets", "survey", "template"]


@pytest.fixture(scope="module")
def findings(page_pool: Any) -> dict[str, set[str]]:
    if not (BAD / "before").is_dir():
        pytest.skip(f"the WAI BAD demo is not at {BAD}")
    checks = list(load_ruleset("jis-x-8341-3-aa").checks.values())
    files = [BAD / side / f"{name}.html" for side in ("before", "after") for name in PAGES]
    pages = collect_service_pages([], files, BAD, page_options(), needs_of(checks), pool=page_pool)
    assert all(page.error is None for page in pages), [(p.url, p.error) for p in pages]
    results, _ = evaluate(checks, Facts(pages=pages))
    failed: dict[str, set[str]] = {page.url: set() for page in pages}
    for finding in results:
        assert finding.status != Status.ERROR, (finding.check_id, finding.subject, finding.reason)
        if finding.status == Status.FAIL:
            failed[finding.subject].add(finding.check_id)
    return failed


@pytest.mark.parametrize("name", PAGES)
def test_before_pages_fail_jis(findings: dict[str, set[str]], name: str) -> None:
    failed = findings[f"before/{name}.html"]
    # Missing alternatives, link names and page language are the demo's repairs on every page.
    assert {"A11Y-1-1-1", "A11Y-2-4-4", "A11Y-3-1-1"} <= failed


@pytest.mark.parametrize("name", PAGES)
def test_after_pages_have_no_a_or_aa_failure(findings: dict[str, set[str]], name: str) -> None:
    assert findings[f"after/{name}.html"] == set()
