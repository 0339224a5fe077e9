"""The tracker tests' fixtures (defined in database_fixtures.py, shared with tests/security)."""

from database_fixtures import DATABASES, db_url, filled, new_database, pg_cluster, tracker

__all__ = ["DATABASES", "db_url", "filled", "new_database", "pg_cluster", "tracker"]
