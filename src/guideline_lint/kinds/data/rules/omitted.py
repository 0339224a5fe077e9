"""Values left out because the row above has them (L2-02), judged on the sample."""

from __future__ import annotations

from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("omitted_value")


@table_rule()
def omitted_values(table: Table, found: Problems) -> None:
    """Blanks under a value in the two leading key columns of rows that otherwise hold data (layout
    rows are skipped); a column of one value and blanks is a flag, not an omission."""
    header = table.header_cells()
    rows = [row for row in table.sample_data()
            if sum(1 for v in row.cells if v.strip()) > 1 and [v.strip() for v in row.cells] != header]
    for column in table.columns[:2]:
        if column.kind not in ("text", "numeric"):
            continue
        seen_value = False
        values: set[str] = set()
        omitted = []
        for row in rows:
            value = row.cells[column.index].strip() if column.index < len(row.cells) else ""
            if value:
                seen_value = True
                values.add(value)
            elif seen_value:
                omitted.append(row)
        flag_column = column.index > 0 and len(values) < 2
        if not flag_column and len(omitted) >= 2 and len(omitted) >= 0.2 * len(rows):
            for row in omitted:
                found.add("omitted_value", row.record, column.index, "", line=row.line_of(column.index))
