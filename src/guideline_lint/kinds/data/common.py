"""What the data kinds share: the files judged, when a file cannot be judged, locations, the manifest
entry that declares a file."""

from __future__ import annotations

import fnmatch
from typing import Any

from guideline_lint.facts import Facts
from guideline_lint.facts.data import ColumnProfile, DataFileFacts
from guideline_lint.kinds.base import Observation
from guideline_lint.kinds.data.rules.base import Problems
from guideline_lint.model import Location, Status, Text

CAP = 20
TABLE_FORMATS = ["csv", "tsv", "xlsx", "json"]
_NO_FILES = Text(ja="オープンデータのファイルがありません（data.open_data[].files）",
                 en="no open-data files (data.open_data[].files)")


def files(facts: Facts) -> list[DataFileFacts]:
    return list(facts.data or [])


def none_observation() -> list[Observation]:
    return [Observation(Status.NOT_APPLICABLE, reason=_NO_FILES)]


def location(item: DataFileFacts, row: int | None, column: int | None, value: str | None,
             note: str | None = None, line: int | None = None, found: Problems | None = None) -> Location:
    """``row`` is the record number, ``line`` the physical line it is on (they differ after a CSV record that
    spans lines; for XLSX both are the sheet row). With the judged ``found``, a column is named by the header of the
    table the row is in (a second table stacked under the first has its own)."""
    shown = value if not note else f"{value} ({note})" if value else note
    name = found.column_name(item, row, column) if found is not None else item.column_name(column)
    return Location(file=item.subject, line=line, row=row, column=name, value=shown or None)


def applies(item: DataFileFacts, formats: list[str], tabular: bool = True) -> Observation | None:
    """An observation when ``item`` cannot be judged (error, other format), else None."""
    if item.error is not None:
        return Observation(Status.ERROR, subject=item.subject, location=Location(file=item.subject),
                           reason=item.error)
    if item.format not in formats or (tabular and not item.tabular):
        return Observation(Status.NOT_APPLICABLE, subject=item.subject, reason=Text(
            ja=f"この形式（{item.format}）には適用しません", en=f"does not apply to this format ({item.format})"))
    return None


def open_data_entry(facts: Facts, path: str) -> dict[str, Any] | None:
    if facts.manifest is None:
        return None
    entries = facts.manifest.data.get("data", {}).get("open_data", []) or []
    for entry in entries:
        for pattern in entry.get("files", []) or []:
            if fnmatch.fnmatch(path, pattern.lstrip("./")):
                return entry
    return None


def labelled(item: DataFileFacts, column: ColumnProfile) -> bool:
    """A column of codes with its labels beside it: '事故類型' (21) next to '事故類型区分' (車両相互), '路線コード' next
    to '路線' (yaizu-city opendata 交通事故_20xx). The file says itself what each code means."""
    name = column.name
    for index in (column.index - 1, column.index + 1):
        other = item.columns[index] if 0 <= index < len(item.columns) else None
        if other is None or other.kind != "text" or not other.name or other.name == name:
            continue
        shorter, longer = sorted((name, other.name), key=len)
        if len(shorter) >= 2 and longer.startswith(shorter):
            return True
    return False
