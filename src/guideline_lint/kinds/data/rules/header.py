"""The header record (L1-05, L2-03, L1-14): every column named, names that mean something, no name
twice, one header record, no years spread across columns; header cells also go through the text rules."""

from __future__ import annotations

import re

from guideline_lint import japanese as jp
from guideline_lint.facts.data import Row
from guideline_lint.kinds.data.rules.base import HEADER_RULES, Problems, Table, problems, row_rule, table_rule

problems("header_empty", "header_auto_name", "header_duplicate", "header_multirow", "wide_header")

AUTO_NAME_RE = re.compile(r"(?:列|Column|column|Unnamed:?\s*|field|Field|項目)\s*\d+")
WIDE_HEADER_RE = re.compile(
    r"^(?:(?:19|20)\d{2}(?:年度?|年?\d{1,2}月)?|(?:令和|平成|昭和)(?:元|\d{1,2})年度?|[RHS]\d{1,2}|"
    r"\d{1,2}月|(?:19|20)\d{2}[-/]\d{1,2})(?:.{0,6})$"
)


@table_rule()
def header_names(table: Table, found: Problems) -> None:
    header = table.facts.header_record
    if header is None:
        return
    record, line = header.record, header.line
    seen: dict[str, int] = {}
    for index, name in enumerate(table.facts.header):
        label = name.strip()
        if not label:
            found.add("header_empty", record, index, "", line=line)
            continue
        if AUTO_NAME_RE.fullmatch(label):
            found.add("header_auto_name", record, index, label, line=line)
        if label in seen:
            found.add("header_duplicate", record, index, label, f"= {seen[label] + 1}", line=line)
        seen.setdefault(label, index)
        for rule in HEADER_RULES:
            for hit in rule(table, index, name):
                found.add(hit.problem, record, index, hit.value, hit.note, line=line)
        if WIDE_HEADER_RE.match(label):
            found.add("wide_header", record, index, label, line=line)


@table_rule()
def second_header_record(table: Table, found: Problems) -> None:
    """A second header record: text where the columns below hold numbers (L2-03), or a header with
    blank cells that the next record fills in (merged header cells). One word in the only number or date column
    is a value, not a header ('確認年月日不明' in 開設確認日: takamatsu-city opendata 0101 美容所一覧). The record
    found is header, not data: the other rules leave it alone (``second_header_row``), so the questions under
    the categories of a survey's two-row header are not text in number columns (takamatsu-city opendata 0112
    Well-Being 回答データ)."""
    data = table.sample_data()
    if len(data) < 2:
        return
    first = data[0].cells
    numeric = [c for c in table.columns if c.kind in ("numeric", "date")]
    texty = [c.index for c in numeric if c.index < len(first) and first[c.index].strip()
             and not jp.numeric_like(first[c.index]) and not jp.classify_date(first[c.index])
             and first[c.index].strip() not in jp.SPECIAL_SYMBOLS]
    blanks = [i for i, h in enumerate(table.facts.header) if not h.strip()]
    fills = [i for i in blanks if i < len(first) and first[i].strip()]
    if texty and ((len(texty) >= 2 and len(texty) * 2 >= len(numeric)) or fills):
        found.add("header_multirow", data[0].record, texty[0], first[texty[0]], line=data[0].line_of(texty[0]))
        table.notes["second_header"] = data[0].record


@row_rule
def second_header_row(table: Table, row: Row, found: Problems) -> bool:
    """False for the second header record ``second_header_record`` found: it is header, not data."""
    return row.record != table.notes.get("second_header")
