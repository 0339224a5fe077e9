"""Serve built HTML from a folder on an ephemeral 127.0.0.1 port, so static sites need no deployment.

Used for ``audit PATH`` and the manifest's ``service.pages`` globs. Only loopback is bound; the handler
serves files under the root only (http.server already refuses ``..``), quietly.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    _etag: str | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass  # request logs would interleave with the progress bar

    def send_head(self) -> Any:
        # Audits must see the current file: the browser may keep a copy but asks every time (no-cache);
        # unchanged files (same size and mtime in ns) are answered 304 without a body.
        path = self.translate_path(self.path)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if stat is not None and not os.path.isdir(path):
            self._etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
            if self.headers.get("If-None-Match") == self._etag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return None
        return super().send_head()

    def end_headers(self) -> None:
        if self._etag:
            self.send_header("ETag", self._etag)
            self._etag = None
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def handle_one_request(self) -> None:
        # A browser that drops the connection mid-answer (it left the page) is no error worth a traceback.
        with contextlib.suppress(ConnectionError):
            super().handle_one_request()


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
