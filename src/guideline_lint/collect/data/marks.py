"""Lexical marks: the places in delimited text, after the sample, whose cells the collector keeps.

Reading every cell of a 500 MiB file in Python is too slow (issue 4: at least 40 MiB/s), so blocks of
text are searched at C speed for characters and patterns that a plain cell does not carry: characters
outside JIS X 0208 and full-width digits, unit words after digits, era names, slash dates, lone
symbols, spaces at a cell's edge, quoted numbers with separators, template text (〇〇, ××, テスト or ダミー
as a whole cell, example.com, 自治体名). Only the cells there are kept; ASCII test words ('test', 'dummy') and
numbers of zeros are judged in the sample only. A
judge that needs cells no mark finds adds a mark here; the sample and irregular records are kept whole
anyway.
"""

from __future__ import annotations

import re

from guideline_lint import japanese as jp


def candidate_re(delimiter: str) -> re.Pattern[str]:
    """The pattern starts with one character class (the first characters of every alternative), so the
    engine skips ahead at C speed; the alternatives then look back at the character found."""
    d = re.escape(delimiter)
    space = " \u3000" if delimiter == "\t" else " \u3000\t"
    marks = f"{jp.MACHINE_DEPENDENT_CLASS}\uff10-\uff19※＊▲△"
    units = "%％円人件個台戸歳名回千万億"
    symbols = "－―…xX*"  # a lone '-' is searched apart: hyphens fill every ISO date
    template = "〇○◯×Ｘテダサ"  # template text: 〇〇市, ××, テスト / ダミー / サンプル as a whole cell
    first = f"[{marks}{units}令平昭大RHSrhs/年{symbols}{space}{template}]"
    cases = [
        f"(?<=[{marks}])",
        "(?<=[〇○◯×Ｘ])(?=[〇○◯×Ｘ])",
        f"(?<=[テダサ])(?<=[{d}\\n\"].)(?=(?:スト|ミー|ンプル)[{d}\\r\\n\"])",
        "(?<=x)(?<=ex)(?=ample\\.)",  # example.com, example.jp
        "(?<=名)(?<=自治体名)",
        f"(?<=[{units}])(?<=[0-9].)",
        "(?<=[令平昭大])(?=[和成正][0-9０-９元])",
        "(?<=[RHSrhs])(?<![A-Za-z0-9].)(?=\\.?[0-9]{1,2}[./][0-9]{1,2}[./])",
        "(?<=[/年])(?<=[0-9]{4}.)(?=[0-9]{1,2}[/月])",
        f"(?<=[{symbols}])(?<![^{d}\\n].)(?=[{d}\\r\\n])",
        f"(?<=[{space}])(?:(?<=[{d}\\n\"].)|(?=[{d}\\r\\n\"]))",
    ]
    return re.compile(first + "(?:" + "|".join(cases) + ")")


# A quoted value that is a number with separators ("1,200"); searched only in blocks with quotes.
# Anchored on the comma (a literal the engine skips to), not on the far more frequent quotes.
QUOTED_NUMBER_RE = re.compile(r",(?<=[0-9],)(?=[0-9])")


def lone_hyphen_re(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    return re.compile(f'-(?<![^{d}\\n"]-)(?=["{d}\\r\\n])')


def has_lone_hyphen(part: str, delimiter: str) -> bool:
    d = delimiter
    return f"{d}-{d}" in part or f"{d}-\n" in part or f"\n-{d}" in part or '"-"' in part
