"""Slow and silent clients cannot starve the tracker (issue #15): 205 half-open sockets used to make it
answer 503 to everyone. Connections without a request make room for new ones, a request head must come
within the header timeout and a body within the body timeout."""

from __future__ import annotations

import socket
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tracker"))
from tracker_fixtures import run_server


def half_open(url: str, count: int, stack: ExitStack) -> list[socket.socket]:
    """Sockets that connect and send half a request head (every other one sends nothing at all)."""
    host, port = url.removeprefix("http://").split(":")
    sockets = []
    for index in range(count):
        sock = stack.enter_context(socket.create_connection((host, int(port)), timeout=5))
        if index % 2:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(sock)
    return sockets


def closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_half_open_sockets_do_not_turn_everyone_away(tmp_path: Path) -> None:
    with ExitStack() as stack:
        url = stack.enter_context(run_server(f"sqlite:///{tmp_path / 't.sqlite3'}", max_connections=200)).url
        sockets = half_open(url, 205, stack)
        time.sleep(0.5)

        started = time.monotonic()
        for _ in range(3):
            answer = httpx.get(url + "/healthz", timeout=5)
            assert answer.status_code == 200, answer.text
        assert time.monotonic() - started < 9  # well before the 10 s header timeout frees anything
        # The room came from the connections that waited longest without a request.
        assert closed_by_server(sockets[0], 2)


def test_a_request_head_that_does_not_come_is_cut_off(tmp_path: Path) -> None:
    with ExitStack() as stack:
        url = stack.enter_context(run_server(f"sqlite:///{tmp_path / 't.sqlite3'}", header_timeout_s=1.0)).url
        silent, partial = half_open(url, 2, stack)
        assert closed_by_server(silent, 4) and closed_by_server(partial, 4)


def test_a_body_that_does_not_come_is_408(tmp_path: Path) -> None:
    with ExitStack() as stack:
        url = stack.enter_context(run_server(f"sqlite:///{tmp_path / 't.sqlite3'}", body_timeout_s=1.0)).url
        host, port = url.removeprefix("http://").split(":")
        sock = stack.enter_context(socket.create_connection((host, int(port)), timeout=5))
        sock.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{\"schema_version\": 1")
        started = time.monotonic()
        answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert time.monotonic() - started < 4
