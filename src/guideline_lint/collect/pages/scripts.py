"""The JavaScript the audit runs in pages, shipped as ``.js`` files beside this module, and axe-core.

The per-page runner is assembled from the shared helpers (``gl``), the base facts every page gets and the
in-page scripts the checks asked for (``Needs.page_scripts``); each script becomes its own async function
(no ``eval``, so a page's Content-Security-Policy cannot block it).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

MAX_NODES = 20  # nodes kept per axe rule; the count of the rest is kept too
SNIPPET_CHARS = 300
MAX_TABS = 20
TAB_SETTLE_S = 0.02  # traps refocus from timers (setTimeout 10 ms in ACT 80af7b); let them run
NODES_PER_LIMIT = 5000  # the audit's time limit grows by one page time limit per this many elements
LIMIT_CAP = 10  # … up to this many page time limits
NODE_COUNT = "return document.getElementsByTagName('*').length"


def audit_time_limit(page_timeout: float, nodes: int) -> float:
    """Seconds the audit script may take on a page of ``nodes`` elements (counted after load): the page time
    limit, plus one more per 5,000 elements, at most 10 of them (30 s: 66 s for 6,000 elements, 300 s cap)."""
    return page_timeout * min(LIMIT_CAP, 1 + max(0, nodes) / NODES_PER_LIMIT)


@cache
def asset(name: str) -> str:
    """The text of ``js/<name>`` in this package (in the wheel too)."""
    return resources.files(__package__).joinpath("js", name).read_text(encoding="utf-8")


def helpers() -> str:
    return asset("helpers.js").replace("__SNIPPET__", str(SNIPPET_CHARS))


def build_runner(dom_scripts: dict[str, str]) -> str:
    """The per-page script: axe, then the base facts and each in-page script as its own async function."""
    entries = [f"__base: async () => {{ {asset('base_facts.js')}\n}}"]
    entries += [f"{json.dumps(name)}: async () => {{ {body}\n}}" for name, body in dom_scripts.items()]
    return (asset("runner.js").replace("/*HELPERS*/", helpers()).replace("/*AXE_SHARED*/", asset("axe_shared.js"))
            .replace("/*SCRIPTS*/", ",\n".join(entries))
            .replace("__MAX_NODES__", str(MAX_NODES)).replace("__SNIPPET__", str(SNIPPET_CHARS)))


# axe-core memoises its functions of elements (visibility, roles, overflow ancestors…) with memoizee, whose
# normalizers look an argument up by a linear search of every argument seen before: quadratic in the page's element
# count (about 8 % of the renderer's time for the whole audit of a page of 6,000 elements). The two normalizers axe
# uses (one argument; a fixed number) are replaced by Map-based ones with the same contract (get: the call's id or
# null; set: a new id; delete by id; clear) and the same matching (SameValueZero, as es5-ext's eIndexOf: strict
# equality, NaN found). Only where the bundle's text is exactly the minified original: another axe-core build is
# used as it is (tests/pages/test_axe_memo.py says whether the bundled one is patched).
MEMO_NORMALIZERS = {
    "memo_one.js": "t.exports=function(){var t=0,n=[],r=[];return{get:function(e){e=a.call(n,e[0]);return-1===e?"
                   "null:r[e]},set:function(e){return n.push(e[0]),r.push(++t),t},delete:function(e){e=a.call(r,e);"
                   "-1!==e&&(n.splice(e,1),r.splice(e,1))},clear:function(){n=[],r=[]}}}",
    "memo_fixed.js": "t.exports=function(i){var a=0,l=[[],[]],u=n(null);return{get:function(e){for(var t,n=0,r=l;n<"
                     "i-1;){if(-1===(t=s.call(r[0],e[n])))return null;r=r[1][t],++n}return-1!==(t=s.call(r[0],e[n]))&&"
                     "r[1][t]||null},set:function(e){for(var t,n=0,r=l;n<i-1;)-1===(t=s.call(r[0],e[n]))&&(t=r[0].push("
                     "e[n])-1,r[1].push([[],[]])),r=r[1][t],++n;return-1===(t=s.call(r[0],e[n]))&&(t=r[0].push(e[n])-1)"
                     ",r[1][t]=++a,u[a]=e,a},delete:function(e){for(var t,n=0,r=l,a=[],o=u[e];n<i-1;){if(-1===(t=s.call"
                     "(r[0],o[n])))return;a.push(r,t),r=r[1][t],++n}if(-1!==(t=s.call(r[0],o[n]))){for(e=r[1][t],r[0]."
                     "splice(t,1),r[1].splice(t,1);!r[0].length&&a.length;)t=a.pop(),(r=a.pop())[0].splice(t,1),r[1]."
                     "splice(t,1);delete u[e]}},clear:function(){l=[[],[]],u=n(null)}}}",
}


def axe_bundle() -> str:
    """The text of the bundled axe-core, as published."""
    import axe_selenium_python  # here: only audits that run axe rules pay for finding it

    path = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8")


def with_indexed_memos(source: str) -> str:
    """``source`` with memoizee's normalizers replaced (``MEMO_NORMALIZERS``), each only where it occurs once."""
    for replacement, original in MEMO_NORMALIZERS.items():
        if source.count(original) == 1:
            source = source.replace(original, asset(replacement).strip())
    return source


@cache
def axe_source() -> str:
    """axe-core as the audit runs it: the bundle with indexed memo tables (same results, linear time)."""
    return with_indexed_memos(axe_bundle())


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
