"""Loading checks, rulesets and the manifest; resolving rulesets into the checks a run evaluates."""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guideline_lint.catalog import (
    checks_dir,
    kpis,
    load_bundled_yaml,
    own_kpi,
    rulesets_dir,
    suggest,
    unknown_kpi_note,
)
from guideline_lint.errors import InputError
from guideline_lint.facts import ManifestFacts
from guideline_lint.kinds import check_asserts, remember_params, validate_assert
from guideline_lint.manifest import Manifest
from guideline_lint.model import (
    Check,
    CheckFile,
    Parameter,
    PracticeSettings,
    Ruleset,
    Selector,
    Severity,
    Target,
    Text,
)
from guideline_lint.parameters import apply as apply_parameters
from guideline_lint.practices import check_settings as check_practice_settings
from guideline_lint.validation import raise_for
from guideline_lint.yamlcache import load_cached, load_manifest_yaml
from guideline_lint.yamlio import LoadedYaml, load_yaml

MANIFEST_NAME = "digital-service.yaml"
DEFAULT_RULESET = "tokyo-code-of-conduct-1.1.0"
DEFAULT_SEVERITY_WEIGHTS = {Severity.CRITICAL: 10.0, Severity.HIGH: 7.0, Severity.MEDIUM: 3.0, Severity.LOW: 1.0}


# --------------------------------------------------------------------------- checks


