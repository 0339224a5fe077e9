"""Serve built HTML from a folder on an ephemeral loopback port, so static sites need no deployment.

Used for ``audit PATH`` and the manifest's ``service.pages`` globs. Any local user can connect to a loopback
port, so the server answers only what the audit asks for:

- only under an unguessable host name, ``<random>.localhost`` (RFC 6761: resolved to loopback; Chromium
  does so itself, and the audit's own fetcher too). Any other ``Host`` gets 404, so knowing the port is not
  enough; the name is never on a command line (it goes to the browser over WebDriver/DevTools). Keeping the
  secret in the host rather than a path prefix keeps a site's root-relative links (``/css/a.css``) working;
- only regular files whose real path (links resolved) is inside the root: a link to ``/etc/passwd`` or to
  a folder outside answers 404; no directory listings (a folder answers its ``index.html``).
"""

from __future__ import annotations

import contextlib
import email.utils
import http.server
import mimetypes
import os
import secrets
import stat
import threading
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit


def inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class _Handler(http.server.BaseHTTPRequestHandler):
    root = ""  # the real path of the served folder; set per server
    host = ""  # the only Host answered, e.g. "3f…9a.localhost:41234"
    server_version = "guideline-lint"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass  # request logs would interleave with the progress bar

    def handle_one_request(self) -> None:
        # A browser that drops the connection mid-answer (it left the page) is no error worth a traceback.
        with contextlib.suppress(ConnectionError):
            super().handle_one_request()

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _file(self) -> str | None:
        """The real path of the regular file inside the root that the request names, or None."""
        if (self.headers.get("Host") or "").lower() != self.host:
            return None
        parts = [unquote(p) for p in urlsplit(self.path).path.split("/") if p]
        if any(p in ("..", ".") or "/" in p or "\0" in p for p in parts):
            return None
        real = os.path.realpath(os.path.join(self.root, *parts))
        if os.path.isdir(real):
            real = os.path.realpath(os.path.join(real, "index.html"))
        if not inside(real, self.root):
            return None
        try:
            return real if stat.S_ISREG(os.stat(real).st_mode) else None
        except OSError:
            return None

    def _answer(self, body: bool) -> None:
        path = self._file()
        fd = None
        if path is not None:
            with contextlib.suppress(OSError):
                # O_NOFOLLOW: a link swapped in after the check above is refused, not followed.
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        if fd is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            # Audits must see the current file: the browser may keep a copy but asks every time (no-cache);
            # unchanged files (same size and mtime in ns) are answered 304 without a body.
            etag = f'"{info.st_size:x}-{info.st_mtime_ns:x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                return
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(info.st_size))
            self.send_header("Last-Modified", email.utils.formatdate(info.st_mtime, usegmt=True))
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                with contextlib.suppress(ConnectionError):
                    self.wfile.write(handle.read())


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class StaticServer:
    """``with StaticServer(root) as server: server.url_for(path)``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.host = f"{secrets.token_hex(16)}.localhost"
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> StaticServer:
        handler = type("Handler", (_Handler,), {"root": str(self.root)})
        self._server = _Server(("127.0.0.1", 0), handler)
        handler.host = f"{self.host}:{self._server.server_address[1]}"
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
        return f"http://{self.host}:{self._server.server_address[1]}/"

    def serves(self, path: Path) -> bool:
        """Whether ``path`` is a regular file whose real path is inside the root (links resolved)."""
        real = os.path.realpath(path)
        return inside(real, str(self.root)) and os.path.isfile(real)

    def url_for(self, path: Path) -> str:
        """The URL of a file under the root (its real path: a link inside the root is served as its target). An
        ``index.html`` is its folder's URL (``/404/``), as a web server serves it: scripts that build URLs from
        ``location`` (a Gatsby or Next.js site) would otherwise ask for ``/404/index.html/…``."""
        relative = Path(os.path.realpath(path)).relative_to(self.root).as_posix()
        if relative == "index.html" or relative.endswith("/index.html"):
            relative = relative.removesuffix("index.html")
        return self.base_url + quote(relative)
