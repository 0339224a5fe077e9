"""A workbook with parts openpyxl does not read prints no warning in the middle of a run
(takamatsu-city/takamatsu-event-map data.xlsm printed "UserWarning: Data Validation extension is not supported and
will be removed" before the report)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

# A data validation list kept in the x14 extension, as Excel writes one that refers to another sheet.
_EXT = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list">'
        '<x14:formula1><xm:f>リスト!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B2:B3</xm:sqref></x14:dataValidation>'
        '</x14:dataValidations></ext></extLst>')


def _workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in (["名称", "区分"], ["高松まつり", "祭り"], ["さぬきマルシェ", "市場"]):
        sheet.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", _EXT.encode() + b"</worksheet>")
            target.writestr(item, data)
    plain.unlink()


def test_openpyxl_warnings_are_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    _workbook(path)
    script = ("import warnings, sys\nfrom openpyxl import load_workbook\n"
              "with warnings.catch_warnings(record=True) as seen:\n"
              "    warnings.simplefilter('always')\n"
              "    list(load_workbook(sys.argv[1], read_only=True).worksheets[0].iter_rows())\n"
              "print(len(seen))\n")
    shown = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() != "0", "the workbook no longer makes openpyxl warn: the test proves nothing"
    run = subprocess.run([sys.executable, "-m", "guideline_lint", "audit", str(path), "--format", "json",
                          "--output", str(tmp_path / "out.json"), "--quiet"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert "Warning" not in run.stderr, run.stderr
    assert (tmp_path / "out.json").exists()
