"""Pure helpers for Japanese open data: eras (和暦), machine-dependent characters, number and date
notation, encodings, prefecture names and local-government codes.

Everything here is a pure function over strings or bytes, so the data collector and its tests can
use them without files. The character classes follow the Digital Agency's machine-readability rule
L1-08 (機種依存文字) and its checker's Unicode ranges, plus Kangxi radicals (look-alike kanji that PDF
extraction leaves behind, e.g. '⼈' U+2F08 for '人'). Half-width katakana (JIS X 0201, in every Japanese code
page) are not machine-dependent, and the Digital Agency's L1-08 checker does not flag them.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import NamedTuple

from guideline_lint.model import Text


def lazy_regex(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regex compiled on its first use: for patterns only some inputs reach (a data rule's rare branch), so a run
    that never needs one does not compile it at import (compiling costs 0.1–0.8 ms each in Python)."""
    return cache(lambda: re.compile(pattern, flags))


# --------------------------------------------------------------------------- template text

# Template and placeholder words left in a published service: the skeleton's 〇〇 and ××, 自治体名 left
# literally, dummy text and the example domains of RFC 2606 / JPRS. One list for every check that looks for
# them (TPL-001 in documents and pages, DATA-TPL-01 in data values); searched case-insensitively.
PLACEHOLDER_PATTERN = r"〇〇|○○|◯◯|××|ＸＸ|自治体名|ダミー|\bexample\.(?:com|jp|org|net)\b|lorem ipsum"
PLACEHOLDER_RE = re.compile(PLACEHOLDER_PATTERN, re.IGNORECASE)
WORD_LISTS: dict[str, str] = {"placeholders": PLACEHOLDER_PATTERN}  # by name, for checks written as data

# --------------------------------------------------------------------------- characters

# (first, last, category) — inclusive code point ranges of characters that are not safe across systems.
MACHINE_DEPENDENT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x2160, 0x217F, "roman_numeral"),  # Ⅰ Ⅱ ⅰ (NEC special characters)
    (0x2460, 0x24FF, "circled_number"),  # ① ⑳ ⒜ ⓐ
    (0x2E80, 0x2EFF, "radical"),  # CJK radicals supplement: look-alikes of kanji
    (0x2F00, 0x2FDF, "radical"),  # Kangxi radicals: '⼈' for '人', '⽯' for '石'
    (0x3220, 0x3243, "enclosed"),  # ㈱ ㈲ ㈹
    (0x3251, 0x325F, "circled_number"),  # ㉑ … ㉟
    (0x3280, 0x32B0, "enclosed"),  # ㊤ ㊥ ㊦
    (0x32B1, 0x32BF, "circled_number"),  # ㊱ … ㊿
    (0x32C0, 0x32FF, "enclosed"),  # ㋀ … ㋿ (㋿ is the 令和 ligature)
    (0x3300, 0x33FF, "squared"),  # ㌔ ㍻ ㎡ ㏍
    (0xFFFD, 0xFFFD, "invalid_bytes"),  # what decoding left where bytes were not valid
)

CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "roman_numeral": ("ローマ数字", "Roman numeral"),
    "circled_number": ("丸数字", "circled number"),
    "radical": ("部首文字（漢字に似た別の文字）", "radical look-alike of a kanji"),
    "enclosed": ("囲み文字（㈱ など）", "enclosed character (such as ㈱)"),
    "squared": ("組文字・単位記号（㍻ ㎡ など）", "squared character (such as ㍻ ㎡)"),
    "invalid_bytes": ("文字コードとして不正なバイト", "invalid bytes for the encoding"),
}

MACHINE_DEPENDENT_CLASS = "".join(
    f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b, _ in MACHINE_DEPENDENT_RANGES
)
MACHINE_DEPENDENT_RE = re.compile(f"[{MACHINE_DEPENDENT_CLASS}]")
FULLWIDTH_DIGIT_RE = re.compile("[\uff10-\uff19]")
# C1 control characters are never text: they are what Shift_JIS bytes become when read as Latin-1 and saved again
# as UTF-8 ('\u0091S\u008d\u0091' for 全国: codeforjapan/noto-house-map dim/…/170003_aed.csv, valid UTF-8 throughout).
GARBLED_RE = re.compile("[\u0080-\u009f]")


def classify_char(ch: str) -> str | None:
    """The machine-dependent category of one character, or None when it is safe."""
    cp = ord(ch)
    for first, last, category in MACHINE_DEPENDENT_RANGES:
        if first <= cp <= last:
            return category
    return None


