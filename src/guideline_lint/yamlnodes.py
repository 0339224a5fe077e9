"""Checks on ruamel.yaml's composed node tree, before anything is constructed from it: documents that would
explode when their aliases are expanded, scalars that look like dates or numbers but are none, and the position
of every value and key.
"""

from __future__ import annotations

from typing import Any

from guideline_lint.errors import InputError
from guideline_lint.model import Text

MAX_NODES = 100_000  # nodes after alias expansion: far above any real file, far below a "billion laughs"
# Characters after alias expansion: one long string repeated by aliases is small to parse but huge in every
# copy made of it afterwards (validation, reports). Without aliases a document never reaches this.
MAX_EXPANDED_CHARS = 4 * 1024 * 1024


class BadScalar(Exception):
    """A value that looks like a date, time or integer but is none (2026-02-30, T25:00, 5,000 digits)."""

    def __init__(self, value: str, tag: str, line: int, column: int, problem: str) -> None:
        super().__init__(value)
        self.value, self.tag, self.line, self.column, self.problem = value, tag, line, column, problem

    def error(self, display: str, redact: bool) -> InputError:
        shown = "" if redact else f"「{clip(self.value)}」"
        shown_en = "" if redact else f"'{clip(self.value)}' "
        if self.tag.endswith(":int") and "digits" in self.problem:
            text = Text(ja=f"数値が長すぎます（{len(self.value):,} 文字）。",
                        en=f"the number is too long ({len(self.value):,} characters).")
            hint = Text(ja="桁数の多い値は引用符で囲んで文字列にしてください。",
                        en="quote a value with that many digits to make it a string.")
        elif self.tag.endswith(":timestamp"):
            text = Text(ja=f"{shown}は存在しない日付・時刻です"
                           "（月は 1〜12、日はその月の日数まで、時は 0〜23、年は 1 以上）。",
                        en=f"{shown_en}is not a real date or time ({self.problem}).")
            hint = Text(ja="YYYY-MM-DD 形式の実在する日付を書いてください（例: 2026-02-28）。",
                        en="write a real date as YYYY-MM-DD (e.g. 2026-02-28).")
        else:
            text = Text(ja=f"{shown}は数値として読めません。", en=f"{shown_en}cannot be read as a number.")
            hint = Text(ja="文字列にするなら引用符で囲んでください。", en="quote it if it is meant as text.")
        return InputError(text, file=display, line=self.line, column=self.column, hint=hint)


def clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def refuse_alias_bombs(root: Any, display: str) -> None:
    """Count nodes and characters as if every alias were expanded; refuse documents that would explode."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    sizes: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    too_big = (MAX_NODES + 1, MAX_EXPANDED_CHARS + 1)

    def size(node: Any) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:  # a recursive alias: infinite when expanded
            return too_big
        visiting.add(key)
        nodes, chars = 1, 0
        if isinstance(node, ScalarNode):
            chars = len(node.value) if isinstance(node.value, str) else 1
        else:
            children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else \
                node.value if isinstance(node, SequenceNode) else []
            for child in children:
                child_nodes, child_chars = size(child)
                nodes += child_nodes
                chars += child_chars
                if nodes > MAX_NODES or chars > MAX_EXPANDED_CHARS:
                    break
        visiting.discard(key)
        sizes[key] = (nodes, chars)
        return nodes, chars

    nodes, chars = size(root)
    if nodes > MAX_NODES:
        message = Text(ja=f"エイリアス（*参照）を展開すると {MAX_NODES:,} 要素を超えます。読み込みを中止しました。",
                       en=f"expanding its aliases (*refs) would exceed {MAX_NODES:,} nodes; refused.")
    elif chars > MAX_EXPANDED_CHARS:
        message = Text(ja=f"エイリアス（*参照）を展開すると {MAX_EXPANDED_CHARS:,} 文字を超えます。"
                          "読み込みを中止しました。",
                       en=f"expanding its aliases (*refs) would exceed {MAX_EXPANDED_CHARS:,} characters; refused.")
    else:
        return
    raise InputError(
        message, file=display, line=root.start_mark.line + 1, column=root.start_mark.column + 1,
        hint=Text(ja="アンカーとエイリアスを使わずに書いてください。",
                  en="write the document without anchors and aliases."),
    )


def record_positions(node: Any, prefix: str, values: dict[str, tuple[int, int]],
                      keys: dict[str, tuple[int, int]]) -> None:
    """Dotted path -> (line, column) from the composed node tree (1-based)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            if path in values:  # an alias reached twice: positions are already known
                continue
            keys[path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            values[path] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            record_positions(value_node, path, values, keys)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            values[path] = keys[path] = (item.start_mark.line + 1, item.start_mark.column + 1)
            record_positions(item, path, values, keys)
