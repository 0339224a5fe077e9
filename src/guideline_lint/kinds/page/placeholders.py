"""``page_placeholders``: no template text is left in a live page (issue #12: 〇〇市 13 times, an example.com privacy
link and 平成XX年XX月XX日 in a published service).

The word list is TPL-001's, from its one home (``japanese.PLACEHOLDER_PATTERN``); a page adds what only a page
shows: 「XX年XX月XX日」 and 「XX:XX」 left for a date, a name slot in brackets (（担当課名）), a test word as the
whole text of an element (テスト, test, hoge), dummy images (dummy.png, placehold.jp). The in-page script returns the
candidates with their element; here each is judged, so that what is meant stays out of the report:

- an example the page gives as one (例：〇〇区〇〇町1-2-3, e.g. taro@example.com) — and input placeholders, code
  samples and what a user types are never read;
- marks used as symbols (〇〇 or ×× in a table of marks, a row of 〇 as a rule): a pair of marks counts only
  beside a word (〇〇市, 株式会社〇〇, 平成××年);
- 自治体名 only as a slot in brackets: as a table heading or a form label it names a real column or field;
- a test word only as the whole text (テストセンター and PCR テスト are real words).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.japanese import PLACEHOLDER_PATTERN
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import MAX_OCCURRENCES, pages_of, read_script, script_key, script_result
from guideline_lint.model import Location, Status, Target, Text

# What a page adds to the shared list: a date or number left as XX, a name slot in brackets, dummy images.
PAGE_PATTERN = (
    r"(?<![A-Za-z0-9])X{2,4}(?=[年月日号時分])|(?<![A-Za-z0-9])X{2}[/:]X{2}(?![A-Za-z0-9])"
    r"|[（(【\[＜<]\s*(?:自治体名|区市町村名|市区町村名|市町村名|担当課名|担当部署名|部署名|課名|団体名|組織名"
    r"|サービス名|サイト名)\s*[）)】\]＞>]"
    r"|(?:^|[/_.-])dummy(?=[/_.0-9-]|$)"
    r"|\b(?:placehold\.(?:jp|it|co)|via\.placeholder\.com|dummyimage\.com|picsum\.photos|lorempixel\.com"
    r"|placekitten\.com)\b"
)
ANYWHERE = re.compile(f"{PLACEHOLDER_PATTERN}|{PAGE_PATTERN}", re.IGNORECASE)
# A test word as the whole text of an element or attribute (after NFKC): 'テスト', 'TEST1', 'ダミーデータ'.
WHOLE_PATTERN = r"(?:テスト|てすと|test|ダミー|dummy|hoge|fuga|piyo)(?:データ|data|ページ|page|用)?[0-9]*"
WHOLE = re.compile(WHOLE_PATTERN, re.IGNORECASE)
SCRIPT = (read_script(__name__, "placeholders.js").replace("__ANYWHERE__", json.dumps(ANYWHERE.pattern))
          .replace("__WHOLE__", json.dumps(WHOLE_PATTERN)))
KEY = script_key(SCRIPT)

MARKS = re.compile(r"〇〇|○○|◯◯|××|ＸＸ")
# The page says it is an example: 例：, （例）, 記入例, 例えば, e.g. — not the 例 of 条例, 事例, 慣例 ….
EXAMPLE = re.compile(r"(?<![条事慣判実前先特通比恒類文])例(?:えば|[)）:：」】\]\s]|$)|たとえば|[（(【\[「]\s*例"
                     r"|\be\.g\.|\bfor example\b|\bexample:", re.IGNORECASE)
SLOT = re.compile(r"[（(【\[＜<]\s*自治体名\s*[）)】\]＞>]")


def placeholders_in(text: str, context: str = "") -> list[str]:
    """The template words ``text`` holds, as a reader would call them template text (see the module's rules);
    ``context`` is the text around it (the paragraph, the cell, the label), where an example marker may stand."""
    if EXAMPLE.search(context or text):
        return []
    words = []
    for match in ANYWHERE.finditer(text):
        word = match.group()
        if MARKS.fullmatch(word) and not _beside_a_word(text, match.start(), match.end()):
            continue
        if word == "自治体名" and not SLOT.search(text):
            continue
        words.append(word.strip(" /_.-"))
    if not words and WHOLE.fullmatch(unicodedata.normalize("NFKC", text).strip()):
        words.append(text.strip())
    return words


def _beside_a_word(text: str, start: int, end: int) -> bool:
    around = (text[start - 1] if start else "") + (text[end] if end < len(text) else "")
    return any(ch.isalnum() and ch not in "〇○◯×ＸX" for ch in around)


class PagePlaceholdersParams(Params):
    ignore: list[str] = Field(default_factory=list,
                              description="text to leave out: a place whose text or address contains one is skipped")


class PagePlaceholdersKind(Kind):
    name = "page_placeholders"
    target = Target.PAGE
    Params = PagePlaceholdersParams
    summary = Text(ja="ページにひな形・仮置きの文言（〇〇市、example.com、テスト、ダミー画像）が残っていない",
                   en="no template text (〇〇市, example.com, test words, dummy images) is left in the page")

    def needs(self, params: PagePlaceholdersParams) -> Needs:
        return Needs(page_scripts={KEY: SCRIPT})

    def evaluate(self, params: PagePlaceholdersParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            result = script_result(page, KEY)
            if isinstance(result, Observation):
                out.append(result)
                continue
            out.append(self._judge(params, page.url, (result.get("detail") or {}).get("items") or []))
        return out

    def _judge(self, params: PagePlaceholdersParams, url: str, items: list[dict[str, Any]]) -> Observation:
        places: list[Location] = []
        words: dict[str, None] = {}
        for item in items:
            text = str(item.get("text") or "")
            if any(part in text for part in params.ignore):
                continue
            found = placeholders_in(text, str(item.get("context") or ""))
            if not found:
                continue
            words.update(dict.fromkeys(found))
            node = item.get("node") or {}
            places.append(Location(url=url, selector=node.get("selector") or None, snippet=node.get("snippet") or None,
                                   value=text[:120]))
        if not places:
            return Observation(Status.PASS, subject=url, location=Location(url=url))
        shown = list(words)[:5]
        listed = Text(ja="、".join(shown) + (" など" if len(words) > 5 else ""),
                      en=", ".join(shown) + (" …" if len(words) > 5 else ""))
        return Observation(Status.FAIL, subject=url, location=places[0], occurrences=places[1:MAX_OCCURRENCES + 1],
                           more_occurrences=max(0, len(places) - 1 - MAX_OCCURRENCES),
                           detail={"count": len(places), "words": listed.en, "words_ja": listed.ja,
                                   "words_en": listed.en})


KINDS: list[type[Kind]] = [PagePlaceholdersKind]
