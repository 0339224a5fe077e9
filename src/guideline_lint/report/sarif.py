"""SARIF 2.1.0 for code-scanning tabs (GitHub, Azure DevOps, IDE viewers).

One rule per check that has a result, one result per finding that needs attention (failures, items for human
review, errors and waived failures; passes and not-applicable items only with ``all_results=True``).
Files are relative to ``%SRCROOT%``; a page finding points at its URL, the CSS selector as a logical location.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from guideline_lint.i18n import section
from guideline_lint.model import Finding, Location, Report, Severity, Status, Target
from guideline_lint.report.common import expired_waiver

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/tokyo-digital/guideline-lint"
DOCS_URI = INFORMATION_URI + "/blob/main/docs/checks.md"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "guidelineLint/v2"  # v2: Finding.fingerprint (v1 also keyed on lines and data rows)
MANIFEST = "digital-service.yaml"
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note"}
KINDS = {
    Status.FAIL: "fail",
    Status.WAIVED: "fail",  # still a failure, carried with a suppression
    Status.MANUAL: "review",
    Status.ERROR: "open",  # the check ran but could not decide
    Status.PASS: "pass",
    Status.NOT_APPLICABLE: "notApplicable",
}
DEFAULT_STATUSES = {Status.FAIL, Status.WAIVED, Status.MANUAL, Status.ERROR}
# GitHub ranks security alerts by this number (0–10) when the rule is tagged "security".
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "2.0"}

T = section("sarif")  # this renderer's words, from the message catalogue


def help_uri(check_id: str) -> str:
    """The check's section in docs/checks.md (GitHub's heading anchors: lower case, dots dropped)."""
    return f"{DOCS_URI}#{re.sub(r'[^a-z0-9_-]', '', check_id.lower())}"


def _rule_name(finding: Finding) -> str:
    """SARIF wants a readable identifier: the English title in PascalCase."""
    words = re.findall(r"[A-Za-z0-9]+", finding.title.en)
    return "".join(w[:1].upper() + w[1:] for w in words) or finding.check_id


def _rule(finding: Finding, lang: str) -> dict[str, Any]:
    message = finding.message.get(lang)
    remediation = finding.remediation.get(lang) if finding.remediation else ""
    # The report keeps only filled-in messages; the first finding's stands for the check.
    full = f"{message}\n{remediation}".strip()
    tags = [finding.domain, *(f"principle-{p}" for p in finding.principles)]
    properties: dict[str, Any] = {
        "principles": finding.principles,
        "severity": finding.severity.value,
        "domain": finding.domain,
        "target": finding.target.value,
        "tags": tags,
    }
    if finding.domain == "security":
        # "security" is already the domain tag; GitHub then reads the numeric severity below.
        properties["security-severity"] = SECURITY_SEVERITY[finding.severity]
    references = [r.model_dump(exclude_none=True) for r in finding.references]
    if references:
        properties["references"] = references
    return {
        "id": finding.check_id,
        "name": _rule_name(finding),
        "shortDescription": {"text": finding.title.get(lang)},
        "fullDescription": {"text": full},
        "help": {"text": remediation or full, "markdown": f"**{finding.title.get(lang)}**\n\n{full}"},
        "helpUri": help_uri(finding.check_id),
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": properties,
    }


def _region(loc: Location) -> dict[str, Any] | None:
    line = loc.line if loc.line is not None else loc.row
    if line is None or line < 1:
        return None
    region: dict[str, Any] = {"startLine": line}
    if isinstance(loc.column, int) and loc.column >= 1:
        region["startColumn"] = loc.column
    if loc.snippet:
        region["snippet"] = {"text": loc.snippet}
    return region


def _location(loc: Location, finding: Finding) -> dict[str, Any] | None:
    """A SARIF location: an absolute URL for a live page, else a file relative to %SRCROOT%."""
    where = loc.url or loc.file or finding.subject or None
    if where is None:
        return None
    if _ABSOLUTE.match(where):
        artifact: dict[str, Any] = {"uri": where}
    else:
        # Manifest, repository and data files, and pages built in the repository (reported by path).
        artifact = {"uri": _relative_uri(where), "uriBaseId": SRCROOT}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    region = _region(loc)
    if region:
        physical["region"] = region
    result: dict[str, Any] = {"physicalLocation": physical}
    if loc.selector:
        result["logicalLocations"] = [{"name": loc.selector, "fullyQualifiedName": loc.selector,
                                       "kind": "element"}]
    elif loc.path:
        result["logicalLocations"] = [{"fullyQualifiedName": loc.path, "kind": "member"}]
    if loc.snippet and not region:
        # A page has no lines; SARIF wants a start line in any region, so the snippet goes here.
        result["message"] = {"text": loc.snippet}
    return result


def _relative_uri(path: str) -> str:
    """A relative URI reference: forward slashes, characters outside URI syntax percent-encoded."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/").removeprefix("./"), safe="/:@!$&'()*+,;=-._~")


