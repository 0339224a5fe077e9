"""Open data: the latest scores and KPIs of every service, and the organisation's quality indicators over time, as
CSV and JSON at stable URLs.

The CSV follows the national rules for machine-readable tables (総務省 統一ルール): UTF-8, one
header row, one value per cell, ISO 8601 dates, numbers without units or separators (the unit has
its own column), an empty cell for "not assessed", and the local-government code in the first
column as in Tokyo's own catalogue files.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from typing import Any

from guideline_lint import catalog
from guideline_lint.tracker.records import OrgValue, ServiceOverview, met
from guideline_lint.tracker.storage import utcnow
from guideline_lint.tracker.words import phase_text

LG_CODE = "130001"  # 全国地方公共団体コード of the Tokyo Metropolitan Government
LG_NAME = "東京都"
UNIT_JA = {"count": "件", "ratio": "割合", "score": "点", "hours": "時間", "minutes": "分", "persons": "人",
           "days": "日"}

# (column, Table Schema type, Japanese description, English description)
SCORE_FIELDS = [
    ("全国地方公共団体コード", "string", "全国地方公共団体コード（東京都 130001）",
     "local-government code (Tokyo: 130001)"),
    ("地方公共団体名", "string", "地方公共団体名", "local government"),
    ("サービスID", "string", "サービスの ID（digital-service.yaml の service.id）",
     "service id (service.id of the manifest)"),
    ("サービス名", "string", "サービス名", "service name"),
    ("局名", "string", "サービスを所管する局", "bureau running the service"),
    ("フェーズ", "string", "企画・開発・運用のいずれか", "planning, development or operation"),
    ("報告日", "date", "最新の報告の作成日（ISO 8601）", "date of the latest report (ISO 8601)"),
    ("ルールセットID", "string", "採点に使ったルールセット", "ruleset used for scoring"),
    ("ルールセット版", "string", "ルールセットの版", "ruleset version"),
    ("原則番号", "integer", "行動規範10か条の番号（1〜10）", "principle number (1–10)"),
    ("原則名", "string", "行動規範の名称", "principle"),
    ("スコア（点）", "number",
     "原則のスコア（0〜100 点、トラッカーが所見から再計算）。空欄は該当チェックなし（未評価）",
     "principle score (0–100, recomputed by the tracker); empty: not assessed"),
    ("評価できた割合", "number", "原則の重みのうち評価できた割合（0〜1）",
     "share of the principle's weight evaluated (0–1)"),
    ("合格数", "integer", "合格したチェックの数", "checks passed"),
    ("不合格数", "integer", "不合格のチェックの数", "checks failed"),
    ("要確認数", "integer", "人の確認が必要なチェックの数", "checks needing manual evidence"),
    ("エラー数", "integer", "実行できなかったチェックの数", "checks in error"),
    ("総合スコア（点）", "number", "評価できた原則のスコアの平均（0〜100 点）",
     "mean of the assessed principles (0–100)"),
    ("要確認フラグ", "integer", "1: 申告スコアの相違など確認が必要な点がある報告、0: なし",
     "1: the report has flags (e.g. claimed scores differ), 0: none"),
]
KPI_FIELDS = [
    *SCORE_FIELDS[:5],
    ("報告日", "date", "KPI を含む最新の報告の作成日（ISO 8601）", "date of the latest report (ISO 8601)"),
    ("指標ID", "string", "KPI または品質評価指標のカタログの ID（rulesets/kpis.yaml）",
     "id of the KPI or quality indicator in the catalogue"),
    ("指標名", "string", "KPI または品質評価指標の名称", "KPI or quality indicator"),
    ("単位", "string", "実績値・目標値の単位（件・割合・点・時間・分・人・日）", "unit of value and target"),
    ("実績値（単位列のとおり）", "number", "実績値", "value"),
    ("目標値（単位列のとおり）", "number", "目標値", "target"),
    ("測定日", "date", "実績値の測定日（ISO 8601）", "date the value was measured (ISO 8601)"),
    ("目標達成フラグ", "integer", "1: 目標達成、0: 未達、空欄: 判定なし",
     "1: target met, 0: not met, empty: not judged"),
    ("独自KPIフラグ", "integer",
     "1: サービスが独自に定めた KPI（指標名はサービスの報告による）、0: カタログの KPI・品質評価指標、"
     "空欄: 不明（独自 KPI を記録する前に受け付けた報告）",
     "1: a KPI the service defined itself (named by its report), 0: a KPI or quality indicator of the catalogue, "
     "empty: unknown (a report received before own KPIs were recorded)"),
]
# The organisation's indicators as the central bureau entered them: every dated value, so the trend can be read.
INDICATOR_FIELDS = [
    *SCORE_FIELDS[:2],
    ("区分", "string",
     "KGI・デジタルによる行政サービスの品質・サービス提供側となる都庁の基盤のいずれか（行動指針の品質評価指標の区分）",
     "KGI, quality of digital government services, or the TMG's foundation (the code of conduct's groups)"),
    ("指標ID", "string", "品質評価指標のカタログの ID（rulesets/kpis.yaml の indicators）",
     "id of the quality indicator in the catalogue (indicators of rulesets/kpis.yaml)"),
    ("指標名", "string", "品質評価指標の名称（行動指針の表記）", "quality indicator (as the code of conduct names it)"),
    ("単位", "string", "実績値・目標値の単位（割合・人 など）", "unit of value and target"),
    ("測定日", "date", "実績値の測定日（ISO 8601）", "date the value was measured (ISO 8601)"),
    ("実績値（単位列のとおり）", "number", "全庁の実績値（割合は 0〜1）",
     "value for the whole organisation (ratios 0–1)"),
    ("目標値（単位列のとおり）", "number", "目標値。空欄は目標なし", "target; empty: none"),
    ("目標値の出典", "string",
     "入力: 中央の部署が入力した目標、行動指針: 行動指針に書かれた目標（行動規範浸透率 70% など）",
     "entered by the central bureau, or given by the code of conduct (e.g. 70 % awareness)"),
    ("目標達成フラグ", "integer", "1: 目標達成、0: 未達、空欄: 目標なし",
     "1: target met, 0: not met, empty: no target"),
    ("値の出典", "string", "実績値の出典（調査名など、入力されたもの）",
     "where the value comes from (survey …), as entered"),
    ("入力日", "date", "値が入力された日（ISO 8601、UTC）", "date the value was entered (ISO 8601, UTC)"),
]
SCORE_COLUMNS = [f[0] for f in SCORE_FIELDS]
KPI_COLUMNS = [f[0] for f in KPI_FIELDS]
INDICATOR_COLUMNS = [f[0] for f in INDICATOR_FIELDS]
GROUP_JA = {"kgi": "KGI", "participation": "デジタルによる行政サービスの品質",
            "component": "デジタルによる行政サービスの品質", "organisation": "サービス提供側となる都庁の基盤"}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _text(value: str | None) -> str:
    return value or ""


# Our own numbers ("-3.5") stay numbers; any other cell starting like a formula gets an apostrophe.
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def cell(value: str) -> str:
    """A CSV cell a spreadsheet shows instead of running: any text from an upload (names, KPI ids, units,
    dates) that starts like a formula is prefixed with an apostrophe (OWASP CSV injection)."""
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def _write(columns: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _reported(items: list[ServiceOverview]) -> list[ServiceOverview]:
    return [i for i in items if i.latest is not None]


def scores_csv(items: list[ServiceOverview]) -> str:
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
                phase_text(item.phase, "ja") if item.phase else "", latest.generated_at.date().isoformat(),
                latest.ruleset_id, latest.ruleset_version, str(number), principles[number].title.ja,
                _number(p["score"]), _number(p["coverage"]), str(p["passed"]), str(p["failed"]), str(p["manual"]),
                str(p["errors"]), _number(latest.score), _flag(latest.flagged),
            ])
    return _write(SCORE_COLUMNS, rows)


def kpis_csv(items: list[ServiceOverview]) -> str:
    """The KPIs, then the quality indicators (品質評価指標), of each service's latest report."""
    catalogue: dict[str, Any] = {**catalog.kpis(), **catalog.indicators()}
    rows = []
    for item in _reported(items):
        latest = item.latest
        assert latest is not None
        values = [*sorted(latest.kpis.items()), *sorted(latest.quality.items())]
        for kpi_id, kpi in values:
            info = catalogue.get(kpi_id)
            unit = info.unit if info else kpi["unit"] or ""
            own = False if info is not None else kpi.get("own")
            rows.append([
                LG_CODE, LG_NAME, item.service.id, _text(item.display_name), _text(item.bureau),
                latest.generated_at.date().isoformat(), kpi_id,
                info.title.ja if info else kpi.get("title_ja") or kpi_id,
                UNIT_JA.get(unit, unit), _number(kpi["value"]), _number(kpi["target"]), kpi["measured_at"] or "",
                _flag(kpi["met"]), _flag(own),
            ])
    return _write(KPI_COLUMNS, rows)


