"""Renderers turn a Report into text for people or tools; one module per format.

Each module has ``render(report: Report, lang: str, baseline: Report | None = None) -> str``.
Modules are imported on use so ``check --format json`` never loads the HTML code.
"""

from __future__ import annotations

import importlib

from guideline_lint.model import Report

RENDERERS = {
    "text": "guideline_lint.report.text",
    "json": "guideline_lint.report.json_report",
    "sarif": "guideline_lint.report.sarif",
    "junit": "guideline_lint.report.junit",
    "markdown": "guideline_lint.report.markdown",
    "html": "guideline_lint.report.html",
}

EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "markdown": "md", "html": "html"}


def render(report: Report, fmt: str, lang: str, baseline: Report | None = None) -> str:
    module = importlib.import_module(RENDERERS[fmt])
    return module.render(report, lang, baseline)
