"""Blank versus zero (L1-09 空白とゼロが明確に区別されているか): a numeric column where missing values and
zeros are mixed, so that a reader cannot tell 'no value' from 0.

The Digital Agency's rule: "データに欠損値（空欄）とゼロ（0）が混在していると、機械は両者を区別できずに処理して
しまうことがある … 値が存在しない場合（欠損値）と、値がゼロである場合を明確に区別して入力すること". Its own
checker (machine_readability_rule, L1_09_blank_vs_zero.py) takes a column as numeric from 70 % numbers and
flags blanks next to two zeros or more; it then asks a language model whether 0 is unlikely in that column,
which a linter cannot do, so the finding is low and says what to decide. Two forms:

- ``blank_and_zero``: blanks among the values and at least two 0s in one numeric column. Blanks before the
  first value or after the last are a period without the measure (東京都's 抗原検査陽性者数 before antigen
  tests began, then 0 on days without a positive), not the ambiguity the rule is about;
- ``none_and_zero``: 0 written as a number in some rows and as a dash or a word ('-', '－', 'なし', '該当なし')
  in others. A dash alone is L3-03's (define the symbol); a word alone is L2-01's (text in a number column).

Judged on the data rows the row pass kept (the first ``SAMPLE_ROWS`` records and irregular ones)."""

from __future__ import annotations

from guideline_lint.facts.data import Row
from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("blank_and_zero", "none_and_zero")

NONE_MARKS = frozenset({"-", "－", "―", "—", "‐", "ー", "なし", "無し", "該当なし", "該当無し", "ゼロ", "皆無"})
_MIN_ZEROS = 2  # as the Agency's checker: one 0 beside blanks is too little to say the column mixes them


def _is_zero(text: str) -> bool:
    try:
        return text[:1] in "0-+." and float(text) == 0
    except ValueError:
        return False


@table_rule(after_rows=True)
def blank_versus_zero(table: Table, found: Problems) -> None:
    for column in table.columns:
        if column.kind != "numeric":
            continue
        index = column.index
        zeros = 0
        blanks: list[Row] = []
        pending: list[Row] = []  # blanks since the last value: counted once a value follows
        marks: list[tuple[Row, str]] = []
        seen_value = False
        for row in table.data_rows:
            text = row.cells[index].strip() if index < len(row.cells) else ""
            if not text:
                if seen_value:
                    pending.append(row)
                continue
            seen_value = True
            blanks += pending
            pending = []
            if text in NONE_MARKS:
                marks.append((row, text))
            elif _is_zero(text):
                zeros += 1
        if marks and zeros:
            row, text = marks[0]
            found.add("none_and_zero", row.record, index, text, f'"{text}" ×{len(marks)}・0 ×{zeros}',
                      line=row.line_of(index))
        elif blanks and zeros >= _MIN_ZEROS:
            row = blanks[0]
            found.add("blank_and_zero", row.record, index, "", f'"" ×{len(blanks)}・0 ×{zeros}',
                      line=row.line_of(index))
