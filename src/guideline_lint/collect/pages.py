"""Collect facts about pages: HTTP status, headers and cookies, axe-core results and DOM facts.

How each fact is gathered:
- HTTP status, redirect chain, headers, ``Set-Cookie`` and the HTML source come from a plain ``urllib``
  GET of the same URL, redirects followed by hand so each hop is recorded. Selenium does not expose
  them; a separate request is simpler and more dependable than parsing DevTools logs. (A page that
  answers differently per user agent or session may differ between the two requests.)
- axe-core (bundled with axe-selenium-python) is registered once per browser session through DevTools
  (``Page.addScriptToEvaluateOnNewDocument``) so it is present in every document and frame without
  being sent per page; on a Selenium Grid it is sent with each page instead.
- One asynchronous script per page runs axe with the rules the checks need, then the ``dom`` checks'
  scripts and the base facts (forms, subresources), and returns everything in one round trip.
- With the local Chromium, the page is loaded and the script run over a DevTools connection of our own
  (``Page.navigate``, the ``load`` lifecycle event, ``Runtime.evaluate``) rather than WebDriver: that skips
  chromedriver's wait after the load event and its HTTP round trips (about 20–30 ms a page). A Selenium Grid
  goes through WebDriver.

Pages that time out or crash become facts with ``error`` set; the session is replaced and the audit
goes on.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from guideline_lint.facts.needs import Needs
from guideline_lint.facts.page import PageFacts

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 10
MAX_NODES = 20  # nodes kept per axe rule; the count of the rest is kept too
SNIPPET_CHARS = 300
USER_AGENT = "guideline-lint (+https://github.com/) urllib"


@dataclass(slots=True)
class PageOptions:
    workers: int | None = None  # browser sessions in parallel; default the CPU count
    remote_url: str | None = None  # Selenium Grid
    chromedriver: str | None = None
    quiet: bool = False
    page_timeout: float = 30.0
    progress: TextIO | None = None  # where the progress bar goes (stderr by default)


# --------------------------------------------------------------------------- HTTP


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


class _OriginCache:
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


# --------------------------------------------------------------------------- browser

# Helpers every dom script gets as ``gl``: a CSS selector and a short HTML snippet for an element.
_HELPERS = r"""
const SNIPPET = __SNIPPET__;
const gl = {
  selector(el) {
    if (!el || el.nodeType !== 1) return '';
    const parts = [];
    while (el && el.nodeType === 1 && parts.length < 6) {
      if (el.id && /^[A-Za-z][\w-]*$/.test(el.id)) { parts.unshift('#' + el.id); break; }
      let part = el.localName;
      const parent = el.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter(c => c.localName === el.localName);
        if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
      }
      parts.unshift(part);
      el = parent;
    }
    return parts.join(' > ');
  },
  snippet(el) {
    const html = el && el.outerHTML ? el.outerHTML : String(el);
    return html.length > SNIPPET ? html.slice(0, SNIPPET) + '…' : html;
  },
  node(el) { return {selector: gl.selector(el), snippet: gl.snippet(el)}; },
  visible(el) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  },
  text(el) { return (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim(); },
};
""".replace("__SNIPPET__", str(SNIPPET_CHARS))

# Facts every page gets: fields per form (KPI 利用者の入力項目削減数) and http: subresources.
_BASE_FACTS = r"""
const fieldSelector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])'
  + ':not([type=image]), select, textarea';
const forms = [];
for (const form of document.querySelectorAll('form')) {
  forms.push({selector: gl.selector(form), fields: form.querySelectorAll(fieldSelector).length});
}
const loose = Array.from(document.querySelectorAll(fieldSelector)).filter(el => !el.closest('form')).length;
if (loose) forms.push({selector: '(no form)', fields: loose});
const httpResources = [];
for (const el of document.querySelectorAll('[src], link[href], object[data], form[action]')) {
  if (el.localName === 'link' && !/stylesheet|icon|preload|manifest/i.test(el.rel || '')) continue;
  const value = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('data')
    || el.getAttribute('action');
  if (value && /^http:/i.test(value)) httpResources.push(value);
}
for (const entry of performance.getEntriesByType('resource')) {
  if (/^http:/i.test(entry.name)) httpResources.push(entry.name);
}
const tabbable = Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex]'))
  .filter(el => el.tabIndex >= 0 && !el.disabled && gl.visible(el));
