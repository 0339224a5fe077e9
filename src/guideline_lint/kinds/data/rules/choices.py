"""Choice columns (L2-04, L2-05): values that differ only in width, spaces or case; 'その他' with the
details written into the value."""

from __future__ import annotations

import re
import unicodedata

from guideline_lint.kinds.data.rules.base import Problems, Table, problems, table_rule

problems("choice_variants", "other_detail")


@table_rule()
def choices(table: Table, found: Problems) -> None:
    for column in table.columns:
        values = column.distinct
        if not values or column.kind != "text" or len(values) > 30 or column.non_empty < 2 * len(values):
            continue
        groups: dict[str, list[str]] = {}
        for value in values:
            key = re.sub(r"[\s\u3000]", "", unicodedata.normalize("NFKC", value)).lower()
            groups.setdefault(key, []).append(value)
        for variants in groups.values():
            if len(variants) > 1:
                found.add("choice_variants", None, column.index, " / ".join(sorted(variants)))
        for value in values:
            if re.match(r"その他.+", value) and not re.fullmatch(r"その他(?:の\S{1,6})?", value):
                found.add("other_detail", None, column.index, value)
