"""Pages at a desktop and a mobile viewport: what is taken again at the second one, how the viewport is set, and how
its results are put together.

After the full audit at the first viewport, the same loaded document is switched to the second (DevTools
``Emulation.setDeviceMetricsOverride`` and touch emulation; no reload, so media queries and the page's resize
handlers apply and content shown only on phones appears), and only what depends on layout runs again:

- axe rules that read neither layout nor visibility (``LAYOUT_INDEPENDENT``: the document's title and language,
  the viewport tag, duplicate ids…) are not run again: their results are the first viewport's;
- ``color-contrast`` and ``link-in-text-block`` (most of axe's time on large pages), and the rules that read an
  element's own markup but skip hidden elements (``SCOPED_RULES``: ARIA attributes, image alternatives…), run again
  only inside the elements whose visibility, colours, text size class (large or not), decoration or positioning
  differ from the first viewport; the first viewport's nodes elsewhere keep their result. Text that keeps its look
  but that another element comes to cover only at the second viewport is therefore judged as at the first;
- every other rule runs again on the whole document: names from content, structure (lists, landmarks, headings),
  scrolling regions, page-level rules (a menu shown only on phones is seen only there);
- in-page scripts that read layout (``READS_LAYOUT``: visibility, boxes, computed styles, rendered text) run
  again; the others (and the base facts, the keyboard walk) keep the first viewport's result.

A site that sends phones other HTML (by User-Agent) is not reloaded: the second viewport sees the first one's HTML.
Through a Selenium Grid the hub's DevTools endpoint (``se:cdp``) does the same; on a Grid without it the window is
resized instead, to the same layout viewport (no touch, no device pixel ratio).
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from typing import Any

from selenium.common.exceptions import TimeoutException, WebDriverException

from guideline_lint.browser import LoadFailed, NavigatedAway
from guideline_lint.collect.pages.scripts import asset, axe_options, build_runner
from guideline_lint.facts.page import VIEWPORTS, PageFacts, ViewFacts


@dataclass(frozen=True, slots=True)
class Viewport:
    name: str
    width: int
    height: int
    scale: float = 1.0
    mobile: bool = False
    touch: bool = False

    def describe(self) -> str:
        extra = f" ×{self.scale:g}" + (" mobile" if self.mobile else "") + (" touch" if self.touch else "")
        return f"{self.width}x{self.height}{extra}"


# Desktop: the window the browser starts with (browser.HEADLESS_FLAGS), no override. Mobile: a common phone.
DESKTOP_WINDOW = (1280, 1024)
SIZES = {"desktop": Viewport("desktop", 1280, 881), "mobile": Viewport("mobile", 375, 812, 3.0, True, True)}

LAYOUT_INDEPENDENT = frozenset({
    "accesskeys", "area-alt", "aria-hidden-body", "audio-caption", "blink", "css-orientation-lock", "document-title",
    "duplicate-id", "duplicate-id-active", "duplicate-id-aria", "html-has-lang", "html-lang-valid",
    "html-xml-lang-mismatch", "marquee", "meta-refresh", "meta-refresh-no-exceptions", "meta-viewport",
    "meta-viewport-large", "no-autoplay-audio",
})
# Rules whose verdict on an element changes only when its own look or visibility (or an ancestor's) changes: the
# style rules (colours, fonts) and those that read the element's own markup but skip hidden elements.
SCOPED_RULES = frozenset({
    "color-contrast", "color-contrast-enhanced", "link-in-text-block",
    "aria-allowed-attr", "aria-braille-equivalent", "aria-conditional-attr", "aria-deprecated-role",
    "aria-prohibited-attr", "aria-required-attr", "aria-roledescription", "aria-roles", "aria-valid-attr",
    "aria-valid-attr-value", "autocomplete-valid", "avoid-inline-spacing", "image-alt", "input-image-alt",
    "presentation-role-conflict", "role-img-alt", "scope-attr-valid", "server-side-image-map", "svg-img-alt",
    "tabindex", "valid-lang", "video-caption",
})
READS_LAYOUT = re.compile(
    r"gl\.(visible|text)\b|getComputedStyle|getBoundingClientRect|getClientRects|checkVisibility|innerText"
    r"|offset(Width|Height|Top|Left|Parent)|client(Width|Height)|scroll(Width|Height)|elements? ?FromPoint"
    r"|matchMedia|inner(Width|Height)|visualViewport")
MAX_COMPARED = 20000  # elements whose look is compared; past it the scoped rules run on the whole document


@dataclass(slots=True)
class ViewportPlan:
    """Which viewports to audit and what the second one takes again; made once per run from the needs."""

    first: str = "desktop"
    then: str | None = None  # the further viewport, or None
    whole_rules: list[str] = field(default_factory=list)
    scoped_rules: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # keys of the in-page scripts run again
    runner: str = ""


def plan_viewports(names: tuple[str, ...] | list[str], rules: list[str], scripts: dict[str, str]) -> ViewportPlan:
    chosen = [name for name in VIEWPORTS if name in names] or ["desktop"]
    plan = ViewportPlan(first=chosen[0], then=chosen[1] if len(chosen) > 1 else None)
    if plan.then is None:
        return plan
    plan.whole_rules = [r for r in rules if r not in LAYOUT_INDEPENDENT and r not in SCOPED_RULES]
    plan.scoped_rules = [r for r in rules if r in SCOPED_RULES]
    again = {key: body for key, body in scripts.items() if READS_LAYOUT.search(body)}
    plan.scripts = list(again)
    plan.runner = build_runner({"__viewport": asset("viewport_pass.js"), **again})
    return plan


def cdp(session: Any, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A DevTools command over the session's own connection, else through chromedriver (local Chromium only)."""
    if session.devtools is not None:
        return session.devtools.call(method, params or {}, session.options.page_timeout)
    result: dict[str, Any] = session.driver.execute_cdp_cmd(method, params or {})
    return result


