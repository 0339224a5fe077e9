"""Big pages for the axe-sharing tests and bench/big_pages.py: a generated list page (a 新着一覧 with N links,
header, navigation, footer and CSS, some of it failing contrast and link distinction on purpose), and the
violation and incomplete node sets of plain axe-core and of guideline-lint's axe run on one loaded page."""

from __future__ import annotations

import json
import time
from typing import Any

from axe_selenium_python import Axe

from guideline_lint.collect.pages.scripts import asset, axe_options
from guideline_lint.collect.pages.session import load_page, run_script

CSS = """
body { font-family: sans-serif; margin: 0; color: #333; background: #fff; }
header { background: #00468b; color: #fff; padding: 8px 16px; }
header a { color: #fff; }
nav ul { display: flex; gap: 12px; list-style: none; margin: 0; padding: 8px 16px; background: #f0f4f8; }
nav a { color: #00468b; }
.breadcrumb { font-size: 13px; padding: 4px 16px; }
main { padding: 0 16px; }
.news li { padding: 4px 0; border-bottom: 1px solid #ddd; }
.news .date { color: #666; margin-right: 1em; }
.news .tag { color: #fff; background: #a65300; padding: 0 4px; font-size: 12px; }
.news a { color: #0056b3; }
p.note a { color: #337ab7; text-decoration: none; }
.pale { color: #bbb; }
footer { background: #333; color: #aaa; padding: 16px; }
footer a { color: #ccc; }
"""

TOPICS = ["子育て支援", "防災訓練", "住民税", "ごみの分別", "図書館", "国民健康保険", "選挙", "道路工事", "健康診断",
          "公園"]
KINDS = ["のお知らせ", "について", "の受付を開始しました", "の結果を公表しました", "（更新）"]


def big_page(links: int = 2000) -> str:
    """A static news-list page with ``links`` items (each: date, sometimes a tag, one link), a paragraph of
    text with links every 100 items, global navigation and a footer."""
    items = []
    for i in range(links):
        day = f"2026年{12 - i // 200 % 12}月{28 - i % 28}日"
        tag = '<span class="tag">重要</span> ' if i % 7 == 0 else ""
        text = f"{TOPICS[i % len(TOPICS)]}{KINDS[i % len(KINDS)]}（第{i + 1}号）"
        items.append(f'<li><span class="date">{day}</span>{tag}<a href="/news/{i:05d}.html">{text}</a></li>')
        if i % 100 == 99:
            items.append(f'<li><p class="note">詳しくは<a href="/guide/{i}.html">手続きの案内</a>を、'
                         f'<span class="pale">過去の記事は<a href="/archive/{i}.html">こちら</a></span>をご覧ください。'
                         "</p></li>")
    nav = "".join(f'<li><a href="/{name}/">{name}</a></li>' for name in TOPICS)
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>新着情報一覧｜テスト市</title><style>{CSS}</style></head><body>"
        '<header><a href="/">テスト市</a> <a href="/en/">English</a></header>'
        f'<nav aria-label="グローバル"><ul>{nav}</ul></nav>'
        '<div class="breadcrumb"><a href="/">ホーム</a> &gt; 新着情報一覧</div>'
        f'<main><h1>新着情報一覧</h1><ul class="news">{"".join(items)}</ul></main>'
        '<footer><p>テスト市役所 <a href="/access/">アクセス</a> <a href="/contact/">お問い合わせ</a></p>'
        "</footer></body></html>"
    )


NodeSets = dict[str, dict[str, list[str]]]  # result type -> rule id -> sorted node targets
Timing = dict[str, float]  # ms: wall milliseconds; cpu_ms: the renderer main thread's CPU milliseconds (or -1)

