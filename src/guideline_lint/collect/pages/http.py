"""Plain HTTP GETs of pages: status, redirect chain, headers, ``Set-Cookie`` and the HTML source.

Selenium does not expose these; a separate request is simpler and more dependable than parsing DevTools
logs (a page that answers differently per user agent or session may differ between the two requests).
Redirects are followed by hand so every hop is recorded. Per-origin facts (security.txt, the http://
variant) are fetched once however many pages share the origin.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from guideline_lint.browser import ACCEPT_LANGUAGE
from guideline_lint.facts.page import PageFacts

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 10
USER_AGENT = "guideline-lint (+https://github.com/) urllib"


ALLOWED_SCHEMES = ("http", "https")


class BlockedAddress(ValueError):
    """A URL (given, or a redirect's target) that is not http(s): never opened (file:, data:, ftp:…)."""


def check_scheme(url: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedAddress(f"not an http(s) address ({scheme or 'no scheme'}:): {url[:200]}")


class Deadline:
    """A total time budget for a chain of requests: a server trickling one byte at a time cannot stretch
    it, because the socket is cut when the budget runs out (per-read time-outs alone would never fire)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no complete answer within {self.seconds:g} s")
        return left

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.at


def _is_localhost(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


class _Connection(http.client.HTTPConnection):
    """Connects ``*.localhost`` to 127.0.0.1 (RFC 6761; the system resolver may not) and records its socket so
    the deadline can cut it (urllib drops ``sock`` once the headers are in; the body is still read from it)."""

    def __init__(self, host: str, *, opened: list[Any], **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.opened = opened
        if _is_localhost(self.host):
            self._create_connection = lambda address, *args, **kw: socket.create_connection(
                ("127.0.0.1", address[1]), *args, **kw)

    def connect(self) -> None:
        super().connect()
        self.opened.append(self.sock)


class _SecureConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, *, opened: list[Any], **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.opened = opened

    def connect(self) -> None:
        super().connect()
        self.opened.append(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, opened: list[Any]) -> None:
        super().__init__()
        self.opened = opened

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_Connection, req, opened=self.opened)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context for the run: making one loads the system's CA certificates (about 40 ms), which a new
    context per request paid on every page."""
    return ssl.create_default_context()


class _HTTPSHandler(urllib.request.AbstractHTTPHandler):
    """urllib's HTTPSHandler, but the TLS context is made on the first https request (urllib's makes one, about
    25 ms, as the handler is made: on every run, even one of http pages only)."""

    def __init__(self, opened: list[Any]) -> None:
        super().__init__()
        self.opened = opened

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_SecureConnection, req, opened=self.opened, context=_tls_context())

    https_request = urllib.request.AbstractHTTPHandler.do_request_


def _opener(opened: list[Any]) -> urllib.request.OpenerDirector:
    """http and https only: no file:, data: or ftp: handler, and no redirect handler (redirects are followed
    by hand so that every hop is recorded and checked)."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), _HTTPHandler(opened), _HTTPSHandler(opened),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _cut(opened: list[socket.socket]) -> None:
    for sock in list(opened):
        with contextlib.suppress(OSError, ValueError):
            sock.shutdown(socket.SHUT_RDWR)


def ascii_url(url: str) -> str:
    """The URL as it goes on the wire: urllib sends what it is given, so a path such as /申請/ is
    percent-encoded (UTF-8) and a host such as 例え.jp IDNA-encoded; existing %XX escapes are kept."""
    if url.isascii():
        return url
    parts = urllib.parse.urlsplit(url)
    userinfo, at, host_port = parts.netloc.rpartition("@")
    host, colon, port = host_port.partition(":")  # a non-ASCII host is never an IPv6 literal
    if not host.isascii():
        with contextlib.suppress(UnicodeError):  # not a valid host name: the request fails and says so
            host = host.encode("idna").decode("ascii")
    netloc = f"{urllib.parse.quote(userinfo, safe='%:')}{at}{host}{colon}{port}"
    keep = "%/:@!$&'()*+,;=?~"
    return urllib.parse.urlunsplit((parts.scheme, netloc, urllib.parse.quote(parts.path, safe=keep),
                                    urllib.parse.quote(parts.query, safe=keep),
                                    urllib.parse.quote(parts.fragment, safe=keep)))


def comparable_url(url: str) -> str:
    """One spelling for a URL however the browser or the user wrote it: the fragment dropped, scheme and host
    lower-case (IDNA), escapes decoded, an empty path as "/"."""
    parts = urllib.parse.urlsplit(ascii_url(url.split("#")[0]))
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), urllib.parse.unquote(parts.path) or "/",
                                    urllib.parse.unquote(parts.query), ""))


def fetch_once(url: str, deadline: Deadline,
               limit: int = MAX_SOURCE_BYTES) -> tuple[int, dict[str, str], list[str], bytes]:
    """One GET of an http(s) URL within the deadline: (status, headers, Set-Cookie values, up to ``limit`` bytes of
    the body)."""
    check_scheme(url)
    request = urllib.request.Request(ascii_url(url), headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*",
                                                              "Accept-Language": ACCEPT_LANGUAGE})
    opened: list[Any] = []
    watchdog = threading.Timer(deadline.left(), _cut, (opened,))
    watchdog.daemon = True
    watchdog.start()
    try:
        try:
            response = _opener(opened).open(request, timeout=deadline.left())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx still carry headers
            response = error
        with response:
            headers: dict[str, str] = {}
            for name, value in response.headers.items():
                key = name.lower()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
            cookies = response.headers.get_all("Set-Cookie") or []
            body = response.read(limit)
            status = response.status or response.code
    except (OSError, http.client.HTTPException):
        deadline.left()  # the cut socket's error is a time-out
        raise
    finally:
        watchdog.cancel()
    deadline.left()  # a body cut short by the deadline is no answer
    return status, headers, cookies, body


def parse_cookie(raw: str) -> dict[str, Any]:
    """The name and security attributes of one Set-Cookie header."""
    name = raw.split("=", 1)[0].strip()
    attributes = {part.strip().split("=", 1)[0].lower(): part.strip() for part in raw.split(";")[1:]}
    samesite = None
    if "samesite" in attributes:
        samesite = attributes["samesite"].split("=", 1)[-1].strip().capitalize()
    return {
        "name": name,
        "secure": "secure" in attributes,
        "httponly": "httponly" in attributes,
        "samesite": samesite,
        "raw": raw[:200],
    }


def fetch_http(facts: PageFacts, timeout: float) -> None:
    """Fill status, redirects, headers, cookies, content type and source from plain GETs, all of them (every
    redirect) within ``timeout`` seconds. Raises ``BlockedAddress`` for a non-http(s) address or redirect
    target (left unopened; the hop is recorded), ``TimeoutError``, ``OSError``, ``http.client.HTTPException``."""
    url = facts.address
    deadline = Deadline(timeout)
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, set_cookies, body = fetch_once(url, deadline)
        facts.cookies.extend(parse_cookie(raw) | {"url": url} for raw in set_cookies)
        location = headers.get("location")
        if 300 <= status < 400 and location:
            target = urllib.parse.urljoin(url, location)
            facts.redirects.append({"url": url, "status": status, "location": target})
            check_scheme(target)
            url = target
            continue
        facts.final_url = url
        facts.status = status
        facts.headers = headers
        facts.content_type = headers.get("content-type")
        charset = re.search(r"charset=([\w-]+)", facts.content_type or "")
        try:
            facts.source = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
        except LookupError:
            facts.source = body.decode("utf-8", errors="replace")
        return
    facts.final_url = url
    facts.fail(f"more than {MAX_REDIRECTS} redirects", f"リダイレクトが {MAX_REDIRECTS} 回を超えました", "http")


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class OriginCache:
    """Per-origin facts (security.txt, the http:// variant) fetched once however many pages share it."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._security: dict[str, dict[str, Any]] = {}
        self._variants: dict[str, dict[str, Any]] = {}

    def security_txt(self, url: str) -> dict[str, Any]:
        origin = _origin(url)
        with self._lock:
            if origin in self._security:
                return self._security[origin]
        target = origin + "/.well-known/security.txt"
        result: dict[str, Any] = {"url": target, "status": None, "text": None}
        try:
            status, headers, _, body = fetch_once(target, Deadline(self.timeout))
            result["status"] = status
            result["content_type"] = headers.get("content-type")
            if status == 200:
                result["text"] = body.decode("utf-8", errors="replace")
        except (OSError, ValueError, http.client.HTTPException) as exc:
            result["error"] = str(exc) or type(exc).__name__
        with self._lock:
            self._security[origin] = result
        return result

    def http_variant(self, url: str) -> dict[str, Any]:
        """How the http:// twin of an https URL answers (it should redirect to https)."""
        parts = urllib.parse.urlsplit(url)
        twin = urllib.parse.urlunsplit(("http", parts.netloc, parts.path or "/", parts.query, ""))
        origin = _origin(twin)
        with self._lock:
            if origin in self._variants:
                return self._variants[origin]
        result: dict[str, Any] = {"url": twin, "status": None, "location": None}
        try:
            status, headers, _, _ = fetch_once(twin, Deadline(self.timeout))
            result["status"] = status
            result["location"] = headers.get("location")
        except (OSError, ValueError, http.client.HTTPException) as exc:
            result["error"] = str(exc) or type(exc).__name__
        with self._lock:
            self._variants[origin] = result
        return result
