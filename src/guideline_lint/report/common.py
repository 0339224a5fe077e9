"""What every renderer shares, so every format names, places and orders things the same way.

Status and severity words (ja/en), the one-line text of a location, the order findings are read in,
grouping per check, principle titles and first steps, and escaping for the text formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from guideline_lint.catalog import principles
from guideline_lint.i18n import section, t
from guideline_lint.model import Finding, Location, PracticeScore, PrincipleScore, Report, Severity, Status, Text

# Status words come from the tool's message catalogue (the CLI and the tracker use them too).
STATUS_LABELS = {status: Text(ja=t(f"status.{status.value}", "ja"), en=t(f"status.{status.value}", "en"))
                 for status in Status}
SEVERITY_LABELS = {
    Severity.CRITICAL: Text(ja="致命的", en="critical"),
    Severity.HIGH: Text(ja="高", en="high"),
    Severity.MEDIUM: Text(ja="中", en="medium"),
    Severity.LOW: Text(ja="低", en="low"),
}
# A mark next to every status word, so status is never told by colour alone.
STATUS_MARKS = {
    Status.PASS: "✓", Status.FAIL: "✕", Status.MANUAL: "?", Status.NOT_APPLICABLE: "–",
    Status.ERROR: "!", Status.WAIVED: "○",
}
BAD = frozenset({Status.FAIL, Status.ERROR})

_T = section("md")  # row and column words, shared with the Markdown report


# --------------------------------------------------------------------------- places


def format_location(location: Location | None, subject: str | None = None, lang: str = "ja") -> str:
    """One line: ``digital-service.yaml:21:3``, ``data/a.csv 4行目 列「住所」`` or ``URL #main > img``."""
    if location is None:
        return subject or ""
    if location.url:
        where = f"{location.url} {location.selector}" if location.selector else location.url
        return f"{where} [{viewports_only(location.viewports, lang)}]" if location.viewports else where
    if location.file is None:
        return location.path or location.selector or subject or ""
    if location.row is not None:
        text = f"{location.file} " + _T["row"].get(lang).format(n=location.row)
        if location.column is not None:
            text += " " + _T["column"].get(lang).format(name=location.column)
        return text
    text = location.file
    if location.line is not None:
        text += f":{location.line}"
        if location.column is not None:
            text += f":{location.column}"
    return text


def viewports_only(names: list[str], lang: str) -> str:
    """``mobile only`` / ``スマートフォン表示のみ``: a place found at some of the viewports a page was audited at."""
    return t("viewport.only", lang, names="・".join(t(f"viewport.{name}", lang) for name in names))


def places(finding: Finding, lang: str) -> list[str]:
    """Every place of a finding as text: its location and further occurrences, else its subject."""
    own = [format_location(loc, None, lang) for loc in [finding.location, *finding.occurrences] if loc]
    return [p for p in own if p] or ([finding.subject] if finding.subject else [])


def expired_waiver(finding: Finding) -> str | None:
    """The expiry date of the waiver that no longer covers this failure, if any."""
    waiver = finding.waiver or {}
    if not waiver.get("expired"):
        return None
    return str(waiver.get("expires") or "?")


# --------------------------------------------------------------------------- order and grouping


def attention_key(finding: Finding) -> tuple[int, int]:
    """Sort key: status (Status.rank), then severity (Severity.rank), worst first."""
    return finding.status.rank, finding.severity.rank


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """The worst severity first; ties keep report order."""
    return sorted(findings, key=lambda f: f.severity.rank)


def failures_by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Unwaived failures, the worst first; ties keep report order."""
    return by_severity(f for f in findings if f.status == Status.FAIL)


def group_by_check(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings of the same check and status together (one check on many pages is one item to fix),
    in the order each group first appears."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.check_id, finding.status.value), []).append(finding)
    return list(groups.values())


# --------------------------------------------------------------------------- numbers


def fmt_delta(now: float | None, before: float | None) -> str:
    """``↑ +3.2`` / ``↓ -1.0`` / ``→ 0.0``; empty when either side is not assessed."""
    if now is None or before is None:
        return ""
    delta = round(now - before, 1)
    arrow = "↑" if delta > 0 else "↓" if delta < 0 else "→"
    return f"{arrow} {delta:+.1f}"


# --------------------------------------------------------------------------- principles


def principle_catalogue() -> dict[int, dict[str, Any]]:
    """Titles, first steps and goal-setting viewpoints of the ten principles, ``{}`` when the bundled catalogue cannot
    be read."""
    from ruamel.yaml.error import YAMLError  # loaded with the catalogue, only by the formats that show it

    try:

        return {n: {"title": p.title, "first_step": p.first_step, "viewpoints": list(p.viewpoints)}
                for n, p in principles().items()}
    except (ImportError, OSError, KeyError, TypeError, ValueError, YAMLError):
        # A report must still render when the catalogue is missing or malformed.
        return {}


def first_step(catalogue: dict[int, dict[str, Any]], principle: int) -> Text | None:
    return catalogue.get(principle, {}).get("first_step")


def guidance(principle: PrincipleScore, catalogue: dict[int, dict[str, Any]]) -> tuple[Text | None, list[Text]]:
    """The principle's first step and 目標設定の視点: the report's own (a report carries them), else the catalogue's
    (a report written before they were carried)."""
    step = principle.first_step or first_step(catalogue, principle.id)
    return step, principle.viewpoints or list(catalogue.get(principle.id, {}).get("viewpoints", []))


# --------------------------------------------------------------------------- escaping


def md_cell(text: str) -> str:
    """Markdown table cells: a pipe or newline would break the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def md_inline(text: str) -> str:
    """Plain text in running Markdown: keep markup characters literal."""
    for char in "\\`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ").strip()


