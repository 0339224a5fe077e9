"""The terminal report: a per-principle score table with bars, failures grouped by principle with
their location and fix, and the first step for every principle under its threshold."""

from __future__ import annotations

import unicodedata

from guideline_lint.i18n import t
from guideline_lint.model import Finding, PrincipleScore, Report, Status
from guideline_lint.report.common import (
    STATUS_MARKS,
    format_location,
    guidance,
    not_evaluated,
    page_audit,
    practice_evidence,
    practice_lines,
    practice_score,
    principle_catalogue,
    shows_reason,
)

BAR_WIDTH = 20


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def bar(score: float | None) -> str:
    if score is None:
        return "·" * BAR_WIDTH
    filled = round(score / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _principle_row(p: PrincipleScore, lang: str) -> str:
    score = "  —  " if p.score is None else f"{p.score:5.1f}"
    flag = " ▼" if p.below_threshold else ("  " if p.score is not None else " ?")
    counts = f"{p.passed}/{p.failed}/{p.manual}/{p.not_applicable}/{p.errors}"
    return f" {p.id:>2} {pad(p.title.get(lang), 34)} {bar(p.score)} {score}{flag} {p.coverage * 100:4.0f}%  {counts}"


MAX_SUBJECTS = 5


def _check_block(group: list[Finding], lang: str) -> list[str]:
    """One check's problems: its title once, then each page or file with where and what, then the fix."""
    first = group[0]
    mark = STATUS_MARKS[first.status]
    lines = [f"  {mark} {first.check_id} [{first.severity.value}] {first.title.get(lang)}"]
    for f in group[:MAX_SUBJECTS]:
        place = format_location(f.location, f.subject, lang)
        if place:
            lines.append(f"      {place}")
        lines.append(f"        {f.message.get(lang)}")
        if f.reason is not None and f.status in (Status.ERROR, Status.WAIVED) and shows_reason(f):
            lines.append(f"        {f.reason.get(lang)}")
        extra = len(f.occurrences) + f.more_occurrences
        if extra:
            lines.append("        " + t("text.more_places", lang, count=extra))
    if len(group) > MAX_SUBJECTS:
        lines.append("      " + t("text.more_subjects", lang, count=len(group) - MAX_SUBJECTS))
    fix = next((f.remediation for f in group if f.remediation is not None and f.status == Status.FAIL), None)
    if fix is not None:
        lines.append(f"      → {fix.get(lang)}")
    return lines


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    out: list[str] = []
    service = report.service
    out.append(f"guideline-lint {report.tool.get('version', '')} — {service.get('name') or ''} "
               f"({service.get('id')}) · {t('phase.' + str(service.get('phase')), lang)}")
    out.append(t("text.ruleset", lang, id=report.ruleset["id"], version=report.ruleset["version"]))
    out.append("")
    out.append(f" {'#':>2} {pad(t('text.principle', lang), 34)} {pad(t('text.score', lang), BAR_WIDTH + 7)} "
               f"{t('text.coverage', lang)}  {t('text.counts', lang)}")
    out.extend(_principle_row(p, lang) for p in report.principles)
    overall = "—" if report.score is None else f"{report.score:.1f}"
    out.append("")
    out.append(t("text.overall", lang, score=overall))
    if any(p.score is None for p in report.principles):
        out.append(t("text.not_assessed_note", lang))
    out.extend(line for line, _checks in not_evaluated(report, lang))
    jis_rows = report.extensions.get("jis_x_8341_3") or []
    if jis_rows:
        counts: dict[str, int] = {}
        labels: dict[str, str] = {}
        for row in jis_rows:
            counts[row["result"]] = counts.get(row["result"], 0) + 1
            labels[row["result"]] = row["result_label"][lang]
        summary = " · ".join(f"{labels[r]} {n}" for r, n in counts.items())
        out.append(t("text.jis_summary", lang, criteria=len(jis_rows), summary=summary,
                     pages=jis_rows[0].get("pages_tested", 0)))
    out.extend(page_audit(report, lang))

    if any(p.practices for p in report.principles):
        out.append("")
        out.append(t("text.practices_heading", lang))
        for p in report.principles:
            for practice in p.practices:
                out.append(f"  {pad(practice.id, 20)} {practice_score(practice, lang):>7}  {practice.title.get(lang)}"
                           f"  [{practice_lines(practice)}] {practice_evidence(practice, lang)}")

    problems = [f for f in report.findings if f.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
    if problems:
        out.append("")
        out.append(t("text.problems_heading", lang))
        for p in report.principles:
            mine = sorted((f for f in problems if p.id == f.principles[0]),
                          key=lambda f: (f.severity.rank, f.check_id))
            if not mine:
                continue
            out.append("")
            out.append(f"■ {t('text.principle_n', lang, id=p.id)} {p.title.get(lang)}")
            groups: dict[tuple[str, Status], list[Finding]] = {}
            for finding in mine:
                groups.setdefault((finding.check_id, finding.status), []).append(finding)
            for group in groups.values():
                out.extend(_check_block(group, lang))
    manual: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.status == Status.MANUAL:
            manual.setdefault(finding.check_id, []).append(finding)
    if manual:
        out.append("")
        out.append(t("text.manual_heading", lang, count=len(manual)))
        for check_id in sorted(manual)[:20]:
            items = manual[check_id]
            count = f" ({t('text.subjects', lang, count=len(items))})" if len(items) > 1 else ""
            out.append(f"  ? {check_id} {items[0].title.get(lang)}{count}")
        if len(manual) > 20:
            out.append("  " + t("text.more_places", lang, count=len(manual) - 20))
        out.append("  " + t("text.attest_hint", lang))

    weak = [p for p in report.principles if p.below_threshold]
    if weak:
        catalogue = principle_catalogue()
        out.append("")
        out.append(t("text.first_steps_heading", lang))
        for p in weak:
            out.append(f"  {t('text.principle_n', lang, id=p.id)} {p.title.get(lang)}")
            step, viewpoints = guidance(p, catalogue)
            if step is not None:
                out.append(f"    {step.get(lang)}")
            if viewpoints:
                out.append(f"    {t('text.viewpoints', lang)}:")
                out.extend(f"      ・{v.get(lang)}" for v in viewpoints)

    if report.gate is not None:
        out.append("")
        if report.gate.passed:
            out.append(t("text.gate_passed", lang))
        else:
            out.append(t("text.gate_failed", lang))
            out.extend(f"  - {reason.get(lang)}" for reason in report.gate.reasons)
    return "\n".join(out) + "\n"
