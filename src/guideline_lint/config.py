"""The configuration file: `.guideline-lint.yaml` or `[tool.guideline-lint]` in `pyproject.toml`.

Found from the working directory upward (the nearest folder that has either wins; in one folder the YAML file
wins). Its keys are the long option names of `check` and `audit` without the dashes' prefix (`fail-under`,
`format`, `no-pages` …); a `check:` or `audit:` section holds settings for that command alone. Flags on the
command line override it. Paths are relative to the file's folder.

    # .guideline-lint.yaml
    ruleset: rulesets/our-profile.yaml
    format: [sarif, html]
    output-dir: out
    check:
      no-pages: true
    audit:
      max-pages: 200
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guideline_lint.catalog import suggest
from guideline_lint.errors import InputError
from guideline_lint.model import Text
from guideline_lint.textfiles import read_text
from guideline_lint.yamlio import load_yaml

YAML_NAMES = (".guideline-lint.yaml", ".guideline-lint.yml")
COMMANDS = ("check", "audit")

# option name in the file -> (click parameter name, kind); kinds: str, path, paths, strs, float, int, bool
OPTIONS: dict[str, tuple[str, str]] = {
    "ruleset": ("ruleset_ref", "path-or-id"),
    "lang": ("lang", "str"),
    "format": ("formats", "strs"),
    "output": ("output", "path"),
    "output-dir": ("output_dir", "path"),
    "fail-under": ("fail_under", "float"),
    "no-pages": ("no_pages", "bool"),
    "no-waivers": ("no_waivers", "bool"),
    "baseline": ("baseline", "path"),
    "url": ("urls", "strs"),
    "data": ("data_paths", "paths"),
    "workers": ("workers", "int"),
    "remote-url": ("remote_url", "str"),
    "chromedriver": ("chromedriver", "path"),
    "timeout": ("page_timeout", "float"),
    "viewports": ("viewports", "str"),
    "quiet": ("quiet", "bool"),
    "sarif-category": ("sarif_category", "str"),
    "sarif-include-urls": ("sarif_include_urls", "bool"),
    "sarif-include-review": ("sarif_include_review", "bool"),
    "sitemap": ("sitemaps", "strs"),
    "url-list": ("url_lists", "paths"),
    "max-pages": ("max_pages", "int"),
    "level": ("level", "str"),
}


@dataclass(slots=True)
class Config:
    """Settings from one file: per command, click parameter name -> value."""

    source: Path | None = None
    settings: dict[str, dict[str, Any]] = field(default_factory=lambda: {c: {} for c in COMMANDS})

    def default_map(self, known: dict[str, set[str]]) -> dict[str, dict[str, Any]]:
        """Click's ``default_map``: each command gets the settings it has an option for."""
        return {command: {k: v for k, v in self.settings[command].items() if k in known.get(command, set())}
                for command in COMMANDS}


