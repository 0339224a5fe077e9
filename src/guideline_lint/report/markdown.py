"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: scores, gate, top failures, changes.

Also home of the small helpers the other people-facing renderers share (labels, location text, the key
that matches a finding across runs), so every format names things the same way.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import quote

from guideline_lint.i18n import section, t
from guideline_lint.model import Finding, Location, Report, Severity, Status, Text

REPORT_URL_ENV = "GUIDELINE_LINT_REPORT_URL"
TOP_FAILURES = 10
CHANGES_SHOWN = 15
MORE_PLACES = 5
# A GitHub comment holds at most 65,536 characters; stay well inside it.
MAX_CHARS = 60_000

SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
BAD = {Status.FAIL, Status.ERROR}

# Status words come from the tool's message catalogue, so every format names a status the same way.
STATUS_LABELS = {status: Text(ja=t(f"status.{status.value}", "ja"), en=t(f"status.{status.value}", "en"))
                 for status in Status}
SEVERITY_LABELS = {
    Severity.CRITICAL: Text(ja="致命的", en="critical"),
    Severity.HIGH: Text(ja="高", en="high"),
    Severity.MEDIUM: Text(ja="中", en="medium"),
    Severity.LOW: Text(ja="低", en="low"),
}

T = section("md")  # this renderer's words, from the message catalogue


# --------------------------------------------------------------------------- shared helpers


def finding_key(finding: Finding) -> tuple[str, str, str]:
    """Check id, target and where: the same problem keeps its key when unrelated lines move.

    A manifest finding is matched by its dotted path, a page finding by URL and selector, a data finding
    by file, row and column; line numbers count only where nothing steadier exists."""
    loc = finding.location or Location()
    if loc.url or finding.target.value == "page":
        where = f"{loc.url or finding.subject or ''}|{loc.selector or ''}"
    elif loc.path:
        where = f"{loc.file or ''}|{loc.path}"
    elif loc.row is not None or isinstance(loc.column, str):
        where = f"{loc.file or finding.subject or ''}|r{loc.row}|c{loc.column}"
    else:
        where = f"{loc.file or finding.subject or ''}|{loc.line or ''}"
    return finding.check_id, finding.target.value, where


def format_location(location: Location | None, subject: str | None = None, lang: str = "ja") -> str:
    """One line: ``digital-service.yaml:21:3``, ``data/a.csv 4行目 列「住所」`` or ``URL #main > img``."""
    if location is None:
        return subject or ""
    if location.url:
        return f"{location.url} {location.selector}" if location.selector else location.url
    if location.file is None:
        return location.path or location.selector or subject or ""
    if location.row is not None:
        text = f"{location.file} " + T["row"].get(lang).format(n=location.row)
        if location.column is not None:
            text += " " + T["column"].get(lang).format(name=location.column)
        return text
    text = location.file
    if location.line is not None:
        text += f":{location.line}"
        if location.column is not None:
            text += f":{location.column}"
    return text


def expired_waiver(finding: Finding) -> str | None:
    """The expiry date of the waiver that no longer covers this failure, if any."""
    waiver = finding.waiver or {}
    if not waiver.get("expired"):
        return None
    return str(waiver.get("expires") or "?")


def group_by_check(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings of the same check and status together (one check on many pages is one item to fix),
    in the order each group first appears."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.check_id, finding.status.value), []).append(finding)
    return list(groups.values())


def failures_by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Unwaived failures, the worst first; ties keep report order."""
    failing = [f for f in findings if f.status == Status.FAIL]
    return sorted(failing, key=lambda f: SEVERITY_ORDER[f.severity])


def compare(report: Report, baseline: Report) -> tuple[list[Finding], list[Finding]]:
    """(better, worse): findings that left or entered a failing state since the baseline.

    A baseline failure no longer reported at all counts as better (many kinds report only problems)."""
    # The gate's own matching (scoring.fingerprint), so "new" here is "new" for the gate too.
    from guideline_lint.scoring import fingerprint

    now = {fingerprint(f): f for f in report.findings}
    before = {fingerprint(f): f for f in baseline.findings}
    worse = [
        f for k, f in now.items()
        if f.status in BAD and (k not in before or before[k].status not in BAD)
    ]
    better = [
        f for k, f in before.items()
        if f.status in BAD and (k not in now or now[k].status not in BAD)
    ]
    # Show the current state of an improved finding when there is one.
    better = [now.get(fingerprint(f), f) for f in better]
    return better, sorted(worse, key=lambda f: SEVERITY_ORDER[f.severity])


def fmt_score(score: float | None, lang: str) -> str:
    return T["not_assessed"].get(lang) if score is None else f"{score:.1f}"


def fmt_delta(now: float | None, before: float | None) -> str:
    """``↑ +3.2`` / ``↓ -1.0`` / ``→ 0.0``; empty when either side is not assessed."""
    if now is None or before is None:
        return ""
    delta = round(now - before, 1)
    arrow = "↑" if delta > 0 else "↓" if delta < 0 else "→"
    return f"{arrow} {delta:+.1f}"


# --------------------------------------------------------------------------- markdown


def _input_field_total(report: Report) -> int | None:
    """Input fields on the audited pages (KPI 利用者の入力項目削減数), when pages were audited."""
    metric = report.metrics.get("input_fields")
    if isinstance(metric, dict) and isinstance(metric.get("total"), int | float):
        return int(metric["total"])
    return None


def _cell(text: str) -> str:
    """Table cells: a pipe or newline would break the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _inline(text: str) -> str:
    """Plain text in running Markdown: keep markup characters literal."""
    for char in "\\`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ").strip()


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


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
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


