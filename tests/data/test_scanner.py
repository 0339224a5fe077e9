"""The data collector and the problem rules: streaming blocks find what a cell-by-cell pass finds, at the
right places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guideline_lint.collect.data import collect_service_data, delimited, profile, scan_file
from guideline_lint.facts.data import OCCURRENCE_CAP, SAMPLE_ROWS
from guideline_lint.kinds.data.rules import judge

HEADER = "ID,名称,人数,開始日,都道府県名,備考\n"
# Problems the candidate search must find in streamed blocks: (cell text, problem, column index).
INJECTED = [
    ("\"1,200\"", "dirty_number", 2), ("90人", "dirty_number", 2), ("１２", "dirty_number", 2),
    ("令和5年4月1日", "wareki_date", 3), ("R5.4.1", "wareki_date", 3), ("2023/4/1", "nonstandard_date", 3),
    ("㈱東京", "machine_dependent", 1), ("Ⅱ期", "machine_dependent", 5), ("-", "special_symbol", 2),
    (" 図書館", "edge_space", 1), ("東京", "region_name", 4),
    ("〇〇市", "placeholder_value", 1), ("テスト", "placeholder_value", 1),
    ("https://example.jp", "placeholder_value", 5), ("自治体名", "placeholder_value", 1),
]


def _row(i: int, problem: tuple[str, str, int] | None, quoted: bool) -> list[str]:
    cells = [str(i), f"施設{i}", str(i % 97), f"2023-04-{i % 28 + 1:02d}", "東京都", "なし"]
    if problem:
        cells[problem[2]] = problem[0]
    if quoted:
        cells[5] = '"備考, 詳細"' if not problem or problem[2] != 5 else cells[5]
    return cells


def _write(path: Path, rows: int, quoted: bool, every: int = 997) -> dict[int, tuple[str, str, int]]:
    placed: dict[int, tuple[str, str, int]] = {}
    lines = [HEADER]
    for i in range(1, rows + 1):
        problem = INJECTED[(i // every) % len(INJECTED)] if i % every == 0 else None
        if problem:
            placed[i + 1] = problem  # record number: the header is record 1
        lines.append(",".join(_row(i, problem, quoted)) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return placed


@pytest.mark.parametrize("quoted", [False, True])
def test_streamed_blocks_find_every_injected_problem(tmp_path: Path, quoted: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delimited, "BLOCK_CHARS", 7_000)  # many blocks, records cut at their edges
    path = tmp_path / "big.csv"
    placed = _write(path, 12_000, quoted)
    (facts,) = scan_file(path)
    assert facts.error is None and facts.data_rows == 12_000 and facts.records == 12_001
    found = {(o.row, o.column, name) for name, log in judge(facts).items() for o in log.occurrences}
    for record, (_, name, column) in placed.items():
        assert (record, column, name) in found, (record, name)
    assert judge(facts).problem("column_count").count == 0
    assert judge(facts).problem("dirty_number").count == sum(1 for p in placed.values() if p[1] == "dirty_number")


@pytest.mark.parametrize("quoted", [False, True])
def test_streaming_equals_cell_by_cell(tmp_path: Path, quoted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    _write(path, 9_000, quoted, every=97)
    monkeypatch.setattr(delimited, "BLOCK_CHARS", 50_000)
    (streamed,) = scan_file(path)
    for module in (delimited, profile):
        monkeypatch.setattr(module, "SAMPLE_ROWS", 10**9)  # every row kept and judged cell by cell
    (exhaustive,) = scan_file(path)
    assert exhaustive.sampled_rows == 9_001 and streamed.sampled_rows == SAMPLE_ROWS
    counts = {name: log.count for name, log in judge(streamed).items()}
    assert counts == {name: log.count for name, log in judge(exhaustive).items()}
    assert counts["dirty_number"] > 10 and counts["wareki_date"] > 10


def test_streamed_layout_rows_and_field_counts(tmp_path: Path) -> None:
    rows = [f"{i},施設{i},{i}\n" for i in range(1, 3001)]
    rows[2500] = "2501,施設,1,200\n"  # unquoted comma
    rows[2600] = ",,\n"
    rows[2700] = "※注記,,\n"
    path = tmp_path / "a.csv"
    path.write_text("ID,名称,人数\n" + "".join(rows), encoding="utf-8")
    (facts,) = scan_file(path)
    assert [(o.row, o.note) for o in judge(facts).problem("column_count").occurrences] == [(2502, "4 / 3")]
    assert [o.row for o in judge(facts).problem("blank_row").occurrences] == [2602]
    assert [o.row for o in judge(facts).problem("notes_row").occurrences] == [2702]


def test_occurrences_are_capped_with_a_count(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("名称,人数\n" + "".join(f"施設{i},\"{i},000\"\n" for i in range(1, 5001)), encoding="utf-8")
    (facts,) = scan_file(path)
    log = judge(facts).problem("dirty_number")
    assert log.count == 5000 and len(log.occurrences) == OCCURRENCE_CAP


def test_shift_jis_file_is_read_and_named(tmp_path: Path) -> None:
    path = tmp_path / "sjis.csv"
    path.write_bytes("名称,人数\n㈱東京,1\n".encode("cp932"))
    (facts,) = scan_file(path)
    assert facts.encoding_label == "Shift_JIS (CP932)"
    assert judge(facts).problem("machine_dependent").occurrences[0].value == "㈱東京"


def test_mixed_encoding_reports_invalid_bytes(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    head = "名称,人数\n" + "東京,1\n" * 20_000  # the encoding is guessed from the first 64 KiB
    path.write_bytes(head.encode() + "大阪,2\n".encode("cp932"))
    (facts,) = scan_file(path)
    assert facts.encoding == "utf-8" and judge(facts).problem("invalid_bytes").count >= 1


def test_binary_and_unreadable_files_become_errors(tmp_path: Path) -> None:
    binary = tmp_path / "a.csv"
    binary.write_bytes(b"PK\x03\x04\0\0\0binary")
    (facts,) = scan_file(binary)
    assert facts.error is not None and "binary" in facts.error.en
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"not a zip")
    (facts,) = scan_file(broken)
    assert facts.error is not None and "XLSX" in facts.error.en
    bad_json = tmp_path / "c.json"
    bad_json.write_text('{"a": [1, 2', encoding="utf-8")
    (facts,) = scan_file(bad_json)
    assert facts.error is not None and "line 1" in facts.error.en


def test_xlsx_structure(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "人口"
    for row in (["区分", "", "人数"], ["全国", "特別区", 1], ["", "町村", 2], ["合計", "", 3]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet["C4"] = "=C2+C3"
    sheet.row_dimensions[3].hidden = True
    hidden = book.create_sheet("作業用")
    hidden.sheet_state = "hidden"
    hidden.append(["x"])
    book.save(tmp_path / "book.xlsx")
    facts = scan_file(tmp_path / "book.xlsx", "book.xlsx")
    assert [f.subject for f in facts] == ["book.xlsx#人口", "book.xlsx#作業用"]
    first = facts[0]
    assert [(o.row, o.column, o.value) for o in judge(first).problem("merged_cell").occurrences] == [(2, 0, "A2:A3")]
    assert [(o.row, o.value) for o in judge(first).problem("formula").occurrences] == [(4, "=C2+C3")]
    assert judge(first).problem("hidden").count == 1
    assert judge(facts[1]).problem("hidden").occurrences[0].value.startswith("sheet 作業用")


def test_json_records_and_nested_values(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"data": [{"名称": "㈱A", "人数": 1}, {"名称": "B", "人数": [1, 2]}]},
                               ensure_ascii=False), encoding="utf-8")
    (facts,) = scan_file(path)
    assert facts.header == ["名称", "人数"] and facts.data_rows == 2
    assert judge(facts).problem("machine_dependent").count == 1 and judge(facts).problem("nested_value").count == 1


def test_globs_stay_inside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "a.csv").write_text("名称\nA\n", encoding="utf-8")
    (tmp_path / "outside.csv").write_text("名称\nB\n", encoding="utf-8")
    found = collect_service_data(["data/*.csv", "../*.csv", "/etc/*"], repo, [])
    assert [f.path for f in found] == ["data/a.csv"]
    extra = collect_service_data([], repo, [tmp_path / "outside.csv"])
    assert extra[0].data_rows == 1


def test_row_with_only_its_first_cell_is_data_unless_it_starts_a_table(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("名称,電話番号,備考\n図書館,03-0000-0000,\n公園,,\n\n結果,,\n", encoding="utf-8")
    (facts,) = scan_file(path)
    assert [(o.row, o.value) for o in judge(facts).problem("section_row").occurrences] == [(5, "結果")]
    assert [o.row for o in judge(facts).problem("blank_row").occurrences] == [4]


def test_quotes_around_plain_values_are_dropped_and_tricky_blocks_parsed(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delimited, "BLOCK_CHARS", 3_000)
    rows = [f'"{i}","施設{i}","{i % 50}"\n' for i in range(1, 4001)]
    rows[3000] = '"3001","施設, 本館","1,200"\n'  # a delimiter inside quotes
    rows[3500] = '"3501","施設""A""","5"\n'  # an escaped quote
    rows[3600] = '"3601","施設\n別館","5"\n'  # a line break inside quotes
    path = tmp_path / "q.csv"
    path.write_text('"ID","名称","人数"\n' + "".join(rows), encoding="utf-8")
    (facts,) = scan_file(path)
    assert facts.records == 4001 and judge(facts).problem("column_count").count == 0
    assert [(o.row, o.value) for o in judge(facts).problem("dirty_number").occurrences] == [(3002, "1,200")]
    assert [o.row for o in judge(facts).problem("csv_multiline").occurrences] == [3602]
