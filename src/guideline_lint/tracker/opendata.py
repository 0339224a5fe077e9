"""Open data: the latest scores and KPIs of every service as CSV and JSON at stable URLs.

The CSV follows the national rules for machine-readable tables (総務省 統一ルール): UTF-8, one
header row, one value per cell, ISO 8601 dates, numbers without units or separators (the unit has
its own column), an empty cell for "not assessed", and the local-government code in the first
column as in Tokyo's own catalogue files.
"""

from __future__ import annotations

import csv
import io
import statistics
from typing import Any

from guideline_lint.tracker.storage import ServiceOverview, utcnow

LG_CODE = "130001"  # 全国地方公共団体コード of the Tokyo Metropolitan Government
LG_NAME = "東京都"
PHASE_JA = {"planning": "企画", "development": "開発", "operation": "運用"}
UNIT_JA = {"count": "件", "ratio": "割合", "score": "点", "hours": "時間", "minutes": "分", "persons": "人"}

SCORE_COLUMNS = ["全国地方公共団体コード", "地方公共団体名", "サービスID", "サービス名", "局名", "フェーズ", "報告日",
                 "ルールセットID", "ルールセット版", "原則番号", "原則名", "スコア（点）", "評価できた割合", "合格数",
                 "不合格数", "要確認数", "エラー数", "総合スコア（点）", "要確認フラグ"]
KPI_COLUMNS = ["全国地方公共団体コード", "地方公共団体名", "サービスID", "サービス名", "局名", "報告日", "指標ID",
               "指標名", "単位", "実績値（単位列のとおり）", "目標値（単位列のとおり）", "測定日",
               "目標達成フラグ"]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _text(value: str | None) -> str:
    """A text cell. Names can come from uploads: one starting like a formula is prefixed with an apostrophe so
    a spreadsheet shows it instead of running it (OWASP CSV injection)."""
    if not value:
        return ""
    return "'" + value if value[0] in "=+-@\t\r" else value


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def _write(columns: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _reported(items: list[ServiceOverview]) -> list[ServiceOverview]:
    return [i for i in items if i.latest is not None]


def scores_csv(items: list[ServiceOverview]) -> str:
    from guideline_lint import catalog

    principles = catalog.principles()
    rows = []
    for item in _reported(items):
        latest = item.latest
        assert latest is not None
        for number in range(1, 11):
            p = latest.principles.get(number)
            if p is None:
                continue
            rows.append([
                LG_CODE, LG_NAME, item.service.id, _text(item.display_name), _text(item.bureau),
                PHASE_JA.get(item.phase or "", item.phase or ""), latest.generated_at.date().isoformat(),
                latest.ruleset_id, latest.ruleset_version, str(number), principles[number].title.ja,
                _number(p["score"]), _number(p["coverage"]), str(p["passed"]), str(p["failed"]), str(p["manual"]),
                str(p["errors"]), _number(latest.score), _flag(latest.flagged),
            ])
    return _write(SCORE_COLUMNS, rows)


def kpis_csv(items: list[ServiceOverview]) -> str:
    from guideline_lint import catalog

    catalogue = catalog.kpis()
    rows = []
    for item in _reported(items):
        latest = item.latest
        assert latest is not None
        for kpi_id, kpi in sorted(latest.kpis.items()):
            info = catalogue.get(kpi_id)
            unit = info.unit if info else kpi["unit"] or ""
            rows.append([
                LG_CODE, LG_NAME, item.service.id, _text(item.display_name), _text(item.bureau),
                latest.generated_at.date().isoformat(), kpi_id, info.title.ja if info else kpi_id,
                UNIT_JA.get(unit, unit), _number(kpi["value"]), _number(kpi["target"]), kpi["measured_at"] or "",
                _flag(kpi["met"]),
            ])
    return _write(KPI_COLUMNS, rows)


def scores_json(items: list[ServiceOverview]) -> dict[str, Any]:
    from guideline_lint import catalog

    principles = catalog.principles()
    services = []
    for item in _reported(items):
        latest = item.latest
        assert latest is not None
        services.append({
            "id": item.service.id, "name": item.display_name, "bureau": item.bureau, "phase": item.phase,
            "report_date": latest.generated_at.date().isoformat(),
            "ruleset": {"id": latest.ruleset_id, "version": latest.ruleset_version},
            "score": latest.score, "flagged": latest.flagged,
            "principles": [{"id": n, "score": p["score"], "coverage": p["coverage"], "passed": p["passed"],
                            "failed": p["failed"], "manual": p["manual"], "errors": p["errors"]}
                           for n, p in sorted(latest.principles.items())],
            "kpis": [{"id": k["kpi_id"], "value": k["value"], "target": k["target"], "unit": k["unit"],
                      "measured_at": k["measured_at"], "met": k["met"]} for k in latest.kpis.values()],
        })
    government = []
    for number in range(1, 11):
        values = [s["principles"][i]["score"] for s in services for i in range(len(s["principles"]))
                  if s["principles"][i]["id"] == number and s["principles"][i]["score"] is not None]
        government.append({"id": number, "title": principles[number].title.model_dump(),
                           "mean": round(statistics.fmean(values), 1) if values else None,
                           "services_assessed": len(values)})
    return {
        "organization": {"code": LG_CODE, "name": LG_NAME},
        "generated_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "principles": government,
        "services": services,
    }
