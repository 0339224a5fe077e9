"""Writing reports: stdout, one file or one per format; whole files only, with the user's umask."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from guideline_lint.errors import InputError
from guideline_lint.model import Report
from guideline_lint.report import output
from guideline_lint.report.output import check_output_options, write_reports


@pytest.fixture
def umask() -> object:
    def set_mask(mask: int) -> None:
        os.umask(mask)

    previous = os.umask(0o022)
    yield set_mask
    os.umask(previous)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_files_get_the_users_umask(report: Report, tmp_path: Path, umask, mask: int, mode: int) -> None:
    umask(mask)
    written = write_reports(report, ["json"], lang="ja", output=tmp_path / "r.json", quiet=True)
    assert written == [tmp_path / "r.json"]
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == mode


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(report: Report, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(InputError) as caught:
        write_reports(report, ["json"], lang="en", output=target, quiet=True)
    assert "No space left on device" in caught.value.render("en") and str(target) in caught.value.render("en")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_the_file_is_whole_and_replaces_the_old_one(report: Report, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "r.json"
    write_reports(report, ["json"], lang="ja", output=target, quiet=True)
    target.write_text("old", encoding="utf-8")
    write_reports(report, ["json"], lang="ja", output=target, quiet=True)
    assert json.loads(target.read_text(encoding="utf-8"))["score"] == report.score
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.json"]


def test_dash_means_standard_output(report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert write_reports(report, ["json"], lang="ja", output="-", stdout=out, stderr=err) == []
    assert write_reports(report, ["json"], lang="ja", output=Path("-"), stdout=out, stderr=err) == []
    assert list(tmp_path.iterdir()) == []  # no file named "-"
    first, second = out.getvalue().split("\n}\n", 1)
    assert json.loads(first + "}")["score"] == report.score and second
    assert err.getvalue() == ""


def test_one_file_per_format_named_by_the_registry(report: Report, tmp_path: Path) -> None:
    err = io.StringIO()
    written = write_reports(report, ["sarif", "junit", "markdown"], lang="en", output_dir=tmp_path / "out",
                            stderr=err)
    assert [p.name for p in written] == ["guideline-lint.sarif", "guideline-lint.xml", "guideline-lint.md"]
    assert err.getvalue().splitlines() == [f"guideline-lint: report written: {p}" for p in written]


def test_quiet_says_nothing(report: Report, tmp_path: Path) -> None:
    err = io.StringIO()
    write_reports(report, ["text"], lang="ja", output=tmp_path / "r.txt", quiet=True, stderr=err)
    assert err.getvalue() == ""


def test_output_options_that_cannot_work() -> None:
    check_output_options(["json"], Path("r.json"), None)
    check_output_options(["json", "html"], None, Path("out"))
    with pytest.raises(InputError, match="--output-dir"):
        check_output_options(["json", "html"], None, None)
    with pytest.raises(InputError, match="not both"):
        check_output_options(["json"], Path("r.json"), Path("out"))
def test_render_options_reach_their_format(report: Report, tmp_path: Path) -> None:
    write_reports(report, ["sarif", "json"], lang="ja", output_dir=tmp_path, quiet=True,
                  render_options={"sarif": {"category": "permit-web"}})
    log = json.loads((tmp_path / "guideline-lint.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"]["id"] == "permit-web/"


