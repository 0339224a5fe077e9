"""Speed of page audits, side by side in one run, on 60 ACT test cases and on 60 local pages (WAI BAD x 6).

Modes:
- guideline-lint, 1 worker and 2 workers: every bundled page check (axe preloaded once per session through
  DevTools, one script per page for axe and the in-page checks, HTTP facts by urllib);
- plain reused session: one browser, axe-selenium-python ``inject()`` + ``run()`` per page (default rules);
- browser per page: a new Chromium for every page, as in axe-selenium-python's README (first 20 pages).

    .venv/bin/python bench/pages_speed.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from shared_folder import BENCHMARKS as SHARED

ROOT = Path(__file__).resolve().parents[1]
NAIVE_PAGES = 20


def act_sample(count: int = 60) -> tuple[Path, list[Path]]:
    root = SHARED / "act-rules"
    files = sorted((root / "cases").glob("*.html"))
    step = max(1, len(files) // count)
    return root, files[::step][:count]


def local_site(folder: Path, copies: int = 6) -> tuple[Path, list[Path]]:
    """60 local pages: the WAI BAD demo's 10 pages, copied 6 times (each copy a distinct URL)."""
    bad = SHARED / "wai-bad"
    pages: list[Path] = []
    for n in range(copies):
        site = folder / f"copy{n}"
        shutil.copytree(bad, site)
        pages += sorted(site.glob("before/*.html")) + sorted(site.glob("after/*.html"))
    return folder, pages


def guideline_lint(root: Path, files: list[Path], workers: int) -> dict[str, Any]:
    from guideline_lint.collect.pages import PageOptions, collect_service_pages
    from guideline_lint.kinds import needs_of
    from guideline_lint.loading import load_ruleset

    needs = needs_of(c for c in load_ruleset().checks.values() if c.target.value == "page")  # the default audit
    started = time.perf_counter()
    pages = collect_service_pages([], files, root, PageOptions(workers=workers, page_timeout=15), needs)
    wall = time.perf_counter() - started
    per_page = [p.timings["total_ms"] for p in pages if "total_ms" in p.timings]
    parts = {part: statistics.median([p.timings.get(part, 0.0) for p in pages])
             for part in ("load_ms", "audit_ms", "axe_ms", "scripts_ms")}
    return {"wall_s": wall, "median_ms": statistics.median(per_page), "wall_per_page_ms": wall * 1000 / len(files),
            "errors": sum(1 for p in pages if p.error), "parts_median_ms": parts}


def plain_reused(root: Path, files: list[Path]) -> dict[str, Any]:
    from axe_selenium_python import Axe

    from guideline_lint.browser import BrowserOptions, Session
    from guideline_lint.collect.static_server import StaticServer

    times = []
    started = time.perf_counter()
    session = Session(BrowserOptions(page_timeout=15)).start()
    try:
        with StaticServer(root) as server:
            for path in files:
                t0 = time.perf_counter()
                session.driver.get(server.url_for(path))
                axe = Axe(session.driver)
                axe.inject()
                axe.run()
                times.append((time.perf_counter() - t0) * 1000)
    finally:
        session.quit()
    wall = time.perf_counter() - started
    return {"wall_s": wall, "median_ms": statistics.median(times), "wall_per_page_ms": wall * 1000 / len(files)}


def browser_per_page(root: Path, files: list[Path]) -> dict[str, Any]:
    from axe_selenium_python import Axe

    from guideline_lint.browser import BrowserOptions, Session
    from guideline_lint.collect.static_server import StaticServer

    times = []
    with StaticServer(root) as server:
        for path in files[:NAIVE_PAGES]:
            t0 = time.perf_counter()
            session = Session(BrowserOptions(page_timeout=15)).start()
            try:
                session.driver.get(server.url_for(path))
                axe = Axe(session.driver)
                axe.inject()
                axe.run()
            finally:
                session.quit()
            times.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": statistics.median(times), "pages": len(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"benchmarks not found at {SHARED}", file=sys.stderr)
        return 2
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                           "platform": platform.platform()}}
    with tempfile.TemporaryDirectory() as temp:
        sets = {"act60": act_sample(), "local60": local_site(Path(temp))}
        for name, (root, files) in sets.items():
            row: dict[str, Any] = {"pages": len(files)}
            row["gl_1"] = guideline_lint(root, files, 1)
            row["gl_2"] = guideline_lint(root, files, 2)
            row["plain_reused"] = plain_reused(root, files)
            row["browser_per_page"] = browser_per_page(root, files)
            row["speedup_2_workers"] = row["gl_1"]["wall_s"] / row["gl_2"]["wall_s"]
            row["vs_browser_per_page"] = row["browser_per_page"]["median_ms"] / row["gl_1"]["median_ms"]
            results[name] = row
    print("| pages | guideline-lint 1 worker: median ms/page (wall ms/page) | 2 workers: wall ms/page (speed-up) "
          "| plain reused session: median ms/page | browser per page: median ms/page (ratio) |")
    print("|---|---|---|---|---|")
    for name in ("act60", "local60"):
        r = results[name]
        print(f"| {name} | {r['gl_1']['median_ms']:.0f} ({r['gl_1']['wall_per_page_ms']:.0f}) "
              f"| {r['gl_2']['wall_per_page_ms']:.0f} ({r['speedup_2_workers']:.2f}x) "
              f"| {r['plain_reused']['median_ms']:.0f} | {r['browser_per_page']['median_ms']:.0f} "
              f"({r['vs_browser_per_page']:.1f}x) |")
    print("\nguideline-lint, 1 worker, medians per page (ms): load (with axe preloaded) / whole audit script / "
          "axe.run / in-page checks")
    for name in ("act60", "local60"):
        parts = results[name]["gl_1"]["parts_median_ms"]
        print(f"- {name}: {parts['load_ms']:.0f} / {parts['audit_ms']:.0f} / {parts['axe_ms']:.0f} / "
              f"{parts['scripts_ms']:.0f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
