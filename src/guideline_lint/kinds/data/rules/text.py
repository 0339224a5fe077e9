"""Text in cells and headers (L1-06, L1-07, L1-08, L1-13): machine-dependent characters and bytes
invalid in the encoding, spaces for looks, line breaks inside a value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.facts.data import Row
from guideline_lint.kinds.data.rules.base import (
    Hit,
    Problems,
    Table,
    cell_rule,
    header_rule,
    problems,
    row_rule,
    table_rule,
)

problems("machine_dependent", "invalid_bytes", "garbled_text", "spaced_word", "edge_space", "line_break",
         "csv_multiline")

EDGE_SPACES = " \u3000\t"
# Compiled on first use (jp.lazy_regex): most tables have no cell that reaches them.
_SENTENCE_RE = jp.lazy_regex(r"[。！？]|[a-z][.!?](?:\s|$)")
_LINES_RE = jp.lazy_regex(r"\r\n|\r|\n")
# Columns for remarks in free text. The Agency's L2-01 sends notes to a column of their own (単位や注釈は別列に分離),
# and the 自治体標準オープンデータセット has such columns (備考, 利用可能日時特記事項): they may hold several
# remarks, so L1-07's text heuristics leave them alone.
NOTES_HEADER_RE = jp.lazy_regex(
    r"備考|特記事項|注記|注釈|補足|メモ|コメント|説明|留意事項|注意事項|note|remark|comment", re.IGNORECASE)
# '月 木' (Monday and Thursday) is a list of days, not a word spread out: joining it would change the data.
_WEEKDAYS_RE = jp.lazy_regex(r"[月火水木金土日祝](?:[ \u3000]+[月火水木金土日祝])+")


@cell_rule
@header_rule
def line_break(table: Table, index: int, value: str) -> Iterator[Hit]:
    """A list over lines: two lines or more that are not sentences ('共同生活援助⏎短期入所'). A sentence
    (with 。 or '. ') is one value however it is broken, so paragraphs pass (yaizu-city opendata 説明); so does
    one value with a trailing line break (L1-14's and L1-06's matter). Each line is judged, not the cell: one 。
    at the end must not hide a list above it. Remarks columns are left alone (``NOTES_HEADER_RE``)."""
    if ("\n" in value or "\r" in value) and not is_notes_column(table, index):
        lines = [line for line in _LINES_RE().split(value) if line.strip()]
        lines = _joined(lines)
        if sum(1 for line in lines if not _SENTENCE_RE().search(line)) >= 2:
            yield Hit("line_break", value)


# A line that ends with a conjunction goes on in the next: one name broken for width, not two values
# ('都道府県コード又は⏎市区町村コード', the 自治体標準オープンデータセット's header in takamatsu-city opendata
# exchange_center data.xlsx).
_GOES_ON_RE = jp.lazy_regex(r"(?:又は|または|若しくは|もしくは|及び|および|並びに|ならびに)\s*$")


def _joined(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and _GOES_ON_RE().search(out[-1]):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
    return out


def is_notes_column(table: Table, index: int) -> bool:
    column = table.column(index)
    return column is not None and NOTES_HEADER_RE().search(column.name) is not None


@cell_rule
@header_rule
def characters(table: Table, index: int, value: str) -> Iterator[Hit]:
    """Text read in the wrong encoding and saved so, bytes that were not valid, then the first machine-dependent
    character, with its portable form."""
    if value.isascii():
        return
    if jp.GARBLED_RE.search(value):
        yield Hit("garbled_text", value)
    for ch, category in jp.machine_dependent_chars(value):
        if category == "invalid_bytes":
            yield Hit("invalid_bytes", value)
        else:
            yield Hit("machine_dependent", value, f"{ch} → {jp.suggest_replacement(ch)}")
            return


@cell_rule
@header_rule
def spaces(table: Table, index: int, value: str) -> Iterator[Hit]:
    """A word spread with spaces ('区　分'), else spaces at a value's edges."""
    if not value.isascii() and ("\u3000" in value or " " in value) and jp.is_spaced_word(value) \
            and not _WEEKDAYS_RE().fullmatch(value.strip()):
        yield Hit("spaced_word", value, value.replace(" ", "").replace("\u3000", ""))
        return
    if value and (value[0] in EDGE_SPACES or value[-1] in EDGE_SPACES) and value.strip(EDGE_SPACES):
        yield Hit("edge_space", value.replace(" ", "␣").replace("\u3000", "□"))


@row_rule
def multiline_record(table: Table, row: Row, found: Problems) -> bool:
    """A CSV record whose quoted cells hold line breaks: it spans several lines of the file."""
    if row.lines > 1:
        for index, value in enumerate(row.cells):
            if "\n" in value or "\r" in value:
                found.add("csv_multiline", row.record, index, value, line=row.line_of(index))
    return True


@table_rule()
def document_text(table: Table, found: Problems) -> None:
    """JSON that is not a table: the first machine-dependent character or invalid byte of each string."""
    for value in table.facts.texts:
        if jp.GARBLED_RE.search(value):
            found.add("garbled_text", None, None, value)
        for ch, category in jp.machine_dependent_chars(value):
            name = "invalid_bytes" if category == "invalid_bytes" else "machine_dependent"
            found.add(name, None, None, value, f"{ch} → {jp.suggest_replacement(ch)}")
            break
