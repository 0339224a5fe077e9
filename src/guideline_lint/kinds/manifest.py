"""Kinds that judge the service manifest (digital-service.yaml).

Paths are dotted (``security.bcp``); ``[]`` fans out over list items (``kpis[].target``) and then
every item must satisfy the kind. A missing value is reported at the nearest key that exists,
which is where the user has to add it.
"""

import posixpath
import re
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import Field, model_validator

from guideline_lint.catalog import kpi_definitions
from guideline_lint.facts import MISSING, Facts, ManifestFacts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.model import Status, Target, Text

_EMPTY = ("", [], {})
# A value that is not there, in each language's words (the engine picks value_ja / value_en for its message): a field
# left empty reads 未記入 ("…がありません（未記入）"), never なし, which reads as an answer.
NONE = {"value": "未記入 / not given", "value_ja": "未記入", "value_en": "not given"}

# `{problem}` goes into the Japanese message, `{problem_en}` into the English one.
PROBLEMS: dict[str, tuple[str, str]] = {
    "future": ("未来の日付です", "the date is in the future"),
    "missing": ("記録がありません", "nothing is recorded"),
    "answered no": ("「いいえ」と回答されています", "answered no"),
    "no date": ("日付がありません", "no date is given"),
    "outdated": ("確認日が古すぎます", "the date is too old"),
    "file empty": ("値が空です", "the value is empty"),
    "file url": ("URL ではなくリポジトリのファイルを指定してください", "give a repository file, not a URL"),
    "file outside": ("リポジトリの外を指しています", "it points outside the repository"),
    "file missing": ("そのファイルがリポジトリにありません", "the file is not in the repository"),
    "evidence empty": ("証跡（evidence）がありません", "no evidence is given"),
    "evidence url": ("証跡は URL ではなくリポジトリのファイルにしてください", "the evidence must be a repository file"),
    "evidence outside": ("証跡がリポジトリの外を指しています", "the evidence points outside the repository"),
    "evidence missing": ("証跡のファイルがリポジトリにありません", "the evidence file is not in the repository"),
}


def _problem(key: str) -> dict[str, str]:
    ja, en = PROBLEMS.get(key, (key, key))
    return {"problem": ja, "problem_en": en, "problem_code": key}


def _shorten(value: Any, limit: int = 80) -> str:
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _manifest(facts: Facts) -> ManifestFacts:
    if facts.manifest is None:
        raise LookupError("manifest facts were not collected")
    return facts.manifest


def _missing(manifest: ManifestFacts, path: str) -> Observation:
    return Observation(Status.FAIL, location=manifest.locate(path), detail={"path": path, **NONE})


def _judge_each(facts: Facts, path: str, judge: Any) -> list[Observation]:
    """Apply ``judge(value) -> (ok, detail)`` to every value at ``path``; one observation overall."""
    manifest = _manifest(facts)
    found = manifest.resolve(path)
    if not found or all(value is MISSING or value in _EMPTY for _, value in found):
        return [_missing(manifest, path)]
    failures = []
    for concrete, value in found:
        if value is MISSING or value in _EMPTY:
            failures.append((concrete, value, dict(NONE)))
            continue
        ok, detail = judge(value)
        if not ok:
            failures.append((concrete, value, detail))
    if not failures:
        return [Observation(Status.PASS, location=manifest.locate(found[0][0]),
                            detail={"path": path, "value": _shorten(found[0][1])})]
    concrete, value, detail = failures[0]
    shown = _shorten(value) if value is not MISSING else None
    return [Observation(
        Status.FAIL,
        location=manifest.locate(concrete).model_copy(update={"value": shown}),
        occurrences=[manifest.locate(c) for c, _, _ in failures[1:20]],
        more_occurrences=max(0, len(failures) - 20),
        detail={"path": concrete, **({"value": _shorten(value)} if value is not MISSING else NONE), **detail},
    )]


