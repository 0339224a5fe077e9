"""Time the report renderers on a large synthetic report (many pages, many findings).

Usage: .venv/bin/python bench/bench_reports.py [--pages 200] [--repeat 5]
Prints one line per format: median and best time in milliseconds, and the output size.
"""

from __future__ import annotations

import argparse
import statistics
import time

from guideline_lint.model import Finding, KpiValue, Location, PrincipleScore, Reference, Report, Text

STATUSES = ["pass", "pass", "pass", "fail", "manual", "not_applicable", "error"]
SEVERITIES = ["critical", "high", "medium", "low"]


def build(pages: int, checks_per_page: int = 40, manifest_checks: int = 80) -> Report:
    findings: list[Finding] = []
    for n in range(manifest_checks):
        status = STATUSES[n % len(STATUSES)]
        findings.append(Finding(
            check_id=f"GOV-{n:03d}", title=Text(ja=f"確認項目 {n}", en=f"Check item {n}"),
            principles=[n % 10 + 1], domain="governance", target="manifest", status=status,
            severity=SEVERITIES[n % 4], verification="machine",
            message=Text(ja=f"マニフェストの項目 {n} が足りません", en=f"manifest item {n} is missing"),
            remediation=Text(ja="記入してください", en="Fill it in"),
            location=Location(file="digital-service.yaml", line=n + 1, column=3, path=f"service.item{n}"),
            references=[Reference(document="行動指針 ver.1.1.0")],
        ))
    for page in range(pages):
        url = f"https://example.metro.tokyo.lg.jp/service/page-{page}.html"
        for n in range(checks_per_page):
            status = STATUSES[(n + page) % len(STATUSES)]
            occurrences = [Location(url=url, selector=f"main > div:nth-child({i}) > img", snippet='<img src="a.png">')
                           for i in range(5)] if status == "fail" else []
            findings.append(Finding(
                check_id=f"A11Y-{n}", title=Text(ja=f"達成基準 {n}", en=f"Criterion {n}"),
                principles=[3], domain="accessibility", target="page", status=status,
                severity=SEVERITIES[n % 4], verification="machine",
                message=Text(ja="代替テキストのない画像があります", en="images without alternative text"),
                remediation=Text(ja="alt 属性を付けてください", en="Add alt attributes"),
                location=occurrences[0] if occurrences else Location(url=url), occurrences=occurrences[1:],
                more_occurrences=12 if occurrences else 0, subject=url,
                references=[Reference(document="JIS X 8341-3:2016", jis=f"1.{n % 4 + 1}.1")],
            ))
    principles = [PrincipleScore(id=n, title=Text(ja=f"原則{n}", en=f"Principle {n}"), score=50.0 + n * 4,
                                 coverage=0.9, incomplete=False, threshold=60.0, below_threshold=n < 3)
                  for n in range(1, 11)]
    jis = [{"jis": f"1.{i}.1", "level": "A", "title": {"ja": "基準", "en": "criterion"}, "result": "fail",
            "pages_tested": pages, "pages_failed": pages // 3, "check_ids": ["A11Y-1"]} for i in range(38)]
    return Report(
        tool={"name": "guideline-lint", "version": "bench"}, ruleset={"id": "bench", "version": "1"},
        service={"id": "bench-service"}, generated_at="2026-11-26T00:00:00Z", score=70.0, principles=principles,
        findings=findings, kpis=[KpiValue(id="nps", principles=[1], value=10, target=20, met=False)],
        extensions={"jis_x_8341_3": jis},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from guideline_lint.report import render

    report = build(args.pages)
    baseline = build(args.pages // 2)
    print(f"{len(report.findings)} findings, {args.pages} pages, median of {args.repeat}")
    for fmt in ("sarif", "junit", "markdown", "html"):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            text = render(report, fmt, "ja", baseline)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{fmt:9} median {statistics.median(times):8.1f} ms  best {min(times):8.1f} ms  "
              f"{len(text.encode('utf-8')) / 1024:9.0f} KiB")


if __name__ == "__main__":
    main()