def _display(path: Path) -> str:
    """The path as the user named it (links not followed: a loop or a link out must still be named)."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, lies in ``folder``: content from elsewhere is never echoed."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def load_check_file(path: Path, *, trusted: bool) -> list[Check]:
    """Checks of one file. Trusted (bundled) files use the parse cache; others report positions."""

    display = _display(path)
    if trusted:
        raw = load_bundled_yaml(path)
        loaded = LoadedYaml(data=raw, positions={}, key_positions={})
    else:
        loaded = load_yaml(path, display)
    try:
        parsed = CheckFile.model_validate(loaded.data)
    except ValidationError as exc:
        if trusted:  # positions are worth a second, slower parse
            loaded = load_yaml(path, display)
        raise_for(exc, CheckFile, loaded, display)
    for index, check in enumerate(parsed.checks):
        problem = validate_assert(check.assert_, check.target)
        if problem is None and check.when is not None:
            problem = validate_assert(check.when, check.target)
        if problem is not None:
            if trusted:
                loaded = load_yaml(path, display)
            position = loaded.positions.get(f"checks[{index}].assert") or loaded.positions.get(f"checks[{index}]")
            raise InputError(
                Text(ja=f"チェック {check.id} の assert が不正です: {problem.ja}",
                     en=f"check {check.id} has an invalid assert: {problem.en}"),
                file=display, line=position[0] if position else None, column=position[1] if position else None,
            )
    return parsed.checks


@cache
def load_bundled_checks() -> dict[str, Check]:
    """Every bundled check by id, validated once and then served from the cache until a file changes."""
    return _bundled()[0]


@cache
def checklist_names() -> frozenset[str]:
    """Names the manifest's `checklists:` or `not_applicable:` may use: check ids, their aliases, and named
    checklists (of the bundled checks, which do not change within a run)."""
    return _bundled()[1]


@cache
def _bundled() -> tuple[dict[str, Check], frozenset[str]]:
    """The bundled checks and the checklist names, from the cache until a file changes.

    The cache also keeps each assert's parsed parameters, except for page checks: unpickling those would
    import the page kinds, which a run without pages never needs."""

    def build() -> tuple[dict[str, Check], list[tuple[dict[str, Any], Any]], frozenset[str]]:
        # With the default ruleset's parameters, so that a check judged outside a ruleset names its numbers' sources.
        defaults = Ruleset.model_validate(load_bundled_yaml(default_ruleset)).parameters
        checks = {cid: apply_parameters(check, defaults) for cid, check in _validate_bundled_checks(files).items()}
        pairs = [pair for check in checks.values() if check.target != Target.PAGE for pair in check_asserts(check)]
        names = {name for check in checks.values() for name in (check.id, *check.aliases)}
        names |= {params.checklist for check in checks.values() for spec, params in check_asserts(check)
                  if spec["kind"] == "attestation" and params.checklist}
        return checks, pairs, frozenset(names)

    default_ruleset = rulesets_dir() / f"{DEFAULT_RULESET}.yaml"
    files = sorted(checks_dir().rglob("*.yaml"))
    sources = [*files, default_ruleset]
    checks, pairs, names = load_cached("checks-params-names", sources, build)
    remember_params(pairs)
    return checks, names


def _validate_bundled_checks(sources: list[Path]) -> dict[str, Check]:
    checks: dict[str, Check] = {}
    for path in sources:
        for check in load_check_file(path, trusted=True):
            if check.id in checks:
                raise InputError(Text(ja=f"チェック ID {check.id} が重複しています。",
                                      en=f"check id {check.id} is defined twice."), file=_display(path))
            checks[check.id] = check
    return checks


def find_check(check_id: str) -> Check:
    checks = load_bundled_checks()
    if check_id in checks:
        return checks[check_id]
    for check in checks.values():
        if check_id in check.aliases:
            return check
    guess = suggest(check_id, set(checks))
    raise InputError(
        Text(ja=f"チェック {check_id} はありません。", en=f"there is no check {check_id}."),
        hint=Text(ja=f"「{guess}」ですか？", en=f"did you mean {guess}?") if guess else
        Text(ja="`guideline-lint rules list` で一覧を表示できます。", en="`guideline-lint rules list` lists them."),
    )


# --------------------------------------------------------------------------- rulesets


@dataclass(slots=True)
class ResolvedRuleset:
    id: str
    version: str
    title: Text
    checks: dict[str, Check]  # selected checks, severity overrides applied
    weights: dict[str, float]  # check id -> weight
    thresholds: dict[int, float] = field(default_factory=dict)
    severity_weights: dict[Severity, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS))
    chain: list[str] = field(default_factory=list)  # ids from the base to this one
    explicit_weights: dict[str, float] = field(default_factory=dict)  # weights a ruleset set by hand
    source: Path | None = None  # the file, for rulesets that are not bundled
    bundled_base: frozenset[str] = frozenset()  # checks of the nearest bundled ruleset it extends
    practices: PracticeSettings | None = None  # score through practices (inherited)
    parameters: dict[str, Parameter] = field(default_factory=dict)  # numbers checks and scoring use (inherited)


def bundled_ruleset_ids() -> list[str]:
    return sorted(p.stem for p in rulesets_dir().glob("*.yaml") if p.stem not in {"principles", "kpis", "practices"})


def _matches(check: Check, selector: Selector) -> bool:
    if not (selector.ids or selector.domains or selector.principles or selector.targets or selector.tags):
        return False
    if selector.ids and not any(fnmatch.fnmatchcase(check.id, pattern) for pattern in selector.ids):
        return False
    if selector.domains and check.domain not in selector.domains:
        return False
    if selector.principles and not set(check.principles) & set(selector.principles):
        return False
    if selector.targets and check.target not in selector.targets:
        return False
    return not (selector.tags and not set(check.tags) & set(selector.tags))


def _read_ruleset(ref: str, base_dir: Path | None) -> tuple[Ruleset, Path]:
    bundled = rulesets_dir() / f"{ref}.yaml"
    candidate = Path(ref) if base_dir is None else base_dir / ref
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        path, trusted = candidate, False
    elif bundled.is_file():
        path, trusted = bundled, True
    else:
        guess = suggest(ref, bundled_ruleset_ids())
        raise InputError(
            Text(ja=f"ルールセット「{ref}」はありません。", en=f"unknown ruleset '{ref}'."),
            hint=Text(ja=f"「{guess}」ですか？ 同梱: {', '.join(bundled_ruleset_ids())}",
                      en=f"did you mean '{guess}'? Bundled: {', '.join(bundled_ruleset_ids())}") if guess else
            Text(ja=f"同梱のルールセット: {', '.join(bundled_ruleset_ids())}",
                 en=f"bundled rulesets: {', '.join(bundled_ruleset_ids())}"),
        )
    display = _display(path)
    # An `extends` may name any file; one outside the extending ruleset's folder is read but never quoted.
    redact = base_dir is not None and not is_inside(path, base_dir)
    if trusted:  # validated once and cached like the bundled checks
        return load_cached(f"ruleset-{ref}", [path], lambda: _validate_ruleset(path, display, trusted=True)), path
    return _validate_ruleset(path, display, trusted=False, redact=redact), path


def _validate_ruleset(path: Path, display: str, *, trusted: bool, redact: bool = False) -> Ruleset:
    loaded = LoadedYaml(load_bundled_yaml(path), {}, {}) if trusted else load_yaml(path, display, redact=redact)
    try:
        return Ruleset.model_validate(loaded.data)
    except ValidationError as exc:
        raise_for(exc, Ruleset, load_yaml(path, display) if trusted else loaded, display, redact=redact)


def load_ruleset(ref: str | None = None) -> ResolvedRuleset:
    """Resolve a ruleset by bundled id or file path, following ``extends``.

    Bundled rulesets are resolved once per process; a ruleset file is read each time (it may change)."""
    name = ref or DEFAULT_RULESET
    if (rulesets_dir() / f"{name}.yaml").is_file() and not name.endswith((".yaml", ".yml")) and "/" not in name:
        return _load_bundled_ruleset(name)
    return _resolve_ruleset(name)


@cache
def _load_bundled_ruleset(name: str) -> ResolvedRuleset:
    return _resolve_ruleset(name)


def _resolve_ruleset(ref: str, _seen: tuple[str, ...] = (), _base: Path | None = None) -> ResolvedRuleset:
    ruleset, path = _read_ruleset(ref, _base)
    if ruleset.id in _seen:
        raise InputError(Text(ja=f"extends が循環しています: {' → '.join((*_seen, ruleset.id))}",
                              en=f"circular extends: {' → '.join((*_seen, ruleset.id))}"), file=_display(path))
    available = load_bundled_checks()
    if ruleset.extends:
        parent = _resolve_ruleset(ruleset.extends, (*_seen, ruleset.id), path.parent)
        selected = dict(parent.checks)
        weights = dict(parent.explicit_weights)
        thresholds = dict(parent.thresholds)
        severity_weights = dict(parent.severity_weights)
        chain = [*parent.chain, ruleset.id]
        bundled_base = frozenset(parent.checks) if parent.source is None else parent.bundled_base
        practice_settings, parameters = parent.practices, dict(parent.parameters)
    else:
        selected, weights, thresholds = {}, {}, {}
        severity_weights = dict(DEFAULT_SEVERITY_WEIGHTS)
        chain = [ruleset.id]
        bundled_base = frozenset()
        practice_settings, parameters = None, {}
    if ruleset.practices is not None:
        check_practice_settings(ruleset.practices, _display(path))
        practice_settings = ruleset.practices
    parameters.update(ruleset.parameters)
    for selector in ruleset.include:
        for pattern in selector.ids:
            if not any(c == pattern or fnmatch.fnmatchcase(c, pattern) for c in available):
                guess = suggest(pattern, set(available))
                raise InputError(
                    Text(ja=f"ルールセット {ruleset.id} が未知のチェック {pattern} を選んでいます。",
                         en=f"ruleset {ruleset.id} selects unknown check {pattern}."),
                    file=_display(path),
                    hint=Text(ja=f"「{guess}」ですか？", en=f"did you mean {guess}?") if guess else None,
                )
        for check in available.values():
            if _matches(check, selector):
                selected[check.id] = check
    for selector in ruleset.exclude:
        for check_id in [c for c, check in selected.items() if _matches(check, selector)]:
            del selected[check_id]
    if ruleset.severity_weights:
        severity_weights.update(ruleset.severity_weights)
    for override in ruleset.overrides:
        for check_id, check in list(selected.items()):
            if any(fnmatch.fnmatchcase(check_id, pattern) for pattern in override.ids):
                if override.severity is not None:
                    selected[check_id] = check.model_copy(update={"severity": override.severity})
                if override.weight is not None:
                    weights[check_id] = override.weight
    selected = {cid: _with_parameters(check, parameters, path) for cid, check in selected.items()}
    # The pass mark is no number of the code of conduct: a ruleset parameter (`pass_mark`) or default_threshold.
    pass_mark = ruleset.default_threshold if ruleset.default_threshold is not None else (
        ruleset.parameters["pass_mark"].value if "pass_mark" in ruleset.parameters else None)
    if pass_mark is not None:
        thresholds = {p: pass_mark for p in range(1, 11)} | thresholds
    thresholds.update({int(k): v for k, v in ruleset.thresholds.items()})
    # A weight set by hand wins; otherwise the weight follows the (possibly overridden) severity.
    resolved_weights = {cid: weights.get(cid, severity_weights[check.severity]) for cid, check in selected.items()}
    trusted = path.resolve().is_relative_to(rulesets_dir().resolve())
    return ResolvedRuleset(id=ruleset.id, version=ruleset.version, title=ruleset.title, checks=selected,
                           weights=resolved_weights, thresholds=thresholds, severity_weights=severity_weights,
                           chain=chain, explicit_weights=weights, source=None if trusted else path.resolve(),
                           bundled_base=bundled_base, practices=practice_settings, parameters=parameters)


def _with_parameters(check: Check, parameters: dict[str, Parameter], path: Path) -> Check:
    """The check reading the ruleset's parameters; a value its kind refuses (a negative day count) is the ruleset's
    input error."""
    applied = apply_parameters(check, parameters)
    if applied is not check:
        problem = validate_assert(applied.assert_, applied.target)
        if problem is not None:
            names = ", ".join(applied.parameters.values())
            raise InputError(Text(ja=f"パラメータ（{names}）の値をチェック {check.id} に使えません: {problem.ja}",
                                  en=f"the value of parameter(s) {names} cannot be used by check {check.id}: "
                                     f"{problem.en}"), file=_display(path))
    return applied


# --------------------------------------------------------------------------- manifest


def find_manifest(path: Path) -> Path:
    if path.is_dir():
        candidate = path / MANIFEST_NAME
        if not candidate.exists() and not candidate.is_symlink():
            raise InputError(
                Text(ja=f"{MANIFEST_NAME} がありません。", en=f"there is no {MANIFEST_NAME} here."),
                file=_display(path),
                hint=Text(ja="`guideline-lint init` でひな形を作れます。",
                          en="`guideline-lint init` writes a skeleton to fill in."),
            )
        return candidate
    if not path.exists() and not path.is_symlink():  # a looping link is read, and named as such
        raise InputError(Text(ja="見つかりません。", en="not found."), file=_display(path))
    return path


def load_manifest(manifest_path: Path, repo_root: Path) -> tuple[ManifestFacts, Any]:
    """The validated manifest as facts (plain values with positions) and as the pydantic model."""

    try:
        display = Path(os.path.abspath(manifest_path)).relative_to(os.path.abspath(repo_root)).as_posix()
    except ValueError:
        display = _display(manifest_path)
    # A manifest linked from outside the repository is read, but its content never appears in an error.
    redact = not is_inside(manifest_path, repo_root)
    loaded = load_manifest_yaml(manifest_path, display, redact=redact)
    if not isinstance(loaded.data, dict):
        raise InputError(
            Text(ja="マニフェストは YAML のマッピング（キー: 値）でなければなりません。",
                 en="the manifest must be a YAML mapping (key: value)."),
            file=display, line=1, column=1,
        )
    try:
        model = Manifest.model_validate(loaded.data)
    except ValidationError as exc:
        raise_for(exc, Manifest, loaded, display, redact=redact)
    _check_kpi_ids(model, loaded, display)
    _check_checklist_ids(model, loaded, display)
    data = model.model_dump(mode="python", exclude_none=True)
    return ManifestFacts(file=display, data=data, positions=loaded.positions), model


def _check_kpi_ids(model: Any, loaded: LoadedYaml, display: str) -> None:
    """A catalogue KPI keeps the catalogue's definition; any other id is the service's own KPI.

    An own id close to a catalogue id (likely a typo) or one naming no principle gets a warning, never an error:
    the code of conduct gives KPI examples, and every service has its own."""
    catalogue = kpis()
    seen: set[str] = set()
    for index, kpi in enumerate(model.kpis):
        line, column = loaded.positions.get(f"kpis[{index}].id", (None, None))
        if kpi.id in seen:
            raise InputError(Text(ja=f"KPI「{kpi.id}」が2回書かれています。", en=f"KPI '{kpi.id}' is given twice."),
                             file=display, line=line, column=column)
        seen.add(kpi.id)
        redefined = [name for name in ("title", "principles", "type", "better") if getattr(kpi, name)]
        if kpi.id in catalogue and redefined:
            raise InputError(
                Text(ja=f"KPI「{kpi.id}」はカタログの KPI です。{', '.join(redefined)} は変えられません。",
                     en=f"KPI '{kpi.id}' is a catalogue KPI; its {', '.join(redefined)} cannot be changed."),
                file=display, line=line, column=column,
                hint=Text(ja="独自の KPI にするには別の id を付けてください。", en="give an own KPI an id of its own."))
        if kpi.id not in catalogue:
            note = unknown_kpi_note(kpi.id, own_kpi(kpi.model_dump(exclude_none=True)))
            if note is not None:
                where = f"{display}:{line}:{column}" if line else display
                print(f"guideline-lint: 警告 / warning: {where}: {note.ja} / {note.en}", file=sys.stderr)


def _check_checklist_ids(model: Any, loaded: LoadedYaml, display: str) -> None:
    """A misspelt checklist id would silently attest nothing: refuse it with a suggestion."""
    known = checklist_names()
    for section in ("checklists", "not_applicable"):
        for name in getattr(model, section):
            if name in known:
                continue
            line, column = loaded.key_positions.get(f"{section}.{name}", (None, None))
            guess = suggest(name, known)
            raise InputError(
                Text(ja=f"{section} の「{name}」はチェック ID でもチェックリスト名でもありません。",
                     en=f"'{name}' in {section} is neither a check id nor a checklist name."),
                file=display, line=line, column=column,
                hint=Text(ja=f"「{guess}」ですか？", en=f"did you mean '{guess}'?") if guess else
                Text(ja="`guideline-lint rules list` で ID を確かめてください。",
                     en="see `guideline-lint rules list` for the ids."),
            )
