"""Storage on real databases: migrations, hashed tokens, stored-once reports, the retention policy."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from guideline_lint.errors import InputError
from guideline_lint.tracker.records import NewReport
from guideline_lint.tracker.retention import RetentionPolicy, to_delete
from guideline_lint.tracker.schema import SCHEMA_VERSION, schema_migrations, services
from guideline_lint.tracker.storage import Store, normalise_url


def new_report(service_id: str, digest: str, when: datetime, score: float = 50.0) -> NewReport:
    return NewReport(
        service_id=service_id, digest=digest, generated_at=when, service_name=None, bureau=None, phase="operation",
        ruleset_id="tokyo-code-of-conduct-1.1.0", ruleset_version="1.1.0", tool_version="0.1.0", score=score,
        claimed_score=score, flags=[], payload=json.dumps({"digest": digest}),
        principles=[{"principle": n, "score": score, "claimed_score": score, "coverage": 1.0, "incomplete": False,
                     "passed": 1, "failed": 1, "manual": 0, "not_applicable": 0, "errors": 0} for n in range(1, 11)],
        kpis=[{"kpi_id": "nps", "value": 10.0, "target": 20.0, "unit": "score", "measured_at": "2026-09-30",
               "better": "higher", "met": False}])


@pytest.fixture
def store(db_url: str) -> Store:
    store = Store(db_url)
    store.migrate()
    yield store
    store.dispose()


def test_migrations_are_recorded_and_idempotent(store: Store) -> None:
    assert store.migrate() == SCHEMA_VERSION == 3
    assert store.migrate() == 3
    with store.engine.connect() as conn:
        assert sorted(conn.scalars(select(schema_migrations.c.version))) == [1, 2, 3]


def test_servers_starting_together_migrate_once(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stores = [Store(db_url) for _ in range(2)] if not db_url.startswith("sqlite") else [Store(db_url)] * 2
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda s: s.migrate(), stores * 2)) == [SCHEMA_VERSION] * 4
    for store in stores:
        store.dispose()


def test_token_is_stored_only_as_a_hash(store: Store) -> None:
    token = store.add_service("svc-a", "申請サービス", "デジタルサービス局")
    with store.engine.connect() as conn:
        stored = conn.execute(select(services)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert store.service_for_token(token).id == "svc-a"
    assert store.service_for_token(token + "x") is None
    with pytest.raises(InputError):
        store.add_service("svc-a")
    rotated = store.add_service("svc-a", rotate=True)
    assert store.service_for_token(token) is None
    assert store.service_for_token(rotated).name == "申請サービス"


def test_same_digest_is_stored_once(store: Store) -> None:
    store.add_service("svc-a")
    when = datetime(2026, 11, 1, 9, 0)
    first = store.store_report(new_report("svc-a", "d" * 64, when))
    second = store.store_report(new_report("svc-a", "d" * 64, when))
    assert first[1] is True and second == (first[0], False)
    assert store.count_reports() == 1
    stored, _payload = store.get_report(first[0])
    assert stored.principles[3]["score"] == 50.0 and stored.kpis["nps"]["target"] == 20.0


def test_overview_takes_each_services_latest_report(store: Store) -> None:
    for service in ("svc-a", "svc-b", "svc-c"):
        store.add_service(service)
    store.store_report(new_report("svc-a", "a1".ljust(64, "0"), datetime(2026, 10, 1), 40))
    store.store_report(new_report("svc-a", "a2".ljust(64, "0"), datetime(2026, 11, 1), 60))
    store.store_report(new_report("svc-a", "a0".ljust(64, "0"), datetime(2026, 9, 1), 20))  # arrives late
    store.store_report(new_report("svc-b", "b1".ljust(64, "0"), datetime(2026, 11, 2), 90))
    overview = {item.service.id: item for item in store.overview()}
    assert overview["svc-a"].latest.score == 60
    assert overview["svc-b"].latest.score == 90
    assert overview["svc-c"].latest is None


def test_prune_keeps_recent_reports_and_one_per_older_month(store: Store) -> None:
    store.add_service("svc-a")
    now = datetime(2026, 11, 26, 12, 0)
    dates = [now - timedelta(days=d) for d in (1, 10, 80)]  # recent: all kept
    dates += [datetime(2026, 6, 3), datetime(2026, 6, 20), datetime(2026, 6, 28)]  # June: keep the 28th only
    dates += [datetime(2025, 1, 5), datetime(2025, 1, 6)]  # January 2025: keep the 6th
    for index, when in enumerate(dates):
        store.store_report(new_report("svc-a", f"{index:064d}", when))
    deleted = store.prune(RetentionPolicy(days=90), now=now)
    remaining = sorted(r.generated_at for r in store.reports_of("svc-a", limit=100))
    assert remaining == sorted([*dates[:3], datetime(2026, 6, 28), datetime(2025, 1, 6)])
    assert deleted == 3
    # With a limit of 12 months the 2025 representative goes too.
    assert store.prune(RetentionPolicy(days=90, monthly_months=12), now=now) == 1


def test_prune_never_deletes_a_services_latest_report() -> None:
    rows = [SimpleNamespace(id=1, service_id="old", generated_at=datetime(2020, 1, 1)),
            SimpleNamespace(id=2, service_id="old", generated_at=datetime(2020, 1, 1)),
            SimpleNamespace(id=3, service_id="old", generated_at=datetime(2019, 5, 1))]
    assert to_delete(rows, datetime(2026, 1, 1), datetime(2025, 1, 1)) == [2, 3]


def test_database_urls() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("data/t.db").startswith("sqlite:////") and normalise_url("data/t.db").endswith("data/t.db")
    with pytest.raises(InputError):
        Store("nonsense://")


def test_migration_2_moves_the_quality_indicators_out_of_the_kpis(db_url: str) -> None:
    """A database of version 1 kept the quality indicators among the KPIs; after migrating they are quality values,
    and the KPIs stay where they were."""
    from sqlalchemy import insert

    from guideline_lint.tracker import schema

    old = Store(db_url)
    with old.engine.begin() as conn:
        schema.schema_migrations.create(conn)
        schema._migration_1(conn)
        conn.execute(insert(schema_migrations).values(version=1, applied_at=datetime(2026, 1, 1)))
    old.add_service("svc-a")
    stored = new_report("svc-a", "d" * 64, datetime(2026, 9, 1))
    stored.kpis.append({"kpi_id": "usability", "value": 0.8, "target": 0.7, "unit": "ratio",
                        "measured_at": "2026-08-31", "better": "higher", "met": True})
    with old.engine.begin() as conn:
        conn.execute(insert(schema.reports).values(
            service_id="svc-a", digest=stored.digest, received_at=stored.generated_at,
            generated_at=stored.generated_at, ruleset_id=stored.ruleset_id, ruleset_version=stored.ruleset_version,
            flagged=False, flags="[]", payload=b"x"))
        report_id = conn.scalar(select(schema.reports.c.id))
        conn.execute(insert(schema.kpi_values), [{"report_id": report_id, **k} for k in stored.kpis])
    assert old.migrate() == SCHEMA_VERSION
    [report] = old.reports_of("svc-a")
    assert set(report.kpis) == {"nps"}
    assert report.quality["usability"] == {"indicator_id": "usability", "value": 0.8, "target": 0.7, "unit": "ratio",
                                           "measured_at": "2026-08-31", "met": True}
    old.dispose()


def test_migration_3_gives_the_kpis_of_an_older_database_room_for_own_names(store: Store) -> None:
    """A database of version 2 has kpi_values without `own`, `title_ja`, `title_en`: migrating adds them, the KPIs
    stored before keep their values (their `own` unknown), and a new report's own KPI keeps its name."""
    from sqlalchemy import delete, inspect, text

    from guideline_lint.tracker.schema import OWN_KPI_COLUMNS

    store.add_service("svc-a")
    store.store_report(new_report("svc-a", "a" * 64, datetime(2026, 9, 1)))
    with store.engine.begin() as conn:  # back to version 2's table
        for name in OWN_KPI_COLUMNS:
            conn.execute(text(f"ALTER TABLE kpi_values DROP COLUMN {name}"))
        conn.execute(delete(schema_migrations).where(schema_migrations.c.version == 3))
    with store.engine.connect() as conn:
        assert not set(OWN_KPI_COLUMNS) & {c["name"] for c in inspect(conn).get_columns("kpi_values")}
    assert store.migrate() == 3
    [before] = store.reports_of("svc-a")
    assert before.kpis["nps"]["value"] == 10.0 and before.kpis["nps"]["own"] is None
    own = new_report("svc-a", "b" * 64, datetime(2026, 10, 1))
    own.kpis.append({"kpi_id": "permit_days", "value": 12.0, "target": 10.0, "unit": "days",
                     "measured_at": "2026-09-30", "better": "lower", "met": False, "own": True,
                     "title_ja": "許可までの日数", "title_en": "Days to a permit"})
    own.kpis[0].update(own=False, title_ja=None, title_en=None)
    store.store_report(own)
    newest = store.reports_of("svc-a", limit=1)[0]
    assert newest.kpis["permit_days"]["title_ja"] == "許可までの日数" and newest.kpis["permit_days"]["own"] is True


def test_a_days_value_is_replaced_whole(store: Store) -> None:
    from datetime import date

    _, created = store.set_org_value("staff_satisfaction", date(2026, 1, 5), 0.5, 0.6, "調査A", "a")
    assert created
    _, created = store.set_org_value("staff_satisfaction", date(2026, 1, 5), 0.55, None, None, "b")
    assert not created
    [kept] = store.org_values()["staff_satisfaction"]
    assert (kept.value, kept.target, kept.source, kept.entered_by) == (0.55, None, None, "b")
    assert store.add_editor("dsb") != store.add_editor("dsb", rotate=True)
    with pytest.raises(InputError):
        store.add_editor("dsb")
    with pytest.raises(InputError):
        store.add_editor("nobody", rotate=True)
