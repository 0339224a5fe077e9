"""What the store hands out and takes in: services, reports and their scores as plain data classes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class ServiceRow:
    id: str
    name: str | None
    bureau: str | None
    created_at: datetime


@dataclass
class NewReport:
    """What the server stores for one upload (built by ``server.py`` after recomputing)."""

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
    payload: str  # canonical JSON
    principles: list[dict[str, Any]]
    kpis: list[dict[str, Any]]


@dataclass
class StoredReport:
    id: int
    service_id: str
    digest: str
    received_at: datetime
    generated_at: datetime
    service_name: str | None
    bureau: str | None
    phase: str | None
    ruleset_id: str
    ruleset_version: str
    tool_version: str | None
    score: float | None
    claimed_score: float | None
    flagged: bool
    flags: list[dict[str, str]]
    principles: dict[int, dict[str, Any]] = field(default_factory=dict)
    kpis: dict[str, dict[str, Any]] = field(default_factory=dict)


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


def distinct(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v})
