"""Server-rendered dashboard pages: the whole government's table and a page per service.

Japanese first (``?lang=en`` for English), no script, no external requests. Every value from a
report or a registration goes through :mod:`.html`, which escapes it. Scores are shown as numbers
with a colour band and a legend, never as colour alone; every chart has the same data in a table.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlencode

from guideline_lint.model import Report, Status, Text
from guideline_lint.tracker import charts
from guideline_lint.tracker.html import Markup, el, join
from guideline_lint.tracker.records import ServiceOverview, ServiceRow, StoredReport, distinct

HISTORY_LIMIT = 200  # reports drawn in a service's trend charts
FINDINGS_LIMIT = 300

# The organisation-wide quality indicators of the code of conduct, in its order; other KPIs follow.
HEADLINE_KPIS = ["nps", "online_usage_rate", "accessibility_self_check_score", "procedure_time_reduction_rate",
                 "service_updates", "user_tests"]

T = {
    "site": Text(ja="行動指針 遵守状況トラッカー", en="Code of conduct tracker"),
    "overview_h1": Text(ja="全庁のサービス別・原則別スコア", en="Scores of every service, principle by principle"),
    "intro": Text(ja="各サービスの最新の報告について、トラッカーが所見から再計算したスコア（0〜100）です。",
                  en="Scores (0–100) of each service's latest report, recomputed by the tracker from the findings."),
    "skip": Text(ja="本文へ移動", en="Skip to content"),
    "indicators": Text(ja="組織全体の品質指標", en="Organisation-wide quality indicators"),
    "indicators_intro": Text(ja="各サービスが最新の報告で示した KPI の集計です。",
                             en="KPIs reported in each service's latest report, aggregated."),
    "kpi": Text(ja="指標", en="Indicator"),
    "reporting": Text(ja="報告サービス数", en="Services reporting"),
    "mean": Text(ja="平均", en="Mean"),
    "median": Text(ja="中央値", en="Median"),
    "met": Text(ja="目標達成", en="Target met"),
    "no_kpis": Text(ja="KPI を報告したサービスはまだありません。", en="No service has reported a KPI yet."),
    "table_h2": Text(ja="サービス別スコア", en="Scores by service"),
    "filters": Text(ja="絞り込み", en="Filter"),
    "bureau": Text(ja="局", en="Bureau"),
    "phase": Text(ja="フェーズ", en="Phase"),
    "all": Text(ja="すべて", en="All"),
    "apply": Text(ja="絞り込む", en="Apply"),
    "service": Text(ja="サービス", en="Service"),
    "overall": Text(ja="総合", en="Overall"),
    "principle_n": Text(ja="原則{n}", en="P{n}"),
    "reported": Text(ja="報告日", en="Reported"),
    "status": Text(ja="状態", en="Status"),
    "no_report": Text(ja="報告なし", en="no report"),
    "flagged": Text(ja="要確認", en="check"),
    "ok": Text(ja="問題なし", en="ok"),
    "not_assessed": Text(ja="未評価", en="n/a"),
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
    "ruleset": Text(ja="ルールセット", en="Ruleset"),
    "claimed": Text(ja="申告された総合スコア", en="Claimed overall score"),
    "warnings": Text(ja="確認が必要な点", en="Needs checking"),
    "by_principle": Text(ja="原則別スコア", en="Scores by principle"),
    "radar_title": Text(ja="原則別スコアのレーダーチャート", en="Radar chart of the scores by principle"),
    "radar_desc": Text(ja="10 の原則それぞれのスコア（0〜100）。数値は下の表にもあります。",
                       en="Score (0–100) of each of the ten principles; the table below has the same numbers."),
    "principle": Text(ja="原則", en="Principle"),
    "title": Text(ja="名称", en="Title"),
    "score": Text(ja="スコア", en="Score"),
    "coverage": Text(ja="評価できた割合", en="Coverage"),
    "passed": Text(ja="合格", en="Passed"),
    "failed": Text(ja="不合格", en="Failed"),
    "manual": Text(ja="要確認（手動）", en="Manual"),
    "errors": Text(ja="エラー", en="Errors"),
    "trend": Text(ja="スコアの推移", en="Score trend"),
    "trend_desc": Text(ja="{title}のスコアの推移（{n}回の報告）。", en="Trend of {title} over {n} reports."),
    "trend_table": Text(ja="推移の数値（表）", en="Trend values (table)"),
    "date": Text(ja="日付", en="Date"),
    "kpis": Text(ja="KPI の実績と目標", en="KPIs against targets"),
    "value": Text(ja="実績", en="Value"),
    "target": Text(ja="目標", en="Target"),
    "measured": Text(ja="測定日", en="Measured"),
    "kpi_desc": Text(ja="{title}の実績（実線・丸）と目標（破線・四角）の推移。",
                     en="{title}: values (solid line, circles) and targets (dashed line, squares) over time."),
    "no_kpi": Text(ja="KPI はまだ報告されていません。", en="No KPI reported yet."),
    "findings": Text(ja="最新の報告の所見", en="Findings of the latest report"),
    "findings_summary": Text(ja="合格 {passed} 件、対象外 {na} 件は省略しています。",
                             en="{passed} passed and {na} not applicable findings are not listed."),
    "check": Text(ja="チェック", en="Check"),
    "severity": Text(ja="重大度", en="Severity"),
    "where": Text(ja="場所", en="Where"),
    "message": Text(ja="内容", en="Message"),
    "more_findings": Text(ja="ほか {n} 件", en="{n} more"),
    "not_found": Text(ja="サービス「{id}」は登録されていません。", en="Service '{id}' is not registered."),
    "no_reports_yet": Text(ja="このサービスの報告はまだありません。", en="This service has not reported yet."),
    "yes": Text(ja="達成", en="met"),
    "no": Text(ja="未達", en="not met"),
    "unknown": Text(ja="—", en="—"),
}

PHASES = {"planning": Text(ja="企画", en="planning"), "development": Text(ja="開発", en="development"),
          "operation": Text(ja="運用", en="operation")}
STATUSES = {Status.FAIL: Text(ja="不合格", en="fail"), Status.ERROR: Text(ja="エラー", en="error"),
            Status.MANUAL: Text(ja="要確認", en="manual"), Status.WAIVED: Text(ja="免除", en="waived"),
            Status.PASS: Text(ja="合格", en="pass"), Status.NOT_APPLICABLE: Text(ja="対象外", en="n/a")}
SEVERITIES = {"critical": Text(ja="致命的", en="critical"), "high": Text(ja="高", en="high"),
              "medium": Text(ja="中", en="medium"), "low": Text(ja="低", en="low")}

STYLESHEET = """
:root { color: #1a1a1a; background: #ffffff; font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic",
  Meiryo, sans-serif; line-height: 1.6; }
