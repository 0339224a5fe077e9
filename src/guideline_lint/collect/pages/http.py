"""Plain HTTP GETs of pages: status, redirect chain, headers, ``Set-Cookie`` and the HTML source.

Selenium does not expose these; a separate request is simpler and more dependable than parsing DevTools
logs (a page that answers differently per user agent or session may differ between the two requests).
Redirects are followed by hand so every hop is recorded. Per-origin facts (security.txt, the http://
variant) are fetched once however many pages share the origin.
"""

from __future__ import annotations

import contextlib
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from guideline_lint.facts.page import PageFacts

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 10
USER_AGENT = "guideline-lint (+https://github.com/) urllib"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # redirects are followed by hand so that every hop is recorded


_OPENER = urllib.request.build_opener(_NoRedirect())


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


def _fetch_once(url: str, timeout: float) -> tuple[int, dict[str, str], list[str], bytes]:
    request = urllib.request.Request(ascii_url(url), headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
    try:
        response = _OPENER.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx still carry headers
        response = error
    with response:
        headers: dict[str, str] = {}
        for name, value in response.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        cookies = response.headers.get_all("Set-Cookie") or []
        body = response.read(MAX_SOURCE_BYTES)
        return response.status or response.code, headers, cookies, body


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
    """Fill status, redirects, headers, cookies, content type and source from plain GETs."""
    url = facts.address
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, set_cookies, body = _fetch_once(url, timeout)
        facts.cookies.extend(parse_cookie(raw) | {"url": url} for raw in set_cookies)
        location = headers.get("location")
        if 300 <= status < 400 and location:
            target = urllib.parse.urljoin(url, location)
            facts.redirects.append({"url": url, "status": status, "location": target})
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
    facts.error = f"more than {MAX_REDIRECTS} redirects"
    facts.error_kind = "http"


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
            status, headers, _, body = _fetch_once(target, self.timeout)
            result["status"] = status
            result["content_type"] = headers.get("content-type")
            if status == 200:
                result["text"] = body.decode("utf-8", errors="replace")
        except (OSError, ValueError) as exc:
            result["error"] = str(exc)
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
            status, headers, _, _ = _fetch_once(twin, self.timeout)
            result["status"] = status
            result["location"] = headers.get("location")
        except (OSError, ValueError) as exc:
            result["error"] = str(exc)
        with self._lock:
            self._variants[origin] = result
        return result
