"""Helpers for the tracker tests and benchmark: realistic reports and a real server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pgcluster import free_port

from guideline_lint import catalog, scoring
from guideline_lint.collect.data import collect_service_data
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts, ManifestFacts
from guideline_lint.loading import DEFAULT_RULESET, load_bundled_checks, load_ruleset
from guideline_lint.model import Finding, KpiValue, Location, Report, Status, Target, Verification
from guideline_lint.tracker.connections import uvicorn_config
from guideline_lint.tracker.server import Settings, create_app
from guideline_lint.tracker.storage import Store


def honest_scores(report: Report) -> Report:
    """The report with the scores the ruleset gives its findings (what an unmodified CLI would claim)."""
    ruleset = load_ruleset(report.ruleset["id"])
    titles = {n: p.title for n, p in catalog.principles().items()}
    return scoring.recompute(report, scoring.weights_of(ruleset), titles)


def make_report(service_id: str, *, seed: int = 0, phase: str = "operation", fail_share: float = 0.3,
                generated_at: datetime | None = None, name: str | None = None, bureau: str | None = None,
                kpis: list[KpiValue] | None = None) -> Report:
    """A report with one finding per check of the default ruleset that applies to ``phase``."""
    ruleset = load_ruleset(DEFAULT_RULESET)
    rng = random.Random(seed)
    findings = []
    for check in sorted(ruleset.checks.values(), key=lambda c: c.id):
        if phase not in {p.value for p in check.phases}:
            continue
        status = Status.FAIL if rng.random() < fail_share else Status.PASS
        findings.append(Finding(
            check_id=check.id, title=check.title, principles=check.principles, domain=check.domain,
            target=check.target, status=status, severity=check.severity, verification=Verification.MACHINE,
            message=check.message, location=Location(file="digital-service.yaml", line=rng.randint(1, 80), column=1),
            references=check.references))
    when = (generated_at or datetime.now(UTC)).astimezone(UTC)
    service: dict[str, str | None] = {"id": service_id, "phase": phase}
    if name is not None:
        service["name"] = name
    if bureau is not None:
        service["bureau"] = bureau
    report = Report(
        tool={"name": "guideline-lint", "version": "0.1.0"}, ruleset={"id": ruleset.id, "version": ruleset.version},
        service=service, generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"), score=None, principles=[],
        findings=findings, kpis=kpis or [])
    return honest_scores(report)


def as_json(report: Report) -> bytes:
    return report.model_dump_json(by_alias=True).encode("utf-8")


@dataclass
class Running:
    url: str
    store: Store
    server: uvicorn.Server

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@contextlib.contextmanager
def run_server(db: str, port: int | None = None, max_connections: int = 200, **options: Any) -> Iterator[Running]:
    """The tracker app on uvicorn as ``tracker serve`` configures it, on 127.0.0.1 in a thread of this process."""
    options.setdefault("prune_interval_s", 0)
    settings = Settings(db=db, **options)
    store = Store(db)
    app = create_app(settings, store)
    port = port or free_port()
    server = uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=port, max_connections=max_connections,
                                           header_timeout=settings.header_timeout_s))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the tracker did not start")
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}", store, server)
    finally:
        server.should_exit = True
        thread.join(20)


def register(running: Running, service_id: str, name: str | None = None, bureau: str | None = None) -> str:
    return running.store.add_service(service_id, name, bureau)


def body(report: Report | dict[str, Any]) -> bytes:
    if isinstance(report, Report):
        return as_json(report)
    return json.dumps(report, ensure_ascii=False).encode("utf-8")


XSS_NAME = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">申請'


def populate(running: Running, months: int = 4) -> dict[str, str]:
    """Three services in two bureaus and two phases, one report a month each with NPS and online usage."""
    from datetime import timedelta

    services = [("svc-permit", XSS_NAME, "デジタルサービス局", "operation"),
                ("svc-nursery", "保育所入所申請", "福祉局", "operation"),
                ("svc-planning", "新規事業の試行", "福祉局", "development")]
    tokens = {}
    now = datetime.now(UTC)
    for index, (service_id, name, bureau, phase) in enumerate(services):
        token = running.store.add_service(service_id, name, bureau)
        tokens[service_id] = token
        for month in range(months):
            when = now - timedelta(days=30 * (months - 1 - month))
            kpis = [KpiValue(id="nps", principles=[1, 2, 9], value=5.0 + 4 * month + index, target=20.0,
                             measured_at=when.date().isoformat(), better="higher", met=False),
                    KpiValue(id="online_usage_rate", principles=[2, 3], value=0.5 + 0.05 * month, target=0.8,
                             unit="ratio", better="higher", met=False)]
            report = make_report(service_id, seed=index * 100 + month, phase=phase, generated_at=when,
                                 fail_share=0.5 - 0.08 * month, kpis=kpis)
            with running.client(token) as client:
                answer = client.post("/api/v1/reports", content=as_json(report),
                                     headers={"content-type": "application/json"})
            assert answer.status_code == 201, answer.text
    return tokens


def populate_org(running: Running, tokens: dict[str, str]) -> None:
    """The central bureau's values of three indicators (three surveys of 浸透率) and a newest report of
    svc-nursery with quality indicators, on top of :func:`populate`."""
    editor = running.store.add_editor("dsb-quality")
    entries = [("code_of_conduct_awareness", "2024-03-31", 0.41, None),
               ("code_of_conduct_awareness", "2025-03-31", 0.55, None),
               ("code_of_conduct_awareness", "2026-03-31", 0.62, None),
               ("resident_satisfaction", "2026-03-31", 0.58, 0.65),
               ("digital_talent_development", "2026-03-31", 1200, None)]
    with running.client(editor) as client:
        for indicator, day, value, target in entries:
            answer = client.post("/api/v1/indicators", json={"indicator": indicator, "date": day, "value": value,
                                                             "target": target, "source": "調査"})
            assert answer.status_code == 201, answer.text
    quality = [KpiValue(id="resident_satisfaction", principles=[], value=0.7, target=0.65, unit="ratio",
                        indicator=True, type="kgi"),
               KpiValue(id="procedure_cost_time", principles=[], value=25, target=20, unit="minutes",
                        indicator=True, type="component")]
    report = make_report("svc-nursery", seed=7, kpis=quality)
    with running.client(tokens["svc-nursery"]) as client:
        answer = client.post("/api/v1/reports", content=as_json(report), headers={"content-type": "application/json"})
    assert answer.status_code == 201, answer.text


def lint_open_data(running: Running, folder: Path, names: list[str]) -> list[Finding]:
    """"Lint our own export": the tracker's open-data files (with datapackage.json beside them, their definitions)
    judged by guideline-lint's bundled data checks, each file an open_data entry of its own."""
    for name in [*names, "datapackage.json"]:
        answer = httpx.get(f"{running.url}/opendata/{name}", timeout=30)
        assert answer.status_code == 200, name
        (folder / name).write_bytes(answer.content)
    manifest = {"data": {"open_data": [{"files": [name]} for name in names]}}
    facts = Facts(manifest=ManifestFacts(file="digital-service.yaml", data=manifest, positions={}))
    facts.data = collect_service_data(names, folder, [])
    checks = [c for c in load_bundled_checks().values() if c.target == Target.DATA]
    return [f for check in checks for f in evaluate_check(check, facts)]
