"""What the store hands out and takes in: services, reports and their scores as plain data classes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class ServiceRow:
    id: str
    name: str | None
    bureau: str | None
    created_at: datetime


@dataclass(kw_only=True)
class ReportHeader:
    """What a report says of itself, as stored in its row: the fields a new and a stored report share."""

    service_id: str
    digest: str
    generated_at: datetime
    service_name: str | None
    bureau: str | None
    phase: str | None
    ruleset_id: str
    ruleset_version: str
    tool_version: str | None
    score: float | None
    claimed_score: float | None
    flags: list[dict[str, str]]


@dataclass(kw_only=True)
class NewReport(ReportHeader):
    """What the server stores for one upload (built by ``server.py`` after recomputing)."""

    payload: str  # canonical JSON
    principles: list[dict[str, Any]]
    kpis: list[dict[str, Any]]
    quality: list[dict[str, Any]] = field(default_factory=list)  # the quality indicators (品質評価指標)


@dataclass(kw_only=True)
class StoredReport(ReportHeader):
    id: int
    received_at: datetime
    flagged: bool
    principles: dict[int, dict[str, Any]] = field(default_factory=dict)
    kpis: dict[str, dict[str, Any]] = field(default_factory=dict)
    quality: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class OrgValue:
    """A dated value of an organisation-level indicator, entered by the central bureau (not from a report)."""

    indicator_id: str
    measured_on: date
    value: float
    target: float | None
    source: str | None
    entered_by: str
    entered_at: datetime


@dataclass
class ServiceOverview:
    service: ServiceRow
    latest: StoredReport | None

    @property
    def display_name(self) -> str:
        if self.service.name:
            return self.service.name
        if self.latest and self.latest.service_name:
            return self.latest.service_name
        return self.service.id

    @property
    def bureau(self) -> str | None:
        return self.service.bureau or (self.latest.bureau if self.latest else None)

    @property
    def phase(self) -> str | None:
        return self.latest.phase if self.latest else None


def service_of_row(row: Any) -> ServiceRow:
    return ServiceRow(id=row.id, name=row.name, bureau=row.bureau, created_at=row.created_at)


def report_of_row(row: Any) -> StoredReport:
    return StoredReport(
        id=row.id, service_id=row.service_id, digest=row.digest, received_at=row.received_at,
        generated_at=row.generated_at, service_name=row.service_name, bureau=row.bureau, phase=row.phase,
        ruleset_id=row.ruleset_id, ruleset_version=row.ruleset_version, tool_version=row.tool_version,
        score=row.score, claimed_score=row.claimed_score, flagged=bool(row.flagged), flags=json.loads(row.flags),
    )


def met(value: float | None, target: float | None, better: str) -> bool | None:
    """Whether a value reaches its target (None without both): the tracker's judgement, not the report's."""
    if value is None or target is None:
        return None
    return value >= target if better == "higher" else value <= target


def distinct(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v})
