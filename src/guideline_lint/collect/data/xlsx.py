"""Reading XLSX: the values of each worksheet (openpyxl, read-only) and its structure from the XML.

openpyxl's read-only mode streams values but hides merged cells, hidden rows and columns, formulas
(``data_only``), drawings, comments and cell styles; those are read from the worksheet XML with
``iterparse`` and kept as counts with their first places (``SheetStructure``).
"""

from __future__ import annotations

import posixpath
import warnings
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import fromstring, iterparse

from guideline_lint.collect.data.profile import TableBuilder, cell_text, failed
from guideline_lint.facts.data import MAX_COLUMNS, DataFileFacts, Place, Row, SheetStructure
from guideline_lint.model import Text

MAX_XLSX_BYTES = 500 * 1024 * 1024

# What a broken package raises: a bad archive, a missing part, a corrupt deflate stream, bad XML
# (ParseError is a SyntaxError), malformed attribute values.
_BROKEN = (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, SyntaxError, ValueError, TypeError)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


# Limits that hold before memory does (issue #15): a small workbook can inflate to gigabytes (one 1 GiB cell in a
# 1 MB file) or hold millions of rows. Excel itself stops at 1,048,576 rows.
MAX_XLSX_INFLATED = 512 * 1024 * 1024  # all parts together, uncompressed
MAX_XLSX_PART = 256 * 1024 * 1024  # one part (a worksheet, the shared strings), uncompressed
MAX_XLSX_ROWS = 1_048_576


