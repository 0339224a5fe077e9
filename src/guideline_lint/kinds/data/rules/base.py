"""What a problem rule is, and where the rules register.

Each rule module decides one concept of the Digital Agency's rules (``PROBLEMS`` names its problem
types) with functions of four scopes, run by ``judge.py`` in registration order:

- ``cell``: a data cell (column, value) -> hits; pure in its arguments, so a value the collector
  grouped is judged once however often it occurs;
- ``header``: a non-empty header cell -> hits (the text rules look at headers too);
- ``row``: a record under the header (sample and irregular records, in file order) -> whether it is
  a data row; a row rule that says False makes it a layout row whose cells are not judged;
- ``table``: the whole table, before the rows (``after_rows=False``) or after them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from guideline_lint import japanese as jp
from guideline_lint.facts.data import OCCURRENCE_CAP, ColumnProfile, DataFileFacts, Row

_TRIM_AT = 1000  # occurrences gathered before the list is cut back to the earliest OCCURRENCE_CAP


class Hit(NamedTuple):
    problem: str
    value: str  # what to show
    note: str | None = None  # e.g. the ISO 8601 form to write instead


class Occurrence(NamedTuple):
    row: int | None  # record number in the file (the header is usually 1)
    line: int | None  # physical line in the file (the sheet row for XLSX)
    column: int | None  # 0-based
    value: str
    note: str | None = None
    value_en: str | None = None  # set when ``value`` is the tool's own words (ja), not a value of the file


def _position(occurrence: Occurrence) -> tuple[int, int]:
    return occurrence.row or 0, occurrence.column or 0


@dataclass(slots=True)
class ProblemLog:
    """How often one problem type occurs in a table, and its earliest OCCURRENCE_CAP places."""

    count: int = 0
    occurrences: list[Occurrence] = field(default_factory=list)

    def add(self, occurrence: Occurrence, times: int = 1) -> None:
        self.count += times
        self.occurrences.append(occurrence)
        if len(self.occurrences) >= _TRIM_AT:
            self.trim()

    def trim(self) -> None:
        self.occurrences.sort(key=_position)  # stable: places on one cell keep their order
        del self.occurrences[OCCURRENCE_CAP:]


class Problems(dict[str, ProblemLog]):
    def __init__(self) -> None:
        super().__init__()
        # The headers of further tables stacked under the first (a title row, then their own header: L1-02), by the
        # record they stand on, so a value below one is named by its own table's column.
        self.headers: list[tuple[int, list[str]]] = []

    def column_name(self, facts: DataFileFacts, row: int | None, column: int | None) -> str | int | None:
        """The name of ``column`` in the table ``row`` belongs to: the header above it, else the file's header."""
        header = next((cells for record, cells in reversed(self.headers) if row is not None and record < row), None)
        if header is None or column is None:
            return facts.column_name(column)
        name = header[column].strip() if column < len(header) else ""
        return jp.shorten(name, 40) if name else column + 1

    def log(self, name: str) -> ProblemLog:
        log = self.get(name)
        if log is None:
            log = self[name] = ProblemLog()
        return log

    def add(self, name: str, row: int | None, column: int | None, value: str, note: str | None = None,
            line: int | None = None, times: int = 1) -> None:
        self.log(name).add(Occurrence(row, line, column, jp.shorten(value), note), times)

    def describe(self, name: str, ja: str, en: str) -> None:
        """A problem of the whole file that has no cell to show (a drawing, comments, a hidden sheet): the tool's own
        words in each language stand for the value."""
        self.log(name).add(Occurrence(None, None, None, ja, None, en))

    def problem(self, name: str) -> ProblemLog:
        return self.get(name) or ProblemLog()


@dataclass(slots=True)
class Table:
    """A table as the rules see it: the facts, the header record and what the row pass found."""

    facts: DataFileFacts
    data_rows: list[Row] = field(default_factory=list)  # sample and kept records judged to be data
    notes: dict[str, Any] = field(default_factory=dict)  # what one rule leaves for a later one

    @property
    def columns(self) -> list[ColumnProfile]:
        return self.facts.columns

    def column(self, index: int) -> ColumnProfile | None:
        columns = self.facts.columns
        return columns[index] if index < len(columns) else None

    def header_cells(self) -> list[str]:
        return [h.strip() for h in self.facts.header]

    def sample_data(self) -> list[Row]:
        """The sample's records under the header, layout rows included."""
        index = self.facts.header_index
        return self.facts.sample[index + 1:] if index is not None else []


CellRule = Callable[[Table, int, str], Iterator[Hit]]
RowRule = Callable[[Table, Row, Problems], bool]
TableRule = Callable[[Table, Problems], None]

CELL_RULES: list[CellRule] = []
HEADER_RULES: list[CellRule] = []
ROW_RULES: list[RowRule] = []
TABLE_RULES: list[TableRule] = []
FINAL_RULES: list[TableRule] = []
PROBLEM_TYPES: set[str] = set()


def problems(*names: str) -> None:
    """Declares the problem types a rule module decides (check YAML names them in ``data_problems``)."""
    PROBLEM_TYPES.update(names)


def cell_rule(function: CellRule) -> CellRule:
    CELL_RULES.append(function)
    return function


def header_rule(function: CellRule) -> CellRule:
    HEADER_RULES.append(function)
    return function


def row_rule(function: RowRule) -> RowRule:
    ROW_RULES.append(function)
    return function


def table_rule(after_rows: bool = False) -> Callable[[TableRule], TableRule]:
    def register(function: TableRule) -> TableRule:
        (FINAL_RULES if after_rows else TABLE_RULES).append(function)
        return function
    return register
