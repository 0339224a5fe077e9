"""A service's page on the dashboard: its facts and flags, the radar of the latest report, the trend of
every principle, its quality indicators and KPIs against their targets and the findings that need attention.

The radar is the HTML report's own chart (:mod:`guideline_lint.report.charts`), thresholds included.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from guideline_lint import catalog
from guideline_lint.model import Report, Status, Text
from guideline_lint.report.charts import THRESHOLD, Axis, radar
from guideline_lint.tracker.charts import Series, line_chart
from guideline_lint.tracker.html import Markup, el, join
from guideline_lint.tracker.layout import fmt, kpi_key, kpi_title, legend, link, measure, page, score_cell
from guideline_lint.tracker.recompute import UnknownRuleset, failing_first, resolve_ruleset
from guideline_lint.tracker.records import ServiceRow, StoredReport
from guideline_lint.tracker.words import phase_text, severity_text, status_text, t

HISTORY_LIMIT = 200  # reports drawn in a service's trend charts
FINDINGS_LIMIT = 300


def _thresholds(ruleset_id: str) -> dict[int, float]:
    """The principles' thresholds of the ruleset the report was scored with ({} when the tracker lacks it)."""
    try:
        return dict(resolve_ruleset(ruleset_id).thresholds)
    except UnknownRuleset:
        return {}


