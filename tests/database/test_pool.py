"""The connection pool against a real PostgreSQL: transactions, broken connections, exhaustion, fork."""

from __future__ import annotations

import json
import os
import threading
import time

import psycopg2
import psycopg2.errors
import pytest

from tests.servers import PostgresServer, free_port, wait_until
from utils import circuit_breaker
from utils.config import Settings
from utils.database_manager import Database
from utils.errors import ConfigError, DatabaseUnavailableError


def _backend_pid(db: Database) -> int:
    with db.transaction() as cur:
        cur.execute("SELECT pg_backend_pid() AS pid")
        return int(cur.fetchone()["pid"])


def _terminate(url: str, pid: int) -> None:
    """Kill one backend from a separate connection, as an operator or a failover would."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        wait_until(lambda: not _backend_exists(cur, pid), 5, what=f"backend {pid} to exit")
    conn.close()


def _backend_exists(cur, pid: int) -> bool:
    cur.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,))
    return cur.fetchone() is not None


def _make_table(db: Database) -> None:
    with db.transaction() as cur:
        cur.execute("CREATE TABLE t (v integer PRIMARY KEY)")


def _values(db: Database) -> list[int]:
    with db.transaction() as cur:
        cur.execute("SELECT v FROM t ORDER BY v")
        return [row["v"] for row in cur.fetchall()]


def test_commit_is_visible_to_other_connections(db: Database, postgres_url: str) -> None:
    _make_table(db)
    with db.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
    other = psycopg2.connect(postgres_url)
    with other.cursor() as cur:
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone()[0] == 1
    other.close()


def test_error_in_block_rolls_back_and_propagates_unchanged(db: Database) -> None:
    _make_table(db)
    with pytest.raises(ZeroDivisionError), db.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
        _ = 1 / 0
    assert _values(db) == []
    assert db.stats()["failed_queries"] == 0  # not a database failure
    assert db.stats()["in_use"] == 0


def test_sql_error_rolls_back_and_keeps_the_connection(db: Database) -> None:
    _make_table(db)
    pid = _backend_pid(db)
    with pytest.raises(psycopg2.errors.UniqueViolation), db.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
        cur.execute("INSERT INTO t VALUES (1)")
    assert _values(db) == []
    stats = db.stats()
    assert (stats["failed_queries"], stats["discarded"]) == (1, 0)
    assert _backend_pid(db) == pid  # the healthy connection went back to the pool


def test_idle_connection_terminated_by_server_is_replaced(db: Database, postgres_url: str) -> None:
    pid = _backend_pid(db)
    _terminate(postgres_url, pid)
    assert _backend_pid(db) != pid  # the caller never saw the dead connection
    assert db.stats()["discarded"] == 1


def test_connection_lost_mid_transaction_is_discarded(db: Database, postgres_url: str) -> None:
    _make_table(db)
    with pytest.raises(DatabaseUnavailableError), db.transaction() as cur:
        cur.execute("SELECT pg_backend_pid() AS pid")
        _terminate(postgres_url, cur.fetchone()["pid"])
        cur.execute("INSERT INTO t VALUES (1)")
    stats = db.stats()
    assert stats["discarded"] == 1 and stats["failed_queries"] == 1 and stats["in_use"] == 0
    with db.transaction() as cur:  # the next use works on a fresh connection
        cur.execute("INSERT INTO t VALUES (2)")
    assert _values(db) == [2]


def test_exhausted_pool_raises_named_error_after_the_wait(postgres_url: str) -> None:
    db = Database(postgres_url, minconn=0, maxconn=2, wait_s=0.2)
    with db.transaction(), db.transaction():
        assert db.stats()["in_use"] == 2
        with pytest.raises(DatabaseUnavailableError, match="exhausted"), db.transaction():
            pass
    stats = db.stats()
    assert (stats["waits"], stats["exhausted"], stats["in_use"]) == (1, 1, 0)
    assert _backend_pid(db) > 0  # usable again once connections came back
    db.close()


def test_waiter_gets_a_connection_released_within_the_wait(postgres_url: str) -> None:
    db = Database(postgres_url, minconn=0, maxconn=1, wait_s=10)
    held = threading.Event()

    def hold() -> None:
        with db.transaction():
            held.set()
            time.sleep(0.2)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    assert _backend_pid(db) > 0
    holder.join()
    stats = db.stats()
    assert (stats["waits"], stats["exhausted"]) == (1, 0)
    db.close()


def test_forked_child_builds_its_own_pool_and_leaves_the_parents_alone(db: Database) -> None:
    parent_backend = _backend_pid(db)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            report = {"backend": _backend_pid(db), "stats_pid": db.stats()["pid"], "pid": os.getpid()}
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert report["backend"] != parent_backend
    assert report["stats_pid"] == report["pid"] == child
    assert _backend_pid(db) == parent_backend  # the parent's session survived the child
    assert db.stats()["discarded"] == 0


def test_unreachable_server_raises_named_error_without_credentials() -> None:
    db = Database(f"postgresql://app:Sekr3t-Pw@127.0.0.1:{free_port()}/x", minconn=1, maxconn=2)
    with pytest.raises(DatabaseUnavailableError) as caught, db.transaction():
        pass
    assert "unreachable" in str(caught.value)
    assert "Sekr3t-Pw" not in str(caught.value)
    assert db.stats()["connect_failures"] == 1


def test_stopped_server_raises_then_pool_recovers(private_postgres: PostgresServer) -> None:
    db = Database(private_postgres.url, minconn=2, maxconn=3, wait_s=0.5)
    assert _backend_pid(db) > 0
    private_postgres.stop()
    try:
        with pytest.raises(DatabaseUnavailableError), db.transaction() as cur:
            cur.execute("SELECT 1")
    finally:
        private_postgres.start()
    assert _backend_pid(db) > 0  # stale connections discarded, new ones made
    assert db.stats()["in_use"] == 0
    db.close()


@pytest.fixture
def quick_postgres_breaker():
    """The process's breakers with a 0.5 s PostgreSQL open time; the defaults come back afterwards."""
    policies = {**circuit_breaker.DEFAULT_POLICIES, "postgres": circuit_breaker.BreakerPolicy(
        5, 0.5, counted=(DatabaseUnavailableError,))}
    yield circuit_breaker.configure(None, policies)
    circuit_breaker.configure(None)


