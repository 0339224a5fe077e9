"""The table profile: which record is the header, what each column holds, and what to keep.

Readers hand records to a ``TableBuilder``. It keeps the first ``SAMPLE_ROWS`` whole, finds the header
among them (the first non-blank record, after any one-cell records above a wider table) and profiles
each column of the records under it; it then keeps later records whose shape is irregular and later
cells that are not plain, grouped by column and value (see ``facts/data.py``). It judges nothing.
"""

from __future__ import annotations

import re
from typing import Any

from guideline_lint import japanese as jp
from guideline_lint.facts.data import (
    DISTINCT_CAP,
    INDEXED_COLUMN_RE,
    MAX_COLUMNS,
    MAX_KEPT_ROWS,
    MAX_KEPT_VALUES,
    SAMPLE_ROWS,
    ColumnProfile,
    DataFileFacts,
    Place,
    Row,
    Tally,
)
from guideline_lint.model import Text

# A header naming a date makes a column of mostly non-ISO dates a date column.
DATE_HEADER_RE = re.compile(r"(年月日|日付|年月|日時|date|Date|DATE|_日$|日$)")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch  # the common cell, tested first
DATE_HINT = re.compile(r"[/年月.\-]|^[RHSTMrhstm令平昭大明]").search  # cells that may be dates
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
# ASCII text that may still be something else than a plain word: spaces, line breaks, date punctuation.
_ASCII_LOOK = re.compile(r"\s|[/.\-]|^[RHSTMrhstm]").search


def filled(cells: list[str]) -> int:
    return sum(1 for v in cells if v.strip())


