"""The server's own scores for an uploaded report: a client cannot upload a number.

Scores are recomputed from the raw findings with the server's copy of the named ruleset (its
weights, severities and thresholds). Whatever the client claimed is compared and any difference is
flagged, together with other signs of an edited report (findings whose severity differs from the
ruleset's, checks of the ruleset that are missing: those count as not evaluated). Findings the ruleset
cannot have produced are refused before scoring (:mod:`.validation`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from guideline_lint import catalog, scoring
from guideline_lint.errors import GuidelineLintError
from guideline_lint.loading import bundled_ruleset_ids, load_ruleset
from guideline_lint.model import Report, Skipped, Status, Text
from guideline_lint.tracker.validation import finding_problems

# Scores are rounded to one decimal: a smaller difference is rounding, not a different claim.
TOLERANCE = 0.05
NOT_REPORTED = Text(ja="報告に結果がありません", en="no result in the report")


class UnknownRuleset(Exception):
    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass
class Recomputed:
    report: Report  # the report with the server's scores
    claimed: Report  # the report as uploaded
    flags: list[dict[str, str]] = field(default_factory=list)


_cache: dict[str, Any] = {}
_lock = threading.Lock()


def resolve_ruleset(ruleset_id: str) -> Any:
    """The server's copy of a bundled ruleset. Only bundled ids: a payload never names a file."""
    with _lock:
        if ruleset_id in _cache:
            return _cache[ruleset_id]
        known = bundled_ruleset_ids()
        if ruleset_id not in known:
            raise UnknownRuleset(Text(
                ja=f"ルールセット「{ruleset_id}」はトラッカーに登録されていません（登録済み: {', '.join(known)}）。",
                en=f"the tracker does not know ruleset '{ruleset_id}' (known: {', '.join(known)}).",
            ))
        try:
            resolved = load_ruleset(ruleset_id)
        except GuidelineLintError as exc:
            raise UnknownRuleset(exc.message) from exc
        _cache[ruleset_id] = resolved
        return resolved


def _flag(code: str, ja: str, en: str) -> dict[str, str]:
    return {"code": code, "ja": ja, "en": en}


def aliases_of(ruleset: Any) -> dict[str, str]:
    """Former ids of renamed checks -> their current id, so a report of an older release still matches."""
    return {alias: check.id for check in ruleset.checks.values() for alias in check.aliases}


def refusals(claimed: Report) -> list[dict[str, Any]]:
    """Findings the ruleset cannot have produced (validation.finding_problems) for ``claimed``."""
    ruleset = resolve_ruleset(claimed.ruleset.get("id", ""))
    return finding_problems(claimed, ruleset.checks, aliases_of(ruleset))


def recompute_report(claimed: Report) -> Recomputed:
    """Score ``claimed`` afresh; raises UnknownRuleset when the server cannot score it. Call
    :func:`refusals` first: findings of checks the ruleset does not have are not expected here."""
    ruleset = resolve_ruleset(claimed.ruleset.get("id", ""))
    aliases = aliases_of(ruleset)
    flags: list[dict[str, str]] = []
    version = claimed.ruleset.get("version")
    if version != ruleset.version:
        flags.append(_flag("ruleset_version_differs",
                           f"ルールセットの版が異なります（報告 {version}、トラッカー {ruleset.version}）。",
                           f"ruleset version differs (report {version}, tracker {ruleset.version})."))

    # Severity, principles and target come from the ruleset, never from the upload: a lowered severity would
    # buy partial credit, a failure moved to another principle would leave its own principle clean.
    findings = []
    edited: set[str] = set()
    for finding in claimed.findings:
        check = ruleset.checks[aliases.get(finding.check_id, finding.check_id)]
        if (check.id, check.severity, check.principles, check.target) != (
                finding.check_id, finding.severity, finding.principles, finding.target):
            edited.add(finding.check_id)
            finding = finding.model_copy(update={"check_id": check.id, "severity": check.severity,
                                                 "principles": check.principles, "target": check.target})
        findings.append(finding)
    if edited:
        ids = ", ".join(sorted(edited))
        flags.append(_flag("severity_differs", f"重大度・原則・対象がルールセットと異なります: {ids}",
                           f"severity, principles or target differ from the ruleset: {ids}"))
    skipped = [s.model_copy(update={"check_id": aliases.get(s.check_id, s.check_id)}) for s in claimed.skipped]
    reported = {f.check_id for f in findings} | {s.check_id for s in skipped}
    phase = claimed.service.get("phase")
    missing = sorted(cid for cid, check in ruleset.checks.items()
                     if cid not in reported and (phase is None or phase in {p.value for p in check.phases}))
    if missing:
        ids = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        flags.append(_flag("checks_missing", f"ルールセットのチェックの結果がありません: {ids}",
                           f"results missing for checks of the ruleset: {ids}"))
        # A check left out was not evaluated: it lowers coverage, as a skipped check does.
        skipped += [Skipped(check_id=cid, title=ruleset.checks[cid].title, principles=ruleset.checks[cid].principles,
                            severity=ruleset.checks[cid].severity, target=ruleset.checks[cid].target,
                            reason=NOT_REPORTED) for cid in missing]

    titles = {number: info.title for number, info in catalog.principles().items()}
    fresh = scoring.recompute(claimed.model_copy(update={"findings": findings, "skipped": skipped}),
                              scoring.weights_of(ruleset), titles)
    differing = _differing_scores(claimed, fresh)
    if differing:
        flags.append(_flag("claimed_scores_differ",
                           f"申告されたスコアがトラッカーの再計算と異なります: {', '.join(differing)}",
                           f"claimed scores differ from the tracker's recomputation: {', '.join(differing)}"))
    return Recomputed(report=fresh, claimed=claimed, flags=flags)


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > TOLERANCE


def _differing_scores(claimed: Report, fresh: Report) -> list[str]:
    out = ["overall"] if _differs(claimed.score, fresh.score) else []
    said = {p.id: p.score for p in claimed.principles}
    for principle in fresh.principles:
        if _differs(said.get(principle.id), principle.score):
            out.append(f"P{principle.id}")
    return out


def failing_first(report: Report) -> list[Any]:
    """Findings in the order a reader needs them: failures by severity, then the rest."""
    order = {Status.FAIL: 0, Status.ERROR: 1, Status.MANUAL: 2, Status.WAIVED: 3, Status.PASS: 4,
             Status.NOT_APPLICABLE: 5}
    severity = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    return sorted(report.findings, key=lambda f: (order[f.status], severity[f.severity.value], f.check_id))