const inline = document.querySelector('[onblur], [onfocusout]') !== null;
const keyboardCandidate = tabbable.length > 1 && (inline || (window.__glFocusHandlers || 0) > 0);
return {forms, httpResources: Array.from(new Set(httpResources)).slice(0, 50), keyboardCandidate};
"""

# The Tab walk: focus starts at the top; after each Tab (and the page's timers) the focused element is noted.
_WALK_SETUP = r"""
window.__glTabbables = Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex]'))
  .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0);
if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
return window.__glTabbables.length;
"""
_WALK_WHERE = "return (window.__glTabbables || []).indexOf(document.activeElement);"
_WALK_NODES = r"""
const indices = arguments[0];
const text = (document.body ? document.body.innerText : '');
return {
  nodes: indices.map(i => {
    const el = window.__glTabbables[i];
    const html = el.outerHTML;
    return {selector: el.id ? '#' + el.id : el.localName,
            snippet: html.length > 300 ? html.slice(0, 300) + '…' : html};
  }),
  instructions: /press|\bkeys?\b|\besc(ape)?\b|ctrl|shortcut|キー|押して|押す/i.test(text),
};
"""
MAX_TABS = 20
TAB_SETTLE_S = 0.02  # traps refocus from timers (setTimeout 10 ms in ACT 80af7b); let them run

_RUNNER = r"""
const done = arguments[arguments.length - 1];
const axeOptions = arguments[0];
%(helpers)s
const scripts = {%(scripts)s};
const compact = (rule) => ({
  id: rule.id, impact: rule.impact, tags: rule.tags, count: rule.nodes.length,
  nodes: rule.nodes.slice(0, %(max_nodes)d).map(n => ({
    selector: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' | '),
    snippet: n.html.length > %(snippet)d ? n.html.slice(0, %(snippet)d) + '…' : n.html,
    summary: (n.failureSummary || '').slice(0, 400),
  })),
});
(async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const result = {url: location.href, navUrl: nav ? nav.name : location.href, contentType: document.contentType,
                  dom: {}};
  if (axeOptions !== null) {
    if (typeof axe === 'undefined') {
      result.axeError = 'axe-core is not loaded in this document';
    } else {
      try {
        const t0 = performance.now();
        const r = await axe.run(document, axeOptions);
        result.axeMs = performance.now() - t0;
        result.axe = {
          violations: r.violations.map(compact), incomplete: r.incomplete.map(compact),
          passes: r.passes.map(x => x.id), inapplicable: r.inapplicable.map(x => x.id),
        };
      } catch (e) { result.axeError = String(e && e.message || e); }
    }
  }
  const t1 = performance.now();
  for (const [name, fn] of Object.entries(scripts)) {
    try { result.dom[name] = await fn(); } catch (e) { result.dom[name] = {error: String(e && e.message || e)}; }
  }
  result.scriptsMs = performance.now() - t1;
  return result;
})().then(done, e => done({error: String(e && e.message || e)}));
"""


def build_runner(dom_scripts: dict[str, str]) -> str:
    """The per-page script: axe, then each dom script as its own async function (no eval, so a
    page's Content-Security-Policy cannot block it)."""
    entries = [f"__base: async () => {{ {_BASE_FACTS} }}"]
    entries += [f"{json.dumps(name)}: async () => {{ {body}\n}}" for name, body in dom_scripts.items()]
    return _RUNNER % {
        "helpers": _HELPERS,
        "scripts": ",\n".join(entries),
        "max_nodes": MAX_NODES,
        "snippet": SNIPPET_CHARS,
    }


def axe_source() -> str:
    import axe_selenium_python

    path = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8")


def axe_options(rules: list[str]) -> dict[str, Any]:
    return {
        "runOnly": {"type": "rule", "values": rules},
        "resultTypes": ["violations", "incomplete"],  # passes/inapplicable: ids only, less to serialise
        "selectors": True,
        "ancestry": False,
        "xpath": False,
        "performanceTimer": False,
        # axe waits for media metadata (autoplay and caption rules); a missing file would hold it for 10 s.
        # cssom (fetching every stylesheet again) only for the rule that reads media queries.
        "preload": {"assets": ["cssom", "media"] if "css-orientation-lock" in rules else ["media"], "timeout": 1500},
    }


def load_page(session: Any, url: str) -> None:
    """Load ``url`` and wait for its load event (and that of any document that replaced it meanwhile,
    as WebDriver does). Through the session's own DevTools connection when it has one."""
    devtools = session.devtools
    if devtools is None:
        session.driver.get(url)
        return
    from guideline_lint.browser import LoadFailed

    timeout = session.options.page_timeout
    devtools.drop_events()  # left over from the previous page
    answer = devtools.call("Page.navigate", {"url": url}, timeout)
    if answer.get("errorText"):
        raise LoadFailed(str(answer["errorText"]))
    frame, loader = answer.get("frameId"), answer.get("loaderId")
    if not loader:
        return  # only the fragment changed: the document is already loaded

    ours, committed = loader, False

    def loaded(event: dict[str, Any]) -> bool:
        nonlocal loader, committed
        params = event.get("params") or {}
        if event.get("method") == "Page.frameNavigated" and (params.get("frame") or {}).get("id") == frame:
            # Documents committed before ours are the previous page's (its late meta refresh): ignored.
            # One committed after ours replaced it (meta refresh, script): wait for that one instead.
            committed = committed or params["frame"].get("loaderId") == ours
            if committed:
                loader = params["frame"].get("loaderId") or loader
            return False
        return (committed and event.get("method") == "Page.lifecycleEvent" and params.get("name") == "load"
                and params.get("frameId") == frame and params.get("loaderId") == loader)

    devtools.wait_for(loaded, timeout)


def run_script(session: Any, body: str, *args: Any, asynchronous: bool = False) -> Any:
    """Run a function body with ``arguments`` in the page, as WebDriver's execute (async) script does:
    an asynchronous body gets a callback as its last argument. Returns the JSON value."""
    devtools = session.devtools
    if devtools is None:
        run = session.driver.execute_async_script if asynchronous else session.driver.execute_script
        return run(body, *args)
    call_args = json.dumps(list(args))
    if asynchronous:
        expression = f"new Promise(done => (function () {{{body}\n}}).apply(window, {call_args}.concat([done])))"
    else:
        expression = f"(function () {{{body}\n}}).apply(window, {call_args})"
    answer = devtools.call("Runtime.evaluate", {"expression": expression, "awaitPromise": asynchronous,
                                                "returnByValue": True}, session.options.page_timeout)
    if answer.get("exceptionDetails"):
        details = answer["exceptionDetails"]
        text = (details.get("exception") or {}).get("description") or details.get("text") or "exception"
        raise RuntimeError(f"the audit script failed: {str(text).splitlines()[0][:300]}")
    return (answer.get("result") or {}).get("value")


def audit_in_browser(session: Any, facts: PageFacts, runner: str, options: dict[str, Any] | None,
                     keyboard: bool = True) -> None:
    """Load the page in the session and run the runner script; raises on timeout or crash."""
    started = time.perf_counter()
    load_page(session, facts.final_url or facts.address)
    loaded = time.perf_counter()
    script = runner
    if not session.preloaded and options is not None:
        script = axe_source() + ";\n" + runner  # Grid: no DevTools, send axe with the page
    result = run_script(session, script, options, asynchronous=True)
    finished = time.perf_counter()
    facts.timings.update(load_ms=(loaded - started) * 1000, audit_ms=(finished - loaded) * 1000)
    if not isinstance(result, dict):
        raise RuntimeError("the audit script returned nothing")
    if result.get("error"):
        facts.error = f"audit script failed: {result['error']}"
        facts.error_kind = "script"
        return
    facts.browser_url = result.get("url")
    facts.timings.update(axe_ms=float(result.get("axeMs") or 0), scripts_ms=float(result.get("scriptsMs") or 0))
    landed = str(result.get("navUrl") or "").split("#")[0]
    if landed and comparable_url(landed) != comparable_url(facts.final_url or facts.address):
        # A meta refresh or a script navigated away before the audit ran: the results describe another page.
        facts.error = f"the page navigated away to {landed[:200]} before it could be audited"
        facts.error_kind = "navigated"
        return
    if not facts.content_type and result.get("contentType"):
        facts.content_type = result["contentType"]
    if result.get("axeError"):
        facts.error = f"axe-core failed: {result['axeError']}"
        facts.error_kind = "script"
    elif "axe" in result:
        axe = result["axe"]
        facts.axe = {
            "violations": {rule["id"]: rule for rule in axe["violations"]},
            "incomplete": {rule["id"]: rule for rule in axe["incomplete"]},
            "passes": axe["passes"],
            "inapplicable": axe["inapplicable"],
        }
    dom = result.get("dom") or {}
    base = dom.pop("__base", None) or {}
    facts.forms = base.get("forms") or []
    facts.http_resources = base.get("httpResources") or []
    facts.dom = dom
    if keyboard and base.get("keyboardCandidate") and session.preloaded:
        facts.keyboard = keyboard_walk(session)
        facts.timings["keyboard_ms"] = (time.perf_counter() - finished) * 1000


def _press_tab(session: Any) -> None:
    for kind in ("rawKeyDown", "keyUp"):
        params = {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "nativeVirtualKeyCode": 9}
        if session.devtools is not None:
            session.devtools.call("Input.dispatchKeyEvent", params, session.options.page_timeout)
        else:
            session.driver.execute_cdp_cmd("Input.dispatchKeyEvent", params)


def keyboard_walk(session: Any) -> dict[str, Any]:
    """Press Tab through the page with real key events (DevTools) and report a focus trap: focus keeps
    coming back to one or two elements while others are never reached (2.1.2, ACT 80af7b)."""
    count = int(run_script(session, _WALK_SETUP) or 0)
    steps = min(count + 3, MAX_TABS)
    seen: list[int] = []
    for _ in range(steps):
        _press_tab(session)
        time.sleep(TAB_SETTLE_S)
        seen.append(int(run_script(session, _WALK_WHERE)))
    reached = {i for i in seen if i >= 0}
    tail = [i for i in seen[len(seen) // 2 :] if i >= 0]
    cycle = sorted(set(tail))
    trapped = bool(tail) and len(cycle) <= 2 and len(reached) < count and len(tail) == len(seen[len(seen) // 2 :])
    result: dict[str, Any] = {"walked": True, "tabbable": count, "steps": steps, "trapped": []}
    if trapped:
        found = run_script(session, _WALK_NODES, cycle) or {}
        result["trapped"] = found.get("nodes") or []
        result["instructions"] = bool(found.get("instructions"))
    return result


# --------------------------------------------------------------------------- orchestration


class _Progress:
    """``[12/60] url`` on one stderr line; silent when not a terminal or with --quiet."""

    def __init__(self, total: int, quiet: bool, stream: TextIO | None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and total > 0 and getattr(self.stream, "isatty", lambda: False)()
        self.total = total
        self.done = 0
        self._lock = threading.Lock()

    def step(self, url: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            self.done += 1
            width = 24
            filled = width * self.done // self.total
            line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {url}"
            self.stream.write("\r" + line[:120].ljust(120))
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def _audit_one(facts: PageFacts, pool: Any, origins: _OriginCache, runner: str, axe_opts: dict[str, Any] | None,
               timeout: float, needs: Needs) -> PageFacts:
    from selenium.common.exceptions import TimeoutException, WebDriverException

    from guideline_lint.browser import LoadFailed, NavigatedAway
    from guideline_lint.errors import EnvironmentProblem

    started = time.perf_counter()
    try:
        fetch_http(facts, timeout)
    except TimeoutError:
        facts.error, facts.error_kind = f"no answer within {timeout:g} s", "timeout"
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        facts.error, facts.error_kind = f"cannot fetch the page: {reason}", "network"
    if facts.error is None and facts.status is not None and facts.status >= 400:
        facts.error, facts.error_kind = f"HTTP {facts.status}", "http"
    scheme = urllib.parse.urlsplit(facts.address).scheme
    if scheme in ("http", "https") and facts.error_kind not in ("timeout", "network"):
        if "security_txt" in needs.page_facts:
            facts.security_txt = origins.security_txt(facts.final_url or facts.address)
        if "http_variant" in needs.page_facts and facts.is_https and not facts.is_loopback:
            facts.http_variant = origins.http_variant(facts.final_url or facts.address)
    if facts.error is None:
        try:
            with pool.session() as session:
                try:
                    audit_in_browser(session, facts, runner, axe_opts, "keyboard" in needs.page_facts)
                    session.pages_loaded += 1
                except NavigatedAway as exc:  # the document was replaced while the audit script ran
                    facts.error, facts.error_kind = f"the page navigated away during the audit: {exc}", "navigated"
                except LoadFailed as exc:
                    facts.error, facts.error_kind = f"the browser could not load the page: {exc}", "crash"
                except TimeoutException:
                    facts.error, facts.error_kind = f"the page did not finish within {timeout:g} s", "timeout"
                    pool.discard(session)  # a renderer stuck in a script would time out every later page
                except WebDriverException as exc:
                    text = (exc.msg or str(exc) or type(exc).__name__).splitlines()[0]
                    if "unloaded" in text:  # the page navigated away (meta refresh, script) during the audit
                        facts.error, facts.error_kind = f"the page navigated away during the audit: {text}", "navigated"
                    else:
                        facts.error, facts.error_kind = f"the browser failed on this page: {text}", "crash"
                        pool.discard(session)
                except RuntimeError as exc:
                    facts.error, facts.error_kind = str(exc), "script"
        except EnvironmentProblem as exc:  # a replacement session could not start
            facts.error, facts.error_kind = f"the browser could not be restarted: {exc.message.en}", "crash"
    facts.timings["total_ms"] = (time.perf_counter() - started) * 1000
    return facts


def collect_service_pages(urls: list[str], local_pages: list[Path], site_root: Path | None, options: PageOptions,
                          needs: Needs, pool: Any = None) -> list[PageFacts]:
    """Audit every URL and every local page (served from ``site_root`` on 127.0.0.1); one PageFacts each,
    in the order given (URLs first). Only what ``needs`` asks for is gathered beyond the HTTP answer and the
    base facts (forms, subresources): its axe rules, in-page scripts and optional facts. ``pool``: an open
    ``SessionPool`` to reuse (made with ``browser_options``); by default one is opened and closed here."""
    from guideline_lint.browser import SessionPool
    from guideline_lint.collect.static_server import StaticServer

    pages = [PageFacts(url=url, address=url) for url in urls]
    server: StaticServer | None = None
    if local_pages:
        root = (site_root or Path(os.path.commonpath([p.resolve().parent for p in local_pages]))).resolve()
        server = StaticServer(root).__enter__()
        for path in local_pages:
            shown = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else str(path)
            pages.append(PageFacts(url=shown, address=server.url_for(path), local_file=str(path)))
    if not pages:
        return []
    rules = sorted(needs.axe_rules)
    axe_opts = axe_options(rules) if rules else None
    runner = build_runner(needs.page_scripts)
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(pages)))
    progress = _Progress(len(pages), options.quiet, options.progress)
    origins = _OriginCache(options.page_timeout)
    own_pool = pool is None
    try:
        if own_pool:
            pool = SessionPool(browser_options(options, bool(needs.axe_rules)), workers)
        workers = min(workers, pool.size)
        # Start one session up front: a missing browser is an environment problem (exit 3), reported once.
        with pool.session():
            pass
        with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="page") as executor:
            futures = [
                executor.submit(_audit_one, page, pool, origins, runner, axe_opts, options.page_timeout, needs)
                for page in pages
            ]
            for future in concurrent.futures.as_completed(futures):
                progress.step(future.result().url)
    finally:
        if own_pool and pool is not None:
            pool.close()
        if server is not None:
            server.__exit__(None, None, None)
    return pages


# Counts focus and key listeners a page registers, so only pages that could trap the keyboard get the
# (slow) walk with real Tab presses. Installed before the page's own scripts; it changes nothing else.
FOCUS_HOOK = r"""
(() => {
  if (window.__glFocusHandlers !== undefined) return;
  window.__glFocusHandlers = 0;
  const add = EventTarget.prototype.addEventListener;
  // Traps pull focus back when it leaves an element: blur/focusout handlers on elements (not window/document).
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    if ((type === 'blur' || type === 'focusout') && this instanceof Element) window.__glFocusHandlers++;
    return add.call(this, type, ...rest);
  };
})();
"""


def browser_options(options: PageOptions, axe: bool = True) -> Any:
    """The browser settings for ``options``: axe-core preloaded in every document when ``axe``."""
    from guideline_lint.browser import BrowserOptions

    return BrowserOptions(
        chromedriver=options.chromedriver,
        remote_url=options.remote_url,
        page_timeout=options.page_timeout,
        preload_script=FOCUS_HOOK + (axe_source() if axe else ""),
    )
