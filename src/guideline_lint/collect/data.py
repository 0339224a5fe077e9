"""Collects facts about open-data files (CSV/TSV, XLSX, JSON) for the data kinds to judge.

One streaming pass per file computes everything the data checks need (Lighthouse style): the
encoding, the header and layout rows, a profile of every column (numeric, date or text) and, per
problem type, a count plus the first occurrences with row, column and value. Kinds only judge
these facts, so a new data check is mostly YAML.

Speed (issue 4: at least 40 MiB/s with flat memory): the first ``SAMPLE_ROWS`` records are read
with ``csv.reader`` and analysed cell by cell; they decide each column's type. The rest of the file
is read in blocks of ``BLOCK_CHARS`` characters: a block without quotes is split with ``str``
methods, a block with quotes goes through ``csv.reader``; one regular expression then finds the
few places that may hold a problem (machine-dependent characters, full-width digits, units after
digits, era names, slash dates, quoted numbers with separators, symbols, edge spaces), and only
the cells there are analysed. Memory is bounded by the block size and the occurrence caps.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from guideline_lint import japanese as jp
from guideline_lint.model import Text

OCCURRENCE_CAP = 20  # occurrences kept per problem and file; the rest are only counted
SAMPLE_ROWS = 2000  # records analysed cell by cell; they decide each column's type
BLOCK_CHARS = 2 * 1024 * 1024
MAX_RECORD_CHARS = 16 * 1024 * 1024  # a quoted field never closed: stop waiting for its end
MAX_JSON_BYTES = 200 * 1024 * 1024
MAX_XLSX_BYTES = 500 * 1024 * 1024
MAX_COLUMNS = 2000
DISTINCT_CAP = 200  # distinct values kept per column (choice lists are short)

FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json",
           ".geojson": "json"}
# Formats a person reads or prints, not a machine (rule L1-01).
NOT_MACHINE_READABLE = {".pdf", ".doc", ".docx", ".ppt", ".pptx", ".jpg", ".jpeg", ".png", ".gif", ".html",
                        ".htm", ".xls", ".jtd", ".rtf", ".tif", ".tiff"}
OTHER_MACHINE_READABLE = {".ods", ".xml", ".rdf", ".ttl", ".geojson", ".kml", ".shp", ".zip"}

NOTE_PREFIXES = ("※", "注", "（注", "(注", "出典", "資料", "＊", "*", "備考：", "備考:", "（備考", "Note", "Source")
DATE_HEADER_RE = re.compile(r"(年月日|日付|年月|日時|date|Date|DATE|_日$|日$)")
UNIT_IN_HEADER_RE = re.compile(
    r"[（(\[［【][^）)\]］】]*[）)\]］】]|_単位|単位|率|割合|比|数|額|量|人|円|件|%|％|㎡|m|km|kg|時間|"
    r"コード|番号|ID|id|No|NO|緯度|経度|年|月|日|時|順位|指数|倍"
)
WIDE_HEADER_RE = re.compile(
    r"^(?:(?:19|20)\d{2}(?:年度?|年?\d{1,2}月)?|(?:令和|平成|昭和)(?:元|\d{1,2})年度?|[RHS]\d{1,2}|"
    r"\d{1,2}月|(?:19|20)\d{2}[-/]\d{1,2})(?:.{0,6})$"
)
# Columns of codes and flags: numbers without a unit by nature (L3-04 does not ask for one).
# A long-format table states the unit of each row in a column of its own (年度, 項目, 値, 単位).
UNIT_COLUMN_RE = re.compile(r"^\s*(?:単位|単位名|unit|units)\s*$", re.IGNORECASE)
CODE_LIKE_HEADER_RE = re.compile(r"(区分|種別|類型|分類|コード|番号|有無|フラグ|flag|Flag|FLAG|ID|Id|id|No|NO|識別子)")
CODE_TABLE_HEADER_RE = re.compile(r"(区分|種別|類型|分類|コード|code|Code|CODE)")  # values need a code table (L3-02)
PREFECTURE_HEADER_RE = re.compile(r"^(都道府県|都道府県名)$")
CODE_HEADER_RE = re.compile(r"(全国地方公共団体コード|地方公共団体コード|市区町村コード|団体コード)")


# Every problem type the collector records (check YAML names them in `data_problems`).
PROBLEM_TYPES = frozenset({
    # layout and header
    "title_row", "leading_blank_row", "header_not_first", "blank_row", "section_row", "notes_row",
    "repeated_header", "empty_column", "column_count", "header_empty", "header_auto_name", "header_duplicate",
    "header_multirow", "wide_header",
    # cells
    "line_break", "csv_multiline", "multi_value", "nested_value", "edge_space", "spaced_word",
    "machine_dependent", "invalid_bytes", "dirty_number", "text_in_number", "special_symbol", "wareki_date",
    "nonstandard_date", "region_name", "region_code", "omitted_value", "choice_variants", "other_detail",
    # XLSX structure
    "merged_cell", "hidden", "formula", "object", "comment", "styled_cell",
})


# --------------------------------------------------------------------------- facts


@dataclass(slots=True)
class Occurrence:
    row: int | None  # 1-based record number in the file (the header is usually row 1)
    column: int | None  # 0-based column index
    value: str
    note: str | None = None  # e.g. the ISO 8601 form to write instead


@dataclass(slots=True)
class ProblemLog:
    count: int = 0
    occurrences: list[Occurrence] = field(default_factory=list)

    def add(self, row: int | None, column: int | None, value: str, note: str | None = None) -> None:
        self.count += 1
        if len(self.occurrences) < OCCURRENCE_CAP:
            self.occurrences.append(Occurrence(row, column, jp.shorten(value), note))


@dataclass(slots=True)
class ColumnProfile:
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

    def decide(self) -> None:
        measured = self.non_empty - self.symbols
        if self.non_empty == 0:
            self.kind = "empty"
        elif measured > 0 and self.iso_dates + self.other_dates >= 0.8 * measured:
            self.kind = "date"
        elif measured > 0 and self.numbers + self.dirty_numbers >= 0.8 * measured:
            self.kind = "numeric"
        else:
            self.kind = "text"


@dataclass(slots=True)
class DataFileFacts:
    """What one pass over one table found; an XLSX file gives one per worksheet."""

    path: str  # as shown to the user: relative to the repository root, posix
    format: str  # csv | tsv | xlsx | json | other
    size: int = 0
    source: Path | None = None  # the file on disk
    sheet: str | None = None
    encoding: str | None = None  # Python codec used
    encoding_label: str | None = None  # e.g. 'UTF-8 (BOM)', 'Shift_JIS (CP932)'
    bom: bool = False
    error: Text | None = None  # set when the file could not be read; kinds report ERROR
    tabular: bool = True  # False for JSON that is not a list of records
    header: list[str] = field(default_factory=list)
    header_row: int | None = None  # 1-based record number of the header
    width: int = 0
    records: int = 0  # records in the file, header and layout rows included
    data_rows: int = 0
    sampled_rows: int = 0
    columns: list[ColumnProfile] = field(default_factory=list)
    problems: dict[str, ProblemLog] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def subject(self) -> str:
        return f"{self.path}#{self.sheet}" if self.sheet else self.path

    def problem(self, name: str) -> ProblemLog:
        return self.problems.get(name) or ProblemLog()

    def log(self, name: str) -> ProblemLog:
        if name not in self.problems:
            self.problems[name] = ProblemLog()
        return self.problems[name]

    def column_name(self, index: int | None) -> str | int | None:
        if index is None:
            return None
        if index < len(self.header) and self.header[index].strip():
            return jp.shorten(self.header[index].strip(), 40)  # one line, even for a header with breaks
        return index + 1  # 1-based, as a spreadsheet user counts


# --------------------------------------------------------------------------- entry points


def collect_service_data(patterns: list[str], repo_root: Path, extra_paths: list[Path]) -> list[DataFileFacts]:
    """Facts for every file the manifest's globs name (inside ``repo_root`` only) and every extra path."""
    root = repo_root.resolve()
    seen: set[Path] = set()
    found: list[tuple[Path, str]] = []
    for pattern in patterns:
        clean = pattern.lstrip("/")
        if ".." in Path(clean).parts:
            continue  # never outside the repository
        for path in sorted(root.glob(clean)):
            resolved = path.resolve()
            if not resolved.is_file() or not resolved.is_relative_to(root) or resolved in seen:
                continue
            seen.add(resolved)
            found.append((resolved, resolved.relative_to(root).as_posix()))
    for extra in extra_paths:
        resolved = extra.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        shown = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(extra)
        found.append((resolved, shown))
    facts: list[DataFileFacts] = []
    for path, shown in found:
        facts.extend(scan_file(path, shown))
    return facts


