"""The command line end to end: add-service, serve (a real process), upload; a restart loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from click.testing import CliRunner
from pgcluster import free_port
from tracker_fixtures import as_json, make_report

from guideline_lint.cli import main

CLI = [sys.executable, "-m", "guideline_lint"]
ENV = {**os.environ, "GUIDELINE_LINT_LANG": "en"}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=ENV)


@contextmanager
def serving(db: str, port: int, workers: int = 1) -> Iterator[str]:
    process = subprocess.Popen([*CLI, "tracker", "serve", "--db", db, "--port", str(port), "--workers", str(workers)],
                               env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the tracker did not start"
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_restart_loses_nothing(db_url: str, tmp_path: Path) -> None:
    added = cli("tracker", "add-service", "svc-a", "--db", db_url, "--name", "申請サービス", "--bureau", "財務局")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("glt_") and "shown only this once" in added.stderr
    again = CliRunner().invoke(main, ["tracker", "add-service", "svc-a", "--db", db_url, "--lang", "en"])
    assert again.exit_code == 2 and "already registered" in again.output
    assert CliRunner().invoke(main, ["tracker", "add-service", "Bad_Id!", "--db", db_url]).exit_code == 2

    reports = []
    for seed in range(3):
        path = tmp_path / f"report-{seed}.json"
        path.write_bytes(as_json(make_report("svc-a", seed=seed)))
        reports.append(path)
    port = free_port()
    with serving(db_url, port) as url:
        sent = cli("upload", str(reports[0]), "--tracker", url, "--token", token, "--spool-dir", str(tmp_path))
        assert sent.returncode == 0, sent.stderr
        for path in reports[1:]:
            answer = httpx.post(url + "/api/v1/reports", content=path.read_bytes(),
                                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            assert answer.status_code == 201
        before = httpx.get(url + "/api/v1/services/svc-a/reports").json()
        csv_before = httpx.get(url + "/opendata/scores.csv").text
    assert before["total"] == 3
    with serving(db_url, port) as url:
        assert httpx.get(url + "/api/v1/services/svc-a/reports").json() == before
        assert httpx.get(url + "/opendata/scores.csv").text == csv_before
        resent = httpx.post(url + "/api/v1/reports", content=reports[0].read_bytes(),
                            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        assert resent.status_code == 200
        assert httpx.get(url + "/api/v1/services/svc-a/reports").json()["total"] == 3


def test_several_worker_processes_share_one_sqlite_file(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    token = cli("tracker", "add-service", "svc-a", "--db", db).stdout.strip()
    bodies = [as_json(make_report("svc-a", seed=seed)) for seed in range(12)]
    with serving(db, free_port(), workers=2) as url:

        def send(body: bytes) -> int | tuple[int, str]:
            answer = httpx.post(url + "/api/v1/reports", content=body, timeout=60,
                                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            return answer.status_code if answer.status_code in (200, 201) else (answer.status_code, answer.text)

        with ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(send, bodies + bodies[:3]))
        assert sorted(codes, key=str) == [200] * 3 + [201] * 12, codes
        assert httpx.get(url + "/api/v1/services/svc-a/reports").json()["total"] == 12
