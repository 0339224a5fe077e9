"""The HTML report passes guideline-lint's own page audit in headless Chromium and loads nothing.

The audit is the real one: the report is served on 127.0.0.1, collected by ``collect/pages.py`` (axe-core
with every rule the JIS X 8341-3 mapping names, plus the DOM checks) and judged by the bundled page checks
of the default ruleset.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import make_baseline, make_report

from guideline_lint.model import Finding, Status
from guideline_lint.report import render

pytestmark = pytest.mark.browser

# Checks about the report as a document; the others judge the web server (HTTP security headers) or a
# service's site structure (a breadcrumb trail, a contact page), which a single report file does not have:
# the project publishes no address to send feedback to, and a link to one that does not exist is worse.
NOT_ABOUT_THE_DOCUMENT = {"UX-P09", "UX-P08"}


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("html-report")
    files = []
    for lang, baseline in (("ja", make_baseline()), ("en", None)):
        path = folder / f"report-{lang}.html"
        path.write_text(render(make_report(), "html", lang, baseline), encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture(scope="module")
def pages(report_files: list[Path]) -> list[Any]:
    from guideline_lint.collect.pages import PageOptions, collect_service_pages
    from guideline_lint.jis import criteria
    from guideline_lint.kinds import needs_of
    from guideline_lint.loading import load_ruleset

    checks = [c for c in load_ruleset().checks.values() if c.target.value == "page"]
    needs = needs_of(checks)
    needs.axe_rules |= {rule for criterion in criteria().values() for rule in criterion.axe_rules}  # AAA too
    collected = collect_service_pages([], report_files, report_files[0].parent, PageOptions(workers=1, quiet=True),
                                      needs)
    assert [p.error for p in collected] == [None, None]
    assert all(p.axe is not None for p in collected)
    return collected


@pytest.fixture(scope="module")
def audit(pages: list[Any]) -> list[Finding]:
    from guideline_lint.engine import evaluate
    from guideline_lint.facts import Facts
    from guideline_lint.loading import load_ruleset

    checks = [c for c in load_ruleset().checks.values() if c.target.value == "page"]
    assert len(checks) > 30
    findings, skipped = evaluate(checks, Facts(pages=pages))
    assert not skipped
    return findings


def test_no_accessibility_failure_at_level_aa(audit: list[Finding]) -> None:
    accessibility = [f for f in audit if f.domain == "accessibility"]
    assert {f.subject for f in accessibility} == {"report-ja.html", "report-en.html"}
    failures = [(f.check_id, f.subject, f.message.en) for f in accessibility if f.status in (Status.FAIL, Status.ERROR)]
    assert failures == []
    assert sum(1 for f in accessibility if f.status == Status.PASS) >= 20


def test_no_axe_violation_of_any_rule_the_jis_mapping_names(pages: list[Any]) -> None:
    # Every axe rule mapped to a JIS X 8341-3 / WCAG criterion, AAA ones included (e.g. 7:1 contrast).
    assert {p.url: sorted(p.axe["violations"]) for p in pages} == {"report-ja.html": [], "report-en.html": []}
    assert all(len(p.axe["passes"]) >= 30 for p in pages)


def test_no_ui_failure_about_the_document(audit: list[Finding]) -> None:
    ui = [f for f in audit if f.domain == "uiux" and f.check_id not in NOT_ABOUT_THE_DOCUMENT]
    assert ui
    failures = [(f.check_id, f.subject, f.message.en) for f in ui if f.status in (Status.FAIL, Status.ERROR)]
    assert failures == []


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"):
        options.add_argument(argument)
    # The same discovery as the tool: $CHROMEDRIVER / $CHROMIUM, else Debian's /usr/bin/chromedriver and chromium.
    from guideline_lint.browser import find_chromedriver, find_chromium

    binary = find_chromium()
    if binary:
        options.binary_location = binary
    session = webdriver.Chrome(service=Service(executable_path=find_chromedriver()), options=options)
    try:
        yield session
    finally:
        session.quit()


def test_axe_wcag_a_aa_tags_and_no_request(report_files: list[Path], driver: object) -> None:
    from axe_selenium_python import Axe

    from guideline_lint.collect.static_server import StaticServer

    with StaticServer(report_files[0].parent) as server:
        for path in report_files:
            driver.get(server.url_for(path))  # type: ignore[attr-defined]
            # Only the document itself was requested: no style sheet, font, image or script.
            resources = driver.execute_script(  # type: ignore[attr-defined]
                "return performance.getEntriesByType('resource').map(e => e.name)")
            assert resources == []
            axe = Axe(driver)
            axe.inject()
            result = axe.run(options={"runOnly": {"type": "tag",
                                                  "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            assert [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]] == []
            assert len(result["passes"]) >= 20
            assert driver.execute_script("return document.documentElement.lang") == path.stem[-2:]  # type: ignore[attr-defined]


def test_narrow_window_needs_no_sideways_scrolling(report_files: list[Path], driver: object) -> None:
    from guideline_lint.collect.static_server import StaticServer

    driver.set_window_size(500, 900)  # type: ignore[attr-defined]
    with StaticServer(report_files[0].parent) as server:
        for path in report_files:
            driver.get(server.url_for(path))  # type: ignore[attr-defined]
            widths = driver.execute_script(  # type: ignore[attr-defined]
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], (path.name, widths)
