"""Accuracy on the W3C ACT Rules test cases: guideline-lint against plain default axe-core, in one run.

For every example whose rule maps to WCAG success criteria (``wcag`` in cases.json):
- recall: share of "failed" examples where the tool reports a failure on one of the rule's criteria;
- false positives: share of "passed"/"inapplicable" examples where it does.
guideline-lint counts a ``fail`` finding of any page check whose references name the criterion (``jis`` or
``wcag``), as a user of ``guideline-lint audit URL`` sees it; plain axe-core counts a violation of a rule whose
``wcagNNN`` tag names the criterion. Both run in the same headless Chromium, in the same run.

Two scopes:
- ``jis``: the examples whose rule maps to at least one WCAG 2.0 level A/AA criterion (= JIS X 8341-3:2016
  A/AA), scored on those criteria only (731 examples: 230 failed, 501 passed/inapplicable);
- ``all``: every example with a WCAG mapping, scored on all of its criteria (952: 296 / 656).

    .venv/bin/python bench/pages_accuracy.py [--ruleset NAME ...] [--workers 2] [--json out.json] [--act DIR]

The first ruleset (default: the default ruleset, tokyo-code-of-conduct-1.1.0) is compared with plain axe-core
criterion by criterion. Needs ../shared/benchmarks/act-rules (see its README); not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import shared_folder

ROOT = Path(__file__).resolve().parents[1]
ACT = shared_folder.ACT
DEFAULT_RULESETS = ["tokyo-code-of-conduct-1.1.0", "jis-x-8341-3-aa", "wcag-2.2-aa-additions",
                    "jis-x-8341-3-aaa-automatable"]
AXE = "axe-core 4.10 default"

# file -> criterion -> what failed it (check ids, or axe rule ids)
Failures = dict[str, dict[str, set[str]]]


def load_cases() -> list[dict[str, Any]]:
    return [c for c in json.loads((ACT / "cases.json").read_text("utf-8")) if c["wcag"]]


def jis_criteria(case: dict[str, Any]) -> list[str]:
    """The example's criteria that are WCAG 2.0 level A/AA, i.e. JIS X 8341-3:2016 A/AA."""
    return [sc for sc in case["wcag"]
            if case["wcag_versions"].get(sc) == "2.0" and case["wcag_levels"].get(sc) in ("A", "AA")]


def guideline_lint_failures(cases: list[dict[str, Any]], rulesets: list[str], workers: int
                            ) -> tuple[dict[str, Failures], float]:
    """Pages are collected once (with every ruleset's page checks), then judged by each ruleset."""
    from guideline_lint.collect.pages import PageOptions, collect_service_pages
    from guideline_lint.engine import evaluate
    from guideline_lint.facts import Facts
    from guideline_lint.kinds import needs_of
    from guideline_lint.loading import load_ruleset

    by_ruleset = {name: [c for c in load_ruleset(name).checks.values() if c.target.value == "page"]
                  for name in rulesets}
    every = [c for checks in by_ruleset.values() for c in checks]
    options = PageOptions(workers=workers, page_timeout=15)
    files = [ACT / case["file"] for case in cases]
    started = time.perf_counter()
    pages = collect_service_pages([], files, ACT, options, needs_of(every))
    elapsed = time.perf_counter() - started
    results: dict[str, Failures] = {}
    for name, checks in by_ruleset.items():
        findings, _ = evaluate(checks, Facts(pages=pages))
        failed: Failures = {f"cases/{Path(page.url).name}": defaultdict(set) for page in pages}
        for finding in findings:
            if finding.status.value != "fail":
                continue
            criteria = {sc for r in finding.references for sc in (r.wcag, r.jis) if sc}
            for sc in criteria:
                failed[f"cases/{Path(finding.subject or '').name}"][sc].add(finding.check_id)
        results[name] = failed
    return results, elapsed


_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


