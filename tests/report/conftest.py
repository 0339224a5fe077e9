"""Fixtures for the renderer tests; the report itself is built in report_fixtures.py."""

from __future__ import annotations

import pytest
from report_fixtures import make_baseline, make_report

from guideline_lint.model import Report


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def baseline() -> Report:
    return make_baseline()
