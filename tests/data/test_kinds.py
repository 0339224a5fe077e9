"""The data kinds on facts that are not tables: no files, unreadable files, other formats, TSV."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from data.casefiles import case_facts
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts
from guideline_lint.kinds.data import ProblemsParams
from guideline_lint.kinds.data import rules as problem_rules
from guideline_lint.kinds.data.rules import PROBLEM_TYPES
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Status

CHECKS = load_bundled_checks()


def _statuses(check_id: str, facts: Facts) -> list[Status]:
    return [f.status for f in evaluate_check(CHECKS[check_id], facts)]


def test_no_files_is_not_applicable() -> None:
    facts = Facts(data=[])
    for check_id in ("DATA-L1-08", "DATA-L3-08-ENCODING", "DATA-L1-01", "DATA-STD-HEADERS", "DATA-L3-04"):
        assert _statuses(check_id, facts) == [Status.NOT_APPLICABLE]


def test_unreadable_file_is_an_error_not_a_pass(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"file": "a.xlsx", "content": "not a zip"})
    assert _statuses("DATA-L1-12", facts) == [Status.ERROR]
    finding = evaluate_check(CHECKS["DATA-L1-12"], facts)[0]
    assert finding.reason is not None and "XLSX" in finding.reason.en


def test_pdf_fails_format_and_is_skipped_by_table_checks(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"files": [{"file": "a.pdf", "content": "%PDF-1.4"},
                                            {"file": "b.csv", "content": "名称\nA\n"}]})
    assert sorted(_statuses("DATA-L1-01", facts)) == sorted([Status.FAIL, Status.PASS])
    assert sorted(_statuses("DATA-L1-08", facts)) == sorted([Status.NOT_APPLICABLE, Status.PASS])


def test_tsv_is_read_with_tabs(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"file": "a.tsv", "content": "名称\t人数\nA\t90人\nB\t3\nC\t4\nD\t5\n"})
    assert facts.data is not None and facts.data[0].header == ["名称", "人数"]
    finding = next(f for f in evaluate_check(CHECKS["DATA-L2-01"], facts))
    assert finding.status == Status.FAIL and finding.location is not None
    assert (finding.location.row, finding.location.column) == (2, "人数")


def test_findings_are_capped_per_file_with_the_rest_counted(tmp_path: Path) -> None:
    rows = "".join(f"施設{i},令和5年4月{i % 28 + 1}日\n" for i in range(100))
    facts = case_facts(tmp_path, {"file": "a.csv", "content": "名称,開始日\n" + rows})
    finding = evaluate_check(CHECKS["DATA-L3-05"], facts)[0]
    assert finding.status == Status.FAIL
    assert 1 + len(finding.occurrences) == 20 and finding.more_occurrences == 80
    assert finding.location is not None and finding.location.value == "令和5年4月1日 (→ 2023-04-01)"
    assert "100" in finding.message.ja and "2023-04-01" in finding.message.en


def test_standard_dataset_unknown_id_is_an_error(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"file": "a.csv", "content": "名称\nA\n",
                                  "manifest": {"data": {"open_data": [{"standard_dataset": "no-such"}]}}})
    finding = evaluate_check(CHECKS["DATA-STD-HEADERS"], facts)[0]
    assert finding.status == Status.ERROR and finding.reason is not None and "aed" in finding.reason.en


def test_problem_types_are_declared_and_checked() -> None:
    folder = Path(problem_rules.__file__).parent
    source = "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.py"))
    decided = set(re.findall(r'(?:Hit|add|log|describe)\(\s*"([a-z_]+)"', source))
    decided |= set(re.findall(r'\("([a-z_]+)", structure\.', source))
    assert decided == PROBLEM_TYPES
    with pytest.raises(ValidationError, match="unknown problem types"):
        ProblemsParams(problems=["machine_dependant"])


def test_file_level_problem_message_has_no_open_placeholder(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"file": "a.csv", "content": "名称,,人数\nA,,1\nB,,2\n"})
    finding = evaluate_check(CHECKS["DATA-L1-03"], facts)[0]
    assert finding.status == Status.FAIL and "{" not in finding.message.ja and "{" not in finding.message.en


def test_a_tab_separated_csv_is_read_with_its_columns(tmp_path: Path) -> None:
    facts = case_facts(tmp_path, {"file": "a.csv", "content": "名称\t人数\nA\t90人\nB\t3\nC\t4\n"})
    assert facts.data is not None and facts.data[0].header == ["名称", "人数"]
    (finding,) = evaluate_check(CHECKS["DATA-CSV-COMMA"], facts)
    assert finding.status == Status.FAIL and "tab" in finding.message.en and "{" not in finding.message.ja
    (numbers,) = evaluate_check(CHECKS["DATA-L2-01"], facts)
    assert numbers.status == Status.FAIL and numbers.location is not None and numbers.location.column == "人数"


def test_codes_with_their_labels_beside_them_need_no_code_table(tmp_path: Path) -> None:
    """yaizu-city opendata 交通事故_20xx: 事故類型 21 next to 事故類型区分 車両相互 (DATA-L3-02 was a false finding)."""
    check = load_bundled_checks()["DATA-L3-02"]
    labelled = "事故類型,事故類型区分,路線コード,路線,件数\n21,車両相互,1,国道150号,1\n11,人対車両,2,県道,1\n"
    (finding,) = evaluate_check(check, case_facts(tmp_path / "a", {"file": "a.csv", "content": labelled}))
    assert finding.status == Status.NOT_APPLICABLE
    bare = "事故類型,路線コード,路線,件数\n21,1,国道150号,1\n11,2,県道,1\n"
    (finding,) = evaluate_check(check, case_facts(tmp_path / "b", {"file": "a.csv", "content": bare}))
    assert finding.status == Status.FAIL and "事故類型" in finding.message.ja and "路線コード" not in finding.message.ja


def test_a_workbooks_own_parts_are_named_in_the_messages_language(tmp_path: Path) -> None:
    """Cell comments have no cell value to show: the message names them in its own language, never English in
    the Japanese report."""
    facts = case_facts(tmp_path, {"file": "a.xlsx", "rows": [["名称", "人数"], ["A", 1], ["B", 2]], "comment": "B2"})
    [finding] = evaluate_check(CHECKS["DATA-L1-04"], facts)
    assert finding.status == Status.FAIL
    assert "セルのコメント" in finding.message.ja and "comment" not in finding.message.ja
    assert "cell comments" in finding.message.en and "コメント" not in finding.message.en
    assert finding.location is not None and finding.location.value is None
