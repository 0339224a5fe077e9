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

problems("machine_dependent", "invalid_bytes", "spaced_word", "edge_space", "line_break", "csv_multiline")

EDGE_SPACES = " \u3000\t"
_PROSE_RE = re.compile(r"[。！？]|[a-z][.!?](?:\s|$)")
# '月 木' (Monday and Thursday) is a list of days, not a word spread out: joining it would change the data.
_WEEKDAYS_RE = re.compile(r"[月火水木金土日祝](?:[ \u3000]+[月火水木金土日祝])+")


@cell_rule
@header_rule
def line_break(table: Table, index: int, value: str) -> Iterator[Hit]:
    # Prose (sentences ending in 。 or . — a description, directions, notes) may run over lines: that is one
    # value written in paragraphs, not several values in one cell (yaizu-city opendata 説明, 利用方法).
    if ("\n" in value or "\r" in value) and not _PROSE_RE.search(value):
        yield Hit("line_break", value)


@cell_rule
@header_rule
def characters(table: Table, index: int, value: str) -> Iterator[Hit]:
    """Bytes that were not valid, then the first machine-dependent character, with its portable form."""
    if value.isascii():
        return
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
            and not _WEEKDAYS_RE.fullmatch(value.strip()):
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
        for ch, category in jp.machine_dependent_chars(value):
            name = "invalid_bytes" if category == "invalid_bytes" else "machine_dependent"
            found.add(name, None, None, value, f"{ch} → {jp.suggest_replacement(ch)}")
            break
