"""Regions (L3-06): prefecture names as written in the national list, 全国地方公共団体コード with a
valid check digit."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Hit, Table, cell_rule, problems

problems("region_name", "region_code")

PREFECTURE_HEADER_RE = re.compile(r"^(都道府県|都道府県名)$")
CODE_HEADER_RE = re.compile(r"(全国地方公共団体コード|地方公共団体コード|市区町村コード|団体コード)")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch


@cell_rule
def regions(table: Table, index: int, value: str) -> Iterator[Hit]:
    column = table.column(index)
    if column is None:
        return
    text = value.strip()
    if not text:
        return
    if PREFECTURE_HEADER_RE.match(column.name):
        if text not in jp.PREFECTURES and not (column.kind == "numeric" and _PLAIN(value)):
            official = jp.official_prefecture(text)
            yield Hit("region_name", text, f"→ {official}" if official else None)
    elif CODE_HEADER_RE.search(column.name):
        if _split_code(table, column.name, text):
            return
        if lost_leading_zero(text, kept_zeros=column.leading_zeros > 0):
            # Read as a number somewhere (a spreadsheet, a script): 北海道's 010006 became 10006.
            yield Hit("region_code", text, f"→ 0{text}")
        elif not jp.local_government_code_ok(text):
            yield Hit("region_code", text)


def lost_leading_zero(code: str, kept_zeros: bool) -> bool:
    """A code of a prefecture 01–09 that lost its leading zero: 4 digits whose 5-digit form is a code, or 5 digits
    whose 6-digit form has a valid check digit while other cells of the column kept their zero (a 5-digit code
    of a prefecture 10–47 looks the same on its own)."""
    if not code.isascii() or not code.isdigit() or code.startswith("0"):
        return False
    if len(code) == 4:
        return jp.local_government_code_ok("0" + code)
    return len(code) == 5 and kept_zeros and jp.local_government_code_ok("0" + code)


def _split_code(table: Table, name: str, code: str) -> bool:
    """The municipal half of a code split over two columns: 都道府県コード 22 beside 市区町村コード 212 (焼津市,
    222127; yaizu-city opendata ドライブコンテスト_*.csv). The three digits are a code in their own right."""
    return (name.startswith("市区町村コード") and len(code) == 3 and code.isascii() and code.isdigit()
            and any(c.name.startswith("都道府県コード") for c in table.columns))
