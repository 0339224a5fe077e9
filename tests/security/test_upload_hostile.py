"""`upload` against a hostile or broken tracker (issue #15): the token never leaves the tracker's origin, an
answer that cannot be read is a failure (spooled, exit 3), Retry-After is capped, a damaged spool entry does
not stop `--flush`, and the content of the file given is never echoed in an error."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from time import time

import pytest
from click.testing import CliRunner, Result

from guideline_lint.cli import main
from guideline_lint.tracker import client

# The tracker tests' helpers and fixtures (a real server on a real database) live in tests/tracker.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tracker"))
from database_fixtures import db_url, pg_cluster, tracker
from tracker_fixtures import Running, as_json, make_report, register

__all__ = ["db_url", "pg_cluster", "tracker"]  # fixtures used by name

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Fake:
    """An HTTP server on 127.0.0.1 that records each request and answers with ``answer(path, number)``."""

    answer: Callable[[str, int], Answer]
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, Authorization
    url: str = ""


@pytest.fixture
def fakes() -> Iterator[Callable[[Callable[[str, int], Answer]], Fake]]:
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[str, int], Answer]) -> Fake:
        fake = Fake(answer)

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                fake.seen.append((self.command, self.path, self.headers.get("Authorization")))
                status, headers, payload = fake.answer(self.path, len(fake.seen))
                self.send_response(status)
                for name, value in {"Content-Length": str(len(payload)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _any

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        return fake

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


STORED = json.dumps({"id": 1, "digest": "x", "stored": False, "service_id": "svc-a"}).encode()


def upload(*args: str) -> Result:
    return CliRunner().invoke(main, ["upload", *args, "--lang", "en", "--retries", "0"])


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_bytes(as_json(make_report("svc-a", seed=3)))
    return path


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_gets_no_token_and_is_a_failure(
        fakes: Callable[..., Fake], report_file: Path, tmp_path: Path, code: int) -> None:
    evil = fakes(lambda path, n: (200, {"Content-Type": "application/json"}, STORED))
    front = fakes(lambda path, n: (code, {"Location": evil.url + "/steal"}, b""))
    spool = tmp_path / "spool"
    result = upload(str(report_file), "--tracker", front.url, "--token", "glt_secret", "--spool-dir", str(spool))
    assert result.exit_code == 3, result.output
    assert "already stored" not in result.output and "redirected elsewhere" in result.output
    assert evil.seen == []  # nothing at all went to the other origin, least of all the token
    assert len(list(spool.glob("*.json"))) == 1  # nothing was stored: the report waits for --flush


def test_a_same_origin_307_is_followed_with_the_body(fakes: Callable[..., Fake], report_file: Path,
                                                     tmp_path: Path) -> None:
    def answer(path: str, n: int) -> Answer:
        if path == client.ENDPOINT:
            return 307, {"Location": "/v1-moved/reports"}, b""
        return 201, {"Content-Type": "application/json"}, json.dumps({"id": 9, "stored": True, "score": 50}).encode()

    same = fakes(answer)
    result = upload(str(report_file), "--tracker", same.url, "--token", "glt_secret", "--spool-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "stored: report 9" in result.output
    assert [s[0] for s in same.seen] == ["POST", "POST"] and same.seen[1][2] == "Bearer glt_secret"


@pytest.mark.parametrize(("status", "payload"), [
    (200, b"<!DOCTYPE html><html><body>Welcome to the proxy</body></html>"),
    (201, b'{"id": 1, "stored": true, "note": "\xff\xfe"}'),
    (200, b"{}"),
    (200, b'{"id": 1, "stored": true}'),  # 200 says "already stored"; a body saying otherwise is not believed
    (202, STORED),
])
def test_an_answer_that_cannot_be_read_is_a_failure_and_the_report_is_spooled(
        fakes: Callable[..., Fake], report_file: Path, tmp_path: Path, status: int, payload: bytes) -> None:
    tracker = fakes(lambda path, n: (status, {"Content-Type": "text/html"}, payload))
    spool = tmp_path / "spool"
    result = upload(str(report_file), "--tracker", tracker.url, "--token", "glt_x", "--spool-dir", str(spool))
    assert result.exit_code == 3, result.output
    assert "already stored" not in result.output and "stored: report" not in result.output
    assert "spooled" in result.output and len(list(spool.glob("*.json"))) == 1
    assert "Welcome" not in result.output  # the answer's body is not echoed


@pytest.mark.parametrize("header", ["86400", formatdate(time() + 86400, usegmt=True)])
def test_retry_after_is_capped(fakes: Callable[..., Fake], header: str) -> None:
    tracker = fakes(lambda path, n: (503, {"Retry-After": header}, b"{}") if n == 1
                    else (201, {}, json.dumps({"id": 2, "stored": True}).encode()))
    delays: list[float] = []
    status, _ = client.post(tracker.url + client.ENDPOINT, "t", b"{}", retries=2, backoff=0.5, sleep=delays.append)
    assert status == 201 and len(delays) == 1
    assert 59 <= delays[0] <= client.MAX_RETRY_AFTER + 0.5


def test_flush_sets_a_damaged_entry_aside_and_sends_the_rest(tracker: Running, tmp_path: Path) -> None:
    token = register(tracker, "svc-a")
    (tmp_path / "0000-damaged.json").write_bytes(b'{"tracker": "' + tracker.url.encode() + b'", "report": ')
    (tmp_path / "0001-not-an-entry.json").write_text("[1, 2, 3]")
    good = client.spool(as_json(make_report("svc-a", seed=11)), tracker.url, tmp_path)
    result = CliRunner().invoke(main, ["upload", "--flush", "--tracker", tracker.url, "--token", token,
                                       "--spool-dir", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2, result.output  # something was set aside: reported, not silent
    assert "sent 1 spooled" in result.output and result.output.count("cannot be read") == 2
    assert not good.exists() and tracker.store.count_reports("svc-a") == 1
    assert sorted(p.name for p in (tmp_path / "rejected").iterdir()) == ["0000-damaged.json",
                                                                         "0001-not-an-entry.json"]


@pytest.mark.parametrize("content", ["root:x:0:0:hunter2-secret:/root:/bin/bash\n",
                                     '["hunter2-secret"]', '{"schema_version": "hunter2-secret"}'])
def test_the_content_of_the_file_given_is_not_echoed(tmp_path: Path, content: str) -> None:
    path = tmp_path / "not-a-report"
    path.write_text(content)
    result = upload(str(path), "--tracker", "http://127.0.0.1:9", "--token", "glt_x",
                    "--spool-dir", str(tmp_path / "spool"))
    assert result.exit_code == 2, result.output
    assert "hunter2" not in result.output and "not-a-report" in result.output