def find_config(start: Path) -> Path | None:
    """The configuration file nearest to ``start``, looking upward."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in YAML_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject
    return None


def load_config(start: Path) -> Config:
    path = find_config(start)
    if path is None:
        return Config()
    if path.name == "pyproject.toml":
        table = _pyproject_table(path) or {}
        positions: dict[str, tuple[int, int]] = {}
    else:
        loaded = load_yaml(path, str(path))
        table, positions = loaded.data if loaded.data is not None else {}, loaded.key_positions
    if not isinstance(table, dict):
        raise _error(path, None, Text(ja="設定はマッピングで書いてください。", en="the settings must be a mapping."))
    config = Config(source=path)
    for key, value in table.items():
        if key in COMMANDS:
            if not isinstance(value, dict):
                raise _error(path, positions.get(key), Text(ja=f"{key}: はマッピングで書いてください。",
                                                            en=f"{key}: must be a mapping."))
            for name, item in value.items():
                config.settings[key].update([_setting(path, f"{key}.{name}", name, item, positions)])
        else:
            pair = _setting(path, key, key, value, positions)
            for command in COMMANDS:
                config.settings[command].setdefault(*pair)
    return config


# Every way TOML can open our table starts a line with it: [tool.guideline-lint], [tool."guideline-lint".check],
# a dotted key under [tool] (guideline-lint.check = …, "guideline-lint" = {…}), tool.guideline-lint.x = …, or
# an inline table (tool = {…}).
_MAY_HOLD_OUR_TABLE = re.compile(
    r"""^[ \t]*(?:\[{1,2}[ \t]*)?(?:tool[ \t]*\.[ \t]*)?["']?guideline-lint["']?[ \t]*[.=\]]|^[ \t]*tool[ \t]*=""",
    re.MULTILINE)


# A table header standing alone on its line: [a.b], [ "a" . 'b' ] # comment (an array of tables is no sure header).
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_HEADER = re.compile(rf"""[ \t]*\[[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*\][ \t]*(?:#[^"'\n]*)?""")


def _may_hold_our_table(text: str) -> bool:
    """False only when no line can open our table: every line _MAY_HOLD_OUR_TABLE finds is a bare key
    (``guideline-lint = …``, as in ``[project.scripts]``) under a header that is surely not ``[tool]``.

    A header counts as sure when it stands alone on its line after a line that cannot continue an array (the
    element ``[1]`` of a multi-line array looks like a header); a multi-line string could hide or fake a
    header, so a file with one is parsed whenever the pattern matches."""
    candidates = list(_MAY_HOLD_OUR_TABLE.finditer(text))
    if not candidates:
        return False
    if '"""' in text or "'''" in text:
        return True
    lines = text.split("\n")
    for match in candidates:
        found = match.group(0).lstrip(" \t")
        if found.startswith("[") or found.startswith("tool"):
            return True  # a header naming the tool, a dotted key from the root, or `tool = {…}`
        number = text.count("\n", 0, match.start())
        table = _enclosing_table(lines, number)
        if table is None or table == "tool":
            return True
    return False


def _enclosing_table(lines: list[str], number: int) -> str | None:
    """The name of the table line ``number`` is in, when surely known (else None: at the root, or unsure)."""
    for index in range(number - 1, -1, -1):
        stripped = lines[index].strip()
        if not stripped.startswith("["):
            continue
        header = _HEADER.fullmatch(lines[index])
        if header is None:
            return None
        for before in range(index - 1, -1, -1):
            previous = lines[before].strip()
            if not previous or previous.startswith("#"):
                continue
            previous = _without_comment(previous)
            if previous.endswith((",", "[", "=", "{")):
                return None  # inside a multi-line array or value
            break
        return re.sub(r"""[ \t"']""", "", header.group(1))
    return None


def _without_comment(line: str) -> str:
    """A one-line TOML text without its comment (a ``#`` outside strings)."""
    quote = ""
    escaped = False
    for index, ch in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:index].rstrip()
    return line


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    text = read_text(path, str(path))
    # Most pyproject.toml files found on the way up are other projects' (or name this tool only as a
    # dependency or a script): they are not parsed, and tomllib (~30 M instructions to import, 2 % of a cold
    # check) is not even imported. The test errs towards parsing: see _may_hold_our_table.
    if not _may_hold_our_table(text):
        return None
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Text(ja=f"TOML として読めません: {exc}", en=f"not valid TOML: {exc}"),
                         file=str(path)) from None
    table = document.get("tool", {}).get("guideline-lint")
    return table if isinstance(table, dict) else None


def _setting(path: Path, where: str, name: str, value: Any, positions: dict[str, tuple[int, int]]) -> tuple[str, Any]:
    if name not in OPTIONS:
        guess = suggest(name, set(OPTIONS))
        hint = f"（「{guess}」ですか？）" if guess else ""
        raise _error(path, positions.get(where), Text(ja=f"未知の設定「{name}」{hint}",
                                                      en=f"unknown setting '{name}'" + (f" (did you mean '{guess}'?)"
                                                                                       if guess else "")))
    parameter, kind = OPTIONS[name]
    problem = Text(ja=f"{name} の値の形が違います（{kind}）", en=f"{name} has a value of the wrong type ({kind})")
    folder = path.parent
    if kind in ("str", "path", "path-or-id"):
        if not isinstance(value, str):
            raise _error(path, positions.get(where), problem)
        if kind == "path" or (kind == "path-or-id" and value.endswith((".yaml", ".yml"))):
            value = str(folder / value)
    elif kind in ("strs", "paths"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise _error(path, positions.get(where), problem)
        value = tuple(str(folder / item) for item in items) if kind == "paths" else tuple(items)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise _error(path, positions.get(where), problem)
    elif kind in ("int", "float"):
        number = int if kind == "int" else int | float
        if isinstance(value, bool) or not isinstance(value, number):
            raise _error(path, positions.get(where), problem)
    return parameter, value


def _error(path: Path, position: tuple[int, int] | None, message: Text) -> InputError:
    line, column = position if position else (None, None)
    return InputError(message, file=str(path), line=line, column=column,
                      hint=Text(ja="使える設定は `guideline-lint config --help` にあります。",
                                en="see `guideline-lint config --help` for the settings."))


def describe(config: Config, options: dict[str, list[tuple[str, str, Any]]]) -> str:
    """What is in force for each command and where it comes from (`guideline-lint config`).

    ``options``: per command, (flag, click parameter name, default shown) of each option."""
    where = str(config.source) if config.source else None
    lines = [f"configuration file: {where or '(none found from this folder upward)'}"]
    for command in COMMANDS:
        lines.append(f"\n[{command}]")
        for flag, parameter, default in options.get(command, []):
            if parameter in config.settings[command]:
                lines.append(f"  {flag} = {config.settings[command][parameter]!r}    # {where}")
            else:
                lines.append(f"  {flag} = {default}    # default")
    return "\n".join(lines) + "\n"
