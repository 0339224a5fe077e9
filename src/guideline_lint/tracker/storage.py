"""The tracker's database: connections, services and tokens, storing and querying reports, pruning.

SQLAlchemy 2 Core over an SQLite file (the embedded default) or PostgreSQL (psycopg 3). The tables are
in :mod:`.schema`, the data classes in :mod:`.records`, what to keep in :mod:`.retention`.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

from guideline_lint.errors import EnvironmentProblem, InputError
from guideline_lint.model import Text as Msg
from guideline_lint.tracker.records import (
    NewReport,
    OrgValue,
    ServiceOverview,
    ServiceRow,
    StoredReport,
    report_of_row,
    service_of_row,
)
from guideline_lint.tracker.retention import RetentionPolicy, months_before, to_delete
from guideline_lint.tracker.schema import (
    MIGRATIONS,
    editors,
    kpi_values,
    org_values,
    principle_scores,
    quality_values,
    reports,
    schema_migrations,
    services,
)

DEFAULT_DB = "guideline-lint-tracker.sqlite3"
TOKEN_PREFIX = "glt_"
# As the manifest's service.id. fullmatch, not "^…$": "$" also matches before a final newline.
SERVICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}[a-z0-9]")
MAX_ROW_ID = 2**63 - 1  # the largest id a BIGINT or an SQLite INTEGER holds


def valid_service_id(value: str) -> bool:
    return SERVICE_ID.fullmatch(value) is not None


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_url(db: str | None) -> str:
    """``None`` → the default SQLite file; a plain path → SQLite file; ``postgresql://`` → psycopg 3."""
    if not db:
        db = DEFAULT_DB
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


_REPORT_COLUMNS = [c for c in reports.c if c.name != "payload"]
# Statements of the upload path built once: SQLAlchemy then reuses their compiled form (cache key) per call.
_INSERT_REPORT = insert(reports).returning(reports.c.id)
_INSERT_PRINCIPLES = insert(principle_scores)
_INSERT_KPIS = insert(kpi_values)
_INSERT_QUALITY = insert(quality_values)
_FIND_DIGEST = select(reports.c.id).where(reports.c.digest == bindparam("digest"))
_BY_TOKEN = select(services).where(services.c.token_hash == bindparam("token_hash"))


