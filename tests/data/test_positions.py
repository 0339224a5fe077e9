"""Positions of data findings are the file's own: the physical line (what an editor and SARIF show) next
to the record number, which differ after a quoted cell that holds line breaks (issue #12)."""

from __future__ import annotations

from pathlib import Path

from data.casefiles import case_facts
from guideline_lint.engine import evaluate_check
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Status

CHECKS = load_bundled_checks()


def test_lines_after_a_multiline_cell_are_physical(tmp_path: Path) -> None:
    content = '名称,備考,人数\n図書館,"1階\n2階\n3階",10\n公園,なし,90人\n'
    facts = case_facts(tmp_path, {"file": "a.csv", "content": content})
    (finding,) = evaluate_check(CHECKS["DATA-L2-01"], facts)
    assert finding.status == Status.FAIL and finding.location is not None
    assert (finding.location.row, finding.location.line) == (3, 5)  # record 3 starts on line 5
    assert finding.location.column == "人数"


def test_a_cell_inside_a_multiline_record_gets_its_own_line(tmp_path: Path) -> None:
    content = '名称,備考,所在地\n図書館,"1階\n2階"," 千代田区"\n'
    facts = case_facts(tmp_path, {"file": "a.csv", "content": content})
    (finding,) = evaluate_check(CHECKS["DATA-L1-06"], facts)
    assert finding.status == Status.FAIL and finding.location is not None
    assert (finding.location.row, finding.location.line) == (2, 3)  # the third cell starts on line 3


def test_streamed_records_keep_physical_lines(tmp_path: Path) -> None:
    rows = [f"{i},施設{i},{i}\n" for i in range(1, 3001)]
    rows[10] = '11,"施設\n別館",11\n'  # one multi-line record in the sample shifts every later line by one
    rows[2500] = "2501,施設,90人\n"
    facts = case_facts(tmp_path, {"file": "a.csv", "content": "ID,名称,人数\n" + "".join(rows)})
    (finding,) = evaluate_check(CHECKS["DATA-L2-01"], facts)
    assert finding.location is not None and (finding.location.row, finding.location.line) == (2502, 2503)


def test_xlsx_lines_are_sheet_rows(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"file": "a.xlsx", "rows": [["名称", "人数"], ["A", 1], ["B", "90人"], ["C", 3]]})
    (finding,) = evaluate_check(CHECKS["DATA-L2-01"], facts)
    assert finding.location is not None and (finding.location.row, finding.location.line) == (3, 3)


def test_the_message_names_the_physical_line_an_editor_shows(tmp_path: Path) -> None:
    from guideline_lint.collect.data import collect_service_data
    from guideline_lint.facts import Facts

    # Record 2 spans lines 2–3, so the ① of record 3 is on line 4.
    (tmp_path / "a.csv").write_text('名称,備考\n図書館,"二階\n三階"\n公園,①番\n', encoding="utf-8")
    facts = Facts(data=collect_service_data(["a.csv"], tmp_path, []))
    check = next(c for c in load_bundled_checks().values()
                 if c.target.value == "data" and "machine_dependent" in str(c.assert_))
    (finding,) = [f for f in evaluate_check(check, facts) if f.status.value == "fail"]
    assert finding.location is not None and finding.location.line == 4 and finding.location.row == 3
    assert "4 行目" in finding.message.ja and "row 4" in finding.message.en