def emulate(session: Any, name: str) -> str:
    """Set the session's viewport to ``name`` (nothing when it is already); how it was set, for the report.

    Through DevTools when the session has it (the local Chromium, or a Grid's ``se:cdp``): the device metrics and
    touch. A Grid without DevTools resizes the window instead, to a size whose layout viewport is ``name``'s (the
    window's frame measured once per session): media queries on width and height apply; touch, the device pixel
    ratio and the mobile viewport tag's handling do not."""
    size = SIZES[name]
    how: str = getattr(session, "viewport_method", "")
    if getattr(session, "viewport", "desktop") == name:
        return how or "window"
    if session.devtools is not None or not session.options.remote_url:
        if name == "desktop":
            cdp(session, "Emulation.clearDeviceMetricsOverride")
        else:
            cdp(session, "Emulation.setDeviceMetricsOverride", {"width": size.width, "height": size.height,
                                                              "deviceScaleFactor": size.scale, "mobile": size.mobile})
        cdp(session, "Emulation.setTouchEmulationEnabled", {"enabled": size.touch, "maxTouchPoints": 5})
        how = "devtools"
    else:
        if name == "desktop":
            width, height = DESKTOP_WINDOW
        else:
            frame = getattr(session, "window_frame", None) or window_frame(session)
            width, height = size.width + frame[0], size.height + frame[1]
        session.driver.set_window_size(width, height)
        how = "window"
    session.viewport, session.viewport_method = name, how
    return how


def window_frame(session: Any) -> tuple[int, int]:
    """How much larger the window is than its layout viewport, measured once per session (in the page's world,
    which a page can bend: kept to 0–400 px)."""
    answer = session.driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight]")
    try:
        width, height = (min(max(int(side), 0), 400) for side in answer)
    except (TypeError, ValueError):
        width, height = 0, 0
    session.window_frame = (width, height)
    return width, height


def audit_view(session: Any, facts: PageFacts, plan: ViewportPlan, run_script: Any) -> None:
    """Switch the loaded page to ``plan.then`` and take again what depends on layout; the results go to
    ``facts.views``. A failure here is that viewport's ``error`` (the first viewport's results stand); a session
    that timed out or crashed is quit, so the pool replaces it. The next page sets the first viewport back."""
    assert plan.then is not None
    started = time.perf_counter()
    view = ViewFacts()
    facts.views[plan.then] = view
    nodes = {rule: [n["selector"] for bucket in ("violations", "incomplete")
                    for n in ((facts.axe or {}).get(bucket, {}).get(rule) or {}).get("nodes", [])]
             for rule in plan.scoped_rules}
    spec = {"whole": axe_options(plan.whole_rules) if plan.whole_rules and facts.axe is not None else None,
            "scoped": axe_options(plan.scoped_rules) if plan.scoped_rules and facts.axe is not None else None,
            "nodes": nodes}
    mark = session.devtools.received if session.devtools is not None else None
    try:
        elements = run_script(session, asset("viewport_prepare.js"), spec, MAX_COMPARED)
        how = emulate(session, plan.then)  # the next page sets the first viewport back before it loads
        # The first pass's time limit, scaled to the page's size (scripts.audit_time_limit).
        result = run_script(session, plan.runner, None, asynchronous=True, timeout=facts.timings.get("time_limit_s"))
    except (TimeoutException, WebDriverException) as exc:
        detail = (exc.msg or str(exc)).splitlines()[0][:300]
        view.error = f"the {plan.then} viewport could not be audited: {detail}"
        view.error_ja = f"検査できません: {detail}"
        session.quit()  # stuck or crashed: the pool drops a session without a driver
        return
    except (NavigatedAway, LoadFailed, RuntimeError) as exc:
        detail = str(exc)[:300]
        view.error = f"the {plan.then} viewport could not be audited: {detail}"
        view.error_ja = f"検査できません: {detail}"
        return
    view.timings["total_ms"] = (time.perf_counter() - started) * 1000
    if mark is not None and left_meanwhile(session, mark):
        # Its resize handler sent the page elsewhere: whether the script ended before the new document replaced
        # this one is a race, and the page a phone user gets is the other one. Not audited at this viewport.
        view.error = f"the page navigated away at the {plan.then} viewport (its resize handler)"
        view.error_ja = "この表示にしたところでページが別のページへ移りました（resize の処理）"
        return
    if not isinstance(result, dict) or result.get("error"):
        reason = result.get("error") if isinstance(result, dict) else "no result"
        view.error = f"the {plan.then} viewport's audit script failed: {reason}"
        view.error_ja = f"検査のスクリプトが失敗しました: {reason}"
        return
    dom = dict(result.get("dom") or {})
    dom.pop("__base", None)
    found = dom.pop("__viewport", None) or {}
    if not isinstance(found, dict) or found.get("error"):
        reason = found.get("error") if found else None
        view.error = f"the {plan.then} viewport's audit script failed: {reason}"
        view.error_ja = f"検査のスクリプトが失敗しました: {reason}"
        return
    view.dom = {**facts.dom, **dom}
    view.axe = view_axe(facts.axe, found, plan)
    size = SIZES[plan.then]
    shown = size.describe() if how == "devtools" else f"{found.get('viewport')} (window resized)"
    view.engine = {"viewport": f"{plan.then} {shown}"}
    view.rerun = {"axe_whole": len(plan.whole_rules), "axe_scoped": len(plan.scoped_rules),
                  "scripts": len(plan.scripts), "elements": int(elements or 0),
                  "changed": found.get("changed"), "layout": found.get("viewport")}


