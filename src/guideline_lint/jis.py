"""JIS X 8341-3:2016 success criteria, their axe-core rules, and the per-criterion result table.

The data (``reference/jis-x-8341-3-2016.yaml``) is loaded only when pages are audited. Automated tests can
show a failure but never conformance, so the table says 不適合 / 自動判定で問題なし（要目視確認） / 未検証 and
never 適合 or 準拠 (DESIGN §4).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from guideline_lint.catalog import load_bundled_yaml
from guideline_lint.model import Finding, Status, Target, Text, Verification

REFERENCE = Path(__file__).resolve().parent / "reference" / "jis-x-8341-3-2016.yaml"
LEVEL_ORDER = {"A": 1, "AA": 2, "AAA": 3}

RESULT_FAIL = "fail"
RESULT_NO_PROBLEM = "no_problem_found"
RESULT_NOT_TESTED = "not_tested"
RESULT_ATTESTED = "attested"  # a person confirmed it in the manifest's checklists: (with evidence and date)
RESULT_LABELS = {
    RESULT_ATTESTED: Text(ja="目視で確認済み（自己申告・証跡あり）", en="Confirmed by hand (attested, with evidence)"),
    RESULT_FAIL: Text(ja="不適合", en="Failure found"),
    RESULT_NO_PROBLEM: Text(
        ja="自動判定で問題なし（要目視確認）", en="No problem found automatically (confirm by hand)"
    ),
    RESULT_NOT_TESTED: Text(ja="未検証", en="Not tested"),
}


class Criterion(NamedTuple):
    id: str  # WCAG number; JIS X 8341-3:2016 uses the same numbers
    level: str  # A | AA | AAA
    title: Text
    axe_rules: tuple[str, ...]
    in_jis: bool  # part of JIS X 8341-3:2016 (WCAG 2.0); False for WCAG 2.1/2.2 additions
    added_in: str  # "WCAG 2.0" | "WCAG 2.1" | "WCAG 2.2"
    jis2010_id: str | None = None


@cache
def _raw() -> dict[str, Any]:
    return load_bundled_yaml(REFERENCE)


@cache
def criteria() -> dict[str, Criterion]:
    """Every success criterion of WCAG 2.0 (= JIS X 8341-3:2016) and the WCAG 2.1/2.2 additions, by number."""
    raw = _raw()
    table: dict[str, Criterion] = {}
    for item in raw["success_criteria"]:
        table[item["wcag_id"]] = Criterion(
            id=item["wcag_id"],
            level=item["level"],
            title=Text(ja=item.get("title_ja_jis2016") or item["title_ja"], en=item["title_en"]),
            axe_rules=tuple(rule["rule"] for rule in item.get("axe_rules") or []),
            in_jis=True,
            added_in="WCAG 2.0",
            jis2010_id=item.get("jis2010_id"),
        )
    for item in raw.get("additional_recommended") or []:
        table[item["wcag_id"]] = Criterion(
            id=item["wcag_id"],
            level=item["level"],
            title=Text(ja=item["title_ja"], en=item["title_en"]),
            axe_rules=tuple(rule["rule"] for rule in item.get("axe_rules") or []),
            in_jis=False,
            added_in=item["added_in"],
        )
    return table


def jis_criteria(level: str = "AA") -> list[Criterion]:
    """The JIS X 8341-3:2016 criteria up to ``level`` (A: 25, AA: 38, AAA: 61), in document order."""
    limit = LEVEL_ORDER[level]
    return [c for c in criteria().values() if c.in_jis and LEVEL_ORDER[c.level] <= limit]


@cache
def axe_rule_criteria() -> dict[str, tuple[str, ...]]:
    """axe rule id -> the success criteria it tests, from the reference mapping."""
    mapping: dict[str, list[str]] = {}
    for criterion in criteria().values():
        for rule in criterion.axe_rules:
            mapping.setdefault(rule, []).append(criterion.id)
    return {rule: tuple(scs) for rule, scs in mapping.items()}


def _criterion_of(finding: Finding) -> str | None:
    for reference in finding.references:
        if reference.jis:
            return reference.jis
    return None


def jis_table(findings: Iterable[Finding], pages_tested: int, level: str = "AA") -> list[dict[str, Any]]:
    """One row per JIS X 8341-3:2016 criterion up to ``level``, in the shape a published 試験結果 needs.

    Rows come from the accessibility checks only. A criterion is 不適合 when any page fails it,
    自動判定で問題なし（要目視確認） when a machine test ran
    and found nothing, and 未検証 when only manual or erroneous results (or none) exist."""
    by_sc: dict[str, list[Finding]] = {}
    for finding in findings:
        # Only the accessibility checks of a criterion decide its row; a UI/UX heuristic may cite one as
        # background (a viewport tag for 1.4.4), but it does not test the criterion and never marks it.
        if finding.target != Target.PAGE or finding.domain != "accessibility":
            continue
        sc = _criterion_of(finding)
        if sc:
            by_sc.setdefault(sc, []).append(finding)
    rows: list[dict[str, Any]] = []
    for criterion in jis_criteria(level):
        found = by_sc.get(criterion.id, [])
        failed_pages = {f.subject for f in found if f.status == Status.FAIL}
        judged_pages = {f.subject for f in found if f.status in (Status.PASS, Status.NOT_APPLICABLE)}
        manual_pages = {f.subject for f in found if f.status == Status.MANUAL}
        error_pages = {f.subject for f in found if f.status == Status.ERROR}
        attested_pages = {f.subject for f in found
                          if f.status == Status.PASS and f.verification == Verification.ATTESTED}
        if failed_pages:
            result = RESULT_FAIL
        elif attested_pages:
            result = RESULT_ATTESTED
        elif judged_pages:
            result = RESULT_NO_PROBLEM
        else:
            result = RESULT_NOT_TESTED
        label = RESULT_LABELS[result]
        rows.append(
            {
                "jis": criterion.id,
                "jis2010": criterion.jis2010_id,
                "wcag": criterion.id,
                "level": criterion.level,
                "title": criterion.title.model_dump(),
                "result": result,
                "result_label": label.model_dump(),
                "pages_tested": pages_tested,
                "pages_failed": len(failed_pages),
                "pages_manual": len(manual_pages),
                "pages_error": len(error_pages),
                "check_ids": sorted({f.check_id for f in found}),
            }
        )
    return rows


def page_metrics(pages: Iterable[Any]) -> dict[str, Any]:
    """Report metrics from audited pages: ``input_fields`` (fields per form on each page, for the KPI
    利用者の入力項目削減数) and ``pages`` (how many were audited and how many could not be)."""
    pages = list(pages)
    failed = sum(1 for page in pages if getattr(page, "error", None))
    return {"input_fields": input_field_metrics(pages), "pages": {"audited": len(pages) - failed, "errors": failed}}


def input_field_metrics(pages: Iterable[Any]) -> dict[str, Any]:
    """Input fields per form on each page (KPI 利用者の入力項目削減数)."""
    per_page = []
    total = 0
    for page in pages:
        forms = getattr(page, "forms", None) or []
        if getattr(page, "error", None):
            continue
        fields = sum(form.get("fields", 0) for form in forms)
        total += fields
        per_page.append({"url": page.url, "fields": fields, "forms": forms})
    return {"total": total, "pages": per_page}
