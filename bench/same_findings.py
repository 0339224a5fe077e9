"""Do two commits report the same thing? Runs `check` on the example service and `audit` on the WAI BAD pages
and the ACT Rules cases with the code of this checkout and with an earlier commit (a git worktree), then
compares the JSON reports with run-dependent values (timestamps, timings) blanked.

    .venv/bin/python bench/same_findings.py --compare cef9c33 [--only example|wai|act] [--keep DIR]

Prints, per target, "identical" or the differing findings (check, subject, status before → after), and
writes both normalised reports to DIR for a closer look.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from shared_folder import SHARED

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK_PORT = re.compile(r"127\.0\.0\.1:\d+")
RUN_DEPENDENT = {"generated_at", "timings", "seconds", "duration_ms"}


def targets() -> dict[str, list[str]]:
    act = SHARED / "benchmarks" / "act-rules" / "cases"
    wai = SHARED / "benchmarks" / "wai-bad"
    return {
        "example": ["check", str(ROOT / "examples" / "sample-service")],
        "example-no-pages": ["check", str(ROOT / "examples" / "sample-service"), "--no-pages"],
        "wai": ["audit", str(wai / "before"), str(wai / "after")],
        "act": ["audit", str(act), "--max-pages", "2000", "--timeout", "15"],
    }


def run(source: Path, args: list[str], out: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    command = [sys.executable, "-m", "guideline_lint", *args, "--format", "json", "--output", str(out), "--quiet"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} under {source}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return normalise(json.loads(out.read_text(encoding="utf-8")))


def normalise(value: Any) -> Any:
    if isinstance(value, str):
        return LOOPBACK_PORT.sub("127.0.0.1:PORT", value)  # local pages are served on a new port each run
    if isinstance(value, dict):
        return {k: ("…" if k in RUN_DEPENDENT else normalise(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def finding_key(finding: dict[str, Any]) -> tuple[str, str, str]:
    location = finding.get("location") or {}
    return (finding["check_id"], str(finding.get("subject") or location.get("url") or location.get("file") or ""),
            str(location.get("selector") or location.get("path") or location.get("line") or ""))


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    old = {finding_key(f): f for f in before.get("findings", [])}
    new = {finding_key(f): f for f in after.get("findings", [])}
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None or b is None:
            lines.append(f"  {'+' if a is None else '-'} {key} {(b or a)['status']}")
        else:
            fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            lines.append(f"  ~ {key} {a['status']} → {b['status']} ({', '.join(fields)})")
    for field in sorted((before.keys() | after.keys()) - {"findings"}):
        if before.get(field) != after.get(field):
            lines.append(f"  report field differs: {field}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", required=True, help="the earlier commit")
    parser.add_argument("--only", action="append", choices=sorted(targets()), help="only these targets")
    parser.add_argument("--keep", type=Path, help="write the normalised reports here")
    args = parser.parse_args()
    keep = args.keep or Path(tempfile.mkdtemp(prefix="same-findings-"))
    keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="same-findings-ref-") as folder:
        reference = Path(folder) / "ref"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(reference), args.compare],
                       check=True)
        try:
            for name, command in targets().items():
                if args.only and name not in args.only:
                    continue
                before = run(reference, command, keep / f"{name}-before.json")
                after = run(ROOT, command, keep / f"{name}-after.json")
                for side, report in (("before", before), ("after", after)):
                    (keep / f"{name}-{side}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1,
                                                                         sort_keys=True), encoding="utf-8")
                lines = compare(before, after)
                counts = len(before.get("findings", [])), len(after.get("findings", []))
                print(f"{name}: {'identical' if not lines else f'{len(lines)} differences'} "
                      f"({counts[0]} → {counts[1]} findings)")
                print("\n".join(lines[:200]))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(reference)], check=False)
    print(f"normalised reports in {keep}")


if __name__ == "__main__":
    main()
