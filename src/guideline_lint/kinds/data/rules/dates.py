"""Dates (L3-05): 和暦 (令和5年, R5.4.1) and other forms than ISO 8601 (2023/4/1), in cells and in
headers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guideline_lint import japanese as jp
from guideline_lint.kinds.data.rules.base import Hit, Problems, Table, cell_rule, problems, table_rule
from guideline_lint.kinds.data.rules.several import DATE_HINT

problems("wareki_date", "nonstandard_date")

_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_HEADER_ERA_LETTER_RE = re.compile(r"(?<![A-Za-z0-9])" + jp.WAREKI_LETTER_RE.pattern)  # not 'PM2.5'


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
        yield Hit("wareki_date", text, f"→ {date[1]}")
    elif date and date[0] != "iso":
        yield Hit("nonstandard_date", text, f"→ {date[1]}")
    elif kind == "date" and not date and jp.contains_wareki(text):
        yield Hit("wareki_date", text)


@table_rule()
def header_eras(table: Table, found: Problems) -> None:
    """Headers that name a year in 和暦 ('令和5年度', 'H30')."""
    header = table.facts.header_record
    for index, name in enumerate(table.facts.header):
        label = name.strip()
        era = jp.WAREKI_KANJI_RE.search(label) or _HEADER_ERA_LETTER_RE.search(label) if label else None
        if era and header is not None:
            converted = jp.wareki_to_iso(era.group())
            found.add("wareki_date", header.record, index, label, f"{era.group()} → {converted}" if converted else None,
                      line=header.line)