def service_page(service: ServiceRow, history: list[StoredReport], latest: tuple[StoredReport, str] | None,
                 lang: str, contact: str | None = None) -> str:
    principles = catalog.principles()
    name = service.name or (history[-1].service_name if history and history[-1].service_name else service.id)
    nav = el("nav", el("ol", el("li", el("a", t("back", lang), href=link("/", lang))),
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
        (t("phase", lang), phase_text(stored.phase, lang)),
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
    parts.append(_quality_section(history, lang))
    parts.append(_kpi_section(history, lang))
    parts.append(_findings_section(report, lang))
    return page(name, join(*parts), lang, self_path=f"/services/{quote(service.id)}", query={}, contact=contact)


def _principle_section(stored: StoredReport, principles: dict[int, Any], lang: str) -> Markup:
    thresholds = _thresholds(stored.ruleset_id)
    axes = [Axis(n, t("principle_n", lang, n=n), stored.principles.get(n, {}).get("score"), thresholds.get(n))
            for n in range(1, 11)]
    listing = "; ".join(f"{a.label} {principles[a.number].title.get(lang)}: {fmt(a.score, lang)}" for a in axes)
    chart = Markup(radar(axes, chart_id="radar", title=t("radar_title", lang),
                         description=t("chart_desc", lang) + listing + ". " + t("chart_note", lang),
                         not_assessed=t("not_assessed", lang), legend_score=t("legend_score", lang),
                         legend_threshold=t("legend_threshold", lang)))
    head = el("tr", [el("th", t(k, lang), scope="col", class_="num" if k not in ("principle", "title") else None)
                     for k in ("principle", "title", "score", "coverage", "passed", "failed", "manual", "errors")])
    rows = []
    for n in range(1, 11):
        p = stored.principles.get(n)
        if p is None:
            continue
        rows.append(el("tr", el("td", str(n), class_="num"), el("th", principles[n].title.get(lang), scope="row"),
                       score_cell(p["score"], lang), el("td", f"{p['coverage'] * 100:.0f}%", class_="num"),
                       *[el("td", str(p[k]), class_="num") for k in ("passed", "failed", "manual", "errors")]))
    table = el("table", el("caption", t("by_principle", lang)), el("thead", head), el("tbody", rows))
    return el("section", el("h2", t("by_principle", lang), id="principles"), legend(lang),
              el("div", el("figure", chart, el("figcaption", t("radar_title", lang))), el("div", table, class_="wide"),
                 class_="charts"), aria_labelledby="principles")


def _trend_section(history: list[StoredReport], principles: dict[int, Any], lang: str) -> Markup:
    figures = []
    for n in range(1, 11):
        title = f"{t('principle_n', lang, n=n)} {principles[n].title.get(lang)}"
        points = [(r.generated_at, r.principles[n]["score"]) for r in history
                  if n in r.principles and r.principles[n]["score"] is not None]
        chart = line_chart([Series(title, points)], title,
                                  t("trend_desc", lang, title=title, n=len(points)), f"trend-{n}",
                                  y_min=0, y_max=100, empty=t("not_assessed", lang))
        figures.append(el("figure", chart, el("figcaption", title)))
    head = el("tr", el("th", t("date", lang), scope="col"), el("th", t("overall", lang), scope="col", class_="num"),
              [el("th", t("principle_n", lang, n=n), scope="col", class_="num") for n in range(1, 11)])
    rows = [el("tr", el("th", r.generated_at.strftime("%Y-%m-%d %H:%M"), scope="row"), score_cell(r.score, lang),
               [score_cell(r.principles.get(n, {}).get("score"), lang) for n in range(1, 11)])
            for r in reversed(history)]
    table = el("details", el("summary", t("trend_table", lang)),
               el("div", el("table", el("caption", t("trend", lang)), el("thead", head), el("tbody", rows)),
                  class_="wide"))
    return el("section", el("h2", t("trend", lang), id="trend"), el("div", figures, class_="charts"), table,
              aria_labelledby="trend")


def _kpi_section(history: list[StoredReport], lang: str) -> Markup:
    """The KPIs over time. A service's own KPI is one chart per definition (its id, name and unit, as the
    overview's table groups them): a KPI renamed or given another unit under the same id is not drawn as one line."""
    catalogue = catalog.kpis()
    known = {k.id: (k.title, k.unit) for k in catalogue.values()}
    return _values_section(history, lambda r: r.kpis, known, "kpis", "no_kpi", lang,
                           group=lambda r, kpi_id, kpi: kpi_key(kpi_id, kpi, r.service_id, catalogue))


def _quality_section(history: list[StoredReport], lang: str) -> Markup:
    """The quality indicators (品質評価指標) the service reported, over time, in the catalogue's order."""
    known = {i.id: (i.title, i.unit) for i in catalog.indicators().values()}
    return _values_section(history, lambda r: r.quality, known, "quality", "no_quality", lang)


def _values_section(history: list[StoredReport], values_of: Callable[[StoredReport], dict[str, dict[str, Any]]],
                    known: dict[str, tuple[Text, str | None]], key: str, empty: str, lang: str,
                    group: Callable[[StoredReport, str, dict[str, Any]], tuple[str, ...]] | None = None) -> Markup:
    """Values against targets over time, one chart and table per id, or per ``group`` of an id (the catalogue's
    ids first, in its order)."""
    by_id: dict[tuple[str, ...], list[tuple[StoredReport, dict[str, Any]]]] = {}
    for report in history:
        for value_id, value in values_of(report).items():
            found = group(report, value_id, value) if group is not None else (value_id,)
            by_id.setdefault(found, []).append((report, value))
    heading = el("h2", t(key, lang), id=key)
    if not by_id:
        return el("section", heading, el("p", t(empty, lang)), aria_labelledby=key)
    order = [(i,) for i in known if (i,) in by_id] + sorted(k for k in by_id if k[0] not in known)
    blocks = []
    for index, grouped in enumerate(order):
        entries, value_id = by_id[grouped], grouped[0]
        own = [k for _, k in entries]
        title = known[value_id][0].get(lang) if value_id in known else kpi_title(value_id, own, lang)
        unit = known[value_id][1] if value_id in known else entries[-1][1].get("unit")
        values = [(r.generated_at, k["value"]) for r, k in entries if k["value"] is not None]
        targets = [(r.generated_at, k["target"]) for r, k in entries if k["target"] is not None]
        chart = line_chart(
            [Series(t("value", lang), values), Series(t("target", lang), targets, THRESHOLD, True)],
            title, t("kpi_desc", lang, title=title), f"{key}-{index}", empty=t("not_assessed", lang),
            **({"y_min": 0.0, "y_max": max(1.0, *(v for _, v in values + targets))} if unit == "ratio" else {}))
        head = el("tr", [el("th", t(k, lang), scope="col") for k in ("reported", "measured", "value", "target", "met")])
        rows = [el("tr", el("th", r.generated_at.strftime("%Y-%m-%d"), scope="row"), el("td", k["measured_at"] or "—"),
                   el("td", measure(k["value"], unit, lang), class_="num"),
                   el("td", measure(k["target"], unit, lang), class_="num"),
                   el("td", "—" if k["met"] is None else t("yes" if k["met"] else "no", lang)))
                for r, k in reversed(entries[-12:])]
        blocks.append(el("div", el("h3", title), el("div", el("figure", chart, el("figcaption", title)),
                                                  el("table", el("caption", title), el("thead", head),
                                                     el("tbody", rows)), class_="charts")))
    return el("section", heading, blocks, aria_labelledby=key)


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
    listed = [f for f in failing_first(report) if f.status not in (Status.PASS, Status.NOT_APPLICABLE)]
    passed = sum(f.status == Status.PASS for f in report.findings)
    not_applicable = sum(f.status == Status.NOT_APPLICABLE for f in report.findings)
    head = el("tr", [el("th", t(k, lang), scope="col")
                     for k in ("check", "title", "status", "severity", "principle", "where", "message")])
    rows = [el("tr", el("th", f.check_id, scope="row"), el("td", f.title.get(lang)),
               el("td", status_text(f.status, lang)), el("td", severity_text(f.severity, lang)),
               el("td", ", ".join(str(p) for p in f.principles)), el("td", _where(f)),
               el("td", el("samp", f.message.get(lang))))  # the linter's output, quoted (not the page's own text)
            for f in listed[:FINDINGS_LIMIT]]
    parts = [el("h2", t("findings", lang), id="findings"),
             el("p", t("findings_summary", lang, passed=passed, na=not_applicable))]
    if rows:
        parts.append(el("div", el("table", el("caption", t("findings", lang)), el("thead", head), el("tbody", rows)),
                        class_="wide"))
    if len(listed) > FINDINGS_LIMIT:
        parts.append(el("p", t("more_findings", lang, n=len(listed) - FINDINGS_LIMIT)))
    return el("section", parts, aria_labelledby="findings")
