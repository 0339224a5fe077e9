"""A '.csv' file separated by something else than commas (RFC 4180; the Digital Agency's CSV rules assume
commas): tools that trust the extension read each record as one column."""

from __future__ import annotations

from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("not_comma_separated")

NAMES = {"\t": "tab (TAB)", ";": "semicolon (;)", "|": "vertical bar (|)"}


@table_rule()
def delimiter(table: Table, found: Problems) -> None:
    facts = table.facts
    if facts.format != "csv" or facts.delimiter in (None, ","):
        return
    header = facts.header_record
    found.add("not_comma_separated", header.record if header else 1, None,
              NAMES.get(facts.delimiter, repr(facts.delimiter)), line=header.line if header else 1)
