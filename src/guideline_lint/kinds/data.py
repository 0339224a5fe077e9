"""Kinds that judge open-data files (target ``data``) from the facts of ``collect/data.py``.

Every kind returns one observation per file (per worksheet for XLSX), with the first occurrences
as locations ``{file, row, column, value}`` and the number of the rest. The scanning happened
before; these kinds only count and compare, so most data checks are YAML over ``data_problems``.
"""

from __future__ import annotations

import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.model import Location, Status, Target, Text

if TYPE_CHECKING:
    from guideline_lint.collect.data import DataFileFacts
    from guideline_lint.facts import Facts

CAP = 20
TABLE_FORMATS = ["csv", "tsv", "xlsx", "json"]
_NO_FILES = Text(ja="オープンデータのファイルがありません（data.open_data[].files）",
                 en="no open-data files (data.open_data[].files)")


def _files(facts: Facts) -> list[DataFileFacts]:
    return list(facts.data or [])


def _none_observation() -> list[Observation]:
    return [Observation(Status.NOT_APPLICABLE, reason=_NO_FILES)]


def _location(item: DataFileFacts, row: int | None, column: int | None, value: str | None,
              note: str | None = None) -> Location:
    shown = value if not note else f"{value} ({note})" if value else note
    return Location(file=item.subject, row=row, column=item.column_name(column), value=shown or None)


def _applies(item: DataFileFacts, formats: list[str], tabular: bool = True) -> Observation | None:
    """An observation when ``item`` cannot be judged (error, other format), else None."""
    if item.error is not None:
        return Observation(Status.ERROR, subject=item.subject, location=Location(file=item.subject),
                           reason=item.error)
    if item.format not in formats or (tabular and not item.tabular):
        return Observation(Status.NOT_APPLICABLE, subject=item.subject, reason=Text(
            ja=f"この形式（{item.format}）には適用しません", en=f"does not apply to this format ({item.format})"))
    return None


class ProblemsParams(Params):
    problems: list[str] = Field(min_length=1, description="problem types of the data collector to count")
    formats: list[str] = Field(default_factory=lambda: list(TABLE_FORMATS))
    min_count: int = Field(1, ge=1, description="fail from this many occurrences on")

    @field_validator("problems")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        from guideline_lint.collect.data import PROBLEM_TYPES

        unknown = sorted(set(value) - PROBLEM_TYPES)
        if unknown:
            raise ValueError(f"unknown problem types {unknown}; known: {sorted(PROBLEM_TYPES)}")
        return value


class DataProblemsKind(Kind):
    name = "data_problems"
    target = Target.DATA
    Params = ProblemsParams
    summary = Text(ja="データファイルに指定した種類の問題がない（行・列・値つき）",
                   en="the data files have none of the given problem types (with row, column and value)")

    def evaluate(self, params: ProblemsParams, facts: Facts) -> list[Observation]:
        files = _files(facts)
        if not files:
            return _none_observation()
        observations = []
        for item in files:
            skipped = _applies(item, params.formats)
            if skipped:
                observations.append(skipped)
                continue
            logs = [(name, item.problem(name)) for name in params.problems]
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
            locations = [_location(item, o.row, o.column, o.value, o.note) for *_, o in places[:CAP]]
            first = places[0][3] if places else None
            observations.append(Observation(
                Status.FAIL, subject=item.subject,
                location=locations[0] if locations else Location(file=item.subject),
                occurrences=locations[1:],
                more_occurrences=max(0, total - len(locations)),
                detail={"count": total, "file": item.subject,
                        "row": first.row if first and first.row is not None else "—",
                        "column": item.column_name(first.column) if first and first.column is not None else "—",
                        "value": locations[0].value or "" if locations else "",
                        "note": (first.note or "") if first else ""},
                metrics=metrics,
            ))
        return observations


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
        files = _files(facts)
        if not files:
            return _none_observation()
        observations = []
        for item in files:
            skipped = _applies(item, params.formats, tabular=False)
            if skipped:
                observations.append(skipped)
                continue
            label = item.encoding_label or "?"
            invalid = item.problem("invalid_bytes")
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
            places = [_location(item, o.row, o.column, o.value) for o in invalid.occurrences]
            observations.append(Observation(
                Status.FAIL, subject=item.subject,
                location=places[0] if places else Location(file=item.subject, value=label),
                occurrences=places[1:], more_occurrences=max(0, invalid.count - len(places)),
                detail={**detail, "problem": problem.ja, "problem_en": problem.en},
            ))
        return observations


