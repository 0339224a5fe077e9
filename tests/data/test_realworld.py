"""The real open-data files in ../shared/realworld/ (published by public bodies, copied byte for byte).

Each file is judged by the rules here; the expected failing checks below are that judgement:
clean files must not fail, and the problems a file really has must be reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from guideline_lint.collect.data import collect_service_data
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts, ManifestFacts
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Finding, Status, Target

from helpers import SHARED

REALWORLD = SHARED / "realworld"
# DATA-L3-02 and DATA-L3-08 look for a code table and definitions next to the file in its repository;
# these copies come without their repositories (see test_police_codes_need_a_code_table).
REPOSITORY_CHECKS = {"DATA-L3-02", "DATA-L3-08"}
CHECKS = [c for c in load_bundled_checks().values() if c.target == Target.DATA and c.id not in REPOSITORY_CHECKS]

# file -> check ids that must fail (every other data check must not fail)
EXPECTED: dict[str, set[str]] = {
    # 警察庁: Shift_JIS; 曲線半径 and 縦断勾配 are numbers whose unit is given nowhere in the file.
    "opendata/npa_traffic_accident_kosokuhyo_2021.csv": {"DATA-L3-08-ENCODING", "DATA-L3-04"},
    # Code for Japan's clean-up: machine-readable; only its dates are 2017/03/08 instead of 2017-03-08.
    "opendata/soumu_mynumbercard_20170308_clean_all_prefectures.csv": {"DATA-L3-05-ISO8601"},
    "opendata/soumu_mynumbercard_20170308_clean_summary_by_types.csv": {"DATA-L3-05-ISO8601"},
    # PDF extraction, layout kept: unnamed column, omitted 区分, header with line breaks and H28.1.1,
    # numbers as "128,066,211" and "8.4%".
    "opendata/soumu_mynumbercard_20170308_raw_table1_by_type.csv": {
        "DATA-L1-05", "DATA-L1-07", "DATA-L2-01", "DATA-L2-02", "DATA-L3-05"},
    # As above plus Kangxi radicals ('⼈⼝', '⼩樽市') and a 全国 total row among the prefectures.
    "opendata/soumu_mynumbercard_20170308_raw_table5_localgovs_p1.csv": {
        "DATA-L1-07", "DATA-L1-08", "DATA-L2-01", "DATA-L3-05", "DATA-L3-06"},
    # 東京都: clean; the patient counts (入院中, 重症 …) say nowhere that they count people.
    "opendata/tokyo_130001_covid19_details_testing_positive_cases.csv": {"DATA-L3-04"},
    "opendata/tokyo_130001_covid19_positivity_rate_in_testing.csv": set(),
    # Two tables in one file with title rows, memo column, blank separator row, line breaks in cells.
    # The second table's header (メモ, ID, タイトル, …) under its section row 結果 is a header, not data: its
    # 'ID' is no number-format failure (issue #12).
    "tokyo-covid19-supportnavi/navi.csv": {
        "DATA-L1-02", "DATA-L1-03", "DATA-L1-04", "DATA-L1-07", "DATA-L1-14", "DATA-L2-02",
        "DATA-L3-01"},  # '次' holds the ID of the next question, no quantity: no unit to state (L3-04)
    # Lists inside cells (line breaks) and dates like 2020/5/11; sample rows of the open-source edition left in
    # (provider 〇〇市, content.url https://example.com, content.contact サンプル: records 3 and 4).
    "tokyo-covid19-supportnavi/services.csv": {"DATA-L1-07", "DATA-L1-14", "DATA-L3-05-ISO8601", "DATA-TPL-01"},
    # Rows with 2 fields under a 3-field header.
    "yaizu-city-opendata/jishubosaikai_attributes.csv": {"DATA-L1-15"},
    "yaizu-city-opendata/toilet_attributes.csv": set(),
}

pytestmark = pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is not present")


def _findings(relative: str) -> list[Finding]:
    path = REALWORLD / relative
    manifest = {"data": {"open_data": [{"files": [path.name]}]}}
    facts = Facts(manifest=ManifestFacts(file="digital-service.yaml", data=manifest, positions={}))
    facts.data = collect_service_data([path.name], path.parent, [])
    return [f for check in CHECKS for f in evaluate_check(check, facts)]


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_real_file_findings(relative: str) -> None:
    findings = _findings(relative)
    failed = {f.check_id for f in findings if f.status == Status.FAIL}
    errors = [f for f in findings if f.status == Status.ERROR]
    assert not errors, [e.reason for e in errors]
    assert failed == EXPECTED[relative]


def test_real_files_are_all_judged() -> None:
    on_disk = {p.relative_to(REALWORLD).as_posix() for p in REALWORLD.glob("*/*.csv")}
    assert on_disk == set(EXPECTED)


def test_shift_jis_is_named() -> None:
    finding = next(f for f in _findings("opendata/npa_traffic_accident_kosokuhyo_2021.csv")
                   if f.check_id == "DATA-L3-08-ENCODING")
    assert "Shift_JIS" in finding.message.ja and "Shift_JIS" in finding.message.en


def test_raw_table_findings_point_at_cells() -> None:
    findings = {f.check_id: f for f in _findings("opendata/soumu_mynumbercard_20170308_raw_table5_localgovs_p1.csv")
                if f.status == Status.FAIL}
    numbers = findings["DATA-L2-01"]
    assert numbers.location is not None
    assert (numbers.location.row, numbers.location.value) == (2, "128,066,211 (→ 128066211)")
    assert len(numbers.occurrences) == 19 and numbers.more_occurrences == 144 - 20
    chars = findings["DATA-L1-08"]
    values = [o.value for o in [chars.location, *chars.occurrences] if o is not None]
    assert any(v and v.startswith("⼩樽市") and "⼩ → 小" in v for v in values)
    region = findings["DATA-L3-06"]
    assert region.location is not None and region.location.value == "全国"
    assert region.location.column == "都道府県名"


def test_police_codes_need_a_code_table(tmp_path: Path) -> None:
    """The 警察庁 file is all codes (its NOTICE: the code tables are in the source repository's
    code/ folder, not copied): without a table next to it L3-02 fails, with one it passes."""
    check = next(c for c in load_bundled_checks().values() if c.id == "DATA-L3-02")
    source = REALWORLD / "opendata" / "npa_traffic_accident_kosokuhyo_2021.csv"
    (tmp_path / source.name).write_bytes(source.read_bytes())
    manifest = {"data": {"open_data": [{"files": [source.name]}]}}
    facts = Facts(manifest=ManifestFacts(file="digital-service.yaml", data=manifest, positions={}))
    facts.data = collect_service_data([source.name], tmp_path, [])
    (finding,) = evaluate_check(check, facts)
    assert finding.status == Status.FAIL and "事故類型" in finding.message.ja
    (tmp_path / "code_jikoruikei.csv").write_text("コード,事故類型\n01,人対車両\n", encoding="utf-8")
    facts.data = collect_service_data([source.name], tmp_path, [])  # the folder's files are collected facts
    (finding,) = evaluate_check(check, facts)
    assert finding.status == Status.PASS


def test_sample_rows_of_the_open_source_edition_are_placeholders() -> None:
    """services.csv keeps two sample records (provider 〇〇市, url https://example.com, contact サンプル);
    the first starts on physical line 50 (records above span several lines)."""
    (finding,) = [f for f in _findings("tokyo-covid19-supportnavi/services.csv") if f.check_id == "DATA-TPL-01"]
    assert finding.status == Status.FAIL and finding.location is not None
    assert (finding.location.row, finding.location.line, finding.location.column) == (3, 50, "provider")
    values = {o.value for o in [finding.location, *finding.occurrences] if o is not None}
    assert values == {"〇〇市", "https://example.com", "サンプル"} and len(finding.occurrences) == 5
    assert "50 行目「provider」: 〇〇市" in finding.message.ja


def test_a_value_of_the_second_table_is_named_by_its_own_column() -> None:
    """docs/realworld.md §5: navi.csv stacks two tables; the line break on line 49 is in the second table's column
    タイトル, not in the first table's 質問."""
    failed = next(f for f in _findings("tokyo-covid19-supportnavi/navi.csv")
                  if f.check_id == "DATA-L1-07" and f.status == Status.FAIL)
    assert failed.location is not None
    assert (failed.location.line, failed.location.column) == (49, "タイトル")
    assert "49 行目「タイトル」" in failed.message.ja and "row 49, column 'タイトル'" in failed.message.en
    assert "質問" not in failed.message.ja