class FieldParams(Params):
    path: str
    equals: Any = None
    one_of: list[Any] | None = None
    pattern: str | None = Field(None, description="regular expression the value must match (search)")

    @model_validator(mode="after")
    def _pattern_compiles(self) -> "FieldParams":
        if self.pattern is not None:
            re.compile(self.pattern)
        return self


class FieldKind(Kind):
    name = "field"
    target = Target.MANIFEST
    Params = FieldParams
    summary = Text(ja="値があり、指定があれば等しい・候補のいずれか・パターンに一致する",
                   en="a value is present and, if given, equals / is one of / matches a pattern")

    def evaluate(self, params: FieldParams, facts: Facts) -> list[Observation]:
        regex = re.compile(params.pattern) if params.pattern else None

        def judge(value: Any) -> tuple[bool, dict[str, Any]]:
            if params.equals is not None and value != params.equals:
                return False, {"expected": params.equals}
            if params.one_of is not None and value not in params.one_of:
                return False, {"expected": ", ".join(map(str, params.one_of))}
            if regex is not None and not (isinstance(value, str) and regex.search(value)):
                return False, {"expected": params.pattern}
            return True, {}

        return _judge_each(facts, params.path, judge)


class NumberParams(Params):
    path: str
    min: float | None = None
    max: float | None = None


class NumberKind(Kind):
    name = "number"
    target = Target.MANIFEST
    Params = NumberParams
    summary = Text(ja="数値が範囲内にある", en="a number lies within bounds")

    def evaluate(self, params: NumberParams, facts: Facts) -> list[Observation]:
        def judge(value: Any) -> tuple[bool, dict[str, Any]]:
            detail = {"min": params.min, "max": params.max}
            if isinstance(value, bool) or not isinstance(value, int | float):
                return False, detail
            if params.min is not None and value < params.min:
                return False, detail
            if params.max is not None and value > params.max:
                return False, detail
            return True, detail

        return _judge_each(facts, params.path, judge)


class DateParams(Params):
    path: str
    max_age_days: int | None = Field(None, ge=0)
    not_in_future: bool = True
    latest: bool = Field(False, description="with '[]' in the path: judge only the most recent date")


class DateKind(Kind):
    name = "date"
    target = Target.MANIFEST
    Params = DateParams
    summary = Text(ja="日付があり、指定日数より古くない", en="a date is present and not older than N days")

    def evaluate(self, params: DateParams, facts: Facts) -> list[Observation]:
        path = params.path
        if params.latest:
            dated = [(c, v) for c, v in _manifest(facts).resolve(path) if isinstance(v, date)]
            if dated:
                path = max(dated, key=lambda item: item[1])[0]

        def judge(value: Any) -> tuple[bool, dict[str, Any]]:
            day = value.date() if isinstance(value, datetime) else value
            detail: dict[str, Any] = {"max_age_days": params.max_age_days}
            if not isinstance(day, date):
                return False, detail
            if params.not_in_future and day > facts.today:
                return False, {**detail, **_problem("future")}
            if params.max_age_days is not None and day < facts.today - timedelta(days=params.max_age_days):
                return False, {**detail, "age_days": (facts.today - day).days}
            return True, detail

        return _judge_each(facts, path, judge)


class ListParams(Params):
    path: str
    min_items: int = Field(1, ge=0)
    item_fields: list[str] = Field(default_factory=list, description="keys every item must have")
    contains_any: list[Any] | None = Field(None, description="at least one item must be one of these")
    item_min: dict[str, float] = Field(default_factory=dict,
                                       description="an item counts only when these keys hold at least these numbers")


def _at_least(item: Any, minimum: dict[str, float]) -> bool:
    return all(isinstance(item, dict) and isinstance(v := item.get(key), int | float) and not isinstance(v, bool)
               and v >= low for key, low in minimum.items())


