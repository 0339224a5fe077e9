"""What a cold `check --no-pages` imports: the start-up costs measured in docs/benchmarks.md stay removed.

Counted in modules, not in seconds: a module that comes back (ruamel.yaml for an unchanged manifest, pydantic's
plugin search) is a regression whatever the machine's speed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import EXAMPLE

SRC = Path(__file__).resolve().parents[1] / "src"


def _imported(tmp_path: Path, *extra_env: tuple[str, str]) -> set[str]:
    """The modules a `python -m guideline_lint check --no-pages` imported (``-X importtime``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GUIDELINE_LINT_NO_CACHE", "PYDANTIC_DISABLE_PLUGINS")}
    env.update({"PYTHONPATH": str(SRC), "XDG_CACHE_HOME": str(tmp_path / "cache"), **dict(extra_env)})
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "guideline_lint", "check", str(EXAMPLE),
                           "--no-pages", "--format", "json", "--output", str(tmp_path / "report.json")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return modules


def test_an_unchanged_manifest_needs_neither_the_yaml_parser_nor_pydantic_plugin_search(tmp_path: Path) -> None:
    first = _imported(tmp_path)
    assert "ruamel.yaml" in first  # the first run parses the manifest
    second = _imported(tmp_path)
    assert "ruamel.yaml" not in second and "_ruamel_yaml" not in second  # the parse came from the cache
    assert "importlib.metadata" not in second and "pydantic.plugin._loader" not in second
    assert "guideline_lint.facts.page" not in second and "guideline_lint.report.sarif_locations" not in second


def test_plugins_named_by_the_user_are_searched_by_pydantic_itself(tmp_path: Path) -> None:
    modules = _imported(tmp_path, ("PYDANTIC_DISABLE_PLUGINS", "logfire"))
    assert "pydantic.plugin._loader" in modules and "importlib.metadata" in modules
    assert '"principles"' in (tmp_path / "report.json").read_text(encoding="utf-8")
