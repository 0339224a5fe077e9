"""Turns pydantic validation errors into messages that name file:line:column and suggest fixes."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from guideline_lint.catalog import suggest
from guideline_lint.errors import InputError
from guideline_lint.model import Text
from guideline_lint.yamlio import LoadedYaml


def loc_to_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The BaseModel classes an annotation can hold (through Optional, list, dict, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
    return found


def allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> set[str]:
    """Field names valid at ``loc``'s parent, found by walking the model classes."""
    current: list[type[BaseModel]] = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for cls in current:
            field = cls.model_fields.get(part)
            if field is not None:
                nxt.extend(_models_in(field.annotation))
            elif any(typing.get_origin(f.annotation) is dict for f in cls.model_fields.values()):
                nxt.append(cls)  # a dict key (e.g. a checklist id): stay on the same level
        current = nxt or current
    keys: set[str] = set()
    for cls in current:
        keys.update(name for name, field in cls.model_fields.items())
        keys.update(field.alias for field in cls.model_fields.values() if field.alias)
    return keys


def describe(error: dict[str, Any], model: type[BaseModel]) -> Text:
    loc = tuple(error["loc"])
    path = loc_to_path(loc) or "(document)"
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        guess = suggest(key, allowed_keys(model, loc))
        hint_ja = f"「{guess}」の誤りではありませんか？" if guess else "このキーは使えません。"
        hint_en = f"did you mean '{guess}'?" if guess else "this key is not allowed here."
        return Text(ja=f"不明なキー「{path}」: {hint_ja}", en=f"unknown key '{path}': {hint_en}")
    if kind == "missing":
        return Text(ja=f"必須のキー「{path}」がありません。", en=f"required key '{path}' is missing.")
    got = error.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return Text(ja=f"「{path}」の値 {shown} が不正です: {error['msg']}",
                en=f"'{path}': invalid value {shown}: {error['msg']}")


def raise_for(exc: ValidationError, model: type[BaseModel], loaded: LoadedYaml, display: str,
              prefix: tuple[int | str, ...] = (), *, redact: bool = False) -> typing.NoReturn:
    """Raise one InputError for a ValidationError: the first problem's position, every problem listed.

    ``redact``: the file is outside what the user pointed at; name where the problems are, never its keys
    or values."""
    errors = exc.errors(include_url=False)
    if redact:
        position = _position(loaded, loc_to_path(prefix + tuple(errors[0]["loc"])), key=True) if errors else None
        count = len(errors)
        raise InputError(
            Text(ja=f"スキーマに合いません（{count} 件）。リポジトリの外のファイルなので内容は表示しません。",
                 en=f"does not match the schema ({count} problem{'s' if count > 1 else ''}); the file is outside "
                    "the repository or ruleset folder, so its content is not shown."),
            file=display, line=position[0] if position else None, column=position[1] if position else None,
            hint=Text(ja="リンク先・extends 先が意図したファイルか確かめてください。",
                      en="check that the link or `extends` points at the file you meant."),
        )
    lines_ja: list[str] = []
    lines_en: list[str] = []
    first_position: tuple[int, int] | None = None
    for error in errors[:20]:
        loc = prefix + tuple(error["loc"])
        path = loc_to_path(loc)
        position = _position(loaded, path, key=error["type"] == "extra_forbidden")
        text = describe({**error, "loc": tuple(error["loc"])}, model)
        where = f"{display}:{position[0]}:{position[1]}" if position else display
        lines_ja.append(f"{where}: {text.ja}")
        lines_en.append(f"{where}: {text.en}")
        first_position = first_position or position
    if len(errors) > 20:
        lines_ja.append(f"…ほか {len(errors) - 20} 件")
        lines_en.append(f"… and {len(errors) - 20} more")
    count = len(errors)
    raise InputError(
        Text(ja=f"スキーマに合いません（{count} 件）:\n  " + "\n  ".join(lines_ja),
             en=f"does not match the schema ({count} problem{'s' if count > 1 else ''}):\n  " + "\n  ".join(lines_en)),
        file=display,
        line=first_position[0] if first_position else None,
        column=first_position[1] if first_position else None,
    )


def _position(loaded: LoadedYaml, path: str, key: bool) -> tuple[int, int] | None:
    """Where ``path`` is, or its nearest ancestor present (where something must be added)."""
    table = loaded.key_positions if key else loaded.positions
    probe = path
    while probe:
        if probe in table:
            return table[probe]
        if probe in loaded.positions:
            return loaded.positions[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return (1, 1)
