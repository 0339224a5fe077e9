"""Columns outside the table: with neither a name nor a value anywhere (L1-03), or a few remarks written to
the right of the table in a column without a name (L1-04: 表のデータ範囲の外側にメモ等の無関係な情報).

A remarks column with a name (備考, 注記, 特記事項) is part of the table: the Agency's L2-01 sends units and notes
to a column of their own (単位や注釈は別列に分離すること), and the 自治体標準オープンデータセット defines such
columns. Only an unnamed column beyond the last named one, holding text in a few rows, is a memo beside the table."""

from __future__ import annotations

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("empty_column", "notes_column")

_MEMO_SHARE = 0.2  # a memo fills few rows; a column filled in most rows is data without a header (L1-05)


@table_rule(after_rows=True)
def empty_columns(table: Table, found: Problems) -> None:
    for column in table.columns:
        if column.kind != "empty" or column.name or column.filled_later:
            continue
        index = column.index
        if any(index < len(row.cells) and row.cells[index].strip() for row in table.data_rows):
            continue
        found.add("empty_column", None, index, "")


@table_rule(after_rows=True)
def memo_columns(table: Table, found: Problems) -> None:
    named = [c.index for c in table.columns if c.name]
    if not named or not table.data_rows:
        return
    for column in table.columns[max(named) + 1:]:
        index = column.index
        cells = [(row, row.cells[index].strip()) for row in table.data_rows
                 if index < len(row.cells) and row.cells[index].strip()]
        if not cells or len(cells) > max(3, _MEMO_SHARE * len(table.data_rows)):
            continue
        if all(not jp.numeric_like(text) and not jp.classify_date(text) for _, text in cells):
            row, text = cells[0]
            found.add("notes_column", row.record, index, text, line=row.line_of(index))
