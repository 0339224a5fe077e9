"""A page check reads its ruleset parameter in the browser too: UX-P06 judged with a ruleset that raises the smallest
text size from 12px to 14px (issue #11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from page_fixtures import FixtureServer, page_options

from guideline_lint.collect.pages import collect_service_pages
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts
from guideline_lint.kinds import needs_of
from guideline_lint.loading import DEFAULT_RULESET, load_bundled_checks, load_ruleset
from guideline_lint.model import Status

from helpers import TODAY

pytestmark = pytest.mark.browser


def test_a_ruleset_raising_the_text_size_fails_13px_text(fixture_server: FixtureServer, page_pool: Any,
                                                         tmp_path: Path) -> None:
    ruleset = tmp_path / "larger.yaml"
    ruleset.write_text(f"id: larger\nversion: '1'\ntitle: {{ja: 大きめ, en: larger}}\nextends: {DEFAULT_RULESET}\n"
                       "parameters:\n  text_size_min_px:\n    value: 14\n    unit: px\n"
                       "    title: {ja: 文字サイズの下限, en: Smallest text size}\n"
                       "    source: our bureau's style guide\n",
                       encoding="utf-8")
    default, larger = load_bundled_checks()["UX-P06"], load_ruleset(str(ruleset)).checks["UX-P06"]
    url = fixture_server.add("/parameters/ux-p06/index.html", '<p style="font-size:13px">注記です。</p>')
    pages = collect_service_pages([url], [], None, page_options(), needs_of([default, larger]), pool=page_pool)
    facts = Facts(pages=pages, today=TODAY)
    assert {f.status for f in evaluate_check(default, facts)} == {Status.PASS}
    findings = evaluate_check(larger, facts)
    assert [f.status for f in findings] == [Status.FAIL]
    assert "14px" in findings[0].message.en and "our bureau's style guide" in findings[0].message.en
