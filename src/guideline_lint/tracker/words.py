"""The dashboard's words, all from the tool's message catalogue (:mod:`guideline_lint.i18n`): the tracker's own
under ``tracker.``, and those the HTML report also uses from its ``html.`` entries, so a principle, a status or a
phase is named the same in both. ``t(key, lang, **values)`` fails on an unknown key."""

from __future__ import annotations

from guideline_lint.i18n import section
from guideline_lint.i18n import t as catalogue
from guideline_lint.model import Status, Text
from guideline_lint.report.common import SEVERITY_LABELS, STATUS_LABELS

REPORT = section("html")  # the HTML report's words

# key here -> key of the same word in the report's catalogue section
SHARED = {"skip": "skip", "service": "service", "phase": "phase", "ruleset": "ruleset", "principle": "principle",
          "principle_n": "principle_n", "title": "title", "score": "score", "coverage": "coverage",
          "passed": "passed", "failed": "failed", "manual": "manual", "errors": "errors",
          "not_assessed": "not_assessed", "check": "check", "severity": "severity", "where": "location",
          "status": "status", "kpi": "kpi", "value": "value", "target": "target", "measured": "measured",
          "met": "met", "radar_title": "radar_title", "legend_score": "legend_score",
          "legend_threshold": "legend_threshold", "chart_desc": "chart_desc", "chart_note": "chart_note"}

T: dict[str, Text] = {**section("tracker"), **{key: REPORT[source] for key, source in SHARED.items()}}
PHASES = ("planning", "development", "operation")


def t(key: str, lang: str, **values: object) -> str:
    text = T[key].get(lang)
    return text.format(**values) if values else text


def phase_text(phase: str | None, lang: str) -> str:
    if phase is None:
        return t("unknown", lang)
    return catalogue(f"phase.{phase}", lang) if phase in PHASES else phase


def status_text(status: Status, lang: str) -> str:
    return STATUS_LABELS[status].get(lang)


def severity_text(severity: object, lang: str) -> str:
    return SEVERITY_LABELS[severity].get(lang)  # type: ignore[index]
