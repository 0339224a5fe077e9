"""The upload and read API over real HTTP on 127.0.0.1, against SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from tracker_fixtures import Running, as_json, make_report, register, run_server

from guideline_lint.model import Report, Severity, Status
from guideline_lint.tracker import server
from guideline_lint.tracker.recompute import Recomputed

JSON = {"content-type": "application/json"}


def post(running: Running, token: str | None, content: bytes) -> httpx.Response:
    with running.client(token) as client:
        return client.post("/api/v1/reports", content=content, headers=JSON)


def test_new_report_is_201_and_the_same_report_again_is_200(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    report = make_report("svc-a", seed=1)
    first = post(tracker, token, as_json(report))
    assert first.status_code == 201, first.text
    assert first.json()["stored"] is True and first.json()["flags"] == []
    assert first.json()["score"] == report.score
    # Same content, different key order and spacing: same digest, stored once.
    again = json.dumps(json.loads(as_json(report)), indent=2, sort_keys=True).encode()
    second = post(tracker, token, again)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert tracker.store.count_reports("svc-a") == 1


def test_missing_or_wrong_token_is_401(tracker: Running) -> None:
    register(tracker, "svc-a")
    report = as_json(make_report("svc-a"))
    for token in (None, "glt_not-a-token"):
        answer = post(tracker, token, report)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert tracker.store.count_reports() == 0


def test_token_of_another_service_is_403(tracker: Running) -> None:
    register(tracker, "svc-a")
    token_b = register(tracker, "svc-b")
    answer = post(tracker, token_b, as_json(make_report("svc-a")))
    assert answer.status_code == 403
    assert "svc-b" in answer.json()["detail"]["en"]
    assert tracker.store.count_reports() == 0


def test_oversized_body_is_413(db_url: str) -> None:
    with run_server(db_url, max_body_bytes=20_000) as running:
        token = register(running, "svc-a")
        big = as_json(make_report("svc-a"))
        assert len(big) > 20_000
        assert post(running, token, big).status_code == 413
        # Without Content-Length (chunked upload) the limit holds too.
        with running.client(token) as client:
            answer = client.post("/api/v1/reports", content=iter([big[:15_000], big[15_000:]]), headers=JSON)
        assert answer.status_code == 413
        assert running.store.count_reports() == 0


def test_invalid_payloads_are_422(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    good = json.loads(as_json(make_report("svc-a")))
    broken_finding = json.loads(json.dumps(good))
    broken_finding["findings"][0]["status"] = "excellent"
    bad_date = {**good, "generated_at": "yesterday"}
    unknown_ruleset = {**good, "ruleset": {"id": "my-own-lenient-rules", "version": "1"}}
    no_service = {**good, "service": {"id": None, "phase": None}}  # what `audit` writes
    for content in (b"{not json", b"[]", json.dumps({**good, "schema_version": 2}).encode(),
                    json.dumps(broken_finding).encode(), json.dumps(bad_date).encode(),
                    json.dumps(unknown_ruleset).encode(), json.dumps(no_service).encode()):
        answer = post(tracker, token, content)
        assert answer.status_code == 422, (content[:60], answer.text)
    assert tracker.store.count_reports() == 0


def test_claimed_scores_are_recomputed_and_a_difference_is_flagged(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    honest = make_report("svc-a", seed=3, fail_share=0.5)
    inflated = honest.model_copy(update={
        "score": 100.0, "principles": [p.model_copy(update={"score": 100.0}) for p in honest.principles]})
    answer = post(tracker, token, as_json(inflated))
    assert answer.status_code == 201
    result = answer.json()
    assert result["score"] == honest.score < 100
    assert [f["code"] for f in result["flags"]] == ["claimed_scores_differ"]
    stored, _ = tracker.store.get_report(result["id"])
    assert stored.flagged and stored.claimed_score == 100.0 and stored.score == honest.score


def test_lowered_severity_and_dropped_failures_are_flagged(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    honest = make_report("svc-a", seed=4, fail_share=0.5)
    failing_high = next(f for f in honest.findings if f.status == Status.FAIL and f.severity == Severity.HIGH)
    edited = [f.model_copy(update={"severity": Severity.LOW}) if f is failing_high else f
              for f in honest.findings]
    dropped = [f for f in edited if f.status != Status.FAIL or f.check_id == failing_high.check_id]
    answer = post(tracker, token, as_json(honest.model_copy(update={"findings": dropped})))
    codes = {f["code"] for f in answer.json()["flags"]}
    assert {"severity_differs", "checks_missing"} <= codes
    assert failing_high.check_id in next(f["en"] for f in answer.json()["flags"] if f["code"] == "severity_differs")


def test_concurrent_uploads_all_stored_and_a_raced_duplicate_stored_once(tracker: Running) -> None:
    tokens = {f"svc-{i}": register(tracker, f"svc-{i}") for i in range(4)}
    reports = [(sid, as_json(make_report(sid, seed=n))) for n in range(4) for sid in tokens]
    duplicate = as_json(make_report("svc-0", seed=99))
    jobs = reports + [("svc-0", duplicate)] * 6
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda job: post(tracker, tokens[job[0]], job[1]).status_code, jobs))
    assert codes[:16].count(201) == 16
    assert sorted(codes[16:]) == [200] * 5 + [201]
    assert tracker.store.count_reports() == 17


def test_read_api_and_openapi(tracker: Running) -> None:
    token = register(tracker, "svc-a", name="申請サービス", bureau="デジタルサービス局")
    register(tracker, "svc-quiet")
    post(tracker, token, as_json(make_report("svc-a", seed=5)))
    with tracker.client() as client:
        listed = {s["id"]: s for s in client.get("/api/v1/services").json()}
        assert listed["svc-a"]["name"] == "申請サービス" and listed["svc-quiet"]["latest"] is None
        assert len(listed["svc-a"]["latest"]["principles"]) == 10
        history = client.get("/api/v1/services/svc-a/reports").json()
        assert history["total"] == 1
        one = client.get(f"/api/v1/reports/{history['reports'][0]['id']}").json()
        assert one["report"]["service"]["id"] == "svc-a"
        assert client.get("/api/v1/services/nobody/reports").status_code == 404
        spec = client.get("/openapi.json").json()
        assert {"/api/v1/reports", "/api/v1/services", "/api/v1/services/{service_id}/reports",
                "/opendata/scores.csv", "/opendata/scores.json"} <= set(spec["paths"])
        assert {"401", "403", "413", "422"} <= set(spec["paths"]["/api/v1/reports"]["post"]["responses"])


def test_uploads_are_scored_at_most_n_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    active, peak, lock = 0, 0, threading.Lock()
    real = server.recompute_report

    def slow_recompute(report: Report) -> Recomputed:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.15)
        try:
            return real(report)
        finally:
            with lock:
                active -= 1

    monkeypatch.setattr(server, "recompute_report", slow_recompute)
    with run_server(f"sqlite:///{tmp_path / 't.sqlite3'}", max_concurrent_uploads=2) as running:
        token = register(running, "svc-a")
        bodies = [as_json(make_report("svc-a", seed=n)) for n in range(6)]
        with ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(lambda b: post(running, token, b).status_code, bodies))
    assert codes == [201] * 6
    assert peak == 2
