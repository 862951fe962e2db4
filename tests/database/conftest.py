"""Fixtures for the database layer: a migrated pool on the session PostgreSQL, and a private server."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.database.restartable import SERVER_LOG_FILTERS, RestartablePostgres
from utils.database_manager import Database, migrate


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Apply the server-log warning filter to the database tests."""
    for item in items:
        if "tests/database/" in item.nodeid:
            for server_log_filter in SERVER_LOG_FILTERS:
                item.add_marker(pytest.mark.filterwarnings(server_log_filter))


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    """A small pool (max 4, short wait) on a freshly migrated schema."""
    database = Database(postgres_url, minconn=1, maxconn=4, wait_s=0.5)
    migrate(database)
    yield database
    database.close()


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[RestartablePostgres]:
    """A PostgreSQL of our own, which tests may stop and start (never the session one).

    It lives outside pytest's base temp: a concurrent pytest run resets /tmp/pytest-of-<user> to mode
    0700, which would lock the unprivileged postgres user out of its own cluster mid-test.
    """
    directory = Path(tempfile.mkdtemp(prefix="dg-private-postgres-"))
    server = RestartablePostgres(directory)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
