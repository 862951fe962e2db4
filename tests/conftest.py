"""Session-wide real servers and the loopback-only network guard."""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis

from tests.servers import PostgresServer, RedisServer
from utils.config import get_settings

# blind detection corpora hold files as users have them (their test_*.py included): data, not tests
collect_ignore_glob = ["corpus/blind_*"]

# what socket.connect accepts: (host, port, ...) tuples, unix socket paths as str or bytes
_Address = tuple[Any, ...] | str | bytes

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: _Address) -> bool:
    if not isinstance(address, tuple):  # unix sockets
        return True
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: _Address) -> None:
    if not _is_local(address):
        raise ConnectionRefusedError(f"test network guard: refusing connection to {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: _Address) -> int:
    if not _is_local(address):
        raise ConnectionRefusedError(f"test network guard: refusing connection to {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection from the test process that is not to loopback."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture
def later_scanner(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A scanner declared but not built (tests/scanners/tiny.py's LATER), registered for this test."""
    monkeypatch.setenv("DG_EXTRA_SCANNERS", "tests.scanners.tiny:LATER")
    get_settings.cache_clear()
    yield "later"
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server with AOF on, for the whole session."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@contextlib.contextmanager
def _own_postgres(prefix: str) -> Iterator[PostgresServer]:
    """A PostgreSQL cluster in its own mkdtemp() directory, stopped by PID and removed afterwards.

    Not in pytest's temp root: every pytest session resets that root to 0700, which would lock the
    postgres user out of a cluster another session uses.
    """
    root = Path(tempfile.mkdtemp(prefix=prefix))
    server = PostgresServer(root / "cluster")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL cluster (initdb + postgres as an unprivileged user), for the whole session."""
    with _own_postgres("dg-postgres-") as server:
        yield server


@pytest.fixture
def stoppable_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL of this test's own, which it may stop and start (never the session one)."""
    with _own_postgres("dg-stoppable-postgres-") as server:
        yield server


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A client of the session Redis, flushed before and after each test."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    yield client
    # a test that stopped Redis restarts it; nothing left to flush if it did not
    with contextlib.suppress(redis.ConnectionError):
        client.flushall()
    client.close()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """URL of the session database with every application table emptied before the test.

    The application role may drop and recreate schema public: it owns the database.
    """
    conn = psycopg2.connect(postgres_server.url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    conn.close()
    yield postgres_server.url
