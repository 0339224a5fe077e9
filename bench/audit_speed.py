"""End-to-end page-audit speed as users run it, side by side with an earlier commit.

    .venv/bin/python bench/audit_speed.py --compare REF [--rounds 5] [--pages 60] [--variant LABEL="ARGS" …]

Runs ``python -m guideline_lint audit FOLDER --workers 1 -q --format json`` on the first N ACT Rules test
cases (copied into one folder) with this checkout and with REF (a temporary git worktree), taking turns round by
round so all see the same machine load. Prints the median wall time of each and their ratio. ``--variant`` adds a
run of this checkout with further arguments (e.g. ``desktop="--viewports desktop"``: the work REF did, when REF
audited one viewport only).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_folder import ACT

ROOT = Path(__file__).resolve().parents[1]


def pages_folder(count: int, folder: Path) -> Path:
    """The first ``count`` ACT cases with the assets they link to, in a folder of their own."""
    cases = sorted((ACT / "cases").glob("*.html"))[:count]
    target = folder / "act"
    (target / "cases").mkdir(parents=True)
    for case in cases:
        shutil.copy2(case, target / "cases" / case.name)
    if (ACT / "test-assets").is_dir():
        shutil.copytree(ACT / "test-assets", target / "test-assets")
    return target / "cases"


def one_run(src: Path, pages: Path, out: Path, extra: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "guideline_lint", "audit", str(pages), "--workers", "1", "-q", "--format",
               "json", "--output", str(out), "--timeout", "15", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"audit under {src} exited {done.returncode}: {done.stderr[-1000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", required=True, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--variant", action="append", default=[], metavar='LABEL="ARGS"',
                        help="also run this checkout with these arguments")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="audit-speed-") as scratch:
        folder = Path(scratch)
        reference = folder / "ref"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(reference), args.compare],
                       check=True)
        try:
            pages = pages_folder(args.pages, folder)
            trees = {"current": (ROOT / "src", []), args.compare: (reference / "src", [])}
            for variant in args.variant:
                label, _, extra = variant.partition("=")
                trees[f"current, {label}"] = (ROOT / "src", extra.split())
            times: dict[str, list[float]] = {label: [] for label in trees}
            for _ in range(args.rounds):
                for index, (label, (src, extra)) in enumerate(trees.items()):
                    times[label].append(one_run(src, pages, folder / f"run-{index}.json", extra))
            for label, values in times.items():
                print(f"[{label}] audit of {args.pages} ACT pages: median {statistics.median(values):.2f} s "
                      f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)")
            for label in trees:
                if label != args.compare:
                    ratio = statistics.median(times[label]) / statistics.median(times[args.compare])
                    print(f"ratio {label} / {args.compare}: {ratio:.3f}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(reference)], check=False)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
