"""Values left out because the row above has them (L2-02), judged on the sample."""

from __future__ import annotations

from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("omitted_value")


@table_rule()
def omitted_values(table: Table, found: Problems) -> None:
    """Blanks under a value in the two leading key columns of rows that otherwise hold data (layout
    rows are skipped); a column of one value and blanks is a flag, not an omission.

    A value left out because the row above has it starts with the first record, and a new value follows the
    blanks. So a column blank in the first record is an optional field (施設名称２, a branch name; 部 in a list of
    局 > 部 > 課, where a 課 under no 部 leaves it blank: takamatsu-city opendata 食品営業許可施設一覧, 0083), and
    blanks after a column's last value with at most one gap above are values missing from rows added later
    (ids and coordinates of new facilities: takamatsu-city opendata tourist_facilities '#property',
    children_club latitude)."""
    header = table.header_cells()
    rows = [row for row in table.sample_data()
            if sum(1 for v in row.cells if v.strip()) > 1 and [v.strip() for v in row.cells] != header]
    for column in table.columns[:2]:
        if column.kind not in ("text", "numeric"):
            continue
        cells = [row.cells[column.index].strip() if column.index < len(row.cells) else "" for row in rows]
        if not cells or not cells[0]:
            continue  # blank in the first record: an optional field, not a value left out
        values = {value for value in cells if value}
        omitted = [row for row, value in zip(rows, cells, strict=True) if not value]
        last = max(i for i, value in enumerate(cells) if value)
        gaps = sum(1 for value in cells[:last] if not value)  # blanks with a value below them
        flag_column = column.index > 0 and len(values) < 2
        only_missing = len(values) >= 2 and gaps < 2
        if not flag_column and not only_missing and len(omitted) >= 2 and len(omitted) >= 0.2 * len(rows):
            for row in omitted:
                found.add("omitted_value", row.record, column.index, "", line=row.line_of(column.index))
