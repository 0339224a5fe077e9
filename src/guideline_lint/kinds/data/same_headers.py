"""``data_same_headers``: the files of one dataset keep the same headers over time (L3-07)."""

from __future__ import annotations

from guideline_lint.facts import Facts
from guideline_lint.facts.data import DataFileFacts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import TABLE_FORMATS, applies, files, none_observation, open_data_entry
from guideline_lint.model import Location, Status, Target, Text


class SameHeadersParams(Params):
    pass


class DataSameHeadersKind(Kind):
    name = "data_same_headers"
    target = Target.DATA
    Params = SameHeadersParams
    summary = Text(ja="同じデータセット（open_data の 1 項目）のファイルが同じ項目名を持つ",
                   en="the files of one dataset (one open_data entry) have the same headers")

    def evaluate(self, params: SameHeadersParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        groups: dict[int, list[DataFileFacts]] = {}
        entries = (facts.manifest.data.get("data", {}).get("open_data", []) or []) if facts.manifest else []
        for item in items:
            entry = open_data_entry(facts, item.path)
            key = next((i for i, e in enumerate(entries) if e is entry), -1)
            groups.setdefault(key, []).append(item)
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
                        ja="このデータセットのファイルは 1 つだけです", en="the only file of its dataset")))
                    continue
                header = tuple(h.strip() for h in item.header)
                missing = [h for h in majority if h not in header]
                extra = [h for h in header if h not in majority]
                moved = not missing and not extra and header != majority
                detail = {"file": item.subject, "missing": "、".join(missing) or "—", "extra": "、".join(extra) or "—",
                          "order": "順序が異なる / order differs" if moved else "—"}
                status = Status.FAIL if missing or extra or moved else Status.PASS
                observations.append(Observation(status, subject=item.subject,
                                                location=Location(file=item.subject, row=item.header_row),
                                                detail=detail))
        return observations
