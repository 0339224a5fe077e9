"""Reading CSV and TSV: the sample record by record, the rest of the file in blocks.

The first ``SAMPLE_ROWS`` records are read with ``csv.reader`` and kept whole. The rest is read in
blocks of ``BLOCK_CHARS`` characters: a block without quotes is split with ``str`` methods, a block
with quotes goes through ``csv.reader``. In each block, records of an irregular shape are kept whole,
every value of an indexed column is counted, and the cells at a lexical mark (``marks.py``) are kept.
Every record keeps the physical line it starts on, so positions match the file in an editor.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections import Counter
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from guideline_lint.collect.data import marks
from guideline_lint.collect.data.encoding import open_text
from guideline_lint.collect.data.profile import TableBuilder
from guideline_lint.facts.data import MAX_COLUMNS, OCCURRENCE_CAP, SAMPLE_ROWS, DataFileFacts, Place, Row
from guideline_lint.model import Text

BLOCK_CHARS = 2 * 1024 * 1024
SNIFF_CHARS = 16 * 1024
SNIFF_LINES = 20
MAX_RECORD_CHARS = 16 * 1024 * 1024  # a quoted field never closed: stop waiting for its end


def scan_delimited(path: Path, shown: str, delimiter: str, fmt: str, size: int) -> DataFileFacts:
    facts = DataFileFacts(path=shown, format=fmt, size=size, delimiter=delimiter)
    stream = open_text(path, facts)
    if stream is None:
        return facts
    if fmt == "csv":  # a '.csv' written with tabs or semicolons would read as one column
        head = stream.read(SNIFF_CHARS)
        stream.seek(0)
        delimiter = facts.delimiter = sniff_delimiter(head) or delimiter
    builder = TableBuilder(facts)
    with stream:
        try:
            _read(stream, delimiter, facts, builder)
        except csv.Error as exc:
            facts.error = Text(ja=f"CSV として読めません（{facts.lines + 1} 行目付近）: {exc}",
                               en=f"cannot be parsed as CSV (near line {facts.lines + 1}): {exc}")
    return facts


def sniff_delimiter(head: str) -> str | None:
    """The delimiter of a '.csv' that is not comma-separated: the first lines hold no comma outside
    quotes but the same number (one or more) of tabs or of semicolons. None for a comma-separated file."""
    lines = [line for line in head.split("\n")[:SNIFF_LINES] if line.strip()]
    if len(head) == SNIFF_CHARS and len(lines) > 1:
        lines.pop()  # the last line may be cut
    if not lines:
        return None
    unquoted = [re.sub(r'"[^"]*"', "", line) for line in lines]
    if any("," in line for line in unquoted[:1]):
        return None
    for candidate in ("\t", ";", "|"):
        counts = {line.count(candidate) for line in unquoted}
        if len(counts) == 1 and counts.pop() > 0:
            return candidate
    return None


def _read(stream: io.TextIOWrapper, delimiter: str, facts: DataFileFacts, builder: TableBuilder) -> None:
    reader = csv.reader(stream, delimiter=delimiter)
    for cells in reader:
        facts.records += 1
        builder.add(Row(facts.records, facts.lines + 1, cells, reader.line_num - facts.lines))
        facts.lines = reader.line_num
        if facts.records >= SAMPLE_ROWS:
            break
    if not builder.ready:
        builder.finish_sample()
    if facts.records >= SAMPLE_ROWS:
        _stream_blocks(stream, delimiter, facts, builder)
    builder.finish()


def _stream_blocks(stream: io.TextIOWrapper, delimiter: str, facts: DataFileFacts, builder: TableBuilder) -> None:
    block = _Block(delimiter, facts, builder)
    carry = ""
    while True:
        text = stream.read(BLOCK_CHARS)
        if not text:
            if carry:
                block.scan(carry if carry.endswith("\n") else carry + "\n")
            return
        data = carry + text
        cut = data.rfind("\n") + 1
        if cut == 0 and len(data) < MAX_RECORD_CHARS:
            carry = data
            continue
        part, rest = (data[:cut], data[cut:]) if cut else (data + "\n", "")
        if '"' in part and part.count('"') % 2 and len(data) < MAX_RECORD_CHARS:
            carry = data  # a quoted field goes on past this block
            continue
        block.scan(part)
        carry = rest


class _Block:
    """Scans one block of whole records after the sample."""

    def __init__(self, delimiter: str, facts: DataFileFacts, builder: TableBuilder) -> None:
        self.delimiter = delimiter
        self.facts = facts
        self.builder = builder
        self.candidates = marks.candidate_re(delimiter)
        self.lone_hyphen = marks.lone_hyphen_re(delimiter)
        self.field_res: dict[int, re.Pattern[str]] = {}
        # per block
        self.rows: list[list[str]] | None = None
        self.lines: list[str] | None = None
        self.ends: list[int] | None = None  # line each record ends on, when some span lines
        self.base = 0
        self.base_line = 0
        self.full: set[int] = set()
        self.seen: set[tuple[int, int]] = set()

    def record_line(self, i: int) -> int:
        ends = self.ends
        return self.base_line + (ends[i - 1] if i and ends is not None else i) + 1

    def scan(self, part: str) -> None:
        facts, d = self.facts, self.delimiter
        self.base, self.base_line = facts.records, facts.lines
        self.seen.clear()
        if "\r" in part:
            part = part.replace("\r\n", "\n")
        self.rows = self.lines = self.ends = None
        simple = _without_simple_quotes(part, d, facts.width) if '"' in part else None
        if simple is not None:
            part, self.lines = simple  # quotes that only wrap plain values: drop them and split fast
        elif '"' in part:
            self.rows, self.ends = _parse_quoted(part, d)
        else:
            self.lines = part.split("\n")
            self.lines.pop()  # the block ends with a newline
        count = len(self.rows) if self.rows is not None else len(self.lines or [])
        self.full = self._irregular(part)
        for i in sorted(self.full):
            span = self.ends[i] - (self.ends[i - 1] if i else 0) if self.ends is not None else 1
            self.builder.keep_row(Row(self.base + i + 1, self.record_line(i), self._cells(i), span))
        if self.builder.tracked_empty:
            self._track_empty(count)
        for index in self.builder.indexed:
            self._index_column(index, part)
        self._scan_marks(part, self.candidates)
        if self.rows is not None:  # numbers with separators can only hide in quoted fields
            self._scan_marks(part, marks.QUOTED_NUMBER_RE)
        if marks.has_lone_hyphen(part, d):
            self._scan_marks(part, self.lone_hyphen)
        facts.records += count
        facts.lines += part.count("\n")

    def _cells(self, i: int) -> list[str]:
        return self.rows[i] if self.rows is not None else self.lines[i].split(self.delimiter)  # type: ignore[index]

    def _irregular(self, part: str) -> set[int]:
        """Records kept whole: another field count, blank or only the first cell filled, the header again,
        several lines. Each test runs in C over the whole block; the rare hits are then found."""
        width, d = self.facts.width, self.delimiter
        header = self.builder.header_cells
        full: set[int] = set()
        if self.rows is not None:
            rows = self.rows
            lengths = list(map(len, rows))
            if lengths.count(width) != len(lengths):
                full.update(i for i, n in enumerate(lengths) if n != width)
            if self.ends is not None:
                ends = self.ends
                full.update(i for i, end in enumerate(ends) if end - (ends[i - 1] if i else 0) > 1)
            tail = [""] * (width - 1)
            if width >= 2 and any(map(tail.__eq__, map(itemgetter(slice(1, None)), rows))):
                full.update(i for i, cells in enumerate(rows) if cells[1:] == tail)
            if header and header in rows:
                full.update(i for i, cells in enumerate(rows) if cells == header)
        else:
            lines = self.lines or []
            expected = width - 1
            counts = list(map(str.count, lines, repeat(d)))  # no bytecode per line
            if counts.count(expected) != len(counts):
                full.update(i for i, n in enumerate(counts) if n != expected)
            empties = d * expected
            if (width >= 3 and (empties + "\n") in part) or lines.count(empties) or lines.count(""):
                full.update(i for i, line in enumerate(lines) if line.endswith(empties) or not line)
            joined = d.join(header)
            if header and joined in part:  # a plain substring search first; the lines only on a hit
                full.update(i for i, line in enumerate(lines) if line == joined)
        return full

    def _track_empty(self, count: int) -> None:
        builder = self.builder
        for i in range(count):
            if i in self.full:
                continue
            cells = self._cells(i)
            for index in list(builder.tracked_empty):
                if index < len(cells) and cells[index].strip():
                    builder.mark_filled(index)
            if not builder.tracked_empty:
                return

    def _column_values(self, index: int, part: str) -> list[str]:
        if self.rows is not None:
            try:
                return list(map(itemgetter(index), self.rows))
            except IndexError:  # a short row
                return [cells[index] if index < len(cells) else "" for cells in self.rows]
        d = self.delimiter
        if index not in self.field_res:
            e = re.escape(d)
            # A leading literal newline lets the engine jump from line to line at C speed.
            self.field_res[index] = re.compile(rf"\n(?:[^{e}\n]*{e}){{{index}}}([^{e}\n]*)")
        values = self.field_res[index].findall("\n" + part)[:-1]  # nothing follows the last newline
        if len(values) != part.count("\n"):  # a line with fewer fields: do it the slow way
            values = [line.split(d)[index] if line.count(d) >= index else "" for line in part.split("\n")[:-1]]
        return values

    def _index_column(self, index: int, part: str) -> None:
        """Every value of an indexed column: counted at C speed, places looked up only while a value
        has fewer than OCCURRENCE_CAP."""
        values = self._column_values(index, part)
        counts = Counter(values)
        for i in self.full:
            if i < len(values):
                counts[values[i]] -= 1
        counts.pop("", None)
        known = self.facts.values
        for value, times in counts.items():
            if times <= 0:
                continue
            tally = known.get((index, value))
            wanted = OCCURRENCE_CAP - len(tally.places) if tally is not None else OCCURRENCE_CAP
            places: list[Place] = []
            start = 0
            while len(places) < min(wanted, times):
                i = values.index(value, start)
                start = i + 1
                if i not in self.full:
                    places.append(Place(self.base + i + 1, self.record_line(i), index, ""))
            first = places[0] if places else Place(None, None, index, "")
            tally = self.builder.tally(index, value, first, times)
            if tally is not None and len(places) > 1:
                room = OCCURRENCE_CAP - len(tally.places)
                tally.places.extend(places[1:1 + room])

    def _keep(self, i: int, column: int, value: str) -> None:
        if not value or column >= MAX_COLUMNS or column in self.builder.indexed or (i, column) in self.seen:
            return
        self.seen.add((i, column))
        self.builder.tally(column, value, Place(self.base + i + 1, self.record_line(i), column, ""))

    def _scan_marks(self, part: str, pattern: re.Pattern[str]) -> None:
        rows, ends, lines, d = self.rows, self.ends, self.lines, self.delimiter
        line_no = 0
        line_start = 0
        checked: set[int] = set()
        for m in pattern.finditer(part):
            pos = m.start()
            line_no += part.count("\n", line_start, pos)
            line_start = part.rfind("\n", 0, pos) + 1
            if rows is not None:
                index = bisect.bisect_left(ends, line_no + 1) if ends is not None else line_no
                if index >= len(rows) or index in self.full or index in checked:
                    continue
                checked.add(index)
                for column, value in enumerate(rows[index]):
                    self._keep(index, column, value)
            elif lines is not None:
                if line_no in self.full or line_no >= len(lines):
                    continue
                line = lines[line_no]
                column = part.count(d, line_start, pos)
                offset = pos - line_start
                cell_start = line.rfind(d, 0, offset) + 1
                cell_end = line.find(d, offset)
                self._keep(line_no, column, line[cell_start: cell_end if cell_end >= 0 else len(line)])


def _without_simple_quotes(part: str, delimiter: str, width: int) -> tuple[str, list[str]] | None:
    """The block without its quotes and its lines, when every quote sits at a field's edge and no
    field holds a delimiter or a line break (the usual fully-quoted export); else None."""
    edges = (part.count(delimiter + '"') + part.count('"' + delimiter) + part.count('\n"') + part.count('"\n')
             + part.startswith('"'))
    if edges != part.count('"'):
        return None
    stripped = part.replace('"', "")
    lines = stripped.split("\n")
    lines.pop()
    if list(map(str.count, lines, repeat(delimiter))).count(width - 1) != len(lines):
        return None  # a delimiter or line break inside a quoted value: let csv.reader read it
    return stripped, lines


def _parse_quoted(part: str, delimiter: str) -> tuple[list[list[str]], list[int] | None]:
    """The records of a block with quotes, and the line each ends on (None: one record per line)."""
    rows = list(csv.reader(io.StringIO(part), delimiter=delimiter))
    if len(rows) == part.count("\n"):
        return rows, None
    reader = csv.reader(io.StringIO(part), delimiter=delimiter)
    ends = [reader.line_num for _ in reader]
    return rows, ends
