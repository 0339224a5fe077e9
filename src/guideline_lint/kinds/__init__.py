"""The explicit registry of check kinds (every module in ``MODULES`` exposes ``KINDS``) and the one place
that dispatches an assert mapping ``{kind: NAME, …parameters}`` to its kind: parameters, evaluation, needs,
and the walk over nested asserts.

Modules are imported on first use, in order, until the kind asked for is found: a run without pages
never imports the page kinds (their parameter models alone cost ~20 ms of start-up).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from guideline_lint.catalog import suggest
from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation
from guideline_lint.model import Check, Target, Text

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


# --------------------------------------------------------------------------- dispatch

# Parsed parameters per assert mapping: checks are loaded once and judged many times.
_PARAMS: dict[int, tuple[dict[str, Any], Any]] = {}


def params_of(spec: dict[str, Any]) -> Any:
    """The kind's validated parameters for one ``{kind: …, params…}`` mapping."""
    cached = _PARAMS.get(id(spec))
    if cached is None or cached[0] is not spec:  # the id of a freed mapping may be reused
        cached = (spec, _kind_of(spec).Params.model_validate({k: v for k, v in spec.items() if k != "kind"}))
        _PARAMS[id(spec)] = cached
    return cached[1]


def _kind_of(spec: dict[str, Any]) -> Kind:
    kind = get_kind(spec["kind"])
    if kind is None:  # validated at load time; a programming error if it happens
        raise LookupError(f"unknown kind {spec['kind']}")
    return kind


def walk_asserts(spec: dict[str, Any] | None) -> Iterator[tuple[dict[str, Any], Any]]:
    """(mapping, parameters) of ``spec`` and of every assert nested in it (combinators' ``of``/``assert``)."""
    if spec is None:
        return
    params = params_of(spec)
    yield spec, params
    for nested in getattr(params, "nested", lambda: [])():
        yield from walk_asserts(nested)


def check_asserts(check: Check) -> Iterator[tuple[dict[str, Any], Any]]:
    """Every assert of a check: its ``when`` condition and its ``assert``, nested ones included."""
    yield from walk_asserts(check.when)
    yield from walk_asserts(check.assert_)


def remember_params(pairs: list[tuple[dict[str, Any], Any]]) -> None:
    """Take parameters parsed earlier (the check cache keeps them, so a run builds no validators for them)."""
    for spec, params in pairs:
        _PARAMS[id(spec)] = (spec, params)


def evaluate_assert(spec: dict[str, Any], facts: Facts) -> list[Observation]:
    """Evaluate one ``{kind: …, params…}`` mapping; combinators call back into here for nested ones."""
    return _kind_of(spec).evaluate(params_of(spec), facts)


def needs_of(checks: Iterable[Check]) -> Needs:
    """The union of what the kinds of ``checks`` need collected (their conditions included)."""
    needs = Needs()
    for check in checks:
        for spec, params in check_asserts(check):
            needs.add(_kind_of(spec).needs(params))
    return needs


def sees_unaudited_pages(check: Check) -> bool:
    """Whether the check judges pages that could not be audited too (it reports whether pages load)."""
    return _kind_of(check.assert_).judges_unaudited_pages


def sees_unread_data(check: Check) -> bool:
    """Whether the check judges data files that could not be read too (it reports whether files are readable)."""
    return _kind_of(check.assert_).judges_unread_data
