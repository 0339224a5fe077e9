"""Cost of the mobile viewport (issue #14): the same pages audited at the desktop viewport only and at desktop and
mobile, taking turns round by round on one browser session (1 worker), every bundled page check.

Sets: 60 ACT test cases and 60 local pages (WAI BAD x 6), as ``bench/pages_speed.py``.

    .venv/bin/python bench/viewport_speed.py [--rounds 3] [--json out.json]
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

from pages_speed import SHARED, act_sample, local_site

MODES = {"desktop": ("desktop",), "desktop+mobile": ("desktop", "mobile")}


def one_run(root: Path, files: list[Path], viewports: tuple[str, ...], pool: Any, needs: Any) -> dict[str, Any]:
    from guideline_lint.collect.pages import PageOptions, collect_service_pages

    options = PageOptions(workers=1, page_timeout=15, viewports=viewports)
    started = time.perf_counter()
    pages = collect_service_pages([], files, root, options, needs, pool=pool)
    wall = time.perf_counter() - started
    views = [page.views["mobile"] for page in pages if "mobile" in page.views]
    differ = sum(1 for page in pages if "mobile" in page.views and page.views["mobile"].axe is not None
                 and _violations(page.views["mobile"].axe) != _violations(page.axe or {}))
    return {"wall_ms_per_page": wall * 1000 / len(files),
            "median_page_ms": statistics.median(p.timings.get("total_ms", 0.0) for p in pages),
            "mobile_pass_median_ms": statistics.median(v.timings.get("total_ms", 0.0) for v in views) if views else 0,
            "errors": sum(1 for p in pages if p.error), "view_errors": sum(1 for v in views if v.error),
            "pages_where_mobile_differs": differ}


def _violations(axe: dict[str, Any]) -> dict[str, list[str]]:
    return {rule: sorted(n["selector"] for n in found["nodes"]) for rule, found in axe.get("violations", {}).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"benchmarks not found at {SHARED}", file=sys.stderr)
        return 2
    from guideline_lint.browser import SessionPool
    from guideline_lint.collect.pages import PageOptions, browser_options
    from guideline_lint.kinds import needs_of
    from guideline_lint.loading import load_ruleset

    needs = needs_of(c for c in load_ruleset().checks.values() if c.target.value == "page")  # the default audit
    results: dict[str, Any] = {"cpus": os.cpu_count(), "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as temp, SessionPool(browser_options(PageOptions(page_timeout=15)), 1) as pool:
        sets = {"act60": act_sample(), "local60": local_site(Path(temp))}
        for name, (root, files) in sets.items():
            one_run(root, files[:5], MODES["desktop+mobile"], pool, needs)  # warm the browser and the caches
            runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
            for round_ in range(args.rounds):
                order = list(MODES) if round_ % 2 == 0 else list(reversed(MODES))
                for mode in order:
                    runs[mode].append(one_run(root, files, MODES[mode], pool, needs))
            row = {mode: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
                   for mode, rows in runs.items()}
            row["ratio_wall"] = row["desktop+mobile"]["wall_ms_per_page"] / row["desktop"]["wall_ms_per_page"]
            row["ratio_median_page"] = row["desktop+mobile"]["median_page_ms"] / row["desktop"]["median_page_ms"]
            results[name] = row
    results["load_after"] = os.getloadavg()
    print(f"load average before {results['load_before'][0]:.1f}, after {results['load_after'][0]:.1f}; "
          f"{args.rounds} rounds, medians")
    print("| pages | desktop: wall ms/page (median ms/page) | desktop + mobile: wall ms/page (median ms/page) "
          "| mobile pass: median ms | ratio wall (median page) | pages whose mobile axe violations differ |")
    print("|---|---|---|---|---|---|")
    for name in ("act60", "local60"):
        r = results[name]
        d, m = r["desktop"], r["desktop+mobile"]
        print(f"| {name} | {d['wall_ms_per_page']:.0f} ({d['median_page_ms']:.0f}) | {m['wall_ms_per_page']:.0f} "
              f"({m['median_page_ms']:.0f}) | {m['mobile_pass_median_ms']:.0f} | {r['ratio_wall']:.2f}× "
              f"({r['ratio_median_page']:.2f}×) | {m['pages_where_mobile_differs']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
