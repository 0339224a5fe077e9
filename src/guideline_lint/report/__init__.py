"""Renderers turn a Report into text for people or tools; one module per format.

``FORMATS`` below is the one list of report formats: the command line's ``--format`` choices, the file
extension of ``--output-dir`` files and the media type all come from it. A new format is one module with
``render(report, lang, baseline=None, **options) -> str`` and one line in ``FORMATS``.

Modules are imported on first render, so ``check --format json`` never loads the HTML code (start-up is
measured: this package must stay cheap to import).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from guideline_lint.model import Report


class Renderer(NamedTuple):
    """One report format: its name on the command line, file extension, media type and module."""

    name: str
    extension: str
    media_type: str
    module: str  # imported on first render

    def render(self, report: Report, lang: str, baseline: Report | None = None, **options: Any) -> str:
        return importlib.import_module(self.module).render(report, lang, baseline, **options)


RENDERERS: dict[str, Renderer] = {r.name: r for r in (
    Renderer("text", "txt", "text/plain; charset=utf-8", "guideline_lint.report.text"),
    Renderer("json", "json", "application/json", "guideline_lint.report.json_report"),
    Renderer("sarif", "sarif", "application/sarif+json", "guideline_lint.report.sarif"),
    Renderer("junit", "xml", "application/xml", "guideline_lint.report.junit"),
    Renderer("markdown", "md", "text/markdown; charset=utf-8", "guideline_lint.report.markdown"),
    Renderer("html", "html", "text/html; charset=utf-8", "guideline_lint.report.html"),
)}

# The --format choices (click.Choice takes any sequence), in the order help lists them.
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def renderer(fmt: str) -> Renderer:
    """The registered format ``fmt``; KeyError names the known ones."""
    try:
        return RENDERERS[fmt]
    except KeyError:
        raise KeyError(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}") from None


def extension(fmt: str) -> str:
    return renderer(fmt).extension


def render(report: Report, fmt: str, lang: str, baseline: Report | None = None, **options: Any) -> str:
    """The report in format ``fmt``; ``options`` are that renderer's own keywords (e.g. SARIF's ``category``)."""
    return renderer(fmt).render(report, lang, baseline, **options)
