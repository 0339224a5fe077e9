"""``data_documentation``: a document with the field definitions and update history (L3-08, L3-02)
lies next to the data, is named in the manifest, or lies in a folder above the data and names its columns.

A README in a folder above counts only when it names at least ``MIN_NAMED_COLUMNS`` of the file's column headers
(code4fukui/fukui-kanko-survey's README defines the survey's columns for monthly/ and byid/): a repository's README
that describes the application, or a catalogue that lists the data sets (yaizu-city/opendata), defines no field."""

from __future__ import annotations

import fnmatch
import posixpath
import re

from pydantic import Field

from guideline_lint import japanese as jp
from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.facts.data import ColumnProfile, DataFileFacts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import files, labelled, none_observation, open_data_entry
from guideline_lint.kinds.data.rules.regions import CODE_HEADER_RE
from guideline_lint.model import Location, Status, Target, Text

MIN_NAMED_COLUMNS = 3  # column headers a document above the data must name (all of them, for fewer columns)
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
CODE_TABLE_HEADER_RE = re.compile(r"(区分|種別|類型|分類|コード|code|Code|CODE)")  # values need a code table


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
        items = files(facts)
        if not items:
            return none_observation()
        observations = []
        seen: set[str] = set()
        above: dict[str, list[str]] | None = None  # listed when a file has no document of its own
        for item in items:
            if item.path in seen:
                continue
            seen.add(item.path)
            codes = _code_columns(item)
            if params.only_with_codes and not codes:
                observations.append(Observation(Status.NOT_APPLICABLE, subject=item.path, reason=Text(
                    ja="コードで値を表す列がありません", en="no column holds coded values")))
                continue
            entry = open_data_entry(facts, item.path) or {}
            named = str(entry.get(params.manifest_field) or "")
            found: str | None = named if named and _exists(named, facts) else None
            if found is None:
                found = next((name for name in item.siblings
                              if any(fnmatch.fnmatch(name, pattern) for pattern in params.patterns)), None)
            if found is None and facts.repo is not None and "/" in item.path:
                above = _documents_by_folder(facts.repo, params.patterns) if above is None else above
                found = _defining_document_above(item, above, facts.repo)
            missing = named if named and found is None else ""
            key = params.manifest_field
            detail = {"file": item.path, "document": found or missing, "columns": "、".join(codes[:10]),
                      "why_ja": f"（マニフェストの {key}「{missing}」はリポジトリにありません）" if missing else "",
                      "why_en": f" (the manifest's {key} '{missing}' is not in the repository)" if missing else ""}
            status = Status.PASS if found else Status.FAIL
            observations.append(Observation(status, subject=item.path, location=Location(file=item.path, value=found),
                                            detail=detail))
        return observations


def _documents_by_folder(repo: RepoFacts, patterns: list[str]) -> dict[str, list[str]]:
    """The repository's documents (README, 定義書 …) by their folder (an ``audit`` of data files has no repository:
    it looks next to the files only)."""
    document = re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns)).match
    found: dict[str, list[str]] = {}
    for path in repo.files:
        folder, _, name = path.rpartition("/")
        if document(name):
            found.setdefault(folder, []).append(path)
    return found


def _defining_document_above(item: DataFileFacts, above: dict[str, list[str]], repo: RepoFacts) -> str | None:
    """The nearest document in a folder above the data file's that names its columns (see the module's docstring)."""
    headers = {h.strip() for h in item.header if len(h.strip()) >= 2}
    needed = min(MIN_NAMED_COLUMNS, len(headers))
    if not needed:
        return None
    folder = posixpath.dirname(item.path)
    while folder and posixpath.dirname(folder) != folder:  # up to the repository's root ('/' for a file outside)
        folder = posixpath.dirname(folder)
        for path in above.get(folder, []):
            text = repo.read_text(path) or ""
            words = set(_ASCII_WORD.findall(text))
            named = sum(1 for h in headers if (h in words if _ASCII_WORD.fullmatch(h) else h in text))
            if named >= needed:
                return path
    return None


def _exists(named: str, facts: Facts) -> bool:
    """A web page (http, https) is taken as named: it is not fetched. A path must be a file of the repository, when
    the repository was read (an ``audit`` of data files has none to look in)."""
    return named.startswith(("http://", "https://")) or facts.repo is None or facts.repo.has_file(named)


def _code_columns(item: DataFileFacts) -> list[str]:
    """Columns of coded values that need a code table: 区分, 種別, …コード holding numbers or short
    codes. National codes (全国地方公共団体コード, 都道府県コード) have published tables and are left out, and so
    are codes whose labels stand in the column beside them. A national code is known by its values too: a column
    whose every value is a 全国地方公共団体コード ('prefCode', 'code' = 37201 in takamatsu-city opendata)."""
    return [c.name for c in item.columns if c.kind == "numeric" and CODE_TABLE_HEADER_RE.search(c.name)
            and not CODE_HEADER_RE.search(c.name) and c.name != "都道府県コード" and not labelled(item, c)
            and not _local_government_codes(c)]


def _local_government_codes(column: ColumnProfile) -> bool:
    return bool(column.distinct) and all(jp.local_government_code_ok(value) for value in column.distinct)