class FileFormatParams(Params):
    forbidden: list[str] = Field(
        default_factory=lambda: [".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".jpg", ".jpeg", ".png",
                                 ".gif", ".tif", ".tiff", ".html", ".htm", ".jtd", ".rtf"],
        description="extensions of formats made for reading or printing, not for machines")


class DataFileFormatKind(Kind):
    name = "data_file_format"
    target = Target.DATA
    Params = FileFormatParams
    summary = Text(ja="公開ファイルが機械判読可能な形式（CSV・XLSX・JSON 等）である",
                   en="published files are in a machine-readable format (CSV, XLSX, JSON …)")

    def evaluate(self, params: FileFormatParams, facts: Facts) -> list[Observation]:
        files = _files(facts)
        if not files:
            return _none_observation()
        forbidden = {s.lower() for s in params.forbidden}
        observations = []
        seen: set[str] = set()
        for item in files:
            if item.path in seen:
                continue  # one observation per file, not per worksheet
            seen.add(item.path)
            suffix = PurePosixPath(item.path).suffix.lower()
            status = Status.FAIL if suffix in forbidden else Status.PASS
            observations.append(Observation(status, subject=item.path, location=Location(file=item.path),
                                            detail={"file": item.path, "format": suffix or "(none)"}))
        return observations


# --------------------------------------------------------------------------- 自治体標準オープンデータセット


@cache
def standard_datasets() -> dict[str, Any]:
    """The field definitions in ``reference/standard_datasets.yaml``, keyed by id and by Japanese name."""
    from guideline_lint.catalog import load_bundled_yaml

    # Bundled data: parsed once and cached like the checks (the pure parser took ~80 ms of every run).
    document = load_bundled_yaml(Path(__file__).resolve().parent.parent / "reference" / "standard_datasets.yaml")
    table: dict[str, Any] = {}
    for dataset in document["datasets"]:
        table[dataset["id"]] = dataset
        table[dataset["name"]] = dataset
    table["_aliases"] = document.get("aliases", {})
    return table


def _open_data_entry(facts: Facts, path: str) -> dict[str, Any] | None:
    if facts.manifest is None:
        return None
    entries = facts.manifest.data.get("data", {}).get("open_data", []) or []
    for entry in entries:
        for pattern in entry.get("files", []) or []:
            if fnmatch.fnmatch(path, pattern.lstrip("./")):
                return entry
    return None


class StandardParams(Params):
    require_optional: bool = Field(False, description="also require the optional fields")


class DataStandardHeadersKind(Kind):
    name = "data_standard_headers"
    target = Target.DATA
    Params = StandardParams
    summary = Text(ja="自治体標準オープンデータセットの項目名に沿っている（マニフェストで指定した場合）",
                   en="headers follow the 自治体標準オープンデータセット definition named in the manifest")

    def evaluate(self, params: StandardParams, facts: Facts) -> list[Observation]:
        files = _files(facts)
        if not files:
            return _none_observation()
        table = standard_datasets()
        aliases: dict[str, list[str]] = table["_aliases"]
        observations = []
        for item in files:
            skipped = _applies(item, TABLE_FORMATS)
            if skipped:
                observations.append(skipped)
                continue
            entry = _open_data_entry(facts, item.path) or {}
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


# --------------------------------------------------------------------------- units (L3-04)


class UnitsParams(Params):
    pass


class DataColumnUnitsKind(Kind):
    name = "data_column_units"
    target = Target.DATA
    Params = UnitsParams
    summary = Text(ja="数値の列の単位が項目名かマニフェスト（data.open_data[].units）に書かれている",
                   en="numeric columns state their unit in the header or in the manifest (data.open_data[].units)")

    def evaluate(self, params: UnitsParams, facts: Facts) -> list[Observation]:
        from guideline_lint.collect.data import CODE_LIKE_HEADER_RE, UNIT_COLUMN_RE, UNIT_IN_HEADER_RE

        files = _files(facts)
        if not files:
            return _none_observation()
        observations = []
        for item in files:
            skipped = _applies(item, TABLE_FORMATS)
            if skipped:
                observations.append(skipped)
                continue
            declared = (_open_data_entry(facts, item.path) or {}).get("units") or {}
            unit_column = any(UNIT_COLUMN_RE.match(c.name or "") and c.non_empty for c in item.columns)
            lacking = [] if unit_column else [
                c for c in item.columns if c.kind == "numeric" and c.name and not c.leading_zeros
                and not UNIT_IN_HEADER_RE.search(c.name) and not CODE_LIKE_HEADER_RE.search(c.name)
                and c.name not in declared]
            numeric = sum(1 for c in item.columns if c.kind == "numeric")
            detail = {"file": item.subject, "count": len(lacking), "columns": "、".join(c.name for c in lacking[:10])}
            metrics = {"numeric_columns": float(numeric), "without_unit": float(len(lacking))}
            if not lacking:
                observations.append(Observation(Status.PASS, subject=item.subject, location=Location(file=item.subject),
                                                detail=detail, metrics=metrics))
                continue
            places = [Location(file=item.subject, row=item.header_row, column=c.name, value=c.name) for c in lacking]
            observations.append(Observation(Status.FAIL, subject=item.subject, location=places[0],
                                            occurrences=places[1:CAP], more_occurrences=max(0, len(places) - CAP),
                                            detail=detail, metrics=metrics))
        return observations


