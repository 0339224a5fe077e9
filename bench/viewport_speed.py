"""Cost of the mobile viewport (issue #14): the same pages audited at the desktop viewport only and at desktop and
mobile, taking turns page by page (the order swapped every other page and round) on one browser session (1 worker),
every bundled page check. Paired per page, so a busy machine's swings hit both alike.

Sets: 60 ACT test cases and 60 local pages (WAI BAD x 6), as ``bench/pages_speed.py``.

    .venv/bin/python bench/viewport_speed.py [--rounds 2] [--sets act60,local60] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from pages_speed import act_sample, local_site
from shared_folder import BENCHMARKS as SHARED

MODES = {"desktop": ("desktop",), "desktop+mobile": ("desktop", "mobile")}


def one_page(root: Path, path: Path, viewports: tuple[str, ...], pool: Any, needs: Any) -> Any:
    from guideline_lint.collect.pages import PageOptions, collect_service_pages

    options = PageOptions(workers=1, page_timeout=30, viewports=viewports)
    return collect_service_pages([], [path], root, options, needs, pool=pool)[0]


def summary(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    ok = [(a, b) for a, b in pairs if not a.error and not b.error]
    one = [a.timings["total_ms"] for a, _ in ok]
    two = [b.timings["total_ms"] for _, b in ok]
    views = [b.views["mobile"] for _, b in ok if "mobile" in b.views]
    return {"pairs": len(ok), "errors": len(pairs) - len(ok), "view_errors": sum(1 for v in views if v.error),
            "desktop_median_ms": statistics.median(one), "both_median_ms": statistics.median(two),
            "desktop_total_ms": sum(one), "both_total_ms": sum(two),
            "mobile_pass_median_ms": statistics.median(v.timings.get("total_ms", 0.0) for v in views),
            "ratio_of_medians": statistics.median(two) / statistics.median(one),
            "ratio_of_totals": sum(two) / sum(one),
            "median_of_ratios": statistics.median(b / a for a, b in zip(one, two, strict=True)),
            "pages_where_mobile_differs": sum(1 for _, b in ok if "mobile" in b.views and b.views["mobile"].axe
                                              and _violations(b.views["mobile"].axe) != _violations(b.axe or {}))}


def _violations(axe: dict[str, Any]) -> dict[str, list[str]]:
    return {rule: sorted(n["selector"] for n in found["nodes"]) for rule, found in axe.get("violations", {}).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sets", default="act60,local60")
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
    with tempfile.TemporaryDirectory() as temp, SessionPool(browser_options(PageOptions(page_timeout=30)), 1) as pool:
        wanted = args.sets.split(",")
        sets = {"act60": act_sample(), "local60": local_site(Path(temp))}
        sets = {name: found for name, found in sets.items() if name in wanted}
        for name, (root, files) in sets.items():
            for path in files[:3]:  # warm the browser and the caches
                one_page(root, path, MODES["desktop+mobile"], pool, needs)
            pairs: list[tuple[Any, Any]] = []
            for round_ in range(args.rounds):
                for i, path in enumerate(files):
                    if (i + round_) % 2 == 0:
                        a = one_page(root, path, MODES["desktop"], pool, needs)
                        b = one_page(root, path, MODES["desktop+mobile"], pool, needs)
                    else:
                        b = one_page(root, path, MODES["desktop+mobile"], pool, needs)
                        a = one_page(root, path, MODES["desktop"], pool, needs)
                    pairs.append((a, b))
            results[name] = summary(pairs)
    results["load_after"] = os.getloadavg()
    print(f"load average before {results['load_before'][0]:.1f}, after {results['load_after'][0]:.1f}; "
          f"{args.rounds} rounds; per page: HTTP facts, load, audit (and the mobile pass)")
    print("| pages | desktop: median ms/page | desktop + mobile: median ms/page | mobile pass: median ms "
          "| ratio of medians | of totals | median of per-page ratios | pages whose mobile axe violations differ |")
    print("|---|---|---|---|---|---|---|---|")
    for name in [n for n in ("act60", "local60") if n in results]:
        r = results[name]
        print(f"| {name} ({r['pairs']} pairs, {r['errors']} with an error) | {r['desktop_median_ms']:.0f} "
              f"| {r['both_median_ms']:.0f} | {r['mobile_pass_median_ms']:.0f} | {r['ratio_of_medians']:.2f}× "
              f"| {r['ratio_of_totals']:.2f}× | {r['median_of_ratios']:.2f}× "
              f"| {r['pages_where_mobile_differs'] / args.rounds:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
