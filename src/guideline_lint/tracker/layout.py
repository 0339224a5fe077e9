"""The frame every dashboard page shares: head, header, footer, stylesheet, score cells and legend.

The stylesheet starts from the HTML report's (one look, one set of tested contrasts) and adds only
what the dashboard has and the report has not: score bands, filters, breadcrumbs, the wide tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from guideline_lint import catalog
from guideline_lint.report.html.style import CSS as REPORT_CSS
from guideline_lint.tracker.html import Markup, el, join
from guideline_lint.tracker.words import T, t

STYLESHEET = REPORT_CSS.strip() + """
header { display: flex; justify-content: space-between; align-items: center; padding-top: 0; }
header p { font-size: 1.2rem; font-weight: bold; margin: .6rem 0; }
main { max-width: 90rem; }
header a, nav a, th a, footer a { display: inline-block; min-height: 24px; min-width: 24px; line-height: 24px; }
a:focus, select:focus, button:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
table { width: auto; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td samp { font-family: inherit; }
.band-good { background: #dff3e4; color: #0b3d1a; }
.band-mid { background: #fff4cc; color: #4a3800; }
.band-low { background: #fde2e2; color: #6b0f0f; }
.band-na { background: #eeeeee; color: #333333; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.legend span { display: inline-block; padding: 0 .5rem; border: 1px solid #767676; margin-right: .3rem; }
.flag { color: #6b0f0f; font-weight: bold; }
.missing { color: #6b0f0f; }
.indicator { border-top: 1px solid #767676; margin-top: 1rem; }
.kgi .indicator { border: 2px solid #1f5fa8; padding: 0 1rem 1rem; }
.warnings { border: 2px solid #6b0f0f; padding: .5rem 1rem; background: #fff8f8; }
form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; margin: .5rem 0; }
form.filters label { display: block; font-weight: bold; }
select, button { font-size: 1rem; padding: .25rem .5rem; }
button { background: #1f5fa8; color: #ffffff; border: 0; border-radius: 4px; padding: .4rem 1rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; }
figcaption { font-weight: bold; }
svg.line { width: 20rem; max-width: 100%; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: bold; font-size: 1rem; color: #1a1a1a; }
dl.facts dd { margin: 0; font-weight: normal; }
.wide { overflow-x: auto; }
ol.breadcrumb { list-style: none; padding: 0; display: flex; gap: .5rem; }
ol.breadcrumb li + li::before { content: "›"; margin-right: .5rem; }
""".rstrip()


def fmt(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return t("not_assessed", lang)
    return f"{value:.{digits}f}"


def band(score: float | None) -> str:
    if score is None:
        return "band-na"
    return "band-good" if score >= 80 else ("band-mid" if score >= 60 else "band-low")


def link(path: str, lang: str, **params: str | None) -> str:
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
                el("p", el("a", t("site", lang), href=link("/", lang))),
                el("nav", el("a", "English" if other == "en" else "日本語", href=other_href, lang=other,
                             hreflang=other), aria_label=t("language", lang)))
    footer = el("footer", el("p",
                             el("a", t("open_data", lang) + " (CSV)", href="/opendata/scores.csv"), " · ",
                             el("a", "KPI (CSV)", href="/opendata/kpis.csv"), " · ",
                             el("a", t("org_values", lang) + " (CSV)", href="/opendata/indicators.csv"), " · ",
                             el("a", t("open_data", lang) + " (JSON)", href="/opendata/scores.json"), " · ",
                             el("a", t("definitions", lang), href="/opendata/datapackage.json"), " · ",
                             el("a", t("api", lang), href="/openapi.json"),
                             [" · ", el("a", t("contact", lang), href=contact)] if contact else None))
    document = el("html", el("head", head),
                  el("body", el("a", t("skip", lang), href="#main", class_="skip"), header,
                     el("main", body, id="main"), footer), lang=lang)
    return "<!DOCTYPE html>\n" + document


def score_cell(score: float | None, lang: str) -> Markup:
    return el("td", fmt(score, lang), class_=f"num {band(score)}")


def legend(lang: str) -> Markup:
    items = [("band-good", "85.0", "band_good"), ("band-mid", "70.0", "band_mid"), ("band-low", "40.0", "band_low"),
             ("band-na", t("not_assessed", lang), "band_na")]
    return el("ul", [el("li", el("span", sample, class_=cls), t(key, lang)) for cls, sample, key in items],
              class_="legend", aria_label=t("legend", lang))


def kpi_key(kpi_id: str, kpi: dict[str, Any], service_id: str, catalogue: Mapping[str, Any]) -> tuple[str, ...]:
    """Which KPI a stored value measures, so that only values of the same KPI are aggregated: a catalogue KPI by its
    id; any other (a service's own) by its id and its definition — name and unit — since two services may give one id
    to different KPIs; an own KPI without a name cannot be compared and stays its service's."""
    if kpi_id in catalogue:
        return (kpi_id,)
    if not kpi.get("title_ja"):
        return (kpi_id, "service", service_id)
    return (kpi_id, "own", kpi["title_ja"], kpi.get("title_en") or "", kpi.get("unit") or "")


def kpi_title(kpi_id: str, entries: Sequence[Mapping[str, Any]], lang: str) -> str:
    """A KPI's name: the catalogue's, else the service's own as its newest report gave it, else its id."""
    info = catalog.kpis().get(kpi_id)
    if info is not None:
        return info.title.get(lang)
    named = [e for e in entries if e.get("own") and e.get("title_ja")]
    if not named:
        return kpi_id
    return t("own_kpi", lang, title=named[-1].get(f"title_{lang}") or named[-1]["title_ja"])


def kpi_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    return f"{value:g}"


def measure(value: float | None, unit: str | None, lang: str) -> str:
    """A value with its unit in words (a ratio as a percentage); — for none."""
    if value is None or unit == "ratio" or f"unit_{unit}" not in T:
        return kpi_value(value, unit)
    return t(f"unit_{unit}", lang, value=f"{value:g}")
