"""One page in a browser session: load it, run the audit script, walk it with the Tab key.

axe-core is registered once per browser session (``Page.addScriptToEvaluateOnNewDocument``) so it is present
in every document and frame without being sent per page; on a Selenium Grid it is sent with each page
instead. With the local Chromium, the page is loaded and the script run over a DevTools connection of our own
(``Page.navigate``, the ``load`` lifecycle event, ``Runtime.evaluate``) rather than WebDriver: that skips
chromedriver's wait after the load event and its HTTP round trips (about 20–30 ms a page). A Selenium Grid
goes through WebDriver.
"""

from __future__ import annotations

import json
import time
from typing import Any

from selenium.common.exceptions import WebDriverException

from guideline_lint.browser import AUDIT_WORLD, LoadFailed, NavigatedAway
from guideline_lint.collect.pages.http import comparable_url
from guideline_lint.collect.pages.scripts import MAX_TABS, NODE_COUNT, TAB_SETTLE_S, asset, audit_time_limit, axe_source
from guideline_lint.collect.pages.viewport import SIZES, ViewportPlan, audit_view, cdp, emulate
from guideline_lint.facts.page import PageFacts


def load_page(session: Any, url: str) -> None:
    """Load ``url`` and wait for its load event (and that of any document that replaced it meanwhile,
    as WebDriver does). Through the session's own DevTools connection when it has one."""
    devtools = session.devtools
    if devtools is None:
        session.driver.get(url)
        return
    timeout = session.options.page_timeout
    devtools.drop_events()  # left over from the previous page
    session.world_context = None
    answer = devtools.call("Page.navigate", {"url": url}, timeout)
    if answer.get("errorText"):
        raise LoadFailed(str(answer["errorText"]))
    frame, loader = answer.get("frameId"), answer.get("loaderId")
    session.frame_id = frame
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
                session.world_context = None  # the audit world of the document committed last
                session.committed_at = event.get("seq", 0)  # loads that failed before it were the previous page's
            return False
        if committed and event.get("method") == "Runtime.executionContextCreated":
            context = params.get("context") or {}
            if context.get("name") == AUDIT_WORLD and (context.get("auxData") or {}).get("frameId") == frame:
                session.world_context = int(context["id"])
            return False
        return (committed and event.get("method") == "Page.lifecycleEvent" and params.get("name") == "load"
                and params.get("frameId") == frame and params.get("loaderId") == loader)

    devtools.wait_for(loaded, timeout)


def _audit_world(session: Any) -> int:
    """The execution context of the audit's isolated world in the loaded page's main frame: as announced while the
    page loaded, else looked up. The world already holds axe (registered for every new document under the same
    name)."""
    if session.world_context is None:
        answer = session.devtools.call("Page.createIsolatedWorld", {"frameId": session.frame_id,
                                                                    "worldName": AUDIT_WORLD},
                                       session.options.page_timeout)
        session.world_context = int(answer["executionContextId"])
    return session.world_context


def run_script(session: Any, body: str, *args: Any, asynchronous: bool = False, timeout: float | None = None) -> Any:
    """Run a function body with ``arguments`` as WebDriver's execute (async) script does: an asynchronous body
    gets a callback as its last argument. Returns the JSON value.

    With DevTools it runs in the audit's isolated world, where the page's own globals cannot reach: a page that
    redefines ``axe``, ``Array``, ``Object``, ``Promise`` or ``JSON`` changes nothing here (the result is
    serialised by DevTools, not by the page's ``JSON``). Through WebDriver (a Grid) it runs in the page's world:
    there a hostile page can tamper with the audit. ``timeout``: seconds instead of the page time limit."""
    devtools = session.devtools
    limit = session.options.page_timeout if timeout is None else timeout
    if devtools is None:
        run = session.driver.execute_async_script if asynchronous else session.driver.execute_script
        if limit == session.options.page_timeout:
            return run(body, *args)
        session.driver.set_script_timeout(limit)
        try:
            return run(body, *args)
        finally:
            session.driver.set_script_timeout(session.options.page_timeout)
    return _value(devtools.call("Runtime.evaluate", _evaluation(session, body, args, asynchronous), limit))


