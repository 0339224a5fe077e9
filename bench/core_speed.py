"""Core linter speed: cold start of `check --no-pages` and in-process throughput over generated manifests.

    .venv/bin/python bench/core_speed.py [--runs 15] [--manifests 1000]

Prints medians and writes nothing else; copy the figures into docs/benchmarks.md with the machine.
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

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sample-service"


def cold_runs(runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("guideline-lint")
    command = [str(exe), "check", str(EXAMPLE), "--no-pages", "--format", "json"]
    # As installed from a wheel: bytecode compiled once (some shells set PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=env, check=True,
                   capture_output=True)
    subprocess.run(command, capture_output=True, check=False, env=env)  # warm the file and parse caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(result.stderr.decode())
    return times


def generated_services(count: int, folder: Path) -> list[Path]:
    """Copies of the example with varied values, so each manifest is parsed and judged afresh."""
    text = (EXAMPLE / "digital-service.yaml").read_text(encoding="utf-8")
    services = []
    for index in range(count):
        target = folder / f"svc-{index:04d}"
        shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("site", "data"))
        variant = text.replace("tokyo-example-permit", f"tokyo-example-{index:04d}")
        variant = variant.replace("incident_first_report_hours: 3", f"incident_first_report_hours: {index % 6}")
        variant = variant.replace("value: 12, target: 20", f"value: {index % 40}, target: 20")
        (target / "digital-service.yaml").write_text(variant, encoding="utf-8")
        services.append(target)
    return services


def in_process(services: list[Path]) -> tuple[float, int]:
    from guideline_lint.runner import CheckOptions, check_service

    failed = 0
    start = time.perf_counter()
    for service in services:
        report = check_service(CheckOptions(path=service, no_pages=True, today=date(2026, 11, 26)))
        failed += not report.gate.passed
    return time.perf_counter() - start, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--manifests", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    times = cold_runs(args.runs)
    print(f"cold `check examples/sample-service --no-pages`: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {len(times)} runs")
    with tempfile.TemporaryDirectory() as folder:
        services = generated_services(args.manifests, Path(folder))
        in_process(services[:20])  # load checks and rulesets once, as a long-running caller would
        elapsed, failed = in_process(services)
    print(f"in-process: {len(services)} manifests in {elapsed:.2f} s = {len(services) / elapsed:.0f} manifests/s "
          f"({failed} gated as failing)")


if __name__ == "__main__":
    main()
