"""Markdown summary: score table with changes, gate, top failures, better/worse, link to the full report."""

from __future__ import annotations

import re

import pytest
from report_fixtures import finding

from guideline_lint.model import Location, Report, Status, Text
from guideline_lint.report import markdown, render


def table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def section(text: str, heading_start: str) -> str:
    start = text.index(heading_start)
    end = text.find("\n### ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_score_table_has_every_principle_and_the_change(report: Report, baseline: Report) -> None:
    text = render(report, "markdown", "ja", baseline)
    rows = table_rows(text)
    assert rows[0] == ["原則", "スコア", "前回比", "基準", "網羅率", "合格 / 不合格 / 要確認"]
    body = {row[0].split(".")[0]: row for row in rows[1:]}
    assert sorted(body, key=int) == [str(n) for n in range(1, 11)]
    assert body["5"][1] == "55.0（基準未満）"
    assert body["5"][2] == "↓ -20.0"
    assert body["3"][2] == "↑ +2.5"
    assert body["1"][2] == "→ +0.0"
    assert body["6"][1] == "未評価" and body["6"][2] == ""
    assert "**総合スコア:** 63.4 (↑ +3.3)" in text
    assert "**入力項目数:** 14 (↓ -3.0)" in text
    assert "**ゲート:** ❌ 不合格" in text
    assert "- 重大度「高」の不合格が 2 件あります" in text


def test_without_baseline_there_is_no_change_column(report: Report) -> None:
    text = render(report, "markdown", "en")
    assert table_rows(text)[0] == ["Principle", "Score", "Threshold", "Coverage", "Pass / fail / manual"]
    assert "Changes since the baseline" not in text
    assert "**Gate:** ❌ failed" in text


def test_top_failures_worst_first_with_place_and_fix(report: Report) -> None:
    text = render(report, "markdown", "en")
    top = section(text, "### Top failures")
    ids = re.findall(r"^- \*\*([A-Z0-9.-]+)\*\*", top, flags=re.M)
    assert ids == ["SEC-004", "A11Y-1.1.1", "GOV-003", "DATA-L1-01", "A11Y-1.4.3"]
    assert "`digital-service.yaml:21:3`" in top
    assert "`data/施設一覧.csv row 4 column 住所`" in top
    assert "**Fix:** Fill in the CSIRT contact" in top
    # Waived and manual items are not failures here.
    assert "GOV-010" not in top and "UX-012" not in top
    assert "Waived findings: 1" in text


def test_top_failures_are_capped(report: Report) -> None:
    many = [finding(f"X-{i}", "fail", severity="low") for i in range(30)]
    text = render(report.model_copy(update={"findings": many}), "markdown", "en")
    assert "Top failures (10 of 30)" in text
    assert len(re.findall(r"^- \*\*X-", text, flags=re.M)) == markdown.TOP_FAILURES


def test_better_and_worse_matched_by_check_target_and_place(report: Report, baseline: Report) -> None:
    text = render(report, "markdown", "en", baseline)
    changes = section(text, "### Changes since the baseline")
    worse, better = changes.split("**Better")
    assert "**Worse or new (1)**" in worse
    assert "**SEC-004**" in worse and "(fail)" in worse
    assert "(1)**" in better[:10]
    assert "**UX-020**" in better and "(no longer reported)" in better
    # The same check failing somewhere else is new, not the old failure.
    moved = report.findings[3].model_copy(update={"location": Location(file="docs/other.md"),
                                                  "subject": "docs/other.md"})
    now = report.model_copy(update={"findings": [*report.findings, moved]})
    _, worse_now = markdown.compare(now, baseline)
    assert [f.check_id for f in worse_now] == ["SEC-004", "GOV-003"]


def test_a_fixed_finding_shows_its_current_state(report: Report, baseline: Report) -> None:
    fixed = [f if f.check_id != "GOV-003" else f.model_copy(update={"status": Status.PASS}) for f in report.findings]
    better, _ = markdown.compare(report.model_copy(update={"findings": fixed}), baseline)
    assert {f.check_id: f.status.value for f in better} == {"GOV-003": "pass", "UX-020": "fail"}


def test_link_to_the_full_report_from_the_environment(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(markdown.REPORT_URL_ENV, raising=False)
    assert "Full report" not in render(report, "markdown", "en")
    monkeypatch.setenv(markdown.REPORT_URL_ENV, "https://ci.example.jp/runs/42 (artifact)")
    text = render(report, "markdown", "en")
    assert "[Full report](https://ci.example.jp/runs/42%20%28artifact%29)" in text


def test_markup_in_messages_cannot_break_the_table_or_the_list(report: Report) -> None:
    tricky = finding("X-1", "fail", severity="critical",
                     message=Text(ja="a | b *c* <script>", en="a | b *c* <script>"))
    text = render(report.model_copy(update={"findings": [tricky]}), "markdown", "en")
    assert "a | b \\*c\\* \\<script\\>" in text
    rows = table_rows(text)
    assert all(len(row) == len(rows[0]) for row in rows)


def test_long_output_is_cut_to_fit_a_comment(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "TOP_FAILURES", 10_000)
    long_text = Text(ja="長い説明" * 200, en="long text " * 200)
    many = [finding(f"X-{i}", "fail", message=long_text) for i in range(200)]
    text = render(report.model_copy(update={"findings": many}), "markdown", "en")
    assert len(text) <= markdown.MAX_CHARS
    assert text.rstrip().endswith("(the rest was cut to fit)")


def test_an_expired_waiver_is_named_on_the_failure_in_every_format(report: Report) -> None:
    expired = finding("GOV-011", "fail", severity="high", waiver={
        "reason": "移行中", "approver": "情報政策課", "expires": "2026-01-31", "expired": True})
    text = render(report.model_copy(update={"findings": [expired]}), "markdown", "en")
    assert "Its waiver expired on 2026-01-31." in text
    html_text = render(report.model_copy(update={"findings": [expired]}), "html", "ja")
    assert "免除の期限（2026-01-31）が切れています。" in html_text
    sarif_text = render(report.model_copy(update={"findings": [expired]}), "sarif", "en")
    assert "Its waiver expired on 2026-01-31." in sarif_text and "suppressions" not in sarif_text
    junit_text = render(report.model_copy(update={"findings": [expired]}), "junit", "ja")
    assert "免除の期限（2026-01-31）が切れています。" in junit_text and "<failure" in junit_text


def test_one_check_failing_on_several_pages_is_one_item(report: Report) -> None:
    pages = [finding("A11Y-X", "fail", target="page", severity="high", subject=f"site/p{i}.html",
                     location=Location(url=f"site/p{i}.html", selector="img")) for i in range(9)]
    text = render(report.model_copy(update={"findings": pages}), "markdown", "en")
    assert "Top failures (1 of 1)" in text
    assert text.count("**A11Y-X**") == 1
    assert "The same failure in 8 more places: `site/p1.html img`," in text
    assert "`site/p5.html img`, 3 more" in text