def md_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


# Characters XML 1.0 cannot hold at all; page snippets occasionally contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# --------------------------------------------------------------------------- what was not evaluated


def not_evaluated(report: Report, lang: str) -> list[tuple[str, list[str]]]:
    """Everything the run could not evaluate, one line each with the checks it concerns: the reasons checks were
    skipped, globs that matched nothing and pages that could not be audited. Every format shows them."""
    by_reason: dict[str, list[str]] = {}
    for skipped in report.skipped:
        by_reason.setdefault(skipped.reason.get(lang), []).append(skipped.check_id)
    lines = [(t("text.skipped", lang, count=len(ids), reason=reason), ids) for reason, ids in by_reason.items()]
    for notice in report.extensions.get("not_evaluated") or []:
        if isinstance(notice, dict) and notice.get(lang):
            lines.append((str(notice[lang]), []))
    return lines


def page_audit(report: Report, lang: str) -> list[str]:
    """What produced the page results, the pages audited again and those audited half-built, one line each
    (``page_tools``, ``pages_retried``, ``pages_half_built``). Every format shows them."""
    return [line for line in (page_tools(report, lang), pages_retried(report, lang), pages_half_built(report, lang))
            if line]


def page_tools(report: Report, lang: str) -> str | None:
    """The axe-core, browser and driver versions and the viewports the pages were audited with (a JIS X 8341-3
    試験結果 names its tools)."""
    engine = report.extensions.get("page_audit") or {}
    tools = [f"axe-core {v}" for v in engine.get("axe", [])] + [*engine.get("browser", []), *engine.get("driver", [])]
    if not tools:
        return None
    return t("text.page_audit", lang, tools=" · ".join(tools), viewport=", ".join(engine.get("viewport", [])))


def pages_retried(report: Report, lang: str) -> str | None:
    """The pages audited again in a new browser session after theirs was lost (a Grid node that died), and why."""
    retried = retried_pages(report, lang)
    if not retried:
        return None
    shown = "; ".join(f"{page} ({reason[:160]})" for page, reason in retried)
    return t("text.pages_retried", lang, count=len(retried), pages=shown)


def pages_half_built(report: Report, lang: str) -> str | None:
    """The pages audited while some of their scripts, style sheets or data had failed to load, with the first few
    of those (kind, URL, why)."""
    half = (report.extensions.get("page_audit") or {}).get("half_built") or []
    if not half:
        return None
    shown = []
    for item in half[:10]:
        failed = [f"{load.get('kind')} {str(load.get('url'))[:120]}: {str(load.get('reason'))[:100]}"
                  for load in (item.get("failed") or [])[:3]]
        more = int(item.get("count") or 0) - len(failed)
        shown.append(f"{item.get('page')} ({'; '.join(failed)}{f' +{more}' if more > 0 else ''})")
    rest = f"; +{len(half) - 10}" if len(half) > 10 else ""
    return t("text.pages_half_built", lang, count=len(half), pages="; ".join(shown) + rest)


def retried_pages(report: Report, lang: str = "en") -> list[tuple[str, str]]:
    """The pages audited again after their browser session was lost, each with the last reason (in Japanese where
    the report has it)."""
    retried = (report.extensions.get("page_audit") or {}).get("retried") or []
    key = "reasons_ja" if lang == "ja" else "reasons"
    return [(str(item.get("page")), str((item.get(key) or item.get("reasons") or ["?"])[-1])) for item in retried]


def shows_reason(finding: Finding) -> bool:
    """Whether the reason says more than the message (an error's message is often its reason)."""
    return finding.reason is not None and finding.reason != finding.message


# --------------------------------------------------------------------------- practices


def practice_score(practice: PracticeScore, lang: str) -> str:
    """``85.0`` or 未評価 / not assessed (a practice no applicable check sees is never 0)."""
    return t("text.not_assessed", lang) if practice.score is None else f"{practice.score:.1f}"


def practice_lines(practice: PracticeScore) -> str:
    """``L231, L260``: where the code of conduct names the practice."""
    return ", ".join(f"L{line}" for line in practice.lines)


def practice_evidence(practice: PracticeScore, lang: str) -> str:
    """The checks behind a practice with a status mark each, those not evaluated (skipped or in error) apart:
    ``UX-M06 ✓, UX-P07 ✕; 未評価: UX-P01``; ``—`` when it has none."""
    judged = ", ".join(f"{c.id} {STATUS_MARKS[c.status]}" for c in practice.checks if c.evaluated)
    skipped = ", ".join(c.id for c in practice.checks if not c.evaluated)
    if skipped:
        judged = f"{judged}; " if judged else ""
        return f"{judged}{t('text.not_evaluated', lang)}: {skipped}"
    return judged or "—"
