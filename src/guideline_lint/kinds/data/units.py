"""``data_column_units``: numeric columns state their unit (L3-04) in the header, a unit column or the
manifest."""

from __future__ import annotations

import re
import unicodedata

from guideline_lint import japanese as jp
from guideline_lint.facts import Facts
from guideline_lint.facts.data import ColumnProfile, DataFileFacts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import (
    CAP,
    TABLE_FORMATS,
    applies,
    files,
    labelled,
    none_observation,
    open_data_entry,
)
from guideline_lint.model import Location, Status, Target, Text

UNIT_IN_HEADER_RE = re.compile(
    r"[（(\[［【][^）)\]］】]*[）)\]］】]|_単位|単位|率|割合|比|数|額|量|人|円|件|%|％|㎡|m|km|kg|時間|"
    r"コード|番号|ID|id|No|NO|緯度|経度|年|月|日|時|順位|指数|倍|"
    r"メートル|キロ|グラム|リットル|平方|立方|ヘクタール|坪|台|棟|席|歳|世帯|戸|箇所|か所|℃|"  # not 度: 高度の値
    # the same in English headers (code4fukui/fukui-kanko-survey all-cnt.csv: day, count), and numbers that are
    # no quantity: versions, and scores on a scale of their own (NPS, 満足度)
    r"(?i:\b(?:count|number|num|rate|ratio|percent|pct|year|month|day|date|time|hour|age|rank|lat|lon|lng|"
    r"latitude|longitude|version|ver|score|index|nps)\b)|バージョン|スコア|満足度|評価|点"
)
# Columns of codes and flags: numbers without a unit by nature (L3-04 does not ask for one).
# A long-format table states the unit of each row in a column of its own (年度, 項目, 値, 単位).
UNIT_COLUMN_RE = re.compile(r"^\s*(?:単位|単位名|unit|units)\s*$", re.IGNORECASE)
# English codes too ('code', 'prefCode', 'areaCode': takamatsu-city opendata), and '#property', the column of row
# ids in LinkData's table format (its header row starts '#property': takamatsu-city opendata's data.xlsx files).
CODE_LIKE_HEADER_RE = re.compile(r"(区分|種別|類型|分類|コード|番号|有無|フラグ|flag|Flag|FLAG|ID|Id|id|No|NO|識別子|"
                                 r"(?<![A-Za-z])code|Code|CODE|^#property$)")
_KATAKANA_DASH_RE = re.compile(r"(?<=[\u30a0-\u30ff])[―‐—\-](?=[\u30a0-\u30ff])")  # 'コ―ド' written with a dash
FLAG_VALUES = frozenset({"0", "1"})
# Dates written as plain numbers (20220401, 202204): a day or month, not a quantity.
_COMPACT_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])?")
# A measured value, even when every cell holds 1: '高度の値' (yaizu-city opendata 公衆トイレ一覧) is an altitude.
_MEASURE_HEADER_RE = jp.lazy_regex(r"値|高さ|高度|長さ|幅|深さ|面積|重さ|距離|標高")


def header_text(name: str) -> str:
    """The header as the patterns read it: NFKC ('№' → 'No') and the long vowel for a dash ('コ―ド' → 'コード')."""
    return _KATAKANA_DASH_RE.sub("ー", unicodedata.normalize("NFKC", name))


def needs_no_unit(item: DataFileFacts, column: ColumnProfile, id_sets: list[set[str]]) -> bool:
    """Numbers that are no quantity, or whose unit is already written: codes and ids by their header, flags
    (only 0 and 1: '宿泊施設_温泉', also beside a free answer: 'その他' = 0 or 'えちぜん鉄道'), dates written as
    numbers (20220401), codes with their labels beside them ('事故内容' next to '事故内容区分'),
    references to the table's id column (navi.csv '次' = the ID of the next question), and values that all
    carry their unit ('5台': L2-01 asks to move it to the header). ``id_sets``: ``sparse_ids(item)``."""
    name = header_text(column.name)
    if UNIT_IN_HEADER_RE.search(name) or CODE_LIKE_HEADER_RE.search(name) or column.leading_zeros:
        return True
    values = set(column.distinct or ())
    numbers = {v for v in values if v.isascii() and v.isdigit()}  # a flag column may hold a free 'other' answer
    if (numbers and numbers <= FLAG_VALUES and not _MEASURE_HEADER_RE().search(name)) or labelled(item, column) \
            or not column.numbers:
        return True
    if numbers and all(_COMPACT_DATE_RE.fullmatch(v) for v in numbers):
        return True
    return len(values) >= 3 and any(values <= ids for ids in id_sets)


def sparse_ids(item: DataFileFacts) -> list[set[str]]:
    """The values of the id columns whose ids leave gaps (0, 1, 2, 8, 15 …): a column whose every value is one of
    them refers to rows by id. Ids 1 … n without gaps are left out, as any small count would fall among them.
    Worked out once per file; an id column itself never asks (its code-like header already needs no unit)."""
    found = []
    for other in item.columns:
        if not other.distinct or not CODE_LIKE_HEADER_RE.search(header_text(other.name)):
            continue
        numbers = [int(v) for v in other.distinct if v.isascii() and v.isdigit()]
        if len(numbers) >= 3 and len(numbers) < 0.7 * (max(numbers) - min(numbers) + 1):
            found.append(set(other.distinct))
    return found


class UnitsParams(Params):
    pass


class DataColumnUnitsKind(Kind):
    name = "data_column_units"
    target = Target.DATA
    Params = UnitsParams
    summary = Text(ja="数値の列の単位が項目名かマニフェスト（data.open_data[].units）に書かれている",
                   en="numeric columns state their unit in the header or in the manifest (data.open_data[].units)")

    def evaluate(self, params: UnitsParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        observations = []
        for item in items:
            skipped = applies(item, TABLE_FORMATS)
            if skipped:
                observations.append(skipped)
                continue
            declared = (open_data_entry(facts, item.path) or {}).get("units") or {}
            unit_column = any(UNIT_COLUMN_RE.match(c.name or "") and c.non_empty for c in item.columns)
            id_sets = [] if unit_column else sparse_ids(item)
            lacking = [] if unit_column else [
                c for c in item.columns if c.kind == "numeric" and c.name and c.name not in declared
                and not needs_no_unit(item, c, id_sets)]
            numeric = sum(1 for c in item.columns if c.kind == "numeric")
            detail = {"file": item.subject, "count": len(lacking), "columns": "、".join(c.name for c in lacking[:10])}
            metrics = {"numeric_columns": float(numeric), "without_unit": float(len(lacking))}
            if not lacking:
                observations.append(Observation(Status.PASS, subject=item.subject, location=Location(file=item.subject),
                                                detail=detail, metrics=metrics))
                continue
            places = [Location(file=item.subject, row=item.header_row, column=c.name, value=c.name) for c in lacking]
            observations.append(Observation(Status.FAIL, subject=item.subject, location=places[0],
                                            occurrences=places[1:CAP], more_occurrences=max(0, len(places) - CAP),
                                            detail=detail, metrics=metrics))
        return observations