class TableBuilder:
    """Builds the facts of one table from its records, in file order."""

    def __init__(self, facts: DataFileFacts) -> None:
        self.facts = facts
        self.ready = False
        self.indexed: set[int] = set()  # columns whose every later value is kept
        self.tracked_empty: set[int] = set()  # columns with neither name nor value in the sample
        self.header_cells: list[str] = []

    # ---- the sample

    def add(self, row: Row) -> None:
        """A record read by a row-wise reader (or a delimited reader's sample)."""
        facts = self.facts
        if len(facts.sample) < SAMPLE_ROWS and not self.ready:
            facts.sample.append(row)
            if len(facts.sample) == SAMPLE_ROWS:
                self.finish_sample()
            return
        if not self.ready:
            self.finish_sample()
        if self.irregular(row.cells, row.lines):
            self.keep_row(row)
            return
        self.keep_plainless(row)

    def finish_sample(self) -> None:
        facts = self.facts
        self.ready = True
        facts.sampled_rows = len(facts.sample)
        rows = facts.sample
        nonblank = [i for i, row in enumerate(rows) if any(v.strip() for v in row.cells)]
        if not nonblank:
            facts.tabular = bool(rows)
            return
        widest = max(filled(rows[i].cells) for i in nonblank)
        start = 0
        while start < len(nonblank) - 1 and widest >= 3 and filled(rows[nonblank[start]].cells) == 1:
            start += 1  # one filled cell above a wider table: a title, not the header
        facts.header_index = nonblank[start]
        facts.header = list(rows[facts.header_index].cells[:MAX_COLUMNS])
        facts.width = len(facts.header)
        facts.columns = [ColumnProfile(i, h.strip()) for i, h in enumerate(facts.header)]
        for row in rows[facts.header_index + 1:]:
            self._profile(row.cells)
        for column in facts.columns:
            _decide(column)
        self.indexed = {c.index for c in facts.columns if INDEXED_COLUMN_RE.search(c.name)}
        self.tracked_empty = {c.index for c in facts.columns if c.kind == "empty" and not c.name}
        self.header_cells = [h.strip() for h in facts.header]

    def _profile(self, cells: list[str]) -> None:
        for column, value in zip(self.facts.columns, cells, strict=False):
            column.sampled += 1
            if PLAIN_NUMBER(value):
                column.non_empty += 1
                column.numbers += 1
                if len(value) > 1 and value[0] == "0" and value[1].isdigit():
                    column.leading_zeros += 1
                _count_distinct(column, value)
                continue
            text = value.strip()
            if not text:
                continue
            column.non_empty += 1
            if jp.is_plain_number(text):
                column.numbers += 1
            elif text in jp.SPECIAL_SYMBOLS:
                column.symbols += 1
            elif jp.numeric_like(text):
                column.dirty_numbers += 1
            date = jp.classify_date(text) if DATE_HINT(text) else None
            if date:
                if date[0] == "iso":
                    column.iso_dates += 1
                else:
                    column.other_dates += 1
            _count_distinct(column, text)

    # ---- records after the sample

    def irregular(self, cells: list[str], lines: int = 1) -> bool:
        """A record kept whole: another field count, blank, only its first cell filled (in a table of
        three columns or more), the header again, or spanning several lines."""
        width = self.facts.width
        return (len(cells) != width or lines > 1 or not any(v.strip() for v in (cells[1:] if width >= 3 else cells))
                or [v.strip() for v in cells] == self.header_cells)

    def keep_row(self, row: Row) -> None:
        facts = self.facts
        if len(facts.rows) < MAX_KEPT_ROWS:
            facts.rows.append(row)
        else:  # counted, and its cells still looked at one by one
            facts.rows_not_kept += 1
            self.keep_plainless(row)

    def keep_plainless(self, row: Row) -> None:
        """The cells of a regular record that are not plain for their column (row-wise readers)."""
        columns = self.facts.columns
        for index, value in enumerate(row.cells[:MAX_COLUMNS]):
            if not value:
                continue
            if index in self.tracked_empty and value.strip():
                self.mark_filled(index)
            if index in self.indexed or not _plain(columns[index].kind if index < len(columns) else "text", value):
                self.tally(index, value, Place(row.record, row.line, index, ""))

    def mark_filled(self, index: int) -> None:
        self.facts.columns[index].filled_later = True
        self.tracked_empty.discard(index)

    def tally(self, column: int, value: str, place: Place, times: int = 1) -> Tally | None:
        values = self.facts.values
        tally = values.get((column, value))
        if tally is None:
            if len(values) >= MAX_KEPT_VALUES:
                self.facts.values_not_kept += times
                return None
            tally = values[(column, value)] = Tally()
        tally.add(place, times)
        return tally

    def finish(self) -> None:
        facts = self.facts
        if not self.ready:
            self.finish_sample()
        header = facts.header_row
        facts.data_rows = facts.records - header if header is not None else 0


def _plain(kind: str, value: str) -> bool:
    """Whether a cell is the plain form of its column, which no judge needs to see: a number in a
    numeric column, a YYYY-MM-DD day in a date column, an ASCII word elsewhere."""
    if kind == "numeric":
        return PLAIN_NUMBER(value) is not None
    if kind == "date":
        return _ISO_DAY(value) is not None
    return value.isascii() and _ASCII_LOOK(value) is None


def _decide(column: ColumnProfile) -> None:
    measured = column.non_empty - column.symbols
    if column.non_empty == 0:
        column.kind = "empty"
    elif measured > 0 and column.iso_dates + column.other_dates >= 0.8 * measured:
        column.kind = "date"
    elif measured > 0 and column.numbers + column.dirty_numbers >= 0.8 * measured:
        column.kind = "numeric"
    else:
        column.kind = "text"
    if DATE_HEADER_RE.search(column.name) and column.kind == "text" and column.other_dates:
        column.kind = "date"


def _count_distinct(column: ColumnProfile, text: str) -> None:
    if column.distinct is not None:
        column.distinct[text] = column.distinct.get(text, 0) + 1
        if len(column.distinct) > DISTINCT_CAP:
            column.distinct = None


def failed(shown: str, fmt: str, size: int, ja: str, en: str) -> DataFileFacts:
    """Facts of a file that could not be read (the reason in both languages)."""
    return DataFileFacts(path=shown, format=fmt, size=size, error=Text(ja=ja, en=en), tabular=False)


def cell_text(value: Any) -> str:
    """A workbook's or JSON document's cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)