def _evaluation(session: Any, body: str, args: tuple[Any, ...], asynchronous: bool) -> dict[str, Any]:
    """``Runtime.evaluate``'s parameters for ``run_script``."""
    call_args = json.dumps(list(args))
    if asynchronous:
        expression = f"new Promise(done => (function () {{{body}\n}}).apply(window, {call_args}.concat([done])))"
    else:
        expression = f"(function () {{{body}\n}}).apply(window, {call_args})"
    return {"expression": expression, "awaitPromise": asynchronous, "returnByValue": True,
            "contextId": _audit_world(session)}


def _value(answer: dict[str, Any]) -> Any:
    if answer.get("exceptionDetails"):
        details = answer["exceptionDetails"]
        text = (details.get("exception") or {}).get("description") or details.get("text") or "exception"
        raise RuntimeError(f"the audit script failed: {str(text).splitlines()[0][:300]}")
    return (answer.get("result") or {}).get("value")


def run_audit_script(session: Any, facts: PageFacts, script: str, options: dict[str, Any] | None) -> Any:
    """Run the audit script with a time limit that grows with the page's element count (``audit_time_limit``, kept
    in the page's timings); the script's value. With DevTools the count and the script go in one round trip: the
    count is answered first (the page's main thread takes them in turn), and the script's wait counts from its
    sending."""
    page_timeout = session.options.page_timeout
    devtools = session.devtools
    if devtools is None:
        nodes = int(run_script(session, NODE_COUNT) or 0)
        limit = facts.timings["time_limit_s"] = audit_time_limit(page_timeout, nodes)
        return run_script(session, script, options, asynchronous=True, timeout=limit)
    count = devtools.send("Runtime.evaluate", _evaluation(session, NODE_COUNT, (), False))
    sent = time.monotonic()
    audit = devtools.send("Runtime.evaluate", _evaluation(session, script, (options,), True))
    nodes = int(_value(devtools.answer(count, page_timeout)) or 0)
    limit = facts.timings["time_limit_s"] = audit_time_limit(page_timeout, nodes)
    return _value(devtools.answer(audit, max(0.0, limit - (time.monotonic() - sent))))


def audit_in_browser(session: Any, facts: PageFacts, runner: str, options: dict[str, Any] | None,
                     keyboard: bool = True, viewports: ViewportPlan | None = None) -> None:
    """Load the page in the session and run the runner script, at the first viewport of ``viewports`` (desktop by
    default), then what depends on layout again at the further one; raises on timeout or crash."""
    plan = viewports or ViewportPlan()
    started = time.perf_counter()
    how = emulate(session, plan.first)
    facts.viewport = plan.first
    load_page(session, facts.final_url or facts.address)
    loaded = time.perf_counter()
    script = runner
    if not session.preloaded and options is not None:
        script = axe_source() + ";\n" + runner  # Grid: no DevTools, send axe with the page
    result = run_audit_script(session, facts, script, options)  # a big page gets longer
    finished = time.perf_counter()
    facts.timings.update(load_ms=(loaded - started) * 1000, audit_ms=(finished - loaded) * 1000)
    if not isinstance(result, dict):
        raise RuntimeError("the audit script returned nothing")
    if result.get("error"):
        failed = result["error"]
        facts.fail(f"audit script failed: {failed}", f"検査のスクリプトが失敗しました: {failed}", "script")
        return
    facts.browser_url = result.get("url")
    facts.engine = _engine(session, result.get("engine"))
    emulated = how == "devtools" and plan.first != "desktop"  # else the size the page saw
    shown = SIZES[plan.first].describe() if emulated else facts.engine.get("viewport", "?")
    facts.engine["viewport"] = f"{plan.first} {shown}"
    facts.timings.update(axe_ms=float(result.get("axeMs") or 0), scripts_ms=float(result.get("scriptsMs") or 0))
    landed = str(result.get("navUrl") or "").split("#")[0]
    if landed and comparable_url(landed) != comparable_url(facts.final_url or facts.address):
        # A meta refresh or a script navigated away before the audit ran: the results describe another page.
        facts.fail(f"the page navigated away to {landed[:200]} before it could be audited",
                   f"検査の前にページが {landed[:200]} へ移りました", "navigated")
        return
    if not facts.content_type and result.get("contentType"):
        facts.content_type = result["contentType"]
    if result.get("axeError"):
        failed = result["axeError"]
        facts.fail(f"axe-core failed: {failed}", f"axe-core が失敗しました: {failed}", "script")
    elif "axe" in result:
        axe = result["axe"]
        facts.axe = {
            "violations": {rule["id"]: rule for rule in axe["violations"]},
            "incomplete": {rule["id"]: rule for rule in axe["incomplete"]},
            "passes": axe["passes"],
            "inapplicable": axe["inapplicable"],
        }
    facts.failed_loads = failed_loads(session)
    dom = result.get("dom") or {}
    base = dom.pop("__base", None) or {}
    facts.forms = base.get("forms") or []
    facts.http_resources = base.get("httpResources") or []
    facts.dom = dom
    if keyboard and session.preloaded and (base.get("keyboardCandidate") or focus_handlers(session, base)):
        facts.keyboard = keyboard_walk(session)
        facts.timings["keyboard_ms"] = (time.perf_counter() - finished) * 1000
    if plan.then is not None and facts.error is None:
        audit_view(session, facts, plan, run_script)


