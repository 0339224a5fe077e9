"""Reading JSON: a list of records (or GeoJSON features, or the one list of records under a key) is a
table; any other document gives its non-ASCII strings (where machine-dependent characters can hide)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guideline_lint import japanese as jp
from guideline_lint.collect.data.profile import TableBuilder, cell_text
from guideline_lint.facts.data import MAX_COLUMNS, DataFileFacts, Place, Row
from guideline_lint.model import Text

MAX_JSON_BYTES = 200 * 1024 * 1024
MAX_STRINGS = 100_000  # values visited in a document that is not a table


def scan_json(path: Path, shown: str, size: int) -> DataFileFacts:
    facts = DataFileFacts(path=shown, format="json", size=size)
    if size > MAX_JSON_BYTES:
        facts.error = Text(ja=f"JSON が大きすぎます（{MAX_JSON_BYTES // 2**20} MiB まで）。",
                           en=f"the JSON file is too large (limit {MAX_JSON_BYTES // 2**20} MiB).")
        return facts
    raw = path.read_bytes()
    codec, label, bom = jp.detect_encoding(raw[:65536])
    facts.encoding, facts.encoding_label, facts.bom = codec, label, bom
    text = raw.decode(codec, errors="replace")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        facts.error = Text(ja=f"JSON として読めません（{exc.lineno} 行 {exc.colno} 列の構文の誤り）",
                           en=f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}")
        return facts
    except RecursionError:  # nested deeper than the parser's stack
        facts.error = Text(ja="JSON の入れ子が深すぎて読めません。", en="the JSON is nested too deeply to read.")
        return facts
    except ValueError:  # a number over Python's digit limit (int_max_str_digits)
        facts.error = Text(ja="JSON に桁数が多すぎる数値があります。",
                           en="the JSON holds a number with too many digits.")
        return facts
    records = json_records(document)
    if records is None:
        facts.tabular = False
        facts.texts = [value for value in _strings(document) if not value.isascii()]
        return facts
    header: dict[str, None] = {}
    for item in records:
        for key in item:
            if len(header) < MAX_COLUMNS:
                header.setdefault(str(key), None)
    names = list(header)
    builder = TableBuilder(facts)
    facts.records = 1
    builder.add(Row(1, None, names))
    for number, item in enumerate(records, start=2):
        cells: list[str] = []
        for key in names:
            value = item.get(key)
            if isinstance(value, (dict, list)):
                dumped = json.dumps(value, ensure_ascii=False)
                facts.nested.add(Place(number, None, len(cells), dumped))
                cells.append(dumped)
            else:
                cells.append(cell_text(value))
        facts.records = number
        builder.add(Row(number, None, cells))
    builder.finish()
    return facts


def json_records(document: Any) -> list[dict[str, Any]] | None:
    """The list of records in a JSON document: the document itself, a GeoJSON feature list
    (properties), or the one list of objects under a top-level key."""
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if isinstance(features, list):
            return [f.get("properties") or {} for f in features if isinstance(f, dict)]
    if isinstance(document, list) and document and all(isinstance(x, dict) for x in document):
        return document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) == 1:
            return lists[0]
    return None


def _strings(document: Any) -> Iterator[str]:
    stack = [document]
    seen = 0
    while stack and seen < MAX_STRINGS:
        item = stack.pop()
        seen += 1
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
