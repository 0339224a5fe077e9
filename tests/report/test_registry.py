"""The one registry of report formats: every format renders, names its file, and loads only when used."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

from guideline_lint.model import Report
from guideline_lint.report import FORMATS, RENDERERS, extension, render, renderer


def test_every_format_is_one_module_with_render() -> None:
    assert FORMATS == ("text", "json", "sarif", "junit", "markdown", "html")  # the --format contract (§3.1)
    for name in FORMATS:
        module = importlib.import_module(RENDERERS[name].module)
        assert list(inspect.signature(module.render).parameters)[:3] == ["report", "lang", "baseline"], name
    extensions = [extension(name) for name in FORMATS]
    assert len(set(extensions)) == len(extensions)  # --output-dir writes one file per format


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_through_the_registry(report: Report, fmt: str) -> None:
    assert render(report, fmt, "en").strip()


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known: text, json"):
        renderer("pdf")


def test_unknown_renderer_option_is_an_error(report: Report) -> None:
    with pytest.raises(TypeError):
        render(report, "json", "ja", category="x")


def test_importing_the_registry_loads_no_renderer() -> None:
    # ``check`` imports the registry on its cold path; the renderers load when a format is rendered.
    code = ("import sys, guideline_lint.report as r; "
            "print(sorted(m for m in sys.modules if m.startswith('guideline_lint.report.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
