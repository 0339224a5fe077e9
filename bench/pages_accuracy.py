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
    cases: list[dict[str, Any]], ruleset: str, workers: int
) -> tuple[dict[str, set[str]], float]:
    from guideline_lint.collect.pages import PageOptions, collect_service_pages
    from guideline_lint.engine import evaluate
    from guideline_lint.facts import Facts
    from guideline_lint.kinds.page import page_scripts
    from guideline_lint.loading import load_ruleset

    checks = [c for c in load_ruleset(ruleset).checks.values() if c.target.value == "page"]
    options = PageOptions(workers=workers, quiet=False, page_timeout=15, dom_scripts=page_scripts(checks))
    files = [ACT / case["file"] for case in cases]
    started = time.perf_counter()
    pages = collect_service_pages([], files, ACT, options)
    findings, _ = evaluate(checks, Facts(pages=pages))
    elapsed = time.perf_counter() - started
    failed: dict[str, set[str]] = {page.url: set() for page in pages}
    for finding in findings:
        if finding.status.value == "fail" and finding.domain == "accessibility":
            failed[finding.subject or ""].update(r.wcag for r in finding.references if r.wcag)
    return failed, elapsed


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
    parser.add_argument("--ruleset", default="wcag-2.2-aa-additions")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--limit", type=int, default=0, help="only the first N cases (a quick look)")
    args = parser.parse_args()
    if not ACT.is_dir():
        print(f"ACT cases not found at {ACT}", file=sys.stderr)
        return 2
    cases = load_cases()
    if args.limit:
        cases = cases[: args.limit]
    ours, ours_s = guideline_lint_failures(cases, args.ruleset, args.workers)
    ours_by_file = {f"cases/{Path(url).name}": scs for url, scs in ours.items()}
    theirs, theirs_s = plain_axe_failures(cases)
    a, b = score(cases, ours_by_file), score(cases, theirs)
    print(f"\n{len(cases)} ACT examples with WCAG mappings; ruleset {args.ruleset}\n")
    print("| tool | recall (failed examples) | false positives (passed + inapplicable) | wall time |")
    print("|---|---|---|---|")
    for name, s, secs in (("guideline-lint", a, ours_s), ("axe-core 4.10 default (same browser)", b, theirs_s)):
        print(f"| {name} | {s['recall']:.1%} ({s['tp']}/{s['positives']}) | {s['fp_rate']:.1%} "
              f"({s['fp']}/{s['negatives']}) | {secs:.0f} s |")
    print("\n| SC | guideline-lint recall | axe recall | guideline-lint FP | axe FP |")
    print("|---|---|---|---|---|")
    for sc in sorted(set(a["per_sc"]) | set(b["per_sc"]), key=lambda s: [int(x) for x in s.split(".")]):
        ra, rb = a["per_sc"].get(sc, [0, 0, 0, 0]), b["per_sc"].get(sc, [0, 0, 0, 0])
        print(f"| {sc} | {ra[0]}/{ra[1]} | {rb[0]}/{rb[1]} | {ra[2]}/{ra[3]} | {rb[2]}/{rb[3]} |")
    zero = sum(1 for sc, r in a["per_sc"].items() if r[1] and not r[0])
    print(f"\ncriteria with failed examples and 0 % recall: guideline-lint {zero}, "
          f"axe {sum(1 for sc, r in b['per_sc'].items() if r[1] and not r[0])}")
    if args.json:
        args.json.write_text(json.dumps({"guideline_lint": a, "axe_default": b, "seconds": [ours_s, theirs_s]},
                                        indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
