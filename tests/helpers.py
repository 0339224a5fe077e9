"""Shared test helpers: copies of the example service with patches, and loading test cases."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sample-service"
CASES = Path(__file__).resolve().parent / "cases"


def _shared_folder() -> Path:
    """The team's folder ``shared/`` (reference texts, benchmarks, real files): beside the checkout, or further
    up when the checkout is a git worktree in a folder of its own. Missing: tests that need it skip."""
    return next((folder / "shared" for folder in ROOT.parents if (folder / "shared").is_dir()), ROOT.parent / "shared")


SHARED = _shared_folder()
# The example's dates are recent on this date; tests pin "today" so they do not age.
TODAY = date(2026, 11, 26)


def deep_merge(base: Any, patch: Any) -> Any:
    """Mappings merge key by key, a None value deletes the key, anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = deep_merge(base.get(key), value)
        return merged
    return patch


def service_copy(tmp_path: Path, manifest: dict[str, Any] | None = None, files: dict[str, str] | None = None,
                 remove: list[str] | None = None) -> Path:
    """A copy of the example service with the manifest patched and files added or removed."""
    target = tmp_path / "service"
    shutil.copytree(EXAMPLE, target)
    if manifest:
        yaml = YAML()
        path = target / "digital-service.yaml"
        data = yaml.load(path.read_text(encoding="utf-8"))
        merged = deep_merge(_plain(data), manifest)
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(merged, handle)
    for name, content in (files or {}).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(content, encoding="utf-8")
    for name in remove or []:
        (target / name).unlink()
    return target


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def load_case_file(path: Path) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def validate_report(report: dict[str, Any]) -> None:
    """Every report a test produces must match the published report schema."""
    import jsonschema

    from guideline_lint.schemas import published_schema

    jsonschema.Draft202012Validator(published_schema("report")).validate(report)