class ListKind(Kind):
    name = "list"
    target = Target.MANIFEST
    Params = ListParams
    summary = Text(ja="リストに N 件以上あり、各項目に必要なキーがある",
                   en="a list has at least N items, each with the required keys")

    def evaluate(self, params: ListParams, facts: Facts) -> list[Observation]:
        manifest = _manifest(facts)
        value = manifest.get(params.path)
        items = value if isinstance(value, list) else []
        complete = [i for i in items if all(isinstance(i, dict) and i.get(k) not in (None, "") for k in
                                            params.item_fields) and _at_least(i, params.item_min)]
        detail = {"path": params.path, "count": len(complete), "min_items": params.min_items,
                  "expected": ", ".join(map(str, params.contains_any or []))}
        status = Status.PASS if len(complete) >= params.min_items else Status.FAIL
        if params.contains_any is not None and not any(item in params.contains_any for item in items):
            status = Status.FAIL
        return [Observation(status, location=manifest.locate(params.path), detail=detail,
                            metrics={"items": float(len(complete))})]


class EvidenceParams(Params):
    path: str = Field(description="a file path, a list of them, or items whose `field` holds one")
    field: str | None = None
    allow_urls: bool = True
    min_items: int = Field(1, ge=1)


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def evidence_problem(facts: Facts, reference: Any, allow_urls: bool) -> str | None:
    """None when ``reference`` names a repository file that exists (or an allowed URL)."""
    if not isinstance(reference, str) or not reference.strip():
        return "empty"
    if _is_url(reference):
        return None if allow_urls else "url"
    if facts.repo is None:
        return None
    normal = posixpath.normpath(reference)
    if normal.startswith(("../", "/")) or normal == "..":
        return "outside"
    # Judged against the collected file list: no disk access, and links out of the repository never count.
    return None if facts.repo.has_file(normal) else "missing"


class EvidenceKind(Kind):
    name = "evidence"
    target = Target.MANIFEST
    Params = EvidenceParams
    summary = Text(ja="証跡として参照したファイルがリポジトリにある",
                   en="the evidence file the manifest refers to exists in the repository")

    def evaluate(self, params: EvidenceParams, facts: Facts) -> list[Observation]:
        manifest = _manifest(facts)
        path = f"{params.path}[].{params.field}" if params.field else params.path
        found = [(c, v) for c, v in manifest.resolve(path) if v is not MISSING]
        expanded: list[tuple[str, Any]] = []
        for concrete, value in found:
            if isinstance(value, list):
                expanded.extend((f"{concrete}[{i}]", v) for i, v in enumerate(value))
            else:
                expanded.append((concrete, value))
        if len(expanded) < params.min_items:
            return [_missing(manifest, path)]
        problems = [(c, v, p) for c, v in expanded if (p := evidence_problem(facts, v, params.allow_urls))]
        if not problems:
            return [Observation(Status.PASS, location=manifest.locate(expanded[0][0]), attested=True,
                                detail={"path": path, "value": _shorten(expanded[0][1])})]
        concrete, value, problem = problems[0]
        return [Observation(
            Status.FAIL,
            location=manifest.locate(concrete).model_copy(update={"value": _shorten(value)}),
            occurrences=[manifest.locate(c) for c, _, _ in problems[1:20]],
            detail={"path": concrete, "value": _shorten(value), **_problem(f"file {problem}")},
        )]


class AttestationParams(Params):
    checklist: str | None = Field(None, description="an item of the manifest's `checklists:` (e.g. UIUX-CHECKLIST)")
    path: str | None = Field(None, description="or a {completed, evidence, by} section, e.g. security.bcp")
    max_age_days: int | None = Field(None, ge=0)
    missing: Status = Field(Status.MANUAL, description="status when nothing is attested yet: manual or fail")

    @model_validator(mode="after")
    def _one_source(self) -> "AttestationParams":
        if (self.checklist is None) == (self.path is None):
            raise ValueError("give exactly one of `checklist` and `path`")
        if self.missing not in (Status.MANUAL, Status.FAIL):
            raise ValueError("`missing` must be manual or fail")
        return self


