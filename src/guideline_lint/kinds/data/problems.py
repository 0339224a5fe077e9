"""``data_problems``: a table has none of the given problem types (decided by ``rules/``)."""

from __future__ import annotations

from pydantic import Field, field_validator

from guideline_lint.facts import Facts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import CAP, TABLE_FORMATS, applies, files, location, none_observation
from guideline_lint.kinds.data.rules import PROBLEM_TYPES, judge
from guideline_lint.model import Location, Status, Target, Text


class ProblemsParams(Params):
    problems: list[str] = Field(min_length=1, description="problem types (kinds/data/rules) to count")
    formats: list[str] = Field(default_factory=lambda: list(TABLE_FORMATS))
    min_count: int = Field(1, ge=1, description="fail from this many occurrences on")

    @field_validator("problems")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - PROBLEM_TYPES)
        if unknown:
            raise ValueError(f"unknown problem types {unknown}; known: {sorted(PROBLEM_TYPES)}")
        return value


def first_place(line: int | None, column: str | int | None) -> dict[str, str]:
    place = _first_place(line, column)
    return {"first": place["first_en"], **place}


def _first_place(line: int | None, column: str | int | None) -> dict[str, str]:
    """``{first}`` for a message, in each language: the line and column of the first place, or what of them there
    is (an empty column has no line, a blank row no column; a workbook's comments neither). A column without a
    name is given by its number (``column_name``)."""
    ja_column = f"{column} 列目" if isinstance(column, int) else f"「{column}」"
    en_column = f"column {column}" if isinstance(column, int) else f"column '{column}'"
    if line is not None and column is not None:
        both = f"{line} 行目・{ja_column}" if isinstance(column, int) else f"{line} 行目{ja_column}"
        return {"first_ja": both, "first_en": f"row {line}, {en_column}"}
    if line is not None:
        return {"first_ja": f"{line} 行目", "first_en": f"row {line}"}
    if column is not None:
        return {"first_ja": ja_column if isinstance(column, int) else f"列{ja_column}", "first_en": en_column}
    return {"first_ja": "ファイル全体", "first_en": "the whole file"}


class DataProblemsKind(Kind):
    name = "data_problems"
    target = Target.DATA
    Params = ProblemsParams
    summary = Text(ja="データファイルに指定した種類の問題がない（行・列・値つき）",
                   en="the data files have none of the given problem types (with row, column and value)")

    def evaluate(self, params: ProblemsParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        observations = []
        for item in items:
            skipped = applies(item, params.formats)
            if skipped:
                observations.append(skipped)
                continue
            found = judge(item)
            logs = [(name, found.problem(name)) for name in params.problems]
            total = sum(log.count for _, log in logs)
            places = sorted(
                ((o.row or 0, o.column or 0, name, o) for name, log in logs for o in log.occurrences),
                key=lambda t: (t[0], t[1]),
            )
            metrics = {"count": float(total), "rows": float(item.data_rows)}
            if total < params.min_count:
                observations.append(Observation(Status.PASS, subject=item.subject, location=Location(file=item.subject),
                                                detail={"count": total, "file": item.subject}, metrics=metrics))
                continue
            # The tool's own words (value_en set) are said in the message, in its language, not shown as a value.
            locations = [location(item, o.row, o.column, o.value if o.value_en is None else None, o.note, o.line, found)
                         for *_, o in places[:CAP]]
            first = places[0][3] if places else None
            # The line an editor shows (the record number differs after a cell that spans lines), and the column of
            # the table the value is in; {first} names what is known of the place in each language (no '— 行目').
            row = (first.line or first.row) if first else None
            column = found.column_name(item, first.row, first.column) if first else None
            observations.append(Observation(
                Status.FAIL, subject=item.subject,
                location=locations[0] if locations else Location(file=item.subject),
                occurrences=locations[1:],
                more_occurrences=max(0, total - len(locations)),
                detail={"count": total, "file": item.subject,
                        **({"row": row} if row is not None else {}),
                        **({"column": column} if column is not None else {}),
                        "value": locations[0].value or "" if locations else "",
                        **({"value_ja": first.value, "value_en": first.value_en} if first and first.value_en else {}),
                        "note": (first.note or "") if first else "",
                        **first_place(row, column)},
                metrics=metrics,
            ))
        return observations
