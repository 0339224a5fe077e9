"""Bundled data: where the checks and rulesets are, the ten principles and the KPI catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True, slots=True)
class PrincipleInfo:
    id: int
    title: Text
    first_step: Text


@dataclass(frozen=True, slots=True)
class KpiInfo:
    id: str
    title: Text
    principles: tuple[int, ...]
    type: str
    unit: str
    better: str


@cache
def principles() -> dict[int, PrincipleInfo]:
    raw = load_bundled_yaml(rulesets_dir() / "principles.yaml")
    return {
        p["id"]: PrincipleInfo(id=p["id"], title=Text(**p["title"]), first_step=Text(**p["first_step"]))
        for p in raw["principles"]
    }


@cache
def kpis() -> dict[str, KpiInfo]:
    raw = load_bundled_yaml(rulesets_dir() / "kpis.yaml")
    return {
        k["id"]: KpiInfo(id=k["id"], title=Text(**k["title"]), principles=tuple(k["principles"]),
                         type=k["type"], unit=k["unit"], better=k["better"])
        for k in raw["kpis"]
    }


def suggest(word: str, choices: list[str] | set[str]) -> str | None:
    """The closest known word, for 'did you mean …' hints."""
    import difflib  # only when something is misspelt

    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def kpi_values(manifest_data: dict[str, Any] | None) -> list[KpiValue]:
    """The manifest's KPI values with what the catalogue says of each (principles, unit, which way is better)."""
    if manifest_data is None:
        return []
    catalogue = kpis()
    values = []
    for kpi in manifest_data.get("kpis", []):
        info = catalogue[kpi["id"]]
        value, target = kpi.get("value"), kpi.get("target")
        met = None
        if value is not None and target is not None:
            met = value >= target if info.better == "higher" else value <= target
        measured = kpi.get("measured_at")
        values.append(KpiValue(id=kpi["id"], principles=list(info.principles), value=value, target=target,
                               unit=kpi.get("unit") or info.unit, better=info.better, met=met,  # type: ignore[arg-type]
                               measured_at=measured.isoformat() if isinstance(measured, date) else None))
    return values
