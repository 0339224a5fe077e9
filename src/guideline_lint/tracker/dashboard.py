"""The dashboard's overview: the organisation's quality indicators led by the KGI (:mod:`.org_page`), the KPIs of
all services, and every service's latest scores, principle by principle.

Japanese first (``?lang=en`` for English), no script, no external requests. Every value from a
report or a registration goes through :mod:`.html`, which escapes it. Scores are shown as numbers
with a colour band and a legend, never as colour alone. A service's own page is :mod:`.service_page`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from guideline_lint import catalog
from guideline_lint.tracker.html import Markup, el, join
from guideline_lint.tracker.layout import kpi_key, kpi_title, legend, link, measure, page, score_cell
from guideline_lint.tracker.org_page import organisation_sections
from guideline_lint.tracker.records import OrgValue, ServiceOverview, distinct
from guideline_lint.tracker.words import PHASES, phase_text, t

# KPIs close to the quality indicators first, in the code of conduct's order; other KPIs follow.
HEADLINE_KPIS = ["nps", "online_usage_rate", "accessibility_self_check_score", "procedure_time_reduction_rate",
                 "service_updates", "user_tests"]


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str | None, lang: str) -> Markup:
    return el("div",
              el("label", label, for_=f"filter-{name}"),
              el("select", el("option", t("all", lang), value=""),
                 [el("option", text, value=value, selected=value == chosen) for value, text in options],
                 id=f"filter-{name}", name=name))


def overview_page(items: list[ServiceOverview], bureau: str | None, phase: str | None, lang: str,
                  contact: str | None = None, entered: dict[str, list[OrgValue]] | None = None) -> str:
    principles = catalog.principles()
    shown = [i for i in items if (bureau is None or i.bureau == bureau) and (phase is None or i.phase == phase)]
    form = el("form",
              el("input", type="hidden", name="lang", value="en") if lang == "en" else None,
              _select("bureau", t("bureau", lang), [(b, b) for b in distinct(i.bureau for i in items)], bureau, lang),
              _select("phase", t("phase", lang), [(p, phase_text(p, lang)) for p in PHASES], phase, lang),
              el("button", t("apply", lang), type="submit"),
              method="get", action="/", class_="filters", aria_label=t("filters", lang))
    header_cells = [
        el("th", t("service", lang), scope="col"), el("th", t("bureau", lang), scope="col"),
        el("th", t("phase", lang), scope="col"), el("th", t("overall", lang), scope="col", class_="num"),
        *[el("th", el("abbr", t("principle_short", lang, n=n), title=principles[n].title.get(lang)), scope="col",
             class_="num") for n in range(1, 11)],
        el("th", t("reported", lang), scope="col"), el("th", t("state", lang), scope="col"),
    ]
    rows = []
    for item in shown:
        latest = item.latest
        name_cell = el("th", el("a", item.display_name, href=link(f"/services/{quote(item.service.id)}", lang)),
                       scope="row")
        if latest is None:
            rows.append(el("tr", name_cell, el("td", item.bureau or t("unknown", lang)),
                           el("td", t("no_report", lang), colspan="14")))
            continue
        rows.append(el("tr", name_cell,
                       el("td", item.bureau or t("unknown", lang)), el("td", phase_text(item.phase, lang)),
                       score_cell(latest.score, lang),
                       [score_cell(latest.principles.get(n, {}).get("score"), lang) for n in range(1, 11)],
                       el("td", latest.generated_at.strftime("%Y-%m-%d")),
                       el("td", el("span", "⚠ " + t("flagged", lang), class_="flag") if latest.flagged
                          else t("ok", lang))))
    reported = [i.latest for i in shown if i.latest is not None]

    def mean(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return round(statistics.fmean(present), 1) if present else None

    foot = el("tr", el("th", t("average_row", lang), scope="row", colspan="3"),
              score_cell(mean([r.score for r in reported]), lang),
              [score_cell(mean([r.principles.get(n, {}).get("score") for r in reported]), lang)
               for n in range(1, 11)],
              el("td", ""), el("td", ""))
    table = el("div", el("table",
                         el("caption", t("caption", lang, n=len(shown))),
                         el("thead", el("tr", header_cells)),
                         el("tbody", rows),
                         el("tfoot", foot) if reported else None), class_="wide") if shown else el(
        "p", t("none_match", lang))
    everyone = [i.latest for i in items if i.latest is not None]
    body = join(
        el("h1", t("overview_h1", lang)),
        organisation_sections(entered or {}, everyone, lang),
        el("section", el("h2", t("indicators", lang), id="indicators"), el("p", t("indicators_intro", lang)),
           _indicators(items, lang), aria_labelledby="indicators"),
        el("section", el("h2", t("table_h2", lang), id="scores"), el("p", t("intro", lang)), form, legend(lang),
           table, aria_labelledby="scores"),
    )
    return page(t("overview_h1", lang), body, lang, self_path="/", query={"bureau": bureau, "phase": phase},
                contact=contact)


def _indicators(items: Sequence[ServiceOverview], lang: str) -> Markup:
    catalogue = catalog.kpis()
    values: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    services: dict[tuple[str, ...], list[str]] = {}
    for item in items:
        report = item.latest
        if report is None:
            continue
        for kpi_id, kpi in report.kpis.items():
            key = kpi_key(kpi_id, kpi, report.service_id, catalogue)
            values.setdefault(key, []).append(kpi)
            services.setdefault(key, []).append(item.display_name)
    if not values:
        return el("p", t("no_kpis", lang))
    order = [(k,) for k in HEADLINE_KPIS if (k,) in values] + sorted(k for k in values if k[0] not in HEADLINE_KPIS)
    rows = []
    for key in order:
        entries, kpi_id = values[key], key[0]
        info = catalogue.get(kpi_id)
        unit = info.unit if info else entries[0].get("unit")
        numbers = [e["value"] for e in entries if e["value"] is not None]
        judged = [e for e in entries if e["met"] is not None]
        # A service's own KPI: its name and the services that report it (another service's KPI of that id is apart).
        who = ("、" if lang == "ja" else ", ").join(services[key])
        reported_by = None if info else [el("br"), el("small", t("reported_by", lang, services=who))]
        rows.append(el("tr",
                       el("th", kpi_title(kpi_id, entries, lang), reported_by, scope="row"),
                       el("td", str(len(entries)), class_="num"),
                       el("td", measure(statistics.fmean(numbers), unit, lang) if numbers else "—", class_="num"),
                       el("td", measure(statistics.median(numbers), unit, lang) if numbers else "—", class_="num"),
                       el("td", f"{sum(bool(e['met']) for e in judged)} / {len(judged)}" if judged else "—",
                          class_="num")))
    head = el("tr", [el("th", t(k, lang), scope="col") for k in ("kpi", "reporting", "mean", "median", "met")])
    return el("table", el("caption", t("indicators", lang)), el("thead", head), el("tbody", rows))


def not_found_page(service_id: str, lang: str, contact: str | None = None) -> str:
    body = join(el("h1", t("not_found", lang, id=service_id)), el("p", el("a", t("back", lang), href=link("/", lang))))
    return page(t("not_found", lang, id=service_id), body, lang, self_path="/", query={}, contact=contact)


