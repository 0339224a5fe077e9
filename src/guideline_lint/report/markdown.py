"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: scores, gate, top failures, changes."""

from __future__ import annotations

import os
from urllib.parse import quote

from guideline_lint.i18n import section
from guideline_lint.model import Finding, Report, Status
from guideline_lint.report.common import (
    BAD,
    SEVERITY_LABELS,
    STATUS_LABELS,
    by_severity,
    expired_waiver,
    failures_by_severity,
    fmt_delta,
    format_location,
    group_by_check,
    guidance,
    md_cell,
    md_code,
    md_inline,
    not_evaluated,
    page_audit,
    practice_evidence,
    practice_lines,
    practice_score,
    principle_catalogue,
)

REPORT_URL_ENV = "GUIDELINE_LINT_REPORT_URL"
TOP_FAILURES = 10
CHANGES_SHOWN = 15
MORE_PLACES = 5
# A GitHub comment holds at most 65,536 characters; stay well inside it.
MAX_CHARS = 60_000

T = section("md")  # this renderer's words, from the message catalogue


def compare(report: Report, baseline: Report) -> tuple[list[Finding], list[Finding]]:
    """(better, worse): findings that left or entered a failing state since the baseline.

    A baseline failure no longer reported at all counts as better (many kinds report only problems)."""
    # Finding.fingerprint is the gate's own matching, so "new" here is "new" for the gate too.
    now = {f.fingerprint: f for f in report.findings}
    before = {f.fingerprint: f for f in baseline.findings}
    worse = [
        f for k, f in now.items()
        if f.status in BAD and (k not in before or before[k].status not in BAD)
    ]
    better = [
        f for k, f in before.items()
        if f.status in BAD and (k not in now or now[k].status not in BAD)
    ]
    # Show the current state of an improved finding when there is one.
    better = [now.get(f.fingerprint, f) for f in better]
    return better, by_severity(worse)


def fmt_score(score: float | None, lang: str) -> str:
    return T["not_assessed"].get(lang) if score is None else f"{score:.1f}"


# --------------------------------------------------------------------------- markdown


def _input_field_total(report: Report) -> int | None:
    """Input fields on the audited pages (KPI 利用者の入力項目削減数), when pages were audited."""
    metric = report.metrics.get("input_fields")
    if isinstance(metric, dict) and isinstance(metric.get("total"), int | float):
        return int(metric["total"])
    return None


def _score_table(report: Report, baseline: Report | None, lang: str) -> list[str]:
    before = {p.id: p for p in baseline.principles} if baseline else {}
    change = [T["change"]] if baseline else []
    head = [T["principle"], T["score"], *change, T["threshold"], T["coverage"], T["counts"]]
    lines = ["| " + " | ".join(h.get(lang) for h in head) + " |", "|" + "---|" * len(head)]
    for p in report.principles:
        score = fmt_score(p.score, lang)
        notes = [T["below"].get(lang)] if p.below_threshold else []
        if p.incomplete:
            notes.append(T["incomplete"].get(lang))
        if notes:
            score += f"（{'、'.join(notes)}）" if lang == "ja" else f" ({', '.join(notes)})"
        row = [f"{p.id}. {p.title.get(lang)}", score]
        if baseline:
            old = before.get(p.id)
            row.append(fmt_delta(p.score, old.score) if old else T["new"].get(lang))
        row += [
            "" if p.threshold is None else f"{p.threshold:g}",
            f"{p.coverage * 100:.0f}%",
            f"{p.passed} / {p.failed} / {p.manual}",
        ]
        lines.append("| " + " | ".join(md_cell(c) for c in row) + " |")
    return lines


def _finding_lines(group: list[Finding], lang: str) -> list[str]:
    """One item per check: its worst place first, the other subjects named after the message."""
    finding = group[0]
    where = format_location(finding.location, finding.subject, lang)
    head = (
        f"**{finding.check_id}** [{SEVERITY_LABELS[finding.severity].get(lang)}] "
        f"{md_inline(finding.title.get(lang))}"
    )
    if where:
        head += f" — {md_code(where)}"
    lines = [f"- {head}", f"  {md_inline(finding.message.get(lang))}"]
    expired = expired_waiver(finding)
    if expired:
        lines.append(f"  {T['expired'].get(lang).format(date=expired)}")
    if len(group) > 1:
        others = [format_location(f.location, f.subject, lang) for f in group[1:]]
        named = ", ".join(md_code(o) for o in others[:MORE_PLACES] if o)
        more = len(others) - MORE_PLACES
        if more > 0:
            named += ", " + T["more"].get(lang).format(n=more)
        lines.append("  " + T["also"].get(lang).format(n=len(group) - 1) + " " + named)
    if finding.remediation:
        lines.append(f"  **{T['fix'].get(lang)}:** {md_inline(finding.remediation.get(lang))}")
    return lines


