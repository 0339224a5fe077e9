"""Facts about one open-data table: what the data collector read, for the data kinds to judge.

The collector (``collect/data/``) reads and profiles; it decides no problem. It keeps:

- the first ``SAMPLE_ROWS`` records whole (``sample``), with their physical line numbers;
- later records whole when their shape is irregular (``rows``: another field count, blank, only the
  first cell filled, the header again, spanning several lines), up to ``MAX_KEPT_ROWS``;
- later cells that are not plain (``values``), grouped by column and value with a count and their first
  ``OCCURRENCE_CAP`` places: a cell with an unusual character or pattern for delimited text (the
  marks of ``collect/data/marks.py``), every cell that does not fit its column's plain form for XLSX and
  JSON, and every value of the columns named by ``INDEXED_COLUMN_RE``;
- the column profiles of the sample, and the structure of a workbook (merged cells, hidden parts,
  formulas, drawings, comments, emphasised cells) or of a JSON document (nested values).

A judge therefore sees every cell it needs once per distinct value, memory stays bounded by the caps
whatever the file's size, and a new problem type is one module on the judging side (``kinds/data/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from guideline_lint.japanese import shorten
from guideline_lint.model import Text

OCCURRENCE_CAP = 20  # places kept per value, structure item and problem; the rest are only counted
SAMPLE_ROWS = 2000  # records kept whole; they decide each column's type
DISTINCT_CAP = 200  # distinct values counted per column in the sample (choice lists are short)
MAX_KEPT_ROWS = 50_000  # irregular records kept whole after the sample; the rest are only counted
MAX_KEPT_VALUES = 200_000  # distinct (column, value) pairs kept after the sample; the rest only counted
MAX_COLUMNS = 2000

# Columns whose every value is kept (regions and their codes are judged against national lists,
# which no sample can stand for).
INDEXED_COLUMN_RE = re.compile(
    r"^(?:都道府県|都道府県名)$|全国地方公共団体コード|地方公共団体コード|市区町村コード|団体コード")


class Row(NamedTuple):
    """One record: its number in the file (the header is usually 1), the physical line it starts on
    (None for JSON), its cells and how many physical lines it spans."""

    record: int
    line: int | None
    cells: list[str]
    lines: int = 1

    def line_of(self, column: int) -> int | None:
        """The physical line a cell starts on (a quoted cell may hold line breaks)."""
        if self.line is None or self.lines == 1:
            return self.line
        return self.line + sum(c.count("\n") for c in self.cells[:column])


class Place(NamedTuple):
    record: int | None
    line: int | None
    column: int | None  # 0-based
    text: str  # what is there: a cell reference, a formula, a description


@dataclass(slots=True)
class Tally:
    """A count and the first ``OCCURRENCE_CAP`` places of one thing."""

    count: int = 0
    places: list[Place] = field(default_factory=list)

    def add(self, place: Place, times: int = 1) -> None:
        self.count += times
        if len(self.places) < OCCURRENCE_CAP:
            self.places.append(place)


@dataclass(slots=True)
class ColumnProfile:
    """What the sample's data rows (those under the header) hold in one column."""

    index: int
    name: str
    non_empty: int = 0
    numbers: int = 0  # plain numbers
    dirty_numbers: int = 0  # numbers written with separators, units, full-width digits
    symbols: int = 0  # '-', '…', 'x' and the like
    iso_dates: int = 0
    other_dates: int = 0
    leading_zeros: int = 0  # '059': a code, not a quantity
    sampled: int = 0  # cells of the sample, empty ones included
    distinct: dict[str, int] | None = field(default_factory=dict)  # None: more than DISTINCT_CAP values
    kind: str = "text"  # numeric | date | text | empty, decided after the sample
    filled_later: bool = False  # a value in a record after the sample that is not kept whole in ``rows``


@dataclass(slots=True)
class SheetStructure:
    """What a worksheet's XML says beyond the values (openpyxl's read-only mode does not expose it)."""

    state: str = "visible"  # visible | hidden | veryHidden
    merged: Tally = field(default_factory=Tally)  # text: the range, e.g. 'A2:A3'
    hidden_rows: Tally = field(default_factory=Tally)
    hidden_columns: Tally = field(default_factory=Tally)  # text: 'columns 2-3 hidden'
    formulas: Tally = field(default_factory=Tally)  # text: '=C2+C3'
    drawings: int = 0  # images, shapes, charts, text boxes
    comments: int = 0  # cell comments (legacy drawings)
    emphasised: Tally = field(default_factory=Tally)  # data cells with a fill, bold or coloured font
    data_cells: int = 0  # cells with a value below the first row


@dataclass(slots=True, weakref_slot=True, eq=False)  # identity: judged results are kept per table
class DataFileFacts:
    """What the collector read of one table; an XLSX file gives one per worksheet."""

    path: str  # as shown to the user: relative to the repository root, posix
    format: str  # csv | tsv | xlsx | json | other
    size: int = 0
    source: Path | None = None  # the file on disk
    sheet: str | None = None
    siblings: tuple[str, ...] = ()  # names of the other files in the same folder
    encoding: str | None = None  # Python codec used
    encoding_label: str | None = None  # e.g. 'UTF-8 (BOM)', 'Shift_JIS (CP932)'
    bom: bool = False
    delimiter: str | None = None  # for delimited text: the delimiter the file was read with
    error: Text | None = None  # set when the file could not be read; kinds report ERROR
    tabular: bool = True  # False for JSON that is not a list of records, or an empty file
    header: list[str] = field(default_factory=list)
    header_index: int | None = None  # index in ``sample`` of the header record
    width: int = 0
    records: int = 0  # records in the file, header and layout rows included
    lines: int = 0  # physical lines read
    data_rows: int = 0  # records under the header
    sampled_rows: int = 0
    sample: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # irregular records after the sample
    rows_not_kept: int = 0  # irregular records after MAX_KEPT_ROWS
    values: dict[tuple[int, str], Tally] = field(default_factory=dict)  # (column, value) after the sample
    values_not_kept: int = 0  # cells after MAX_KEPT_VALUES distinct pairs
    columns: list[ColumnProfile] = field(default_factory=list)
    structure: SheetStructure | None = None  # XLSX only
    nested: Tally = field(default_factory=Tally)  # JSON: values that are objects or lists
    texts: list[str] = field(default_factory=list)  # JSON that is not a table: its non-ASCII strings
    seconds: float = 0.0

    @property
    def subject(self) -> str:
        return f"{self.path}#{self.sheet}" if self.sheet else self.path

    @property
    def header_record(self) -> Row | None:
        """The header as read: its record number, line and raw cells."""
        return self.sample[self.header_index] if self.header_index is not None else None

    @property
    def header_row(self) -> int | None:
        """The record number of the header (1 unless titles or blank rows come first)."""
        row = self.header_record
        return row.record if row else None

    def column_name(self, index: int | None) -> str | int | None:
        if index is None:
            return None
        if index < len(self.header) and self.header[index].strip():
            return shorten(self.header[index].strip(), 40)  # one line, even for a header with breaks
        return index + 1  # 1-based, as a spreadsheet user counts

