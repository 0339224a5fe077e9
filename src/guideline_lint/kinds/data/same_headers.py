"""``data_same_headers``: the files of one series keep the same headers over time (L3-07).

A series is the files of one ``open_data`` entry whose paths differ only in a date or a year
(``data/20170308/all_prefectures.csv`` and ``data/20170401/all_prefectures.csv``; ``交通事故_2019/…_2019.csv`` and
``交通事故_2020/…_2020.csv``). Different tables of one entry (``all_prefectures.csv`` beside ``all_localgovs.csv``,
``navi.csv`` beside ``services.csv``) are not compared: the rule is about one survey changing from year to year."""

from __future__ import annotations

import re

from guideline_lint.facts import Facts
from guideline_lint.facts.data import DataFileFacts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import TABLE_FORMATS, applies, files, none_observation, open_data_entry
from guideline_lint.model import Location, Status, Target, Text


class SameHeadersParams(Params):
    pass


# A year, a date or a 和暦 year in a path: what changes from one file of a series to the next.
_WHEN_RE = re.compile(r"[0-9０-９]{4,}|(?:令和|平成|昭和|[RHrh])[0-9０-９元]{1,2}(?![0-9０-９])")


def series_key(item: DataFileFacts) -> str:
    return _WHEN_RE.sub("#", item.path) + (f"#{item.sheet}" if item.sheet else "")


def differences(missing: list[str], extra: list[str]) -> Text:
    """How a file's headers differ from its series', as words of a sentence: only what is there is named."""
    ja, en = [], []
    if missing:
        ja.append("ない項目" + "".join(f"「{h}」" for h in missing))
        en.append("missing " + ", ".join(f"'{h}'" for h in missing))
    if extra:
        ja.append("追加の項目" + "".join(f"「{h}」" for h in extra))
        en.append("extra " + ", ".join(f"'{h}'" for h in extra))
    if not ja:
        return Text(ja="同じ項目が別の順序で並んでいます", en="the same headers in another order")
    return Text(ja="、".join(ja), en="; ".join(en))


class DataSameHeadersKind(Kind):
    name = "data_same_headers"
    target = Target.DATA
    Params = SameHeadersParams
    summary = Text(ja="同じ時系列（open_data の 1 項目のうち、年や日付だけが違うファイル）が同じ項目名を持つ",
                   en="the files of one series (one open_data entry, paths differing only in a year or date) have the "
                      "same headers")

    def evaluate(self, params: SameHeadersParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        groups: dict[tuple[int, str], list[DataFileFacts]] = {}
        entries = (facts.manifest.data.get("data", {}).get("open_data", []) or []) if facts.manifest else []
        for item in items:
            entry = open_data_entry(facts, item.path)
            key = next((i for i, e in enumerate(entries) if e is entry), -1)
            groups.setdefault((key, series_key(item)), []).append(item)
        observations = []
        for group in groups.values():
            tables = [i for i in group if i.error is None and i.tabular and i.header]
            usual: dict[tuple[str, ...], int] = {}
            for item in tables:
                header = tuple(h.strip() for h in item.header)
                usual[header] = usual.get(header, 0) + 1
            majority = max(usual, key=lambda h: usual[h]) if usual else ()
            for item in group:
                skipped = applies(item, TABLE_FORMATS)
                if skipped or len(tables) < 2:
                    observations.append(skipped or Observation(Status.NOT_APPLICABLE, subject=item.subject, reason=Text(
                        ja="年や日付だけが違う同じ名前のファイル（時系列）がありません",
                        en="no other file of its series (the same name but for a year or date)")))
                    continue
                header = tuple(h.strip() for h in item.header)
                missing = [h for h in majority if h and h not in header]  # an unnamed column is L1-05's
                extra = [h for h in header if h and h not in majority]
                moved = not missing and not extra and header != majority
                words = differences(missing, extra)
                detail = {"file": item.subject, "differences": words.ja, "differences_ja": words.ja,
                          "differences_en": words.en}
                status = Status.FAIL if missing or extra or moved else Status.PASS
                observations.append(Observation(status, subject=item.subject,
                                                location=Location(file=item.subject, row=item.header_row),
                                                detail=detail))
        return observations