def _message(finding: Finding, lang: str) -> str:
    text = finding.message.get(lang)
    loc = finding.location
    if loc is not None and isinstance(loc.column, str):
        text += " (" + T["column"].get(lang).format(name=loc.column) + ")"
    if loc is not None and loc.selector and finding.target == Target.PAGE:
        text += " (" + T["element"].get(lang).format(selector=loc.selector) + ")"
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


def _result(finding: Finding, rule_index: int, lang: str) -> dict[str, Any]:
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
    places = [p for p in [finding.location, *finding.occurrences] if p is not None]
    locations = [loc for p in places if (loc := _location(p, finding))]
    if not locations:
        # GitHub code scanning rejects a result without a location: fall back to the subject, else the
        # manifest, which is where every attested item and every setting lives.
        fallback = Location() if finding.subject else Location(file=MANIFEST)
        locations = [loc for loc in [_location(fallback, finding)] if loc]
    result["locations"] = locations[:1]
    if len(locations) > 1:
        result["relatedLocations"] = [{"id": i, **loc} for i, loc in enumerate(locations[1:], start=1)]
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
    return result


def build(report: Report, lang: str, all_results: bool = False, baseline: Report | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it). With a baseline each result says whether it is
    new, unchanged or updated (same place, another status), matched as the gate matches them."""
    before = {f.fingerprint: f.status for f in baseline.findings} if baseline is not None else None
    wanted = set(Status) if all_results else DEFAULT_STATUSES
    findings = [f for f in report.findings if f.status in wanted]
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for finding in findings:
        if finding.check_id not in index:
            index[finding.check_id] = len(rules)
            rules.append(_rule(finding, lang))
        result = _result(finding, index[finding.check_id], lang)
        if before is not None:
            status = before.get(finding.fingerprint)
            if status is None:
                result["baselineState"] = "new"
            else:
                result["baselineState"] = "unchanged" if status == finding.status else "updated"
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool.get("name", "guideline-lint"),
                "version": report.tool.get("version", ""),
                "semanticVersion": report.tool.get("version", ""),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"guideline-lint/{report.ruleset.get('id', 'default')}/"},
        "language": "en-US" if lang == "en" else "ja-JP",
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "the checked repository's root"}}},
        "invocations": [{"executionSuccessful": True, "endTimeUtc": report.generated_at}],
        "results": results,
        "properties": {
            "score": report.score,
            "ruleset": report.ruleset,
            "service": report.service,
            "gatePassed": report.gate.passed if report.gate else None,
            "principles": [{"id": p.id, "score": p.score, "coverage": p.coverage} for p in report.principles],
        },
    }
    if not run["tool"]["driver"]["version"]:
        del run["tool"]["driver"]["version"], run["tool"]["driver"]["semanticVersion"]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    # Compact: SARIF is read by tools, and indenting forces json's pure-Python encoder (about 10x slower).
    return json.dumps(build(report, lang, baseline=baseline), ensure_ascii=False, separators=(",", ":")) + "\n"
