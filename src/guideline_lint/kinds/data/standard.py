"""``data_standard_headers``: headers follow the 自治体標準オープンデータセット named in the manifest."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field

from guideline_lint.catalog import load_bundled_yaml
from guideline_lint.facts import Facts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import CAP, TABLE_FORMATS, applies, files, none_observation, open_data_entry
from guideline_lint.model import Location, Status, Target, Text


@cache
def standard_datasets() -> dict[str, Any]:
    """The field definitions in ``reference/standard_datasets.yaml``, keyed by id and by Japanese name."""
    # Bundled data: parsed once and cached like the checks (the pure parser took ~80 ms of every run).
    document = load_bundled_yaml(Path(__file__).resolve().parents[2] / "reference" / "standard_datasets.yaml")
    table: dict[str, Any] = {}
    for dataset in document["datasets"]:
        table[dataset["id"]] = dataset
        table[dataset["name"]] = dataset
    table["_aliases"] = document.get("aliases", {})
    return table



class StandardParams(Params):
    require_optional: bool = Field(False, description="also require the optional fields")


class DataStandardHeadersKind(Kind):
    name = "data_standard_headers"
    target = Target.DATA
    Params = StandardParams
    summary = Text(ja="自治体標準オープンデータセットの項目名に沿っている（マニフェストで指定した場合）",
                   en="headers follow the 自治体標準オープンデータセット definition named in the manifest")

    def evaluate(self, params: StandardParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        table = standard_datasets()
        aliases: dict[str, list[str]] = table["_aliases"]
        observations = []
        for item in items:
            skipped = applies(item, TABLE_FORMATS)
            if skipped:
                observations.append(skipped)
                continue
            entry = open_data_entry(facts, item.path) or {}
            wanted = entry.get("standard_dataset")
            if not wanted:
                observations.append(Observation(Status.NOT_APPLICABLE, subject=item.subject, reason=Text(
                    ja="マニフェストで標準データセットを指定していません（standard_dataset）",
                    en="the manifest names no standard dataset (standard_dataset)")))
                continue
            dataset = table.get(str(wanted))
            if dataset is None:
                known = ", ".join(sorted(d for d in table if d.isascii() and not d.startswith("_")))
                observations.append(Observation(Status.ERROR, subject=item.subject, reason=Text(
                    ja=f"標準データセット「{wanted}」の定義がありません（既知: {known}）",
                    en=f"no definition of standard dataset '{wanted}' (known: {known})")))
                continue
            header = {h.strip() for h in item.header}
            missing = []
            for spec in dataset["fields"]:
                if not (spec.get("required") or params.require_optional):
                    continue
                names = [spec["name"], *aliases.get(spec["name"], [])]
                if not header.intersection(names):
                    missing.append(spec["name"])
            defined = {spec["name"] for spec in dataset["fields"]}
            defined.update(a for spec in dataset["fields"] for a in aliases.get(spec["name"], []))
            unknown = [h for h in item.header if h.strip() and h.strip() not in defined]
            detail = {"dataset": dataset["name"], "file": item.subject, "missing": "、".join(missing),
                      "unknown": "、".join(unknown[:10])}
            if not missing:
                observations.append(Observation(Status.PASS, subject=item.subject, location=Location(file=item.subject),
                                                detail=detail, metrics={"unknown": float(len(unknown))}))
                continue
            observations.append(Observation(
                Status.FAIL, subject=item.subject,
                location=Location(file=item.subject, row=item.header_row, value="、".join(missing)),
                occurrences=[Location(file=item.subject, row=item.header_row, column=h, value=h)
                             for h in unknown[:CAP]],
                detail=detail, metrics={"missing": float(len(missing)), "unknown": float(len(unknown))},
            ))
        return observations