def plain_axe_failures(cases: list[dict[str, Any]]) -> tuple[Failures, float]:
    """Default axe-core (no options), one reused session, injected per page as axe-selenium-python does."""
    from axe_selenium_python import Axe

    from guideline_lint.browser import BrowserOptions, Session
    from guideline_lint.collect.static_server import StaticServer

    failed: Failures = {}
    session = Session(BrowserOptions(page_timeout=15)).start()
    started = time.perf_counter()
    try:
        with StaticServer(ACT) as server:
            for case in cases:
                scs: dict[str, set[str]] = defaultdict(set)
                try:
                    session.driver.get(server.url_for(ACT / case["file"]))
                    axe = Axe(session.driver)
                    axe.inject()
                    result = axe.run()
                    for rule in result["violations"]:
                        for tag in rule["tags"]:
                            if m := _TAG.match(tag):
                                scs[f"{m.group(1)}.{m.group(2)}.{m.group(3)}"].add(rule["id"])
                except Exception:  # a page the browser cannot audit counts as nothing found
                    session.quit()
                    session = Session(BrowserOptions(page_timeout=15)).start()
                failed[case["file"]] = scs
    finally:
        session.quit()
    return failed, time.perf_counter() - started


def score(cases: list[dict[str, Any]], failed: Failures, scope: str) -> dict[str, Any]:
    """Recall and false positives over the scope's examples, per criterion too, and the examples behind them."""
    per_sc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, positives, fp, negatives
    tp = positives = fp = negatives = 0
    false_positives: dict[str, list[str]] = {}
    misses: list[str] = []
    for case in cases:
        criteria = jis_criteria(case) if scope == "jis" else list(case["wcag"])
        if not criteria:
            continue
        found = failed.get(case["file"], {})
        by = sorted({what for sc in criteria for what in found.get(sc, ())})
        hit = bool(by)
        positive = case["outcome"] == "failed"
        for sc in criteria:
            row = per_sc[sc]
            if positive:
                row[0] += hit
                row[1] += 1
            else:
                row[2] += hit
                row[3] += 1
        if positive:
            tp += hit
            positives += 1
            if not hit:
                misses.append(case["file"])
        else:
            fp += hit
            negatives += 1
            if hit:
                false_positives[case["file"]] = by
    return {"recall": tp / positives if positives else 0.0, "tp": tp, "positives": positives,
            "fp_rate": fp / negatives if negatives else 0.0, "fp": fp, "negatives": negatives,
            "per_sc": dict(per_sc), "false_positives": false_positives, "misses": misses}


