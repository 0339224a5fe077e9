"""Per-principle scores, waivers, baselines and the gate (DESIGN §4).

Scores are computed from findings alone plus the ruleset's weights and thresholds, so the tracker
can recompute them from an uploaded report and a client cannot upload a number.

A principle is scored through its practices (rulesets/practices.yaml) when the ruleset says so:
- practice score = 100 × Σ(check weight × credit) / Σ(check weight) over its checks that apply;
- principle score = Σ(practice weight × practice score) / Σ(practice weight) over its assessed practices,
  so many checks of one kind are one practice's evidence and cannot outweigh the other practices;
- a practice none of whose checks applies is not assessed (left out, not 0 and not 100).
Without practices (e.g. the JIS X 8341-3 rulesets) the principle is one group of all its checks.
- credit is 1 for pass and 0 for fail, manual, error and waived; a check judging several subjects
  gives low and medium checks the share of subjects passing, critical and high all-or-nothing;
- coverage = the share of the weight that was evaluated (not skipped, not in error): per practice over its
  checks, per principle the practices' coverages weighted by practice weight;
- a principle with no applicable check has score None (not assessed), never 100;
- errors earn nothing (they never raise a score) and mark the principle incomplete;
- a waiver changes the gate, never the score.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from guideline_lint.model import (
    Finding,
    Gate,
    PracticeCheck,
    PracticeScore,
    PrincipleScore,
    Report,
    Severity,
    Skipped,
    Status,
    Text,
)

PASS_FAIL_ONLY = {Severity.CRITICAL, Severity.HIGH}


class Weights(NamedTuple):
    """What scoring needs from a ruleset."""

    per_check: Mapping[str, float]
    per_severity: Mapping[Severity, float]
    thresholds: Mapping[int, float]
    # practices.WeightedPractice items; empty: each principle is scored from its checks directly
    practices: Sequence[Any] = ()
    threshold_source: str | None = None  # e.g. "guideline-lint default": no source sets a pass mark

    def of(self, check_id: str, severity: Severity) -> float:
        return self.per_check.get(check_id, self.per_severity[severity])


class CheckOutcome(NamedTuple):
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


@dataclass(slots=True)
class _Group:
    """Checks scored together: a practice, or all the checks of a principle when there are no practices."""

    id: str
    title: Text
    weight: float
    lines: tuple[int, ...]
    checks: list[str]


@dataclass(slots=True)
class _Tally:
    earned: float = 0.0
    total: float = 0.0  # weight of the applicable checks
    evaluated: float = 0.0  # of which neither in error nor skipped
    skipped: float = 0.0  # weight of checks not evaluated (target not collected)
    errors: bool = False

    @property
    def score(self) -> float | None:
        return round(100.0 * self.earned / self.total, 1) if self.total > 0 else None

    @property
    def coverage(self) -> float:
        denominator = self.total + self.skipped
        return self.evaluated / denominator if denominator else 0.0


_MAPPED: dict[int, tuple[Sequence[Any], frozenset[str]]] = {}


def _mapped(practices: Sequence[Any]) -> frozenset[str]:
    """Every check some practice takes as evidence, worked out once per ruleset's practices (scoring runs once
    per report, and the tracker scores many reports with one ruleset)."""
    cached = _MAPPED.get(id(practices))
    if cached is None or cached[0] is not practices:  # the id of a freed tuple may be reused
        cached = _MAPPED[id(practices)] = (practices, frozenset(c for p in practices for c in p.checks))
    return cached[1]


def _groups(principle: int, weights: Weights, present: Mapping[str, list[int]]) -> list[_Group]:
    """The groups a principle is scored by. Checks that are no practice's evidence (none among the bundled
    checks: tests/test_practices.py) are scored together, so that nothing found is silently dropped."""
    if not weights.practices:
        return [_Group(f"P{principle}", Text(ja=f"原則{principle}のチェック", en=f"checks of principle {principle}"),
                       1.0, (), [c for c, ps in present.items() if principle in ps])]
    mapped = _mapped(weights.practices)
    groups = [_Group(p.id, p.title, p.weight, p.lines, list(p.checks))
              for p in weights.practices if p.principle == principle]
    loose = [c for c, ps in present.items() if principle in ps and c not in mapped]
    if loose:
        groups.append(_Group(f"P{principle}-UNMAPPED", Text(ja="実践に対応付けられていないチェック",
                                                            en="checks not mapped to a practice"), 1.0, (), loose))
    return groups


def score_principles(findings: list[Finding], skipped: list[Skipped], weights: Weights,
                     titles: Mapping[int, Text]) -> tuple[float | None, list[PrincipleScore]]:
    outcomes = check_outcomes(findings)
    present: dict[str, list[int]] = {}  # check id -> the principles its findings name
    for finding in findings:
        present.setdefault(finding.check_id, finding.principles)
    not_run = {s.check_id: s for s in skipped}
    for item in skipped:
        present.setdefault(item.check_id, item.principles)
    results: list[PrincipleScore] = []
    for principle in range(1, 11):
        counts: dict[Status, int] = defaultdict(int)
        practice_scores: list[PracticeScore] = []
        earned = weight_assessed = covered = weight_relevant = 0.0
        incomplete = False
        counted: set[str] = set()
        for group in _groups(principle, weights, present):
            tally, evidence = _Tally(), []
            for check_id in group.checks:
                if check_id in outcomes:
                    outcome = outcomes[check_id]
                    weight = weights.of(check_id, outcome.severity)
                    if check_id not in counted:
                        counts[outcome.status] += 1
                        counted.add(check_id)
                    applicable = outcome.status != Status.NOT_APPLICABLE
                    if applicable:
                        tally.total += weight
                        tally.earned += weight * outcome.credit
                        tally.errors = tally.errors or outcome.errors
                        tally.evaluated += 0.0 if outcome.errors else weight
                    evidence.append(PracticeCheck(id=check_id, status=outcome.status, weight=weight,
                                                  score=round(100.0 * outcome.credit, 1) if applicable else None,
                                                  evaluated=not outcome.errors))  # not applicable is a verdict too
                elif check_id in not_run:
                    weight = weights.of(check_id, not_run[check_id].severity)
                    tally.skipped += weight
                    evidence.append(PracticeCheck(id=check_id, status=Status.NOT_APPLICABLE, weight=weight,
                                                  evaluated=False))
            score = tally.score
            if score is not None:
                earned += group.weight * score
                weight_assessed += group.weight
            if tally.total + tally.skipped > 0:
                covered += group.weight * tally.coverage
                weight_relevant += group.weight
            incomplete = incomplete or tally.errors or tally.skipped > 0
            practice_scores.append(PracticeScore(id=group.id, title=group.title, weight=group.weight, score=score,
                                                 coverage=round(tally.coverage, 3), lines=list(group.lines),
                                                 checks=evidence))
        score = round(earned / weight_assessed, 1) if weight_assessed > 0 else None
        threshold = weights.thresholds.get(principle)
        results.append(PrincipleScore(
            id=principle, title=titles[principle], score=score,
            coverage=round(covered / weight_relevant, 3) if weight_relevant else 0.0,
            incomplete=incomplete,
            threshold=threshold, threshold_source=weights.threshold_source if threshold is not None else None,
            below_threshold=score is not None and threshold is not None and score < threshold,
            passed=counts[Status.PASS], failed=counts[Status.FAIL], manual=counts[Status.MANUAL],
            not_applicable=counts[Status.NOT_APPLICABLE], errors=counts[Status.ERROR], waived=counts[Status.WAIVED],
            practices=practice_scores if weights.practices else [],
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
    """Weights of a resolved ruleset (loading.ResolvedRuleset), with its practices when it scores through them."""
    from guideline_lint.practices import weighted

    pass_mark = getattr(ruleset, "parameters", {}).get("pass_mark")
    return Weights(per_check=ruleset.weights, per_severity=ruleset.severity_weights, thresholds=ruleset.thresholds,
                   practices=weighted(getattr(ruleset, "practices", None), ruleset.checks),
                   threshold_source=pass_mark.source if pass_mark is not None else None)


def recompute(report: Report, weights: Weights, titles: Mapping[int, Text], fail_under: float | None = None,
              baseline: Report | None = None) -> Report:
    """The report with its scores and gate computed afresh from its findings (what the tracker trusts)."""
    overall, principles = score_principles(report.findings, report.skipped, weights, titles)
    return report.model_copy(update={
        "score": overall, "principles": principles,
        "gate": gate(report.findings, principles, overall, fail_under, baseline),
    })
