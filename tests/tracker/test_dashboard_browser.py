"""The dashboard in headless Chromium: guideline-lint's own page audit, stored XSS, filters, no external
requests. The tracker runs on 127.0.0.1 over a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from tracker_fixtures import XSS_NAME, Running, populate, populate_org, run_server

from guideline_lint.model import Finding, Status

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    db = tmp_path_factory.mktemp("tracker") / "tracker.sqlite3"
    with run_server(f"sqlite:///{db}", contact_url="mailto:tracker@example.metro.tokyo.lg.jp") as running:
        populate_org(running, populate(running))
        yield running


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    from guideline_lint.browser import BrowserOptions, Session

    session = Session(BrowserOptions(page_timeout=30)).start()
    yield session.driver
    session.quit()


@pytest.fixture(scope="module")
def audit(site: Running) -> list[Finding]:
    """The real page audit (axe-core rules of the JIS X 8341-3 mapping, DOM checks, HTTP headers) judged by
    the default ruleset's page checks."""
    from guideline_lint.collect.pages import PageOptions, collect_service_pages
    from guideline_lint.engine import evaluate
    from guideline_lint.facts import Facts
    from guideline_lint.kinds import needs_of
    from guideline_lint.loading import load_ruleset

    urls = [f"{site.url}/", f"{site.url}/?lang=en&bureau={quote('福祉局')}", f"{site.url}/services/svc-nursery",
            f"{site.url}/services/svc-permit?lang=en"]
    checks = [c for c in load_ruleset().checks.values() if c.target.value == "page"]
    pages = collect_service_pages(urls, [], None, PageOptions(workers=1), needs_of(checks))
    assert [p.error for p in pages] == [None] * len(urls)
    findings, _skipped = evaluate(checks, Facts(pages=pages))
    return findings


def test_dashboard_passes_guideline_lints_own_page_audit(audit: list[Finding]) -> None:
    failures = [(f.check_id, f.subject, f.message.en) for f in audit if f.status in (Status.FAIL, Status.ERROR)]
    assert failures == []
    assert sum(f.status == Status.PASS for f in audit if f.domain == "accessibility") >= 20


def test_stored_xss_in_a_service_name_is_shown_as_text(site: Running, driver: object) -> None:
    from selenium.webdriver.common.by import By

    for path in ("/", "/services/svc-permit"):
        driver.get(site.url + path)
        assert driver.title != "pwned" and driver.title.endswith("トラッカー")  # no script ran
        assert driver.execute_script("return document.querySelectorAll('script, img').length") == 0
        names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main h1, main tbody th a")]
        assert any(XSS_NAME.replace("\n", " ") == name for name in names), names


def test_filters_narrow_the_table(site: Running, driver: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get(site.url + "/")
    assert len(driver.find_elements(By.CSS_SELECTOR, "table.scores tbody tr, main table tbody tr")) >= 3
    Select(driver.find_element(By.ID, "filter-bureau")).select_by_value("福祉局")
    Select(driver.find_element(By.ID, "filter-phase")).select_by_value("operation")
    old_main = driver.find_element(By.ID, "main")
    driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
    # A click on a submit button returns before the browser has navigated: wait for the new page.
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old_main))
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert "bureau=" in driver.current_url and "phase=operation" in driver.current_url
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main tbody th a")]
    assert [link.rsplit("/", 1)[-1] for link in links] == ["svc-nursery"]
    label = driver.find_element(By.CSS_SELECTOR, "label[for=filter-bureau]")
    assert label.text == "局"


def test_pages_load_nothing_from_elsewhere(site: Running, driver: object) -> None:
    for path in ("/", "/services/svc-nursery?lang=en"):
        driver.get(site.url + path)
        loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded and all(url.startswith(site.url + "/") for url in loaded), loaded
        # The stylesheet applied: the score cells have their band colour.
        colour = driver.execute_script(
            "const c = document.querySelector('td.band-good, td.band-mid, td.band-low');"
            "return c ? getComputedStyle(c).backgroundColor : null")
        assert colour not in (None, "rgba(0, 0, 0, 0)")


def test_restart_keeps_everything_the_dashboard_shows(tmp_path: Path, driver: object) -> None:
    from selenium.webdriver.common.by import By

    db = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    with run_server(db) as first:
        populate(first, months=2)
        driver.get(first.url + "/services/svc-nursery")
        before = driver.find_element(By.ID, "main").text
    with run_server(db) as second:
        driver.get(second.url + "/services/svc-nursery")
        assert driver.find_element(By.ID, "main").text == before
