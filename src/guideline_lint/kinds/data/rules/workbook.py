"""What a worksheet holds beyond its values (L1-09 … L1-12, L2-06, L1-04): merged cells, hidden rows,
columns and sheets, formulas, drawings, comments, cells whose colour or weight carries meaning."""

from __future__ import annotations

from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("merged_cell", "hidden", "formula", "object", "comment", "styled_cell")


@table_rule()
def workbook_structure(table: Table, found: Problems) -> None:
    structure = table.facts.structure
    if structure is None:
        return
    pairs = (("merged_cell", structure.merged), ("hidden", structure.hidden_columns),
             ("hidden", structure.hidden_rows), ("formula", structure.formulas))
    if structure.emphasised.count < structure.data_cells or not structure.data_cells:
        pairs += (("styled_cell", structure.emphasised),)  # a table that all looks alike says nothing
    for name, tally in pairs:
        log = found.log(name) if tally.count else None
        for place in tally.places:
            found.add(name, place.record, place.column, place.text, line=place.line, times=0)
        if log is not None:
            log.count += tally.count
    for _ in range(structure.drawings):
        found.describe("object", "図形（画像・図形・テキストボックス）", "drawing (image, shape or text box)")
    for _ in range(structure.comments):
        found.describe("comment", "セルのコメント", "cell comments")
    if structure.state != "visible":
        state_ja = "非表示" if structure.state == "hidden" else "ユーザーが再表示できない非表示"  # veryHidden
        sheet = table.facts.sheet
        found.describe("hidden", f"シート「{sheet}」（{state_ja}）", f"sheet {sheet} ({structure.state})")