def scan_file(path: Path, shown: str | None = None) -> list[DataFileFacts]:
    """Facts for one file (one per worksheet for XLSX). Problems reading it become ``error``."""
    shown = shown or path.name
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix, "other")
    started = time.perf_counter()
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [_failed(shown, fmt, 0, f"読み込めません: {exc.strerror}", f"cannot be read: {exc.strerror}")]
    if fmt == "other" or (suffix == ".geojson" and size > MAX_JSON_BYTES):
        return [DataFileFacts(path=shown, format="other", size=size, tabular=False)]
    try:
        if fmt in ("csv", "tsv"):
            results = [_scan_delimited(path, shown, "\t" if fmt == "tsv" else ",", fmt, size)]
        elif fmt == "xlsx":
            results = _scan_xlsx(path, shown, size)
        else:
            results = [_scan_json(path, shown, size)]
    except OSError as exc:
        return [_failed(shown, fmt, size, f"読み込めません: {exc}", f"cannot be read: {exc}")]
    for facts in results:
        facts.seconds = time.perf_counter() - started
        facts.source = path
    return results


def _failed(shown: str, fmt: str, size: int, ja: str, en: str) -> DataFileFacts:
    return DataFileFacts(path=shown, format=fmt, size=size, error=Text(ja=ja, en=en), tabular=False)


# --------------------------------------------------------------------------- cell-by-cell analysis


