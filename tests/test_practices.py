"""Practices: each traced to the source's words, every check the evidence of a practice, and principles scored
through practices so that many checks of one kind cannot outweigh the others (issue #11)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import guideline_lint.loading
from guideline_lint.errors import InputError
from guideline_lint.loading import load_bundled_checks, load_ruleset
from guideline_lint.model import Finding, PracticeSettings, Severity, Skipped, Status, Target, Text, Verification
from guideline_lint.practices import (
    catalogue,
    check_category,
    principle_mismatches,
    trace_table,
    unmapped,
    weight_shares,
    weighted,
)
from guideline_lint.scoring import Weights, score_principles, weights_of

from helpers import ROOT, SHARED

SOURCE_NAME = "code-of-conduct-1.1.0-version-up-paper.txt"
CHECKS = load_bundled_checks()
T = Text(ja="t", en="t")
TITLES = {p: Text(ja=f"原則{p}", en=f"P{p}") for p in range(1, 11)}


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    path = SHARED / "reference" / SOURCE_NAME
    if path.is_file():
        return path.read_text(encoding="utf-8").splitlines()
    pytest.skip(f"{SOURCE_NAME} is not in a shared/reference folder above the checkout")


def test_every_practice_quotes_the_source_at_its_lines(source_lines: list[str]) -> None:
    for practice in catalogue().values():
        assert practice.source, practice.id
        for line, quote in practice.source:
            assert quote in source_lines[line - 1], (practice.id, line, quote)
        assert practice.title.ja != practice.title.en


def test_every_principle_has_practices_and_a_kpi_practice() -> None:
    per_principle = Counter(p.principle for p in catalogue().values())
    assert sorted(per_principle) == list(range(1, 11)) and min(per_principle.values()) >= 4
    assert all(f"P{n}-KPI" in catalogue() for n in range(1, 11))


def test_every_check_is_the_evidence_of_a_practice() -> None:
    assert unmapped(CHECKS) == [], "map these checks to a practice in rulesets/practices.yaml"
    for practice in catalogue().values():
        assert set(practice.checks) <= set(CHECKS), (practice.id, set(practice.checks) - set(CHECKS))


def test_unmapped_checks_are_found() -> None:
    assert unmapped(["UX-M01", "NEW-001"]) == ["NEW-001"]


def test_a_check_is_the_evidence_of_one_practice_per_principle() -> None:
    seen: dict[tuple[str, int], str] = {}
    for practice in catalogue().values():
        for check_id in practice.checks:
            key = (check_id, practice.principle)
            assert key not in seen, f"{check_id} is in {seen[key]} and {practice.id} of principle {practice.principle}"
            seen[key] = practice.id


def test_ruleset_weights_name_existing_practices(tmp_path: Path) -> None:
    default = load_ruleset()
    assert default.practices is not None and set(default.practices.weights) <= set(catalogue())
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\ntitle: {ja: 悪い, en: bad}\nextends: tokyo-code-of-conduct-1.1.0\n"
                   "practices: {weights: {P1-USERTEST: 3}}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_ruleset(str(bad))
    assert "P1-USER-TEST" in (error.value.hint.en if error.value.hint else "")


def test_a_ruleset_extending_the_default_inherits_practices_and_the_pass_mark(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("id: child\nversion: '1'\ntitle: {ja: 子, en: child}\nextends: tokyo-code-of-conduct-1.1.0\n",
                     encoding="utf-8")
    resolved = load_ruleset(str(child))
    assert resolved.practices == load_ruleset().practices
    assert resolved.thresholds[1] == 60 and resolved.parameters["pass_mark"].source == "guideline-lint default"
    assert weights_of(resolved).threshold_source == "guideline-lint default"


def test_jis_rulesets_are_scored_by_checks_not_practices() -> None:
    assert load_ruleset("jis-x-8341-3-aa").practices is None
    assert weights_of(load_ruleset("jis-x-8341-3-aa")).practices == ()


# --------------------------------------------------------------------------- scoring through practices


def finding(check: str, status: Status, severity: Severity = Severity.MEDIUM, principles: tuple[int, ...] = (1,),
            subject: str | None = None) -> Finding:
    return Finding(check_id=check, title=T, principles=list(principles), domain="governance", target=Target.MANIFEST,
                   status=status, severity=severity, verification=Verification.MACHINE, message=T, subject=subject)


SETTINGS = PracticeSettings(default_weight=1, weights={"P7-DASHBOARD": 2, "P7-OPEN-DATA": 2})
FORMAT_CHECKS = list(catalogue()["P7-MACHINE-READABLE"].checks)


SEVERITY = {Severity.CRITICAL: 10, Severity.HIGH: 7, Severity.MEDIUM: 3, Severity.LOW: 1}
PLAIN = Weights(per_check={}, per_severity=SEVERITY, thresholds={})  # scored by checks, as before practices


def weights_for(checks: list[str]) -> Weights:
    return Weights(per_check={}, per_severity=SEVERITY, thresholds={}, practices=weighted(SETTINGS, checks))


def test_many_format_checks_are_one_practice_not_most_of_the_principle() -> None:
    findings = [finding(c, Status.PASS, principles=(4, 7)) for c in FORMAT_CHECKS]
    findings += [finding("VIS-001", Status.FAIL, principles=(7,)), finding("DATA-M03", Status.FAIL, principles=(7, 4))]
    _, by_checks = score_principles(findings, [], PLAIN, TITLES)
    _, by_practices = score_principles(findings, [], weights_for([f.check_id for f in findings]), TITLES)
    assert by_checks[6].score is not None and by_checks[6].score > 80  # the format checks carried principle 7
    seven = by_practices[6]
    # DASHBOARD (2) and OPEN-DATA (2) fail, MACHINE-READABLE (1) passes: 100 × 1 / 5
    assert seven.score == 20.0
    scored = {p.id: p for p in seven.practices}
    assert scored["P7-MACHINE-READABLE"].score == 100.0 and scored["P7-DASHBOARD"].score == 0.0
    assert scored["P7-DELIBERATIONS"].score is None and scored["P7-DELIBERATIONS"].checks == []
    assert scored["P7-MACHINE-READABLE"].lines == [489]
    # the format checks are #7's evidence only: principle 4 is not moved by them
    assert by_practices[3].score is None or "DATA-L1-01" not in {c.id for p in by_practices[3].practices
                                                                for c in p.checks}


def test_a_practice_without_applicable_checks_is_not_assessed_and_not_zero() -> None:
    findings = [finding("VIS-001", Status.PASS, principles=(7,)), finding("DATA-M03", Status.NOT_APPLICABLE)]
    _, scores = score_principles(findings, [], weights_for(["VIS-001", "DATA-M03"]), TITLES)
    seven = scores[6]
    assert seven.score == 100.0
    assert {p.id: p.score for p in seven.practices}["P7-OPEN-DATA"] is None


def test_critical_and_high_stay_pass_fail_within_a_practice() -> None:
    pages = [finding("DATA-L1-01", Status.PASS, Severity.HIGH, (7,), subject=f"f{i}") for i in range(20)]
    pages.append(finding("DATA-L1-01", Status.FAIL, Severity.HIGH, (7,), subject="bad.csv"))
    _, scores = score_principles(pages, [], weights_for(["DATA-L1-01"]), TITLES)
    assert scores[6].score == 0.0


def test_errors_never_raise_a_score_and_skipped_lowers_coverage() -> None:
    base = [finding("VIS-001", Status.PASS, principles=(7,)), finding("DATA-M03", Status.FAIL, principles=(7,))]
    _, before = score_principles(base, [], weights_for(["VIS-001", "DATA-M03", "DATA-L1-01"]), TITLES)
    with_error = [*base, finding("DATA-L1-01", Status.ERROR, Severity.HIGH, (7,))]
    _, after = score_principles(with_error, [], weights_for(["VIS-001", "DATA-M03", "DATA-L1-01"]), TITLES)
    assert after[6].score is not None and before[6].score is not None and after[6].score <= before[6].score
    assert after[6].incomplete and after[6].errors == 1
    skipped = [Skipped(check_id="DATA-L1-01", principles=[7], severity=Severity.HIGH, target=Target.DATA, reason=T)]
    _, partial = score_principles(base, skipped, weights_for(["VIS-001", "DATA-M03", "DATA-L1-01"]), TITLES)
    assert partial[6].score == before[6].score and partial[6].coverage == round(4 / 5, 3) and partial[6].incomplete


def test_a_check_outside_every_practice_still_counts() -> None:
    findings = [finding("VIS-001", Status.PASS, principles=(7,)), finding("NEW-001", Status.FAIL, principles=(7,))]
    _, scores = score_principles(findings, [], weights_for(["VIS-001"]), TITLES)
    loose = {p.id: p for p in scores[6].practices}["P7-UNMAPPED"]
    assert loose.score == 0.0 and [c.id for c in loose.checks] == ["NEW-001"]


# --------------------------------------------------------------------------- the goal of issue #11


def test_no_principle_over_one_third_from_format_checks_of_one_kind() -> None:
    """Structural bound on the default ruleset: with every practice that has checks assessed, the practices holding
    page-format or data-format checks weigh at most one third of each principle."""
    default = load_ruleset()
    practices = weights_of(default).practices
    for principle in range(1, 11):
        mine = [p for p in practices if p.principle == principle and p.checks]
        total = sum(p.weight for p in mine)
        for category in ("page-format", "data-format"):
            holding = sum(p.weight for p in mine
                          if any(check_category(default.checks[c]) == category for c in p.checks))
            assert holding / total <= 1 / 3, (principle, category, holding, total)


def test_weight_shares_of_a_report() -> None:
    from guideline_lint.model import Report

    findings = [finding(c, Status.PASS, principles=(4, 7)) for c in FORMAT_CHECKS[:3]]
    findings.append(finding("VIS-001", Status.PASS, principles=(7,)))
    categories = {f.check_id: ("data-format" if f.check_id.startswith("DATA-L") else "other") for f in findings}
    for weights, expected in ((weights_for([f.check_id for f in findings]), 1 / 3),
                              (PLAIN, 3 / 4)):
        overall, principles = score_principles(findings, [], weights, TITLES)
        report = Report(tool={}, ruleset={}, service={}, generated_at="", score=overall, principles=principles,
                        findings=findings)
        assert weight_shares(report, weights, categories)[7]["data-format"] == round(expected, 3)


def test_docs_scoring_holds_the_current_trace_table() -> None:
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    assert trace_table(CHECKS) in text, "docs/scoring.md is stale: run python -m guideline_lint.docs"


def test_every_check_names_the_principles_of_its_practices() -> None:
    """A check's `principles:` are those of the practices it is evidence for (the source's principle of each
    action); a second principle only where the source names the action under both (OSS-002: #6 and #8)."""
    assert principle_mismatches() == {}
    assert CHECKS["OSS-002"].principles == [6, 8]


def test_principle_mismatches_name_checks_and_both_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    moved = CHECKS["SEC-011"].model_copy(update={"principles": [6, 5]})
    monkeypatch.setattr(guideline_lint.loading, "load_bundled_checks", lambda: {**CHECKS, "SEC-011": moved})
    assert principle_mismatches() == {"SEC-011": ([6, 5], [2])}
