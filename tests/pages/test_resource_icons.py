"""UX-P12 gives the same result on every run: the browser's own icon requests (a declared icon, /favicon.ico) are
made early, late or not at all, so they are not counted; a declared icon is asked for by the audit itself."""

from __future__ import annotations

from typing import Any

import pytest
from page_fixtures import FixtureServer, page_options

from guideline_lint.collect.pages import collect_service_pages
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts
from guideline_lint.kinds import needs_of
from guideline_lint.loading import load_bundled_checks

from helpers import TODAY

pytestmark = pytest.mark.browser

CHECK = load_bundled_checks()["UX-P12"]


def test_the_same_pages_audited_again_and_again_give_the_same_result(new_server: FixtureServer,
                                                                       page_pool: Any) -> None:
    # No /favicon.ico on this server: the browser's own request for it answers 404 whenever it is made.
    urls = [new_server.add("/declared-missing.html", '<link rel="icon" href="/images/favicon.ico"><p>a</p>'),
            new_server.add("/declared-there.html", '<link rel="icon" href="/icon.ico"><p>b</p>'),
            new_server.add("/undeclared.html", "<p>c</p>")]
    new_server.add("/icon.ico", text="icon", headers={"Content-Type": "image/x-icon"})
    runs = []
    for _ in range(4):
        pages = collect_service_pages(urls, [], None, page_options(), needs_of([CHECK]), pool=page_pool)
        findings = evaluate_check(CHECK, Facts(pages=pages, today=TODAY))
        runs.append([(f.subject.rsplit("/", 1)[1], f.status.value, f.location.snippet if f.location else None)
                     for f in findings])
    assert runs[0] == [("declared-missing.html", "fail", '<link rel="icon" href="/images/favicon.ico">'),
                       ("declared-there.html", "pass", None), ("undeclared.html", "pass", None)]
    assert all(run == runs[0] for run in runs), runs
