"""A page check reads its ruleset parameter in the browser too: UX-P06 judged with a ruleset that raises the smallest
text size from 12px to 14px, UX-P07 with one that raises the smallest target from 24px to 44px (issue #11)."""

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


def test_a_ruleset_raising_the_target_size_fails_a_32px_button(fixture_server: FixtureServer, page_pool: Any,
                                                             tmp_path: Path) -> None:
    ruleset = tmp_path / "larger-targets.yaml"
    ruleset.write_text("id: larger-targets\nversion: '1'\ntitle: {ja: 大きめ, en: larger}\n"
                       "extends: wcag-2.2-aa-additions\n"
                       "parameters:\n  target_size_min_px:\n    value: 44\n    unit: px\n"
                       "    title: {ja: タップ領域の下限（一辺）, en: Smallest target size (each side)}\n"
                       "    source: WCAG 2.2 SC 2.5.5 (AAA)\n",
                       encoding="utf-8")
    default, larger = load_bundled_checks()["UX-P07"], load_ruleset(str(ruleset)).checks["UX-P07"]
    url = fixture_server.add("/parameters/ux-p07/index.html",
                             '<button style="width:32px;height:32px;padding:0">送</button>'
                             '<button style="width:48px;height:48px;padding:0">信</button>')
    pages = collect_service_pages([url], [], None, page_options(), needs_of([default, larger]), pool=page_pool)
    facts = Facts(pages=pages, today=TODAY)
    passed = evaluate_check(default, facts)
    assert [f.status for f in passed] == [Status.PASS]
    findings = evaluate_check(larger, facts)
    assert [f.status for f in findings] == [Status.FAIL]
    assert findings[0].message.en.startswith("1 button(s) or link(s) smaller than 44×44px")
    assert "44×44px 未満" in findings[0].message.ja and "WCAG 2.2 SC 2.5.5 (AAA)" in findings[0].message.en
    # The default names its number and its source, WCAG 2.2's 2.5.8 (not the code of conduct).
    small = fixture_server.add("/parameters/ux-p07/small.html",
                               '<button style="width:20px;height:20px;padding:0">x</button>')
    small_pages = collect_service_pages([small], [], None, page_options(), needs_of([default]), pool=page_pool)
    failed = evaluate_check(default, Facts(pages=small_pages, today=TODAY))
    assert [f.status for f in failed] == [Status.FAIL]
    assert "24×24px" in failed[0].message.en and "WCAG 2.2 SC 2.5.8" in failed[0].message.en
