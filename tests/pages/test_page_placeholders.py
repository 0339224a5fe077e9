"""TPL-002's judgement of the candidates the in-page script returns (no browser): template text counts, what the
page means (an example it gives as one, marks used as symbols, real words that contain a test word) does not."""

from __future__ import annotations

import json

import pytest

from guideline_lint.japanese import PLACEHOLDER_PATTERN
from guideline_lint.kinds.page.placeholders import ANYWHERE, SCRIPT, placeholders_in


@pytest.mark.parametrize(("text", "words"), [
    ("当サイトは〇〇市が運用しています。", ["〇〇"]),
    ("株式会社〇〇", ["〇〇"]),
    ("「〇〇市個人情報の保護に関する条例(平成XX年XX月XX日 条例第XXX号)」", ["〇〇", "XX", "XX", "XX", "XXX"]),
    ("最終更新日時: 2020/XX/XX XX:XX", ["XX/XX", "XX:XX"]),
    ("〇〇課（担当課名）", ["〇〇", "（担当課名）"]),
    ("お問い合わせ（自治体名）まで", ["（自治体名）"]),
    ("https://example.com/privacy", ["example.com"]),
    ("mailto:info@example.jp", ["example.jp"]),
    ("/images/dummy.png", ["dummy"]),
    ("https://placehold.jp/150x150.png", ["placehold.jp"]),
    ("ダミーテキストです", ["ダミー"]),
    ("Lorem ipsum dolor sit amet", ["Lorem ipsum"]),
    ("テスト", ["テスト"]),
    ("ＴＥＳＴ１", ["ＴＥＳＴ１"]),
    ("hoge", ["hoge"]),
])
def test_template_text_is_found(text: str, words: list[str]) -> None:
    assert placeholders_in(text) == words


@pytest.mark.parametrize(("text", "context"), [
    ("入力例：〇〇区〇〇町1-2-3", ""),
    ("taro@example.com", "メールアドレスの例: taro@example.com"),
    ("（例）〇〇市〇〇町", ""),
    ("e.g. https://example.com/form", ""),
    ("〇〇", ""),  # a table cell of marks
    ("〇〇〇〇〇〇", ""),  # a rule drawn with marks
    ("◎ 〇 △ ××", ""),
    ("自治体名", ""),  # a table heading or a form label
    ("各自治体名を入力してください", ""),
    ("PCR テストの会場", ""),
    ("テストセンター", ""),
    ("学力テスト", ""),
    ("20XX年度までに達成します", ""),  # a year not yet known, in a plan
    ("XXLサイズ", ""),
    ("条例第12号", ""),
    ("2024/12/01 10:00", ""),
])
def test_what_the_page_means_is_left_alone(text: str, context: str) -> None:
    assert placeholders_in(text, context) == []


def test_an_example_marker_does_not_hide_a_placeholder_in_an_ordinance_name() -> None:
    # 条例 ends in 例: no example marker there.
    assert placeholders_in("「〇〇市個人情報の保護に関する条例」で定める場合を除き") == ["〇〇"]


def test_the_page_uses_the_shared_word_list() -> None:
    assert ANYWHERE.pattern.startswith(PLACEHOLDER_PATTERN)
    assert json.dumps(PLACEHOLDER_PATTERN)[1:-1] in SCRIPT  # the same list goes to the browser, as JSON
