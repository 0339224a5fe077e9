"""Numbers in numeric columns (L2-01, L3-03): separators, units, full-width digits; symbols for
'none' or 'secret'; text where a number belongs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Hit, Table, cell_rule, problems
from guideline_lint.kinds.data.rules.several import several_values

problems("dirty_number", "special_symbol", "text_in_number")

PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch


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
    else:
        yield Hit("text_in_number", text)
