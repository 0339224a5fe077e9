"""Serve built HTML from a folder on an ephemeral 127.0.0.1 port, so static sites need no deployment.

Used for ``audit PATH`` and the manifest's ``service.pages`` globs. Only loopback is bound; the handler
serves files under the root only (http.server already refuses ``..``), quietly.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from types import TracebackType
from urllib.parse import quote


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # request logs would interleave with the progress bar

    def end_headers(self) -> None:
        # Audits must see the current file, not a copy the browser kept.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class StaticServer:
    """``with StaticServer(root) as server: server.url_for(path)``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> StaticServer:
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="static-server", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "use StaticServer as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def url_for(self, path: Path) -> str:
        """The URL of a file under the root."""
        relative = path.resolve().relative_to(self.root).as_posix()
        return self.base_url + quote(relative)
