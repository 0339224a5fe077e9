"""Numbers in numeric columns (L2-01, L3-03): separators, units, full-width digits; symbols for
'none' or 'secret'; text where a number belongs.

A survey's 'other' column holds 0 (not chosen) or the answer written in (code4fukui/fukui-kanko-survey 'その他':
0 or 'えちぜん鉄道'): a choice with its free answer, not numbers with text in them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Hit, Table, cell_rule, problems
from guideline_lint.kinds.data.rules.several import several_values

problems("dirty_number", "special_symbol", "text_in_number")

PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_OTHER_HEADER = re.compile(r"その他|(?i:\bothers?\b)")


def not_a_plain_number(table: Table, index: int, value: str) -> str | None:
    """The stripped text of a non-empty cell of a numeric column that is not a plain number."""
    column = table.column(index)
    if column is None or column.kind != "numeric" or PLAIN(value):
        return None
    text = value.strip()
    return text if text and not jp.is_plain_number(text) else None


@cell_rule
def numbers(table: Table, index: int, value: str) -> Iterator[Hit]:
    text = not_a_plain_number(table, index, value)
    if text is None:
        return
    if text in jp.SPECIAL_SYMBOLS:
        yield Hit("special_symbol", text)
        return
    problem = jp.classify_number(text)
    if problem:
        yield Hit("dirty_number", text, f"→ {problem[1]}")
    elif several_values(text):
        return  # several values in one cell (several.py)
    elif jp.FULLWIDTH_DIGIT_RE.search(text) or re.search(r"\d", text):
        yield Hit("dirty_number", text)
    elif not _other_answers(table, index):
        yield Hit("text_in_number", text)


def _other_answers(table: Table, index: int) -> bool:
    """An 'other' column whose only numbers are the flags 0 and 1 (see the module's docstring)."""
    column = table.column(index)
    if column is None or not _OTHER_HEADER.search(unicodedata.normalize("NFKC", column.name)):
        return False
    numbers = {value for value in (column.distinct or {}) if PLAIN(value)}
    return bool(numbers) and numbers <= {"0", "1"}
