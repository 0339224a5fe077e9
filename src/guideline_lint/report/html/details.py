"""The per-principle details: what needs attention as a table (one row per check and status), what
passed and what did not apply folded away."""

from __future__ import annotations

from html import escape

from guideline_lint.model import Finding, PrincipleScore, Status
from guideline_lint.report.common import (
    SEVERITY_LABELS,
    attention_key,
    expired_waiver,
    group_by_check,
    places,
    practice_evidence,
    practice_lines,
    practice_score,
)
from guideline_lint.report.html.words import counts_head, head_row, join, paren, place, say, score, status

MAX_PLACES = 10  # places listed per row; the rest are counted



def _places_list(group: list[Finding], lang: str) -> str:
    shown: list[str] = []
    for finding in group:
        shown += places(finding, lang)
    if not shown:
        return ""
    finding = group[0]
    items = [f"<li>{place(p)}</li>" for p in shown[:MAX_PLACES]]
    hidden = max(0, len(shown) - MAX_PLACES) + sum(f.more_occurrences for f in group)
    if hidden > 0:
        items.append(f"<li>{say('more', lang, n=hidden)}</li>")
    snippet = finding.location.snippet if finding.location else None
    code = f'<pre class="snippet"><code>{escape(snippet)}</code></pre>' if snippet else ""
    return f'<ul class="places">{"".join(items)}</ul>{code}'


def _finding_row(group: list[Finding], lang: str) -> str:
    """One row per check and status: the same check failing on several pages is one thing to fix."""
    finding = group[0]
    what = [f"<p>{escape(finding.message.get(lang))}</p>"]
    if len(group) > 1:
        what.append(f"<p>{say('also', lang, n=len(group) - 1)}</p>")
    if finding.reason:
        what.append(f"<p><strong>{say('reason', lang)}:</strong> {escape(finding.reason.get(lang))}</p>")
    expired = expired_waiver(finding)
    if expired:
        what.append(f"<p><strong>{say('expired', lang, date=expired)}</strong></p>")
    if finding.remediation and finding.status != Status.PASS:
        what.append(f"<p><strong>{say('fix', lang)}:</strong> {escape(finding.remediation.get(lang))}</p>")
    check = f"<strong>{escape(finding.check_id)}</strong><br>{escape(finding.title.get(lang))}"
    if finding.verification.value == "attested":
        check += f'<br><span class="note">{say("attested", lang)}</span>'
    return (
        "<tr>"
        f"<td>{status(finding, lang)}</td>"
        f"<td>{escape(SEVERITY_LABELS[finding.severity].get(lang))}</td>"
        f"<th scope=\"row\">{check}</th>"
        f"<td>{_places_list(group, lang)}</td>"
        f"<td>{''.join(what)}</td>"
        "</tr>"
    )


def principle_section(p: PrincipleScore, findings: list[Finding], lang: str) -> str:
    attention = sorted(
        (f for f in findings if f.status not in (Status.PASS, Status.NOT_APPLICABLE)),
        key=attention_key,
    )
    passed = [f for f in findings if f.status == Status.PASS]
    not_applicable = [f for f in findings if f.status == Status.NOT_APPLICABLE]
    notes = []
    if p.below_threshold:
        notes.append(say("below", lang))
    if p.incomplete:
        notes.append(say("incomplete", lang))
    facts = [
        (say("score", lang), score(p.score, lang) + (paren(join(notes, lang), lang) if notes else "")),
        (say("threshold", lang), "—" if p.threshold is None else f"{p.threshold:g}"),
        (say("coverage", lang), f"{p.coverage * 100:.0f}%"),
        (counts_head(lang),
         f"{p.passed} / {p.failed} / {p.manual} / {p.errors}"),
    ]
    out = [
        f'<section class="principle" aria-labelledby="p{p.id}-h">',
        f'<h3 id="p{p.id}-h">{say("principle_n", lang, n=p.id)}: {escape(p.title.get(lang))}</h3>',
        '<dl class="facts">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>",
        _practice_table(p, lang),
    ]
    if not findings:
        out.append(f"<p>{say('no_findings', lang)}</p>")
    elif not attention:
        out.append(f"<p>{say('nothing_to_fix', lang)}</p>")
    else:
        heads = ["status", "severity", "check", "location", "what_to_do"]
        out += [
            '<table class="findings">',
            f"<caption>{say('findings_caption', lang, n=p.id)}</caption>",
            head_row(heads, lang),
            "<tbody>" + "".join(_finding_row(g, lang) for g in group_by_check(attention)) + "</tbody></table>",
        ]
    for key, items in (("passed_list", passed), ("na_list", not_applicable)):
        if items:
            rows = "".join(
                f"<li><strong>{escape(f.check_id)}</strong> {escape(f.title.get(lang))}"
                + (f" — {escape(f.subject)}" if f.subject else "")
                + (paren(escape(f.reason.get(lang)), lang) if f.reason else "")
                + "</li>"
                for f in items
            )
            out.append(f"<details><summary>{say(key, lang, n=len(items))}</summary><ul>{rows}</ul></details>")
    out.append("</section>")
    return "\n".join(out)




def _practice_table(p: PrincipleScore, lang: str) -> str:
    """The principle's practices: score (or not assessed), the lines of the code of conduct, the checks behind it."""
    if not p.practices:
        return ""
    heads = "".join(f'<th scope="col">{say(key, lang)}</th>' for key in ("practice", "score", "lines", "evidence"))
    rows = "".join(
        f'<tr><th scope="row">{escape(practice.title.get(lang))} <span class="id">{escape(practice.id)}</span></th>'
        f"<td>{escape(practice_score(practice, lang))}</td><td>{escape(practice_lines(practice))}</td>"
        f"<td>{escape(practice_evidence(practice, lang))}</td></tr>"
        for practice in p.practices
    )
    return (f'<table class="practices"><caption>{say("practices", lang)}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>")