class TableAnalyzer:
    """Judges rows of one table: layout rows, header, column profiles and cell problems.

    ``sample`` collects the first rows; ``finish_sample`` decides the header and column types and
    analyses the sample; ``cell`` and ``row`` then analyse later rows (all of them for XLSX and
    JSON, the candidates only for large CSV files)."""

    def __init__(self, facts: DataFileFacts) -> None:
        self.facts = facts
        self.sample: list[tuple[int, list[str], bool]] = []  # (record number, cells, spans lines)
        self.ready = False
        self._empty_columns: set[int] = set()
        self._prefecture_columns: set[int] = set()
        self._code_columns: set[int] = set()
        self._seen: set[tuple[int, int]] = set()  # cells analysed in the current block
        self._last_blank = -1  # record number of the last blank row

    # ---- sample and header

    def add_sample(self, record: int, cells: list[str], multiline: bool = False) -> None:
        self.sample.append((record, cells, multiline))

    def finish_sample(self) -> None:
        facts = self.facts
        rows = self.sample
        nonblank = [(r, c, m) for r, c, m in rows if any(v.strip() for v in c)]
        if not nonblank:
            facts.tabular = bool(rows)
            self.ready = True
            return
        widest = max(sum(1 for v in c if v.strip()) for _, c, _ in nonblank)
        start = 0
        # Title rows above the header: one filled cell in a wider table (L3-01, L1-04).
        while start < len(nonblank) - 1 and widest >= 3 and sum(1 for v in nonblank[start][1] if v.strip()) == 1:
            record, cells, _ = nonblank[start]
            facts.log("title_row").add(record, 0, next(v for v in cells if v.strip()))
            start += 1
        header_record, header, _ = nonblank[start]
        for record, cells, _ in rows:
            if record >= header_record:
                break
            if not any(v.strip() for v in cells):
                facts.log("leading_blank_row").add(record, None, "")
        facts.header_row = header_record
        facts.header = [h for h in header[:MAX_COLUMNS]]
        facts.width = len(facts.header)
        if header_record != 1:
            facts.log("header_not_first").add(header_record, None, ",".join(header)[:60])
        facts.columns = [ColumnProfile(i, h.strip()) for i, h in enumerate(facts.header)]
        self._check_header()
        data = [(r, c, m) for r, c, m in rows if r > header_record]
        for _, cells, _ in data:
            self._profile(cells)
        for column in facts.columns:
            column.decide()
            if DATE_HEADER_RE.search(column.name) and column.kind == "text" and column.other_dates:
                column.kind = "date"
        self._check_multirow_header(data)
        self._empty_columns = {c.index for c in facts.columns if c.kind == "empty" and not c.name}
        self._prefecture_columns = {c.index for c in facts.columns if PREFECTURE_HEADER_RE.match(c.name)}
        self._code_columns = {c.index for c in facts.columns if CODE_HEADER_RE.search(c.name)}
        self.ready = True
        for record, cells, multiline in data:
            self.row(record, cells, multiline)
        self._check_omitted(data)
        self._check_choices()
        self.sample = []
        self._seen.clear()

    def _check_header(self) -> None:
        facts = self.facts
        seen: dict[str, int] = {}
        for i, name in enumerate(facts.header):
            label = name.strip()
            row = facts.header_row
            if not label:
                facts.log("header_empty").add(row, i, "")
                continue
            if re.fullmatch(r"(?:列|Column|column|Unnamed:?\s*|field|Field|項目)\s*\d+", label):
                facts.log("header_auto_name").add(row, i, label)
            if label in seen:
                facts.log("header_duplicate").add(row, i, label, f"= {seen[label] + 1}")
            seen.setdefault(label, i)
            if "\n" in name or "\r" in name:
                facts.log("line_break").add(row, i, name)
            self._text_problems(row, i, name)
            era = jp.WAREKI_KANJI_RE.search(label) or _HEADER_ERA_LETTER_RE.search(label)
            if era:
                converted = jp.wareki_to_iso(era.group())
                facts.log("wareki_date").add(row, i, label, f"{era.group()} → {converted}" if converted else None)
            if WIDE_HEADER_RE.match(label):
                facts.log("wide_header").add(row, i, label)

    def _check_multirow_header(self, data: list[tuple[int, list[str], bool]]) -> None:
        """A second header row: text where the columns below hold numbers (L2-03), or a header
        with blank cells that the next row fills in (merged header cells)."""
        if len(data) < 2:
            return
        record, first, _ = data[0]
        numeric = [c for c in self.facts.columns if c.kind in ("numeric", "date")]
        texty = [c.index for c in numeric if c.index < len(first) and first[c.index].strip()
                 and not jp.numeric_like(first[c.index]) and not jp.classify_date(first[c.index])
                 and first[c.index].strip() not in jp.SPECIAL_SYMBOLS]
        blanks = [i for i, h in enumerate(self.facts.header) if not h.strip()]
        fills = [i for i in blanks if i < len(first) and first[i].strip()]
        if texty and (len(texty) * 2 >= len(numeric) or fills):
            self.facts.log("header_multirow").add(record, texty[0], first[texty[0]])

    def _profile(self, cells: list[str]) -> None:
        for column, value in zip(self.facts.columns, cells, strict=False):
            column.sampled += 1
            if _PLAIN_MATCH(value):
                column.non_empty += 1
                column.numbers += 1
                if len(value) > 1 and value[0] == "0" and value[1].isdigit():
                    column.leading_zeros += 1
                self._count_distinct(column, value)
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
            date = jp.classify_date(text) if _DATE_HINT(text) else None
            if date:
                if date[0] == "iso":
                    column.iso_dates += 1
                else:
                    column.other_dates += 1
            self._count_distinct(column, text)

    @staticmethod
    def _count_distinct(column: ColumnProfile, text: str) -> None:
        if column.distinct is not None:
            column.distinct[text] = column.distinct.get(text, 0) + 1
            if len(column.distinct) > DISTINCT_CAP:
                column.distinct = None

    # ---- rows and cells after the header

    def row(self, record: int, cells: list[str], multiline: bool = False) -> None:
        """A whole data row: layout checks plus every cell."""
        facts = self.facts
        self._seen.clear()  # a whole row is never visited twice; keeps memory flat for big sheets
        facts.data_rows += 1
        if not self._layout(record, cells):
            return
        if multiline:
            for i, value in enumerate(cells):
                if "\n" in value or "\r" in value:
                    facts.log("csv_multiline").add(record, i, value)
        for i, value in enumerate(cells[:MAX_COLUMNS]):
            if value:
                self.cell(record, i, value)
            if i in self._empty_columns and value.strip():
                self._empty_columns.discard(i)

    def _layout(self, record: int, cells: list[str]) -> bool:
        """Layout checks of one row; False when the row is not a data row (blank, note, title)."""
        facts = self.facts
        filled = [i for i, v in enumerate(cells) if v.strip()]
        after_blank = self._last_blank == record - 1
        if not filled:
            facts.log("blank_row").add(record, None, "")
            self._last_blank = record
            return False
        if len(cells) != facts.width and facts.width:
            facts.log("column_count").add(record, None, ",".join(cells),
                                          f"{len(cells)} / {facts.width}")
        if facts.width >= 3 and len(filled) == 1 and filled[0] == 0:
            first = cells[0].strip()
            if first.startswith(NOTE_PREFIXES):
                facts.log("notes_row").add(record, 0, first)
                return False
            # A lone first cell after a blank row, or text where the first column holds numbers or
            # dates, starts another table; otherwise it is a data row with empty optional cells.
            kind = facts.columns[0].kind if facts.columns else "text"
            if after_blank or (kind in ("numeric", "date") and not jp.numeric_like(first)
                               and not jp.classify_date(first)):
                facts.log("section_row").add(record, 0, first)
                return False
        if [v.strip() for v in cells] == [h.strip() for h in facts.header] and facts.header:
            facts.log("repeated_header").add(record, None, ",".join(cells))
            return False
        return True

    def cell(self, record: int, index: int, value: str) -> None:
        """Every problem one cell has, judged with its column's type."""
        if (record, index) in self._seen:
            return
        self._seen.add((record, index))
        facts = self.facts
        column = facts.columns[index] if index < len(facts.columns) else None
        kind = column.kind if column else "text"
        if kind == "numeric" and _PLAIN_MATCH(value) is not None:  # the common case: little to look at
            if index in self._code_columns and not jp.local_government_code_ok(value):
                facts.log("region_code").add(record, index, value)
            return
        text = value.strip()
        if "\n" in value or "\r" in value:
            facts.log("line_break").add(record, index, value)
        self._text_problems(record, index, value)
        if not text:
            return
        if kind == "numeric":
            if text in jp.SPECIAL_SYMBOLS:
                facts.log("special_symbol").add(record, index, text)
            else:
                problem = jp.classify_number(text)
                if problem:
                    facts.log("dirty_number").add(record, index, text, f"→ {problem[1]}")
                elif not jp.is_plain_number(text):
                    self._non_number(record, index, text)
        date = jp.classify_date(text) if _DATE_HINT(text) else None
        if date and date[0] == "wareki":
            facts.log("wareki_date").add(record, index, text, f"→ {date[1]}")
        elif date and date[0] != "iso":
            facts.log("nonstandard_date").add(record, index, text, f"→ {date[1]}")
        elif kind == "date" and not date:
            if jp.contains_wareki(text):
                facts.log("wareki_date").add(record, index, text)
            elif _several_values(text):
                facts.log("multi_value").add(record, index, text)
        if index in self._prefecture_columns and text not in jp.PREFECTURES:
            official = jp.official_prefecture(text)
            facts.log("region_name").add(record, index, text, f"→ {official}" if official else None)
        elif index in self._code_columns and not jp.local_government_code_ok(text):
            facts.log("region_code").add(record, index, text)

    def _non_number(self, record: int, index: int, text: str) -> None:
        if _several_values(text):
            self.facts.log("multi_value").add(record, index, text)
        elif jp.FULLWIDTH_DIGIT_RE.search(text) or re.search(r"\d", text):
            self.facts.log("dirty_number").add(record, index, text)
        else:
            self.facts.log("text_in_number").add(record, index, text)

    def _text_problems(self, record: int | None, index: int, value: str) -> None:
        facts = self.facts
        if not value.isascii():
            for ch, category in jp.machine_dependent_chars(value):
                if category == "invalid_bytes":
                    facts.log("invalid_bytes").add(record, index, value)
                else:
                    facts.log("machine_dependent").add(record, index, value,
                                                       f"{ch} → {jp.suggest_replacement(ch)}")
                    break
            if ("\u3000" in value or " " in value) and jp.is_spaced_word(value):
                facts.log("spaced_word").add(record, index, value, value.replace(" ", "").replace("\u3000", ""))
                return
        if value and (value[0] in _EDGE_SPACES or value[-1] in _EDGE_SPACES) and value.strip(_EDGE_SPACES):
            facts.log("edge_space").add(record, index, value.replace(" ", "␣").replace("\u3000", "□"))

    # ---- whole-table checks on the sample

    def _check_omitted(self, data: list[tuple[int, list[str], bool]]) -> None:
        """Values left out because the row above has them (L2-02): blanks under a value in the
        two leading key columns of rows that otherwise hold data (layout rows are skipped)."""
        header = [h.strip() for h in self.facts.header]
        rows = [(r, c) for r, c, _ in data
                if sum(1 for v in c if v.strip()) > 1 and [v.strip() for v in c] != header]
        for column in self.facts.columns[:2]:
            if column.kind not in ("text", "numeric"):
                continue
            seen_value = False
            values: set[str] = set()
            omitted: list[int] = []
            for record, cells in rows:
                value = cells[column.index].strip() if column.index < len(cells) else ""
                if value:
                    seen_value = True
                    values.add(value)
                elif seen_value:
                    omitted.append(record)
            flag_column = column.index > 0 and len(values) < 2  # e.g. a '1 or blank' flag
            if not flag_column and len(omitted) >= 2 and len(omitted) >= 0.2 * len(rows):
                for record in omitted:
                    self.facts.log("omitted_value").add(record, column.index, "")

    def _check_choices(self) -> None:
        """Choice columns (few distinct values) whose values differ only in width, spaces or
        case (L2-04), or that mix 'その他' with details (L2-05)."""
        for column in self.facts.columns:
            values = column.distinct
            if not values or column.kind != "text" or len(values) > 30 or column.non_empty < 2 * len(values):
                continue
            groups: dict[str, list[str]] = {}
            for value in values:
                key = re.sub(r"[\s\u3000]", "", _nfkc(value)).lower()
                groups.setdefault(key, []).append(value)
            for variants in groups.values():
                if len(variants) > 1:
                    self.facts.log("choice_variants").add(None, column.index, " / ".join(sorted(variants)))
            for value in values:
                if re.match(r"その他.+", value) and not re.fullmatch(r"その他(?:の\S{1,6})?", value):
                    self.facts.log("other_detail").add(None, column.index, value)

    def finish(self) -> None:
        if not self.ready:
            self.finish_sample()
        for index in sorted(self._empty_columns):
            column = self.facts.columns[index]
            if column.kind == "empty" and not column.name:
                self.facts.log("empty_column").add(None, index, "")


