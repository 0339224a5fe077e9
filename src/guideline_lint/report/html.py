"""One self-contained HTML report for people: charts, per-principle findings, JIS table, KPIs, first steps.

No script, no font, no style sheet or image is fetched: styles are inline, charts are inline SVG drawn by
``charts.py``. The page is built to pass the tool's own page audit at level AA (landmarks, heading order,
table headers, contrast ≥ 4.5:1, no colour-only information, text that can be enlarged).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from guideline_lint.i18n import section
from guideline_lint.model import Finding, KpiValue, PrincipleScore, Report, Status, Text
from guideline_lint.report import charts
from guideline_lint.report.markdown import (
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    STATUS_LABELS,
    expired_waiver,
    fmt_delta,
    format_location,
    group_by_check,
)

# A principle is weak (its first step is shown) when below its threshold, under this score, or not assessed.
WEAK_SCORE = 70.0
JIS_EXTENSION = "jis_x_8341_3"
MAX_PLACES = 10  # places listed per row; the rest are counted
FEEDBACK_URL = "https://github.com/tokyo-digital/guideline-lint/issues"

STATUS_ICONS = {
    Status.PASS: "✓", Status.FAIL: "✕", Status.MANUAL: "?", Status.NOT_APPLICABLE: "–",
    Status.ERROR: "!", Status.WAIVED: "○",
}
STATUS_ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.MANUAL: 2, Status.WAIVED: 3, Status.PASS: 4,
                Status.NOT_APPLICABLE: 5}
JIS_RESULTS = {
    "fail": Text(ja="不適合", en="Failure found"),
    "no_problem_found": Text(
        ja="自動判定で問題なし（要目視確認）",
        en="No problem found automatically (confirm by hand)",
    ),
    "not_tested": Text(ja="未検証", en="Not tested"),
}

T = section("html")  # this renderer's words, from the message catalogue


def _t(key: str, lang: str, **values: Any) -> str:
    text = T[key].get(lang)
    return escape(text.format(**values) if values else text)


# --------------------------------------------------------------------------- principle catalogue


def principle_catalogue() -> dict[int, dict[str, Text]]:
    """Titles and first steps of the ten principles, ``{}`` when the bundled catalogue cannot be read."""
    from ruamel.yaml.error import YAMLError

    try:
        from guideline_lint.catalog import principles

        return {n: {"title": p.title, "first_step": p.first_step} for n, p in principles().items()}
    except (ImportError, OSError, KeyError, TypeError, ValueError, YAMLError):
        # The report must still render when the catalogue is missing or malformed.
        return {}


def weak(p: PrincipleScore) -> bool:
    return p.score is None or p.below_threshold or p.score < WEAK_SCORE


# --------------------------------------------------------------------------- pieces


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(items)


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "ja" else f" ({text})"


def _score(value: float | None, lang: str) -> str:
    return _t("not_assessed", lang) if value is None else f"{value:.1f}"


def _status(finding: Finding, lang: str) -> str:
    label = STATUS_LABELS[finding.status].get(lang)
    return (f'<span class="status s-{finding.status.value}"><span aria-hidden="true">'
            f"{STATUS_ICONS[finding.status]}</span> {escape(label)}</span>")


def _place(text: str) -> str:
    """URLs become links (following one is the reader's choice, not a request the report makes)."""
    if text.startswith(("https://", "http://")):
        url, _, selector = text.partition(" ")
        link = f'<a href="{escape(url)}">{escape(url)}</a>'
        return f"{link} <code>{escape(selector)}</code>" if selector else link
    return f"<code>{escape(text)}</code>"


def _places(group: list[Finding], lang: str) -> str:
    places: list[str] = []
    for finding in group:
        own = [format_location(loc, None, lang) for loc in [finding.location, *finding.occurrences] if loc]
        places += [p for p in own if p] or ([finding.subject] if finding.subject else [])
    if not places:
        return ""
    finding = group[0]
    items = [f"<li>{_place(p)}</li>" for p in places[:MAX_PLACES]]
    hidden = max(0, len(places) - MAX_PLACES) + sum(f.more_occurrences for f in group)
    if hidden > 0:
        items.append(f"<li>{_t('more', lang, n=hidden)}</li>")
    snippet = finding.location.snippet if finding.location else None
    code = f'<pre class="snippet"><code>{escape(snippet)}</code></pre>' if snippet else ""
    return f'<ul class="places">{"".join(items)}</ul>{code}'


def _finding_row(group: list[Finding], lang: str) -> str:
    """One row per check and status: the same check failing on several pages is one thing to fix."""
    finding = group[0]
    what = [f"<p>{escape(finding.message.get(lang))}</p>"]
    if len(group) > 1:
        what.append(f"<p>{_t('also', lang, n=len(group) - 1)}</p>")
    if finding.reason:
        what.append(f"<p><strong>{_t('reason', lang)}:</strong> {escape(finding.reason.get(lang))}</p>")
    expired = expired_waiver(finding)
    if expired:
        what.append(f"<p><strong>{_t('expired', lang, date=expired)}</strong></p>")
    if finding.remediation and finding.status != Status.PASS:
        what.append(f"<p><strong>{_t('fix', lang)}:</strong> {escape(finding.remediation.get(lang))}</p>")
    check = f"<strong>{escape(finding.check_id)}</strong><br>{escape(finding.title.get(lang))}"
    if finding.verification.value == "attested":
        check += f'<br><span class="note">{_t("attested", lang)}</span>'
    return (
        "<tr>"
        f"<td>{_status(finding, lang)}</td>"
        f"<td>{escape(SEVERITY_LABELS[finding.severity].get(lang))}</td>"
        f"<th scope=\"row\">{check}</th>"
        f"<td>{_places(group, lang)}</td>"
        f"<td>{''.join(what)}</td>"
        "</tr>"
    )


def _principle_section(p: PrincipleScore, findings: list[Finding], lang: str) -> str:
    attention = sorted(
        (f for f in findings if f.status not in (Status.PASS, Status.NOT_APPLICABLE)),
        key=lambda f: (STATUS_ORDER[f.status], SEVERITY_ORDER[f.severity]),
    )
    passed = [f for f in findings if f.status == Status.PASS]
    not_applicable = [f for f in findings if f.status == Status.NOT_APPLICABLE]
    notes = []
    if p.below_threshold:
        notes.append(_t("below", lang))
    if p.incomplete:
        notes.append(_t("incomplete", lang))
    facts = [
        (_t("score", lang), _score(p.score, lang) + (_paren(_join(notes, lang), lang) if notes else "")),
        (_t("threshold", lang), "—" if p.threshold is None else f"{p.threshold:g}"),
        (_t("coverage", lang), f"{p.coverage * 100:.0f}%"),
        (_counts_head(lang),
         f"{p.passed} / {p.failed} / {p.manual} / {p.errors}"),
    ]
    out = [
        f'<section class="principle" aria-labelledby="p{p.id}-h">',
        f'<h3 id="p{p.id}-h">{_t("principle_n", lang, n=p.id)}: {escape(p.title.get(lang))}</h3>',
        '<dl class="facts">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>",
    ]
    if not findings:
        out.append(f"<p>{_t('no_findings', lang)}</p>")
    elif not attention:
        out.append(f"<p>{_t('nothing_to_fix', lang)}</p>")
    else:
        heads = ["status", "severity", "check", "location", "what_to_do"]
        out += [
            '<table class="findings">',
            f"<caption>{_t('findings_caption', lang, n=p.id)}</caption>",
            "<thead><tr>" + "".join(f'<th scope="col">{_t(h, lang)}</th>' for h in heads) + "</tr></thead>",
            "<tbody>" + "".join(_finding_row(g, lang) for g in group_by_check(attention)) + "</tbody></table>",
        ]
    for key, items in (("passed_list", passed), ("na_list", not_applicable)):
        if items:
            rows = "".join(
                f"<li><strong>{escape(f.check_id)}</strong> {escape(f.title.get(lang))}"
                + (f" — {escape(f.subject)}" if f.subject else "")
                + (_paren(escape(f.reason.get(lang)), lang) if f.reason else "")
                + "</li>"
                for f in items
            )
            out.append(f"<details><summary>{_t(key, lang, n=len(items))}</summary><ul>{rows}</ul></details>")
    out.append("</section>")
    return "\n".join(out)


def _charts(report: Report, lang: str) -> str:
    if not report.principles:
        return ""
    short = {p.id: p.title.get(lang) for p in report.principles}
    radar_axes = [charts.Axis(p.id, T["principle_n"].get(lang).format(n=p.id), p.score, p.threshold)
                  for p in report.principles]
    bar_axes = [charts.Axis(p.id, f"{p.id}. {_shorten(short[p.id], 16)}", p.score, p.threshold)
                for p in report.principles]
    listing = "; ".join(
        f"{T['principle_n'].get(lang).format(n=p.id)} {p.title.get(lang)}: "
        + (T["not_assessed"].get(lang) if p.score is None else f"{p.score:.1f}")
        for p in report.principles
    )
    desc = T["chart_desc"].get(lang) + listing + ". " + T["chart_note"].get(lang)
    radar = charts.radar(
        radar_axes, chart_id="radar", title=T["radar_title"].get(lang), description=desc,
        not_assessed=T["not_assessed"].get(lang), legend_score=T["legend_score"].get(lang),
        legend_threshold=T["legend_threshold"].get(lang),
    )
    bars = charts.bars(
        bar_axes, chart_id="bars", title=T["bars_title"].get(lang), description=desc,
        not_assessed=T["not_assessed"].get(lang), below_label=T["below"].get(lang),
    )
    return f'<div class="charts"><figure>{radar}</figure><figure>{bars}</figure></div>'


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _score_table(report: Report, baseline: Report | None, lang: str) -> str:
    before = {p.id: p.score for p in baseline.principles} if baseline else {}
    heads = ["principle", "score", *(["baseline"] if baseline else []), "threshold", "coverage"]
    rows = []
    for p in report.principles:
        score = _score(p.score, lang)
        if p.below_threshold:
            score += _paren(_t("below", lang), lang)
        cells = [score]
        if baseline:
            cells.append(escape(fmt_delta(p.score, before.get(p.id))) or "—")
        cells += ["—" if p.threshold is None else f"{p.threshold:g}", f"{p.coverage * 100:.0f}%",
                  f"{p.passed} / {p.failed} / {p.manual} / {p.errors}"]
        name = f'<a href="#p{p.id}-h">{p.id}. {escape(p.title.get(lang))}</a>'
        rows.append(f'<tr><th scope="row">{name}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table class="scores">'
        f"<caption>{_t('scores', lang)}</caption>"
        "<thead><tr>" + "".join(f'<th scope="col">{_t(h, lang)}</th>' for h in heads)
        + f'<th scope="col">{_counts_head(lang)}</th></tr></thead>'
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def _counts_head(lang: str) -> str:
    return " / ".join(_t(k, lang) for k in ("passed", "failed", "manual", "errors"))


def _first_steps(report: Report, lang: str) -> str:
    catalogue = principle_catalogue()
    weak_ones = [p for p in report.principles if weak(p)]
    out = [f'<section aria-labelledby="first-steps-h"><h2 id="first-steps-h">{_t("first_steps", lang)}</h2>']
    if not weak_ones:
        out.append(f"<p>{_t('no_weak', lang)}</p></section>")
        return "\n".join(out)
    out.append(f"<p>{_t('first_steps_intro', lang)}</p>")
    for p in weak_ones:
        step = catalogue.get(p.id, {}).get("first_step")
        threshold = "—" if p.threshold is None else f"{p.threshold:g}"
        why = (_t("not_assessed", lang) if p.score is None
               else _t("why_weak", lang, score=f"{p.score:.1f}", threshold=threshold))
        out += [
            '<div class="first-step">',
            f"<h3>{_t('principle_n', lang, n=p.id)}: {escape(p.title.get(lang))}</h3>",
            f'<p class="note">{why}</p>',
            f"<p>{escape(step.get(lang)) if step else _t('first_step_missing', lang)}</p>",
            "</div>",
        ]
    out.append("</section>")
    return "\n".join(out)


def _jis_cell_title(row: dict[str, Any], lang: str) -> str:
    title = row.get("title")
    if isinstance(title, dict):
        return str(title.get(lang) or title.get("ja") or "")
    return str(row.get(f"title_{lang}") or row.get("title_ja") or title or "")


def _jis_result(row: dict[str, Any], lang: str) -> str:
    label = row.get("result_label")
    if isinstance(label, dict) and label.get(lang):
        text = str(label[lang])
    else:
        result = str(row.get("result", ""))
        text = JIS_RESULTS[result].get(lang) if result in JIS_RESULTS else result
    icon = {"fail": "✕", "no_problem_found": "△", "attested": "○", "not_tested": "–"}.get(str(row.get("result")), "")
    return (f'<span aria-hidden="true">{icon}</span> ' if icon else "") + escape(text)


def _jis_pages(row: dict[str, Any]) -> str:
    if "pages_failed" in row or "pages_tested" in row:
        return f"{row.get('pages_failed', '—')} / {row.get('pages_tested', '—')}"
    pages = row.get("pages")
    if isinstance(pages, list):
        return escape(", ".join(str(p) for p in pages)) or "—"
    return escape(str(pages)) if pages is not None else "—"


def _jis_section(report: Report, lang: str) -> str:
    rows = report.extensions.get(JIS_EXTENSION)
    if not isinstance(rows, list) or not rows:
        return ""
    heads = ["criterion", "level", "title", "status", "pages", "checks"]
    body = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        criterion = row.get("jis") or row.get("criterion") or row.get("wcag") or ""
        checks = row.get("check_ids") or []
        cells = [
            escape(str(row.get("level", ""))),
            escape(_jis_cell_title(row, lang)),
            _jis_result(row, lang),
            _jis_pages(row),
            escape(", ".join(str(c) for c in checks)) if isinstance(checks, list) else escape(str(checks)),
        ]
        body.append(f'<tr><th scope="row">{escape(str(criterion))}</th>'
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "\n".join([
        f'<section aria-labelledby="jis-h"><h2 id="jis-h">{_t("jis", lang)}</h2>',
        f"<p>{_t('jis_note', lang)}</p>",
        '<table class="jis">',
        f"<caption>{_t('jis_caption', lang)}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_t(h, lang)}</th>' for h in heads) + "</tr></thead>",
        "<tbody>" + "".join(body) + "</tbody></table></section>",
    ])


def _kpi_titles() -> dict[str, Text]:
    from ruamel.yaml.error import YAMLError

    try:
        from guideline_lint.catalog import kpis

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


def _kpi_section(kpis: Iterable[KpiValue], lang: str) -> str:
    kpis = list(kpis)
    out = [f'<section aria-labelledby="kpi-h"><h2 id="kpi-h">{_t("kpis", lang)}</h2>']
    if not kpis:
        out.append(f"<p>{_t('no_kpis', lang)}</p></section>")
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
            f'<span class="{met}">{_t(met, lang)}</span>',
            escape(k.measured_at or "—"),
        ]
        rows.append(f'<tr><th scope="row">{name}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += [
        '<table class="kpis">',
        f"<caption>{_t('kpi_caption', lang)}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_t(h, lang)}</th>' for h in heads) + "</tr></thead>",
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


def _input_fields_section(report: Report, baseline: Report | None, lang: str) -> str:
    found = input_fields(report)
    if found is None:
        return ""
    total, pages = found
    before = input_fields(baseline) if baseline is not None else None
    change = ""
    if before is not None:
        change = _paren(_t("baseline", lang) + " " + escape(fmt_delta(total, before[0])), lang)
    out = [f'<section aria-labelledby="fields-h"><h2 id="fields-h">{_t("fields", lang)}</h2>',
           f"<p>{_t('fields_total', lang, n=total)}{change}</p>"]
    if pages:
        heads = ["page", "forms", "fields_col"]
        rows = "".join(
            f'<tr><th scope="row">{_place(str(p.get("url", "")))}</th>'
            f"<td>{len(p.get('forms') or [])}</td><td>{int(p.get('fields') or 0)}</td></tr>"
            for p in pages
        )
        out += ['<table class="fields">', f"<caption>{_t('fields_caption', lang)}</caption>",
                "<thead><tr>" + "".join(f'<th scope="col">{_t(h, lang)}</th>' for h in heads) + "</tr></thead>",
                f"<tbody>{rows}</tbody></table>"]
    out.append("</section>")
    return "\n".join(out)


def _skipped_section(report: Report, lang: str) -> str:
    if not report.skipped:
        return ""
    # Usually one reason covers many checks (--no-pages skips every page check): one line per reason.
    by_reason: dict[str, list[str]] = {}
    for skipped in report.skipped:
        by_reason.setdefault(skipped.reason.get(lang), []).append(skipped.check_id)
    items = "".join(
        f"<li>{escape(reason)}{_paren(_t('n_checks', lang, n=len(ids)), lang)}"
        f"<details><summary>{_t('which_checks', lang)}</summary><p>{escape(', '.join(ids))}</p></details></li>"
        for reason, ids in by_reason.items()
    )
    return (f'<section aria-labelledby="skipped-h"><h2 id="skipped-h">{_t("skipped", lang)}</h2>'
            f"<ul>{items}</ul></section>")


def _summary(report: Report, baseline: Report | None, lang: str) -> str:
    service = report.service
    gate = report.gate
    if gate is None:
        verdict = f'<span class="gate">{_t("gate_none", lang)}</span>'
    else:
        verdict = f'<span class="gate {"gate-pass" if gate.passed else "gate-fail"}">' \
                  f'{_t("gate_pass" if gate.passed else "gate_fail", lang)}</span>'
    facts = [
        (_t("service", lang), escape(service.get("name") or service.get("id") or "—")),
        (_t("phase", lang), escape(service.get("phase") or "—")),
        (_t("ruleset", lang), escape(f"{report.ruleset.get('id', '')} {report.ruleset.get('version', '')}")),
        (_t("generated", lang), escape(report.generated_at)),
        (_t("overall", lang), f'<span class="big">{_score(report.score, lang)}</span>'),
    ]
    if baseline is not None:
        facts.append((_t("baseline", lang), escape(fmt_delta(report.score, baseline.score)) or "—"))
    facts.append((_t("gate", lang), verdict))
    out = [
        '<section aria-labelledby="summary-h"><h2 id="summary-h">' + _t("summary", lang) + "</h2>",
        '<dl class="facts">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>",
    ]
    if gate is not None and gate.reasons:
        out.append(f"<h3>{_t('gate_reasons', lang)}</h3><ul>"
                   + "".join(f"<li>{escape(r.get(lang))}</li>" for r in gate.reasons) + "</ul>")
    out += [f"<h3>{_t('scores', lang)}</h3>", _charts(report, lang), _score_table(report, baseline, lang),
            "</section>"]
    return "\n".join(out)


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Hiragino Sans", "Noto Sans JP", "Yu Gothic", "Meiryo", system-ui, sans-serif;
  font-size: 1rem; line-height: 1.7; color: #1a1a1a; background: #fff; }
header, main, footer, nav { max-width: 75rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; border-bottom: 0.25rem solid #1f5fa8; }
h1 { font-size: 1.75rem; margin: 0.25rem 0 1rem; }
h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 1px solid #767676; }
h3 { font-size: 1.15rem; margin-top: 1.75rem; }
a { color: #0a47a0; }  /* 7.7:1 even on the table-head tint: AAA contrast */
/* Stand-alone links get a target of at least 24×24 px (WCAG 2.5.8); links in sentences stay inline. */
nav a, table a, .places a, footer a, .skip { display: inline-block; min-height: 1.5rem; min-width: 1.5rem; }
a:focus-visible, summary:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { position: static; display: inline-block; padding: 0.5rem; background: #fff; }
.tool { margin: 0; color: #4a4a4a; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; padding: 0; list-style: none; }
dl.facts { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; margin: 1rem 0; }
dl.facts div { min-width: 10rem; }
dt { font-size: 0.875rem; color: #4a4a4a; }
dd { margin: 0; font-weight: bold; }
.big { font-size: 2rem; }
.gate { display: inline-block; padding: 0 0.5rem; border: 2px solid #1a1a1a; border-radius: 0.25rem; }
.gate-pass { background: #e6f4ea; color: #0d5223; border-color: #0d5223; }
.gate-fail { background: #fce8e6; color: #8c1d18; border-color: #8c1d18; }
.charts figure { margin: 1rem 0; }
svg.chart { display: block; width: 100%; height: auto; }
svg.radar { max-width: 40rem; }
svg.bars { max-width: 52rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #767676; padding: 0.375rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f7; overflow-wrap: normal; }
tbody th { font-weight: normal; }
td, th { overflow-wrap: anywhere; }
td p { margin: 0 0 0.375rem; }
.status { display: inline-block; padding: 0 0.375rem; border-radius: 0.25rem; white-space: nowrap;
  font-weight: bold; border: 1px solid currentColor; }
.s-fail { background: #fce8e6; color: #8c1d18; }
.s-error { background: #fdecea; color: #7a1f00; }
.s-manual { background: #fef7e0; color: #6b4100; }
.s-waived { background: #eeeeee; color: #3c3c3c; }
.s-pass { background: #e6f4ea; color: #0d5223; }
.s-not_applicable { background: #f1f3f4; color: #3c4043; }
.met_yes { color: #0d5223; font-weight: bold; }
.met_no { color: #8c1d18; font-weight: bold; }
.note { color: #4a4a4a; font-size: 0.875rem; }
ul.places { margin: 0; padding-left: 1.1rem; }
pre.snippet { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 0.375rem;
  margin: 0.25rem 0 0; font-size: 0.875rem; }
code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; }
.first-step { border-left: 0.25rem solid #1f5fa8; padding-left: 1rem; margin: 1rem 0; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; }
footer { margin-top: 3rem; padding-bottom: 2rem; border-top: 1px solid #767676; color: #4a4a4a; }
@media print { .skip, nav { display: none; } }
"""


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    lang = "en" if lang == "en" else "ja"
    service = report.service.get("name") or report.service.get("id") or ""
    title = _t("doc_title", lang) + (f": {escape(service)}" if service else "")
    by_principle: dict[int, list[Finding]] = {p.id: [] for p in report.principles}
    for finding in report.findings:
        for n in finding.principles:
            by_principle.setdefault(n, []).append(finding)
    jis = _jis_section(report, lang)
    toc = [("summary-h", "summary"), ("first-steps-h", "first_steps"), ("details-h", "details")]
    if jis:
        toc.append(("jis-h", "jis"))
    toc.append(("kpi-h", "kpis"))
    fields = _input_fields_section(report, baseline, lang)
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
        f'<a class="skip" href="#main">{_t("skip", lang)}</a>',
        "<header>",
        f'<p class="tool">guideline-lint {escape(version)}</p>',
        f"<h1>{title}</h1>",
        "</header>",
        f'<nav aria-label="{_t("toc", lang)}"><ul>'
        + "".join(f'<li><a href="#{anchor}">{_t(key, lang)}</a></li>' for anchor, key in toc)
        + "</ul></nav>",
        '<main id="main">',
        _summary(report, baseline, lang),
        _first_steps(report, lang),
        f'<section aria-labelledby="details-h"><h2 id="details-h">{_t("details", lang)}</h2>',
        *(_principle_section(p, by_principle.get(p.id, []), lang) for p in report.principles),
        "</section>",
        jis,
        _kpi_section(report.kpis, lang),
        fields,
        _skipped_section(report, lang),
        "</main>",
        f"<footer><p>{_t('footer', lang, version=version)}</p>"
        f'<p><a href="{FEEDBACK_URL}">{_t("feedback", lang)}</a></p></footer>',
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in body if part) + "\n"
