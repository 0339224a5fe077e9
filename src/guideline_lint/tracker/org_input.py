"""What the central bureau may enter as an organisation-level indicator value, and what is refused (422).

The indicators are the catalogue's quality indicators (rulesets/kpis.yaml ``indicators``: the KGI 都民満足度,
デジタル参加率, the four components and the 都庁側 indicators). The API and ``tracker indicator set`` share these
rules, so a value is judged the same whichever way it comes.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guideline_lint import catalog
from guideline_lint.tracker.validation import Refused, problem

MAX_ENTRY_BYTES = 16 * 1024  # one value and its source: anything larger is not an entry
MAX_SOURCE_CHARS = 500
EARLIEST = dt.date(2000, 1, 1)
UNIT_WORDS = {"ratio": ("0〜1 の割合（62% は 0.62）", "a ratio from 0 to 1 (62 % is 0.62)"),
              "persons": ("0 以上の人数", "a number of persons, 0 or more"),
              "minutes": ("0 以上の分数", "minutes, 0 or more"),
              "days": ("0 以上の日数", "days, 0 or more")}


class IndicatorEntry(BaseModel):
    """One dated value of an indicator measured for the whole organisation."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    indicator: str = Field(max_length=100, description="an indicator id of the catalogue, e.g. "
                                                       "code_of_conduct_awareness (行動規範浸透率)")
    date: dt.date = Field(description="the day the value was measured (the survey's closing day)")
    value: float
    target: float | None = Field(None, description="a target set for it (the catalogue's applies when absent)")
    source: str | None = Field(None, max_length=MAX_SOURCE_CHARS, description="the survey or record it comes from")


def entry_problems(entry: IndicatorEntry, today: dt.date) -> list[dict[str, Any]]:
    """What is wrong with an entry that has the right shape: unknown indicator, day, range, text."""
    info = catalog.indicators().get(entry.indicator)
    if info is None:
        return unknown_indicator(entry.indicator)
    problems = []
    if entry.date > today:
        problems.append(problem(["date"], "date_future", f"the date {entry.date} lies in the future",
                                f"日付 {entry.date} が未来です"))
    if entry.date < EARLIEST:
        problems.append(problem(["date"], "date_range", f"the date {entry.date} is before {EARLIEST}",
                                f"日付 {entry.date} が {EARLIEST} より前です"))
    ja, en = UNIT_WORDS.get(info.unit, ("0 以上の数", "a number, 0 or more"))
    for name in ("value", "target"):
        number = getattr(entry, name)
        if number is not None and not in_range(number, info.unit):
            problems.append(problem([name], "out_of_range", f"{name} of {info.id} must be {en}, not {number:g}",
                                    f"{info.title.ja}の {name} は{ja}で入力してください（{number:g} は範囲外）"))
    if entry.source is not None and ("\x00" in entry.source or not entry.source.strip()):
        problems.append(problem(["source"], "bad_text", "source is empty or contains a NUL character",
                                "source が空か、NUL 文字を含んでいます"))
    return problems


def unknown_indicator(indicator_id: str) -> list[dict[str, Any]]:
    known = ", ".join(catalog.indicators())
    guess = catalog.suggest(indicator_id, set(catalog.indicators()))
    hint_en, hint_ja = (f" Did you mean {guess}?", f"「{guess}」ですか？") if guess else ("", "")
    return [problem(["indicator"], "unknown_indicator",
                    f"'{indicator_id}' is not an indicator of the catalogue ({known}).{hint_en}",
                    f"「{indicator_id}」はカタログの指標ではありません（{known}）。{hint_ja}")]


def in_range(number: float, unit: str) -> bool:
    return math.isfinite(number) and number >= 0 and (unit != "ratio" or number <= 1)


def parse_entry(raw: bytes, today: dt.date) -> IndicatorEntry:
    """The entry in a request body, or Refused naming each problem (shape first, then meaning)."""
    try:
        entry = IndicatorEntry.model_validate_json(raw)
    except ValidationError as exc:
        raise Refused([problem([str(p) for p in e["loc"]], e["type"], e["msg"],
                               f"入力の形式に合いません（{e['type']}）")
                       for e in exc.errors(include_url=False, include_input=False)]) from exc
    problems = entry_problems(entry, today)
    if problems:
        raise Refused(problems)
    return entry
