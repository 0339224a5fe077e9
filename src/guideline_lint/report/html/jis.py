"""The JIS X 8341-3:2016 table: per success criterion 不適合 / 自動判定で問題なし / 未検証, never 適合
on automated tests alone (DESIGN §4)."""

from __future__ import annotations

from html import escape
from typing import Any

from guideline_lint.model import Report, Text
from guideline_lint.report.html.words import head_row, say

JIS_EXTENSION = "jis_x_8341_3"

JIS_RESULTS = {
    "fail": Text(ja="不適合", en="Failure found"),
    "no_problem_found": Text(
        ja="自動判定で問題なし（要目視確認）",
        en="No problem found automatically (confirm by hand)",
    ),
    "not_tested": Text(ja="未検証", en="Not tested"),
}

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


def jis_section(report: Report, lang: str) -> str:
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
        f'<section aria-labelledby="jis-h"><h2 id="jis-h">{say("jis", lang)}</h2>',
        f"<p>{say('jis_note', lang)}</p>",
        '<table class="jis">',
        f"<caption>{say('jis_caption', lang)}</caption>",
        head_row(heads, lang),
        "<tbody>" + "".join(body) + "</tbody></table></section>",
    ])


