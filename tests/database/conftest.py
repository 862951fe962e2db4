"""Fixtures for the database layer: a migrated pool on the session PostgreSQL, and a private server."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import PostgresServer
from utils.database_manager import Database, migrate


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    """A small pool (max 4, short wait) on a freshly migrated schema."""
    database = Database(postgres_url, minconn=1, maxconn=4, wait_s=0.5)
    migrate(database)
    yield database
    database.close()


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL of our own, which tests may stop and start (never the session one).

    It lives outside pytest's base temp: a concurrent pytest run resets /tmp/pytest-of-<user> to mode
    0700, which would lock the unprivileged postgres user out of its own cluster mid-test.
    """
    directory = Path(tempfile.mkdtemp(prefix="dg-private-postgres-"))
    server = PostgresServer(directory)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
