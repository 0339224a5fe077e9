"""Dates (L3-05): 和暦 (令和5年, R5.4.1) without the Western year beside it, and other forms than ISO 8601 (2023/4/1),
in cells and in headers. L3-05 accepts 和暦 with the Western year written beside it (令和5年（2023年）4月1日) or, as
the table's own 併記, in another column of Western dates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Hit, Problems, Table, cell_rule, problems, table_rule
from guideline_lint.kinds.data.rules.several import DATE_HINT, ONE_DATE_SHAPE

problems("wareki_date", "nonstandard_date")

_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_HEADER_ERA_LETTER_RE = re.compile(r"(?<![A-Za-z0-9])" + jp.WAREKI_LETTER_RE.pattern)  # not 'PM2.5'
_WESTERN_YEAR_RE = jp.lazy_regex(r"(?<![0-9])(?:18[6-9][0-9]|19[0-9]{2}|2[01][0-9]{2})(?![0-9])")


def with_western_year(text: str) -> bool:
    """和暦 with the Western year beside it: 令和5年（2023年）, 2023年（令和5年）."""
    return _WESTERN_YEAR_RE().search(text) is not None


def western_column_beside(table: Table, index: int) -> bool:
    """Another column of the table holds Western dates (mostly ISO 8601): the 和暦 column is 併記."""
    key = "western_date_columns"
    if key not in table.notes:
        table.notes[key] = {c.index for c in table.columns
                            if c.kind == "date" and c.non_empty and c.iso_dates * 2 >= c.non_empty}
    return bool(table.notes[key] - {index})


@cell_rule
def dates(table: Table, index: int, value: str) -> Iterator[Hit]:
    column = table.column(index)
    kind = column.kind if column else "text"
    if kind == "numeric" and _PLAIN(value):
        return
    text = value.strip()
    if not text:
        return
    date = jp.classify_date(text) if DATE_HINT(text) else None
    if date and date[0] == "wareki":
        if not western_column_beside(table, index):
            yield Hit("wareki_date", text, f"→ {date[1]}")
    elif date and date[0] != "iso":
        yield Hit("nonstandard_date", text, f"→ {date[1]}")
    elif kind == "date" and not date and ONE_DATE_SHAPE(unicodedata.normalize("NFKC", text)):
        # A date in an order or with a day that cannot be read for sure: 11/8/24 (M/D/YY among YYYY/M/D), 1985/1/0
        # (takamatsu-city opendata hospital, dental_laboratories 開設日). Not ISO 8601; no form is suggested.
        yield Hit("nonstandard_date", text)
    elif kind == "date" and not date and jp.contains_wareki(text) and not with_western_year(text) \
            and not western_column_beside(table, index):
        yield Hit("wareki_date", text)


@table_rule()
def header_eras(table: Table, found: Problems) -> None:
    """Headers that name a year in 和暦 ('令和5年度', 'H30')."""
    header = table.facts.header_record
    for index, name in enumerate(table.facts.header):
        label = name.strip()
        era = jp.WAREKI_KANJI_RE.search(label) or _HEADER_ERA_LETTER_RE.search(label) if label else None
        if era and header is not None and not with_western_year(label):
            converted = jp.wareki_to_iso(era.group())
            found.add("wareki_date", header.record, index, label, f"{era.group()} → {converted}" if converted else None,
                      line=header.line)
