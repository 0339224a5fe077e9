"""The retention policy: which reports the tracker keeps as they age."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RetentionPolicy:
    """Keep every report of the last ``days`` days; older ones, the latest report of each calendar
    month (for ``monthly_months`` months, ``None`` = forever). A service's latest report is always kept."""

    days: int = 90
    monthly_months: int | None = None


def to_delete(rows: Sequence[Any], recent_from: datetime, monthly_from: datetime | None) -> list[int]:
    """Rows come per service, newest first: keep the newest, everything recent, and one per older month."""
    doomed: list[int] = []
    seen_service: str | None = None
    kept_months: set[tuple[int, int]] = set()
    for row in rows:
        if row.service_id != seen_service:
            seen_service, kept_months = row.service_id, set()
            kept_months.add((row.generated_at.year, row.generated_at.month))
            continue  # the latest report of a service is always kept
        if row.generated_at >= recent_from:
            kept_months.add((row.generated_at.year, row.generated_at.month))
            continue
        month = (row.generated_at.year, row.generated_at.month)
        if month in kept_months or (monthly_from is not None and row.generated_at < monthly_from):
            doomed.append(row.id)
        else:
            kept_months.add(month)
    return doomed


def months_before(now: datetime, months: int) -> datetime:
    index = now.year * 12 + now.month - 1 - months
    return datetime(index // 12, index % 12 + 1, 1)
