"""Fixtures for the tracker tests: real databases (an SQLite file, a throw-away PostgreSQL cluster) and a
real server on 127.0.0.1. In a module of their own so tests elsewhere (tests/security) can import them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import Cluster, find_bin_dir
from tracker_fixtures import Running, populate, run_server


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed, and CI must run the PostgreSQL tests "
                        "(bash scripts/setup.sh --system installs it)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    cluster = Cluster(bin_dir).start()
    yield cluster
    cluster.stop()


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def new_database(request: pytest.FixtureRequest, folder: Path) -> str:
    """A fresh empty database: an SQLite file, or a new database in the test PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'tracker.sqlite3'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database(request, tmp_path)


@pytest.fixture(scope="module", params=DATABASES)
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A tracker with three services and four months of reports, shared by a module's read-only tests."""
    with run_server(new_database(request, tmp_path_factory.mktemp("filled"))) as running:
        populate(running)
        yield running


@pytest.fixture
def tracker(db_url: str) -> Iterator[Running]:
    with run_server(db_url) as running:
        yield running
