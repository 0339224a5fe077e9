"""The closing sections of the HTML report: KPIs, input fields per page, checks that were not run."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from guideline_lint.catalog import kpis
from guideline_lint.model import KpiValue, Report, Text
from guideline_lint.report.common import fmt_delta, not_evaluated
from guideline_lint.report.html.words import head_row, paren, place, say


def _kpi_titles() -> dict[str, Text]:
    from ruamel.yaml.error import YAMLError

    try:

        return {k: v.title for k, v in kpis().items()}
    except (ImportError, OSError, KeyError, TypeError, ValueError, YAMLError):
        return {}


def _kpi_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    text = f"{value:g}"
    return f"{text} {escape(unit)}" if unit else text


def kpi_section(kpis: Iterable[KpiValue], lang: str) -> str:
    kpis = list(kpis)
    out = [f'<section aria-labelledby="kpi-h"><h2 id="kpi-h">{say("kpis", lang)}</h2>']
    if not kpis:
        out.append(f"<p>{say('no_kpis', lang)}</p></section>")
        return "\n".join(out)
    titles = _kpi_titles()
    heads = ["kpi", "principle", "value", "target", "met", "measured"]
    rows = []
    for k in kpis:
        title = titles.get(k.id)
        name = f"<code>{escape(k.id)}</code>"
        if title:
            name = f"{escape(title.get(lang))} {name}"
        met = "met_unknown" if k.met is None else ("met_yes" if k.met else "met_no")
        cells = [
            ", ".join(str(n) for n in k.principles),
            _kpi_value(k.value, k.unit),
            _kpi_value(k.target, k.unit),
            f'<span class="{met}">{say(met, lang)}</span>',
            escape(k.measured_at or "—"),
        ]
        rows.append(f'<tr><th scope="row">{name}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += [
        '<table class="kpis">',
        f"<caption>{say('kpi_caption', lang)}</caption>",
        head_row(heads, lang),
        "<tbody>" + "".join(rows) + "</tbody></table></section>",
    ]
    return "\n".join(out)


def input_fields(report: Report) -> tuple[int, list[dict[str, Any]]] | None:
    """Total input fields and the pages with forms, from ``metrics["input_fields"]`` (None when absent)."""
    metric = report.metrics.get("input_fields")
    if not isinstance(metric, dict) or not isinstance(metric.get("pages"), list):
        return None
    pages = [p for p in metric["pages"] if isinstance(p, dict) and p.get("fields")]
    return int(metric.get("total") or 0), pages


def input_fields_section(report: Report, baseline: Report | None, lang: str) -> str:
    found = input_fields(report)
    if found is None:
        return ""
    total, pages = found
    before = input_fields(baseline) if baseline is not None else None
    change = ""
    if before is not None:
        change = paren(say("baseline", lang) + " " + escape(fmt_delta(total, before[0])), lang)
    out = [f'<section aria-labelledby="fields-h"><h2 id="fields-h">{say("fields", lang)}</h2>',
           f"<p>{say('fields_total', lang, n=total)}{change}</p>"]
    if pages:
        heads = ["page", "forms", "fields_col"]
        rows = "".join(
            f'<tr><th scope="row">{place(str(p.get("url", "")))}</th>'
            f"<td>{len(p.get('forms') or [])}</td><td>{int(p.get('fields') or 0)}</td></tr>"
            for p in pages
        )
        out += ['<table class="fields">', f"<caption>{say('fields_caption', lang)}</caption>",
                head_row(heads, lang),
                f"<tbody>{rows}</tbody></table>"]
    out.append("</section>")
    return "\n".join(out)


def skipped_section(report: Report, lang: str) -> str:
    lines = not_evaluated(report, lang)
    if not lines:
        return ""
    items = "".join(
        f"<li>{escape(line)}" + (f"<details><summary>{say('which_checks', lang)}</summary>"
                                 f"<p>{escape(', '.join(checks))}</p></details>" if checks else "") + "</li>"
        for line, checks in lines
    )
    return (f'<section aria-labelledby="skipped-h"><h2 id="skipped-h">{say("skipped", lang)}</h2>'
            f"<ul>{items}</ul></section>")



