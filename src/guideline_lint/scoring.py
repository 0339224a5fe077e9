"""Per-principle scores, waivers, baselines and the gate (DESIGN §4).

Scores are computed from findings alone plus the ruleset's weights and thresholds, so the tracker
can recompute them from an uploaded report and a client cannot upload a number.

- principle score = 100 × Σ(weight × credit) / Σ(weight) over the checks that apply to it;
- credit is 1 for pass and 0 for fail, manual, error and waived; a check judging several subjects
  gives low and medium checks the share of subjects passing, critical and high all-or-nothing;
- coverage = the share of the principle's weight that was evaluated (not skipped, not in error);
- a principle with no applicable check has score None (not assessed), never 100;
- a waiver changes the gate, never the score.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from guideline_lint.model import Finding, Gate, PrincipleScore, Report, Severity, Skipped, Status, Text

PASS_FAIL_ONLY = {Severity.CRITICAL, Severity.HIGH}


@dataclass(slots=True)
class Weights:
    """What scoring needs from a ruleset."""

    per_check: Mapping[str, float]
    per_severity: Mapping[Severity, float]
    thresholds: Mapping[int, float]

    def of(self, check_id: str, severity: Severity) -> float:
        return self.per_check.get(check_id, self.per_severity[severity])


@dataclass(slots=True)
class CheckOutcome:
    check_id: str
    severity: Severity
    status: Status  # aggregated over the check's findings
    credit: float
    errors: bool = False  # some subject could not be judged: the check is not fully evaluated


def check_outcomes(findings: Iterable[Finding]) -> dict[str, CheckOutcome]:
    """One outcome per check: a failure anywhere fails it; partial credit only for low and medium."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.check_id].append(finding)
    outcomes: dict[str, CheckOutcome] = {}
    for check_id, items in grouped.items():
        applicable = [f for f in items if f.status != Status.NOT_APPLICABLE]
        severity = items[0].severity
        if not applicable:
            outcomes[check_id] = CheckOutcome(check_id, severity, Status.NOT_APPLICABLE, 0.0)
            continue
        # The worst status stands for the check (Status.rank): a failure on one page is a failure even when
        # another page could not be judged; that error still keeps the check out of the evaluated weight.
        status = Status.worst(f.status for f in applicable)
        errors = any(f.status == Status.ERROR for f in applicable)
        passed = sum(f.status == Status.PASS for f in applicable)
        if severity in PASS_FAIL_ONLY:
            credit = 1.0 if passed == len(applicable) else 0.0
        else:
            credit = passed / len(applicable)
        outcomes[check_id] = CheckOutcome(check_id, severity, status, credit, errors)
    return outcomes


def score_principles(findings: list[Finding], skipped: list[Skipped], weights: Weights,
                     titles: Mapping[int, Text]) -> tuple[float | None, list[PrincipleScore]]:
    outcomes = check_outcomes(findings)
    principles_of: dict[str, list[int]] = {}
    for finding in findings:
        principles_of.setdefault(finding.check_id, finding.principles)
    results: list[PrincipleScore] = []
    for principle in range(1, 11):
        earned = total = evaluated = 0.0
        counts: dict[Status, int] = defaultdict(int)
        with_errors = False
        for check_id, outcome in outcomes.items():
            if principle not in principles_of[check_id]:
                continue
            counts[outcome.status] += 1
            if outcome.status == Status.NOT_APPLICABLE:
                continue
            weight = weights.of(check_id, outcome.severity)
            total += weight
            with_errors = with_errors or outcome.errors
            if not outcome.errors:
                evaluated += weight
            earned += weight * outcome.credit
        not_evaluated = sum(weights.of(s.check_id, s.severity) for s in skipped if principle in s.principles)
        score = round(100.0 * earned / total, 1) if total > 0 else None
        denominator = total + not_evaluated
        threshold = weights.thresholds.get(principle)
        results.append(PrincipleScore(
            id=principle, title=titles[principle], score=score,
            coverage=round(evaluated / denominator, 3) if denominator else 0.0,
            incomplete=with_errors or not_evaluated > 0,
            threshold=threshold,
            below_threshold=score is not None and threshold is not None and score < threshold,
            passed=counts[Status.PASS], failed=counts[Status.FAIL], manual=counts[Status.MANUAL],
            not_applicable=counts[Status.NOT_APPLICABLE], errors=counts[Status.ERROR], waived=counts[Status.WAIVED],
        ))
    assessed = [p.score for p in results if p.score is not None]
    overall = round(sum(assessed) / len(assessed), 1) if assessed else None
    return overall, results


