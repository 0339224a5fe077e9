"""The JSON report (DESIGN §3.3): the upload payload, validated by schemas/report.schema.json."""

from __future__ import annotations

from guideline_lint.model import Report


def render(report: Report, lang: str, baseline: Report | None = None) -> str:
    return report.model_dump_json(indent=2) + "\n"
