"""Tracker scores cannot be raised by editing the report (issue #15): the tracker accepts only findings the
ruleset can produce for the report's own targets, refuses impossible times and numbers with 422 naming the
field, and a report that leaves checks out loses coverage instead of scoring 100 with full coverage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tracker"))
from database_fixtures import db_url, pg_cluster, tracker
from tracker_fixtures import Running, as_json, make_report, register

__all__ = ["db_url", "pg_cluster", "tracker"]  # fixtures used by name

PAGES = ["https://example.metro.tokyo.lg.jp/apply", "https://example.metro.tokyo.lg.jp/done"]
DATA_FILE = "data/permit-applications.csv"


def audited_report(seed: int = 1, fail_share: float = 0.0) -> dict[str, Any]:
    """A report as `check` writes it for one data file and two pages: every data and page check judges each."""
    data = json.loads(as_json(make_report("svc-a", seed=seed, fail_share=fail_share)))
    findings = []
    for finding in data["findings"]:
        if finding["target"] == "data":
            findings.append({**finding, "subject": DATA_FILE, "location": {"file": DATA_FILE}})
        elif finding["target"] == "page":
            findings += [{**finding, "subject": url, "location": {"url": url}} for url in PAGES]
        else:
            findings.append(finding)
    data["findings"] = findings
    data["metrics"] = {"pages": {"audited": 2, "errors": 0},
                       "input_fields": {"total": 3, "pages": [{"url": u, "fields": 3, "forms": []} for u in PAGES]}}
    return data


def post(tracker: Running, token: str, data: dict[str, Any] | str) -> Any:
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    with tracker.client(token) as client:
        return client.post("/api/v1/reports", content=body.encode("utf-8"),
                           headers={"content-type": "application/json"})


def locs(answer: Any) -> list[str]:
    return [".".join(str(p) for p in d["loc"]) for d in answer.json()["detail"]]


def fail_one(data: dict[str, Any], target: str, severity: str) -> dict[str, Any]:
    finding = next(f for f in data["findings"] if f["target"] == target and f["severity"] == severity)
    finding["status"] = "fail"
    return finding


def test_an_honest_audited_report_is_stored_unflagged(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    answer = post(tracker, token, audited_report(fail_share=0.3))
    assert answer.status_code == 201, answer.text
    assert answer.json()["flags"] == []


def test_invented_passing_subjects_are_refused(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    failing = fail_one(data, "data", "medium")
    honest = post(tracker, token, data)
    assert honest.status_code == 201  # one medium failure among many checks of one practice: a small dent
    invented = [{**failing, "status": "pass", "subject": f"data/invented-{i}.csv",
                 "location": {"file": f"data/invented-{i}.csv"}} for i in range(500)]
    data["findings"] += invented
    answer = post(tracker, token, data)
    assert answer.status_code == 422, answer.text
    assert any(loc.endswith(".subject") for loc in locs(answer))
    assert "not among the report's audited" in answer.text and "監査した対象にありません" in answer.text


def test_a_page_the_report_did_not_audit_is_refused(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    failing = fail_one(data, "page", "medium")
    # Every page check "judges" the invented page, so they corroborate each other; the page list does not.
    checks = {f["check_id"]: f for f in data["findings"] if f["target"] == "page"}
    data["findings"] += [{**f, "status": "pass", "subject": "https://elsewhere.example/", "location": {
        "url": "https://elsewhere.example/"}} for f in checks.values()]
    answer = post(tracker, token, data)
    assert answer.status_code == 422 and any(loc.endswith(".subject") for loc in locs(answer)), answer.text
    assert failing["check_id"] in answer.text


def test_copies_of_a_passing_finding_are_refused(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    failing = fail_one(data, "manifest", "medium")
    data["findings"] += [{**failing, "status": "pass"}] * 500
    answer = post(tracker, token, data)
    assert answer.status_code == 422 and "duplicate_finding" in answer.text


def test_unknown_phase_is_refused(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    data["service"]["phase"] = "nonsense"
    data["findings"] = data["findings"][:10]
    answer = post(tracker, token, data)
    assert answer.status_code == 422 and "body.service.phase" in locs(answer)
    del data["service"]["phase"]
    assert post(tracker, token, data).status_code == 422


def test_a_report_that_leaves_checks_out_loses_coverage(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    data["findings"] = [f for f in data["findings"] if f["status"] == "pass"][:10]
    answer = post(tracker, token, data)
    assert answer.status_code == 201, answer.text
    assert "checks_missing" in {f["code"] for f in answer.json()["flags"]}
    stored = tracker.store.reports_of("svc-a")[0]
    assert all(p["coverage"] < 1 and p["incomplete"] for p in stored.principles.values())
    assert max(p["coverage"] for p in stored.principles.values()) < 0.5


def test_unknown_checks_are_refused_not_scored(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    data["findings"].append({**data["findings"][0], "check_id": "XSS-999", "status": "pass"})
    answer = post(tracker, token, data)
    assert answer.status_code == 422 and f"body.findings.{len(data['findings']) - 1}.check_id" in locs(answer)
    assert tracker.store.count_reports() == 0


def test_an_off_phase_check_with_a_verdict_is_refused(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    development = make_report("svc-a", phase="development")
    extra = next(f for f in json.loads(as_json(development))["findings"]
                 if f["check_id"] not in {g["check_id"] for g in data["findings"]})
    data["findings"].append({**extra, "status": "pass"})
    answer = post(tracker, token, data)
    assert answer.status_code == 422 and "check_not_in_phase" in answer.text


def test_a_failure_moved_to_another_principle_is_scored_where_the_ruleset_puts_it(tracker: Running) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    failing = fail_one(data, "manifest", "high")
    own = failing["principles"][0]
    failing["principles"] = [n for n in range(1, 11) if n not in failing["principles"]][:1]
    answer = post(tracker, token, data)
    assert answer.status_code == 201, answer.text
    assert answer.json()["principles"][str(own)] < 100
    assert "severity_differs" in {f["code"] for f in answer.json()["flags"]}


@pytest.mark.parametrize("when", ["2099-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59Z",
                                  "not a date"])
def test_impossible_generation_times_are_refused(tracker: Running, when: str) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    data["generated_at"] = when
    answer = post(tracker, token, data)
    assert answer.status_code == 422, answer.text
    assert locs(answer) == ["body.generated_at"]


@pytest.mark.parametrize(("field", "value"), [("score", "NaN"), ("principles.0.coverage", "Infinity"),
                                               ("principles.0.score", "-Infinity"), ("kpis.0.value", "1e999")])
def test_numbers_that_are_not_finite_are_refused(tracker: Running, field: str, value: str) -> None:
    token = register(tracker, "svc-a")
    data = audited_report()
    data["kpis"] = [{"id": "nps", "principles": [1], "value": 10, "target": 20}]
    marker = "__NUMBER__"
    target: Any = data
    *path, last = field.split(".")
    for part in path:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = marker
    answer = post(tracker, token, json.dumps(data).replace(f'"{marker}"', value))
    assert answer.status_code == 422, answer.text
    assert f"body.{field}" in locs(answer)
