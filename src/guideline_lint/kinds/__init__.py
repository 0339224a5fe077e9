"""The explicit registry of check kinds: every module in ``MODULES`` exposes ``KINDS``.

Modules are imported on first use, in order, until the kind asked for is found: a run without pages
never imports the page kinds (their parameter models alone cost ~20 ms of start-up).
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from pydantic import ValidationError

from guideline_lint.kinds.base import Kind
from guideline_lint.model import Target, Text

MODULES = ("manifest", "repo", "logic", "data", "page")

_kinds: dict[str, Kind] = {}
_not_imported = list(MODULES)
_lock = threading.Lock()  # page workers may look kinds up from several threads


def _import_next() -> bool:
    """Register the kinds of the next module; False when every module is in."""
    if not _not_imported:
        return False
    name = _not_imported[0]
    try:
        module = importlib.import_module(f"guideline_lint.kinds.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"guideline_lint.kinds.{name}":
            raise  # a broken module stays in the list: the next lookup raises again rather than miss its kinds
        module = None  # a target whose kinds are not installed in this build
    _not_imported.pop(0)
    for cls in getattr(module, "KINDS", ()):
        if cls.name in _kinds:
            raise RuntimeError(f"kind {cls.name} registered twice")
        _kinds[cls.name] = cls()
    return True


def registry() -> dict[str, Kind]:
    """Every kind, by name."""
    with _lock:
        while _import_next():
            pass
    return _kinds


def get_kind(name: str) -> Kind | None:
    kind = _kinds.get(name)
    if kind is not None:
        return kind
    with _lock:
        while name not in _kinds and _import_next():
            pass
    return _kinds.get(name)


def validate_assert(spec: Any, target: Target) -> Text | None:
    """None when ``spec`` is a valid use of a kind for ``target`` (nested asserts included)."""
    from guideline_lint.catalog import suggest

    if not isinstance(spec, dict) or "kind" not in spec:
        return Text(ja="`kind:` を持つマッピングが必要です。", en="expected a mapping with `kind:`.")
    name = spec["kind"]
    kind = get_kind(str(name))
    if kind is None:
        guess = suggest(str(name), set(registry()))
        hint = f" ({guess}?)" if guess else ""
        return Text(ja=f"未知の kind「{name}」{hint}", en=f"unknown kind '{name}'{hint}")
    # Manifest facts are always collected, so any check may also test the manifest (e.g. in `when`).
    if kind.target not in (None, target, Target.MANIFEST):
        return Text(ja=f"kind「{name}」は target {kind.target.value} 用です（このチェックは {target.value}）。",
                    en=f"kind '{name}' is for target {kind.target.value}, this check's target is {target.value}.")
    params = {k: v for k, v in spec.items() if k != "kind"}
    try:
        parsed = kind.Params.model_validate(params)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return Text(ja=f"{name}: {where}: {first['msg']}", en=f"{name}: {where}: {first['msg']}")
    for nested in getattr(parsed, "nested", lambda: [])():
        problem = validate_assert(nested, target)
        if problem is not None:
            return problem
    return None