_HEADER_ERA_LETTER_RE = re.compile(r"(?<![A-Za-z0-9])" + jp.WAREKI_LETTER_RE.pattern)  # not 'PM2.5'
_PLAIN_MATCH = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch  # the common cell, tested first
_DATE_HINT = re.compile(r"[/年月.\-]|^[RHSTMrhstm令平昭大明]").search  # cells that may be dates
_EDGE_SPACES = " \u3000\t"


def _nfkc(value: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", value)


_SEVERAL_RE = re.compile(r"[0-9０-９].*(?:[、,，;；/／・～〜~]|\s)\s*[0-9０-９]")


def _several_values(text: str) -> bool:
    """'10、20' or '2023/4/1～2023/5/1': more than one number or date in one cell (L1-07)."""
    return _SEVERAL_RE.search(text) is not None and jp.classify_date(text) is None and not jp.numeric_like(text)


# --------------------------------------------------------------------------- CSV and TSV


def _candidate_re(delimiter: str) -> re.Pattern[str]:
    """Places that may hold a problem. The pattern starts with one character class (the first
    characters of every alternative), so the engine skips ahead at C speed; the alternatives then
    look back at the character found to decide which case it is."""
    d = re.escape(delimiter)
    space = " \u3000" if delimiter == "\t" else " \u3000\t"
    marks = f"{jp.MACHINE_DEPENDENT_CLASS}\uff10-\uff19※＊▲△"
    units = "%％円人件個台戸歳名回千万億"
    symbols = "－―…xX*"  # a lone '-' is searched apart: hyphens fill every ISO date
    first = f"[{marks}{units}令平昭大RHSrhs/年{symbols}{space}]"
    cases = [
        f"(?<=[{marks}])",
        f"(?<=[{units}])(?<=[0-9].)",
        "(?<=[令平昭大])(?=[和成正][0-9０-９元])",
        "(?<=[RHSrhs])(?<![A-Za-z0-9].)(?=\\.?[0-9]{1,2}[./][0-9]{1,2}[./])",
        "(?<=[/年])(?<=[0-9]{4}.)(?=[0-9]{1,2}[/月])",
        f"(?<=[{symbols}])(?<![^{d}\\n].)(?=[{d}\\r\\n])",
        f"(?<=[{space}])(?:(?<=[{d}\\n\"].)|(?=[{d}\\r\\n\"]))",
    ]
    return re.compile(first + "(?:" + "|".join(cases) + ")")


# A quoted value that is a number with separators ("1,200"); searched only in blocks with quotes.
# Anchored on the comma (a literal the engine skips to), not on the far more frequent quotes.
_QUOTED_NUMBER_RE = re.compile(r",(?<=[0-9],)(?=[0-9])")


def _lone_hyphen_re(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    return re.compile(f'-(?<![^{d}\\n"]-)(?=["{d}\\r\\n])')


def _open_text(path: Path, facts: DataFileFacts) -> io.TextIOWrapper | None:
    raw = path.open("rb")
    head = raw.read(65536)
    if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw.close()
        facts.error = Text(ja="テキストではなくバイナリのファイルです。", en="the file is binary, not text.")
        facts.tabular = False
        return None
    codec, label, bom = jp.detect_encoding(head)
    facts.encoding, facts.encoding_label, facts.bom = codec, label, bom
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding=codec, errors="replace", newline="")


def _scan_delimited(path: Path, shown: str, delimiter: str, fmt: str, size: int) -> DataFileFacts:
    facts = DataFileFacts(path=shown, format=fmt, size=size)
    stream = _open_text(path, facts)
    if stream is None:
        return facts
    analyzer = TableAnalyzer(facts)
    with stream:
        try:
            _read_delimited(stream, delimiter, facts, analyzer)
        except csv.Error as exc:
            facts.error = Text(ja=f"CSV として読めません（{facts.records + 1} 行目付近）: {exc}",
                               en=f"cannot be parsed as CSV (near record {facts.records + 1}): {exc}")
    return facts


def _read_delimited(stream: io.TextIOWrapper, delimiter: str, facts: DataFileFacts, analyzer: TableAnalyzer) -> None:
    reader = csv.reader(stream, delimiter=delimiter)
    lines_before = 0
    for cells in reader:
        facts.records += 1
        analyzer.add_sample(facts.records, cells, reader.line_num - lines_before > 1)
        lines_before = reader.line_num
        if facts.records >= SAMPLE_ROWS:
            break
    analyzer.finish_sample()
    facts.sampled_rows = facts.records
    if facts.records >= SAMPLE_ROWS:
        _stream_blocks(stream, delimiter, facts, analyzer)
    analyzer.finish()


def _stream_blocks(stream: io.TextIOWrapper, delimiter: str, facts: DataFileFacts,
                   analyzer: TableAnalyzer) -> None:
    candidates = _candidate_re(delimiter)
    carry = ""
    while True:
        block = stream.read(BLOCK_CHARS)
        if not block:
            if carry:
                _scan_block(carry if carry.endswith("\n") else carry + "\n", delimiter, facts, analyzer,
                            candidates)
            return
        data = carry + block
        cut = data.rfind("\n") + 1
        if cut == 0 and len(data) < MAX_RECORD_CHARS:
            carry = data
            continue
        part, rest = (data[:cut], data[cut:]) if cut else (data + "\n", "")
        if '"' in part and part.count('"') % 2 and len(data) < MAX_RECORD_CHARS:
            carry = data  # a quoted field goes on past this block
            continue
        _scan_block(part, delimiter, facts, analyzer, candidates)
        carry = rest


def _scan_block(part: str, delimiter: str, facts: DataFileFacts, analyzer: TableAnalyzer,
                candidates: re.Pattern[str]) -> None:
    base = facts.records  # record number of the row before this block
    analyzer._seen.clear()
    if "\r" in part:
        part = part.replace("\r\n", "\n")
    rows: list[list[str]] | None = None
    ends: list[int] | None = None
    simple = _without_simple_quotes(part, delimiter, facts.width) if '"' in part else None
    if simple is not None:
        part, lines = simple  # quotes that only wrap plain values: drop them and split fast
    elif '"' in part:
        rows, ends = _parse_quoted(part, delimiter)
    else:
        lines = part.split("\n")
        lines.pop()  # the block ends with a newline
    count = len(rows) if rows is not None else len(lines)
    facts.records += count
    facts.data_rows += count
    width = facts.width
    # Rows needing a full look: wrong field count, blank or one-cell rows, multi-line records.
    full: set[int] = set()
    if rows is not None:
        lengths = list(map(len, rows))
        if lengths.count(width) != len(lengths):
            full.update(i for i, n in enumerate(lengths) if n != width)
        if ends is not None:  # some records span lines
            full.update(i for i, end in enumerate(ends) if end - (ends[i - 1] if i else 0) > 1)
        tail = [""] * (width - 1)
        # blank rows and rows with only their first cell; the test runs in C, the search rarely
        if width >= 2 and any(map(tail.__eq__, map(itemgetter(slice(1, None)), rows))):
            full.update(i for i, cells in enumerate(rows) if cells[1:] == tail)
    else:
        expected = width - 1
        counts = list(map(str.count, lines, repeat(delimiter)))  # no bytecode per line
        if counts.count(expected) != len(counts):
            full.update(i for i, n in enumerate(counts) if n != expected)
        empties = delimiter * expected
        if (width >= 3 and (empties + "\n") in part) or lines.count(empties) or lines.count(""):
            sparse_end = empties
            full.update(i for i, line in enumerate(lines) if line.endswith(sparse_end) or not line)
    for i in sorted(full):
        cells = rows[i] if rows is not None else lines[i].split(delimiter)
        multiline = ends is not None and ends[i] - (ends[i - 1] if i else 0) > 1
        facts.data_rows -= 1  # row() counts it again
        analyzer.row(base + i + 1, cells, multiline)
    if analyzer._empty_columns:
        for i in range(count):
            if i in full:
                continue
            cells = rows[i] if rows is not None else lines[i].split(delimiter)
            for index in list(analyzer._empty_columns):
                if index < len(cells) and cells[index].strip():
                    analyzer._empty_columns.discard(index)
    for index in analyzer._prefecture_columns | analyzer._code_columns:
        _scan_region_column(index, part, delimiter, rows, base, full, analyzer)
    _scan_candidates(part, delimiter, rows, ends, lines if rows is None else None, base, full, analyzer,
                     candidates)
    if rows is not None:  # numbers with separators can only hide in quoted fields
        _scan_candidates(part, delimiter, rows, ends, None, base, full, analyzer, _QUOTED_NUMBER_RE)
    d = delimiter
    if f"{d}-{d}" in part or f"{d}-\n" in part or f"\n-{d}" in part or '"-"' in part:
        _scan_candidates(part, delimiter, rows, ends, lines if rows is None else None, base, full, analyzer,
                         _lone_hyphen_re(delimiter))


_FIELD_RE_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}
_GOOD_CODES: set[str] = set()


