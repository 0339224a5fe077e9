"""Unit tests of the pure Japanese notation helpers."""

from __future__ import annotations

import pytest

from guideline_lint import japanese as jp


@pytest.mark.parametrize(("value", "iso"), [
    ("令和5年4月1日", "2023-04-01"), ("令和元年5月1日", "2019-05-01"), ("R5.4.1", "2023-04-01"),
    ("H30.10.1", "2018-10-01"), ("平成30年10月", "2018-10"), ("S64.1.7", "1989-01-07"),
    ("令和５年４月１日", "2023-04-01"), ("平成30年度", "2018"),
])
def test_wareki_conversion(value: str, iso: str) -> None:
    assert jp.wareki_to_iso(value) == iso
    assert jp.classify_date(value) == ("wareki", iso)


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-04-01", ("iso", None)), ("2023-04", ("iso", None)), ("2023-04-01T09:30", ("iso", None)),
    ("2023/4/1", ("slash", "2023-04-01")), ("2023/04/01 9:05", ("slash", "2023-04-01T09:05")),
    ("2023.4.1", ("slash", "2023-04-01")), ("2023年4月1日", ("kanji", "2023-04-01")),
    ("1158.3", None), ("130001", None), ("令和5年13月1日", None), ("第5回", None), ("2023", None),
])
def test_date_notation(value: str, expected: tuple[str, str | None] | None) -> None:
    assert jp.classify_date(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("1,200", ("thousands", "1200")), ("90人", ("unit", "90")), ("8.4%", ("unit", "8.4")),
    ("１２３", ("fullwidth", "123")), ("120※1", ("footnote", "120")), ("▲5", ("sign", "-5")),
    ("¥1,000", ("thousands", "1000")), ("1200", None), ("-3.5", None), ("東京", None), ("-", None),
])
def test_number_notation(value: str, expected: tuple[str, str] | None) -> None:
    assert jp.classify_number(value) == expected


def test_machine_dependent_characters_are_named_with_replacements() -> None:
    found = jp.machine_dependent_chars("⼈⼝①㈱ｱ㍻Ⅱ人口")
    assert [category for _, category in found] == ["radical", "radical", "circled_number", "enclosed", "squared",
                                                   "roman_numeral"]
    assert jp.suggest_replacement("⼩樽市①㈱ｱ") == "小樽市1(株)ｱ"
    assert jp.machine_dependent_chars("株式会社東京 第1回 ー〜") == []
    # JIS X 0201 katakana are in every Japanese code page (yaizu-city/opendata ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ焼津水夢館, 三ｹ名)
    assert jp.machine_dependent_chars("ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ焼津水夢館 三ｹ名 ･") == []


def test_encoding_detection() -> None:
    text = "名称,住所\n図書館,千代田区\n"
    assert jp.detect_encoding(b"\xef\xbb\xbf" + text.encode()) == ("utf-8-sig", "UTF-8 (BOM)", True)
    assert jp.detect_encoding(text.encode()) == ("utf-8", "UTF-8", False)
    assert jp.detect_encoding(text.encode("cp932")) == ("cp932", "Shift_JIS (CP932)", False)
    assert jp.detect_encoding(text.encode("euc_jp"))[1] == "EUC-JP"
    # a character cut at the end of the head is not an error
    assert jp.detect_encoding(text.encode() + "東".encode()[:2]) == ("utf-8", "UTF-8", False)


def test_regions() -> None:
    assert jp.local_government_code_ok("130001") and jp.local_government_code_ok("131016")
    assert not jp.local_government_code_ok("131017") and not jp.local_government_code_ok("990001")
    assert jp.official_prefecture("東京") == "東京都" and jp.official_prefecture("北海道") == "北海道"
    assert jp.official_prefecture("全国") is None


def test_layout_helpers() -> None:
    assert jp.is_spaced_word("区　分") and jp.is_spaced_word("合 計")
    assert not jp.is_spaced_word("山田 太郎") and not jp.is_spaced_word("New York")
    assert jp.shorten("a\nb" + "x" * 100, 10) == "a⏎bxxxxxx…"
