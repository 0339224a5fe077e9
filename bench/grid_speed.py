"""Page audits through a real Selenium Grid 4 against the local Chromium, side by side in one run (issue #14).

The 60 ACT test cases of pages_speed.py, every bundled page check, desktop and mobile viewports, 2 workers, in
interleaved rounds (the order of the modes turned by one each round):
- local: Debian's Chromium and chromedriver on this machine;
- grid: a hub and two nodes on 127.0.0.1 (tests/local_grid.py, the jar of grid/package.json), DevTools through
  the hub (se:cdp);
- grid, WebDriver only: the same Grid with the DevTools connection refused, as a Grid without CDP (axe sent with
  every page, in the page's own world; the mobile viewport by resizing the window).

Each run opens its own sessions (their start is in the wall time). Prints medians over the rounds, the ratios to the
local run, whether the results (axe violations and in-page results, page by page, at each viewport) equal the local
ones, and the load average before and after.

Then a node killed mid-run, with the whole audit as ``guideline-lint audit`` runs it (in this process): the Grid
undisturbed, the local Chromium, and the Grid with node 1 killed (SIGKILL to the node, its chromedriver and its
Chromium) once both nodes run a session and a share of the undisturbed run's time has passed (``--kill-after``, one
run each); whether a page was lost, which pages were audited again, whether the findings equal the local ones, and
whether every report format names the pages audited again.

    PYTHONPATH=src .venv/bin/python bench/grid_speed.py [--rounds 3] [--pages 60] [--kill-after 0.3,0.5,0.7]
        [--shared ../shared/benchmarks] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from shared_folder import BENCHMARKS as SHARED  # noqa: E402

from guideline_lint.browser import DevTools  # noqa: E402
from guideline_lint.collect.pages import PageOptions, collect_service_pages  # noqa: E402
from guideline_lint.kinds import needs_of  # noqa: E402
from guideline_lint.loading import load_ruleset  # noqa: E402
from guideline_lint.pipeline import RunOptions, evaluate_targets  # noqa: E402
from guideline_lint.report import FORMATS, render  # noqa: E402
from guideline_lint.targets import page_targets  # noqa: E402
from local_grid import LocalGrid, findings, missing  # noqa: E402  (tests/, put on the path above)

MODES = ("local", "grid", "grid_webdriver")


def act_sample(shared: Path, count: int = 60) -> tuple[Path, list[Path]]:
    """The 60 ACT test cases pages_speed.py audits (every n-th of the sorted cases)."""
    root = shared / "act-rules"
    files = sorted((root / "cases").glob("*.html"))
    return root, files[:: max(1, len(files) // count)][:count]


def _axe(axe: dict[str, Any] | None) -> dict[str, list[str]]:
    return {rule: sorted(str(node.get("selector")) for node in found.get("nodes", []))
            for rule, found in (axe or {}).get("violations", {}).items()}


def results_of(pages: list[Any]) -> dict[str, Any]:
    """What each page gave at each viewport, comparable between runs: axe violations (rule, selectors) and the
    in-page results, for the first viewport (``desktop``) and the further one (``mobile``)."""
    return {view: {page.url: ({"error": page.error, "dom": page.dom, "axe": _axe(page.axe)} if view == "desktop"
                              else {name: {"error": v.error, "dom": v.dom, "axe": _axe(v.axe)}
                                    for name, v in page.views.items()})
                   for page in pages}
            for view in ("desktop", "mobile")}


def refuse_devtools(*args: Any, **kwargs: Any) -> DevTools:
    raise OSError("DevTools refused for this benchmark (a Grid without CDP)")


def one_run(mode: str, grid: LocalGrid, root: Path, files: list[Path], needs: Any) -> dict[str, Any]:
    done: list[float] = []  # when each page was done: sessions start before the first and close after the last
    options = PageOptions(workers=2, page_timeout=30, remote_url=None if mode == "local" else grid.url,
                          on_page=lambda page: done.append(time.perf_counter()))
    connect = DevTools.connect_grid
    if mode == "grid_webdriver":
        DevTools.connect_grid = refuse_devtools  # type: ignore[method-assign,assignment]
    try:
        before = grid.sessions_created()
        started = time.perf_counter()
        pages = collect_service_pages([], files, root, options, needs)
        wall = time.perf_counter() - started
        after = grid.sessions_created()
    finally:
        DevTools.connect_grid = connect  # type: ignore[method-assign]
    return {"wall_s": wall, "median_ms": statistics.median(p.timings["total_ms"] for p in pages),
            "first_page_s": min(done) - started, "closing_s": started + wall - max(done),
            "errors": sum(1 for p in pages if p.error),
            "viewport": sorted({p.engine.get("viewport", "") for p in pages}
                               | {v.engine.get("viewport", "") for p in pages for v in p.views.values()} - {""}),
            "sessions_per_node": [b - a for a, b in zip(before, after, strict=True)], "results": results_of(pages)}


def timed_rounds(grid: LocalGrid, root: Path, files: list[Path], needs: Any, rounds: int) -> dict[str, list[Any]]:
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    for round_ in range(rounds):
        for mode in MODES[round_ % len(MODES):] + MODES[:round_ % len(MODES)]:
            runs[mode].append(one_run(mode, grid, root, files, needs))
            print(f"  round {round_ + 1} {mode}: {runs[mode][-1]['wall_s']:.1f} s", file=sys.stderr)
    return runs


def audit(root: Path, files: list[Path], remote_url: str | None) -> tuple[Any, float]:
    """The whole audit of ``files`` as ``guideline-lint audit`` runs it (default ruleset, 2 workers): the report and
    its wall time."""
    targets = page_targets(tuple(str(path) for path in files))
    targets.site_root = root  # the cases' assets (../test-assets) are served too, as in the timed rounds
    started = time.perf_counter()
    report = evaluate_targets(targets, RunOptions(lang="en", workers=2, remote_url=remote_url, quiet=True))
    return report, time.perf_counter() - started


def killed_mid_run(grid: LocalGrid, root: Path, files: list[Path], fractions: list[float]) -> dict[str, Any]:
    """The Grid undisturbed, the Grid with node 1 killed mid-run (once per fraction of the undisturbed run's time),
    and the local Chromium, each the whole audit."""
    undisturbed, undisturbed_s = audit(root, files, grid.url)
    local, local_s = audit(root, files, None)
    reference = findings(local.model_dump(mode="json"))
    kills = [kill_one(grid, root, files, fraction * undisturbed_s, reference) for fraction in fractions]
    for kill in kills:
        kill["ratio_to_undisturbed"] = round(kill["wall_s"] / undisturbed_s, 2)
    return {"pages": len(files), "undisturbed_s": round(undisturbed_s, 1), "local_s": round(local_s, 1),
            "undisturbed_same_as_local": findings(undisturbed.model_dump(mode="json")) == reference, "kills": kills}


def kill_one(grid: LocalGrid, root: Path, files: list[Path], delay: float, reference: Any) -> dict[str, Any]:
    """The whole audit through the Grid, node 1 killed once both nodes run a session and ``delay`` s have passed;
    the node is started again afterwards."""
    grid.wait_ready(2)
    before = grid.sessions_created()
    killed: dict[str, float] = {}
    done = threading.Event()

    def kill_when_busy(started: float) -> None:
        while not all(b > a for a, b in zip(before, grid.sessions_created(), strict=True)):
            if done.wait(0.1):
                return
        if not done.wait(max(0.0, delay - (time.perf_counter() - started))):
            grid.kill_node(0)
            killed["at_s"] = time.perf_counter() - started

    killer = threading.Thread(target=kill_when_busy, args=(time.perf_counter(),))
    killer.start()
    try:
        report, wall = audit(root, files, grid.url)
    finally:
        done.set()
        killer.join()
    after = grid.sessions_created()
    if "at_s" in killed:
        grid.start_node(0)
        grid.wait_ready(2)
        time.sleep(15)  # the hub's health check drops the dead node's entry (grid/hub.toml: every 5 s)
    retried = (report.extensions.get("page_audit") or {}).get("retried") or []
    jis = report.extensions.get("jis_x_8341_3") or [{}]
    return {
        "wall_s": round(wall, 1), "killed_at_s": round(killed["at_s"], 1) if "at_s" in killed else None,
        "sessions_per_node": [b - a for a, b in zip(before, after, strict=True)],
        "pages_tested": jis[0].get("pages_tested"), "not_evaluated": report.extensions.get("not_evaluated") or [],
        "retried": [{"page": item["page"], "attempts": item["attempts"], "audited": item["audited"],
                     "reason": str(item["reasons"][-1])[:200]} for item in retried],
        "same_as_local": findings(report.model_dump(mode="json")) == reference,
        "formats_naming_the_retried_pages": {fmt: all(item["page"] in render(report, fmt, "en") for item in retried)
                                             for fmt in FORMATS},
    }


def print_rounds(runs: dict[str, list[Any]], pages: int, summary: dict[str, Any]) -> None:
    local_wall = statistics.median(r["wall_s"] for r in runs["local"])
    reference = runs["local"][0]["results"]
    print("| mode | wall s (median) | ms/page wall | median ms/page | vs local (wall) | vs local, same round (median) "
          "| first page done s | closing s | errors | sessions per node | desktop results = local "
          "| mobile results = local | viewports |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mode in MODES:
        wall = statistics.median(r["wall_s"] for r in runs[mode])
        median = statistics.median(r["median_ms"] for r in runs[mode])
        same = {view: all(r["results"][view] == reference[view] for r in runs[mode]) for view in reference}
        sessions = " · ".join("/".join(str(n) for n in r["sessions_per_node"]) for r in runs[mode])
        errors = max(r["errors"] for r in runs[mode])
        viewports = sorted({v for r in runs[mode] for v in r["viewport"]})
        first, closing = (statistics.median(r[key] for r in runs[mode]) for key in ("first_page_s", "closing_s"))
        paired = statistics.median(r["wall_s"] / local["wall_s"]
                                   for r, local in zip(runs[mode], runs["local"], strict=True))
        summary[mode] = {"wall_s": [round(r["wall_s"], 2) for r in runs[mode]], "median_ms": round(median),
                         "ratio_to_local": round(wall / local_wall, 2), "errors": errors, "same_as_local": same,
                         "first_page_s": round(first, 2), "closing_s": round(closing, 2),
                         "median_ratio_to_local_same_round": round(paired, 2),
                         "sessions_per_node": [r["sessions_per_node"] for r in runs[mode]], "viewport": viewports}
        print(f"| {mode} | {wall:.1f} | {wall * 1000 / pages:.0f} | {median:.0f} | {wall / local_wall:.2f}x "
              f"| {paired:.2f}x | {first:.1f} | {closing:.1f} | {errors} | {sessions} "
              f"| {'yes' if same['desktop'] else 'no'} | {'yes' if same['mobile'] else 'no'} "
              f"| {', '.join(viewports)} |")


def print_kill(kill: dict[str, Any]) -> None:
    print(f"\nwhole audit of {kill['pages']} pages: Grid undisturbed {kill['undisturbed_s']} s, local "
          f"{kill['local_s']} s; undisturbed findings = local: {kill['undisturbed_same_as_local']}")
    for one in kill["kills"]:
        print(f"\nnode 1 killed {one['killed_at_s']} s into the run: {one['wall_s']} s "
              f"({one['ratio_to_undisturbed']:.2f}x undisturbed); {one['pages_tested']} pages audited, "
              f"{len(one['not_evaluated'])} not evaluated; sessions per node "
              f"{'/'.join(map(str, one['sessions_per_node']))}; findings = local: {one['same_as_local']}")
        for item in one["retried"]:
            print(f"- retried: {item['page']} ({item['attempts']} attempts, audited {item['audited']}): "
                  f"{item['reason']}")
        for item in one["not_evaluated"]:
            print(f"- not evaluated: {item['en']}")
        print("formats naming the retried pages: " + ", ".join(
            f"{fmt} {'yes' if ok else 'NO'}" for fmt, ok in one["formats_naming_the_retried_pages"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=60, help="ACT test cases audited (every n-th)")
    parser.add_argument("--kill-after", default="0.3,0.5,0.7",
                        help="kill a node after these shares of the undisturbed run's time, one run each ('': none)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared benchmarks folder (act-rules/)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.shared / "act-rules").is_dir() or missing():
        print(f"needs {args.shared}/act-rules and a local Selenium Grid ({missing() or 'it can start'})",
              file=sys.stderr)
        return 2
    root, files = act_sample(args.shared, args.pages)
    needs = needs_of(c for c in load_ruleset().checks.values() if c.target.value == "page")  # the default audit
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    started = time.perf_counter()
    with LocalGrid(nodes=2) as grid:
        grid_start = time.perf_counter() - started
        collect_service_pages([], files[:2], root, PageOptions(workers=2, remote_url=grid.url), needs)  # warm up
        runs = timed_rounds(grid, root, files, needs, args.rounds)
        load_middle = Path("/proc/loadavg").read_text().split()[:3]
        fractions = [float(share) for share in args.kill_after.split(",") if share]
        kill = killed_mid_run(grid, root, files, fractions) if fractions else None
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    summary: dict[str, Any] = {"pages": len(files), "rounds": args.rounds, "cpus": os.cpu_count(),
                               "grid_start_s": round(grid_start, 1), "loadavg": [load_before, load_middle, load_after]}
    print(f"{len(files)} ACT pages, every bundled page check, desktop + mobile, 2 workers, {args.rounds} rounds; "
          f"Grid (hub + 2 nodes) ready in "
          f"{grid_start:.0f} s; load average {' '.join(load_before)} -> {' '.join(load_middle)} (after the rounds) "
          f"-> {' '.join(load_after)}\n")
    print_rounds(runs, len(files), summary)
    if kill is not None:
        summary["node_killed"] = kill
        print_kill(kill)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