def failed_loads(session: Any) -> list[dict[str, str]]:
    """The page's scripts, style sheets and data requests that failed to load (DevTools' network errors, up to the
    end of the audit script): with them missing the page may be half-built. Images, icons and media are left out.
    Unknown through a Grid without DevTools."""
    devtools = session.devtools
    if devtools is None or not devtools.failed_loads:
        return []
    after = getattr(session, "committed_at", 0)
    failed = [{"url": item["url"], "reason": item["reason"]} for item in devtools.failed_loads if item["seq"] > after]
    if not failed:
        return []
    try:
        kinds = run_script(session, asset("load_kinds.js"), [item["url"] for item in failed])
    except (RuntimeError, NavigatedAway, WebDriverException):  # the audit's results stand without this note
        return []
    if not isinstance(kinds, list) or len(kinds) != len(failed):
        return []
    return [{**item, "kind": str(kind)} for item, kind in zip(failed, kinds, strict=True) if kind]


def focus_handlers(session: Any, base: dict[str, Any]) -> bool:
    """Whether the page registered focus-loss handlers on elements (counted by the focus hook in the page's
    world, behind a getter the page cannot redefine) and has something to walk."""
    if session.devtools is None or int(base.get("tabbable") or 0) < 2:
        return False
    answer = session.devtools.call("Runtime.evaluate", {"expression": "window.__glFocusHandlers", "returnByValue": True,
                                                        "timeout": 1000}, session.options.page_timeout)
    return int((answer.get("result") or {}).get("value") or 0) > 0


def _press_tab(session: Any) -> None:
    for kind in ("rawKeyDown", "keyUp"):
        cdp(session, "Input.dispatchKeyEvent",
            {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "nativeVirtualKeyCode": 9})


def keyboard_walk(session: Any) -> dict[str, Any]:
    """Press Tab through the page with real key events (DevTools) and report a focus trap: focus keeps
    coming back to one or two elements while others are never reached (2.1.2, ACT 80af7b)."""
    count = int(run_script(session, asset("walk_setup.js")) or 0)
    steps = min(count + 3, MAX_TABS)
    seen: list[int] = []
    for _ in range(steps):
        _press_tab(session)
        time.sleep(TAB_SETTLE_S)
        seen.append(int(run_script(session, asset("walk_where.js"))))
    reached = {i for i in seen if i >= 0}
    tail = [i for i in seen[len(seen) // 2 :] if i >= 0]
    cycle = sorted(set(tail))
    trapped = bool(tail) and len(cycle) <= 2 and len(reached) < count and len(tail) == len(seen[len(seen) // 2 :])
    result: dict[str, Any] = {"walked": True, "tabbable": count, "steps": steps, "trapped": []}
    if trapped:
        found = run_script(session, asset("walk_nodes.js"), cycle) or {}
        result["trapped"] = found.get("nodes") or []
        result["instructions"] = bool(found.get("instructions"))
    return result


def _engine(session: Any, reported: Any) -> dict[str, str]:
    """What produced the results (axe-core, browser and driver versions, viewport), for the report."""
    engine = {k: str(v) for k, v in (reported or {}).items() if v} if isinstance(reported, dict) else {}
    capabilities = getattr(getattr(session, "driver", None), "capabilities", None) or {}
    if capabilities.get("browserVersion"):
        engine["browser"] = f"{capabilities.get('browserName', 'chrome')} {capabilities['browserVersion']}"
    driver = (capabilities.get("chrome") or {}).get("chromedriverVersion")
    if driver:
        engine["driver"] = f"chromedriver {str(driver).split(' ')[0]}"
    return engine
