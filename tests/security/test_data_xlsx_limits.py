"""XLSX limits that hold before memory does (issue #15): a small file that inflates to gigabytes, or a sheet with
millions of rows, is an error naming the file, read no further."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from guideline_lint.collect.data import collect_service_data
from guideline_lint.collect.data import xlsx as reader


def workbook(path: Path, rows: int, cell: str = "1") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "値"])
    for index in range(rows):
        sheet.append([f"行{index}", cell])
    book.save(path)
    return path


def test_a_part_that_inflates_past_the_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_XLSX_PART", 1024 * 1024)
    (tmp_path / "data").mkdir()
    # One 2 MiB cell that deflates to a few KiB: the shape of the 1 GiB-cell bomb, scaled down. (openpyxl would
    # cut a cell at Excel's 32,767 characters, so the worksheet part is written by hand.)
    plain = workbook(tmp_path / "plain.xlsx", 1)
    bomb = tmp_path / "data" / "bomb.xlsx"
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
             + "x" * (2 * 1024 * 1024) + "</t></is></c></row></sheetData></worksheet>")
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    assert bomb.stat().st_size < 100_000
    (facts,) = collect_service_data(["data/*.xlsx"], tmp_path, [])
    assert facts.error is not None and "inflates to" in facts.error.en and "MiB" in facts.error.ja
    assert facts.path == "data/bomb.xlsx"


def test_the_total_inflated_size_is_bounded_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_XLSX_INFLATED", 10_000)
    path = workbook(tmp_path / "many.xlsx", 500)
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) > 10_000
    assert reader.too_inflated(path) is not None


def test_rows_past_the_limit_are_not_read_and_the_file_says_so(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_XLSX_ROWS", 100)
    (tmp_path / "data").mkdir()
    workbook(tmp_path / "data" / "long.xlsx", 150)
    (facts,) = collect_service_data(["data/*.xlsx"], tmp_path, [])
    assert facts.records == 100
    assert facts.error is not None and "100 rows" in facts.error.en


def test_an_ordinary_workbook_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    workbook(tmp_path / "data" / "ok.xlsx", 20)
    (facts,) = collect_service_data(["data/*.xlsx"], tmp_path, [])
    assert facts.error is None and facts.records == 21


@pytest.mark.parametrize("content", ["\n\n\n", "名称,人数\n", "名称,人数\n,\n\n"],
                         ids=["blank", "header", "blank-rows"])
def test_a_table_without_data_is_an_error_not_a_pass(tmp_path: Path, content: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "empty.csv").write_text(content, encoding="utf-8")
    (facts,) = collect_service_data(["data/*.csv"], tmp_path, [])
    assert facts.error is not None and "no data" in facts.error.en and "data/empty.csv" in facts.error.ja