body { margin: 0; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #ffffff; padding: 4px 8px; border: 2px solid #1f5fad; }
header, main, footer { padding: 0 1.5rem; max-width: 90rem; margin: 0 auto; }
header { display: flex; justify-content: space-between; align-items: center; border-bottom: 3px solid #1f5fad; }
header p { font-size: 1.2rem; font-weight: bold; margin: .6rem 0; }
a { color: #0b4f9c; }
header a, nav a, th a, footer a { display: inline-block; min-height: 24px; min-width: 24px; line-height: 24px; }
a:focus, select:focus, button:focus { outline: 3px solid #b35c00; outline-offset: 2px; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #8c8c8c; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.band-good { background: #dff3e4; color: #0b3d1a; }
.band-mid { background: #fff4cc; color: #4a3800; }
.band-low { background: #fde2e2; color: #6b0f0f; }
.band-na { background: #eeeeee; color: #333333; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.legend span { display: inline-block; padding: 0 .5rem; border: 1px solid #8c8c8c; margin-right: .3rem; }
.flag { color: #6b0f0f; font-weight: bold; }
.warnings { border: 2px solid #6b0f0f; padding: .5rem 1rem; background: #fff8f8; }
form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; margin: .5rem 0; }
form.filters label { display: block; font-weight: bold; }
select, button { font-size: 1rem; padding: .25rem .5rem; }
button { background: #1f5fad; color: #ffffff; border: 0; border-radius: 4px; padding: .4rem 1rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; }
figcaption { font-weight: bold; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.wide { overflow-x: auto; }
ol.breadcrumb { list-style: none; padding: 0; display: flex; gap: .5rem; }
ol.breadcrumb li + li::before { content: "›"; margin-right: .5rem; }
footer { border-top: 1px solid #8c8c8c; margin-top: 2rem; padding-bottom: 2rem; }
""".strip()


def t(key: str, lang: str, **values: object) -> str:
    text = T[key].get(lang)
    return text.format(**values) if values else text


def fmt(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return t("not_assessed", lang)
    return f"{value:.{digits}f}"


def band(score: float | None) -> str:
    if score is None:
        return "band-na"
    return "band-good" if score >= 80 else ("band-mid" if score >= 60 else "band-low")


def _principles() -> dict[int, Any]:
    from guideline_lint import catalog

    return catalog.principles()


def _kpi_catalogue() -> dict[str, Any]:
    from guideline_lint import catalog

    return catalog.kpis()


def _link(path: str, lang: str, **params: str | None) -> str:
    query = {k: v for k, v in params.items() if v}
    if lang == "en":
        query["lang"] = "en"
    return path + ("?" + urlencode(query) if query else "")


def page(title: str, body: Markup, lang: str, *, self_path: str, query: dict[str, str | None],
         contact: str | None = None) -> str:
    other = "en" if lang == "ja" else "ja"
    other_params = {k: v for k, v in query.items() if v}
    if other == "en":
        other_params["lang"] = "en"
    other_href = self_path + ("?" + urlencode(other_params) if other_params else "")
    head = join(
        Markup('<meta charset="utf-8">'),
        el("meta", name="viewport", content="width=device-width, initial-scale=1"),
        el("title", f"{title} | {t('site', lang)}"),
        el("link", rel="stylesheet", href="/static/tracker.css"),
    )
    header = el("header",
                el("p", el("a", t("site", lang), href=_link("/", lang))),
                el("nav", el("a", "English" if other == "en" else "日本語", href=other_href, lang=other,
                             hreflang=other), aria_label=t("language", lang)))
    footer = el("footer", el("p",
                             el("a", t("open_data", lang) + " (CSV)", href="/opendata/scores.csv"), " · ",
                             el("a", "KPI (CSV)", href="/opendata/kpis.csv"), " · ",
                             el("a", t("open_data", lang) + " (JSON)", href="/opendata/scores.json"), " · ",
                             el("a", t("definitions", lang), href="/opendata/datapackage.json"), " · ",
                             el("a", t("api", lang), href="/openapi.json"),
                             [" · ", el("a", t("contact", lang), href=contact)] if contact else None))
    document = el("html", el("head", head),
                  el("body", el("a", t("skip", lang), href="#main", class_="skip"), header,
                     el("main", body, id="main"), footer), lang=lang)
    return "<!DOCTYPE html>\n" + document


def _score_cell(score: float | None, lang: str) -> Markup:
    return el("td", fmt(score, lang), class_=f"num {band(score)}")


def _legend(lang: str) -> Markup:
    items = [("band-good", "85.0", "band_good"), ("band-mid", "70.0", "band_mid"), ("band-low", "40.0", "band_low"),
             ("band-na", t("not_assessed", lang), "band_na")]
    return el("ul", [el("li", el("span", sample, class_=cls), t(key, lang)) for cls, sample, key in items],
              class_="legend", aria_label=t("legend", lang))


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str | None, lang: str) -> Markup:
    return el("div",
              el("label", label, for_=f"filter-{name}"),
              el("select", el("option", t("all", lang), value=""),
                 [el("option", text, value=value, selected=value == chosen) for value, text in options],
                 id=f"filter-{name}", name=name))


def _phase_text(phase: str | None, lang: str) -> str:
    if phase is None:
        return t("unknown", lang)
    return PHASES[phase].get(lang) if phase in PHASES else phase


def overview_page(items: list[ServiceOverview], bureau: str | None, phase: str | None, lang: str,
                  contact: str | None = None) -> str:
    principles = _principles()
    shown = [i for i in items if (bureau is None or i.bureau == bureau) and (phase is None or i.phase == phase)]
    form = el("form",
              el("input", type="hidden", name="lang", value="en") if lang == "en" else None,
              _select("bureau", t("bureau", lang), [(b, b) for b in distinct(i.bureau for i in items)], bureau, lang),
              _select("phase", t("phase", lang), [(p, _phase_text(p, lang)) for p in PHASES], phase, lang),
              el("button", t("apply", lang), type="submit"),
              method="get", action="/", class_="filters", aria_label=t("filters", lang))
    header_cells = [
        el("th", t("service", lang), scope="col"), el("th", t("bureau", lang), scope="col"),
        el("th", t("phase", lang), scope="col"), el("th", t("overall", lang), scope="col", class_="num"),
        *[el("th", el("abbr", t("principle_n", lang, n=n), title=principles[n].title.get(lang)), scope="col",
             class_="num") for n in range(1, 11)],
        el("th", t("reported", lang), scope="col"), el("th", t("status", lang), scope="col"),
    ]
    rows = []
    for item in shown:
        latest = item.latest
        name_cell = el("th", el("a", item.display_name, href=_link(f"/services/{quote(item.service.id)}", lang)),
                       scope="row")
        if latest is None:
            rows.append(el("tr", name_cell, el("td", item.bureau or t("unknown", lang)),
                           el("td", t("no_report", lang), colspan="14")))
            continue
        rows.append(el("tr", name_cell,
                       el("td", item.bureau or t("unknown", lang)), el("td", _phase_text(item.phase, lang)),
                       _score_cell(latest.score, lang),
                       [_score_cell(latest.principles.get(n, {}).get("score"), lang) for n in range(1, 11)],
                       el("td", latest.generated_at.strftime("%Y-%m-%d")),
                       el("td", el("span", "⚠ " + t("flagged", lang), class_="flag") if latest.flagged
                          else t("ok", lang))))
    reported = [i.latest for i in shown if i.latest is not None]

    def mean(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return round(statistics.fmean(present), 1) if present else None

    foot = el("tr", el("th", t("average_row", lang), scope="row", colspan="3"),
              _score_cell(mean([r.score for r in reported]), lang),
              [_score_cell(mean([r.principles.get(n, {}).get("score") for r in reported]), lang)
               for n in range(1, 11)],
              el("td", ""), el("td", ""))
    table = el("div", el("table",
                         el("caption", t("caption", lang, n=len(shown))),
                         el("thead", el("tr", header_cells)),
                         el("tbody", rows),
                         el("tfoot", foot) if reported else None), class_="wide") if shown else el(
        "p", t("none_match", lang))
    body = join(
        el("h1", t("overview_h1", lang)),
        el("p", t("intro", lang)),
        el("section", el("h2", t("indicators", lang), id="indicators"), el("p", t("indicators_intro", lang)),
           _indicators(reported, lang), aria_labelledby="indicators"),
        el("section", el("h2", t("table_h2", lang), id="scores"), form, _legend(lang), table,
           aria_labelledby="scores"),
    )
    return page(t("overview_h1", lang), body, lang, self_path="/", query={"bureau": bureau, "phase": phase},
                contact=contact)


def _kpi_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    return f"{value:g}"


def _indicators(reported: Sequence[StoredReport], lang: str) -> Markup:
    catalogue = _kpi_catalogue()
    values: dict[str, list[dict[str, Any]]] = {}
    for report in reported:
        for kpi_id, kpi in report.kpis.items():
            values.setdefault(kpi_id, []).append(kpi)
    if not values:
        return el("p", t("no_kpis", lang))
    order = [k for k in HEADLINE_KPIS if k in values] + sorted(k for k in values if k not in HEADLINE_KPIS)
    rows = []
    for kpi_id in order:
        entries = values[kpi_id]
        info = catalogue.get(kpi_id)
        unit = info.unit if info else entries[0].get("unit")
        numbers = [e["value"] for e in entries if e["value"] is not None]
        judged = [e for e in entries if e["met"] is not None]
        rows.append(el("tr",
                       el("th", info.title.get(lang) if info else kpi_id, scope="row"),
                       el("td", str(len(entries)), class_="num"),
                       el("td", _kpi_value(statistics.fmean(numbers), unit) if numbers else "—", class_="num"),
                       el("td", _kpi_value(statistics.median(numbers), unit) if numbers else "—", class_="num"),
                       el("td", f"{sum(bool(e['met']) for e in judged)} / {len(judged)}" if judged else "—",
                          class_="num")))
    head = el("tr", [el("th", t(k, lang), scope="col") for k in ("kpi", "reporting", "mean", "median", "met")])
    return el("table", el("caption", t("indicators", lang)), el("thead", head), el("tbody", rows))


def not_found_page(service_id: str, lang: str, contact: str | None = None) -> str:
    body = join(el("h1", t("not_found", lang, id=service_id)), el("p", el("a", t("back", lang), href=_link("/", lang))))
    return page(t("not_found", lang, id=service_id), body, lang, self_path="/", query={}, contact=contact)


def service_page(service: ServiceRow, history: list[StoredReport], latest: tuple[StoredReport, str] | None,
                 lang: str, contact: str | None = None) -> str:
    principles = _principles()
    name = service.name or (history[-1].service_name if history and history[-1].service_name else service.id)
    nav = el("nav", el("ol", el("li", el("a", t("back", lang), href=_link("/", lang))),
                       el("li", name, aria_current="page"), class_="breadcrumb"), aria_label=t("breadcrumb", lang))
    parts: list[Markup] = [nav, el("h1", name)]
    if latest is None:
        parts.append(el("p", t("no_reports_yet", lang)))
        return page(name, join(*parts), lang, self_path=f"/services/{quote(service.id)}", query={}, contact=contact)
    stored, payload = latest
    report = Report.model_validate(json.loads(payload))
    facts = [
        (t("service_id", lang), service.id),
        (t("bureau", lang), service.bureau or stored.bureau or t("unknown", lang)),
        (t("phase", lang), _phase_text(stored.phase, lang)),
        (t("reported", lang), stored.generated_at.strftime("%Y-%m-%d %H:%M") + " UTC"),
        (t("ruleset", lang), f"{stored.ruleset_id} {stored.ruleset_version}"),
        (t("overall", lang), fmt(stored.score, lang)),
    ]
    if stored.flagged:
        facts.append((t("claimed", lang), fmt(stored.claimed_score, lang)))
    parts.append(el("dl", [join(el("dt", k), el("dd", v)) for k, v in facts], class_="facts"))
    if stored.flags:
        parts.append(el("section", el("h2", "⚠ " + t("warnings", lang), id="warnings"),
                        el("ul", [el("li", f.get(lang, f.get("en", f["code"]))) for f in stored.flags]),
                        class_="warnings", aria_labelledby="warnings"))
    parts.append(_principle_section(stored, principles, lang))
    parts.append(_trend_section(history, principles, lang))
    parts.append(_kpi_section(history, lang))
    parts.append(_findings_section(report, lang))
    return page(name, join(*parts), lang, self_path=f"/services/{quote(service.id)}", query={}, contact=contact)


def _principle_section(stored: StoredReport, principles: dict[int, Any], lang: str) -> Markup:
    scores = [stored.principles.get(n, {}).get("score") for n in range(1, 11)]
    chart = charts.radar(scores, [t("principle_n", lang, n=n) for n in range(1, 11)], t("radar_title", lang),
                         t("radar_desc", lang), "radar", not_assessed=t("not_assessed", lang))
    head = el("tr", [el("th", t(k, lang), scope="col", class_="num" if k not in ("principle", "title") else None)
                     for k in ("principle", "title", "score", "coverage", "passed", "failed", "manual", "errors")])
    rows = []
    for n in range(1, 11):
        p = stored.principles.get(n)
        if p is None:
            continue
        rows.append(el("tr", el("td", str(n), class_="num"), el("th", principles[n].title.get(lang), scope="row"),
                       _score_cell(p["score"], lang), el("td", f"{p['coverage'] * 100:.0f}%", class_="num"),
                       *[el("td", str(p[k]), class_="num") for k in ("passed", "failed", "manual", "errors")]))
    table = el("table", el("caption", t("by_principle", lang)), el("thead", head), el("tbody", rows))
    return el("section", el("h2", t("by_principle", lang), id="principles"), _legend(lang),
              el("div", el("figure", chart, el("figcaption", t("radar_title", lang))), el("div", table, class_="wide"),
                 class_="charts"), aria_labelledby="principles")


def _trend_section(history: list[StoredReport], principles: dict[int, Any], lang: str) -> Markup:
    figures = []
    for n in range(1, 11):
        title = f"{t('principle_n', lang, n=n)} {principles[n].title.get(lang)}"
        points = [(r.generated_at, r.principles[n]["score"]) for r in history
                  if n in r.principles and r.principles[n]["score"] is not None]
        chart = charts.line_chart([charts.Series(title, points)], title,
                                  t("trend_desc", lang, title=title, n=len(points)), f"trend-{n}",
                                  y_min=0, y_max=100, empty=t("not_assessed", lang))
        figures.append(el("figure", chart, el("figcaption", title)))
    head = el("tr", el("th", t("date", lang), scope="col"), el("th", t("overall", lang), scope="col", class_="num"),
              [el("th", t("principle_n", lang, n=n), scope="col", class_="num") for n in range(1, 11)])
    rows = [el("tr", el("th", r.generated_at.strftime("%Y-%m-%d %H:%M"), scope="row"), _score_cell(r.score, lang),
               [_score_cell(r.principles.get(n, {}).get("score"), lang) for n in range(1, 11)])
            for r in reversed(history)]
    table = el("details", el("summary", t("trend_table", lang)),
               el("div", el("table", el("caption", t("trend", lang)), el("thead", head), el("tbody", rows)),
                  class_="wide"))
    return el("section", el("h2", t("trend", lang), id="trend"), el("div", figures, class_="charts"), table,
              aria_labelledby="trend")


def _kpi_section(history: list[StoredReport], lang: str) -> Markup:
    catalogue = _kpi_catalogue()
    by_kpi: dict[str, list[tuple[StoredReport, dict[str, Any]]]] = {}
    for report in history:
        for kpi_id, kpi in report.kpis.items():
            by_kpi.setdefault(kpi_id, []).append((report, kpi))
    heading = el("h2", t("kpis", lang), id="kpis")
    if not by_kpi:
        return el("section", heading, el("p", t("no_kpi", lang)), aria_labelledby="kpis")
    blocks = []
    for index, (kpi_id, entries) in enumerate(sorted(by_kpi.items())):
        info = catalogue.get(kpi_id)
        title = info.title.get(lang) if info else kpi_id
        unit = info.unit if info else entries[-1][1].get("unit")
        values = [(r.generated_at, k["value"]) for r, k in entries if k["value"] is not None]
        targets = [(r.generated_at, k["target"]) for r, k in entries if k["target"] is not None]
        chart = charts.line_chart(
            [charts.Series(t("value", lang), values), charts.Series(t("target", lang), targets, charts.TARGET, True)],
            title, t("kpi_desc", lang, title=title), f"kpi-{index}", empty=t("not_assessed", lang))
        head = el("tr", [el("th", t(k, lang), scope="col") for k in ("reported", "measured", "value", "target", "met")])
        rows = [el("tr", el("th", r.generated_at.strftime("%Y-%m-%d"), scope="row"), el("td", k["measured_at"] or "—"),
                   el("td", _kpi_value(k["value"], unit), class_="num"),
                   el("td", _kpi_value(k["target"], unit), class_="num"),
                   el("td", "—" if k["met"] is None else t("yes" if k["met"] else "no", lang)))
                for r, k in reversed(entries[-12:])]
        blocks.append(el("div", el("h3", title), el("div", el("figure", chart, el("figcaption", title)),
                                                  el("table", el("caption", title), el("thead", head),
                                                     el("tbody", rows)), class_="charts")))
    return el("section", heading, blocks, aria_labelledby="kpis")


def _where(finding: Any) -> str:
    loc = finding.location
    if loc is None:
        return finding.subject or ""
    if loc.url:
        return loc.url + (f" {loc.selector}" if loc.selector else "")
    if loc.file:
        position = loc.line if loc.line is not None else loc.row
        return loc.file + (f":{position}" if position is not None else "")
    return loc.path or finding.subject or ""


def _findings_section(report: Report, lang: str) -> Markup:
    from guideline_lint.tracker.recompute import failing_first

    listed = [f for f in failing_first(report) if f.status not in (Status.PASS, Status.NOT_APPLICABLE)]
    passed = sum(f.status == Status.PASS for f in report.findings)
    not_applicable = sum(f.status == Status.NOT_APPLICABLE for f in report.findings)
    head = el("tr", [el("th", t(k, lang), scope="col")
                     for k in ("check", "title", "status", "severity", "principle", "where", "message")])
    rows = [el("tr", el("th", f.check_id, scope="row"), el("td", f.title.get(lang)),
               el("td", STATUSES[f.status].get(lang)), el("td", SEVERITIES[f.severity.value].get(lang)),
               el("td", ", ".join(str(p) for p in f.principles)), el("td", _where(f)),
               el("td", f.message.get(lang)))
            for f in listed[:FINDINGS_LIMIT]]
    parts = [el("h2", t("findings", lang), id="findings"),
             el("p", t("findings_summary", lang, passed=passed, na=not_applicable))]
    if rows:
        parts.append(el("div", el("table", el("caption", t("findings", lang)), el("thead", head), el("tbody", rows)),
                        class_="wide"))
    if len(listed) > FINDINGS_LIMIT:
        parts.append(el("p", t("more_findings", lang, n=len(listed) - FINDINGS_LIMIT)))
    return el("section", parts, aria_labelledby="findings")
