"""Small pieces every part of the HTML report uses: its words, escaped, and inline marks for status,
scores and places."""

from __future__ import annotations

from html import escape
from typing import Any

from guideline_lint.i18n import section
from guideline_lint.model import Finding
from guideline_lint.report.common import STATUS_LABELS, STATUS_MARKS

T = section("html")  # this renderer's words, from the message catalogue


def say(key: str, lang: str, **values: Any) -> str:
    """The catalogue's words for ``key``, filled in and escaped for HTML."""
    text = T[key].get(lang)
    return escape(text.format(**values) if values else text)


def join(items: list[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(items)


def paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "ja" else f" ({text})"


def score(value: float | None, lang: str) -> str:
    return say("not_assessed", lang) if value is None else f"{value:.1f}"


def status(finding: Finding, lang: str) -> str:
    label = STATUS_LABELS[finding.status].get(lang)
    return (f'<span class="status s-{finding.status.value}"><span aria-hidden="true">'
            f"{STATUS_MARKS[finding.status]}</span> {escape(label)}</span>")


def place(text: str) -> str:
    """URLs become links (following one is the reader's choice, not a request the report makes)."""
    if text.startswith(("https://", "http://")):
        url, _, selector = text.partition(" ")
        link = f'<a href="{escape(url)}">{escape(url)}</a>'
        return f"{link} <code>{escape(selector)}</code>" if selector else link
    return f"<code>{escape(text)}</code>"


def counts_head(lang: str) -> str:
    return " / ".join(say(k, lang) for k in ("passed", "failed", "manual", "errors"))


def head_row(keys: list[str], lang: str) -> str:
    """A table's column headings from catalogue keys."""
    return "<thead><tr>" + "".join(f'<th scope="col">{say(k, lang)}</th>' for k in keys) + "</tr></thead>"