def indicators_csv(entered: dict[str, list[OrgValue]]) -> str:
    """Every value of the organisation's quality indicators the central bureau entered, in the catalogue's order
    (the KGI first) and oldest first: the history behind the dashboard's trend charts."""
    rows = []
    for info in catalog.indicators().values():
        for value in entered.get(info.id, []):
            target, origin = (value.target, "入力") if value.target is not None else \
                (info.target, "行動指針") if info.target is not None else (None, "")
            rows.append([
                LG_CODE, LG_NAME, GROUP_JA.get(info.role, info.role), info.id, info.title.ja,
                UNIT_JA.get(info.unit, info.unit), value.measured_on.isoformat(), _number(value.value),
                _number(target), origin, _flag(met(value.value, target, info.better)), _text(value.source),
                value.entered_at.date().isoformat(),
            ])
    return _write(INDICATOR_COLUMNS, rows)


def scores_json(items: list[ServiceOverview]) -> dict[str, Any]:
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
                      "measured_at": k["measured_at"], "met": k["met"], "own": k.get("own"),
                      "title": {"ja": k["title_ja"], "en": k.get("title_en")} if k.get("title_ja") else None}
                     for k in latest.kpis.values()],
            "quality": [{"id": k["indicator_id"], "value": k["value"], "target": k["target"], "unit": k["unit"],
                         "measured_at": k["measured_at"], "met": k["met"]} for k in latest.quality.values()],
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


