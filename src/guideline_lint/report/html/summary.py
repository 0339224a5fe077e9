"""The top of the HTML report: service facts, the gate, the score charts and table, and the first step
for every weak principle."""

from __future__ import annotations

from html import escape

from guideline_lint.model import PrincipleScore, Report
from guideline_lint.report import charts
from guideline_lint.report.common import fmt_delta, guidance, page_audit, principle_catalogue
from guideline_lint.report.html.words import T, counts_head, paren, say, score

# A principle is weak (its first step is shown) when below its threshold, under this score, or not assessed.
WEAK_SCORE = 70.0



def weak(p: PrincipleScore) -> bool:
    return p.score is None or p.below_threshold or p.score < WEAK_SCORE

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
        shown = score(p.score, lang)
        if p.below_threshold:
            shown += paren(say("below", lang), lang)
        cells = [shown]
        if baseline:
            cells.append(escape(fmt_delta(p.score, before.get(p.id))) or "—")
        cells += ["—" if p.threshold is None else f"{p.threshold:g}", f"{p.coverage * 100:.0f}%",
                  f"{p.passed} / {p.failed} / {p.manual} / {p.errors}"]
        name = f'<a href="#p{p.id}-h">{p.id}. {escape(p.title.get(lang))}</a>'
        rows.append(f'<tr><th scope="row">{name}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table class="scores">'
        f"<caption>{say('scores', lang)}</caption>"
        "<thead><tr>" + "".join(f'<th scope="col">{say(h, lang)}</th>' for h in heads)
        + f'<th scope="col">{counts_head(lang)}</th></tr></thead>'
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def first_steps(report: Report, lang: str) -> str:
    catalogue = principle_catalogue()
    weak_ones = [p for p in report.principles if weak(p)]
    out = [f'<section aria-labelledby="first-steps-h"><h2 id="first-steps-h">{say("first_steps", lang)}</h2>']
    if not weak_ones:
        out.append(f"<p>{say('no_weak', lang)}</p></section>")
        return "\n".join(out)
    out.append(f"<p>{say('first_steps_intro', lang)}</p>")
    for p in weak_ones:
        step, viewpoints = guidance(p, catalogue)
        threshold = "—" if p.threshold is None else f"{p.threshold:g}"
        why = (say("not_assessed", lang) if p.score is None
               else say("why_weak", lang, score=f"{p.score:.1f}", threshold=threshold))
        out += [
            '<div class="first-step">',
            f"<h3>{say('principle_n', lang, n=p.id)}: {escape(p.title.get(lang))}</h3>",
            f'<p class="note">{why}</p>',
            f"<p>{escape(step.get(lang)) if step else say('first_step_missing', lang)}</p>",
            *([f'<p class="note">{say("viewpoints", lang)}</p><ul>'
               + "".join(f"<li>{escape(v.get(lang))}</li>" for v in viewpoints) + "</ul>"] if viewpoints else []),
            "</div>",
        ]
    out.append("</section>")
    return "\n".join(out)


def summary(report: Report, baseline: Report | None, lang: str) -> str:
    service = report.service
    gate = report.gate
    if gate is None:
        verdict = f'<span class="gate">{say("gate_none", lang)}</span>'
    else:
        verdict = f'<span class="gate {"gate-pass" if gate.passed else "gate-fail"}">' \
                  f'{say("gate_pass" if gate.passed else "gate_fail", lang)}</span>'
    facts = [
        (say("service", lang), escape(service.get("name") or service.get("id") or "—")),
        (say("phase", lang), escape(service.get("phase") or "—")),
        (say("ruleset", lang), escape(f"{report.ruleset.get('id', '')} {report.ruleset.get('version', '')}")),
        (say("generated", lang), escape(report.generated_at)),
        (say("overall", lang), f'<span class="big">{score(report.score, lang)}</span>'),
    ]
    if baseline is not None:
        facts.append((say("baseline", lang), escape(fmt_delta(report.score, baseline.score)) or "—"))
    facts.append((say("gate", lang), verdict))
    out = [
        '<section aria-labelledby="summary-h"><h2 id="summary-h">' + say("summary", lang) + "</h2>",
        '<dl class="facts">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>",
    ]
    if gate is not None and gate.reasons:
        out.append(f"<h3>{say('gate_reasons', lang)}</h3><ul>"
                   + "".join(f"<li>{escape(r.get(lang))}</li>" for r in gate.reasons) + "</ul>")
    out += [f'<p class="note">{escape(line)}</p>' for line in page_audit(report, lang)]
    out += [f"<h3>{say('scores', lang)}</h3>", _charts(report, lang), _score_table(report, baseline, lang),
            "</section>"]
    return "\n".join(out)