def _change_line(finding: Finding, lang: str, gone: bool) -> str:
    where = format_location(finding.location, finding.subject, lang)
    status = T["gone"].get(lang) if gone else STATUS_LABELS[finding.status].get(lang)
    text = f"- **{finding.check_id}** {md_inline(finding.title.get(lang))} ({status})"
    return text + (f" — {md_code(where)}" if where else "")


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    lines = [f"## {T['heading'].get(lang)}", ""]
    service = report.service.get("id") or ""
    meta = [f"**{T['service'].get(lang)}:** {md_inline(service)}"] if service else []
    ruleset = f"{report.ruleset.get('id', '')} {report.ruleset.get('version', '')}"
    meta.append(f"**{T['ruleset'].get(lang)}:** {md_inline(ruleset)}")
    overall = f"**{T['overall'].get(lang)}:** {fmt_score(report.score, lang)}"
    if baseline is not None:
        delta = fmt_delta(report.score, baseline.score)
        overall += f" ({delta})" if delta else ""
    meta.append(overall)
    fields = _input_field_total(report)
    if fields is not None:
        line = f"**{T['fields'].get(lang)}:** {fields}"
        before = _input_field_total(baseline) if baseline is not None else None
        if before is not None:
            line += f" ({fmt_delta(fields, before)})"
        meta.append(line)
    if report.gate is None:
        meta.append(f"**{T['gate'].get(lang)}:** {T['gate_none'].get(lang)}")
    else:
        verdict = T["gate_pass" if report.gate.passed else "gate_fail"].get(lang)
        meta.append(f"**{T['gate'].get(lang)}:** {verdict}")
    lines += [m + "  " for m in meta[:-1]] + [meta[-1], ""]
    if report.gate is not None and report.gate.reasons:
        lines += [f"- {md_inline(r.get(lang))}" for r in report.gate.reasons] + [""]
    practiced = [p for p in report.principles if p.practices]
    if practiced:
        # Folded: the practice table is long, and a pull-request comment should open on the findings.
        lines += [f"<details><summary>{T['practices'].get(lang)}</summary>", "",
                  f"| # | {T['practice'].get(lang)} | {T['score'].get(lang)} | {T['lines'].get(lang)} "
                  f"| {T['evidence'].get(lang)} |", "|---|---|---|---|---|"]
        lines += [f"| {p.id} | {md_cell(practice.title.get(lang))} | {practice_score(practice, lang)} "
                  f"| {practice_lines(practice)} | {md_cell(practice_evidence(practice, lang))} |"
                  for p in practiced for practice in p.practices]
        lines += ["", "</details>", ""]
    missing = not_evaluated(report, lang)
    if missing:
        lines += [f"**{T['not_evaluated'].get(lang)}**", ""] + [f"- {md_inline(line)}" for line, _ in missing] + [""]
    audit = page_audit(report, lang)  # near the top: a long comment is cut at its end
    if audit:
        lines += [f"{md_inline(line)}  " for line in audit[:-1]] + [md_inline(audit[-1]), ""]

    url = os.environ.get(REPORT_URL_ENV, "").strip()
    if url:
        # Near the top so that cutting a long comment never loses it.
        # Parentheses and spaces would end the Markdown link early.
        safe_url = quote(url, safe=":/?#[]@!$&'*+,;=%~")
        lines += [f"[{T['full_report'].get(lang)}]({safe_url})", ""]

    lines += [*_score_table(report, baseline, lang), ""]
    lines += _first_steps(report, lang)

    failures = group_by_check(failures_by_severity(report.findings))
    shown = failures[:TOP_FAILURES]
    heading = T["top"].get(lang).format(n=len(shown), total=len(failures)) if failures else T["failures"].get(lang)
    lines += [f"### {heading}", ""]
    if not failures:
        lines.append(T["no_failures"].get(lang))
    for group in shown:
        lines += _finding_lines(group, lang)
    lines.append("")
    waived = sum(1 for f in report.findings if f.status == Status.WAIVED)
    if waived:
        lines += [T["waivers"].get(lang).format(n=waived), ""]

    if baseline is not None:
        better, worse = compare(report, baseline)
        current = {f.fingerprint for f in report.findings}
        lines += [f"### {T['changes'].get(lang)}", ""]
        for label, items in (("worse", worse), ("better", better)):
            lines += [f"**{T[label].get(lang).format(n=len(items))}**", ""]
            if not items:
                lines.append(f"- {T['nothing'].get(lang)}")
            lines += [_change_line(f, lang, f.fingerprint not in current) for f in items[:CHANGES_SHOWN]]
            if len(items) > CHANGES_SHOWN:
                lines.append(f"- {T['more'].get(lang).format(n=len(items) - CHANGES_SHOWN)}")
            lines.append("")

    return _fit("\n".join(lines), lang)


def _first_steps(report: Report, lang: str) -> list[str]:
    """はじめの第一歩 and 目標設定の視点 of the principles under their threshold, folded like the practices."""
    weak = [p for p in report.principles if p.below_threshold]
    if not weak:
        return []
    catalogue = principle_catalogue()
    lines = [f"<details><summary>{T['first_steps'].get(lang)}</summary>", ""]
    for p in weak:
        step, viewpoints = guidance(p, catalogue)
        lines.append(f"- **{p.id} {md_inline(p.title.get(lang))}**: {md_inline(step.get(lang)) if step else ''}")
        if viewpoints:
            lines.append(f"  - {T['viewpoints'].get(lang)}: " + " ／ ".join(md_inline(v.get(lang)) for v in viewpoints))
    return [*lines, "", "</details>", ""]


def _fit(text: str, lang: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_CHARS - 200)
    return text[:cut] + "\n\n" + T["truncated"].get(lang) + "\n"
