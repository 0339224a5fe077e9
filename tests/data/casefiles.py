"""Builds the files of a data test case in a folder and collects their facts.

A case entry is a mapping: ``file`` (a name) with ``content`` (text, written with ``encoding``,
default utf-8, and a BOM when ``bom: true``), or ``json`` (a value written as JSON), or ``rows``
(an XLSX sheet built with openpyxl, with optional ``merge``, ``hidden_rows``, ``hidden_columns``,
``formulas`` {cell: formula}, ``fill``/``bold`` [cells], ``chart: true``, ``comment: cell``, ``sheets`` {name: rows}).
``files`` holds several such entries; ``manifest`` is merged into a manifest whose
data.open_data[0].files lists every file of the case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guideline_lint.collect.data import collect_service_data
from guideline_lint.facts import Facts, ManifestFacts, RepoFacts


def write_file(folder: Path, entry: dict[str, Any]) -> str:
    name = entry["file"]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if "rows" in entry or "sheets" in entry:
        _write_xlsx(path, entry)
    elif "json" in entry:
        path.write_text(json.dumps(entry["json"], ensure_ascii=False), encoding="utf-8")
    else:
        data = entry.get("content", "").encode(entry.get("encoding", "utf-8"))
        path.write_bytes((b"\xef\xbb\xbf" if entry.get("bom") else b"") + data)
    return name


def _write_xlsx(path: Path, entry: dict[str, Any]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheets = entry.get("sheets") or {"Sheet1": entry["rows"]}
    for number, (title, rows) in enumerate(sheets.items()):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = title
        for row in rows:
            sheet.append(row)
    sheet = book.active
    for ref in entry.get("merge", []):
        sheet.merge_cells(ref)
    for row in entry.get("hidden_rows", []):
        sheet.row_dimensions[row].hidden = True
    for column in entry.get("hidden_columns", []):
        sheet.column_dimensions[column].hidden = True
    for ref, formula in entry.get("formulas", {}).items():
        sheet[ref] = formula
    if entry.get("fill") or entry.get("bold"):
        from openpyxl.styles import Font, PatternFill

        for ref in entry.get("fill", []):
            sheet[ref].fill = PatternFill("solid", fgColor="FFFF00")
        for ref in entry.get("bold", []):
            sheet[ref].font = Font(bold=True)
    if entry.get("comment"):
        from openpyxl.comments import Comment

        sheet[entry["comment"]].comment = Comment("メモ", "作成者")
    if entry.get("chart"):
        from openpyxl.chart import BarChart, Reference

        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3))
        sheet.add_chart(chart, "E2")
    book.save(path)


def case_facts(folder: Path, case: dict[str, Any]) -> Facts:
    entries = case.get("files") or [case]
    names = [write_file(folder, entry) for entry in entries]
    manifest: dict[str, Any] = {"data": {"open_data": [{"files": names}]}}
    extra = case.get("manifest", {}).get("data", {}).get("open_data", [{}])[0]
    manifest["data"]["open_data"][0].update(extra)
    facts = Facts(manifest=ManifestFacts(file="digital-service.yaml", data=manifest, positions={}),
                  repo=RepoFacts.collect(folder))
    facts.data = collect_service_data(manifest["data"]["open_data"][0]["files"], folder, [])
    return facts
