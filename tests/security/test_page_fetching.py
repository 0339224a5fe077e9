"""Issue #15, pages: hostile answers cannot make the page fetcher read local files, sink the audit, or hold it.

Real servers on 127.0.0.1 and (for the audit as a whole) the real headless Chromium."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guideline_lint.collect.pages import PageFacts, PageOptions, browser_options, collect_service_pages
from guideline_lint.collect.pages.http import fetch_http
from guideline_lint.facts import Needs

ROOT = Path(__file__).resolve().parents[2]
PAGE = (b'<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body><main><img src="/x.png">'
        b"</main></body></html>")


class RawServer:
    """A loopback server whose answer per path is a function writing raw bytes to the socket."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ")[1].decode()
            answer = self.routes.get(path)
            try:
                if answer is None:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                else:
                    answer(conn, self.stop)
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def fixed(head: str, body: bytes = b"") -> Any:
    def send(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head.encode() + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    return send


def trickle(data: bytes, every: float) -> Any:
    def send(conn: socket.socket, stop: threading.Event) -> None:
        for byte in data:
            if stop.wait(every):
                return
            conn.sendall(bytes([byte]))
    return send


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    value = "secret-" + secrets.token_hex(8)
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(value, "utf-8")
    return path, value


def test_redirects_to_file_and_data_and_file_urls_are_not_opened(secret: tuple[Path, str]) -> None:
    path, value = secret
    server = RawServer({
        "/to-file": fixed(f"HTTP/1.1 302 Found\r\nLocation: {path.as_uri()}\r\n"),
        "/to-data": fixed("HTTP/1.1 302 Found\r\nLocation: data:text/html,<p>x</p>\r\n"),
        "/hop": fixed("HTTP/1.1 301 Moved\r\nLocation: /to-file\r\n"),
    })
    try:
        for url in (server.base + "/to-file", server.base + "/to-data", server.base + "/hop", path.as_uri()):
            facts = PageFacts(url=url, address=url)
            with pytest.raises(ValueError, match="not an http"):
                fetch_http(facts, 5)
            assert facts.source is None and value not in repr(facts)
            assert all(hop["location"].startswith(("http", "file", "data")) for hop in facts.redirects)
    finally:
        server.close()


def test_a_server_trickling_bytes_cannot_stretch_the_time_budget() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    server = RawServer({
        "/slow-head": trickle(head, 0.2),
        "/slow-body": lambda conn, stop: (conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"),
                                          trickle(b"x" * 5000, 0.2)(conn, stop)),
    })
    try:
        for path in ("/slow-head", "/slow-body"):
            started = time.monotonic()
            with pytest.raises(TimeoutError):
                fetch_http(PageFacts(url=server.base + path, address=server.base + path), 2)
            assert time.monotonic() - started < 3.5, path  # each byte came within the per-read time-out
    finally:
        server.close()


@pytest.fixture(scope="module")
def pool() -> Iterator[Any]:
    if not (shutil.which("chromedriver") and shutil.which("chromium")):
        pytest.skip("needs Debian's chromium and chromium-driver")
    from guideline_lint.browser import SessionPool

    with SessionPool(browser_options(PageOptions(page_timeout=5)), 1) as sessions:
        yield sessions


@pytest.mark.browser
def test_one_hostile_page_does_not_sink_the_audit(pool: Any, secret: tuple[Path, str]) -> None:
    path, value = secret
    many_headers = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + "".join(f"X-{i}: y\r\n" for i in range(150))
    server = RawServer({
        "/to-file": fixed(f"HTTP/1.1 302 Found\r\nLocation: {path.as_uri()}\r\n"),
        "/to-data": fixed("HTTP/1.1 302 Found\r\nLocation: data:text/html,<p>x</p>\r\n"),
        "/headers": fixed(many_headers, PAGE),
        "/good": fixed("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", PAGE),
    })
    urls = [server.base + p for p in ("/to-file", "/to-data", "/headers")] + [path.as_uri(), server.base + "/good"]
    try:
        pages = collect_service_pages(urls, [], None, PageOptions(workers=1, quiet=True, page_timeout=5),
                                      Needs(axe_rules={"image-alt"}), pool=pool)
    finally:
        server.close()
    *bad, good = pages
    assert [p.error_kind for p in bad] == ["blocked", "blocked", "protocol", "blocked"], [p.error for p in bad]
    assert all(value not in repr(p) for p in pages)
    assert good.error is None and "image-alt" in good.axe["violations"]


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
                except OSError:
                    continue
                if fields[1] == str(parent) and int(entry.name) not in found:
                    found.add(int(entry.name))
                    todo.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.browser
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_browser_and_the_driver(signum: int) -> None:
    if not (shutil.which("chromedriver") and shutil.which("chromium")):
        pytest.skip("needs Debian's chromium and chromium-driver")
    # The page answers its HTTP GET, then hangs the browser's load: the signal comes while Chromium works.
    server = RawServer({"/hang": fixed("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", PAGE + b"<img src=/slow>"),
                        "/slow": lambda conn, stop: stop.wait(60)})
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "guideline_lint", "audit", server.base + "/hang", "-q",
                                "--timeout", "60", "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL,
                               # a background job may inherit SIGINT ignored; Python then never raises on it
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        children: set[int] = set()
        for _ in range(200):  # until the browser runs (chromedriver and chromium below the audit)
            children = _descendants(process.pid)
            if len(children) >= 2:
                break
            time.sleep(0.1)
        assert len(children) >= 2, "the audit did not start a browser"
        time.sleep(1)
        children = _descendants(process.pid)
        process.send_signal(signum)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)]
        assert process.returncode != 0
    finally:
        if process.poll() is None:
            process.kill()
        server.close()
