"""Page audits through a real Selenium Grid 4 against the local Chromium, side by side in one run (issue #14).

The 60 ACT test cases of pages_speed.py, every bundled page check, 2 workers, in interleaved rounds:
- local: Debian's Chromium and chromedriver on this machine;
- grid: a hub and two nodes on 127.0.0.1 (tests/local_grid.py, the jar of grid/package.json), DevTools through
  the hub (se:cdp);
- grid, WebDriver only: the same Grid with the DevTools connection refused, as a Grid without CDP (axe sent with
  every page, in the page's own world).

Each run opens its own sessions (their start is in the wall time). Prints medians over the rounds, the ratios to the
local run, whether the findings (axe violations and in-page results, page by page) equal the local ones, and the load
average before and after.

    PYTHONPATH=src .venv/bin/python bench/grid_speed.py [--rounds 3] [--shared ../shared/benchmarks] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
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
from local_grid import LocalGrid, missing  # noqa: E402  (tests/, put on the path above)

MODES = ("local", "grid", "grid_webdriver")


def act_sample(shared: Path, count: int = 60) -> tuple[Path, list[Path]]:
    """The 60 ACT test cases pages_speed.py audits (every n-th of the sorted cases)."""
    root = shared / "act-rules"
    files = sorted((root / "cases").glob("*.html"))
    return root, files[:: max(1, len(files) // count)][:count]


def results_of(pages: list[Any]) -> dict[str, Any]:
    """What each page gave, comparable between runs: axe violations (rule, selectors) and the in-page results."""
    return {page.url: {"error": page.error, "dom": page.dom,
                       "axe": {rule: sorted(str(node.get("selector")) for node in found.get("nodes", []))
                               for rule, found in (page.axe or {}).get("violations", {}).items()}}
            for page in pages}


def one_run(mode: str, grid: LocalGrid, root: Path, files: list[Path], needs: Any) -> dict[str, Any]:
    options = PageOptions(workers=2, page_timeout=30, remote_url=None if mode == "local" else grid.url)
    connect = DevTools.connect_grid
    if mode == "grid_webdriver":
        def refuse(*args: Any, **kwargs: Any) -> DevTools:
            raise OSError("DevTools refused for this benchmark (a Grid without CDP)")
        DevTools.connect_grid = refuse  # type: ignore[method-assign]
    try:
        before = grid.sessions_created()
        started = time.perf_counter()
        pages = collect_service_pages([], files, root, options, needs)
        wall = time.perf_counter() - started
        after = grid.sessions_created()
    finally:
        DevTools.connect_grid = connect  # type: ignore[method-assign]
    return {"wall_s": wall, "median_ms": statistics.median(p.timings["total_ms"] for p in pages),
            "errors": sum(1 for p in pages if p.error),
            "sessions_per_node": [b - a for a, b in zip(before, after, strict=True)], "results": results_of(pages)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared benchmarks folder (act-rules/)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.shared / "act-rules").is_dir() or missing():
        print(f"needs {args.shared}/act-rules and a local Selenium Grid ({missing() or 'it can start'})",
              file=sys.stderr)
        return 2
    root, files = act_sample(args.shared)
    needs = needs_of(c for c in load_ruleset().checks.values() if c.target.value == "page")  # the default audit
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    started = time.perf_counter()
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    with LocalGrid(nodes=2) as grid:
        grid_start = time.perf_counter() - started
        collect_service_pages([], files[:2], root, PageOptions(workers=2, remote_url=grid.url), needs)  # warm up
        for _ in range(args.rounds):
            for mode in MODES:
                runs[mode].append(one_run(mode, grid, root, files, needs))
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    local_wall = statistics.median(r["wall_s"] for r in runs["local"])
    reference = runs["local"][0]["results"]
    summary: dict[str, Any] = {"pages": len(files), "rounds": args.rounds, "cpus": os.cpu_count(),
                               "grid_start_s": round(grid_start, 1), "loadavg": [load_before, load_after]}
    print(f"{len(files)} ACT pages, 2 workers, {args.rounds} rounds; Grid (hub + 2 nodes) ready in {grid_start:.0f} s;"
          f" load average {' '.join(load_before)} -> {' '.join(load_after)}\n")
    print("| mode | wall s (median) | ms/page wall | median ms/page | vs local (wall) | errors | sessions per node "
          "| findings = local |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in MODES:
        wall = statistics.median(r["wall_s"] for r in runs[mode])
        median = statistics.median(r["median_ms"] for r in runs[mode])
        same = all(r["results"] == reference for r in runs[mode])
        sessions = " · ".join("/".join(str(n) for n in r["sessions_per_node"]) for r in runs[mode])
        errors = max(r["errors"] for r in runs[mode])
        summary[mode] = {"wall_s": [round(r["wall_s"], 2) for r in runs[mode]], "median_ms": round(median),
                         "ratio_to_local": round(wall / local_wall, 2), "errors": errors, "same_as_local": same,
                         "sessions_per_node": [r["sessions_per_node"] for r in runs[mode]]}
        print(f"| {mode} | {wall:.1f} | {wall * 1000 / len(files):.0f} | {median:.0f} | {wall / local_wall:.2f}x "
              f"| {errors} | {sessions} | {'yes' if same else 'no'} |")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