def _scan_region_column(index: int, part: str, delimiter: str, rows: list[list[str]] | None, base: int,
                        done: set[int], analyzer: TableAnalyzer) -> None:
    """Every value of a prefecture or local-government-code column, taken from the block at C speed;
    only values not already known to be good are looked at."""
    if rows is not None:
        try:
            values = list(map(itemgetter(index), rows))
        except IndexError:  # a short row
            values = [cells[index] if index < len(cells) else "" for cells in rows]
    else:
        key = (delimiter, index)
        if key not in _FIELD_RE_CACHE:
            d = re.escape(delimiter)
            # A leading literal newline lets the engine jump from line to line at C speed.
            _FIELD_RE_CACHE[key] = re.compile(rf"\n(?:[^{d}\n]*{d}){{{index}}}([^{d}\n]*)")
        values = _FIELD_RE_CACHE[key].findall("\n" + part)[:-1]  # nothing follows the last newline
        if len(values) != part.count("\n"):  # a line with fewer fields: do it the slow way
            values = [line.split(delimiter)[index] if line.count(delimiter) >= index else ""
                      for line in part.split("\n")[:-1]]
    good = jp.PREFECTURE_SET if index in analyzer._prefecture_columns else _GOOD_CODES
    suspects = set(values) - good
    suspects.discard("")
    if index in analyzer._code_columns:
        for value in list(suspects):
            if jp.local_government_code_ok(value.strip()):
                if len(_GOOD_CODES) < 10_000:
                    _GOOD_CODES.add(value)
                suspects.discard(value)
    if not suspects:
        return
    for i, value in enumerate(values):
        if value in suspects and i not in done:
            analyzer.cell(base + i + 1, index, value)


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


