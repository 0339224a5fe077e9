"""Template and test content left in published data (issue #12): the shared placeholder words (〇〇市, ××,
ダミー, example.com, lorem ipsum — ``japanese.PLACEHOLDER_PATTERN``, the list TPL-001 uses on documents and
pages), test words standing alone as a value (テスト, サンプル, dummy), telephone and postal numbers made of
zeros, and data sets whose folder or file is named as a test.

A word inside a real value is left alone ('テストセンター', '学力テスト'), and so is a test word in a column
whose header names it (a column 'テスト種別' may hold 'テスト'). Header cells are not judged here: a header
'自治体名' names a column of municipality names (L1-05 judges headers). Nor is a sentence in a column of free
answers: people write 〇〇 for "such-and-such" (「福井といえば〇〇といった…」, 「◯◯祭りのようなお祭り」 in
code4fukui/fukui-kanko-survey's answers), which is their words, not a template's."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePosixPath

from guideline_lint import japanese as jp
from guideline_lint.facts.data import ColumnProfile
from guideline_lint.kinds.data.rules.base import Hit, Problems, Table, cell_rule, problems, table_rule

problems("placeholder_value", "test_dataset")

FREE_ANSWERS = 20  # distinct values in the sample from which a text column is taken for free answers
_TEST_WORDS = ("テスト", "てすと", "test", "ダミー", "dummy", "サンプル", "sample", "hoge", "fuga", "piyo")
# The whole value, after NFKC and case folding: 'テスト', 'TEST1', 'サンプルデータ', 'ﾀﾞﾐｰ'.
_TEST_VALUE_RE = re.compile(r"(?P<word>" + "|".join(_TEST_WORDS) + r")(?:データ|data)?[0-9]*")
# 000-0000-0000, 03-0000-0000, 0120-00-0000, xxx-xxxx-xxxx, 〒000-0000: a number nobody can call or post to.
_DUMMY_NUMBER_RE = re.compile(
    r"(?:tel[:.]?|電話)?\s*(?:[0-9]{2,5}|[0x×]{2,5})-(?:0{1,4}|[x×]{1,4})-(?:0{4}|[x×]{4})|〒?\s*(?:000-0000|xxx-xxxx)")
# A folder or file named as a test: 'テスト（移動）/opendate_test_parking.csv', 'sample.csv', 'dummy_data.csv'.
# English 'sample' only as the whole name: 'water_sample_results' is a survey of samples.
_TEST_PATH_RE = re.compile(r"^(?:テスト|ダミー|サンプル)(?:[(_\-\s0-9].*)?$"
                           r"|(?:^|[_\-.\s])(?:test|dummy)(?:$|[_\-.\s0-9])|^samples?$", re.IGNORECASE)


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().casefold()


@cell_rule
def placeholder_value(table: Table, index: int, value: str) -> Iterator[Hit]:
    text = value.strip()
    if not text:
        return
    match = jp.PLACEHOLDER_RE.search(text)
    if match and (match.group() != "自治体名" or text == "自治体名"):  # '自治体名' inside a sentence is prose
        if not (_sentence(text) and _free_answers(table.column(index))):
            yield Hit("placeholder_value", text)
        return
    normal = _normal(text)
    word = _TEST_VALUE_RE.fullmatch(normal)
    if word:
        column = table.column(index)
        header = _normal(column.name) if column else ""
        if word.group("word") not in header:
            yield Hit("placeholder_value", text)
        return
    if _DUMMY_NUMBER_RE.fullmatch(normal):
        yield Hit("placeholder_value", text)


def _sentence(text: str) -> bool:
    return len(text) >= 20 or any(mark in text for mark in "。！？!?\n")


def _free_answers(column: ColumnProfile | None) -> bool:
    """A column of text that people wrote freely: many different values (a template's column repeats a few)."""
    if column is None or column.kind != "text":
        return False
    return column.distinct is None or len(column.distinct) >= FREE_ANSWERS


@table_rule()
def test_dataset(table: Table, found: Problems) -> None:
    """A data set published under a test name (yaizu-city opendata 'data/テスト（移動）/opendate_test_parking.csv')."""
    facts = table.facts
    path = PurePosixPath(facts.path)
    for part in (*path.parent.parts, path.stem):
        if _TEST_PATH_RE.search(unicodedata.normalize("NFKC", part)):
            header = facts.header_record
            found.add("test_dataset", header.record if header else None, None, part,
                      line=header.line if header else None)
            return
