"""Hostile or broken open-data inputs (issues #12, #15): never a hang, a traceback or a silent pass; an
error finding that names the file."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from guideline_lint.collect.data import collect_service_data, scan_file
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Status

FORMAT_CHECK = load_bundled_checks()["DATA-L1-01"]


def _format_finding(facts_data: list) -> tuple[Status, str]:  # type: ignore[type-arg]
    (finding,) = evaluate_check(FORMAT_CHECK, Facts(data=facts_data))
    return finding.status, finding.reason.en if finding.reason else ""


def test_a_folder_given_as_data_is_an_error_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    status, reason = _format_finding(collect_service_data([], tmp_path, [folder]))
    assert status == Status.ERROR and "data" in reason and "not a regular file" in reason


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    status, reason = _format_finding(collect_service_data([], tmp_path, [tmp_path / "nope.csv"]))
    assert status == Status.ERROR and "nope.csv" in reason


def test_a_declared_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    status, reason = _format_finding(collect_service_data(["data/open.csv"], tmp_path, []))
    assert status == Status.ERROR and "data/open.csv" in reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    (facts,) = scan_file(fifo)  # opening it would block until a writer came
    assert facts.error is not None and "not a regular file" in facts.error.en
    status, _ = _format_finding(collect_service_data(["*.csv"], tmp_path, []))
    assert status == Status.ERROR


def test_a_link_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secret.csv").write_text("a\n1\n", encoding="utf-8")
    (repo / "open.csv").symlink_to(tmp_path / "secret.csv")
    status, reason = _format_finding(collect_service_data(["*.csv"], repo, []))
    assert status == Status.ERROR and "open.csv" in reason and "outside the repository" in reason


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv", "empty.json"])
def test_an_empty_file_is_an_error_not_a_pass(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    status, reason = _format_finding(collect_service_data([name], tmp_path, []))
    assert status == Status.ERROR and name in reason and "empty" in reason


def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名称", "人数"])
    book.active.append(["A", 1])
    book.save(path)


def test_malformed_xlsx_attributes_do_not_raise(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _workbook(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/styles.xml":
                data = data.replace(b'fontId="0"', b'fontId="x"')
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<row r="1"', b'<row r="one" hidden="1"')
            target.writestr(item, data)
    facts = scan_file(bad)
    assert all(f.error is not None or f.tabular for f in facts)  # read or refused, never a traceback


def test_a_corrupt_deflate_stream_is_an_error(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    _workbook(good)
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 2, start + min(info.compress_size, 40)):
        raw[i] ^= 0x5A  # scramble the compressed bytes, keep the archive's directory
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(raw))
    (facts,) = scan_file(broken)
    assert facts.error is not None and "XLSX" in facts.error.en
