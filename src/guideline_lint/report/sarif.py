"""SARIF 2.1.0 for GitHub code scanning (and Azure DevOps, IDE viewers).

Code scanning turns every result into an open alert: it ignores ``kind`` and ``suppressions``. So by default
only what needs fixing is uploaded — failures and checks that could not run — and manual-review, waived and
not-applicable items stay in the other reports (``include_review=True`` adds manual and waived items,
``all_results=True`` everything). Files are relative to the repository root (``%SRCROOT%``,
``sarif_locations.py``); findings on live URLs are left out unless ``include_urls=True``, and then have no
physical location. Rule texts come from the checks (``sarif_rules.py``). At most ``max_results`` results are
written, the most severe first; what was left out is counted in ``run.properties`` and in a notification.
What the run could not evaluate (``common.not_evaluated``: checks skipped with their reason, pages not audited, globs
that matched nothing) is a ``warning`` in ``invocations[0].toolExecutionNotifications`` (SARIF Appendix I: the results
are not complete), and each skipped check a ``ruleConfigurationOverrides`` entry with ``enabled: false``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guideline_lint.i18n import section
from guideline_lint.model import Check, Finding, Location, Report, Status, Target, Text
from guideline_lint.report.common import (
    expired_waiver,
    not_evaluated,
    pages_half_built,
    pages_retried,
    viewports_only,
)
from guideline_lint.report.sarif_locations import (
    SRCROOT,
    Roots,
    fallback_location,
    file_location,
    live_url,
    url_location,
)
from guideline_lint.report.sarif_rules import LEVELS, bundled_checks, rule

__all__ = ["FINGERPRINT", "build", "render"]

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "guidelineLint/v2"  # v2: Finding.fingerprint (v1 also keyed on lines and data rows)
# GitHub rejects a run over 25,000 results and keeps only the 5,000 most severe: choose those ourselves.
MAX_RESULTS = 5000
HARD_MAX_RESULTS = 25000
MAX_RELATED = 100  # GitHub shows 100 locations per result
AXE_URI = "https://github.com/dequelabs/axe-core"

KINDS = {
    Status.FAIL: "fail",
    Status.WAIVED: "fail",  # still a failure, carried with a suppression
    Status.MANUAL: "review",
    Status.ERROR: "open",  # the check ran but could not decide
    Status.PASS: "pass",
    Status.NOT_APPLICABLE: "notApplicable",
}
DEFAULT_STATUSES = frozenset({Status.FAIL, Status.ERROR})
REVIEW_STATUSES = frozenset({Status.MANUAL, Status.WAIVED})

T = section("sarif")  # this renderer's words, from the message catalogue
NOTES = {
    "capped": Text(ja="結果が {limit} 件を超えたため、重大度の低い {n} 件を省きました"
                      "（ほかの形式のレポートには全件あります）。",
                   en="{n} lower-severity results were left out to stay within {limit} (every other report format "
                      "has them all)."),
    "urls": Text(ja="公開中のページ（URL）の結果 {n} 件は含めていません"
                    "（コードスキャンはリポジトリのファイルのみ扱います）。ほかの形式のレポートを見てください。",
                 en="{n} results on live pages (URLs) are not included: code scanning takes files of the repository "
                    "only. See the other report formats."),
    "review": Text(ja="要確認・免除・対象外の項目 {n} 件は含めていません"
                      "（コードスキャンでは未解決のアラートになるため）。",
                   en="{n} manual-review, waived or not-applicable items are not included (code scanning would "
                      "open them as alerts)."),
}


def _message(finding: Finding, lang: str) -> str:
    text = finding.message.get(lang)
    loc = finding.location
    if loc is not None and isinstance(loc.column, str):
        text += " (" + T["column"].get(lang).format(name=loc.column) + ")"
    if loc is not None and loc.selector and finding.target == Target.PAGE:
        text += " (" + T["element"].get(lang).format(selector=loc.selector) + ")"
    if loc is not None and loc.viewports:
        text += f" [{viewports_only(loc.viewports, lang)}]"
    if finding.more_occurrences:
        text += " (" + T["more"].get(lang).format(n=finding.more_occurrences) + ")"
    if finding.reason and finding.status in (Status.ERROR, Status.NOT_APPLICABLE):
        text += " " + T["reason"].get(lang).format(text=finding.reason.get(lang))
    expired = expired_waiver(finding)
    if expired:
        text += " " + T["expired"].get(lang).format(date=expired)
    return text


def _fingerprint(finding: Finding) -> str:
    return hashlib.sha256(finding.fingerprint.encode()).hexdigest()[:32]


def _locations(finding: Finding, roots: Roots) -> list[dict[str, Any]]:
    """Files of the checkout; a live page (only there when URL results are wanted) has no physical location."""
    places = [p for p in [finding.location, *finding.occurrences] if p is not None]
    url = live_url(finding)
    found = []
    for place in places:
        if place.file is None and url is not None and place.url == url:
            found.append(url_location(place, url))
        elif (loc := file_location(place, finding, roots)) is not None:
            found.append(loc)
    if found:
        return found
    if url is not None:
        return [url_location(places[0] if places else Location(), url)]
    if places:
        return []  # its places are outside the checkout: no file to point at
    # No place of its own: the subject when it is a file, else the manifest for manifest and repo checks.
    for loc in (file_location(Location(), finding, roots), fallback_location(finding, roots)):
        if loc is not None:
            return [loc]
    return []


def _result(finding: Finding, rule_index: int, lang: str, roots: Roots) -> dict[str, Any]:
    kind = KINDS[finding.status]
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": kind,
        # SARIF §3.27.10: a result that is not a failure has level "none".
        "level": LEVELS[finding.severity] if kind == "fail" else "none",
        "message": {"text": _message(finding, lang)},
        "partialFingerprints": {FINGERPRINT: _fingerprint(finding)},
        "properties": {"status": finding.status.value, "verification": finding.verification.value,
                       "principles": finding.principles},
    }
    locations = _locations(finding, roots)
    if locations:
        result["locations"] = locations[:1]
    if len(locations) > 1:
        result["relatedLocations"] = [{"id": i, **loc} for i, loc in enumerate(locations[1:MAX_RELATED + 1],
                                                                             start=1)]
    url = live_url(finding)
    if url is not None:
        result["properties"]["url"] = url
    if finding.status == Status.WAIVED:
        waiver = finding.waiver or {}
        justification = finding.reason.get(lang) if finding.reason else str(waiver.get("reason") or "")
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if justification:
            suppression["justification"] = justification
        if waiver:
            suppression["properties"] = {k: str(v) for k, v in waiver.items() if v is not None}
        result["suppressions"] = [suppression]
    if finding.metrics:
        result["properties"]["metrics"] = finding.metrics
    if finding.viewports:
        result["properties"]["viewports"] = finding.viewports
    return result


def _not_evaluated(report: Report, lang: str) -> list[dict[str, Any]]:
    """What could not be evaluated, one warning each, in the report's language: the reasons checks were skipped
    (with the checks), pages not audited and globs that matched nothing (the line names the page or glob)."""
    out = []
    for line, checks in not_evaluated(report, lang):
        kind = "skipped" if checks else "not-evaluated"
        note: dict[str, Any] = {"level": "warning", "message": {"text": line},
                                "descriptor": {"id": f"guideline-lint/{kind}"}}
        if checks:
            note["properties"] = {"checks": checks}
        out.append(note)
    return out


def _select(report: Report, all_results: bool, include_review: bool, include_urls: bool,
            max_results: int) -> tuple[list[Finding], dict[str, int]]:
    """The findings to upload, most severe first when there are more than ``max_results``, and how many
    were left out for each reason."""
    wanted = set(Status) if all_results else DEFAULT_STATUSES | (REVIEW_STATUSES if include_review else set())
    left_out = {"review": 0, "urls": 0, "capped": 0}
    chosen = []
    for finding in report.findings:
        if finding.status not in wanted:
            left_out["review"] += finding.status != Status.PASS
            continue
        if not include_urls and live_url(finding) is not None and not _has_repo_file(finding):
            left_out["urls"] += 1
            continue
        chosen.append(finding)
    if len(chosen) > max_results:
        # Status, then severity, worst first; ties keep report order (sorted is stable).
        kept = set(map(id, sorted(chosen, key=lambda f: (f.status.rank, f.severity.rank))[:max_results]))
        left_out["capped"] = len(chosen) - max_results
        chosen = [f for f in chosen if id(f) in kept]
    return chosen, left_out


def _has_repo_file(finding: Finding) -> bool:
    return any(p is not None and p.file for p in [finding.location, *finding.occurrences])


def build(report: Report, lang: str, all_results: bool = False, baseline: Report | None = None, *,
          repo_root: Path | None = None, service_root: Path | None = None, include_urls: bool = False,
          include_review: bool = False, category: str | None = None, max_results: int = MAX_RESULTS,
          checks: Mapping[str, Check] | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it).

    ``repo_root``/``service_root``: the checkout's root (``targets.repository_root``) and the service
    folder in it; without them files stay relative to the service folder. ``category`` becomes
    ``automationDetails.id`` (code scanning's analysis category). ``checks`` gives the rule texts (default: the
    bundled checks). With a baseline each result says whether it is new, unchanged or updated (same place,
    another status), matched as the gate matches them (``Finding.fingerprint``)."""
    if not 1 <= max_results <= HARD_MAX_RESULTS:
        raise ValueError(f"max_results must be 1–{HARD_MAX_RESULTS} (code scanning rejects larger runs)")
    roots = Roots.of(repo_root, service_root)
    known = bundled_checks() if checks is None else checks
    before = {f.fingerprint: f.status for f in baseline.findings} if baseline is not None else None
    findings, left_out = _select(report, all_results, include_review, include_urls, max_results)
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for finding in findings:
        if finding.check_id not in index:
            index[finding.check_id] = len(rules)
            rules.append(rule(finding, known.get(finding.check_id), lang))
        result = _result(finding, index[finding.check_id], lang, roots)
        if before is not None:
            status = before.get(finding.fingerprint)
            if status is None:
                result["baselineState"] = "new"
            else:
                result["baselineState"] = "unchanged" if status == finding.status else "updated"
        results.append(result)
    notifications = [
        {"level": "warning" if reason == "capped" else "note",
         "descriptor": {"id": f"guideline-lint/{reason}"},
         "message": {"text": NOTES[reason].get(lang).format(n=n, limit=max_results)},
         "properties": {"count": n}}
        for reason, n in left_out.items() if n
    ]
    audit = report.extensions.get("page_audit") or {}
    retried = pages_retried(report, lang)
    if retried:  # pages audited again in a new session after theirs was lost (a Grid node that died)
        notifications.append({"level": "note", "descriptor": {"id": "guideline-lint/pages-retried"},
                              "message": {"text": retried},
                              "properties": {"pages": [item.get("page") for item in audit["retried"]]}})
    half_built = pages_half_built(report, lang)
    if half_built:  # pages audited while scripts, style sheets or data had failed to load
        notifications.append({"level": "warning", "descriptor": {"id": "guideline-lint/pages-half-built"},
                              "message": {"text": half_built},
                              "properties": {"pages": [item.get("page") for item in audit["half_built"]]}})
    notifications += _not_evaluated(report, lang)
    invocation: dict[str, Any] = {"executionSuccessful": True, "endTimeUtc": report.generated_at}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    if report.skipped:  # checks not run at all (e.g. --no-pages): their rules were off for this run
        invocation["ruleConfigurationOverrides"] = [
            {"descriptor": {"id": s.check_id}, "configuration": {"enabled": False},
             "properties": {"reason": s.reason.get(lang)}} for s in report.skipped]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool.get("name", "guideline-lint"),
                "version": report.tool.get("version", ""),
                "semanticVersion": report.tool.get("version", ""),
                "rules": rules,
            },
            # The engine behind the page results (browser, driver and viewports: run.properties.pageAudit).
            **({"extensions": [{"name": "axe-core", "version": str(version), "informationUri": AXE_URI}
                               for version in audit.get("axe", [])]} if audit.get("axe") else {}),
        },
        # GitHub reads "category/run-id": everything before the last slash is the category.
        "automationDetails": {"id": f"{category.strip('/')}/" if category
                              else f"guideline-lint/{report.ruleset.get('id', 'default')}/"},
        "language": "en-US" if lang == "en" else "ja-JP",
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "the root of the checked repository"}}},
        "invocations": [invocation],
        "results": results,
        "properties": {
            "score": report.score,
            "ruleset": report.ruleset,
            "service": report.service,
            "gatePassed": report.gate.passed if report.gate else None,
            "principles": [{"id": p.id, "score": p.score, "coverage": p.coverage} for p in report.principles],
            "omittedResults": {**left_out, "total": sum(left_out.values())},
        },
    }
    if roots.prefix:
        run["properties"]["serviceFolder"] = roots.prefix
    if audit:  # axe-core, browser and driver versions, the viewports, the pages audited again
        run["properties"]["pageAudit"] = audit
    if not run["tool"]["driver"]["version"]:
        del run["tool"]["driver"]["version"], run["tool"]["driver"]["semanticVersion"]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, lang: str, baseline: Report | None = None, **options: Any) -> str:
    """The log as compact JSON; ``options`` are ``build``'s keywords (repo_root, service_root, include_urls,
    include_review, all_results, category, max_results, checks)."""
    # Compact: SARIF is read by tools, and indenting forces json's pure-Python encoder (about 10x slower).
    log = build(report, lang, baseline=baseline, **options)
    return json.dumps(log, ensure_ascii=False, separators=(",", ":")) + "\n"
