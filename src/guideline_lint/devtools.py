"""Our own DevTools connection to a session's tab, beside chromedriver's: to the local Chromium (its debugger
address) or through a Selenium Grid 4 hub (the ``se:cdp`` capability, a browser-wide connection attached to the tab).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

# While a DevTools answer is awaited through a Grid, the hub is asked this often whether the session's node is still
# up: when a node dies, the hub does not always close the connections it proxied to it.
GRID_PROBE_S = 3.0
MAX_FAILED_LOADS = 200  # failed subresources kept per page (the report names a few)


def grid_session_alive(remote_url: str, session_id: str) -> bool:
    """Whether a Selenium Grid 4 still lists ``session_id`` on a node that is up (its ``/status``); True when the hub
    cannot tell (no answer, another Grid), so that only the time-out decides then."""
    try:
        with urllib.request.urlopen(f"{remote_url.rstrip('/')}/status", timeout=GRID_PROBE_S) as response:
            nodes = json.load(response)["value"]["nodes"]
        for node in nodes:
            for slot in node["slots"]:  # no slots: not a Grid 4 status, so it cannot tell
                if (slot.get("session") or {}).get("sessionId") == session_id:
                    return bool(node.get("availability") == "UP")
    except Exception:
        return True
    return False


class NavigatedAway(Exception):
    """The page replaced its document (meta refresh, script) while it was being audited."""


class DevTools:
    """A DevTools connection of our own to the session's tab, beside chromedriver's.

    Loading a page and running the audit through it skips chromedriver's wait after the load event
    (about 25 ms a page) and its per-command HTTP round trips; chromedriver still owns the browser
    (start, quit, the preload script). Used by one thread at a time, like its session. Failures raise
    Selenium's exceptions so callers treat both paths alike.
    """

    def __init__(self, ws_url: str, timeout: float) -> None:
        import websocket  # a dependency of Selenium

        self._websocket = websocket
        # No UTF-8 check of each frame in Python (websocket-client's own, about 1 % of a page audit's time): the
        # text is decoded anyway, and a bad sequence fails that decoding as a lost connection.
        self._ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True, skip_utf8_validation=True)
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._sent: dict[int, str] = {}  # commands sent and not yet answered: their methods, by id
        self._early: dict[int, dict[str, Any]] = {}  # answers that came while another was awaited
        self.failed_loads: list[dict[str, Any]] = []  # {url, reason, seq} of subresources that failed since
        self.received = 0  # events received: their order (seq), e.g. to tell a failure before a commit from one after
        self.session_id: str | None = None  # the tab's DevTools session on a browser-wide connection (a Grid)
        self.alive: Callable[[], bool] | None = None  # a Grid: whether the hub still lists the session on a live node

    @classmethod
    def connect(cls, driver: Any, timeout: float) -> DevTools:
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        handle = driver.current_window_handle  # chromedriver's window handle is the DevTools target id
        host, _, port = address.rpartition(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)  # urlopen would make a TLS context
        try:
            connection.request("GET", "/json/list")
            targets = json.load(connection.getresponse())
        finally:
            connection.close()
        target = next(t for t in targets if t.get("id") == handle)
        return cls(target["webSocketDebuggerUrl"], timeout)._enable(timeout)

    @classmethod
    def connect_grid(cls, driver: Any, remote_url: str, timeout: float) -> DevTools:
        """Through a Selenium Grid 4: its browser-wide DevTools endpoint (capability ``se:cdp``, proxied by the hub
        to the node's Chromium), attached to the session's tab. The hub names itself in that address as it sees
        itself; when that name does not answer here, the host of ``remote_url`` is tried."""
        address = str(driver.capabilities["se:cdp"])
        handle = driver.current_window_handle
        hub = urllib.parse.urlsplit(remote_url)
        path = urllib.parse.urlsplit(address).path
        ours = urllib.parse.urlunsplit(("wss" if hub.scheme == "https" else "ws", hub.netloc, path, "", ""))
        try:
            client = cls(address, timeout)
        except Exception:
            client = cls(ours, timeout)
        attached = client.call("Target.attachToTarget", {"targetId": handle, "flatten": True}, timeout)
        client.session_id = str(attached["sessionId"])
        session = str(driver.session_id)
        client.alive = lambda: grid_session_alive(remote_url, session)
        return client._enable(timeout)

    def _enable(self, timeout: float) -> DevTools:
        self.call("Page.enable", timeout=timeout)
        self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, timeout=timeout)
        # Execution contexts are announced as documents are made, so a page's audit world is known by the time it
        # has loaded (Page.createIsolatedWorld, which looked it up, cost about 4 ms a page).
        self.call("Runtime.enable", timeout=timeout)
        # Subresources that failed to load (a script's host unreachable, a 404 style sheet): the page may be half-built.
        self.call("Log.enable", timeout=timeout)
        return self

    def _receive(self, deadline: float) -> dict[str, Any]:
        from selenium.common.exceptions import TimeoutException, WebDriverException

        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutException("DevTools: no answer in time")
        self._ws.settimeout(left if self.alive is None else min(left, GRID_PROBE_S))
        try:
            message = json.loads(self._ws.recv())
        except self._websocket.WebSocketTimeoutException:
            if self.alive is not None and time.monotonic() < deadline:
                if not self.alive():
                    raise WebDriverException("the browser session was lost: the hub no longer lists it on a live "
                                             "node") from None
                return {}
            raise TimeoutException("DevTools: no answer in time") from None
        except (self._websocket.WebSocketException, OSError, ValueError) as exc:
            raise WebDriverException(f"DevTools connection lost: {exc}") from exc
        if message.get("method") in ("Inspector.targetCrashed", "Inspector.detached"):
            raise WebDriverException(f"tab crashed ({message['method']})")
        if self.session_id is not None:  # a browser-wide connection: only our tab's messages are ours
            if message.get("method") == "Target.detachedFromTarget" and (
                    (message.get("params") or {}).get("sessionId") == self.session_id):
                raise WebDriverException("DevTools connection lost: detached from the tab")
            if message.get("sessionId") != self.session_id:
                return {}
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """Send one command and wait for its answer; events that arrive meanwhile are kept for ``wait_for``."""
        return self.answer(self.send(method, params), timeout)

    def send(self, method: str, params: dict[str, Any] | None = None) -> int:
        """Send one command without waiting (so that several go in one round trip); its id, for ``answer``."""
        from selenium.common.exceptions import WebDriverException

        self._next_id += 1
        ident = self._next_id
        command: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if self.session_id is not None:
            command["sessionId"] = self.session_id
        try:
            self._ws.send(json.dumps(command))
        except (self._websocket.WebSocketException, OSError) as exc:
            raise WebDriverException(f"DevTools connection lost: {exc}") from exc
        self._sent[ident] = method
        return ident

    def answer(self, ident: int, timeout: float) -> dict[str, Any]:
        """Wait for the answer to command ``ident``. Answers to other commands sent meanwhile are kept for their own
        ``answer``; events, for ``wait_for``."""
        from selenium.common.exceptions import WebDriverException

        deadline = time.monotonic() + timeout
        message = self._early.pop(ident, None)
        while message is None:
            received = self._receive(deadline)
            if received.get("id") == ident:
                message = received
            elif received.get("id") in self._sent:
                self._early[received["id"]] = received
            else:
                self._keep(received)
        method = self._sent.pop(ident, "?")
        if "error" in message:
            text = str(message["error"].get("message") or message["error"])
            if "context was destroyed" in text or "navigated or closed" in text or "Cannot find context" in text:
                raise NavigatedAway(text)
            raise WebDriverException(f"{method}: {text}")
        result: dict[str, Any] = message.get("result") or {}
        return result

    def _keep(self, message: dict[str, Any]) -> None:
        """Keep an event for ``wait_for``: the page's and the execution contexts' (not the console messages and
        exceptions that Runtime.enable also reports, which a chatty page sends by the thousand); and the loads
        that failed, apart (``failed_loads``, at most ``MAX_FAILED_LOADS``)."""
        method = message.get("method")
        if not method:
            return
        self.received += 1  # both kinds are numbered in the order they came: a failure after a document's commit
        if method.startswith("Page.") or method.startswith("Runtime.executionContext"):
            message["seq"] = self.received  # our own parse of the message: numbered in place
            self._events.append(message)
        elif method == "Log.entryAdded" and len(self.failed_loads) < MAX_FAILED_LOADS:
            entry = (message.get("params") or {}).get("entry") or {}
            if entry.get("source") == "network" and entry.get("level") == "error" and entry.get("url"):
                # Cut: a page decides these URLs (a script can fail thousands of requests of any length).
                reason = str(entry.get("text") or "")[:300]
                self.failed_loads.append({"url": str(entry["url"])[:2000], "reason": reason, "seq": self.received})

    def wait_for(self, accept: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        """The first event (kept or new) that ``accept`` takes; the ones before it are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            while self._events:
                event = self._events.pop(0)
                if accept(event):
                    return event
            self._keep(self._receive(deadline))

    def kept_since(self, seq: int, methods: tuple[str, ...]) -> list[dict[str, Any]]:
        """The events kept (not yet taken by ``wait_for``) that came after event number ``seq``, of ``methods``."""
        return [event for event in self._events if event.get("seq", 0) > seq and event.get("method") in methods]

    def drop_events(self) -> None:
        """Forget the events kept, and the commands whose answers nobody awaits any more (a page that failed)."""
        self._events.clear()
        self.failed_loads.clear()
        self._sent.clear()
        self._early.clear()

    def close(self) -> None:
        """Drop the connection at once, from any thread: a worker blocked reading it wakes up (a close handshake
        would wait on the same socket, for as long as the worker's read time-out, and hold an interrupted run)."""
        sock = getattr(self._ws, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(Exception):
            self._ws.shutdown()