def too_inflated(path: Path) -> tuple[str, str] | None:
    """Why the workbook would inflate past the limits (ja, en), from the sizes its zip directory declares."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    total = sum(part.file_size for part in parts)
    largest = max(parts, key=lambda part: part.file_size, default=None)
    mib = 1024 * 1024
    if largest is not None and largest.file_size > MAX_XLSX_PART:
        size, limit = largest.file_size // mib, MAX_XLSX_PART // mib
        return (f"展開すると {largest.filename} が {size} MiB になります（上限 {limit} MiB）。",
                f"{largest.filename} inflates to {size} MiB (limit {limit} MiB).")
    if total > MAX_XLSX_INFLATED:
        return (f"展開すると {total // mib} MiB になります（上限 {MAX_XLSX_INFLATED // mib} MiB）。",
                f"the workbook inflates to {total // mib} MiB (limit {MAX_XLSX_INFLATED // mib} MiB).")
    return None


# openpyxl's warnings about parts it does not read (the data validation and conditional formatting extensions of
# takamatsu-city/takamatsu-event-map data.xlsm) say nothing about the data: not printed in the middle of a run. Set
# once, when the first workbook is read (this module is imported then), not per call: the filters are global.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")


def scan_xlsx(path: Path, shown: str, size: int) -> list[DataFileFacts]:
    if size > MAX_XLSX_BYTES:
        return [failed(shown, "xlsx", size, "ファイルが大きすぎます。", "the file is too large.")]
    try:
        inflated = too_inflated(path)
        if inflated is not None:
            return [failed(shown, "xlsx", size, f"XLSX を読みませんでした: {inflated[0]}",
                           f"the XLSX was not read: {inflated[1]}")]
        structures = read_structure(path)
    except _BROKEN as exc:
        return [failed(shown, "xlsx", size, f"XLSX として読めません: {exc}", f"cannot be read as XLSX: {exc}")]
    # openpyxl costs ~150 ms to import; only runs that read a workbook pay for it.
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        return [failed(shown, "xlsx", size, f"XLSX として読めません: {exc}", f"cannot be read as XLSX: {exc}")]
    results: list[DataFileFacts] = []
    try:
        for sheet in book.worksheets:
            facts = DataFileFacts(path=shown, format="xlsx", size=size, sheet=sheet.title, encoding="xlsx",
                                  encoding_label="XLSX (UTF-8)")
            facts.structure = structures.get(sheet.title, SheetStructure())
            builder = TableBuilder(facts)
            for cells in sheet.iter_rows(values_only=True):
                if facts.records >= MAX_XLSX_ROWS:  # more rows than Excel can hold: not a worksheet people use
                    facts.error = Text(ja=f"{MAX_XLSX_ROWS:,} 行を超えるため、ここで読むのをやめました。",
                                       en=f"more than {MAX_XLSX_ROWS:,} rows: reading stopped there.")
                    break
                facts.records += 1
                texts = [cell_text(v) for v in cells[:MAX_COLUMNS]]
                while texts and not texts[-1]:
                    texts.pop()  # openpyxl pads rows to the sheet's width
                if builder.ready:
                    texts += [""] * (facts.width - len(texts))
                builder.add(Row(facts.records, facts.records, texts))
            facts.lines = facts.records
            builder.finish()
            results.append(facts)
    except _BROKEN as exc:  # a part that inflates or parses badly only once openpyxl reaches it
        return [failed(shown, "xlsx", size, f"XLSX として読めません: {exc}", f"cannot be read as XLSX: {exc}")]
    finally:
        book.close()
    return results


def cell_ref(ref: str) -> tuple[int | None, int | None]:
    """('B3') -> (3, 1): the 1-based row and 0-based column of a cell reference."""
    letters = ""
    for ch in ref:
        if "A" <= ch <= "Z":
            letters += ch
        else:
            break
    digits = ref[len(letters):].split(":")[0]
    if not letters or not digits.isdigit():
        return None, None
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(digits), column - 1


def _emphasis_styles(archive: zipfile.ZipFile) -> set[str]:
    """Indexes of cell formats (cellXfs) that stand out: a fill, bold or a coloured font."""
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
        font, fill = _int(xf.get("fontId")), _int(xf.get("fillId"))
        if (font < len(fonts) and fonts[font]) or (fill < len(fills) and fills[fill]):
            emphasis.add(str(index))
    return emphasis


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def read_structure(path: Path) -> dict[str, SheetStructure]:
    """Per sheet name, what its XML holds beyond values. Raises on a broken package
    (``BadZipFile``, ``KeyError`` for a missing part, ``ParseError`` — a ``SyntaxError`` — for bad XML)."""
    result: dict[str, SheetStructure] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        emphasis = _emphasis_styles(archive)
        targets: dict[str, str] = {}
        with archive.open("xl/_rels/workbook.xml.rels") as handle:
            for _, element in iterparse(handle):
                if element.tag == f"{_PKG}Relationship":
                    target = element.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                    targets[element.get("Id", "")] = posixpath.normpath(target)
        sheets: list[tuple[str, str, str]] = []
        with archive.open("xl/workbook.xml") as handle:
            for _, element in iterparse(handle):
                if element.tag == f"{_MAIN}sheet":
                    sheets.append((element.get("name", ""), targets.get(element.get(f"{_REL}id", ""), ""),
                                   element.get("state", "visible")))
        for name, target, state in sheets:
            structure = result[name] = SheetStructure(state=state)
            if target in names:
                _sheet_structure(archive, target, structure, emphasis)
    return result


def _sheet_structure(archive: zipfile.ZipFile, target: str, info: SheetStructure, emphasis: set[str]) -> None:
    with archive.open(target) as handle:
        for _, element in iterparse(handle):
            tag = element.tag
            if tag == f"{_MAIN}c":
                ref = element.get("r", "")
                row, column = cell_ref(ref)
                formula = element.find(f"{_MAIN}f")
                if formula is not None:
                    info.formulas.add(Place(row, row, column, "=" + (formula.text or "")))
                if row and row > 1 and element.find(f"{_MAIN}v") is not None:
                    info.data_cells += 1
                    if element.get("s") in emphasis:
                        info.emphasised.add(Place(row, row, column, ref))
                element.clear()
            elif tag == f"{_MAIN}row":
                if element.get("hidden") in ("1", "true"):
                    row = _int(element.get("r")) or None
                    info.hidden_rows.add(Place(row, row, None, "row hidden"))
                element.clear()
            elif tag == f"{_MAIN}col" and element.get("hidden") in ("1", "true"):
                info.hidden_columns.add(Place(None, None, _int(element.get("min", "1")) - 1,
                                              f"columns {element.get('min')}-{element.get('max')} hidden"))
            elif tag == f"{_MAIN}mergeCell":
                ref = element.get("ref", "")
                row, column = cell_ref(ref)
                info.merged.add(Place(row, row, column, ref))
            elif tag == f"{_MAIN}drawing":
                info.drawings += 1
            elif tag == f"{_MAIN}legacyDrawing":
                info.comments += 1

