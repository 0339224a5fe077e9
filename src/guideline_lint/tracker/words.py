"""The dashboard's words. Words the HTML report also uses come from the tool's message catalogue
(:mod:`guideline_lint.i18n`), so a principle, a status or a phase is named the same in both; only the
tracker's own words are listed here."""

from __future__ import annotations

from guideline_lint.i18n import section
from guideline_lint.i18n import t as catalogue
from guideline_lint.model import Status, Text
from guideline_lint.report.common import SEVERITY_LABELS, STATUS_LABELS

REPORT = section("html")  # the HTML report's words

# key here -> key of the same word in the report's catalogue section
SHARED = {"skip": "skip", "service": "service", "phase": "phase", "ruleset": "ruleset", "principle": "principle",
          "principle_n": "principle_n", "title": "title", "score": "score", "coverage": "coverage",
          "passed": "passed", "failed": "failed", "manual": "manual", "errors": "errors",
          "not_assessed": "not_assessed", "check": "check", "severity": "severity", "where": "location",
          "status": "status", "kpi": "kpi", "value": "value", "target": "target", "measured": "measured",
          "met": "met", "radar_title": "radar_title", "legend_score": "legend_score",
          "legend_threshold": "legend_threshold", "chart_desc": "chart_desc", "chart_note": "chart_note"}

OWN = {
    "site": Text(ja="行動指針 遵守状況トラッカー", en="Code of conduct tracker"),
    "overview_h1": Text(ja="全庁のサービス別・原則別スコア", en="Scores of every service, principle by principle"),
    "intro": Text(ja="各サービスの最新の報告について、トラッカーが所見から再計算したスコア（0〜100）です。",
                  en="Scores (0–100) of each service's latest report, recomputed by the tracker from the findings."),
    "indicators": Text(ja="組織全体の品質指標", en="Organisation-wide quality indicators"),
    "indicators_intro": Text(ja="各サービスが最新の報告で示した KPI の集計です。",
                             en="KPIs reported in each service's latest report, aggregated."),
    "reporting": Text(ja="報告サービス数", en="Services reporting"),
    "mean": Text(ja="平均", en="Mean"),
    "median": Text(ja="中央値", en="Median"),
    "no_kpis": Text(ja="KPI を報告したサービスはまだありません。", en="No service has reported a KPI yet."),
    "table_h2": Text(ja="サービス別スコア", en="Scores by service"),
    "filters": Text(ja="絞り込み", en="Filter"),
    "bureau": Text(ja="局", en="Bureau"),
    "all": Text(ja="すべて", en="All"),
    "apply": Text(ja="絞り込む", en="Apply"),
    "overall": Text(ja="総合", en="Overall"),
    "principle_short": Text(ja="原則{n}", en="P{n}"),
    "reported": Text(ja="報告日", en="Reported"),
    "state": Text(ja="状態", en="Status"),
    "no_report": Text(ja="報告なし", en="no report"),
    "flagged": Text(ja="要確認", en="check"),
    "ok": Text(ja="問題なし", en="ok"),
    "average_row": Text(ja="平均（表示中のサービス）", en="Mean (services shown)"),
    "caption": Text(ja="サービス × 原則のスコア（{n}件）", en="Scores, services × principles ({n})"),
    "none_match": Text(ja="条件に合うサービスはありません。", en="No service matches."),
    "legend": Text(ja="凡例", en="Legend"),
    "band_good": Text(ja="80 以上", en="80 or more"),
    "band_mid": Text(ja="60 以上 80 未満", en="60 to under 80"),
    "band_low": Text(ja="60 未満", en="under 60"),
    "band_na": Text(ja="未評価（該当するチェックなし）", en="not assessed (no applicable check)"),
    "open_data": Text(ja="オープンデータ", en="Open data"),
    "api": Text(ja="API（OpenAPI）", en="API (OpenAPI)"),
    "back": Text(ja="全庁の一覧", en="All services"),
    "contact": Text(ja="お問い合わせ", en="Contact"),
    "definitions": Text(ja="項目定義", en="Field definitions"),
    "breadcrumb": Text(ja="パンくずリスト", en="Breadcrumb"),
    "language": Text(ja="言語", en="Language"),
    "service_id": Text(ja="サービスID", en="Service id"),
    "claimed": Text(ja="申告された総合スコア", en="Claimed overall score"),
    "warnings": Text(ja="確認が必要な点", en="Needs checking"),
    "by_principle": Text(ja="原則別スコア", en="Scores by principle"),
    "trend": Text(ja="スコアの推移", en="Score trend"),
    "trend_desc": Text(ja="{title}のスコアの推移（{n}回の報告）。", en="Trend of {title} over {n} reports."),
    "trend_table": Text(ja="推移の数値（表）", en="Trend values (table)"),
    "date": Text(ja="日付", en="Date"),
    "kpis": Text(ja="KPI の実績と目標", en="KPIs against targets"),
    "kpi_desc": Text(ja="{title}の実績（実線・丸）と目標（破線・四角）の推移。",
                     en="{title}: values (solid line, circles) and targets (dashed line, squares) over time."),
    "no_kpi": Text(ja="KPI はまだ報告されていません。", en="No KPI reported yet."),
    "findings": Text(ja="最新の報告の所見", en="Findings of the latest report"),
    "findings_summary": Text(ja="合格 {passed} 件、対象外 {na} 件は省略しています。",
                             en="{passed} passed and {na} not applicable findings are not listed."),
    "message": Text(ja="内容", en="Message"),
    "more_findings": Text(ja="ほか {n} 件", en="{n} more"),
    "not_found": Text(ja="サービス「{id}」は登録されていません。", en="Service '{id}' is not registered."),
    "no_reports_yet": Text(ja="このサービスの報告はまだありません。", en="This service has not reported yet."),
    "yes": Text(ja="達成", en="met"),
    "no": Text(ja="未達", en="not met"),
    "unknown": Text(ja="—", en="—"),
}

T: dict[str, Text] = {**OWN, **{key: REPORT[source] for key, source in SHARED.items()}}
PHASES = ("planning", "development", "operation")


def t(key: str, lang: str, **values: object) -> str:
    text = T[key].get(lang)
    return text.format(**values) if values else text


def phase_text(phase: str | None, lang: str) -> str:
    if phase is None:
        return t("unknown", lang)
    return catalogue(f"phase.{phase}", lang) if phase in PHASES else phase


def status_text(status: Status, lang: str) -> str:
    return STATUS_LABELS[status].get(lang)


def severity_text(severity: object, lang: str) -> str:
    return SEVERITY_LABELS[severity].get(lang)  # type: ignore[index]
