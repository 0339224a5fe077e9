"""Scoring, waivers, baselines and the gate (DESIGN §4), on hand-made findings."""

from __future__ import annotations

from datetime import date

from guideline_lint.model import Finding, Location, Report, Severity, Skipped, Status, Target, Text, Verification
from guideline_lint.scoring import Weights, apply_waivers, gate, new_failures, score_principles

WEIGHTS = Weights(per_check={}, per_severity={Severity.CRITICAL: 10, Severity.HIGH: 7, Severity.MEDIUM: 3,
                                              Severity.LOW: 1}, thresholds={1: 60})
TITLES = {p: Text(ja=f"原則{p}", en=f"P{p}") for p in range(1, 11)}
T = Text(ja="t", en="t")


def finding(check: str, status: Status, severity: Severity = Severity.HIGH, principles: tuple[int, ...] = (1,),
            subject: str | None = None, file: str = "digital-service.yaml", path: str | None = None) -> Finding:
    return Finding(check_id=check, title=T, principles=list(principles), domain="governance", target=Target.MANIFEST,
                   status=status, severity=severity, verification=Verification.MACHINE, message=T,
                   location=Location(file=file, line=3, column=1, path=path), subject=subject)


def scores(findings: list[Finding], skipped: list[Skipped] | None = None):
    return score_principles(findings, skipped or [], WEIGHTS, TITLES)


def test_weighted_score_and_null_for_unassessed_principles() -> None:
    overall, principles = scores([finding("A", Status.PASS, Severity.HIGH), finding("B", Status.FAIL, Severity.MEDIUM)])
    assert principles[0].score == round(100 * 7 / 10, 1)
    assert principles[0].passed == 1 and principles[0].failed == 1
    assert all(p.score is None for p in principles[1:])  # not assessed, never 100
    assert overall == principles[0].score


def test_not_applicable_is_left_out_and_only_na_means_not_assessed() -> None:
    _, principles = scores([finding("A", Status.NOT_APPLICABLE), finding("B", Status.PASS, Severity.LOW)])
    assert principles[0].score == 100.0 and principles[0].not_applicable == 1
    _, only_na = scores([finding("A", Status.NOT_APPLICABLE)])
    assert only_na[0].score is None


def test_partial_credit_only_for_low_and_medium() -> None:
    pages = [finding("LOW", Status.PASS, Severity.LOW, subject=f"u{i}") for i in range(3)]
    pages.append(finding("LOW", Status.FAIL, Severity.LOW, subject="u3"))
    _, principles = scores(pages)
    assert principles[0].score == 75.0
    many = [finding("HIGH", Status.PASS, subject=f"u{i}") for i in range(99)]
    many.append(finding("HIGH", Status.FAIL, subject="x"))
    _, principles = scores(many)
    assert principles[0].score == 0.0  # many clean pages cannot hide one serious failure


def test_manual_and_error_earn_nothing_and_errors_mark_incomplete() -> None:
    _, principles = scores([finding("A", Status.PASS), finding("B", Status.MANUAL), finding("C", Status.ERROR)])
    first = principles[0]
    assert first.score == round(100 * 7 / 21, 1)
    assert first.incomplete and first.errors == 1 and first.manual == 1
    assert first.coverage == round(14 / 21, 3)


def test_skipped_checks_lower_coverage_not_score() -> None:
    skipped = [Skipped(check_id="P", principles=[1], severity=Severity.HIGH, target=Target.PAGE, reason=T)]
    _, principles = scores([finding("A", Status.PASS)], skipped)
    assert principles[0].score == 100.0 and principles[0].coverage == 0.5 and principles[0].incomplete


def test_waiver_changes_the_gate_never_the_score() -> None:
    findings = [finding("A", Status.FAIL), finding("B", Status.PASS)]
    waivers = [{"check": "A", "reason": "legacy form", "approver": "CDO", "expires": date(2027, 1, 1)}]
    waived = apply_waivers(findings, waivers, date(2026, 11, 26))
    assert waived[0].status == Status.WAIVED and waived[0].waiver["approver"] == "CDO"
    overall_before, _ = scores(findings)
    overall_after, _ = scores(waived)
    assert overall_before == overall_after == 50.0
    assert not gate(findings, [], overall_before).passed
    assert gate(waived, [], overall_after).passed


def test_expired_waiver_counts_as_a_failure() -> None:
    waivers = [{"check": "A", "reason": "r", "approver": "a", "expires": date(2026, 1, 1)}]
    result = apply_waivers([finding("A", Status.FAIL, Severity.LOW)], waivers, date(2026, 11, 26))
    assert result[0].status == Status.FAIL and result[0].waiver["expired"]
    verdict = gate(result, [], 50.0)
    assert not verdict.passed and "expired" in verdict.reasons[0].en


