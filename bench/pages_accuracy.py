"""Accuracy on the W3C ACT Rules test cases: guideline-lint against plain default axe-core, in one run.

For every example whose rule maps to WCAG success criteria (``wcag`` in cases.json):
- recall: share of "failed" examples where the tool reports a failure on one of the rule's criteria;
- false positives: share of "passed"/"inapplicable" examples where it does.
guideline-lint counts a ``fail`` finding of an A11Y check (its ``wcag`` reference); plain axe-core counts a
violation of a rule whose ``wcagNNN`` tag names the criterion. Both run in the same headless Chromium.

    .venv/bin/python bench/pages_accuracy.py [--ruleset wcag-2.2-aa-additions] [--workers 2] [--json out.json]

Needs ../shared/benchmarks/act-rules (see its README); not a test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ACT = ROOT.parent / "shared" / "benchmarks" / "act-rules"


def load_cases() -> list[dict[str, Any]]:
    return [c for c in json.loads((ACT / "cases.json").read_text("utf-8")) if c["wcag"]]


def guideline_lint_failures(
    cases: list[dict[str, Any]], rulesets: list[str], workers: int
) -> tuple[dict[str, dict[str, set[str]]], float]:
    """Pages are collected once (with every ruleset's in-page checks), then judged by each ruleset."""
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
    results: dict[str, dict[str, set[str]]] = {}
    for name, checks in by_ruleset.items():
        findings, _ = evaluate(checks, Facts(pages=pages))
        failed: dict[str, set[str]] = {f"cases/{Path(page.url).name}": set() for page in pages}
        for finding in findings:
            if finding.status.value == "fail" and finding.domain == "accessibility":
                failed[f"cases/{Path(finding.subject or '').name}"].update(r.wcag for r in finding.references if r.wcag)
        results[name] = failed
    return results, elapsed


_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


def plain_axe_failures(cases: list[dict[str, Any]]) -> tuple[dict[str, set[str]], float]:
    """Default axe-core (no options), one reused session, injected per page as axe-selenium-python does."""
    from axe_selenium_python import Axe

    from guideline_lint.browser import BrowserOptions, Session
    from guideline_lint.collect.static_server import StaticServer

    failed: dict[str, set[str]] = {}
    session = Session(BrowserOptions(page_timeout=15)).start()
    started = time.perf_counter()
    try:
        with StaticServer(ACT) as server:
            for case in cases:
                scs: set[str] = set()
                try:
                    session.driver.get(server.url_for(ACT / case["file"]))
                    axe = Axe(session.driver)
                    axe.inject()
                    result = axe.run()
                    for rule in result["violations"]:
                        for tag in rule["tags"]:
                            if m := _TAG.match(tag):
                                scs.add(f"{m.group(1)}.{m.group(2)}.{m.group(3)}")
                except Exception:  # a page the browser cannot audit counts as nothing found
                    session.quit()
                    session = Session(BrowserOptions(page_timeout=15)).start()
                failed[case["file"]] = scs
    finally:
        session.quit()
    return failed, time.perf_counter() - started


def score(cases: list[dict[str, Any]], failed: dict[str, set[str]]) -> dict[str, Any]:
    per_sc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, positives, fp, negatives
    tp = positives = fp = negatives = 0
    for case in cases:
        hit = bool(failed.get(case["file"], set()) & set(case["wcag"]))
        for sc in case["wcag"]:
            row = per_sc[sc]
            if case["outcome"] == "failed":
                row[0] += hit
                row[1] += 1
            else:
                row[2] += hit
                row[3] += 1
        if case["outcome"] == "failed":
            tp += hit
            positives += 1
        else:
            fp += hit
            negatives += 1
    return {"recall": tp / positives, "tp": tp, "positives": positives, "fp_rate": fp / negatives, "fp": fp,
            "negatives": negatives, "per_sc": dict(per_sc)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ruleset", action="append", help="repeatable; default: jis-x-8341-3-aa, "
                        "wcag-2.2-aa-additions, jis-x-8341-3-aaa-automatable")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--limit", type=int, default=0, help="only the first N cases (a quick look)")
    args = parser.parse_args()
    if not ACT.is_dir():
        print(f"ACT cases not found at {ACT}", file=sys.stderr)
        return 2
    args.ruleset = args.ruleset or ["jis-x-8341-3-aa", "wcag-2.2-aa-additions", "jis-x-8341-3-aaa-automatable"]
    cases = load_cases()
    if args.limit:
        cases = cases[: args.limit]
    ours, ours_s = guideline_lint_failures(cases, args.ruleset, args.workers)
    theirs, theirs_s = plain_axe_failures(cases)
    scores = {f"guideline-lint ({name})": score(cases, failed) for name, failed in ours.items()}
    scores["axe-core 4.10 default (same browser)"] = score(cases, theirs)
    print(f"\n{len(cases)} ACT examples with WCAG mappings\n")
    print("| tool | recall (failed examples) | false positives (passed + inapplicable) |")
    print("|---|---|---|")
    for name, s in scores.items():
        print(f"| {name} | {s['recall']:.1%} ({s['tp']}/{s['positives']}) | {s['fp_rate']:.1%} "
              f"({s['fp']}/{s['negatives']}) |")
    print(f"\nwall time: guideline-lint {ours_s:.0f} s ({args.workers} workers, every page check), "
          f"plain axe {theirs_s:.0f} s (1 session)")
    names = list(scores)
    print("\n| SC | " + " | ".join(f"{n} recall | FP" for n in names) + " |")
    print("|---|" + "---|---|" * len(names))
    every_sc = {sc for s in scores.values() for sc in s["per_sc"]}
    for sc in sorted(every_sc, key=lambda v: [int(x) for x in v.split(".")]):
        cells = []
        for s in scores.values():
            r = s["per_sc"].get(sc, [0, 0, 0, 0])
            cells.append(f"{r[0]}/{r[1]} | {r[2]}/{r[3]}")
        print(f"| {sc} | " + " | ".join(cells) + " |")
    for name, s in scores.items():
        zero = sum(1 for r in s["per_sc"].values() if r[1] and not r[0])
        print(f"- {name}: {zero} criteria with failed examples get 0 % recall")
    if args.json:
        args.json.write_text(json.dumps({"scores": scores, "seconds": [ours_s, theirs_s]}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
