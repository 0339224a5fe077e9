"""``data_encoding``: text data files are UTF-8 (L3-08), without bytes invalid in their encoding."""

from __future__ import annotations

from pydantic import Field

from guideline_lint.facts import Facts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import applies, files, location, none_observation
from guideline_lint.kinds.data.rules import judge
from guideline_lint.model import Location, Status, Target, Text


class EncodingParams(Params):
    expected: list[str] = Field(default_factory=lambda: ["utf-8", "utf-8-sig"],
                                description="Python codec names accepted")
    bom_formats: list[str] = Field(default_factory=lambda: ["csv", "tsv"],
                                   description="formats where a UTF-8 BOM is fine (Excel needs it for CSV)")
    formats: list[str] = Field(default_factory=lambda: ["csv", "tsv", "json"])


class DataEncodingKind(Kind):
    name = "data_encoding"
    target = Target.DATA
    Params = EncodingParams
    summary = Text(ja="テキストのデータファイルが UTF-8 で、不正なバイトがない",
                   en="text data files are UTF-8 without invalid bytes")

    def evaluate(self, params: EncodingParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        observations = []
        for item in items:
            skipped = applies(item, params.formats, tabular=False)
            if skipped:
                observations.append(skipped)
                continue
            label = item.encoding_label or "?"
            invalid = judge(item).problem("invalid_bytes")
            problem = None
            if item.encoding not in params.expected:
                problem = Text(ja=f"文字コードが {label} です", en=f"the encoding is {label}")
            elif item.bom and item.format not in params.bom_formats:
                problem = Text(ja=f"{item.format} に BOM があります", en=f"a BOM in a {item.format} file")
            elif invalid.count:
                problem = Text(ja=f"{label} として不正なバイトが {invalid.count} か所あります",
                               en=f"{invalid.count} places with bytes invalid in {label}")
            detail = {"encoding": label, "file": item.subject}
            if problem is None:
                observations.append(Observation(Status.PASS, subject=item.subject, location=Location(file=item.subject),
                                                detail=detail))
                continue
            places = [location(item, o.row, o.column, o.value, line=o.line) for o in invalid.occurrences]
            observations.append(Observation(
                Status.FAIL, subject=item.subject,
                location=places[0] if places else Location(file=item.subject, value=label),
                occurrences=places[1:], more_occurrences=max(0, invalid.count - len(places)),
                detail={**detail, "problem": problem.ja, "problem_en": problem.en},
            ))
        return observations