# --------------------------------------------------------------------------- definitions (L3-08)


class DocumentationParams(Params):
    manifest_field: str = Field("definition", description="key of the open_data entry that names the document")
    patterns: list[str] = Field(
        default_factory=lambda: ["README*", "readme*", "*定義*", "*仕様*", "*説明*", "*項目*", "datapackage.json",
                                 "*.schema.json", "*metadata*", "*メタデータ*", "CHANGELOG*", "*更新履歴*"],
        description="file names, in the data file's folder, that hold definitions or an update history")
    only_with_codes: bool = Field(False, description="judge only files with code columns (区分, 種別, …コード)")


class DataDocumentationKind(Kind):
    name = "data_documentation"
    target = Target.DATA
    Params = DocumentationParams
    summary = Text(ja="データの項目定義・更新履歴の文書がある（データと同じフォルダーかマニフェストで指定）",
                   en="a document with the field definitions and update history exists (next to the data or "
                      "named in the manifest)")

    def evaluate(self, params: DocumentationParams, facts: Facts) -> list[Observation]:
        files = _files(facts)
        if not files:
            return _none_observation()
        observations = []
        seen: set[str] = set()
        for item in files:
            if item.path in seen:
                continue
            seen.add(item.path)
            codes = _code_columns(item)
            if params.only_with_codes and not codes:
                observations.append(Observation(Status.NOT_APPLICABLE, subject=item.path, reason=Text(
                    ja="コードで値を表す列がありません", en="no column holds coded values")))
                continue
            entry = _open_data_entry(facts, item.path) or {}
            named = entry.get(params.manifest_field)
            found: str | None = str(named) if named else None
            if found is None and item.source is not None:
                for sibling in sorted(item.source.parent.iterdir()):
                    if sibling != item.source and sibling.is_file() and any(
                            fnmatch.fnmatch(sibling.name, pattern) for pattern in params.patterns):
                        found = sibling.name
                        break
            detail = {"file": item.path, "document": found or "", "columns": "、".join(codes[:10])}
            status = Status.PASS if found else Status.FAIL
            observations.append(Observation(status, subject=item.path, location=Location(file=item.path, value=found),
                                            detail=detail))
        return observations


# --------------------------------------------------------------------------- format over time (L3-07)


class SameHeadersParams(Params):
    pass


class DataSameHeadersKind(Kind):
    name = "data_same_headers"
    target = Target.DATA
    Params = SameHeadersParams
    summary = Text(ja="同じデータセット（open_data の 1 項目）のファイルが同じ項目名を持つ",
                   en="the files of one dataset (one open_data entry) have the same headers")

    def evaluate(self, params: SameHeadersParams, facts: Facts) -> list[Observation]:
        files = _files(facts)
        if not files:
            return _none_observation()
        groups: dict[int, list[DataFileFacts]] = {}
        entries = (facts.manifest.data.get("data", {}).get("open_data", []) or []) if facts.manifest else []
        for item in files:
            entry = _open_data_entry(facts, item.path)
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
                skipped = _applies(item, TABLE_FORMATS)
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


def _code_columns(item: DataFileFacts) -> list[str]:
    """Columns of coded values that need a code table: 区分, 種別, …コード holding numbers or short
    codes. National codes (全国地方公共団体コード, 都道府県コード) have published tables and are left out."""
    from guideline_lint.collect.data import CODE_HEADER_RE, CODE_TABLE_HEADER_RE

    return [c.name for c in item.columns if c.kind == "numeric" and CODE_TABLE_HEADER_RE.search(c.name)
            and not CODE_HEADER_RE.search(c.name) and c.name != "都道府県コード"]


KINDS: list[type[Kind]] = [DataProblemsKind, DataEncodingKind, DataFileFormatKind, DataStandardHeadersKind,
                           DataColumnUnitsKind, DataDocumentationKind, DataSameHeadersKind]