def datapackage(updated: str | None = None) -> dict[str, Any]:
    """A Frictionless Data Package: the field definitions, encoding and update rule of the CSV files."""

    def resource(name: str, title: str, fields: list[tuple[str, str, str, str]]) -> dict[str, Any]:
        return {
            "name": name, "path": f"{name}.csv", "title": title, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\r\n"},
            "schema": {"fields": [{"name": n, "type": t, "description": ja, "description_en": en}
                                  for n, t, ja, en in fields], "missingValues": [""]},
        }

    return {
        "profile": "tabular-data-package",
        "name": "guideline-lint-tracker",
        "title": "デジタルサービスの行動指針 遵守状況（原則別スコア・KPI）",
        "description": "東京都 デジタルサービスに関する行動指針 ver.1.1.0 の 10 原則について、"
                       "各サービスの最新の報告からトラッカーが再計算したスコアと、サービスが報告した KPI、"
                       "中央の部署が入力した全庁の品質評価指標（KGI 都民満足度・行動規範浸透率など）の推移。"
                       "報告を受け付けるたびに更新される。文字コード UTF-8（BOM なし）、見出し 1 行、日付は ISO 8601。",
        "updated": updated or utcnow().replace(microsecond=0).isoformat() + "Z",
        "update_history": "The files are regenerated on every request from the latest report of each service.",
        "resources": [resource("scores", "原則別スコア", SCORE_FIELDS),
                      resource("kpis", "KPI の実績と目標", KPI_FIELDS),
                      resource("indicators", "全庁の品質評価指標（KGI・都庁側の到達指標）の推移", INDICATOR_FIELDS)],
    }
