"""What the tracker refuses before it scores an upload (422, naming the field).

The report is self-reported: the tracker cannot see the service, so it accepts only what the ruleset
could have produced for the report's own targets. Refused are: an unknown or missing phase, a
generation time in the future (beyond CLOCK_SKEW) or out of range, a quality indicator no service reports,
numbers that are not finite, NUL characters in text, findings of checks the ruleset does not have or (but as
not applicable) of another phase, a second finding of one check for the same subject, and subjects no other
part of the report vouches for (see :func:`subject_problems`). docs/security.md explains what this can and cannot prove.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from guideline_lint import catalog
from guideline_lint.model import Phase, Report, Status, Target

CLOCK_SKEW = timedelta(minutes=5)  # a CI runner's clock may run a little ahead of the tracker's
MAX_ERRORS = 20  # problems listed in one answer
PHASES = frozenset(p.value for p in Phase)


class Refused(Exception):
    """The upload is invalid; ``errors`` is the 422 detail (loc, type, msg in English, msg_ja in Japanese)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["msg"] if errors else "refused")
        self.errors = errors[:MAX_ERRORS]


def problem(loc: list[str | int], kind: str, en: str, ja: str) -> dict[str, Any]:
    return {"loc": ["body", *loc], "type": kind, "msg": en, "msg_ja": ja}


# --------------------------------------------------------------------------- the envelope


def generated_at(value: str, now: datetime) -> datetime:
    """The report's generation time as naive UTC; Refused when unreadable, out of range or in the future."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError) as exc:
        raise Refused([problem(["generated_at"], "datetime", "not an ISO 8601 date-time within years 1–9999",
                               "ISO 8601 の日時（1〜9999 年）ではありません")]) from exc
    if parsed > now + CLOCK_SKEW:
        # A future time would stay the service's "latest" report until that day comes.
        raise Refused([problem(["generated_at"], "datetime_future",
                               f"generated_at lies in the future ({parsed.isoformat()}Z; tracker time "
                               f"{now.replace(microsecond=0).isoformat()}Z)",
                               f"generated_at が未来の日時です（{parsed.isoformat()}Z、トラッカーの時刻 "
                               f"{now.replace(microsecond=0).isoformat()}Z）")])
    return parsed


def envelope_problems(report: Report, raw: bytes) -> list[dict[str, Any]]:
    """Phase, numbers and text of the report as a whole."""
    problems: list[dict[str, Any]] = []
    phase = report.service.get("phase")
    if phase not in PHASES:
        problems.append(problem(["service", "phase"], "unknown_phase",
                                f"service.phase must be one of {', '.join(sorted(PHASES))}",
                                f"service.phase は {', '.join(sorted(PHASES))} のいずれかです"))
    for loc in _non_finite(report):
        problems.append(problem(loc, "finite_number", "not a finite number (NaN or infinity)",
                                "有限の数ではありません（NaN または無限大）"))
    service_indicators = {i.id for i in catalog.indicators().values() if i.scope == "service"}
    for index, kpi in enumerate(report.kpis):
        if kpi.indicator and kpi.id not in service_indicators:
            # The manifest's quality: section has only these; the organisation's own indicators are entered
            # by the central bureau, never reported by a service.
            problems.append(problem(["kpis", index, "id"], "unknown_indicator",
                                    f"{kpi.id} is not a quality indicator a service reports "
                                    f"({', '.join(sorted(service_indicators))})",
                                    f"{kpi.id} はサービスが報告する品質評価指標ではありません"))
    # Cheap test first: the escaped NUL appears in the raw JSON only when some text holds one.
    if b"\\u0000" in raw:
        for loc in _nul_texts(json.loads(raw), []):
            problems.append(problem(loc, "nul_character", "text contains a NUL character",
                                    "テキストに NUL 文字が含まれています"))
    return problems


def _non_finite(report: Report) -> Iterator[list[str | int]]:
    if report.score is not None and not math.isfinite(report.score):
        yield ["score"]
    for i, p in enumerate(report.principles):
        for name in ("score", "coverage", "threshold"):
            value = getattr(p, name)
            if value is not None and not math.isfinite(value):
                yield ["principles", i, name]
    for i, k in enumerate(report.kpis):
        for name in ("value", "target"):
            value = getattr(k, name)
            if value is not None and not math.isfinite(value):
                yield ["kpis", i, name]
    for i, f in enumerate(report.findings):
        for key, value in f.metrics.items():
            if not math.isfinite(value):
                yield ["findings", i, "metrics", key]
    yield from _non_finite_any(report.metrics, ["metrics"])
    yield from _non_finite_any(report.extensions, ["extensions"])


def _non_finite_any(value: Any, loc: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(value, float) and not math.isfinite(value):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite_any(item, [*loc, str(key)])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite_any(item, [*loc, index])


def _nul_texts(value: Any, loc: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(value, str) and "\x00" in value:
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield [*loc, key.replace("\x00", "\\u0000")]
            yield from _nul_texts(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_texts(item, [*loc, index])


# --------------------------------------------------------------------------- findings against the ruleset


def finding_problems(report: Report, checks: dict[str, Any], aliases: dict[str, str]) -> list[dict[str, Any]]:
    """Findings and skipped entries the ruleset cannot have produced for this report's phase."""
    phase = report.service.get("phase")
    problems: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None]] = set()
    for section, entries in (("findings", report.findings), ("skipped", report.skipped)):
        for i, entry in enumerate(entries):
            check_id = aliases.get(entry.check_id, entry.check_id)
            check = checks.get(check_id)
            if check is None:
                problems.append(problem([section, i, "check_id"], "unknown_check",
                                        f"the ruleset has no check {entry.check_id}",
                                        f"ルールセットにチェック {entry.check_id} はありません"))
                continue
            off_phase = phase in PHASES and phase not in {p.value for p in check.phases}
            if off_phase and getattr(entry, "status", None) != Status.NOT_APPLICABLE:
                # The engine reports a check of another phase as not applicable, never with a verdict.
                problems.append(problem([section, i, "check_id"], "check_not_in_phase",
                                        f"check {check_id} does not apply in phase {phase}",
                                        f"チェック {check_id} はフェーズ {phase} では対象外です"))
                continue
            subject = getattr(entry, "subject", None) if section == "findings" else "(skipped)"
            if (check_id, subject) in seen:
                # One judgement per check and subject: copies would each count as a passing item.
                problems.append(problem([section, i], "duplicate_finding",
                                        f"a second result of {check_id} for the same subject",
                                        f"{check_id} の同じ対象への 2 つ目の結果です"))
            seen.add((check_id, subject))
    if not problems:
        problems.extend(subject_problems(report, checks, aliases))
    return problems


