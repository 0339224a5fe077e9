"""Big pages side by side with plain axe-core (issue #14): a generated news list of 2,000 links and a real list
page (localgovjp's 日本の都道府県と市区町村のサイト一覧, 1,965 links, bench/fixtures/), in one browser, interleaved.

Per page and repetition, on a fresh load each time:
- plain: axe-core 4.10.2 as axe-selenium-python runs it (``inject()``, ``run()``: default rules, the document);
- ours unshared: guideline-lint's axe run (runOnly its rules, isolated world) judging every node on its own;
- ours: the same with the colour checks shared between nodes of the same inputs (js/axe_shared.js);
- audit_session: what the audit times as ``audit_ms`` (axe and every in-page script: the runner), in the same
  session, with per-script times;
- audit: the whole guideline-lint page audit (every page check, 1 worker, its own browser): ``audit_ms`` (the
  desktop pass: axe and in-page scripts; the load is not counted) and, apart, the mobile pass;
- plain_own: plain axe-core in a browser of its own too (its first run in a fresh renderer, as the audit's is:
  V8 compiles axe's functions on first use), the cold counterpart of ``audit``.
Each is timed twice: wall milliseconds and the CPU milliseconds of the page's renderer main thread (DevTools
``ThreadTime``), which a busy machine does not stretch. Medians, ratios to plain, and whether the violation and
incomplete node sets of our rules equal plain axe's.
With ``--act`` the same equality over every ACT test case (no timing).

    PYTHONPATH=src .venv/bin/python bench/big_pages.py [--reps 3] [--act] [--generated-only] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pages"))  # the page generator and the two runs, shared with the tests

import shared_folder  # noqa: E402
from big_page import big_page, ours, plain, run_by_default, thread_ms, without  # noqa: E402

from guideline_lint.browser import Session  # noqa: E402
from guideline_lint.collect.pages import PageOptions, browser_options, collect_service_pages  # noqa: E402
from guideline_lint.collect.pages.scripts import axe_options, build_runner  # noqa: E402
from guideline_lint.collect.pages.session import load_page, run_audit_script  # noqa: E402
from guideline_lint.collect.static_server import StaticServer  # noqa: E402
from guideline_lint.facts.page import PageFacts  # noqa: E402
from guideline_lint.kinds import needs_of  # noqa: E402
from guideline_lint.loading import load_ruleset  # noqa: E402

REAL = ROOT / "bench" / "fixtures" / "localgovjp-list.html"
ACT = shared_folder.ACT
TIMEOUT = 600.0


def _median(values: list[float]) -> float:
    return round(statistics.median(values)) if values else 0.0


def _paired(plain: list[float], other: list[float]) -> float:
    ratios = [p / o for p, o in zip(plain, other, strict=True) if o > 0]
    return round(statistics.median(ratios), 2) if ratios else 0.0


def audit_in_session(session: Any, url: str, runner: str, axe_opts: dict[str, Any]) -> dict[str, Any]:
    """What the audit times as ``audit_ms`` (session.run_audit_script: the element count and the runner with axe
    and every in-page script, sent together), on a fresh load of ``url`` in the benchmark's session, with its
    main-thread CPU."""
    load_page(session, url)
    cpu = thread_ms(session)
    started = time.perf_counter()
    result = run_audit_script(session, PageFacts(url=url), runner, axe_opts)
    wall = (time.perf_counter() - started) * 1000
    cpu = thread_ms(session) - cpu
    if not isinstance(result, dict) or result.get("error") or result.get("axeError"):
        raise RuntimeError(f"the audit script failed on {url}: {str(result)[:300]}")
    return {"ms": wall, "cpu_ms": cpu, "axe_ms": result["axeMs"], "scripts_ms": result["scriptsMs"],
            "script_ms": result.get("scriptMs") or {}}


def _plain_cold(options: PageOptions, url: str, rules: list[str]) -> float:
    """Wall ms of plain axe-core run once in a browser of its own (a fresh renderer, as the audit's own browser)."""
    session = Session(browser_options(options)).start()
    try:
        session.driver.set_script_timeout(TIMEOUT)
        session.driver.command_executor._client_config.timeout = TIMEOUT
        return plain(session, url, rules)[1]["ms"]
    finally:
        session.quit()


def measure(folder: Path, pages: list[Path], reps: int) -> dict[str, Any]:
    checks = [c for c in load_ruleset().checks.values() if c.target.value == "page"]
    needs = needs_of(checks)
    rules = sorted(needs.axe_rules)
    owners: dict[str, list[str]] = {}
    for check in checks:
        for key in needs_of([check]).page_scripts:
            owners.setdefault(key, []).append(check.id)
    runner, axe_opts = build_runner(needs.page_scripts), axe_options(rules)
    options = PageOptions(workers=1, page_timeout=TIMEOUT)
    session = Session(browser_options(options)).start()
    session.driver.set_script_timeout(TIMEOUT)
    session.driver.command_executor._client_config.timeout = TIMEOUT  # plain axe can take minutes on a busy machine
    results: dict[str, Any] = {}
    modes = ("plain", "ours_unshared", "ours", "audit_session")
    try:
        with StaticServer(folder) as server:
            for page in pages:
                url = server.url_for(page)
                wall: dict[str, list[float]] = {mode: [] for mode in (*modes, "audit", "audit_axe", "mobile",
                                                                      "plain_own")}
                cpu: dict[str, list[float]] = {mode: [] for mode in modes}
                scripts: dict[str, list[float]] = {}
                same, counts = True, None
                for _ in range(reps):
                    expected, timing = plain(session, url, rules, cpu=True)
                    runs = {"plain": timing}
                    alone, runs["ours_unshared"], _ = ours(session, url, rules, shared=False, cpu=True)
                    shared, runs["ours"], counts = ours(session, url, rules, cpu=True)
                    same = same and shared == expected == alone
                    runs["audit_session"] = audit_in_session(session, url, runner, axe_opts)
                    for mode, run in runs.items():
                        wall[mode].append(run["ms"])
                        cpu[mode].append(run["cpu_ms"])
                    for key, ms in runs["audit_session"]["script_ms"].items():
                        scripts.setdefault(key, []).append(ms)
                    started = time.perf_counter()
                    facts = collect_service_pages([], [page], folder, options, needs)[0]
                    if facts.error:
                        raise RuntimeError(f"the audit of {page.name} failed: {facts.error}")
                    wall["audit"].append(facts.timings.get("audit_ms", (time.perf_counter() - started) * 1000))
                    wall["audit_axe"].append(facts.timings.get("axe_ms", 0.0))
                    mobile = facts.views.get("mobile")
                    wall["mobile"].append(mobile.timings.get("total_ms", 0.0) if mobile is not None else 0.0)
                    wall["plain_own"].append(_plain_cold(options, url, rules))
                medians = {mode: _median(values) for mode, values in wall.items()}
                cpu_medians = {mode: _median(values) for mode, values in cpu.items()}
                slowest = sorted(((_median(v), k) for k, v in scripts.items()), reverse=True)[:6]
                results[page.name] = {
                    "bytes": page.stat().st_size, "links": page.read_text(encoding="utf-8").count("<a "),
                    "median_ms": medians, "runs_ms": {m: [round(v) for v in vs] for m, vs in wall.items()},
                    "plain_over": {m: round(medians["plain"] / medians[m], 2) for m in (*modes, "audit") if medians[m]},
                    # cold against cold: plain axe in its own browser ÷ the audit in its own browser (paired)
                    "plain_own_over_audit": _paired(wall["plain_own"], wall["audit"]),
                    # plain ÷ each within one repetition (the runs minutes apart see the same load), then the median
                    "plain_over_paired": {m: _paired(wall["plain"], wall[m]) for m in (*modes, "audit")},
                    "median_cpu_ms": cpu_medians,
                    "plain_over_cpu": {m: round(cpu_medians["plain"] / cpu_medians[m], 2) for m in modes
                                       if cpu_medians[m] > 0},
                    "plain_over_cpu_paired": {m: _paired(cpu["plain"], cpu[m]) for m in modes},
                    "slowest_scripts_ms": [[ms, key, owners.get(key, ["base facts"])] for ms, key in slowest],
                    "same_violations": same, "shared_counts": counts,
                    "violations": {rule: len(nodes) for rule, nodes in shared["violations"].items()},
                }
                print(json.dumps({page.name: results[page.name]}, ensure_ascii=False), flush=True)
    finally:
        session.quit()
    return results


def act_equality() -> dict[str, Any]:
    """The whole ACT set: plain axe's node sets of our rules against ours (shared), case by case, on the rules
    plain axe runs by default (it leaves its deprecated ones off: audio-caption)."""
    rules = sorted(needs_of(c for c in load_ruleset().checks.values() if c.target.value == "page").axe_rules)
    cases = json.loads((ACT / "cases.json").read_text(encoding="utf-8"))
    session = Session(browser_options(PageOptions(page_timeout=60))).start()
    differ: list[str] = []
    try:
        with StaticServer(ACT) as server:
            for case in cases:
                url = server.url_for(ACT / case["file"])
                try:
                    shared, _, _ = ours(session, url, rules)
                    expected, _ = plain(session, url, rules)
                    off = set(rules) - run_by_default(session)
                except Exception as exc:  # a case that breaks either run is listed, not fatal
                    differ.append(f"{case['file']}: {type(exc).__name__}")
                    continue
                if without(shared, off) != expected:
                    differ.append(case["file"])
    finally:
        session.quit()
    return {"cases": len(cases), "different": differ}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--act", action="store_true", help="also compare every ACT case (slow)")
    parser.add_argument("--generated-only", action="store_true", help="leave the real page out")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with open("/proc/loadavg", encoding="ascii") as load:
        before = load.read().split()[:3]
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        generated = folder / "news-2000.html"
        generated.write_text(big_page(args.links), encoding="utf-8")
        pages = [generated]
        if REAL.is_file() and not args.generated_only:
            pages.append(folder / REAL.name)
            pages[-1].write_bytes(REAL.read_bytes())
        results: dict[str, Any] = {"cpus": os.cpu_count(), "loadavg_before": before,
                                   "pages": measure(folder, pages, args.reps)}
    if args.act and (ACT / "cases.json").is_file():
        results["act"] = act_equality()
        print(json.dumps({"act": results["act"]}), flush=True)
    with open("/proc/loadavg", encoding="ascii") as load:
        results["loadavg_after"] = load.read().split()[:3]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"loadavg": [results["loadavg_before"], results["loadavg_after"]]}))
    return 0 if all(p["same_violations"] for p in results["pages"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