_OURS = """const done = arguments[arguments.length - 1];
const {shared, ...options} = arguments[0];
/*AXE_SHARED*/
if (shared) { glAxeShared.install(); glAxeShared.reset(); }
const t0 = performance.now();
axe.run(document, options).then(r => done({ms: performance.now() - t0,
  counts: shared ? glAxeShared.counts() : null,
  violations: r.violations.map(x => [x.id, x.nodes.map(n => JSON.stringify(n.target))]),
  incomplete: r.incomplete.map(x => [x.id, x.nodes.map(n => JSON.stringify(n.target))])}),
  e => done({error: String(e && e.message || e)}));"""


def _sets(result: dict[str, Any], rules: set[str]) -> NodeSets:
    return {kind: {rule: sorted(nodes) for rule, nodes in result[kind] if rule in rules}
            for kind in ("violations", "incomplete")}


def thread_ms(session: Any) -> float:
    """CPU milliseconds the page's renderer main thread has used (DevTools ``Performance.getMetrics``
    ``ThreadTime``): unlike wall time, not stretched by other work on a busy machine. -1 without DevTools."""
    if session.devtools is None:
        return -1.0
    session.devtools.call("Performance.enable", {"timeDomain": "threadTicks"}, 30)
    metrics = session.devtools.call("Performance.getMetrics", {}, 30).get("metrics") or []
    return next((float(m["value"]) * 1000 for m in metrics if m.get("name") == "ThreadTime"), -1.0)


def ours(session: Any, url: str, rules: list[str], shared: bool = True,
         cpu: bool = False) -> tuple[NodeSets, Timing, Any]:
    """guideline-lint's axe run (runOnly our rules, in the audit's isolated world) on a fresh load of ``url``:
    the node sets, the time of ``axe.run`` (in-page wall ms; with ``cpu`` the main-thread CPU ms of the call) and
    the sharing counts. (``cpu`` asks DevTools before the run: media on the page get longer to load, which can
    change what axe says of them, so the equality tests leave it off.)"""
    load_page(session, url)
    options = dict(axe_options(rules), shared=shared)
    before = thread_ms(session) if cpu else -1.0
    result = run_script(session, _OURS.replace("/*AXE_SHARED*/", asset("axe_shared.js")), options, asynchronous=True)
    used = thread_ms(session) - before if before >= 0 else -1.0
    if not isinstance(result, dict) or result.get("error"):
        raise RuntimeError(f"axe failed on {url}: {result}")
    return _sets(result, set(rules)), {"ms": float(result["ms"]), "cpu_ms": used}, result.get("counts")


def plain(session: Any, url: str, rules: list[str], cpu: bool = False) -> tuple[NodeSets, Timing]:
    """Plain axe-core as axe-selenium-python runs it (default rules, ``axe.run`` on the document, in the page's
    world) on a fresh load of ``url``: the node sets of ``rules`` and the time of ``Axe.run`` (wall ms of the
    call; with ``cpu`` the main-thread CPU ms)."""
    session.driver.get(url)
    axe = Axe(session.driver)
    axe.inject()
    before = thread_ms(session) if cpu else -1.0
    started = time.perf_counter()
    result = axe.run()
    seconds = time.perf_counter() - started
    used = thread_ms(session) - before if before >= 0 else -1.0
    sets = {kind: {rule["id"]: sorted(_target(node) for node in rule["nodes"]) for rule in result[kind]
                   if rule["id"] in rules} for kind in ("violations", "incomplete")}
    return sets, {"ms": seconds * 1000, "cpu_ms": used}


def run_by_default(session: Any) -> set[str]:
    """The rules plain axe (injected by :func:`plain` in the page's world) runs with its default options."""
    return set(session.driver.execute_script("return axe._audit.rules.filter(r => r.enabled !== false).map(r => r.id)"))


def without(sets: NodeSets, rules: set[str]) -> NodeSets:
    """``sets`` but for ``rules`` (e.g. those plain axe leaves off by default: its deprecated rules)."""
    return {kind: {rule: nodes for rule, nodes in found.items() if rule not in rules} for kind, found in sets.items()}


def _target(node: dict[str, Any]) -> str:
    return json.dumps(node["target"], separators=(",", ":"), ensure_ascii=False)
