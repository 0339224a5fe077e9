"""Facts about one audited page, as the page collector gathered them (HTTP, axe-core, in-page scripts), at one
viewport or more."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field, replace
from typing import Any

from guideline_lint.facts import VIEWPORTS

__all__ = ["LOOPBACK_HOSTS", "VIEWPORTS", "PageFacts", "ViewFacts"]

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(slots=True)
class ViewFacts:
    """The page at a further viewport, on the same loaded document: ``axe`` and ``dom`` are complete (results that
    do not depend on layout are those of the first viewport, the others were taken again at this one); HTTP facts,
    source, forms and the keyboard walk belong to the first viewport only."""

    axe: dict[str, Any] | None = None
    dom: dict[str, Any] = field(default_factory=dict)
    engine: dict[str, str] = field(default_factory=dict)  # the viewport: size, scale, touch, how it was set
    rerun: dict[str, Any] = field(default_factory=dict)  # what was taken again: axe rules, scripts, changed elements
    error: str | None = None  # this viewport could not be audited (the first one was)
    error_ja: str | None = None  # the same in Japanese (technical details, e.g. the browser's own, stay as they are)
    timings: dict[str, float] = field(default_factory=dict)

    def error_in(self, lang: str) -> str | None:
        """``error`` in ``lang`` (English where no Japanese was given)."""
        return (self.error_ja or self.error) if lang == "ja" else self.error


@dataclass(slots=True)
class PageFacts:
    url: str  # as shown in the report: the URL, or the file's path for local pages
    address: str = ""  # the URL actually fetched (a 127.0.0.1 URL for local pages)
    local_file: str | None = None
    final_url: str | None = None  # after HTTP redirects
    browser_url: str | None = None  # where the browser was when audited (meta refresh, scripts)
    status: int | None = None
    redirects: list[dict[str, Any]] = field(default_factory=list)  # {url, status, location}
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names of the final response
    cookies: list[dict[str, Any]] = field(default_factory=list)  # parsed Set-Cookie of every hop
    content_type: str | None = None
    source: str | None = None  # HTML as served, for checks on the markup itself (duplicate ids)
    axe: dict[str, Any] | None = None  # {violations: {rule: {...}}, incomplete: {...}, passes: [], inapplicable: []}
    dom: dict[str, Any] = field(default_factory=dict)  # dom check name -> result object
    forms: list[dict[str, Any]] = field(default_factory=list)  # {selector, fields}
    http_resources: list[str] = field(default_factory=list)  # http: subresources (mixed content)
    security_txt: dict[str, Any] | None = None  # {url, status, text} of the origin's /.well-known/security.txt
    http_variant: dict[str, Any] | None = None  # for https pages: how the http:// URL answered
    keyboard: dict[str, Any] | None = None  # Tab walk on pages with focus handlers: {walked, trapped: [nodes]}
    error: str | None = None  # the page could not be audited
    error_ja: str | None = None  # the same in Japanese (technical details, e.g. the browser's own, stay as they are)
    error_kind: str | None = None  # timeout | crash | http | network | blocked | script | navigated | tool
    retries: list[str] = field(default_factory=list)  # why earlier attempts were given up (browser session lost)
    retries_ja: list[str] = field(default_factory=list)  # the same in Japanese
    failed_loads: list[dict[str, str]] = field(default_factory=list)  # {url, kind, reason}: scripts, style sheets, data
    timings: dict[str, float] = field(default_factory=dict)
    engine: dict[str, str] = field(default_factory=dict)  # axe-core, browser, driver versions and the viewport
    viewport: str = "desktop"  # the viewport of axe, dom, keyboard (the first one audited)
    views: dict[str, ViewFacts] = field(default_factory=dict)  # the page at further viewports

    def fail(self, en: str, ja: str, kind: str | None = None) -> None:
        """The page could not be audited: why, in both languages, and the kind of fault (kept when None)."""
        self.error, self.error_ja = en, ja
        if kind is not None:
            self.error_kind = kind

    def error_in(self, lang: str) -> str | None:
        """``error`` in ``lang`` (English where no Japanese was given)."""
        return (self.error_ja or self.error) if lang == "ja" else self.error

    def at(self, viewport: str) -> PageFacts:
        """The page as seen at ``viewport`` (itself at its own), for kinds that judge one viewport at a time."""
        if viewport == self.viewport:
            return self
        view = self.views[viewport]
        return replace(self, axe=view.axe, dom=view.dom, keyboard=None, viewport=viewport, views={})

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.address or self.url).hostname or ""

    @property
    def is_loopback(self) -> bool:
        # *.localhost names are loopback too (RFC 6761): the local page server's host is one.
        return self.host in LOOPBACK_HOSTS or self.host.startswith("127.") or self.host.endswith(".localhost")

    @property
    def is_https(self) -> bool:
        return urllib.parse.urlsplit(self.final_url or self.address or self.url).scheme == "https"

    @property
    def is_html(self) -> bool:
        ctype = (self.content_type or "text/html").split(";")[0].strip().lower()
        return ctype in ("text/html", "application/xhtml+xml")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())
