"""Speed and findings of the open-data checks, side by side with `frictionless validate`.

    .venv/bin/python bench/data_speed.py [--size-mib 500] [--frictionless PATH/TO/frictionless]

1. Generates a CSV of --size-mib MiB (10 columns like a 自治体標準オープンデータセット file, a few
   problems sprinkled in) and times, each in its own process with its peak RSS taken from wait4():
   a bare ``csv.reader`` loop (the floor), guideline-lint's collector (every data check's facts) and
   ``frictionless validate``. Medians of --repeat runs (frictionless runs once: it is slow).
2. Runs both tools on small problem files and says which problems each one finds.

frictionless is not a project dependency: install it in a venv of its own
(``python3 -m venv fl-venv && fl-venv/bin/pip install frictionless``) and pass ``--frictionless
fl-venv/bin/frictionless``; without it, the one on PATH is used, or its columns are left out.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_folder import SHARED

HEADER = "全国地方公共団体コード,ID,名称,住所,緯度,経度,人数,金額,開始日,備考\n"
# (cell text, column) written once every PROBLEM_EVERY rows: what both tools should notice.
SPRINKLED = [("\"1,200\"", 6), ("90人", 6), ("令和5年4月1日", 8), ("㈱東京", 2), ("2023/4/1", 8), ("ｶﾅ", 9)]
PROBLEM_EVERY = 250_000


def generate(path: Path, size_mib: int, quoted: bool = False) -> None:
    if path.exists() and path.stat().st_size >= size_mib * 2**20:
        return
    rng = random.Random(4)
    target = size_mib * 2**20
    written = 0
    i = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        while written < target:
            lines = []
            for _ in range(10_000):
                i += 1
                address = f"東京都千代田区九段南{i % 4 + 1}丁目{i % 30 + 1}番"
                cells = ["131016", str(i), f"千代田区立施設{i % 5000}", address,
                         f"35.{rng.randrange(10**6):06d}", f"139.{rng.randrange(10**6):06d}", str(rng.randrange(500)),
                         str(rng.randrange(10**7)), f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "バリアフリー対応"]
                if i % PROBLEM_EVERY == 0:
                    text, column = SPRINKLED[(i // PROBLEM_EVERY) % len(SPRINKLED)]
                    cells[column] = text
                if quoted:  # every field quoted, as many exporters write them
                    cells = [c if c.startswith('"') else f'"{c}"' for c in cells]
                lines.append(",".join(cells) + "\n")
            block = "".join(lines)
            out.write(block)
            written += len(block.encode())


# --------------------------------------------------------------------------- child processes


def child(mode: str, path: str) -> None:
    started = time.perf_counter()
    result: dict[str, object] = {}
    if mode == "bare":
        with open(path, encoding="utf-8", newline="") as handle:
            result["rows"] = sum(1 for _ in csv.reader(handle))
    else:
        from guideline_lint.collect.data import scan_file
        from guideline_lint.kinds.data.rules import judge

        facts = scan_file(Path(path))  # read and profile (collector), then every problem rule (judge)
        result["problems"] = {name: log.count for facts_ in facts for name, log in judge(facts_).items() if log.count}
        result["encoding"] = facts[0].encoding_label
        result["rows"] = sum(f.records for f in facts)
    result["seconds"] = time.perf_counter() - started
    print(json.dumps(result, ensure_ascii=False))


class Measure:
    """Wall and CPU seconds and peak RSS of one child process (from wait4)."""

    def __init__(self, wall: float, cpu: float, rss_mib: float) -> None:
        self.wall, self.cpu, self.rss = wall, cpu, rss_mib


def run(command: list[str], cwd: Path | None = None) -> tuple[Measure, str]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd)
    assert process.stdout is not None
    output = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    measure = Measure(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    return measure, output.decode("utf-8", "replace")


def ours(mode: str, path: Path) -> tuple[Measure, dict[str, object]]:
    measure, out = run([sys.executable, __file__, "--child", mode, str(path)])
    return measure, json.loads(out)


def frictionless(tool: str, path: Path) -> tuple[Measure, dict[str, object]]:
    # frictionless refuses absolute paths outside the working directory ("not safe"): run it there.
    measure, out = run([tool, "validate", "--json", path.name], cwd=path.parent)
    seconds = measure
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        return seconds, {"valid": None, "errors": [out.strip()[:200]]}
    errors = [e.get("type") for task in report.get("tasks", []) for e in task.get("errors", [])]
    errors += [e.get("type") for e in report.get("errors", [])]
    return seconds, {"valid": report.get("valid"), "errors": errors}


# --------------------------------------------------------------------------- problem files


PROBLEM_FILES: dict[str, tuple[str, str, str]] = {
    # name: (content, encoding, what a machine-readability review expects)
    "shift_jis.csv": ("名称,人数\n図書館,10\n公園,5\n", "cp932", "encoding Shift_JIS"),
    "thousands_units.csv": ("名称,人数,金額\nA,\"1,200\",100\nB,90人,200\nC,5,300\nD,7,400\n", "utf-8",
                            "numbers written as 1,200 / 90人"),
    "fullwidth_digits.csv": ("名称,人数\nA,１２\nB,3\nC,4\n", "utf-8", "full-width digits"),
    "wareki.csv": ("名称,開始日\nA,令和5年4月1日\nB,R5.4.1\nC,H30.10.1\n", "utf-8", "和暦 dates"),
    "slash_dates.csv": ("名称,開始日\nA,2023/4/1\nB,2023/5/1\n", "utf-8", "dates not ISO 8601"),
    "machine_dependent.csv": ("名称,備考\n㈱東京,第①期\nｶﾅ,Ⅱ\n", "utf-8", "machine-dependent characters"),
    "title_row.csv": ("施設一覧（令和5年4月1日現在）,,\n名称,住所,人数\nA,千代田区,1\n", "utf-8",
                      "title row above header"),
    "ragged.csv": ("名称,金額\nA,1,200\nB,300\n", "utf-8", "unquoted comma: extra field"),
    "blank_row.csv": ("名称,人数\nA,1\n,\nB,2\n", "utf-8", "blank layout row"),
    "duplicate_header.csv": ("地域,人口,人口\n,男,女\n千代田区,1,2\n", "utf-8", "two header rows, duplicate names"),
    "notes_row.csv": ("名称,住所,人数\nA,千代田区,1\n※人数は4月1日現在,,\n", "utf-8", "notes row under the table"),
}


def compare(tool: str | None, folder: Path) -> list[tuple[str, str, str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, (content, encoding, expected) in PROBLEM_FILES.items():
        path = folder / name
        path.write_bytes(content.encode(encoding))
        _, mine = ours("scan", path)
        problems = mine["problems"]
        assert isinstance(problems, dict)
        found = sorted(problems)
        if mine.get("encoding") not in ("UTF-8", "UTF-8 (BOM)"):
            found.insert(0, f"encoding={mine['encoding']}")
        if tool:
            _, theirs = frictionless(tool, path)
            errors = theirs.get("errors") or []
            assert isinstance(errors, list)
            other = ", ".join(sorted({str(e) for e in errors})) or "valid (nothing found)"
        else:
            other = "(not run)"
        rows.append((name, expected, ", ".join(found) or "nothing", other))
    return rows


def realworld(tool: str | None, folder: Path) -> list[tuple[str, str, str]]:
    """Both tools on every CSV under ``folder`` (the real files in ../shared/realworld)."""
    rows = []
    for path in sorted(folder.glob("*/*.csv")):
        _, mine = ours("scan", path)
        problems = mine["problems"]
        assert isinstance(problems, dict)
        found = [f"{name} {count}" for name, count in sorted(problems.items())]
        if mine.get("encoding") not in ("UTF-8", "UTF-8 (BOM)"):
            found.insert(0, f"encoding={mine['encoding']}")
        other = "(not run)"
        if tool:
            _, theirs = frictionless(tool, path)
            errors = theirs.get("errors") or []
            assert isinstance(errors, list)
            counts: dict[str, int] = {}
            for error in errors:
                counts[str(error)] = counts.get(str(error), 0) + 1
            other = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "valid (nothing found)"
        rows.append((path.relative_to(folder).as_posix(), ", ".join(found) or "nothing", other))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "guideline-lint-bench")
    parser.add_argument("--frictionless", default=shutil.which("frictionless") or "",
                        help="the frictionless CLI (default: the one on PATH)")
    parser.add_argument("--realworld", type=Path, default=SHARED / "realworld")
    parser.add_argument("--quoted", action="store_true", help="quote every field of the generated file")
    parser.add_argument("--no-frictionless-speed", action="store_true", help="skip the slow frictionless timing")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    tool = args.frictionless if args.frictionless and Path(args.frictionless).exists() else None
    args.workdir.mkdir(parents=True, exist_ok=True)
    big = args.workdir / f"speed-{args.size_mib}mib{'-quoted' if args.quoted else ''}.csv"
    generate(big, args.size_mib, args.quoted)
    mib = big.stat().st_size / 2**20
    kind = "every field quoted" if args.quoted else "unquoted fields"
    print(f"# data checks benchmark — {mib:.0f} MiB CSV ({kind}), {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}\n")
    print("| reader | wall s (median) | CPU s (median) | MiB/s by CPU | MiB/s by wall | peak RSS MiB | problems |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, mode in (("bare csv.reader loop", "bare"), ("guideline-lint data collector", "scan")):
        runs = [ours(mode, big) for _ in range(args.repeat)]
        wall = statistics.median(m.wall for m, _ in runs)
        cpu = statistics.median(m.cpu for m, _ in runs)
        rss = max(m.rss for m, _ in runs)
        found = runs[0][1].get("problems", "—")
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {mib / cpu:.1f} | {mib / wall:.1f} | {rss:.0f} | {found} |")
    if tool and not args.no_frictionless_speed:
        measure, result = frictionless(tool, big)
        print(f"| frictionless validate | {measure.wall:.2f} | {measure.cpu:.2f} | {mib / measure.cpu:.1f} | "
              f"{mib / measure.wall:.1f} | {measure.rss:.0f} | "
              f"valid={result['valid']} errors={sorted(set(map(str, result['errors'])))} |")
    print(f"\nload average after the timings: {os.getloadavg()[0]:.1f} (2 CPUs shared with other work)")
    print(f"\n{len(SPRINKLED)} kinds of problems are sprinkled in, one every {PROBLEM_EVERY:,} rows.\n")
    print("| problem file | expected | guideline-lint finds | frictionless finds |")
    print("|---|---|---|---|")
    for row in compare(tool, args.workdir / "problems"):
        print("| " + " | ".join(row) + " |")
    if args.realworld.is_dir():
        print("\n| real file | guideline-lint finds (problem count) | frictionless finds (error count) |")
        print("|---|---|---|")
        for real in realworld(tool, args.realworld):
            print("| " + " | ".join(real) + " |")


if __name__ == "__main__":
    main()
