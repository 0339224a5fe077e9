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


# Imports inside functions: each one here has a measured start-up reason (or breaks an import cycle). The same
# list, with the figures, is in docs/architecture.md ("Lazy imports"). Anything else is imported at the top.
LAZY_IMPORTS: dict[tuple[str, str], str] = {
    ("cli.py", "guideline_lint.pipeline"): "a command imports its implementation when it runs",
    ("cli.py", "guideline_lint.targets"): "a command imports its implementation when it runs",
    ("cli.py", "guideline_lint.rules_doc"): "a command imports its implementation when it runs",
    ("cli.py", "guideline_lint.schemas"): "a command imports its implementation when it runs",
    ("cli.py", "guideline_lint.init"): "a command imports its implementation when it runs",
    ("commands/tracker.py", "guideline_lint.tracker.storage"): "the optional tracker extra (SQLAlchemy)",
    ("commands/tracker.py", "guideline_lint.tracker.retention"): "the optional tracker extra (SQLAlchemy)",
    ("commands/tracker.py", "guideline_lint.tracker.server"): "the optional tracker extra (FastAPI, uvicorn)",
    ("commands/upload.py", "guideline_lint.tracker"): "the optional tracker extra (httpx)",
    ("entry.py", "guideline_lint.cli"): "the garbage collector is tuned before the tool is imported",
    ("pipeline.py", "guideline_lint.collect.pages"): "Selenium and the browser side: only runs with pages",
    ("targets.py", "guideline_lint.collect.pages.http"): "the page collector's package brings Selenium",
    ("practices.py", "guideline_lint.loading"): "import cycle: loading reads the practices",
    ("scoring.py", "guideline_lint.practices"): "import cycle: practices build on scoring's weights",
    ("collect/data/__init__.py", "guideline_lint.collect.data.xlsx"): "the XML parser: only a run with a workbook",
}


def lazy_imports() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        # Top level: the module's own statements and those under a top-level `if` (TYPE_CHECKING, a platform).
        top = {id(node) for node in tree.body}
        top |= {id(inner) for node in tree.body if isinstance(node, ast.If) for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and id(node) not in top and node.module \
                    and node.module.startswith("guideline_lint"):
                found.add((path.relative_to(SRC).as_posix(), node.module))
    return found


def test_every_lazy_import_has_a_documented_reason() -> None:
    unexplained = sorted(lazy_imports() - set(LAZY_IMPORTS))
    assert not unexplained, "import these at the top, or give the measured reason in LAZY_IMPORTS and the docs"
    documented = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert all(f"`{module}`" in documented for _, module in LAZY_IMPORTS)


def test_no_module_is_over_450_lines() -> None:
    sizes = {path.relative_to(SRC).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in SRC.rglob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 450} == {}