def _scan_candidates(part: str, delimiter: str, rows: list[list[str]] | None, ends: list[int] | None,
                     lines: list[str] | None, base: int, done: set[int], analyzer: TableAnalyzer,
                     candidates: re.Pattern[str]) -> None:
    line_no = 0
    line_start = 0
    checked_rows: set[int] = set()
    for m in candidates.finditer(part):
        pos = m.start()
        line_no += part.count("\n", line_start, pos)
        line_start = part.rfind("\n", 0, pos) + 1
        if rows is not None:
            index = bisect.bisect_left(ends, line_no + 1) if ends is not None else line_no
            if index >= len(rows) or index in done or index in checked_rows:
                continue
            checked_rows.add(index)
            for column, value in enumerate(rows[index][:MAX_COLUMNS]):
                if value:
                    analyzer.cell(base + index + 1, column, value)
        else:
            assert lines is not None
            if line_no in done or line_no >= len(lines):
                continue
            line = lines[line_no]
            column = part.count(delimiter, line_start, pos)
            offset = pos - line_start
            cell_start = line.rfind(delimiter, 0, offset) + 1
            cell_end = line.find(delimiter, offset)
            value = line[cell_start: cell_end if cell_end >= 0 else len(line)]
            if column < MAX_COLUMNS:
                analyzer.cell(base + line_no + 1, column, value)