NAVIGATION_EVENTS = ("Page.frameRequestedNavigation", "Page.frameScheduledNavigation", "Page.frameStartedNavigating",
                     "Page.frameNavigated")


def left_meanwhile(session: Any, mark: int) -> bool:
    """Whether the page's main frame asked for or made a navigation after DevTools event number ``mark``."""
    for event in session.devtools.kept_since(mark, NAVIGATION_EVENTS):
        params = event.get("params") or {}
        frame = params.get("frameId") or (params.get("frame") or {}).get("id")  # frameNavigated names a frame
        if frame == session.frame_id:
            return True
    return False


def view_axe(first: dict[str, Any] | None, found: dict[str, Any], plan: ViewportPlan) -> dict[str, Any] | None:
    """The axe results at the further viewport: the first viewport's, with the rules run again replaced (whole
    document) or updated inside the elements whose look changed (the style rules)."""
    if first is None:
        return None
    axe = {"violations": dict(first["violations"]), "incomplete": dict(first["incomplete"]),
           "passes": list(first["passes"]), "inapplicable": list(first["inapplicable"])}
    whole = found.get("whole")
    if whole:
        _replace(axe, set(plan.whole_rules), whole)
    scoped = found.get("scoped")
    if scoped:
        inside = {rule: set(selectors) for rule, selectors in (found.get("inside") or {}).items()}
        for bucket in ("violations", "incomplete"):
            fresh = {rule["id"]: rule for rule in scoped[bucket]}
            for rule_id in plan.scoped_rules:
                kept = copy.deepcopy(axe[bucket].get(rule_id))
                if kept is not None:  # the first viewport's nodes outside the changed elements keep their result
                    gone = [n for n in kept["nodes"] if n["selector"] in inside.get(rule_id, set())]
                    kept["nodes"] = [n for n in kept["nodes"] if n not in gone]
                    kept["count"] -= len(gone)
                new = fresh.get(rule_id)
                if new is not None:
                    if kept is None:
                        kept = new
                    else:
                        kept["nodes"] += new["nodes"]
                        kept["count"] += new["count"]
                if kept is not None and kept["count"] > 0:
                    axe[bucket][rule_id] = kept
                else:
                    axe[bucket].pop(rule_id, None)
        passed = set(axe["passes"]) | set(scoped["passes"])
        axe["passes"] = sorted(passed)
        hit = set(axe["violations"]) | set(axe["incomplete"]) | passed
        axe["inapplicable"] = sorted({*axe["inapplicable"], *scoped["inapplicable"]} - hit)
    return axe


def _replace(axe: dict[str, Any], rules: set[str], fresh: dict[str, Any]) -> None:
    for bucket in ("violations", "incomplete"):
        axe[bucket] = {rule: found for rule, found in axe[bucket].items() if rule not in rules}
        axe[bucket].update({rule["id"]: rule for rule in fresh[bucket]})
    for bucket in ("passes", "inapplicable"):
        axe[bucket] = [rule for rule in axe[bucket] if rule not in rules] + list(fresh[bucket])
