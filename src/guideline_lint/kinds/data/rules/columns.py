"""Columns with neither a name nor a value anywhere (L1-03)."""

from __future__ import annotations

from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("empty_column")


@table_rule(after_rows=True)
def empty_columns(table: Table, found: Problems) -> None:
    for column in table.columns:
        if column.kind != "empty" or column.name or column.filled_later:
            continue
        index = column.index
        if any(index < len(row.cells) and row.cells[index].strip() for row in table.data_rows):
            continue
        found.add("empty_column", None, index, "")