def _audited_pages(metrics: dict[str, Any]) -> tuple[set[str], int] | None:
    """The pages the report says it audited (``metrics.input_fields.pages``) and how many it tried
    (``metrics.pages``: audited + errors), or None when the report does not say."""
    pages, fields = metrics.get("pages"), metrics.get("input_fields")
    if not isinstance(pages, dict) or not isinstance(fields, dict) or not isinstance(fields.get("pages"), list):
        return None
    urls = {p["url"] for p in fields["pages"] if isinstance(p, dict) and isinstance(p.get("url"), str)}
    counts = [pages.get("audited"), pages.get("errors")]
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
        return None
    return urls, counts[0] + counts[1]


def _item(target: Target, subject: str) -> str:
    if target == Target.PAGE:
        return subject  # a URL: its fragment is part of it
    return subject.split("#", 1)[0]  # a worksheet "book.xlsx#Sheet1" belongs to the file "book.xlsx"


def subject_problems(report: Report, checks: dict[str, Any], aliases: dict[str, str]) -> list[dict[str, Any]]:
    """Subjects (pages, files) must be ones the report audited.

    The report lists no audited files, so the rule is corroboration: every subject of a check must also be
    a subject of another check of the same target (the engine runs each check of a target on every item of
    that target, so an honest report always corroborates). Pages also have to be among the pages the report
    lists in ``metrics`` when it lists them (or be pages that failed to load), and no check may judge more
    pages than the report says it tried."""
    per_target: dict[Target, dict[str, set[str]]] = {}
    first_index: dict[tuple[str, str], int] = {}
    failed_pages: set[str] = set()
    for i, f in enumerate(report.findings):
        if not f.subject:
            continue
        check_id = aliases.get(f.check_id, f.check_id)
        target = checks[check_id].target
        item = _item(target, f.subject)
        per_target.setdefault(target, {}).setdefault(check_id, set()).add(item)
        first_index.setdefault((check_id, item), i)
        if target == Target.PAGE and f.status == Status.ERROR:
            failed_pages.add(f.subject)
    problems: list[dict[str, Any]] = []
    pages = _audited_pages(report.metrics)
    for target, subjects_of in per_target.items():
        for check_id, subjects in sorted(subjects_of.items()):
            stray: set[str] = set()
            if len(subjects_of) > 1:
                others = set().union(*(s for c, s in subjects_of.items() if c != check_id))
                stray = subjects - others
            if target == Target.PAGE and pages is not None:
                listed, tried = pages
                stray |= subjects - listed - failed_pages
                if len(subjects) > tried:
                    problems.append(problem(["findings", first_index[(check_id, min(subjects))], "subject"],
                                            "too_many_subjects",
                                            f"{check_id} judges {len(subjects)} pages; the report audited {tried}",
                                            f"{check_id} は {len(subjects)} ページを判定していますが、"
                                            f"報告が監査したのは {tried} ページです"))
            for subject in sorted(stray)[:5]:
                problems.append(problem(["findings", first_index[(check_id, subject)], "subject"],
                                        "subject_not_audited",
                                        f"{check_id}: {target.value} '{subject[:200]}' is not among the report's "
                                        f"audited {target.value}s ({len(stray)} such)",
                                        f"{check_id}: 対象 '{subject[:200]}' は報告が監査した対象にありません"
                                        f"（{len(stray)} 件）"))
    return problems
