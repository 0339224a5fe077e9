"""Bundled data: where the checks and rulesets are, the ten principles, the KPI catalogue and the quality indicators."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from guideline_lint.model import KpiValue, Text
from guideline_lint.yamlcache import load_trusted

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """Folder holding ``checks/`` and ``rulesets/``: inside the wheel, or the source tree's top level."""
    packaged = _PACKAGE / "_data"
    if (packaged / "rulesets").is_dir():
        return packaged
    return _PACKAGE.parent.parent


def checks_dir() -> Path:
    return data_root() / "checks"


def rulesets_dir() -> Path:
    return data_root() / "rulesets"


def load_bundled_yaml(path: Path) -> Any:
    """Bundled files are ours and trusted: fast loading without positions, through the cache."""
    return load_trusted(path)


class PrincipleInfo(NamedTuple):
    id: int
    title: Text
    first_step: Text
    viewpoints: tuple[Text, ...] = ()  # 目標設定の視点 of the logic model, in the source's words
    lines: Mapping[str, int] = MappingProxyType({})  # title, first_step, viewpoints, statement -> source line


class KpiInfo(NamedTuple):
    id: str
    title: Text
    principles: tuple[int, ...]
    type: str | None  # output | outcome (the logic model's columns); None for an own KPI that does not say
    unit: str | None
    better: str | None  # higher | lower
    lines: tuple[int, ...] = ()  # lines of the source that name it; empty for a service's own KPI
    own: bool = False  # defined in the service's manifest, not in the catalogue


class IndicatorInfo(NamedTuple):
    """A quality indicator (デジタルサービスの品質評価指標): the KGI, digital participation, the four components, and
    the 都庁側 indicators, which are organisation-level (scope 'organisation': no service reports them)."""

    id: str
    role: str  # kgi | participation | component | organisation
    scope: str  # service | organisation
    title: Text
    definition: Text
    method: Text
    unit: str
    better: str
    lines: tuple[int, ...]
    kpi: str | None = None  # the catalogue KPI that measures the same thing
    target: float | None = None
    target_note: Text | None = None


@cache
def principles() -> dict[int, PrincipleInfo]:
    raw = load_bundled_yaml(rulesets_dir() / "principles.yaml")
    return {
        p["id"]: PrincipleInfo(
            id=p["id"], title=Text(**p["title"]), first_step=Text(**p["first_step"]),
            viewpoints=tuple(Text(**v) for v in p.get("viewpoints", [])),
            lines={key[:-5]: value for key, value in p.items() if key.endswith("_line")})
        for p in raw["principles"]
    }


@cache
def kpis() -> dict[str, KpiInfo]:
    """The KPI catalogue by id (rulesets/kpis.yaml)."""
    raw = load_bundled_yaml(rulesets_dir() / "kpis.yaml")
    return {
        k["id"]: KpiInfo(id=k["id"], title=Text(**k["title"]), principles=tuple(k["principles"]),
                         type=k["type"], unit=k["unit"], better=k["better"], lines=tuple(k.get("lines", ())))
        for k in raw["kpis"]
    }


@cache
def indicators() -> dict[str, IndicatorInfo]:
    raw = load_bundled_yaml(rulesets_dir() / "kpis.yaml")
    return {
        i["id"]: IndicatorInfo(
            id=i["id"], role=i["role"], scope=i["scope"], title=Text(**i["title"]),
            definition=Text(**i["definition"]), method=Text(**i["method"]), unit=i["unit"], better=i["better"],
            lines=tuple(i["lines"]), kpi=i.get("kpi"), target=i.get("target"),
            target_note=Text(**i["target_note"]) if i.get("target_note") else None)
        for i in raw.get("indicators", [])
    }


def suggest(word: str, choices: list[str] | set[str]) -> str | None:
    """The closest known word, for 'did you mean …' hints."""
    import difflib  # only when something is misspelt

    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def own_kpi(entry: Mapping[str, Any]) -> KpiInfo:
    """A KPI the service defines itself in its manifest (an id outside the catalogue)."""
    title = entry.get("title") or {}
    ja = title.get("ja") or entry["id"]
    return KpiInfo(id=entry["id"], title=Text(ja=ja, en=title.get("en") or ja),
                   principles=tuple(entry.get("principles") or ()), type=entry.get("type"),
                   unit=entry.get("unit"), better=entry.get("better"), own=True)


def kpi_definitions(manifest_data: Mapping[str, Any] | None) -> dict[str, KpiInfo]:
    """The catalogue plus the service's own KPIs: what a KPI id of this manifest means and which principles it
    serves. Checks of KPIs per principle should look ids up here, so that own KPIs count like catalogue ones."""
    catalogue = kpis()
    own = {k["id"]: own_kpi(k) for k in (manifest_data or {}).get("kpis", []) if k.get("id") not in catalogue}
    return {**catalogue, **own}


def unknown_kpi_note(kpi_id: str, info: KpiInfo) -> Text | None:
    """What to say of an id that is not in the catalogue: a near miss, or an own KPI serving no principle."""
    guess = suggest(kpi_id, set(kpis()))
    if guess:
        return Text(ja=f"KPI「{kpi_id}」はカタログにありません。「{guess}」ですか？ "
                       "独自の KPI なら title と principles を書いてください。",
                    en=f"KPI '{kpi_id}' is not in the catalogue. Did you mean '{guess}'? For an own KPI, give its "
                       "title and principles.")
    if not info.principles:
        return Text(ja=f"独自の KPI「{kpi_id}」に principles がないため、どの原則にも数えられません。",
                    en=f"own KPI '{kpi_id}' names no principles, so it counts for none.")
    return None


def kpi_values(manifest_data: dict[str, Any] | None) -> list[KpiValue]:
    """The manifest's KPI values with what the catalogue (or the manifest, for own KPIs) says of each, then the
    quality indicators the manifest reports."""
    if manifest_data is None:
        return []
    definitions = kpi_definitions(manifest_data)
    values = []
    for kpi in manifest_data.get("kpis", []):
        info = definitions[kpi["id"]]
        value, target = kpi.get("value"), kpi.get("target")
        met = None
        if value is not None and target is not None and info.better is not None:
            met = value >= target if info.better == "higher" else value <= target
        values.append(KpiValue(id=kpi["id"], principles=list(info.principles), value=value, target=target,
                               unit=kpi.get("unit") or info.unit, better=info.better, met=met,  # type: ignore[arg-type]
                               measured_at=_iso(kpi.get("measured_at")), title=info.title,
                               type=info.type, own=info.own,  # type: ignore[arg-type]
                               note=unknown_kpi_note(kpi["id"], info) if info.own else None))
    return values + indicator_values(manifest_data)


def indicator_values(manifest_data: Mapping[str, Any]) -> list[KpiValue]:
    """The quality indicators (品質評価指標) the manifest reports under `quality:`, in the catalogue's order."""
    reported = manifest_data.get("quality") or {}
    values = []
    for info in indicators().values():
        entry = reported.get(info.id)
        if not entry:
            continue
        value, target = entry.get("value"), entry.get("target", info.target)
        met = None if value is None or target is None else (value >= target if info.better == "higher"
                                                            else value <= target)
        values.append(KpiValue(id=info.id, principles=[], value=value, target=target,
                               unit=entry.get("unit") or info.unit, better=info.better, met=met,  # type: ignore[arg-type]
                               measured_at=_iso(entry.get("measured_at")), title=info.title, type=info.role,
                               indicator=True))
    return values


def _iso(day: Any) -> str | None:
    return day.isoformat() if isinstance(day, date) else None