# --------------------------------------------------------------------------- XLSX


def _cell_text(value: Any) -> str:
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


def _scan_xlsx(path: Path, shown: str, size: int) -> list[DataFileFacts]:
    import zipfile

    if size > MAX_XLSX_BYTES:
        return [_failed(shown, "xlsx", size, "ファイルが大きすぎます。", "the file is too large.")]
    try:
        structure = _xlsx_structure(path)
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError) as exc:
        return [_failed(shown, "xlsx", size, f"XLSX として読めません: {exc}", f"cannot be read as XLSX: {exc}")]
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        return [_failed(shown, "xlsx", size, f"XLSX として読めません: {exc}", f"cannot be read as XLSX: {exc}")]
    results: list[DataFileFacts] = []
    try:
        for sheet in book.worksheets:
            facts = DataFileFacts(path=shown, format="xlsx", size=size, sheet=sheet.title, encoding="xlsx",
                                  encoding_label="XLSX (UTF-8)")
            analyzer = TableAnalyzer(facts)
            for cells in sheet.iter_rows(values_only=True):
                facts.records += 1
                texts = [_cell_text(v) for v in cells[:MAX_COLUMNS]]
                while texts and not texts[-1]:
                    texts.pop()  # openpyxl pads rows to the sheet's width
                if facts.records <= SAMPLE_ROWS:
                    analyzer.add_sample(facts.records, texts)
                    if facts.records == SAMPLE_ROWS:
                        analyzer.finish_sample()
                else:
                    analyzer.row(facts.records, texts + [""] * (facts.width - len(texts)))
            if not analyzer.ready:
                analyzer.finish_sample()
            facts.sampled_rows = min(facts.records, SAMPLE_ROWS)
            analyzer.finish()
            info = structure.get(sheet.title, {})
            for name in _STRUCTURE:
                log = info.get(name)
                if log and log.count:
                    facts.problems[name] = log
            styled = facts.problems.get("styled_cell")
            if styled and styled.count >= info.get("data_cells", 0):
                del facts.problems["styled_cell"]  # the whole table shares one look: no meaning in it
            if info.get("sheet_hidden"):
                facts.log("hidden").add(None, None, f"sheet {sheet.title} ({info['sheet_hidden']})")
            results.append(facts)
    finally:
        book.close()
    return results


_CELL_REF_RE = re.compile(r"([A-Z]+)(\d+)")


def _ref(ref: str) -> tuple[int | None, int | None]:
    m = _CELL_REF_RE.match(ref)
    if not m:
        return None, None
    column = 0
    for ch in m.group(1):
        column = column * 26 + ord(ch) - 64
    return int(m.group(2)), column - 1


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_STRUCTURE = ("merged_cell", "hidden", "formula", "object", "comment", "styled_cell")


def _emphasis_styles(archive: Any) -> set[str]:
    """Indexes of cell formats (cellXfs) that stand out: a fill, bold or a coloured font (L1-11)."""
    from xml.etree.ElementTree import fromstring

    try:
        root = fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    fonts = []
    for font in root.iterfind(f"{_MAIN}fonts/{_MAIN}font"):
        color = font.find(f"{_MAIN}color")
        coloured = color is not None and color.get("rgb", "FF000000") not in ("FF000000", "00000000") \
            and color.get("theme") is None and color.get("indexed") is None
        fonts.append(font.find(f"{_MAIN}b") is not None or coloured)
    fills = []
    for fill in root.iterfind(f"{_MAIN}fills/{_MAIN}fill"):
        pattern = fill.find(f"{_MAIN}patternFill")
        fills.append(pattern is not None and pattern.get("patternType") not in (None, "none", "gray125"))
    emphasis = set()
    for index, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        font, fill = int(xf.get("fontId", "0")), int(xf.get("fillId", "0"))
        if (font < len(fonts) and fonts[font]) or (fill < len(fills) and fills[fill]):
            emphasis.add(str(index))
    return emphasis


