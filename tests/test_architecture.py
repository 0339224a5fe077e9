"""The stages' import rules (docs/architecture.md): collecting, judging, scoring and rendering stay apart.

Read from the source with ``ast``, so an import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "guideline_lint"

# package or module (relative to guideline_lint) -> modules it must never import
FORBIDDEN = {
    "collect": ("guideline_lint.kinds", "guideline_lint.loading", "guideline_lint.engine", "guideline_lint.pipeline"),
    "kinds": ("guideline_lint.collect", "guideline_lint.engine", "guideline_lint.pipeline"),
    "commands": ("guideline_lint.collect", "guideline_lint.kinds"),
    "report": ("guideline_lint.collect", "guideline_lint.kinds", "guideline_lint.engine"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def violations(stage: str, forbidden: tuple[str, ...]) -> list[str]:
    folder = SRC / stage
    files = sorted(folder.rglob("*.py")) if folder.is_dir() else [folder.with_suffix(".py")]
    return [f"{path.relative_to(SRC)}:{line}: {name}"
            for path in files for line, name in imported_modules(path)
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden)]


def test_stages_import_only_what_they_may() -> None:
    found = {stage: violations(stage, forbidden) for stage, forbidden in FORBIDDEN.items()}
    assert found == {stage: [] for stage in FORBIDDEN}


def test_the_rule_reads_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from guideline_lint.kinds.page import X\n", encoding="utf-8")
    assert imported_modules(module) == [(2, "guideline_lint.kinds.page.X")]