def test_breaker_opens_on_a_down_server_answers_at_once_then_closes(
        private_postgres: PostgresServer, quick_postgres_breaker) -> None:
    db = Database(private_postgres.url, minconn=0, maxconn=2, wait_s=0.5)
    private_postgres.stop()
    try:
        for _ in range(4):
            with pytest.raises(DatabaseUnavailableError, match="unreachable"), db.transaction():
                pass
        with pytest.raises(DatabaseUnavailableError, match="circuit breaker open until"), db.transaction():
            pass  # the fifth failure opens it
        attempts = db.stats()["connect_failures"]
        with pytest.raises(DatabaseUnavailableError, match="circuit breaker open until"), db.transaction():
            pass
        assert db.stats()["connect_failures"] == attempts  # refused without trying the server
        states = circuit_breaker.breaker_states()
        (name,) = [n for n in states if n.startswith("postgres@")]
        assert states[name]["state"] == "open"
    finally:
        private_postgres.start()
    assert wait_until(lambda: _backend_pid_or_none(db), 10, step_s=0.2, what="the trial connect after 0.5 s")
    assert circuit_breaker.breaker_states()[name]["state"] == "closed"
    db.close()


def _backend_pid_or_none(db: Database) -> int | None:
    try:
        return _backend_pid(db)
    except DatabaseUnavailableError:
        return None


def test_pool_is_sized_from_settings(postgres_url: str) -> None:
    settings = Settings.from_env({"DG_DATABASE_URL": postgres_url, "DG_DB_POOL_MIN": "0",
                                  "DG_DB_POOL_MAX": "3", "DG_DB_POOL_WAIT_S": "0.25"})
    db = Database.from_settings(settings)
    assert (db.minconn, db.maxconn, db.wait_s) == (0, 3, 0.25)
    assert _backend_pid(db) > 0
    db.close()
    with pytest.raises(ConfigError, match="DG_DB_POOL_MAX"):
        Settings.from_env({"DG_DB_POOL_MAX": "many"})


def test_bad_pool_settings_are_refused() -> None:
    with pytest.raises(ConfigError):
        Database("postgresql://127.0.0.1/x", minconn=3, maxconn=2)
    with pytest.raises(ConfigError, match="URL") as caught:
        Database("host=127.0.0.1 password=Sekr3t-Pw nonsense")
    assert "Sekr3t-Pw" not in str(caught.value)