def _finding_lines(group: list[Finding], lang: str) -> list[str]:
    """One item per check: its worst place first, the other subjects named after the message."""
    finding = group[0]
    where = format_location(finding.location, finding.subject, lang)
    head = (
        f"**{finding.check_id}** [{SEVERITY_LABELS[finding.severity].get(lang)}] "
        f"{_inline(finding.title.get(lang))}"
    )
    if where:
        head += f" — {_code(where)}"
    lines = [f"- {head}", f"  {_inline(finding.message.get(lang))}"]
    expired = expired_waiver(finding)
    if expired:
        lines.append(f"  {T['expired'].get(lang).format(date=expired)}")
    if len(group) > 1:
        others = [format_location(f.location, f.subject, lang) for f in group[1:]]
        named = ", ".join(_code(o) for o in others[:MORE_PLACES] if o)
        more = len(others) - MORE_PLACES
        if more > 0:
            named += ", " + T["more"].get(lang).format(n=more)
        lines.append("  " + T["also"].get(lang).format(n=len(group) - 1) + " " + named)
    if finding.remediation:
        lines.append(f"  **{T['fix'].get(lang)}:** {_inline(finding.remediation.get(lang))}")
    return lines


def _change_line(finding: Finding, lang: str, gone: bool) -> str:
    where = format_location(finding.location, finding.subject, lang)
    status = T["gone"].get(lang) if gone else STATUS_LABELS[finding.status].get(lang)
    text = f"- **{finding.check_id}** {_inline(finding.title.get(lang))} ({status})"
    return text + (f" — {_code(where)}" if where else "")


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    lines = [f"## {T['heading'].get(lang)}", ""]
    service = report.service.get("id") or ""
    meta = [f"**{T['service'].get(lang)}:** {_inline(service)}"] if service else []
    ruleset = f"{report.ruleset.get('id', '')} {report.ruleset.get('version', '')}"
    meta.append(f"**{T['ruleset'].get(lang)}:** {_inline(ruleset)}")
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
        lines += [f"- {_inline(r.get(lang))}" for r in report.gate.reasons] + [""]

    url = os.environ.get(REPORT_URL_ENV, "").strip()
    if url:
        # Near the top so that cutting a long comment never loses it.
        # Parentheses and spaces would end the Markdown link early.
        safe_url = quote(url, safe=":/?#[]@!$&'*+,;=%~")
        lines += [f"[{T['full_report'].get(lang)}]({safe_url})", ""]

    lines += [*_score_table(report, baseline, lang), ""]

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
        from guideline_lint.scoring import fingerprint

        better, worse = compare(report, baseline)
        current = {fingerprint(f) for f in report.findings}
        lines += [f"### {T['changes'].get(lang)}", ""]
        for label, items in (("worse", worse), ("better", better)):
            lines += [f"**{T[label].get(lang).format(n=len(items))}**", ""]
            if not items:
                lines.append(f"- {T['nothing'].get(lang)}")
            lines += [_change_line(f, lang, fingerprint(f) not in current) for f in items[:CHANGES_SHOWN]]
            if len(items) > CHANGES_SHOWN:
                lines.append(f"- {T['more'].get(lang).format(n=len(items) - CHANGES_SHOWN)}")
            lines.append("")

    return _fit("\n".join(lines), lang)


def _fit(text: str, lang: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_CHARS - 200)
    return text[:cut] + "\n\n" + T["truncated"].get(lang) + "\n"