def levels(cases: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for case in cases:
        for sc in case["wcag"]:
            version = case["wcag_versions"].get(sc, "")
            out[sc] = case["wcag_levels"].get(sc, "") + ("" if version == "2.0" else f" (WCAG {version})")
    return out


def print_scores(cases: list[dict[str, Any]], scores: dict[str, dict[str, dict[str, Any]]], first: str) -> None:
    for scope, heading in (("jis", "JIS X 8341-3:2016 A/AA subset (WCAG 2.0 A/AA criteria)"),
                           ("all", "every example with a WCAG mapping")):
        some = next(iter(scores.values()))[scope]
        print(f"\n{heading}: {some['positives'] + some['negatives']} examples "
              f"({some['positives']} failed, {some['negatives']} passed/inapplicable)\n")
        print("| tool | recall (failed examples) | false positives (passed + inapplicable) |")
        print("|---|---|---|")
        for name, by_scope in scores.items():
            s = by_scope[scope]
            print(f"| {name} | {s['recall']:.1%} ({s['tp']}/{s['positives']}) | {s['fp_rate']:.1%} "
                  f"({s['fp']}/{s['negatives']}) |")
    level = levels(cases)
    jis = {sc for sc, lv in level.items() if lv in ("A", "AA")}
    print(f"\nPer criterion: failed examples caught | passed+inapplicable flagged ({first} vs plain axe); "
          f"JIS X 8341-3 criteria counted on the JIS subset, the others on all examples\n")
    print("| SC | level | guideline-lint: caught | flagged | plain axe: caught | flagged |")
    print("|---|---|---|---|---|---|")
    every_sc = {sc for name in (first, AXE) for sc in scores[name]["all"]["per_sc"]}
    for sc in sorted(every_sc, key=lambda v: [int(x) for x in v.split(".")]):
        cells = []
        for name in (first, AXE):
            r = scores[name]["jis" if sc in jis else "all"]["per_sc"].get(sc, [0, 0, 0, 0])
            cells.append(f"{r[0]}/{r[1]} | {r[2]}/{r[3]}")
        print(f"| {sc} | {level.get(sc, '')} | " + " | ".join(cells) + " |")
    for name, by_scope in scores.items():
        zero = sum(1 for r in by_scope["all"]["per_sc"].values() if r[1] and not r[0])
        print(f"- {name}: {zero} criteria with failed examples get 0 % recall")
    for name in (first, AXE):
        fps = scores[name]["all"]["false_positives"]
        print(f"\nFalse positives of {name} ({len(fps)}):")
        for file, by in sorted(fps.items()):
            print(f"  {file}: {', '.join(by)}")


def main() -> int:
    global ACT
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ruleset", action="append",
                        help="repeatable; the first is compared with plain axe; default: "
                        + ", ".join(DEFAULT_RULESETS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures (and each false positive and miss) here")
    parser.add_argument("--limit", type=int, default=0, help="only the first N cases (a quick look)")
    parser.add_argument("--only", help="only the cases whose file name contains one of these (comma-separated, "
                        "e.g. rule ids)")
    parser.add_argument("--no-axe", action="store_true", help="skip plain axe-core (a quick look at ours)")
    parser.add_argument("--report", type=Path, help="print the tables of a --json file again (no run)")
    parser.add_argument("--act", type=Path, default=ACT, help=f"the ACT Rules cases (default: {ACT})")
    args = parser.parse_args()
    ACT = args.act.resolve()
    if not ACT.is_dir():
        print(f"ACT cases not found at {ACT}", file=sys.stderr)
        return 2
    rulesets = args.ruleset or DEFAULT_RULESETS
    cases = load_cases()
    if args.report:
        saved = json.loads(args.report.read_text("utf-8"))
        print_scores(cases, saved["scores"], next(iter(saved["scores"])))
        return 0
    if args.only:
        cases = [c for c in cases if any(part in c["file"] for part in args.only.split(","))]
    if args.limit:
        cases = cases[: args.limit]
    load_before = os.getloadavg()
    ours, ours_s = guideline_lint_failures(cases, rulesets, args.workers)
    theirs, theirs_s = ({}, 0.0) if args.no_axe else plain_axe_failures(cases)
    failures = {f"guideline-lint ({name})": failed for name, failed in ours.items()}
    if not args.no_axe:
        failures[AXE] = theirs
    scores = {name: {scope: score(cases, failed, scope) for scope in ("jis", "all")}
              for name, failed in failures.items()}
    first = f"guideline-lint ({rulesets[0]})"
    if args.no_axe:
        for name, by_scope in scores.items():
            for scope, s in by_scope.items():
                print(f"{name} {scope}: recall {s['recall']:.1%} ({s['tp']}/{s['positives']}) "
                      f"FP {s['fp_rate']:.1%} ({s['fp']}/{s['negatives']})")
    else:
        print_scores(cases, scores, first)
    load_after = os.getloadavg()
    print(f"\nwall time: guideline-lint {ours_s:.0f} s ({args.workers} workers, every page check of "
          f"{len(rulesets)} rulesets), plain axe {theirs_s:.0f} s (1 session); load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after")
    if args.json:
        args.json.write_text(json.dumps({"cases": len(cases), "scores": scores, "seconds": [ours_s, theirs_s],
                                         "loadavg": [load_before[0], load_after[0]]}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
