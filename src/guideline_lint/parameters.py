"""Ruleset parameters read by checks: numbers the code of conduct does not give (or gives, like the 3-hour first
report), kept in the ruleset (`parameters:`) so that a ruleset may change them and every report says where each
number comes from.

A check names the parameters it reads (`parameters: {max_age_days: measurement_max_age_days}`); resolving a ruleset
sets those keys of its assert (nested asserts included) to the ruleset's values and keeps the parameters on the
check, so the engine can name the value and its source in the finding."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from guideline_lint.model import Check, Parameter, Text

DEFAULT_SOURCE = "guideline-lint default"
_UNITS_JA = {"days": "日", "months": "か月", "hours": "時間", "seconds": "秒", "fields": "項目", "persons": "人",
             "px": "px", "ratio": "", "units": ""}


def number(value: float) -> int | float:
    """365.0 -> 365: integral values read as integers (the kinds' day counts are ints)."""
    return int(value) if float(value).is_integer() else value


def _mappings(spec: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in an assert (nested asserts, and mappings inside them such as `item_min`)."""
    if isinstance(spec, dict):
        yield spec
        for value in spec.values():
            yield from _mappings(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _mappings(item)


def _holders(spec: Any, key: str) -> Iterator[tuple[dict[str, Any], str]]:
    """(mapping, last part) for each place the dotted ``key`` occurs in ``spec``."""
    head, _, last = key.rpartition(".")
    for mapping in _mappings(spec):
        target: Any = mapping
        for part in head.split(".") if head else []:
            target = target.get(part) if isinstance(target, dict) else None
        if isinstance(target, dict) and last in target:
            yield target, last


def read(check: Check, key: str) -> Any:
    """The value of an assert parameter (the first place it occurs)."""
    return next((holder[last] for holder, last in _holders(check.assert_, key)), None)


def missing_keys(check: Check) -> list[str]:
    """Keys of `parameters:` that occur nowhere in the check's assert (a test keeps this empty)."""
    return [key for key in check.parameters if read(check, key) is None]


def apply(check: Check, parameters: Mapping[str, Parameter]) -> Check:
    """The check with the ruleset's values for the parameters it reads (a parameter the ruleset does not define
    leaves the check's own value)."""
    used = {key: parameters[name] for key, name in check.parameters.items() if name in parameters}
    if all(check.parameter_values.get(check.parameters[key]) == parameter for key, parameter in used.items()):
        return check  # nothing to change (the bundled checks come with the default ruleset's values)
    spec = copy.deepcopy(check.assert_)
    for key, parameter in used.items():
        for holder, last in list(_holders(spec, key)):
            holder[last] = number(parameter.value)
    values = check.parameter_values | {check.parameters[key]: parameter for key, parameter in used.items()}
    return check.model_copy(update={"assert_": spec, "parameter_values": values})


def source_text(source: str) -> Text:
    if source == DEFAULT_SOURCE:
        return Text(ja="guideline-lint の既定値", en="guideline-lint default")
    return Text(ja=f"出典 {source}", en=f"source: {source}")


def shown(parameter: Parameter) -> Text:
    """'365日' / '365 days'."""
    value = number(parameter.value)
    unit = "" if parameter.unit == "ratio" else parameter.unit or ""
    ja_unit = _UNITS_JA.get(unit, unit)
    return Text(ja=f"{value}{ja_unit}", en=f"{value} {unit}".strip())


def note(check: Check) -> Text | None:
    """What a finding says of the numbers its check used: each value with its source."""
    if not check.parameter_values:
        return None
    parts = [(p.title, shown(p), source_text(p.source)) for p in check.parameter_values.values()]
    return Text(ja="基準 " + "、".join(f"{t.ja} {v.ja}: {s.ja}" for t, v, s in parts),
                en="threshold: " + "; ".join(f"{t.en[:1].lower()}{t.en[1:]} {v.en} — {s.en}" for t, v, s in parts))


def placeholders(check: Check) -> dict[str, Any]:
    """{parameter_name: value} for the check's message and remediation (from the assert, so a check outside any
    ruleset still names its own value)."""
    return {name: number(value) for key, name in check.parameters.items()
            if isinstance(value := read(check, key), int | float) and not isinstance(value, bool)}


def described(check: Check, lang: str) -> list[str]:
    """One line per parameter the check reads: 'training_rate_min = 0.8 (guideline-lint default)'."""
    return [f"{name} = {shown(p).get(lang)} ({source_text(p.source).get(lang)})"
            for name, p in check.parameter_values.items()]


def table(parameters: Mapping[str, Parameter], readers: Mapping[str, list[str]]) -> str:
    """The Markdown table of a ruleset's parameters: value, the checks that read it, source (docs/scoring.md)."""
    rows = ["| parameter | value | read by | source |", "|---|---|---|---|"]
    for name, p in parameters.items():
        used = ", ".join(readers.get(name, [])) or ("principle thresholds (gate)" if "thresholds" in p.used_by else "—")
        rows.append(f"| `{name}` | {shown(p).en} | {used} | {p.source} |")
    return "\n".join(rows) + "\n"


def filled(template: Text, check: Check) -> Text:
    """A message or remediation template with the check's parameter values in (other placeholders stay)."""
    ja, en = template.ja, template.en
    for name, value in placeholders(check).items():
        ja, en = ja.replace(f"{{{name}}}", str(value)), en.replace(f"{{{name}}}", str(value))
    return Text(ja=ja, en=en)