class AttestationKind(Kind):
    name = "attestation"
    target = Target.MANIFEST
    Params = AttestationParams
    summary = Text(ja="人による確認（はい・証跡・日付）が記録されている",
                   en="a person's attestation (yes, evidence, date) is recorded")

    def evaluate(self, params: AttestationParams, facts: Facts) -> list[Observation]:
        manifest = _manifest(facts)
        path = f"checklists.{params.checklist}" if params.checklist else str(params.path)
        entry = manifest.get(path)
        location = manifest.locate(path)
        detail: dict[str, Any] = {"path": path, "checklist": params.checklist or path}
        if not isinstance(entry, dict) or not entry:
            return [Observation(params.missing, location=location, detail={**detail, **_problem("missing")})]
        answer = entry.get("answer", "yes" if entry.get("completed") else None)
        if answer == "n/a":
            reason = entry.get("reason") or "n/a"
            return [Observation(Status.NOT_APPLICABLE, location=location,
                                reason=Text(ja=f"マニフェストで対象外: {reason}",
                                            en=f"not applicable per manifest: {reason}"))]
        if answer != "yes":
            return [Observation(Status.FAIL, location=location, detail={**detail, **_problem("answered no")})]
        when = entry.get("date") or entry.get("completed")
        problem = evidence_problem(facts, entry.get("evidence"), allow_urls=True)
        if problem:
            evidence_location = manifest.locate(f"{path}.evidence")
            return [Observation(Status.FAIL, location=evidence_location,
                                detail={**detail, **_problem(f"evidence {problem}"),
                                        "value": entry.get("evidence")})]
        if not isinstance(when, date):
            return [Observation(params.missing, location=location, detail={**detail, **_problem("no date")})]
        if params.max_age_days is not None and when < facts.today - timedelta(days=params.max_age_days):
            return [Observation(Status.FAIL, location=manifest.locate(f"{path}.date") if "date" in entry else location,
                                detail={**detail, **_problem("outdated"), "value": when.isoformat()})]
        return [Observation(Status.PASS, location=location, attested=True, detail=detail)]


class KpiParams(Params):
    principle: int | None = Field(None, ge=1, le=10, description="any KPI of the catalogue serving this principle")
    ids: list[str] = Field(default_factory=list, description="or one of these KPI ids")
    require: list[str] = Field(default_factory=lambda: ["value", "target", "measured_at"])
    max_age_days: int | None = Field(None, ge=0, description="measured_at not older than this")


class KpiKind(Kind):
    name = "kpi"
    target = Target.MANIFEST
    Params = KpiParams
    summary = Text(ja="原則（または指定 ID）の KPI に値・目標・測定日がある",
                   en="a KPI of the principle (or given ids) has a value, a target and a measurement date")

    def evaluate(self, params: KpiParams, facts: Facts) -> list[Observation]:
        manifest = _manifest(facts)
        catalogue = kpi_definitions(manifest.data)  # the service's own KPIs count like the catalogue's
        if params.ids:
            wanted = set(params.ids)
        elif params.principle is not None:
            wanted = {k for k, info in catalogue.items() if params.principle in info.principles}
        else:
            wanted = set(catalogue)
        candidates = [(i, k) for i, k in enumerate(manifest.get("kpis", [])) if k.get("id") in wanted]
        detail = {"principle": params.principle, "ids": ", ".join(sorted(wanted))}
        complete = []
        for index, kpi in candidates:
            if any(kpi.get(field) is None for field in params.require):
                continue
            measured = kpi.get("measured_at")
            if params.max_age_days is not None and isinstance(measured, date) and \
                    measured < facts.today - timedelta(days=params.max_age_days):
                continue
            complete.append((index, kpi))
        if complete:
            index, kpi = complete[0]
            return [Observation(Status.PASS, location=manifest.locate(f"kpis[{index}]"),
                                detail={**detail, "value": kpi["id"]}, metrics={"kpis": float(len(complete))})]
        where = manifest.locate(f"kpis[{candidates[0][0]}]") if candidates else manifest.locate("kpis")
        return [Observation(Status.FAIL, location=where, detail=detail)]


KINDS: list[type[Kind]] = [FieldKind, NumberKind, DateKind, ListKind, EvidenceKind, AttestationKind, KpiKind]