# --------------------------------------------------------------------------- waivers


def apply_waivers(findings: list[Finding], waivers: list[dict[str, Any]], today: date,
                  aliases: Mapping[str, list[str]] | None = None) -> list[Finding]:
    """Mark failures covered by a valid waiver as waived; an expired waiver leaves the failure standing."""
    aliases = aliases or {}
    result: list[Finding] = []
    for finding in findings:
        names = {finding.check_id, *aliases.get(finding.check_id, [])}
        waiver = next((w for w in waivers if w["check"] in names and _waiver_covers(w, finding)), None)
        if waiver is None or finding.status != Status.FAIL:
            result.append(finding)
            continue
        expires = waiver["expires"]
        info = {"reason": waiver["reason"], "approver": waiver["approver"], "expires": expires.isoformat(),
                "expired": expires < today}
        if expires < today:
            result.append(finding.model_copy(update={"waiver": info}))
        else:
            result.append(finding.model_copy(update={
                "status": Status.WAIVED, "waiver": info,
                "reason": Text(ja=f"免除: {waiver['reason']}（承認 {waiver['approver']}、{expires} まで）",
                               en=f"waived: {waiver['reason']} (approved by {waiver['approver']}, until {expires})"),
            }))
    return result


def _waiver_covers(waiver: Mapping[str, Any], finding: Finding) -> bool:
    pattern = waiver.get("path")
    if not pattern:
        return True
    where = [finding.subject, finding.location.file if finding.location else None,
             finding.location.url if finding.location else None]
    return any(w and fnmatch.fnmatchcase(w, pattern) for w in where)


# --------------------------------------------------------------------------- baseline and gate


def new_failures(findings: list[Finding], baseline: Report | None) -> list[Finding]:
    failing = [f for f in findings if f.status == Status.FAIL]
    if baseline is None:
        return failing
    # Matched by Finding.fingerprint: check, target and place, not the line.
    known = {f.fingerprint for f in baseline.findings if f.status in (Status.FAIL, Status.WAIVED)}
    return [f for f in failing if f.fingerprint not in known]


def gate(findings: list[Finding], principles: list[PrincipleScore], overall: float | None,
         fail_under: float | None = None, baseline: Report | None = None) -> Gate:
    reasons: list[Text] = []
    blocking = [f for f in new_failures(findings, baseline) if f.severity in PASS_FAIL_ONLY]
    if blocking:
        ids = ", ".join(sorted({f.check_id for f in blocking}))
        reasons.append(Text(ja=f"重大度 critical/high の不合格が {len(blocking)} 件あります: {ids}",
                            en=f"{len(blocking)} critical/high failure(s): {ids}"))
    expired = sorted({f.check_id for f in findings if f.waiver and f.waiver.get("expired")})
    if expired:
        reasons.append(Text(ja=f"期限切れの免除があります: {', '.join(expired)}",
                            en=f"expired waiver(s): {', '.join(expired)}"))
    before = {p.id: p.score for p in baseline.principles} if baseline else {}
    for principle in principles:
        if not principle.below_threshold:
            continue
        previous = before.get(principle.id)
        if baseline is not None and previous is not None and principle.score is not None and \
                principle.score >= previous:
            continue  # a legacy shortfall recorded in the baseline; only a drop gates
        reasons.append(Text(
            ja=f"原則{principle.id}のスコア {principle.score} が基準 {principle.threshold} を下回っています",
            en=f"principle {principle.id} scores {principle.score}, under its threshold {principle.threshold}"))
    if fail_under is not None and (overall is None or overall < fail_under):
        reasons.append(Text(ja=f"総合スコア {overall} が --fail-under {fail_under} を下回っています",
                            en=f"overall score {overall} is under --fail-under {fail_under}"))
    return Gate(passed=not reasons, reasons=reasons)


def weights_of(ruleset: Any) -> Weights:
    """Weights of a resolved ruleset (loading.ResolvedRuleset)."""
    return Weights(per_check=ruleset.weights, per_severity=ruleset.severity_weights, thresholds=ruleset.thresholds)


def recompute(report: Report, weights: Weights, titles: Mapping[int, Text], fail_under: float | None = None,
              baseline: Report | None = None) -> Report:
    """The report with its scores and gate computed afresh from its findings (what the tracker trusts)."""
    overall, principles = score_principles(report.findings, report.skipped, weights, titles)
    return report.model_copy(update={
        "score": overall, "principles": principles,
        "gate": gate(report.findings, principles, overall, fail_under, baseline),
    })