def machine_dependent_chars(value: str) -> list[tuple[str, str]]:
    """Every (character, category) in ``value`` that is machine-dependent, in order, without repeats."""
    found: dict[str, str] = {}
    for m in MACHINE_DEPENDENT_RE.finditer(value):
        ch = m.group()
        if ch not in found:
            category = classify_char(ch)
            if category:
                found[ch] = category
    return list(found.items())


def suggest_replacement(value: str) -> str:
    """``value`` with machine-dependent characters replaced by their portable forms (NFKC)."""
    return "".join(unicodedata.normalize("NFKC", ch) if classify_char(ch) else ch for ch in value)


def has_fullwidth_digits(value: str) -> bool:
    return FULLWIDTH_DIGIT_RE.search(value) is not None


# --------------------------------------------------------------------------- encodings


def detect_encoding(head: bytes) -> tuple[str, str, bool]:
    """(Python codec, name to show, has BOM) for the first bytes of a text file.

    UTF-8 is tried first (with or without BOM), then CP932 (Windows' Shift_JIS, which Excel
    writes), then EUC-JP. A multi-byte character cut at the end of ``head`` is tolerated."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8 (BOM)", True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16", True
    for codec, label in (("utf-8", "UTF-8"), ("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP")):
        if _decodes(head, codec):
            return codec, label, False
    return "utf-8", "unknown", False


def _decodes(head: bytes, codec: str) -> bool:
    import codecs

    decoder = codecs.getincrementaldecoder(codec)()
    try:
        decoder.decode(head, final=False)  # a character cut at the end waits for more bytes
    except UnicodeDecodeError:
        return False
    return True


# --------------------------------------------------------------------------- numbers

PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NUMBER_CORE = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_UNIT = (
    r"(?:%|％|円|千円|万円|百万円|億円|人|千人|万人|件|個|台|戸|世帯|歳|才|名|回|kg|ｋｇ|km|ｋｍ|m|ｍ|㎡|ha|t"
    r"|時間|分|日|か月|ヶ月|箇所|か所|ヵ所|校|園|店|本|冊|倍|ポイント|pt)"
)
_PREFIX = r"(?:[¥￥$＄]|約)"
_FOOTNOTE = r"(?:[※＊*]\d*|\(\d\)|（\d）|注\d*)"
DIRTY_NUMBER_RE = re.compile(
    rf"(?P<sign>[+\-−－▲△]?)(?P<prefix>{_PREFIX}?)\s*(?P<num>{_NUMBER_CORE})\s*(?P<unit>{_UNIT}?)\s*"
    rf"(?P<note>{_FOOTNOTE}?)"
)
# Symbols Japanese statistics put in numeric columns for 'zero', 'not available', 'secret' (L3-03).
SPECIAL_SYMBOLS = frozenset({"-", "－", "―", "—", "‐", "…", "...", "x", "X", "ｘ", "Ｘ", "*", "＊", "***",
                             "△", "▲", "・", "‥", "nan", "NaN", "N/A", "n/a", "NA", "#N/A"})


def is_plain_number(value: str) -> bool:
    return PLAIN_NUMBER_RE.fullmatch(value) is not None


def classify_number(value: str) -> tuple[str, str] | None:
    """For a cell meant as a number: None when plain (or not a number at all), else (problem, fix).

    Problems: 'thousands' ("1,200"), 'unit' ("90人", "8.4%"), 'fullwidth' ("１２"), 'footnote'
    ("120※1"), 'sign' ("▲5" for minus). The fix is the plain number to write instead."""
    text = value.strip()
    if not text or is_plain_number(text):
        return None
    m = DIRTY_NUMBER_RE.fullmatch(text)
    if m is None:
        return None
    num = unicodedata.normalize("NFKC", m.group("num"))
    problems = []
    if any("０" <= ch <= "９" or ch in "，．" for ch in m.group("num")):
        problems.append("fullwidth")
    if "," in num:
        problems.append("thousands")
    if m.group("unit") or m.group("prefix"):
        problems.append("unit")
    if m.group("note"):
        problems.append("footnote")
    sign = m.group("sign")
    if sign and sign not in "+-":
        problems.append("sign")
    if not problems:
        return None
    plain = num.replace(",", "")
    if sign in ("-", "−", "－", "▲"):
        plain = "-" + plain
    return problems[0], plain


def numeric_like(value: str) -> bool:
    """True for a plain number or one a person wrote with separators, units or full-width digits."""
    text = value.strip()
    return bool(text) and (is_plain_number(text) or DIRTY_NUMBER_RE.fullmatch(text) is not None)


# --------------------------------------------------------------------------- dates

ERAS: dict[str, int] = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
# First and last day of each era (Gregorian). 明治 counts from 慶応4年1月1日 (1868-01-25), as the
# 改元の詔 made it retroactive; an open end (令和) is checked against today instead.
ERA_SPANS: dict[str, tuple[date, date | None]] = {
    "明治": (date(1868, 1, 25), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), None),
}
# Plans and budgets name coming years (令和9年度); a year further ahead than this is a typo.
FUTURE_YEARS = 10
ERA_LETTERS: dict[str, str] = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
_ERA_NAMES = "|".join(ERAS)
_D = r"[0-9０-９]{1,2}"

WAREKI_KANJI_RE = re.compile(
    rf"(?P<era>{_ERA_NAMES})\s*(?P<year>元|[0-9０-９]{{1,2}})\s*年(?:度)?\s*(?:(?P<month>{_D})\s*月\s*(?:(?P<day>{_D})\s*日)?)?"
)
WAREKI_LETTER_RE = re.compile(
    rf"(?P<era>[RHSTMrhstm])\.?\s*(?P<year>{_D})[./\-年](?P<month>{_D})(?:[./\-月](?P<day>{_D})日?)?"
)
ISO_DATE_RE = re.compile(
    r"\d{4}(?:-\d{2}(?:-\d{2})?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.ASCII,
)
SLASH_DATE_RE = lazy_regex(
    r"(?P<year>\d{4})(?:/(?P<month>\d{1,2})(?:/(?P<day>\d{1,2}))?|\.(?P<dmonth>\d{1,2})\.(?P<dday>\d{1,2}))"
    r"(?P<time>\s+\d{1,2}:\d{2}(?::\d{2})?)?",
    re.ASCII,
)
KANJI_DATE_RE = lazy_regex(rf"(?P<year>[0-9]{{4}})年\s*(?P<month>{_D})月\s*(?:(?P<day>{_D})日)?")


def _int(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def _iso(year: int, month: str | None, day: str | None) -> str | None:
    """ISO 8601 of a year, year-month or a date that exists (no 2月31日); None otherwise."""
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    m = _int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{year:04d}-{m:02d}"
    d = _int(day)
    if not 1 <= d <= calendar.monthrange(year, m)[1]:
        return None
    return f"{year:04d}-{m:02d}-{d:02d}"


class WarekiProblem(NamedTuple):
    """Why a 和暦 date is not a real date: where in the value (0-based offset, length) and what."""

    offset: int
    length: int
    message: Text


def parse_wareki(value: str, today: date | None = None) -> tuple[str | None, WarekiProblem | None]:
    """A 和暦 date as (ISO 8601, None), or (None, the problem) when it is written as one but cannot be:
    a day the month does not have (令和5年2月31日), a date outside its era (昭和64年1月8日: 昭和 ended on
    1989-01-07; 令和元年4月), a year the era never reached (平成32年) or far in the future (令和99年).
    (None, None) when ``value`` is not wholly a 和暦 date."""
    text = value.strip()
    lead = len(value) - len(value.lstrip())
    m = WAREKI_KANJI_RE.fullmatch(text)
    era = None
    if m:
        era = m.group("era")
    else:
        m = WAREKI_LETTER_RE.fullmatch(text)
        if m:
            era = ERA_LETTERS[m.group("era").upper()]
    if m is None or era is None:
        return None, None

    def at(group: str, ja: str, en: str) -> tuple[None, WarekiProblem]:
        start, end = m.span(group)
        return None, WarekiProblem(lead + start, end - start, Text(ja=ja, en=en))

    year_text, month_text, day_text = m.group("year"), m.group("month"), m.group("day")
    era_year = 1 if year_text == "元" else _int(year_text)
    first, last = ERA_SPANS[era]
    today = today or date.today()
    last = last or date(today.year + FUTURE_YEARS, 12, 31)
    year = ERAS[era] + era_year
    shown = f"{era}{year_text}年"
    if era_year < 1:
        return at("year", f"{era}0年はありません（元年から数えます）。",
                  f"there is no year 0 of {era} (it starts at 元年, 1).")
    if not first.year <= year <= last.year:
        if ERA_SPANS[era][1] is None:
            return at("year", f"{shown}（{year}年）は {FUTURE_YEARS} 年以上先です。",
                      f"{shown} ({year}) is more than {FUTURE_YEARS} years in the future.")
        return at("year", f"{era}は{first.year}年から{last.year}年までです（{shown}は{year}年）。",
                  f"{era} ran from {first.year} to {last.year}; {shown} would be {year}.")
    if month_text is None:
        return f"{year:04d}", None
    month = _int(month_text)
    if not 1 <= month <= 12:
        return at("month", f"{month}月はありません。", f"there is no month {month}.")
    month_first, month_last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    end = ERA_SPANS[era][1]
    span_ja = f"{era}は{first.isoformat()}から" + (f"{end.isoformat()}まで" if end else "") + "です"
    span_en = f"{era} ran from {first.isoformat()} to {end.isoformat()}" if end else \
        f"{era} began on {first.isoformat()}"
    if month_last < first or month_first > last:
        return at("month", f"{shown}{month}月は{era}の期間外です（{span_ja}）。",
                  f"{shown}{month}月 is outside {era} ({span_en}).")
    if day_text is None:
        return f"{year:04d}-{month:02d}", None
    day = _int(day_text)
    if not 1 <= day <= month_last.day:
        return at("day", f"{year}年{month}月に{day}日はありません（{month_last.day}日まで）。",
                  f"{year}-{month:02d} has no day {day} (it has {month_last.day} days).")
    when = date(year, month, day)
    if not first <= when <= last:
        return at("day", f"{shown}{month}月{day}日（{when.isoformat()}）は{era}の期間外です（{span_ja}）。",
                  f"{shown}{month}月{day}日 ({when.isoformat()}) is outside {era} ({span_en}).")
    return when.isoformat(), None


def wareki_problem(value: str, today: date | None = None) -> WarekiProblem | None:
    """The problem of a value written as a 和暦 date that cannot be one; None for a real date or other text."""
    return parse_wareki(value, today)[1]


def wareki_to_iso(value: str, today: date | None = None) -> str | None:
    """'令和5年4月1日' → '2023-04-01', 'R5.4.1' → '2023-04-01', 'H30.10.1' → '2018-10-01',
    '令和元年5月' → '2019-05', '平成30年度' → '2018'; None when ``value`` is not wholly such a date or is
    not a real one (``parse_wareki`` says why)."""
    return parse_wareki(value, today)[0]


def classify_date(value: str) -> tuple[str, str | None] | None:
    """For a cell that is wholly a date: (notation, ISO 8601 suggestion); None when not a date.

    Notations: 'iso' (2023-04-01, suggestion None), 'wareki' (令和5年4月1日, R5.4.1), 'slash'
    (2023/4/1, 2023.4.1), 'kanji' (2023年4月1日)."""
    text = value.strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    if ISO_DATE_RE.fullmatch(text) and (len(text) >= 7 and text[4] == "-"):
        return "iso", None
    converted = wareki_to_iso(text)
    if converted:
        return "wareki", converted
    m = SLASH_DATE_RE().fullmatch(text)
    if m:
        month = m.group("month") or m.group("dmonth")
        iso = _iso(int(m.group("year")), month, m.group("day") or m.group("dday"))
        if iso:
            time = m.group("time")
            return "slash", iso + ("T" + _pad_time(time.strip()) if time else "")
    m = KANJI_DATE_RE().fullmatch(text)
    if m:
        iso = _iso(int(m.group("year")), m.group("month"), m.group("day"))
        if iso:
            return "kanji", iso
    return None


def _pad_time(text: str) -> str:
    return ":".join(part.zfill(2) for part in text.split(":"))


def contains_wareki(value: str) -> bool:
    return WAREKI_KANJI_RE.search(value) is not None


# --------------------------------------------------------------------------- regions

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
PREFECTURE_SET = frozenset(PREFECTURES)
_SHORT_PREFECTURES = {p[:-1]: p for p in PREFECTURES if p != "北海道"}


def official_prefecture(value: str) -> str | None:
    """The official name for a prefecture written another way ('東京' → '東京都'), else None."""
    text = value.strip()
    if text in PREFECTURES:
        return text
    return _SHORT_PREFECTURES.get(text)


def local_government_code_ok(code: str) -> bool:
    """True for a valid 全国地方公共団体コード: 6 digits whose last is the check digit (JIS X 0401/0402),
    or the 5-digit form without it; the prefecture part must be 01-47."""
    if not code.isascii() or not code.isdigit() or len(code) not in (5, 6):
        return False
    if not 1 <= int(code[:2]) <= 47:
        return False
    if len(code) == 5:
        return True
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    check = (11 - total % 11) % 10
    return check == int(code[5])


# --------------------------------------------------------------------------- layout


_SPACED_WORD_RE = lazy_regex(r"\S(?:[ \u3000]+\S){1,4}")


def is_spaced_word(value: str) -> bool:
    """True for a short word spread with spaces for looks, such as '区　分' or '合 計'."""
    text = value.strip()
    if not _SPACED_WORD_RE().fullmatch(text):
        return False
    pieces = text.split()
    return all(len(p) == 1 and not p.isascii() for p in pieces)


def shorten(value: str, limit: int = 60) -> str:
    """One line, at most ``limit`` characters, so a report stays readable."""
    text = value.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"
