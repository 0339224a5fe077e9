"""Layout rows (L1-02, L1-03, L1-04, L3-01, L1-15): titles and blanks above the header, blank rows,
notes, a second table or the header again inside the data, records with another field count."""

from __future__ import annotations

from guideline_lint import japanese as jp
from guideline_lint.facts.data import Row
from guideline_lint.kinds.data.rules.base import Problems, Table, problems, row_rule, table_rule

problems("title_row", "leading_blank_row", "header_not_first", "blank_row", "section_row", "notes_row",
         "repeated_header", "column_count")

NOTE_PREFIXES = ("※", "注", "（注", "(注", "出典", "資料", "＊", "*", "備考：", "備考:", "（備考", "Note", "Source")


@table_rule()
def above_header(table: Table, found: Problems) -> None:
    """Rows above the header: one-cell titles, blank rows; a header that is not the first record."""
    facts = table.facts
    header = facts.header_record
    if header is None:
        return
    above = facts.sample[: facts.header_index]
    for row in above:
        filled = [v for v in row.cells if v.strip()]
        if filled:
            found.add("title_row", row.record, 0, filled[0], line=row.line)
    for row in above:
        if not any(v.strip() for v in row.cells):
            found.add("leading_blank_row", row.record, None, "", line=row.line)
    if header.record != 1:
        found.add("header_not_first", header.record, None, ",".join(header.cells)[:60], line=header.line)


@row_rule
def layout_row(table: Table, row: Row, found: Problems) -> bool:
    """False for a row that is not data: blank, a note, the start of another table, the header again."""
    facts = table.facts
    cells = row.cells
    filled = [i for i, v in enumerate(cells) if v.strip()]
    after_blank = table.notes.get("last_blank") == row.record - 1
    if not filled:
        # Reported only once data follows: blank lines at the very end of a file split nothing (L1-03).
        table.notes.setdefault("pending_blanks", []).append(row)
        table.notes["last_blank"] = row.record
        return False
    for blank in table.notes.pop("pending_blanks", []):
        found.add("blank_row", blank.record, None, "", line=blank.line)
    if len(cells) != facts.width and facts.width:
        found.add("column_count", row.record, None, ",".join(cells), f"{len(cells)} / {facts.width}", line=row.line)
    if facts.width >= 3 and len(filled) == 1 and filled[0] == 0:
        first = cells[0].strip()
        if first.startswith(NOTE_PREFIXES):
            found.add("notes_row", row.record, 0, first, line=row.line)
            return False
        # A lone first cell after a blank row, or text where the first column holds numbers or
        # dates, starts another table; otherwise it is a data row with empty optional cells.
        kind = facts.columns[0].kind if facts.columns else "text"
        if after_blank or (kind in ("numeric", "date") and not jp.numeric_like(first)
                           and not jp.classify_date(first)):
            found.add("section_row", row.record, 0, first, line=row.line)
            table.notes["last_section"] = row.record
            return False
    header = table.header_cells()
    if facts.header and table.notes.get("last_section") == row.record - 1 and any(
            v.strip() and v.strip() == h for v, h in zip(cells, header, strict=False)):
        # The header of the table a section row started: names, not data (its 'ID' is no number).
        found.add("repeated_header", row.record, None, ",".join(cells), line=row.line)
        found.headers.append((row.record, cells))
        return False
    if facts.header and [v.strip() for v in cells] == header:
        found.add("repeated_header", row.record, None, ",".join(cells), line=row.line)
        return False
    return True
