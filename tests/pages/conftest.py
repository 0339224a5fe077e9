"""Fixtures for page audits: a loopback HTTP server the tests fill with pages, and one browser pool
shared by the whole session (starting Chromium is the slow part)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from page_fixtures import PAGE_TIMEOUT, FixtureServer

from guideline_lint.collect.pages import PageOptions, browser_options


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[FixtureServer]:
    server = FixtureServer()
    yield server
    server.close()


@pytest.fixture
def new_server() -> Iterator[FixtureServer]:
    """A server of its own, for origin-wide files such as /.well-known/security.txt."""
    server = FixtureServer()
    yield server
    server.close()



@pytest.fixture(scope="session")
def page_pool() -> Iterator[object]:
    if not (shutil.which("chromedriver") and (shutil.which("chromium") or shutil.which("google-chrome"))):
        pytest.skip("needs Debian's chromium and chromium-driver (scripts/setup.sh --system installs them)")
    from guideline_lint.browser import SessionPool

    pool = SessionPool(browser_options(PageOptions(page_timeout=PAGE_TIMEOUT)), 2)
    yield pool
    pool.close()