def test_waiver_limited_to_a_path() -> None:
    waivers = [{"check": "A", "path": "data/old-*.csv", "reason": "r", "approver": "a", "expires": date(2030, 1, 1)}]
    findings = [finding("A", Status.FAIL, subject="data/old-2019.csv"),
                finding("A", Status.FAIL, subject="data/new.csv")]
    statuses = [f.status for f in apply_waivers(findings, waivers, date(2026, 11, 26))]
    assert statuses == [Status.WAIVED, Status.FAIL]


def test_gate_thresholds_and_fail_under() -> None:
    _, principles = scores([finding("A", Status.PASS, Severity.LOW), finding("B", Status.FAIL, Severity.MEDIUM)])
    verdict = gate([], principles, 25.0, fail_under=30)
    texts = " ".join(r.en for r in verdict.reasons)
    assert not verdict.passed and "principle 1 scores 25.0" in texts and "--fail-under 30" in texts
    assert gate([], principles, 25.0, fail_under=20).passed is False  # the threshold alone still fails
    assert gate([finding("C", Status.FAIL, Severity.MEDIUM)], [], 90.0).passed  # medium failures do not gate


def _report(findings: list[Finding]) -> Report:
    overall, principles = scores(findings)
    return Report(tool={}, ruleset={}, service={}, generated_at="", score=overall, principles=principles,
                  findings=findings)


def test_baseline_counts_only_new_failures_matched_by_place_not_line() -> None:
    old = [finding("A", Status.FAIL, path="security.bcp")]
    baseline = _report(old)
    moved = finding("A", Status.FAIL, path="security.bcp").model_copy(
        update={"location": Location(file="digital-service.yaml", line=40, column=3, path="security.bcp")})
    other_place = finding("A", Status.FAIL, path="security.csirt_contact")
    assert new_failures([moved], baseline) == []
    assert new_failures([other_place], baseline) == [other_place]
    assert gate([moved], [], 50.0, baseline=baseline).passed
    assert not gate([moved, other_place], [], 50.0, baseline=baseline).passed


def test_baseline_gates_a_threshold_only_when_the_principle_drops() -> None:
    baseline = _report([finding("A", Status.PASS, Severity.LOW), finding("B", Status.FAIL, Severity.MEDIUM)])
    same = baseline.principles
    assert gate([], same, 25.0, baseline=baseline).passed
    _, worse = scores([finding("A", Status.FAIL, Severity.LOW), finding("B", Status.FAIL, Severity.MEDIUM)])
    assert not gate([], worse, 0.0, baseline=baseline).passed


def test_one_status_order_and_one_severity_order() -> None:
    ranked = sorted(Status, key=lambda s: s.rank)
    assert ranked == [Status.FAIL, Status.ERROR, Status.MANUAL, Status.WAIVED, Status.PASS, Status.NOT_APPLICABLE]
    assert Status.worst([Status.PASS, Status.ERROR, Status.FAIL]) == Status.FAIL
    assert Status.worst([Status.PASS, Status.WAIVED, Status.MANUAL]) == Status.MANUAL
    assert Status.worst([]) == Status.NOT_APPLICABLE
    assert sorted(Severity, key=lambda s: s.rank, reverse=True) == [
        Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


def test_a_failure_next_to_an_error_counts_as_failed_and_keeps_the_principle_incomplete() -> None:
    _, principles = scores([finding("A", Status.FAIL, subject="u1"), finding("A", Status.ERROR, subject="u2"),
                            finding("B", Status.PASS)])
    first = principles[0]
    assert (first.failed, first.errors, first.passed) == (1, 0, 1)
    assert first.incomplete
    assert first.coverage == 0.5  # A could not be judged everywhere: its weight is not evaluated
    assert first.score == 50.0


def test_fingerprint_is_check_target_and_place_not_line() -> None:
    one = finding("A", Status.FAIL, path="security.bcp")
    moved = one.model_copy(update={"location": Location(file="digital-service.yaml", line=40, path="security.bcp")})
    assert moved.fingerprint == one.fingerprint
    assert finding("A", Status.FAIL, path="security.csirt").fingerprint != one.fingerprint
    assert finding("B", Status.FAIL, path="security.bcp").fingerprint != one.fingerprint
    assert finding("A", Status.FAIL, subject="https://a.example/").fingerprint != \
        finding("A", Status.FAIL, subject="https://b.example/").fingerprint
