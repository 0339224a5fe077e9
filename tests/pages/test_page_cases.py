"""Runs the pass/fail/manual cases of every page check (tests/cases/<CHECK-ID>.yaml) in a real browser.

A case entry is one page:
  html: a fragment (put into a small valid Japanese page) or a whole document
  path: where it is served (default /cases/<CHECK-ID>/<expectation>/<n>/index.html)
  status, headers, cookies (Set-Cookie values): the HTTP answer
  files: {path: text} further files on the same origin (e.g. /.well-known/security.txt)
  facts: PageFacts fields instead of a page (for what a loopback server cannot show, e.g. https)
All pages are audited in one batch; each check is then judged on its own page.
pass: no fail and no error; fail: at least one fail; manual: at least one manual and no fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from page_fixtures import FixtureServer, page_options

from guideline_lint.collect.pages import PageFacts, collect_service_pages
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts
from guideline_lint.kinds import needs_of
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Status, Target

from helpers import CASES, TODAY, load_case_file

pytestmark = pytest.mark.browser

CHECKS = load_bundled_checks()
PAGE_CHECKS = {cid: c for cid, c in CHECKS.items() if c.target == Target.PAGE}
EXPECTATIONS = ("pass", "fail", "manual")


def _cases() -> list[tuple[str, str, int, dict[str, Any]]]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = load_case_file(path)
        if data.get("check") not in PAGE_CHECKS:
            continue
        for expectation in EXPECTATIONS:
            for index, case in enumerate(data.get(expectation) or []):
                found.append((data["check"], expectation, index, case))
    return found


CASE_LIST = _cases()


@pytest.fixture(scope="module")
def audited(fixture_server: FixtureServer, page_pool: Any) -> dict[tuple[str, str, int], PageFacts]:
    urls: dict[tuple[str, str, int], str] = {}
    results: dict[tuple[str, str, int], PageFacts] = {}
    own_servers: list[FixtureServer] = []
    try:
        for check_id, expectation, index, case in CASE_LIST:
            key = (check_id, expectation, index)
            if "facts" in case:
                results[key] = PageFacts(**case["facts"])
                continue
            server = fixture_server
            if case.get("files") or case.get("path"):
                server = FixtureServer()
                own_servers.append(server)
                for name, text in (case.get("files") or {}).items():
                    server.add(name, text=text, headers={"Content-Type": "text/plain; charset=utf-8"})
            path = case.get("path") or f"/cases/{check_id}/{expectation}/{index}/index.html"
            urls[key] = server.add(path, case.get("html", ""), status=case.get("status", 200),
                                   headers=case.get("headers") or {}, cookies=case.get("cookies") or [])
        pages = collect_service_pages(list(urls.values()), [], None, page_options(), needs_of(PAGE_CHECKS.values()),
                                      pool=page_pool)
    finally:
        for server in own_servers:
            server.close()
    by_url = {page.url: page for page in pages}
    results.update({key: by_url[url] for key, url in urls.items()})
    return results


@pytest.mark.parametrize(("check_id", "expectation", "index", "case"), CASE_LIST,
                         ids=[f"{c}-{e}-{i}" for c, e, i, _ in CASE_LIST])
def test_page_case(audited: dict[tuple[str, str, int], PageFacts], check_id: str, expectation: str, index: int,
                   case: dict[str, Any]) -> None:
    page = audited[(check_id, expectation, index)]
    findings = evaluate_check(PAGE_CHECKS[check_id], Facts(pages=[page], today=TODAY))
    statuses = {f.status for f in findings}
    detail = [(f.status.value, f.location.selector if f.location else None, f.reason.en if f.reason else None)
              for f in findings]
    if expectation == "pass":
        assert Status.FAIL not in statuses and Status.ERROR not in statuses, detail
    elif expectation == "fail":
        assert Status.FAIL in statuses, detail
    else:
        assert Status.MANUAL in statuses and Status.FAIL not in statuses, detail


def test_every_page_check_has_cases() -> None:
    files = {p.stem for p in CASES.glob("*.yaml")}
    missing = sorted(set(PAGE_CHECKS) - files)
    assert not missing, f"page checks without tests/cases/<ID>.yaml: {missing}"
    for check_id in PAGE_CHECKS:
        data = load_case_file(CASES / f"{check_id}.yaml")
        assert data.get("pass"), f"{check_id}: no pass cases"
        assert data.get("fail") or data.get("manual"), f"{check_id}: no fail (or manual) cases"


def test_case_files_name_their_check() -> None:
    for path in sorted(Path(CASES).glob("*.yaml")):
        data = load_case_file(path)
        if data.get("check") in PAGE_CHECKS:
            assert data["check"] == path.stem
