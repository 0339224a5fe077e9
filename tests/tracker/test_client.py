"""`guideline-lint upload`: validation before sending, retries with backoff, spooling, --flush, tokens."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pgcluster import free_port
from tracker_fixtures import Running, as_json, make_report, register, run_server

from guideline_lint.cli import main
from guideline_lint.tracker import client


def upload(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["upload", *args, "--lang", "en"], env=env)


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_bytes(as_json(make_report("svc-a", seed=7)))
    return path


def test_upload_then_the_same_report_again(tracker: Running, report_file: Path, tmp_path: Path) -> None:
    token = register(tracker, "svc-a")
    first = upload(str(report_file), "--tracker", tracker.url, "--token", token, "--spool-dir", str(tmp_path))
    assert first.exit_code == 0, first.output
    assert "stored: report" in first.output
    again = upload(str(report_file), "--tracker", tracker.url, "--spool-dir", str(tmp_path),
                   env={"GUIDELINE_LINT_TOKEN": token})
    assert again.exit_code == 0 and "already stored" in again.output
    assert tracker.store.count_reports() == 1


def test_refused_token_is_exit_2(tracker: Running, report_file: Path, tmp_path: Path) -> None:
    register(tracker, "svc-a")
    other = register(tracker, "svc-b")
    spool = tmp_path / "spool"
    result = upload(str(report_file), "--tracker", tracker.url, "--token", other, "--spool-dir", str(spool))
    assert result.exit_code == 2 and "403" in result.output
    assert not spool.exists()  # a refusal is final: nothing to send later


def test_invalid_report_is_refused_before_sending(tracker: Running, tmp_path: Path) -> None:
    token = register(tracker, "svc-a")
    bad = json.loads(as_json(make_report("svc-a")))
    del bad["findings"][0]["status"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = upload(str(path), "--tracker", tracker.url, "--token", token)
    assert result.exit_code == 2 and "$.findings[0]: 'status' is a required property" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1,\n  "tool": }')
    result = upload(str(broken), "--tracker", tracker.url, "--token", token)
    assert result.exit_code == 2 and "broken.json:2:" in result.output
    assert tracker.store.count_reports() == 0


def test_unreachable_tracker_spools_and_flush_sends_later(db_url: str, report_file: Path, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    spool = tmp_path / "spool"
    result = upload(str(report_file), "--tracker", url, "--token", "glt_x", "--retries", "1", "--spool-dir", str(spool))
    assert result.exit_code == 3, result.output
    assert "spooled" in result.output
    assert len(list(spool.glob("*.json"))) == 1
    with run_server(db_url, port=port) as running:
        token = register(running, "svc-a")
        flushed = upload("--flush", "--tracker", url, "--token", token, "--spool-dir", str(spool))
        assert flushed.exit_code == 0, flushed.output
        assert "sent 1 spooled" in flushed.output
        assert running.store.count_reports("svc-a") == 1
    assert not list(spool.glob("*.json"))


def test_flush_moves_rejected_entries_aside(tracker: Running, tmp_path: Path) -> None:
    token = register(tracker, "svc-a")
    good = client.spool(as_json(make_report("svc-a", seed=8)), tracker.url, tmp_path)
    bad = json.loads(as_json(make_report("svc-a", seed=9)))
    bad["ruleset"]["id"] = "unknown-rules"
    client.spool(json.dumps(bad).encode(), tracker.url, tmp_path)
    client.spool(as_json(make_report("svc-a", seed=10)), "http://127.0.0.1:9/", tmp_path)  # another tracker
    result = upload("--flush", "--tracker", tracker.url, "--token", token, "--spool-dir", str(tmp_path))
    assert result.exit_code == 2 and "rejected" in result.output
    assert not good.exists() and len(list((tmp_path / "rejected").glob("*.json"))) == 1
    assert len(list(tmp_path.glob("*.json"))) == 1  # the other tracker's entry stays
    assert tracker.store.count_reports() == 1


class Flaky(BaseHTTPRequestHandler):
    """Answers 503 to the first two requests, then 201: a tracker that is restarting."""

    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        code = 503 if type(self).calls <= 2 else 201
        payload = json.dumps({"id": 1, "detail": "busy"} if code == 503 else {"id": 1, "stored": True}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    Flaky.calls = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_retries_with_exponential_backoff(flaky: str) -> None:
    delays: list[float] = []
    status, answer = client.post(flaky + client.ENDPOINT, "t", b"{}", retries=4, backoff=0.5, sleep=delays.append)
    assert (status, answer) == (201, {"id": 1, "stored": True}) and Flaky.calls == 3
    assert len(delays) == 2
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 1.5  # 0.5·2^n plus jitter under 0.5
    Flaky.calls = -10
    with pytest.raises(client.Unreachable):
        client.post(flaky + client.ENDPOINT, "t", b"{}", retries=2, backoff=0.01, sleep=delays.append)


def test_usage_errors() -> None:
    assert upload("--tracker", "http://127.0.0.1:1").exit_code == 2  # neither a report nor --flush
    result = upload("--flush", "--tracker", "ftp://x", "--token", "t")
    assert result.exit_code == 2 and "invalid tracker URL" in result.output
    result = upload("--flush", "--tracker", "http://127.0.0.1:1", env={"GUIDELINE_LINT_TOKEN": ""})
    assert result.exit_code == 2 and "no token" in result.output
