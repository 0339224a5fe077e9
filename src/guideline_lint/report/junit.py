"""JUnit XML for CI test views (GitLab, Jenkins, Azure DevOps, GitHub test-report actions).

A test suite per domain by default (each finding appears once, so the CI totals are the report's), or per
principle with ``group_by="principle"`` (a check serving two principles then appears in both suites).
A test case per check and subject: failures carry the message, the place and the fix; items for human review,
not-applicable and waived items are skipped with the reason; checks that could not run are errors.
What the run could not evaluate (``common.not_evaluated``) is said as in every other format: a check skipped as a whole
(e.g. ``--no-pages``) is a skipped test case with its reason, in its principle's suite or, by domain, in the suite
"評価できなかったもの / Not evaluated", which also holds a skipped case per page not audited or glob that matched
nothing; every suite lists the lines in its properties.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Literal

from guideline_lint.i18n import section, t
from guideline_lint.model import Finding, Report, Skipped, Status, Text
from guideline_lint.report.common import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    expired_waiver,
    not_evaluated,
    page_tools,
    pages_half_built,
    pages_retried,
    places,
    xml_safe,
)

DOMAINS = {
    "uiux": Text(ja="UI/UX", en="UI/UX"),
    "accessibility": Text(ja="アクセシビリティ", en="Accessibility"),
    "data": Text(ja="データ", en="Data"),
    "security": Text(ja="セキュリティ", en="Security"),
    "governance": Text(ja="ガバナンス", en="Governance"),
}
T = section("junit")  # this renderer's words, from the message catalogue
NOT_EVALUATED = "not-evaluated"  # the suite of what could not be evaluated


def _case_name(finding: Finding, lang: str) -> str:
    name = f"{finding.check_id} {finding.title.get(lang)}"
    return f"{name} [{finding.subject}]" if finding.subject else name


def _places(finding: Finding, lang: str) -> list[str]:
    shown = places(finding, lang)
    if finding.more_occurrences:
        shown.append(T["more"].get(lang).format(n=finding.more_occurrences))
    return shown


def _body(finding: Finding, lang: str) -> str:
    severity = SEVERITY_LABELS[finding.severity].get(lang)
    lines = [finding.message.get(lang), f"{T['severity'].get(lang)}: {severity}"]
    places = _places(finding, lang)
    if places:
        lines.append(f"{T['location'].get(lang)}:")
        lines += [f"  {p}" for p in places]
    if finding.reason:
        lines.append(f"{T['reason'].get(lang)}: {finding.reason.get(lang)}")
    expired = expired_waiver(finding)
    if expired:
        lines.append(T["expired"].get(lang).format(date=expired))
    if finding.remediation and finding.status in (Status.FAIL, Status.ERROR, Status.MANUAL):
        lines.append(f"{T['fix'].get(lang)}: {finding.remediation.get(lang)}")
    return xml_safe("\n".join(lines))


def _testcase(suite: ET.Element, finding: Finding, classname: str, lang: str) -> str:
    case = ET.SubElement(suite, "testcase", name=xml_safe(_case_name(finding, lang)), classname=classname,
                         time="0")
    loc = finding.location
    # "file" and "line" are read by GitLab and several JUnit viewers to link to the source.
    if loc is not None and loc.file:
        case.set("file", xml_safe(loc.file))
        line = loc.line if loc.line is not None else loc.row
        if line is not None:
            case.set("line", str(line))
    message = xml_safe(finding.message.get(lang))
    status_label = STATUS_LABELS[finding.status].get(lang)
    if finding.status == Status.FAIL:
        element = ET.SubElement(case, "failure", message=message, type=finding.severity.value)
        element.text = _body(finding, lang)
        return "failures"
    if finding.status == Status.ERROR:
        reason = xml_safe(finding.reason.get(lang)) if finding.reason else message
        element = ET.SubElement(case, "error", message=reason, type="error")
        element.text = _body(finding, lang)
        return "errors"
    if finding.status in (Status.MANUAL, Status.NOT_APPLICABLE, Status.WAIVED):
        why = xml_safe(finding.reason.get(lang)) if finding.reason else message
        ET.SubElement(case, "skipped", message=f"{status_label}: {why}").text = _body(finding, lang)
        return "skipped"
    return "passed"


def _not_run(suite: ET.Element, name: str, classname: str, why: str) -> str:
    """A test case for something not evaluated: a check skipped as a whole, a page not audited, a glob that matched
    nothing."""
    case = ET.SubElement(suite, "testcase", name=xml_safe(name), classname=classname, time="0")
    ET.SubElement(case, "skipped", message=xml_safe(why))
    return "skipped"


def _skipped_case(suite: ET.Element, skipped: Skipped, classname: str, lang: str) -> str:
    name = f"{skipped.check_id} {skipped.title.get(lang)}" if skipped.title else skipped.check_id
    return _not_run(suite, name, classname, f"{t('text.not_evaluated', lang)}: {skipped.reason.get(lang)}")


def build(report: Report, lang: str, group_by: Literal["domain", "principle"] = "domain") -> ET.Element:
    groups: dict[str, list[Finding | Skipped | str]] = {}
    names: dict[str, str] = {}
    if group_by == "principle":
        titles = {p.id: p.title.get(lang) for p in report.principles}
        for n in range(1, 11):
            label = T["principle"].get(lang).format(n=n)
            names[f"principle-{n}"] = f"{label} {titles[n]}" if n in titles else label
    else:
        names.update({key: label.get(lang) for key, label in DOMAINS.items()})
    names[NOT_EVALUATED] = t("md.not_evaluated", lang)
    for finding in report.findings:
        keys = [f"principle-{p}" for p in finding.principles] if group_by == "principle" else [finding.domain]
        for key in keys:
            groups.setdefault(key, []).append(finding)
    # Checks skipped as a whole (their domain is not in the report: by domain they go to the "not evaluated" suite).
    for skipped in report.skipped:
        keys = [f"principle-{p}" for p in skipped.principles] if group_by == "principle" else [NOT_EVALUATED]
        for key in keys:
            groups.setdefault(key, []).append(skipped)
    missing = not_evaluated(report, lang)
    # Pages not audited, globs that matched nothing: lines that name no check.
    groups.setdefault(NOT_EVALUATED, []).extend(line for line, checks in missing if not checks)
    if not groups[NOT_EVALUATED]:
        del groups[NOT_EVALUATED]

    service = report.service.get("id") or "service"
    root = ET.Element("testsuites", name=f"guideline-lint {service}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    ordered = [k for k in names if k in groups] + [k for k in groups if k not in names]
    # What produced the page results and the pages audited again (session lost): properties of every suite.
    audit = {name: line for name, line in (("page_audit", page_tools(report, lang)),
                                           ("pages_retried", pages_retried(report, lang)),
                                           ("pages_half_built", pages_half_built(report, lang))) if line}
    for key in ordered:
        suite = ET.SubElement(root, "testsuite", name=names.get(key, key), timestamp=report.generated_at[:19])
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="ruleset", value=str(report.ruleset.get("id", "")))
        for name, value in audit.items():
            ET.SubElement(props, "property", name=name, value=xml_safe(value))
        for line, _checks in missing:  # what could not be evaluated, in every suite as in every other format
            ET.SubElement(props, "property", name="not_evaluated", value=xml_safe(line))
        if group_by == "principle":
            principle = next((p for p in report.principles if f"principle-{p.id}" == key), None)
            score = principle.score if principle is not None else None
            ET.SubElement(props, "property", name="score", value="" if score is None else f"{score:.1f}")
            if principle is not None:
                ET.SubElement(props, "property", name="coverage", value=f"{principle.coverage * 100:.0f}%")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        classname = f"guideline-lint.{key}"
        for item in groups[key]:
            if isinstance(item, Finding):
                outcome = _testcase(suite, item, classname, lang)
            elif isinstance(item, Skipped):
                outcome = _skipped_case(suite, item, classname, lang)
            else:
                outcome = _not_run(suite, item, classname, item)
            counts["tests"] += 1
            if outcome in counts:
                counts[outcome] += 1
        if key == NOT_EVALUATED:
            ET.SubElement(suite, "system-out").text = xml_safe("\n".join(line for line, _checks in missing))
        for name, value in counts.items():
            suite.set(name, str(value))
            totals[name] += value
        suite.set("time", "0")
    for name, value in totals.items():
        root.set(name, str(value))
    root.set("time", "0")
    return root


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    root = build(report, lang)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
