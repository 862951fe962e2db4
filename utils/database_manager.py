"""PostgreSQL for DataGuardian Pro: a fork-safe bounded connection pool, and migrations.

`Database.transaction()` is the only way code talks to PostgreSQL: it checks a connection out of a
psycopg2 `ThreadedConnectionPool`, yields a dict cursor, and commits or rolls back. A connection that
broke (backend terminated, server restarted) is closed instead of going back to the pool, and one
found dead at checkout is replaced before the caller sees it. Callers wait at most `wait_s` for a free
connection; then, and whenever the server is unreachable, `DatabaseUnavailableError` is raised.

Migrations are numbered SQL files in `migrations/` applied in order, in one transaction, under a
transaction-level advisory lock, so two processes starting at once apply each exactly once.

The repositories (utils/repositories/, one module per aggregate) own every other SQL statement and
take their pool from here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import select
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extras
import psycopg2.pool

from utils import circuit_breaker
from utils.config import Settings, get_settings
from utils.errors import ConfigError, DatabaseUnavailableError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
MIGRATION_LOCK_KEY = 0x4447_4D49_4752  # "DGMIGR": one advisory lock id for every migrating process
CONNECT_TIMEOUT_S = 3  # an unreachable server fails a checkout in seconds, not after TCP's minutes


# --- the pool -----------------------------------------------------------------------------------

class Database:
    """A bounded, fork-safe psycopg2 connection pool with transactional checkouts.

    psycopg2's pool keeps at most `minconn` connections idle and closes the others as they come
    back, so `minconn` is the warm set and `maxconn` the ceiling a burst may reach.
    """

    def __init__(self, url: str, minconn: int = 1, maxconn: int = 8, wait_s: float = 5.0) -> None:
        if not 0 <= minconn <= maxconn or maxconn < 1:
            raise ConfigError(f"database pool needs 0 <= min <= max and max >= 1, got {minconn}/{maxconn}")
        self.url = url
        self.target = _describe_target(url)
        self._server = self.target.split("/", 1)[0]  # host:port, the key of this server's breaker
        self.minconn = minconn
        self.maxconn = maxconn
        self.wait_s = wait_s
        self._reset_process_state()

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The application database as configured."""
        return cls(settings.effective_database_url(), settings.db_pool_min, settings.db_pool_max,
                   settings.db_pool_wait_s)

    def _reset_process_state(self) -> None:
        # Everything here belongs to one process; a forked child builds its own.
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.maxconn)
        self._pool: psycopg2.pool.ThreadedConnectionPool | None = None
        self._counters = dict.fromkeys(
            ("waits", "exhausted", "failed_queries", "discarded", "connect_failures"), 0)
        self._in_use = 0

    @contextmanager
    def transaction(self) -> Iterator[psycopg2.extras.RealDictCursor]:
        """Yield a dict cursor in a transaction: commit on success, roll back (or discard) on error."""
        pool, conn = self._checkout()
        try:
            with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                yield cur
            conn.commit()
        except BaseException as error:
            broken = self._release_after_error(pool, conn, error)
            if broken and isinstance(error, psycopg2.Error):
                raise DatabaseUnavailableError(f"connection to PostgreSQL at {self.target} lost") from error
            raise
        self._release(pool, conn, close=False)

    def _checkout(self) -> tuple[psycopg2.pool.ThreadedConnectionPool, Any]:
        self._adopt_after_fork()  # before taking a slot: a forked child gets fresh slots
        if not self._slots.acquire(blocking=False):
            self._count("waits")
            if not self._slots.acquire(timeout=self.wait_s):
                self._count("exhausted")
                raise DatabaseUnavailableError(
                    f"database pool exhausted: all {self.maxconn} connections busy for {self.wait_s:g}s")
        try:
            pool, conn = self._connect_through_breaker()
        except BaseException:
            self._slots.release()
            raise
        with self._lock:
            self._in_use += 1
        return pool, conn

    def _connect_through_breaker(self) -> tuple[psycopg2.pool.ThreadedConnectionPool, Any]:
        # While the server is down every checkout would wait out the connect timeout; after a few
        # failures the breaker answers at once instead. Keyed by server, so separate databases never
        # share one; a busy pool is not a failure (only DatabaseUnavailableError from connecting counts).
        breaker = circuit_breaker.breaker_for_host(self._server, "postgres")
        try:
            return breaker.call(self._pool_and_live_connection)
        except circuit_breaker.CircuitBreakerError:
            until = circuit_breaker.retry_at(breaker)
            raise DatabaseUnavailableError(
                f"PostgreSQL at {self.target} unavailable: circuit breaker open until "
                f"{until.isoformat(timespec='seconds')}",
                retry_after_s=(until - datetime.now(UTC)).total_seconds()) from None

    def _pool_and_live_connection(self) -> tuple[psycopg2.pool.ThreadedConnectionPool, Any]:
        pool = self._current_pool()
        return pool, self._live_connection(pool)

    def _live_connection(self, pool: psycopg2.pool.ThreadedConnectionPool) -> Any:
        # Every idle connection may have died since it was returned; each try either hands out a
        # live one or closes a dead one, so maxconn + 1 tries always end.
        for _ in range(self.maxconn + 1):
            conn = self._getconn(pool)
            if _is_alive(conn):
                return conn
            pool.putconn(conn, close=True)
            self._count("discarded")
        raise DatabaseUnavailableError(f"no live connection to PostgreSQL at {self.target}")

    def _getconn(self, pool: psycopg2.pool.ThreadedConnectionPool) -> Any:
        try:
            return pool.getconn()
        except psycopg2.OperationalError as error:
            self._count("connect_failures")
            raise DatabaseUnavailableError(f"PostgreSQL unreachable at {self.target}") from error

    def _release_after_error(self, pool: Any, conn: Any, error: BaseException) -> bool:
        """Roll back and return the connection, or close it if it broke; True when it broke."""
        if isinstance(error, psycopg2.Error):
            self._count("failed_queries")
            log.warning("database %s: transaction failed (%s, sqlstate %s)",
                        self.target, type(error).__name__, getattr(error, "pgcode", None))
        broken = bool(conn.closed)
        if not broken:
            try:
                conn.rollback()
            except psycopg2.Error:
                broken = True  # the rollback itself found the connection gone
        if broken:
            self._count("discarded")
        self._release(pool, conn, close=broken)
        return broken

    def _release(self, pool: Any, conn: Any, *, close: bool) -> None:
        owned = pool is self._pool and os.getpid() == self._pid  # not a pool dropped after a fork
        if owned:
            pool.putconn(conn, close=close)
        with self._lock:
            self._in_use -= 1
        self._slots.release()

    def _adopt_after_fork(self) -> None:
        if self._pid != os.getpid():
            # A forked child shares the parent's sockets: it must neither use nor close them
            # (closing would send Terminate on the parent's session). It drops them and starts over.
            log.info("database %s: new pool in forked process %d", self.target, os.getpid())
            self._reset_process_state()

    def _current_pool(self) -> psycopg2.pool.ThreadedConnectionPool:
        self._adopt_after_fork()
        with self._lock:
            if self._pool is None:
                self._pool = self._new_pool()
            return self._pool

    def _new_pool(self) -> psycopg2.pool.ThreadedConnectionPool:
        try:
            return psycopg2.pool.ThreadedConnectionPool(
                self.minconn, self.maxconn, self.url, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg2.OperationalError as error:
            self._counters["connect_failures"] += 1
            raise DatabaseUnavailableError(f"PostgreSQL unreachable at {self.target}") from error

    def _count(self, name: str) -> None:
        with self._lock:
            self._counters[name] += 1

    def stats(self) -> dict[str, Any]:
        """Pool figures for /stats: size, in use, idle, waits, exhausted, failed queries, …."""
        with self._lock:
            idle = len(self._pool._pool) if self._pool is not None else 0  # psycopg2 keeps idle ones here
            return {"target": self.target, "pid": self._pid, "min": self.minconn, "max": self.maxconn,
                    "size": self._in_use + idle, "in_use": self._in_use, "idle": idle, **self._counters}

    def close(self) -> None:
        """Close every pooled connection of this process."""
        with self._lock:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.closeall()
            self._pool = None


def _describe_target(url: str) -> str:
    """host:port/dbname of a libpq URL, without credentials, for messages."""
    try:
        params = psycopg2.extensions.parse_dsn(url)
    except psycopg2.ProgrammingError:
        raise ConfigError("the database URL is not a valid libpq URL or connection string") from None
    return f"{params.get('host', 'localhost')}:{params.get('port', 5432)}/{params.get('dbname', '')}"


def _is_alive(conn: Any) -> bool:
    # An idle connection has nothing to read; if its socket is readable, the server sent a FATAL
    # (terminated backend, shutdown) or closed it. select() costs no round trip, unlike SELECT 1.
    if conn.closed:
        return False
    try:
        readable, _, _ = select.select([conn], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


_default: Database | None = None
_default_lock = threading.Lock()


def _reset_default_lock() -> None:
    # a fork while another thread held the lock would leave it locked forever in the child
    global _default_lock
    _default_lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_default_lock)


def get_database() -> Database:
    """The process's application database, built from settings on first use (no connection yet)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Database.from_settings(get_settings())
        return _default


# --- migrations ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the SQL, to notice a migration edited after it was applied."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every `NNNN_name.sql` in `directory`, in version order."""
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if match is None:
            raise ConfigError(f"migration file {path.name!r} is not named NNNN_name.sql")
        version = int(match.group(1))
        if version in migrations:
            raise ConfigError(f"two migrations have version {version:04d}")
        migrations[version] = Migration(version, match.group(2), path.read_text(encoding="utf-8"))
    return [migrations[v] for v in sorted(migrations)]


def migrate(db: Database | None = None, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply pending migrations in order, exactly once across processes; returns versions applied now."""
    migrations = load_migrations(directory)
    with (db if db is not None else get_database()).transaction() as cur:
        # the lock is taken before anything else, so a second process waits and then sees our rows
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        cur.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                           version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                           applied_at timestamptz NOT NULL DEFAULT now())""")
        cur.execute("SELECT version, checksum FROM schema_migrations")
        applied = {row["version"]: row["checksum"] for row in cur.fetchall()}
        _check_unchanged(migrations, applied)
        pending = [m for m in migrations if m.version not in applied]
        for migration in pending:
            cur.execute(migration.sql)
            cur.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum))
    for migration in pending:
        log.info("database: applied migration %04d_%s", migration.version, migration.name)
    return [m.version for m in pending]


def _check_unchanged(migrations: Sequence[Migration], applied: Mapping[int, str]) -> None:
    for migration in migrations:
        if migration.version in applied and applied[migration.version] != migration.checksum:
            raise ConfigError(f"migration {migration.version:04d}_{migration.name} was edited after it "
                              "was applied; add a new migration instead")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m utils.database_manager migrate`: apply pending migrations to the configured database."""
    import argparse

    parser = argparse.ArgumentParser(description="DataGuardian Pro database tasks")
    parser.add_argument("task", choices=["migrate"])
    parser.parse_args(argv)
    logging.basicConfig(level=get_settings().log_level, format="%(asctime)s %(name)s %(message)s")
    applied = migrate()
    log.info("database %s: %d migration(s) applied", get_database().target, len(applied))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
