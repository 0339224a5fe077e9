"""Several values in one cell (L1-07): '10、20' in a numeric column, '2023/4/1～2023/5/1' in a date
column."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Hit, Problems, Table, cell_rule, problems, table_rule
from guideline_lint.kinds.data.rules.text import is_notes_column

problems("multi_value", "nested_value")

_SEVERAL_RE = re.compile(r"[0-9０-９].*(?:[、,，;；/／・～〜~]|\s)\s*[0-9０-９]")
# An opening time: '8:30～16:00', '11時～18時', '17:30～LO.20:30' (after NFKC). Two in one cell are two values
# ('8：30～16：00, 8：30～15：00（土曜日）' in yaizu-city opendata 焼津海の幸グルメマップ_サバ.csv 営業時間).
_TIME_RANGE_RE = jp.lazy_regex(r"[0-9]{1,2}(?::[0-9]{2}|時(?:[0-9]{1,2}分)?)\s*[~〜\-－ー]\s*(?:L\.?O\.?\s*)?"
                            r"[0-9]{1,2}(?::[0-9]{2}|時)")
# Only in a column that names a time ('営業時間', '提供時間'): a code header such as '17:text' may stand for a
# remarks column (yaizu-city opendata maps it to 利用可能日時特記事項 in attributes.csv).
_TIME_HEADER_RE = jp.lazy_regex(r"時間|時刻|営業|開館|開所|開園|受付|hours|time", re.IGNORECASE)
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
DATE_HINT = re.compile(r"[/年月.\-]|^[RHSTMrhstm令平昭大明]").search  # cells that may be dates
# One date in an order or with a day the converter does not take: '11/8/24', '7/29/24' (M/D/YY among YYYY/M/D) and
# '1985/1/0' (day 0) in takamatsu-city opendata hospital and dental_laboratories 開設日. Three numbers joined by one
# separator are one date, not several values (L3-05-ISO8601 names it: dates.py).
ONE_DATE_SHAPE = re.compile(r"[0-9]{1,4}([/.\-])[0-9]{1,2}\1[0-9]{1,4}").fullmatch


def several_values(text: str) -> bool:
    """More than one number or date in one cell."""
    return _SEVERAL_RE.search(text) is not None and jp.classify_date(text) is None and not jp.numeric_like(text)


@cell_rule
def multi_value(table: Table, index: int, value: str) -> Iterator[Hit]:
    column = table.column(index)
    text = value.strip()
    if column is None or not text or not several_values(text):
        return
    if column.kind == "numeric" and not _PLAIN(value):
        if text not in jp.SPECIAL_SYMBOLS and not jp.classify_number(text) and not jp.is_plain_number(text):
            yield Hit("multi_value", text)
    elif column.kind == "date":
        date = jp.classify_date(text) if DATE_HINT(text) else None
        if not date and not jp.contains_wareki(text) and not ONE_DATE_SHAPE(unicodedata.normalize("NFKC", text)):
            yield Hit("multi_value", text)
    elif column.kind == "text" and _TIME_HEADER_RE().search(column.name) and not is_notes_column(table, index) \
            and len(_TIME_RANGE_RE().findall(unicodedata.normalize("NFKC", text))) >= 2:
        yield Hit("multi_value", text)


@table_rule()
def nested_values(table: Table, found: Problems) -> None:
    """JSON values that are objects or lists: a table of their own inside one cell."""
    nested = table.facts.nested
    for place in nested.places:
        found.add("nested_value", place.record, place.column, place.text, times=0)
    if nested.count:
        found.log("nested_value").count += nested.count
