"""Runs every registered rule over one table once, and keeps the result for the other checks."""

from __future__ import annotations

import threading
from weakref import WeakKeyDictionary

from guideline_lint import japanese as jp
from guideline_lint.facts.data import MAX_COLUMNS, DataFileFacts
from guideline_lint.kinds.data.rules.base import (
    CELL_RULES,
    FINAL_RULES,
    HEADER_RULES,
    ROW_RULES,
    TABLE_RULES,
    Hit,
    Occurrence,
    Problems,
    Table,
)

_judged: WeakKeyDictionary[DataFileFacts, Problems] = WeakKeyDictionary()
_lock = threading.Lock()


def judge(facts: DataFileFacts) -> Problems:
    """Every problem of the table, counted, with the earliest places of each."""
    with _lock:
        found = _judged.get(facts)
        if found is None:
            found = _judged[facts] = _judge(facts)
    return found


def cell_hits(table: Table, index: int, value: str) -> list[Hit]:
    return [hit for rule in CELL_RULES for hit in rule(table, index, value)]


def header_hits(table: Table, index: int, value: str) -> list[Hit]:
    return [hit for rule in HEADER_RULES for hit in rule(table, index, value)]


def _judge(facts: DataFileFacts) -> Problems:
    table = Table(facts)
    found = Problems()
    for rule in TABLE_RULES:
        rule(table, found)
    rows = table.sample_data() + facts.rows
    seen: dict[tuple[int, str], list[Hit]] = {}  # rules are pure in (column, value); samples repeat values
    for row in rows:
        if all(rule(table, row, found) for rule in ROW_RULES):
            table.data_rows.append(row)
            for index, value in enumerate(row.cells[:MAX_COLUMNS]):
                if value:
                    hits = seen.get((index, value))
                    if hits is None:
                        hits = seen[(index, value)] = cell_hits(table, index, value)
                    for hit in hits:
                        found.add(hit.problem, row.record, index, hit.value, hit.note, row.line_of(index))
    for (index, value), tally in facts.values.items():
        for hit in cell_hits(table, index, value):
            log = found.log(hit.problem)
            log.count += tally.count
            shown = jp.shorten(hit.value)
            for place in tally.places:
                log.add(Occurrence(place.record, place.line, index, shown, hit.note), 0)
    for rule in FINAL_RULES:
        rule(table, found)
    for log in found.values():
        log.trim()
    return found

