"""The tracker's tables and their versioned migrations (SQLAlchemy 2 Core; SQLite and PostgreSQL).

Times are stored as naive UTC. The raw report is kept as sent; the scores next to it are the ones the
server computed itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime, nullable=False),
)

services = Table(
    "services",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text),
    Column("bureau", Text),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("service_id", String(200), ForeignKey("services.id"), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("received_at", DateTime, nullable=False),
    Column("generated_at", DateTime, nullable=False),
    Column("service_name", Text),
    Column("bureau", Text),
    Column("phase", String(20)),
    Column("ruleset_id", String(200), nullable=False),
    Column("ruleset_version", String(100), nullable=False),
    Column("tool_version", String(100)),
    Column("score", Float),
    Column("claimed_score", Float),
    Column("flagged", Boolean, nullable=False),
    Column("flags", Text, nullable=False),  # JSON list of {code, ja, en}
    # The report as validated (its canonical JSON), zlib-compressed: reports repeat their texts, so they
    # shrink about six times, and writing 20 KB instead of 120 KB is most of an upload's database time.
    Column("payload", LargeBinary, nullable=False),
    Index("ix_reports_service_generated", "service_id", "generated_at"),
)

principle_scores = Table(
    "principle_scores",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("principle", Integer, primary_key=True, autoincrement=False),
    Column("score", Float),
    Column("claimed_score", Float),
    Column("coverage", Float, nullable=False),
    Column("incomplete", Boolean, nullable=False),
    Column("passed", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("manual", Integer, nullable=False),
    Column("not_applicable", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
)

kpi_values = Table(
    "kpi_values",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("kpi_id", String(100), primary_key=True),
    Column("value", Float),
    Column("target", Float),
    Column("unit", String(50)),
    Column("measured_at", String(40)),
    Column("better", String(10)),
    Column("met", Boolean),
)


def _migration_1(conn: Any) -> None:
    for table in (services, reports, principle_scores, kpi_values):
        table.create(conn)


# version -> function; a later schema change appends (2, _migration_2) with its ALTER statements.
MIGRATIONS: list[tuple[int, Any]] = [(1, _migration_1)]
SCHEMA_VERSION = MIGRATIONS[-1][0]
