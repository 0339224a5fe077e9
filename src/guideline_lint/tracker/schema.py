"""The tracker's tables and their versioned migrations (SQLAlchemy 2 Core; SQLite and PostgreSQL).

Times are stored as naive UTC. The raw report is kept as sent; the scores next to it are the ones the
server computed itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
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
    UniqueConstraint,
    delete,
    insert,
    inspect,
    select,
    text,
)

from guideline_lint import catalog

metadata = MetaData()
OWN_TITLE_MAX = 200  # characters of an own KPI's title kept (a longer one is cut)

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
    # A service's own KPI (version 3): its name as the report gives it; a catalogue KPI is named by the catalogue.
    Column("own", Boolean),
    Column("title_ja", String(OWN_TITLE_MAX)),
    Column("title_en", String(OWN_TITLE_MAX)),
)
# The columns version 3 added to kpi_values (a database made by version 1 or 2 lacks them).
OWN_KPI_COLUMNS = ("own", "title_ja", "title_en")


# The quality indicators (品質評価指標) a report carries, apart from its KPIs: a service's own KPI may share an id.
quality_values = Table(
    "quality_values",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(100), primary_key=True),
    Column("value", Float),
    Column("target", Float),
    Column("unit", String(50)),
    Column("measured_at", String(40)),
    Column("met", Boolean),
)

# Who may enter the organisation's own indicator values (the central bureau): a token, stored hashed.
editors = Table(
    "editors",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

# Dated values of the indicators measured for the whole organisation (the KGI survey, 都庁側 indicators …).
org_values = Table(
    "org_values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", String(100), nullable=False),
    Column("measured_on", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("target", Float),
    Column("source", Text),
    Column("entered_by", String(200), nullable=False),
    Column("entered_at", DateTime, nullable=False),
    UniqueConstraint("indicator_id", "measured_on", name="uq_org_values_indicator_day"),
)


def _migration_1(conn: Any) -> None:
    for table in (services, reports, principle_scores, kpi_values):
        table.create(conn)


def _migration_2(conn: Any) -> None:
    """Quality indicators get their own table (version 1 kept them among the KPIs: their rows move over),
    and the organisation's indicator values and their editors theirs."""
    for table in (quality_values, editors, org_values):
        table.create(conn)
    ids = sorted(i.id for i in catalog.indicators().values() if i.scope == "service")
    moved = kpi_values.c.kpi_id.in_(ids)
    columns = ["report_id", "value", "target", "unit", "measured_at", "met"]
    conn.execute(insert(quality_values).from_select(
        ["indicator_id", *columns], select(kpi_values.c.kpi_id, *[kpi_values.c[c] for c in columns]).where(moved)))
    conn.execute(delete(kpi_values).where(moved))


def _migration_3(conn: Any) -> None:
    """A service's own KPIs keep their names: kpi_values gets `own`, `title_ja` and `title_en` (a database made by
    this version's migration 1 has them already)."""
    present = {c["name"] for c in inspect(conn).get_columns("kpi_values")}
    for name in OWN_KPI_COLUMNS:
        if name not in present:  # the names and types are ours, never input
            kind = kpi_values.c[name].type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE kpi_values ADD COLUMN {name} {kind}"))


# version -> function; a schema change appends (n, _migration_n); each runs once (Store.migrate, one transaction).
MIGRATIONS: list[tuple[int, Any]] = [(1, _migration_1), (2, _migration_2), (3, _migration_3)]
SCHEMA_VERSION = MIGRATIONS[-1][0]
