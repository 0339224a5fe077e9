"""One self-contained HTML report for people: charts, per-principle findings, JIS table, KPIs, first steps.

No script, no font, no style sheet or image is fetched: styles are inline (``style.py``), charts are inline
SVG drawn by ``report/charts.py``. The page is built to pass the tool's own page audit at level AA (landmarks,
heading order, table headers, contrast ≥ 4.5:1, no colour-only information, text that can be enlarged).

This module lays out the document; each section is drawn by its own module.
"""

from __future__ import annotations

from html import escape

from guideline_lint.model import Finding, Report
from guideline_lint.report.html.details import principle_section
from guideline_lint.report.html.jis import jis_section
from guideline_lint.report.html.style import CSS
from guideline_lint.report.html.summary import first_steps, summary, weak
from guideline_lint.report.html.tables import input_fields_section, kpi_section, skipped_section
from guideline_lint.report.html.words import say

__all__ = ["render", "weak"]


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    lang = "en" if lang == "en" else "ja"
    service = report.service.get("name") or report.service.get("id") or ""
    title = say("doc_title", lang) + (f": {escape(service)}" if service else "")
    by_principle: dict[int, list[Finding]] = {p.id: [] for p in report.principles}
    for finding in report.findings:
        for n in finding.principles:
            by_principle.setdefault(n, []).append(finding)
    jis = jis_section(report, lang)
    toc = [("summary-h", "summary"), ("first-steps-h", "first_steps"), ("details-h", "details")]
    if jis:
        toc.append(("jis-h", "jis"))
    toc.append(("kpi-h", "kpis"))
    fields = input_fields_section(report, baseline, lang)
    if fields:
        toc.append(("fields-h", "fields"))
    if report.skipped:
        toc.append(("skipped-h", "skipped"))
    version = report.tool.get("version", "")
    body = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Following a link to an audited page must not tell that site where the report lives.
        '<meta name="referrer" content="no-referrer">',
        # Nothing may load from elsewhere: the file is read offline and attached to CI runs.
        "<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{title} — guideline-lint</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="#main">{say("skip", lang)}</a>',
        "<header>",
        f'<p class="tool">guideline-lint {escape(version)}</p>',
        f"<h1>{title}</h1>",
        "</header>",
        f'<nav aria-label="{say("toc", lang)}"><ul>'
        + "".join(f'<li><a href="#{anchor}">{say(key, lang)}</a></li>' for anchor, key in toc)
        + "</ul></nav>",
        '<main id="main">',
        summary(report, baseline, lang),
        first_steps(report, lang),
        f'<section aria-labelledby="details-h"><h2 id="details-h">{say("details", lang)}</h2>',
        *(principle_section(p, by_principle.get(p.id, []), lang) for p in report.principles),
        "</section>",
        jis,
        kpi_section(report.kpis, lang),
        fields,
        skipped_section(report, lang),
        "</main>",
        f"<footer><p>{say('footer', lang, version=version)}</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in body if part) + "\n"