class Store:
    """One database. Thread-safe: the server calls it from its worker threads."""

    def __init__(self, db: str | None = None, *, pool_size: int = 8) -> None:
        self.url = normalise_url(db)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise InputError(
                Msg(ja=f"データベースURLが不正です: {exc}", en=f"invalid database URL: {exc}"),
                hint=Msg(ja="例: sqlite:///tracker.db または postgresql://user@host/db",
                         en="e.g. sqlite:///tracker.db or postgresql://user@host/db"),
            ) from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # SQLite allows one writer at a time: queueing writers here is cheaper than busy retries.
        self._write_lock: threading.Lock | None = threading.Lock() if self.is_sqlite else None
        try:
            if self.is_sqlite:
                self.engine: Engine = create_engine(
                    self.url, connect_args={"check_same_thread": False, "timeout": 30},
                    pool_size=pool_size, max_overflow=pool_size,
                )
                event.listen(self.engine, "connect", _sqlite_pragmas)
            else:
                self.engine = create_engine(self.url, pool_size=pool_size, max_overflow=pool_size,
                                            pool_pre_ping=True)
        except (ArgumentError, ImportError) as exc:
            raise InputError(
                Msg(ja=f"データベースを開けません: {exc}", en=f"cannot open the database: {exc}"),
                url=safe_url(self.url),
            ) from exc

    # ------------------------------------------------------------------ lifecycle

    def migrate(self) -> int:
        """Bring the schema to the newest version; returns it. Safe to run on every start."""
        try:
            with self._writing(), self.engine.begin() as conn:
                if not self.is_sqlite:
                    # Servers starting together on PostgreSQL take turns; DDL is transactional there.
                    conn.execute(text("SELECT pg_advisory_xact_lock(7275019)"))
                schema_migrations.create(conn, checkfirst=True)
                done = set(conn.scalars(select(schema_migrations.c.version)))
                for version, apply in MIGRATIONS:
                    if version not in done:
                        apply(conn)
                        conn.execute(insert(schema_migrations).values(version=version, applied_at=utcnow()))
        except OperationalError as exc:
            raise EnvironmentProblem(
                Msg(ja=f"データベースに接続できません: {exc.orig}", en=f"cannot reach the database: {exc.orig}"),
                url=safe_url(self.url),
                hint=Msg(ja="--db の URL と、データベースが起動しているかを確認してください。",
                         en="check the --db URL and that the database is running."),
            ) from exc
        return self.schema_version()

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.max(schema_migrations.c.version))) or 0

    def dispose(self) -> None:
        self.engine.dispose()

    def _writing(self) -> Any:
        return self._write_lock if self._write_lock is not None else _NoLock()

    # ------------------------------------------------------------------ services and tokens

    def add_service(self, service_id: str, name: str | None = None, bureau: str | None = None,
                    *, rotate: bool = False) -> str:
        """Register a service (or issue a new token with ``rotate``); returns the token, stored only hashed."""
        if not valid_service_id(service_id):
            raise InputError(Msg(ja=f"サービスID {service_id!r} が不正です。",
                                 en=f"invalid service id {service_id!r}."))
        token = new_token()
        with self._writing(), self.engine.begin() as conn:
            existing = conn.execute(select(services.c.id).where(services.c.id == service_id)).first()
            if existing and not rotate:
                raise InputError(
                    Msg(ja=f"サービス {service_id} は登録済みです。",
                        en=f"service {service_id} is already registered."),
                    hint=Msg(ja="新しいトークンを発行するには --rotate-token を付けてください。",
                             en="use --rotate-token to issue a new token."),
                )
            if not existing and rotate:
                raise InputError(Msg(ja=f"サービス {service_id} は登録されていません。",
                                     en=f"service {service_id} is not registered."))
            if existing:
                values: dict[str, Any] = {"token_hash": hash_token(token)}
                if name is not None:
                    values["name"] = name
                if bureau is not None:
                    values["bureau"] = bureau
                conn.execute(update(services).where(services.c.id == service_id).values(**values))
            else:
                conn.execute(insert(services).values(id=service_id, name=name, bureau=bureau,
                                                     token_hash=hash_token(token), created_at=utcnow()))
        return token

    def service_for_token(self, token: str) -> ServiceRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(_BY_TOKEN, {"token_hash": hash_token(token)}).first()
        return service_of_row(row) if row else None

    def get_service(self, service_id: str) -> ServiceRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(services).where(services.c.id == service_id)).first()
        return service_of_row(row) if row else None

    def list_services(self) -> list[ServiceRow]:
        with self.engine.connect() as conn:
            return [service_of_row(r) for r in conn.execute(select(services).order_by(services.c.id))]

    # ------------------------------------------------------------------ reports

    def find_digest(self, digest: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.scalar(_FIND_DIGEST, {"digest": digest})

    def store_report(self, new: NewReport) -> tuple[int, bool]:
        """Store a report once: returns (id, True) when new, (id of the stored copy, False) when not.
        The unique digest decides, so two processes storing the same report at once store it once."""
        row = {
            "service_id": new.service_id, "digest": new.digest, "received_at": utcnow(),
            "generated_at": new.generated_at, "service_name": new.service_name, "bureau": new.bureau,
            "phase": new.phase, "ruleset_id": new.ruleset_id, "ruleset_version": new.ruleset_version,
            "tool_version": new.tool_version, "score": new.score, "claimed_score": new.claimed_score,
            "flagged": bool(new.flags), "flags": json.dumps(new.flags, ensure_ascii=False),
            "payload": zlib.compress(new.payload.encode("utf-8"), 1),  # CPU work: outside the write lock
        }
        try:
            with self._writing(), self.engine.begin() as conn:
                report_id = conn.execute(_INSERT_REPORT, row).scalar_one()
                if new.principles:
                    conn.execute(_INSERT_PRINCIPLES, [{"report_id": report_id, **p} for p in new.principles])
                if new.kpis:
                    conn.execute(_INSERT_KPIS, [{"report_id": report_id, **k} for k in new.kpis])
                if new.quality:
                    conn.execute(_INSERT_QUALITY, [{"report_id": report_id, **q} for q in new.quality])
        except IntegrityError:
            existing = self.find_digest(new.digest)
            if existing is None:
                raise
            return existing, False
        return report_id, True

    def get_report(self, report_id: int) -> tuple[StoredReport, str] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(reports).where(reports.c.id == report_id)).first()
            if row is None:
                return None
            stored = report_of_row(row)
            self._attach(conn, {stored.id: stored})
        return stored, zlib.decompress(row.payload).decode("utf-8")

    def reports_of(self, service_id: str, *, limit: int = 100, offset: int = 0,
                   newest_first: bool = True) -> list[StoredReport]:
        order = (reports.c.generated_at.desc(), reports.c.id.desc()) if newest_first else (
            reports.c.generated_at, reports.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*_REPORT_COLUMNS).where(reports.c.service_id == service_id)
                .order_by(*order).limit(limit).offset(offset)
            ).all()
            found = {r.id: report_of_row(r) for r in rows}
            self._attach(conn, found)
        return [found[r.id] for r in rows]

    def count_reports(self, service_id: str | None = None) -> int:
        query = select(func.count()).select_from(reports)
        if service_id is not None:
            query = query.where(reports.c.service_id == service_id)
        with self.engine.connect() as conn:
            return conn.scalar(query) or 0

    def overview(self) -> list[ServiceOverview]:
        """Every registered service with its latest report (by generation time)."""
        ranked = select(
            reports.c.id,
            func.row_number().over(partition_by=reports.c.service_id,
                                   order_by=(reports.c.generated_at.desc(), reports.c.id.desc())).label("rn"),
        ).subquery()
        with self.engine.connect() as conn:
            service_rows = conn.execute(select(services).order_by(services.c.id)).all()
            rows = conn.execute(
                select(*_REPORT_COLUMNS).join(ranked, ranked.c.id == reports.c.id).where(ranked.c.rn == 1)
            ).all()
            latest = {r.service_id: report_of_row(r) for r in rows}
            self._attach(conn, {r.id: r for r in latest.values()})
        return [ServiceOverview(service_of_row(s), latest.get(s.id)) for s in service_rows]

    def _attach(self, conn: Any, found: dict[int, StoredReport]) -> None:
        """Load principle scores, KPI and quality indicator values of the given reports (in chunks, for IN-list
        limits)."""
        ids = list(found)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in conn.execute(select(principle_scores).where(principle_scores.c.report_id.in_(chunk))):
                values = row._asdict()
                found[values.pop("report_id")].principles[values["principle"]] = values
            for row in conn.execute(select(kpi_values).where(kpi_values.c.report_id.in_(chunk))):
                values = row._asdict()
                found[values.pop("report_id")].kpis[values["kpi_id"]] = values
            for row in conn.execute(select(quality_values).where(quality_values.c.report_id.in_(chunk))):
                values = row._asdict()
                found[values.pop("report_id")].quality[values["indicator_id"]] = values

    # ------------------------------------------------------------------ the organisation's indicators

    def add_editor(self, editor_id: str, *, rotate: bool = False) -> str:
        """Allow someone of the central bureau to enter the organisation's indicator values (or issue them a new
        token with ``rotate``); returns the token, stored only hashed."""
        if not valid_service_id(editor_id):
            raise InputError(Msg(ja=f"入力者ID {editor_id!r} が不正です。", en=f"invalid editor id {editor_id!r}."))
        token = new_token()
        with self._writing(), self.engine.begin() as conn:
            existing = conn.execute(select(editors.c.id).where(editors.c.id == editor_id)).first()
            if bool(existing) != rotate:
                raise InputError(Msg(ja=f"入力者 {editor_id} は登録済みです（--rotate-token で再発行）。",
                                     en=f"editor {editor_id} is already registered (--rotate-token issues a new "
                                        "token).") if existing else
                                 Msg(ja=f"入力者 {editor_id} は登録されていません。",
                                     en=f"editor {editor_id} is not registered."))
            if existing:
                conn.execute(update(editors).where(editors.c.id == editor_id).values(token_hash=hash_token(token)))
            else:
                conn.execute(insert(editors).values(id=editor_id, token_hash=hash_token(token), created_at=utcnow()))
        return token

    def editor_for_token(self, token: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(editors.c.id).where(editors.c.token_hash == hash_token(token)))

    def set_org_value(self, indicator_id: str, measured_on: date, value: float, target: float | None,
                      source: str | None, editor: str) -> tuple[OrgValue, bool]:
        """Store the value of an organisation indicator for a day, replacing that day's value; True when new.
        One statement in one transaction: the value is stored whole or not at all."""
        row = {"indicator_id": indicator_id, "measured_on": measured_on, "value": value, "target": target,
               "source": source, "entered_by": editor, "entered_at": utcnow()}
        dialect = sqlite if self.is_sqlite else postgresql
        statement = dialect.insert(org_values).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["indicator_id", "measured_on"],
            set_={k: statement.excluded[k] for k in ("value", "target", "source", "entered_by", "entered_at")})
        same_day = (org_values.c.indicator_id == indicator_id) & (org_values.c.measured_on == measured_on)
        with self._writing(), self.engine.begin() as conn:
            existed = conn.scalar(select(org_values.c.id).where(same_day)) is not None
            conn.execute(statement)
        return OrgValue(**row), not existed

    def org_values(self) -> dict[str, list[OrgValue]]:
        """Every entered value, per indicator, oldest first."""
        found: dict[str, list[OrgValue]] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(org_values).order_by(org_values.c.indicator_id, org_values.c.measured_on))
            for row in rows:
                values = row._asdict()
                values.pop("id")
                found.setdefault(row.indicator_id, []).append(OrgValue(**values))
        return found

    # ------------------------------------------------------------------ retention

    def prune(self, policy: RetentionPolicy, now: datetime | None = None) -> int:
        """Apply the retention policy; returns the number of reports deleted."""
        now = now or utcnow()
        recent_from = now - timedelta(days=policy.days)
        monthly_from = None
        if policy.monthly_months is not None:
            monthly_from = months_before(now, policy.monthly_months)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(reports.c.id, reports.c.service_id, reports.c.generated_at)
                .order_by(reports.c.service_id, reports.c.generated_at.desc(), reports.c.id.desc())
            ).all()
        doomed = to_delete(rows, recent_from, monthly_from)
        for start in range(0, len(doomed), 500):
            chunk = doomed[start:start + 500]
            with self._writing(), self.engine.begin() as conn:
                conn.execute(delete(principle_scores).where(principle_scores.c.report_id.in_(chunk)))
                conn.execute(delete(kpi_values).where(kpi_values.c.report_id.in_(chunk)))
                conn.execute(delete(quality_values).where(quality_values.c.report_id.in_(chunk)))
                conn.execute(delete(reports).where(reports.c.id.in_(chunk)))
        return len(doomed)


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the dashboard read while an upload writes; NORMAL is durable across process crashes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


