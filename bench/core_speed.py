"""Core linter speed: cold start of `check --no-pages` and in-process throughput over generated manifests.

    .venv/bin/python bench/core_speed.py [--runs 15] [--manifests 1000] [--compare GIT-REF …] [--instructions]

With ``--compare`` the same measurements run for an earlier commit too (checked out in a temporary worktree),
interleaved run by run so both see the same machine load; quote the ratio. Each tree checks its own copy of
examples/sample-service (an earlier commit may not accept today's manifest), from its own root as working folder,
with a parse cache of its own in a temporary folder (other processes on the machine cannot prune it).
``--instructions`` also counts the instructions of one cold check per tree with valgrind's callgrind: a figure
the machine's load does not change. Prints figures and writes nothing else; copy them into docs/benchmarks.md
with the machine.
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
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("examples") / "sample-service"  # in each tree measured
CACHE = Path(tempfile.gettempdir())  # replaced by a folder of the run's own in main()


def environment(src: Path) -> dict[str, str]:
    # As installed from a wheel: bytecode compiled once (some shells set PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "GUIDELINE_LINT_NO_CACHE")}
    env["PYTHONPATH"] = str(src)
    env["XDG_CACHE_HOME"] = str(CACHE)
    return env


def check_command(src: Path) -> list[str]:
    return [sys.executable, "-m", "guideline_lint", "check", str(src.parent / EXAMPLE), "--no-pages", "--format",
            "json"]


def cold_runs(runs: int, trees: dict[str, Path]) -> dict[str, list[float]]:
    """Wall time of `python -m guideline_lint check … --no-pages` per tree, the trees taking turns."""
    for src in trees.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], env=environment(src), check=True,
                       capture_output=True)
        subprocess.run(check_command(src), capture_output=True, check=False, env=environment(src),
                       cwd=src.parent)  # warm caches
    times: dict[str, list[float]] = {label: [] for label in trees}
    for _ in range(runs):
        for label, src in trees.items():
            start = time.perf_counter()
            result = subprocess.run(check_command(src), capture_output=True, check=False, env=environment(src),
                                    cwd=src.parent)
            times[label].append(time.perf_counter() - start)
            if result.returncode not in (0, 1):
                raise SystemExit(result.stderr.decode())
    return times


def instructions(src: Path) -> int | None:
    """Instructions of one cold check (the caches warm), counted by callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *check_command(src)],
                       capture_output=True, check=False, env=environment(src), cwd=src.parent)
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1])
    return None


def generated_services(count: int, folder: Path, src: Path) -> list[Path]:
    """Copies of the tree's example with varied values, so each manifest is parsed and judged afresh."""
    example = src.parent / EXAMPLE
    text = (example / "digital-service.yaml").read_text(encoding="utf-8")
    services = []
    for index in range(count):
        target = folder / f"svc-{index:04d}"
        shutil.copytree(example, target, ignore=shutil.ignore_patterns("site", "data"))
        variant = text.replace("tokyo-example-permit", f"tokyo-example-{index:04d}")
        variant = variant.replace("incident_first_report_hours: 3", f"incident_first_report_hours: {index % 6}")
        variant = variant.replace("value: 12, target: 20", f"value: {index % 40}, target: 20")
        (target / "digital-service.yaml").write_text(variant, encoding="utf-8")
        services.append(target)
    return services


def in_process(services: list[Path]) -> tuple[float, int]:
    try:
        from guideline_lint.pipeline import RunOptions, evaluate_targets
        from guideline_lint.targets import service_targets

        def check(path: Path) -> Any:
            return evaluate_targets(service_targets(path), RunOptions(no_pages=True, today=date(2026, 11, 26)))
    except ImportError:  # a commit from before the one pipeline (--compare)
        from guideline_lint.runner import CheckOptions, check_service  # type: ignore[import-not-found]

        def check(path: Path) -> Any:
            return check_service(CheckOptions(path=path, no_pages=True, today=date(2026, 11, 26)))

    failed = 0
    start = time.perf_counter()
    for service in services:
        report = check(service)
        failed += not report.gate.passed
    return time.perf_counter() - start, failed


def in_process_child(folder: Path) -> None:
    """Runs in a child process whose PYTHONPATH names the tree to measure."""
    services = sorted(path for path in folder.iterdir() if path.is_dir())
    in_process(services[:20])  # load checks and rulesets once, as a long-running caller would
    elapsed, failed = in_process(services)
    print(f"{elapsed} {failed}")


def in_process_runs(trees: dict[str, Path], folders: dict[str, Path],
                    rounds: int) -> dict[str, list[tuple[float, int]]]:
    results: dict[str, list[tuple[float, int]]] = {label: [] for label in trees}
    for _ in range(rounds):
        for label, src in trees.items():
            output = subprocess.run([sys.executable, __file__, "--child", str(folders[label])], env=environment(src),
                                    capture_output=True, text=True, check=True).stdout.split()
            results[label].append((float(output[0]), int(output[1])))
    return results


def worktree(ref: str, folder: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder), ref], check=True)
    return folder / "src"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--manifests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2, help="in-process rounds per tree")
    parser.add_argument("--compare", metavar="GIT-REF", action="append", default=[],
                        help="measure this commit side by side (repeatable)")
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind too")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        in_process_child(args.child)
        return
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    global CACHE
    with tempfile.TemporaryDirectory() as scratch:
        CACHE = Path(scratch) / "cache"
        trees = {"current": ROOT / "src"}
        for index, ref in enumerate(args.compare):
            trees[ref] = worktree(ref, Path(scratch) / f"compare-{index}")
        try:
            times = cold_runs(args.runs, trees)
            for label, values in times.items():
                print(f"[{label}] cold `check examples/sample-service --no-pages`: median "
                      f"{statistics.median(values) * 1000:.0f} ms, min {min(values) * 1000:.0f} ms, "
                      f"max {max(values) * 1000:.0f} ms over {len(values)} runs")
            if args.instructions:
                for label, src in trees.items():
                    count = instructions(src)
                    print(f"[{label}] instructions of one cold check (callgrind): "
                          + (f"{count / 1e9:.3f} G" if count else "valgrind not found"))
            folders = {label: Path(scratch) / f"services-{index}" for index, label in enumerate(trees)}
            for label, src in trees.items():
                folders[label].mkdir()
                generated_services(args.manifests, folders[label], src)
            for label, results in in_process_runs(trees, folders, args.rounds).items():
                best = min(elapsed for elapsed, _ in results)
                print(f"[{label}] in-process: {args.manifests} manifests in {best:.2f} s (best of {len(results)}) "
                      f"= {args.manifests / best:.0f} manifests/s ({results[0][1]} gated as failing)")
        finally:
            for index in range(len(args.compare)):
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(Path(scratch) / f"compare-{index}")], check=False)
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
