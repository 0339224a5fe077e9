"""The organisation view that opens the dashboard: the code of conduct's quality indicators (品質評価指標).

First the KGI 都民満足度 as the source sets it, then デジタル参加率 and the four components
(デジタルによる行政サービスの品質), then the 都庁側 indicators (サービス提供側となる都庁の基盤, with the 70 %
target of 行動規範浸透率). Each shows the value the central bureau entered last against its target, its trend
and its source lines; the indicators a service also reports (its manifest's ``quality:``) show the services'
latest values too, with how many report them. A value nobody entered is 未入力, never 0.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime

from guideline_lint import catalog
from guideline_lint.catalog import IndicatorInfo
from guideline_lint.report.charts import THRESHOLD
from guideline_lint.tracker.charts import Series, line_chart
from guideline_lint.tracker.html import Markup, el, join
from guideline_lint.tracker.layout import measure
from guideline_lint.tracker.records import OrgValue, StoredReport, met
from guideline_lint.tracker.words import t

KGI_LINE = 56  # 「デジタルサービスに係る『都民満足度』をKGIとして設定し …」
COMPONENTS_LINE = 78  # the four components of resident satisfaction
FOUNDATION_LINE = 79  # 品質の高いサービス提供の基盤となる都庁側の到達指標も設定
TABLE_ROWS = 12  # entered values listed under each chart


def lines_text(lines: Sequence[int], lang: str) -> str:
    return t("source_lines", lang, lines=", ".join(f"L{n}" for n in sorted(lines)))


def organisation_sections(entered: dict[str, list[OrgValue]], reported: Sequence[StoredReport],
                          lang: str) -> Markup:
    """The KGI, the quality of the services and the TMG's foundation, in the source's order."""
    infos = list(catalog.indicators().values())
    kgi = [i for i in infos if i.role == "kgi"]
    quality = [i for i in infos if i.role in ("participation", "component")]
    foundation = [i for i in infos if i.scope == "organisation"]

    def blocks(group: list[IndicatorInfo], heading: str) -> list[Markup]:
        return [indicator_block(i, entered.get(i.id, []), reported, lang, heading) for i in group]

    sections = [el("section",
                   el("h2", t("kgi_h2", lang, title=info.title.get(lang)), id="kgi"),
                   el("p", t("kgi_statement", lang, lines=lines_text([KGI_LINE], lang))),
                   blocks([info], "h3"), aria_labelledby="kgi", class_="kgi") for info in kgi]
    sections.append(el("section", el("h2", t("quality_h2", lang), id="quality"),
                       el("p", t("quality_intro", lang, lines=lines_text([COMPONENTS_LINE], lang))),
                       blocks(quality, "h3"), aria_labelledby="quality"))
    sections.append(el("section", el("h2", t("foundation_h2", lang), id="foundation"),
                       el("p", t("foundation_intro", lang, lines=lines_text([FOUNDATION_LINE], lang))),
                       blocks(foundation, "h3"), aria_labelledby="foundation"))
    return join(el("p", t("org_intro", lang)), *sections)


def target_of(info: IndicatorInfo, values: Sequence[OrgValue], lang: str) -> tuple[float | None, str]:
    """The target that applies and how to say where it comes from: the last one entered, else the source's."""
    entered = [v for v in values if v.target is not None]
    if entered:
        last = entered[-1]
        return last.target, t("target_entered", lang, value=measure(last.target, info.unit, lang),
                              date=last.measured_on.isoformat())
    if info.target is not None:
        note = info.target_note.get(lang) if info.target_note else ""
        return info.target, t("target_from_source", lang, value=measure(info.target, info.unit, lang), note=note,
                              lines=lines_text(info.lines, lang))
    return None, t("no_target", lang)


def services_summary(info: IndicatorInfo, reported: Sequence[StoredReport], lang: str) -> str:
    """The services' latest values of an indicator they report: how many, mean, median, targets met."""
    entries = [r.quality[info.id] for r in reported if info.id in r.quality]
    numbers = [e["value"] for e in entries if e["value"] is not None]
    if not numbers:
        return t("no_service_reports", lang)
    judged = [e["met"] for e in entries if e["met"] is not None]
    return t("services_summary", lang, n=len(numbers), mean=measure(statistics.fmean(numbers), info.unit, lang),
             median=measure(statistics.median(numbers), info.unit, lang),
             met=f"{sum(judged)} / {len(judged)}" if judged else t("unknown", lang))


def indicator_block(info: IndicatorInfo, values: Sequence[OrgValue], reported: Sequence[StoredReport], lang: str,
                    heading: str) -> Markup:
    title = info.title.get(lang)
    latest = values[-1] if values else None
    target, target_text = target_of(info, values, lang)
    reached = met(latest.value, target, info.better) if latest else None
    facts = [
        (t("definition", lang), info.definition.get(lang)),
        (t("method", lang), info.method.get(lang)),
        (t("org_value", lang), t("org_value_on", lang, value=measure(latest.value, info.unit, lang),
                                 date=latest.measured_on.isoformat()) if latest else
         el("strong", t("not_entered", lang), class_="missing")),
        (t("target", lang), target_text),
        (t("met", lang), t("unknown", lang) if reached is None else t("yes" if reached else "no", lang)),
    ]
    if info.scope == "service":
        facts.append((t("services_reporting", lang), services_summary(info, reported, lang)))
    facts.append((t("source", lang), lines_text(info.lines, lang)))
    if latest and latest.source:
        facts.append((t("entered_source", lang), latest.source))
    chart_id = f"org-{info.id}"
    scale = (0.0, 1.0) if info.unit == "ratio" else (None, None)
    points = [(_at(v), v.value) for v in values]
    targets = [(_at(v), v.target) for v in values if v.target is not None]
    chart = line_chart([Series(t("value", lang), points), Series(t("target", lang), targets, THRESHOLD, True)],
                       title, t("quality_desc", lang, title=title), chart_id, y_min=scale[0], y_max=scale[1],
                       empty=t("not_entered", lang))
    head = el("tr", [el("th", t(k, lang), scope="col") for k in ("measured", "value", "target", "entered_source")])
    rows = [el("tr", el("th", v.measured_on.isoformat(), scope="row"),
               el("td", measure(v.value, info.unit, lang), class_="num"),
               el("td", measure(v.target, info.unit, lang), class_="num"), el("td", v.source or ""))
            for v in reversed(values[-TABLE_ROWS:])]
    table = el("table", el("caption", t("org_values", lang)), el("thead", head), el("tbody", rows)) if rows else None
    figure = el("figure", chart, el("figcaption", t("org_values", lang) + ": " + title)) if values else None
    return el("div", el(heading, title, id=f"indicator-{info.id}"),
              el("div", el("dl", [join(el("dt", k), el("dd", v)) for k, v in facts], class_="facts"), figure, table,
                 class_="charts"),
              class_="indicator")


def _at(value: OrgValue) -> datetime:
    return datetime(value.measured_on.year, value.measured_on.month, value.measured_on.day)
