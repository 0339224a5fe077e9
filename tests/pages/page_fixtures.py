"""Helpers for page tests: a loopback HTTP server whose answers the tests define, and page options."""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

from guideline_lint.collect.pages import PageOptions
from guideline_lint.facts import Needs
from guideline_lint.kinds import needs_of
from guideline_lint.loading import load_bundled_checks

TEMPLATE = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>テストページ</title></head>'
    "<body><main>{body}</main></body></html>"
)


def document(html: str) -> str:
    """A whole document: fragments are put into a small valid Japanese page."""
    head = html.lstrip()[:20].lower()
    return html if head.startswith(("<!doctype", "<html", "<?xml", "<svg")) else TEMPLATE.format(body=html)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    hang: bool = False
    delay: float = 0.0  # seconds before the answer (a slow script that holds the page's load event)


class FixtureServer:
    """A threaded HTTP server on 127.0.0.1 whose answers the tests define per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.stopping = threading.Event()
        routes, stopping = self.routes, self.stopping

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                route = routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(body=b"not found", status=404, headers={"Content-Type": "text/plain"})
                if route.hang:
                    stopping.wait(60)  # never answers while the tests run
                    return
                if route.delay:
                    stopping.wait(route.delay)
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                for cookie in route.cookies:
                    self.send_header("Set-Cookie", cookie)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, path: str, html: str | None = None, *, text: str | None = None, **route: object) -> str:
        body = document(html).encode("utf-8") if html is not None else (text or "").encode("utf-8")
        self.routes[path] = Route(body=body, **route)  # type: ignore[arg-type]
        return self.base + path

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


PAGE_TIMEOUT = 5.0


def page_options(**changes: object) -> PageOptions:
    options = PageOptions(workers=2, page_timeout=PAGE_TIMEOUT)
    for name, value in changes.items():
        setattr(options, name, value)
    return options


def page_needs(checks: object = None) -> Needs:
    """What the given checks (default: every bundled page check) need collected from each page."""
    if checks is None:
        checks = [c for c in load_bundled_checks().values() if c.target.value == "page"]
    return needs_of(checks)  # type: ignore[arg-type]
