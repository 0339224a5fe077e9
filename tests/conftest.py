from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_grid import LocalGrid, missing


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "grid: needs Java and the selenium-server jar (a local Selenium Grid 4)")


@pytest.fixture(scope="session")
def selenium_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalGrid]:
    """A real Selenium Grid 4 on 127.0.0.1: a hub and two nodes with Debian's Chromium (tests/local_grid.py).
    Skipped when Java or the jar is missing, but in CI (CI=true) that is a failure: CI must run the Grid tests."""
    reason = missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must run the Selenium Grid tests (scripts/setup.sh --system installs it)")
        pytest.skip(f"needs a local Selenium Grid: {reason} (scripts/setup.sh --system installs it)")
    with LocalGrid(nodes=2, logs=tmp_path_factory.mktemp("grid-logs")) as grid:
        yield grid