def _xlsx_structure(path: Path) -> dict[str, dict[str, Any]]:
    """Per sheet name: merged cells, hidden rows/columns/sheets, formulas, drawings, comments and
    emphasised data cells, read from the worksheet XML (openpyxl's read-only mode does not expose
    them). Each is a ProblemLog, so the counts stay exact and the memory bounded."""
    import posixpath
    import zipfile
    from xml.etree.ElementTree import iterparse

    main = _MAIN
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    result: dict[str, dict[str, Any]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        emphasis = _emphasis_styles(archive)
        targets: dict[str, str] = {}
        with archive.open("xl/_rels/workbook.xml.rels") as handle:
            for _, element in iterparse(handle):
                if element.tag == f"{pkg}Relationship":
                    target = element.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                    targets[element.get("Id", "")] = posixpath.normpath(target)
        sheets: list[tuple[str, str, str]] = []
        with archive.open("xl/workbook.xml") as handle:
            for _, element in iterparse(handle):
                if element.tag == f"{main}sheet":
                    sheets.append((element.get("name", ""), targets.get(element.get(f"{rel_ns}id", ""), ""),
                                   element.get("state", "visible")))
        for name, target, state in sheets:
            info: dict[str, Any] = {key: ProblemLog() for key in _STRUCTURE}
            info["data_cells"] = 0
            if state != "visible":
                info["sheet_hidden"] = state
            result[name] = info
            if target in names:
                _sheet_structure(archive, target, info, emphasis)
    return result


def _sheet_structure(archive: Any, target: str, info: dict[str, Any], emphasis: set[str]) -> None:
    from xml.etree.ElementTree import iterparse

    main = _MAIN
    with archive.open(target) as handle:
        for _, element in iterparse(handle):
            tag = element.tag
            if tag == f"{main}c":
                row, column = _ref(element.get("r", ""))
                formula = element.find(f"{main}f")
                if formula is not None:
                    info["formula"].add(row, column, "=" + (formula.text or ""))
                if row and row > 1 and element.find(f"{main}v") is not None:
                    info["data_cells"] += 1
                    if element.get("s") in emphasis:
                        info["styled_cell"].add(row, column, element.get("r", ""))
                element.clear()
            elif tag == f"{main}row":
                if element.get("hidden") in ("1", "true"):
                    info["hidden"].add(int(element.get("r", "0")) or None, None, "row hidden")
                element.clear()
            elif tag == f"{main}col" and element.get("hidden") in ("1", "true"):
                first = int(element.get("min", "1")) - 1
                info["hidden"].add(None, first, f"columns {element.get('min')}-{element.get('max')} hidden")
            elif tag == f"{main}mergeCell":
                ref = element.get("ref", "")
                row, column = _ref(ref)
                info["merged_cell"].add(row, column, ref)
            elif tag == f"{main}drawing":
                info["object"].add(None, None, "drawing (image, shape or text box)")
            elif tag == f"{main}legacyDrawing":
                info["comment"].add(None, None, "cell comments")


# --------------------------------------------------------------------------- JSON


def _scan_json(path: Path, shown: str, size: int) -> DataFileFacts:
    import json

    facts = DataFileFacts(path=shown, format="json", size=size)
    if size > MAX_JSON_BYTES:
        facts.error = Text(ja=f"JSON が大きすぎます（{MAX_JSON_BYTES // 2**20} MiB まで）。",
                           en=f"the JSON file is too large (limit {MAX_JSON_BYTES // 2**20} MiB).")
        return facts
    raw = path.read_bytes()
    codec, label, bom = jp.detect_encoding(raw[:65536])
    facts.encoding, facts.encoding_label, facts.bom = codec, label, bom
    text = raw.decode(codec, errors="replace")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        facts.error = Text(ja=f"JSON として読めません（{exc.lineno} 行 {exc.colno} 列）: {exc.msg}",
                           en=f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}")
        return facts
    records = _json_records(document)
    if records is None:
        facts.tabular = False
        for value in _json_strings(document):
            _json_text(facts, value)
        return facts
    header: dict[str, None] = {}
    for item in records:
        for key in item:
            if len(header) < MAX_COLUMNS:
                header.setdefault(str(key), None)
    names = list(header)
    analyzer = TableAnalyzer(facts)
    analyzer.add_sample(1, names)
    for number, item in enumerate(records, start=2):
        cells: list[str] = []
        for key in names:
            value = item.get(key)
            if isinstance(value, (dict, list)):
                facts.log("nested_value").add(number, len(cells), json.dumps(value, ensure_ascii=False))
                cells.append(json.dumps(value, ensure_ascii=False))
            else:
                cells.append(_cell_text(value))
        facts.records = number
        if number <= SAMPLE_ROWS:
            analyzer.add_sample(number, cells)
            if number == SAMPLE_ROWS:
                analyzer.finish_sample()
        else:
            analyzer.row(number, cells)
    facts.sampled_rows = min(facts.records, SAMPLE_ROWS)
    analyzer.finish()
    return facts


def _json_records(document: Any) -> list[dict[str, Any]] | None:
    """The list of records in a JSON document: the document itself, a GeoJSON feature list
    (properties), or the one list of objects under a top-level key."""
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if isinstance(features, list):
            return [f.get("properties") or {} for f in features if isinstance(f, dict)]
    if isinstance(document, list) and document and all(isinstance(x, dict) for x in document):
        return document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) == 1:
            return lists[0]
    return None


def _json_strings(document: Any, limit: int = 100_000) -> Iterable[str]:
    stack = [document]
    seen = 0
    while stack and seen < limit:
        item = stack.pop()
        seen += 1
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _json_text(facts: DataFileFacts, value: str) -> None:
    for ch, category in jp.machine_dependent_chars(value):
        name = "invalid_bytes" if category == "invalid_bytes" else "machine_dependent"
        facts.log(name).add(None, None, value, f"{ch} → {jp.suggest_replacement(ch)}")
        break
