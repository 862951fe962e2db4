"""PostgreSQL for DataGuardian Pro: a fork-safe bounded connection pool, migrations and repositories.

`Database.transaction()` is the only way code talks to PostgreSQL: it checks a connection out of a
psycopg2 `ThreadedConnectionPool`, yields a dict cursor, and commits or rolls back. A connection that
broke (backend terminated, server restarted) is closed instead of going back to the pool, and one
found dead at checkout is replaced before the caller sees it. Callers wait at most `wait_s` for a free
connection; then, and whenever the server is unreachable, `DatabaseUnavailableError` is raised.

Migrations are numbered SQL files in `migrations/` applied in order, in one transaction, under a
transaction-level advisory lock, so two processes starting at once apply each exactly once.

The repository functions below own every SQL statement of the application. Nothing here logs or raises
with a stored value in the message: PostgreSQL's own error text (which can quote a row's values) is
only ever chained as the cause, never copied into our messages or logs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import secrets
import select
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import psycopg2.extras
import psycopg2.pool

from utils import circuit_breaker
from utils.config import Settings, get_settings
from utils.errors import ConfigError, DatabaseUnavailableError, InvalidRequestError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
MIGRATION_LOCK_KEY = 0x4447_4D49_4752  # "DGMIGR": one advisory lock id for every migrating process
CONNECT_TIMEOUT_S = 3  # an unreachable server fails a checkout in seconds, not after TCP's minutes
MAX_PAGE = 500  # list endpoints never return more rows than this at once
API_KEY_PREFIX = "dgp_"
API_KEY_DISPLAY_CHARS = 12  # "dgp_" plus 8 characters: enough to tell keys apart, useless to an attacker
LAST_USED_RESOLUTION_S = 60  # a key's "last used" is kept to the minute: one write a minute, not a request
BOOTSTRAP_LOCK_KEY = 0x4447_4241_4453  # "DGBADS": launchers creating the first admin take turns
JOB_STATES = ("succeeded", "failed", "timed_out", "cancelled", "dead")


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


def _db(db: Database | None) -> Database:
    return db if db is not None else get_database()


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
    with _db(db).transaction() as cur:
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


# --- value checks -------------------------------------------------------------------------------

def _uuid(value: Any, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidRequestError(f"{what} is not a UUID") from None


def _optional_uuid(value: Any, what: str) -> str | None:
    return None if value is None else _uuid(value, what)


def _timestamp(value: Any, what: str) -> datetime | None:
    """A UTC datetime from unix seconds, an ISO-8601 string or a datetime; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidRequestError(f"{what} is not a timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _month(value: date | str | None) -> date:
    """First day of the month of `value` (a date, 'YYYY-MM' or 'YYYY-MM-DD'); None = this month."""
    if value is None:
        value = datetime.now(UTC).date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            raise InvalidRequestError("month must be YYYY-MM") from None
    return value.replace(day=1)


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}


# --- scans and findings -------------------------------------------------------------------------

NOT_ASSESSED = "not_assessed"  # services/scoring.NOT_ASSESSED (utils does not import services)
SCAN_COLUMNS = ("job_id, org_id, user_id, scanner, status, job_state, attempts, created_at, started_at, "
                "finished_at, duration_s, compliance_score, risk_level, summary, errors, error")
FINDING_COLUMNS = ("scan_id, position, type, category, severity, confidence, location, evidence, "
                   "gdpr_articles, remediation, explanation, fingerprint")


def _job_fields(job: Any) -> Mapping[str, Any]:
    """The job as a mapping: the job dict, or utils.ipc_manager.Job (a dataclass) as it is."""
    if isinstance(job, Mapping):
        return job
    if dataclasses.is_dataclass(job) and not isinstance(job, type):
        return dataclasses.asdict(job)
    raise InvalidRequestError("a job must be a mapping or a Job")


def _scan_row(job: Mapping[str, Any], result: Mapping[str, Any]) -> tuple[Any, ...]:
    summary = dict(result.get("summary") or {})
    if result.get("status") == "failed":
        # a result from a worker older than migration 0004 may still score a failed scan: it is not
        # assessed (services/scoring.py), and the table's check would refuse the row
        summary.update(compliance_score=None, risk_level=NOT_ASSESSED, score_breakdown=[])
    started = _timestamp(result.get("started_at"), "started_at")
    finished = _timestamp(result.get("finished_at"), "finished_at")
    duration = (finished - started).total_seconds() if started and finished else None
    job_state = result.get("job_state") or ("failed" if result.get("status") == "failed" else "succeeded")
    if job_state not in JOB_STATES:
        raise InvalidRequestError(f"job_state must be one of {', '.join(JOB_STATES)}")
    return (
        _uuid(job.get("id"), "job id"), _optional_uuid(job.get("org_id"), "org_id"),
        _optional_uuid(job.get("user_id"), "user_id"), job.get("scanner") or result.get("scanner"),
        result.get("status", "completed"), job_state, int(job.get("attempts") or 0),
        _timestamp(job.get("created_at"), "created_at") or started or datetime.now(UTC), started, finished,
        duration, summary.get("compliance_score"), summary.get("risk_level"),
        psycopg2.extras.Json(summary), psycopg2.extras.Json(list(result.get("errors") or [])),
        result.get("error"),
    )


def _finding_rows(scan_id: int, findings: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (scan_id, position, f["type"], f.get("category", ""), f["severity"], float(f.get("confidence", 1.0)),
         psycopg2.extras.Json(f.get("location") or {}), f.get("evidence", ""),
         list(f.get("gdpr_articles") or ()), f.get("remediation", ""),
         psycopg2.extras.Json(f.get("explanation") or {}), f.get("fingerprint", ""))
        for position, f in enumerate(findings)
    ]


def save_scan_result(job: Mapping[str, Any] | Any, result: Mapping[str, Any],
                     *, db: Database | None = None) -> bool:
    """Persist a finished job once: True if written now, False if this job id was already stored.

    The scan row, its findings and (for a succeeded job) the organisation's usage count go in one
    transaction, and only when the row is new, so a re-delivered job or a replayed outbox entry
    changes nothing.
    """
    row = _scan_row(_job_fields(job), result)
    with _db(db).transaction() as cur:
        cur.execute(f"INSERT INTO scans ({SCAN_COLUMNS}) VALUES %s ON CONFLICT (job_id) DO NOTHING "
                    "RETURNING id, org_id, created_at, job_state", (row,))
        inserted = cur.fetchone()
        if inserted is None:
            return False
        psycopg2.extras.execute_values(
            cur, f"INSERT INTO findings ({FINDING_COLUMNS}) VALUES %s",
            _finding_rows(inserted["id"], result.get("findings") or []), page_size=500)
        # usage is what an organisation is billed for: scans that ran to the end, not our failures
        if inserted["org_id"] is not None and inserted["job_state"] == "succeeded":
            _bump_usage(cur, inserted["org_id"], _month(inserted["created_at"].date()), 1)
    return True


def get_scan(job_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """The stored result of a job (scan row plus findings in order), or None if it was never stored."""
    job_uuid = _uuid(job_id, "job id")
    with _db(db).transaction() as cur:
        cur.execute(f"SELECT id, {SCAN_COLUMNS}, recorded_at FROM scans WHERE job_id = %s", (job_uuid,))
        scan = cur.fetchone()
        if scan is None:
            return None
        cur.execute("SELECT type, category, severity, confidence, location, evidence, gdpr_articles, "
                    "remediation, explanation, fingerprint, suppressed FROM findings "
                    "WHERE scan_id = %s ORDER BY position", (scan.pop("id"),))
        findings = [dict(f) for f in cur.fetchall()]
    return {**_iso(dict(scan)), "findings": findings}


def list_scans(org_id: str | None, limit: int = 50, offset: int = 0, search: str | None = None,
               *, db: Database | None = None) -> list[dict[str, Any]]:
    """Scans of an organisation (None = all), newest first, optionally matching `search`."""
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if org_id is not None:
        clauses.append("org_id = %s")
        params.append(_uuid(org_id, "org_id"))
    if search:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", search) + "%"
        clauses.append("(scanner ILIKE %s OR job_id::text ILIKE %s OR status ILIKE %s OR job_state ILIKE %s)")
        params.extend([pattern] * 4)
    params.extend([max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))])
    with _db(db).transaction() as cur:
        cur.execute(f"SELECT {SCAN_COLUMNS}, recorded_at FROM scans WHERE {' AND '.join(clauses)} "
                    "ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s", params)
        return [_iso(dict(row)) for row in cur.fetchall()]


# --- usage --------------------------------------------------------------------------------------

def _bump_usage(cur: Any, org_id: str, month: date, amount: int) -> int:
    cur.execute("INSERT INTO usage (org_id, month, scans) VALUES (%s, %s, %s) ON CONFLICT (org_id, month) "
                "DO UPDATE SET scans = usage.scans + EXCLUDED.scans RETURNING scans", (org_id, month, amount))
    return int(cur.fetchone()["scans"])


def record_usage(org_id: str, month: date | str | None = None, amount: int = 1,
                 *, db: Database | None = None) -> int:
    """Add `amount` scans to an organisation's monthly counter; returns the new count."""
    with _db(db).transaction() as cur:
        return _bump_usage(cur, _uuid(org_id, "org_id"), _month(month), amount)


def get_usage(org_id: str, month: date | str | None = None, *, db: Database | None = None) -> int:
    """Scans counted for an organisation in a month (0 when none)."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT scans FROM usage WHERE org_id = %s AND month = %s",
                    (_uuid(org_id, "org_id"), _month(month)))
        row = cur.fetchone()
    return int(row["scans"]) if row else 0


# --- audit log ----------------------------------------------------------------------------------

def append_audit(action: str, *, org_id: str | None = None, actor_user_id: str | None = None,
                 target: str | None = None, details: Mapping[str, Any] | None = None,
                 db: Database | None = None) -> int:
    """Append one audit entry (the table refuses UPDATE and DELETE); returns its id."""
    with _db(db).transaction() as cur:
        return _insert_audit(cur, action, org_id, actor_user_id, target, details)


def _insert_audit(cur: Any, action: str, org_id: str | None, actor_user_id: str | None, target: str | None,
                  details: Mapping[str, Any] | None) -> int:
    cur.execute("INSERT INTO audit_log (org_id, actor_user_id, action, target, details) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (_optional_uuid(org_id, "org_id"), _optional_uuid(actor_user_id, "actor"),
                 action, target, psycopg2.extras.Json(dict(details or {}))))
    return int(cur.fetchone()["id"])


def list_audit(org_id: str | None, limit: int = 100, *, db: Database | None = None) -> list[dict[str, Any]]:
    """Newest audit entries of an organisation (None = all)."""
    org = _optional_uuid(org_id, "org_id")
    with _db(db).transaction() as cur:
        cur.execute("SELECT id, at, org_id, actor_user_id, action, target, details FROM audit_log "
                    "WHERE %s::uuid IS NULL OR org_id = %s ORDER BY id DESC LIMIT %s",
                    (org, org, max(1, min(int(limit), MAX_PAGE))))
        return [_iso(dict(row)) for row in cur.fetchall()]


# --- organisations, users, API keys -------------------------------------------------------------

def create_organisation(name: str, *, plan: str = "free", db: Database | None = None) -> str:
    """Create an organisation; returns its id."""
    with _db(db).transaction() as cur:
        cur.execute("INSERT INTO organisations (name, plan) VALUES (%s, %s) RETURNING id", (name, plan))
        return str(cur.fetchone()["id"])


def create_user(org_id: str, email: str, role: str, password_hash: str, *, display_name: str | None = None,
                db: Database | None = None) -> str:
    """Create a user of an organisation with an already-hashed password; returns the user id."""
    if role not in ("admin", "analyst", "viewer"):
        raise InvalidRequestError("role must be admin, analyst or viewer")
    if not password_hash or not password_hash.startswith("$"):
        raise InvalidRequestError("password_hash must be an encoded hash ($algorithm$…), never a password")
    try:
        with _db(db).transaction() as cur:
            cur.execute("INSERT INTO users (org_id, email, role, password_hash, display_name) "
                        "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                        (_uuid(org_id, "org_id"), email, role, password_hash, display_name))
            return str(cur.fetchone()["id"])
    except psycopg2.errors.UniqueViolation:
        # PostgreSQL's message quotes the address; ours must not
        raise InvalidRequestError("a user with this email address already exists") from None
    except psycopg2.errors.ForeignKeyViolation:
        raise InvalidRequestError("no organisation with this id") from None


USER_COLUMNS = "id, org_id, email, display_name, role, password_hash, last_login_at, active"


def get_user_by_email(email: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """The user with this address (any case), or None."""
    with _db(db).transaction() as cur:
        cur.execute(f"SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower(%s)", (email,))
        row = cur.fetchone()
    return dict(row) if row else None


def get_user(org_id: str, user_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """A member of `org_id` by id (with its password hash, for checks), or None."""
    with _db(db).transaction() as cur:
        cur.execute(f"SELECT {USER_COLUMNS} FROM users WHERE id = %s AND org_id = %s",
                    (_uuid(user_id, "user_id"), _uuid(org_id, "org_id")))
        row = cur.fetchone()
    return dict(row) if row else None


def record_sign_in(user_id: str, *, db: Database | None = None) -> None:
    """Note a successful sign-in's time on the user."""
    with _db(db).transaction() as cur:
        cur.execute("UPDATE users SET last_login_at = now() WHERE id = %s", (_uuid(user_id, "user_id"),))


def set_password(org_id: str, user_id: str, password_hash: str, *, keep_session: str | None = None,
                 db: Database | None = None) -> int | None:
    """Give a member of `org_id` a new password hash and end their sessions (but `keep_session`, a
    token hash); the number of sessions ended, or None when no such member."""
    if not password_hash or not password_hash.startswith("$"):
        raise InvalidRequestError("password_hash must be an encoded hash ($algorithm$…), never a password")
    user = _uuid(user_id, "user_id")
    with _db(db).transaction() as cur:
        cur.execute("UPDATE users SET password_hash = %s WHERE id = %s AND org_id = %s",
                    (password_hash, user, _uuid(org_id, "org_id")))
        if cur.rowcount != 1:
            return None
        # whoever knew the old password may hold a session opened with it
        cur.execute("UPDATE sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL "
                    "AND token_hash IS DISTINCT FROM %s", (user, keep_session))
        return int(cur.rowcount)


# --- sign-in throttle ---------------------------------------------------------------------------

ANY_ACCOUNT = "*"  # the login_throttle row of a source that counts attempts at every account
PRUNE_BATCH = 200  # expired throttle rows deleted per call: bounded work on the sign-in path


def count_sign_in_attempt(account: str, source: str, window_s: float,
                          *, db: Database | None = None) -> tuple[int, int, float]:
    """Count one attempt at `account` (a hash) from `source`, and one from `source` at any account.

    Returns (attempts at this account from this source, attempts from this source, seconds until the
    account's window ends), this attempt included. A window starts at the first attempt after the
    previous one ended. Counting before the password check means parallel guesses are counted too.
    """
    with _db(db).transaction() as cur:
        # one statement, rows in a fixed order: two attempts from one source cannot deadlock
        cur.execute(
            "INSERT INTO login_throttle AS t (account, source, attempts, window_ends_at) "
            "VALUES (%(account)s, %(source)s, 1, now() + make_interval(secs => %(window)s)), "
            "(%(any)s, %(source)s, 1, now() + make_interval(secs => %(window)s)) "
            "ON CONFLICT (account, source) DO UPDATE SET "
            "attempts = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.attempts + 1 END, "
            "window_ends_at = CASE WHEN t.window_ends_at <= now() THEN EXCLUDED.window_ends_at "
            "ELSE t.window_ends_at END "
            "RETURNING account, attempts, greatest(0, extract(epoch FROM t.window_ends_at - now()))::float8 "
            "AS left_s",
            {"account": account, "source": source, "window": float(window_s), "any": ANY_ACCOUNT})
        rows = {row["account"]: row for row in cur.fetchall()}
    own, anywhere = rows[account], rows[ANY_ACCOUNT]
    return int(own["attempts"]), int(anywhere["attempts"]), float(own["left_s"])


def forget_sign_in_attempt(account: str, source: str, *, db: Database | None = None) -> None:
    """After a success: the account's count from `source` starts again, and the attempt leaves the
    source's count (an office signing in all day is not spraying)."""
    with _db(db).transaction() as cur:
        cur.execute("DELETE FROM login_throttle WHERE account = %s AND source = %s", (account, source))
        cur.execute("UPDATE login_throttle SET attempts = attempts - 1 WHERE account = %s AND source = %s "
                    "AND attempts > 0", (ANY_ACCOUNT, source))


def clear_login_throttle(account: str, max_attempts: int, *, db: Database | None = None) -> int:
    """Forget every source's attempts at `account` (an admin's unlock); how many sources had it locked."""
    with _db(db).transaction() as cur:
        cur.execute("DELETE FROM login_throttle WHERE account = %s "
                    "RETURNING attempts >= %s AND window_ends_at > now() AS locked", (account, max_attempts))
        return sum(1 for row in cur.fetchall() if row["locked"])


def locked_accounts(accounts: Sequence[str], max_attempts: int,
                    *, db: Database | None = None) -> dict[str, datetime]:
    """For each of `accounts` locked from some source, when its last lock there ends."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT account, max(window_ends_at) AS until FROM login_throttle "
                    "WHERE account = ANY(%s) AND attempts >= %s AND window_ends_at > now() GROUP BY account",
                    (list(accounts), max_attempts))
        return {row["account"]: row["until"] for row in cur.fetchall()}


def prune_login_throttle(*, db: Database | None = None) -> int:
    """Delete up to PRUNE_BATCH throttle rows whose window ended, skipping rows in use; how many."""
    with _db(db).transaction() as cur:
        cur.execute("DELETE FROM login_throttle WHERE ctid IN (SELECT ctid FROM login_throttle "
                    "WHERE window_ends_at <= now() LIMIT %s FOR UPDATE SKIP LOCKED)", (PRUNE_BATCH,))
        return int(cur.rowcount)


def _key_hash(key: str) -> str:
    # API keys are 256-bit random tokens, so a fast hash is enough: there is nothing to brute-force
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(org_id: str, name: str, *, user_id: str | None = None,
                   db: Database | None = None) -> tuple[str, str]:
    """Create an API key; returns (key id, the key). The key is shown once and only its hash is stored."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    with _db(db).transaction() as cur:
        cur.execute("INSERT INTO api_keys (org_id, user_id, name, prefix, key_hash) "
                    "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (_uuid(org_id, "org_id"), _optional_uuid(user_id, "user_id"), name,
                     key[:API_KEY_DISPLAY_CHARS], _key_hash(key)))
        return str(cur.fetchone()["id"]), key


def find_api_key(key: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """The live key record for a presented key, or None: unknown, revoked, or its user deactivated.

    A read, so an unknown key costs one index lookup and no write. A live key's `last_used_at` is
    written at most once per LAST_USED_RESOLUTION_S, not on every request.
    """
    with _db(db).transaction() as cur:
        # a key made by a member lives only while they do (deactivation also revokes it; this holds
        # even if a key outlived that, e.g. a user row changed by hand)
        cur.execute("SELECT k.id, k.org_id, k.user_id, k.name, k.prefix, (k.last_used_at IS NULL OR "
                    "k.last_used_at < now() - make_interval(secs => %s)) AS stale FROM api_keys k "
                    "LEFT JOIN users u ON u.id = k.user_id WHERE k.key_hash = %s AND k.revoked_at IS NULL "
                    "AND (k.user_id IS NULL OR u.active)", (LAST_USED_RESOLUTION_S, _key_hash(key)))
        row = cur.fetchone()
        if row is None:
            return None
        if row.pop("stale"):
            cur.execute("UPDATE api_keys SET last_used_at = now() WHERE id = %s", (row["id"],))
    return dict(row)


def revoke_api_key(key_id: str, *, org_id: str | None = None, db: Database | None = None) -> bool:
    """Revoke a key (only if it belongs to `org_id` when given); False if no such live key."""
    org = _optional_uuid(org_id, "org_id")
    with _db(db).transaction() as cur:
        cur.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s AND revoked_at IS NULL "
                    "AND (%s::uuid IS NULL OR org_id = %s)", (_uuid(key_id, "key id"), org, org))
        return cur.rowcount == 1


def list_api_keys(org_id: str, *, db: Database | None = None) -> list[dict[str, Any]]:
    """An organisation's keys, newest first: id, name, prefix and dates; never a hash."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT id, name, prefix, user_id, created_at, last_used_at, revoked_at FROM api_keys "
                    "WHERE org_id = %s ORDER BY created_at DESC, id", (_uuid(org_id, "org_id"),))
        return [_iso(dict(row)) for row in cur.fetchall()]


# --- members and UI sessions --------------------------------------------------------------------

def count_users(*, db: Database | None = None) -> int:
    """How many user accounts exist (the first start creates an admin when there are none)."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT count(*) AS n FROM users")
        return int(cur.fetchone()["n"])


def create_first_admin(org_name: str, email: str, password_hash: str,
                       *, db: Database | None = None) -> tuple[str, str] | None:
    """Create an organisation and its admin if no user exists yet; (org_id, user_id), or None.

    One transaction under an advisory lock from the count to the commit: launchers starting together
    on an empty database take turns, so exactly one creates the admin and the others see it.
    """
    try:
        with _db(db).transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (BOOTSTRAP_LOCK_KEY,))
            cur.execute("SELECT EXISTS (SELECT 1 FROM users) AS taken")
            if cur.fetchone()["taken"]:
                return None
            cur.execute("INSERT INTO organisations (name) VALUES (%s) RETURNING id", (org_name,))
            org_id = str(cur.fetchone()["id"])
            cur.execute("INSERT INTO users (org_id, email, role, password_hash) VALUES (%s, %s, 'admin', %s) "
                        "RETURNING id", (org_id, email, password_hash))
            user_id = str(cur.fetchone()["id"])
            _insert_audit(cur, "org.created", org_id, None, org_id, None)
            _insert_audit(cur, "user.created", org_id, None, user_id, {"role": "admin"})
    except psycopg2.errors.CheckViolation:
        raise InvalidRequestError("an organisation name has 1 to 200 characters") from None
    return org_id, user_id


def get_organisation(org_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """An organisation's id, name, plan, Stripe customer id and creation time, or None."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT id, name, plan, stripe_customer_id, created_at FROM organisations WHERE id = %s",
                    (_uuid(org_id, "org_id"),))
        row = cur.fetchone()
    return _iso(dict(row)) if row else None


def list_users(org_id: str, *, db: Database | None = None) -> list[dict[str, Any]]:
    """Members of one organisation, by address; never a password hash."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT id, email, display_name, role, active, last_login_at, created_at FROM users "
                    "WHERE org_id = %s ORDER BY lower(email)",
                    (_uuid(org_id, "org_id"),))
        return [_iso(dict(row)) for row in cur.fetchall()]


def update_user(org_id: str, user_id: str, *, role: str | None = None, active: bool | None = None,
                db: Database | None = None) -> bool:
    """Change a member's role and/or active flag, ending their sessions; False if not in `org_id`.

    A deactivation also revokes the member's API keys (see `deactivate_user`).
    """
    return _change_user(org_id, user_id, role, active, db) is not None


def deactivate_user(org_id: str, user_id: str, *, db: Database | None = None) -> list[str] | None:
    """Deactivate a member, ending their sessions and revoking their API keys in one transaction.

    Returns the ids of the keys revoked now, or None if no such member. Reactivating the member
    later does not bring the keys back: a key's revocation is final.
    """
    return _change_user(org_id, user_id, None, False, db)


def _change_user(org_id: str, user_id: str, role: str | None, active: bool | None,
                 db: Database | None) -> list[str] | None:
    if role is not None and role not in ("admin", "analyst", "viewer"):
        raise InvalidRequestError("role must be admin, analyst or viewer")
    user = _uuid(user_id, "user_id")
    with _db(db).transaction() as cur:
        cur.execute("UPDATE users SET role = coalesce(%s, role), active = coalesce(%s, active) "
                    "WHERE id = %s AND org_id = %s", (role, active, user, _uuid(org_id, "org_id")))
        if cur.rowcount != 1:
            return None
        # a changed role or a deactivation takes effect now, not when the old sign-in expires
        cur.execute("UPDATE sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL",
                    (user,))
        if active is not False:
            return []
        # keys die with their member's membership: an ex-member's CI job must stop working too
        cur.execute("UPDATE api_keys SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL "
                    "RETURNING id", (user,))
        return [str(row["id"]) for row in cur.fetchall()]


def create_session(user_id: str, token_hash: str, expires_at: float, *, db: Database | None = None) -> None:
    """Store a UI session by the hash of its token, valid until `expires_at` (unix seconds)."""
    with _db(db).transaction() as cur:
        cur.execute("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (%s, %s, %s)",
                    (token_hash, _uuid(user_id, "user_id"), _timestamp(expires_at, "expires_at")))


def get_session(token_hash: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """A live (not revoked, user active) session joined with its user and organisation, or None.

    `expires_at` comes back as unix seconds; the caller decides about expiry against its clock.
    """
    with _db(db).transaction() as cur:
        cur.execute("SELECT s.user_id, extract(epoch FROM s.expires_at)::float8 AS expires_at, u.org_id, "
                    "o.name AS org_name, u.role, u.email, u.display_name FROM sessions s "
                    "JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id "
                    "WHERE s.token_hash = %s AND s.revoked_at IS NULL AND u.active", (token_hash,))
        row = cur.fetchone()
    return dict(row) if row else None


def revoke_session(token_hash: str, *, db: Database | None = None) -> bool:
    """End a session (sign-out); False if it was unknown or already ended."""
    with _db(db).transaction() as cur:
        cur.execute("UPDATE sessions SET revoked_at = now() WHERE token_hash = %s AND revoked_at IS NULL",
                    (token_hash,))
        return cur.rowcount == 1


# --- Stripe -------------------------------------------------------------------------------------

def record_stripe_event(event_id: str, event_type: str, payload: Mapping[str, Any],
                        *, db: Database | None = None) -> bool:
    """Store a webhook event once: True if new, False if Stripe redelivered one already recorded."""
    with _db(db).transaction() as cur:
        cur.execute("INSERT INTO stripe_events (event_id, type, payload) VALUES (%s, %s, %s) "
                    "ON CONFLICT (event_id) DO NOTHING",
                    (event_id, event_type, psycopg2.extras.Json(dict(payload))))
        return cur.rowcount == 1


# --- billing ------------------------------------------------------------------------------------

BILLING_COLUMNS = ("plan", "stripe_customer_id", "stripe_subscription_id", "subscription_status",
                   "subscription_created", "subscription_event_at", "current_period_end", "payment_failed_at")
SUBMITTED_ACTION = "scan.submitted"  # the audit entry services/scan_service.py writes for each queued job
SUBMISSION_LOCK_CLASS = 0x4447_5355  # "DGSU": advisory lock class of one organisation's scan submissions


def get_billing(org_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """An organisation's id, name and billing columns (plan, Stripe ids, subscription state), or None."""
    with _db(db).transaction() as cur:
        cur.execute(f"SELECT id, name, {', '.join(BILLING_COLUMNS)} FROM organisations WHERE id = %s",
                    (_uuid(org_id, "org_id"),))
        row = cur.fetchone()
    return dict(row) if row else None


def find_org_by_stripe_customer(customer_id: str, *, db: Database | None = None) -> str | None:
    """The id of the organisation linked to a Stripe customer, or None."""
    with _db(db).transaction() as cur:
        cur.execute("SELECT id FROM organisations WHERE stripe_customer_id = %s", (customer_id,))
        row = cur.fetchone()
    return str(row["id"]) if row else None


def scans_this_month(org_id: str, *, in_flight_window_s: float,
                     db: Database | None = None) -> tuple[int, int]:
    """(stored, in flight) scans of an organisation this month (UTC).

    Stored is the usage counter (succeeded scans). In flight is the jobs submitted (their
    `scan.submitted` audit entries) minus the jobs stored (scan rows, whatever their outcome), both
    counted since the start of the month or of the window, whichever is later: queued, running or
    waiting in the outbox. Two index range counts instead of a lookup per submission keep this cheap
    for busy organisations (bench/billing_bench.py); every job with an organisation is submitted
    through services/scan_service.py, which writes that entry. A job unstored for the whole window
    is presumed lost and stops counting.
    """
    with _db(db).transaction() as cur:
        return _count_scans(cur, org_id, in_flight_window_s)


def _count_scans(cur: Any, org_id: str, in_flight_window_s: float) -> tuple[int, int]:
    params = {"org": _uuid(org_id, "org_id"), "month": _month(None), "action": SUBMITTED_ACTION,
              "window": float(in_flight_window_s)}
    cur.execute(
        "WITH since AS (SELECT greatest(%(month)s::timestamp AT TIME ZONE 'UTC', "
        "now() - make_interval(secs => %(window)s)) AS at) "
        "SELECT coalesce((SELECT scans FROM usage WHERE org_id = %(org)s AND month = %(month)s), 0) "
        "AS stored, greatest(0, (SELECT count(*) FROM audit_log, since WHERE org_id = %(org)s "
        "AND action = %(action)s AND audit_log.at >= since.at) - (SELECT count(*) FROM scans, since "
        "WHERE org_id = %(org)s AND created_at >= since.at)) AS in_flight", params)
    row = cur.fetchone()
    return int(row["stored"]), int(row["in_flight"])


class Submission:
    """One organisation's scan submission: its month's count and its `scan.submitted` entry, in one
    transaction that holds the organisation's submission lock from the first count to the commit.

    Concurrent submissions of one organisation thus take turns between counting and recording, so two
    of them cannot both pass a quota with one scan left. The transaction begins at the first call:
    what runs before it (reading the plan) holds no connection and no lock. The lock is transaction-
    level, so the commit or the rollback releases it, whatever becomes of the process. Leaving the
    `with` block by an exception rolls back: a job that failed to queue leaves no entry behind.
    """

    def __init__(self, org_id: str, *, db: Database | None = None) -> None:
        self.org_id = _uuid(org_id, "org_id")
        self._db = db
        self._stack = ExitStack()
        self._cur: Any = None

    def __enter__(self) -> Submission:
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        return bool(self._stack.__exit__(*exc_info))

    def _cursor(self) -> Any:
        if self._cur is None:
            cur = self._stack.enter_context(_db(self._db).transaction())
            cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                        (SUBMISSION_LOCK_CLASS, self.org_id))
            self._cur = cur
        return self._cur

    def scans_this_month(self, in_flight_window_s: float) -> tuple[int, int]:
        """(stored, in flight), as `scans_this_month`, counted under the organisation's lock."""
        return _count_scans(self._cursor(), self.org_id, in_flight_window_s)

    def record(self, actor_user_id: str | None, job_id: str, details: Mapping[str, Any]) -> int:
        """The job's `scan.submitted` entry, committed with the lock's release."""
        return _insert_audit(self._cursor(), SUBMITTED_ACTION, self.org_id, actor_user_id, job_id, details)


BillingDecision = Callable[[Mapping[str, Any]], Mapping[str, Any] | None]


def apply_stripe_event(event_id: str, event_type: str, payload: Mapping[str, Any], org_id: str | None,
                       decide: BillingDecision, *, db: Database | None = None) -> tuple[bool, dict[str, Any]]:
    """Record a webhook event and apply its change to the organisation, in one transaction.

    `decide(current billing row)` returns the columns to change (None or {} = nothing). Returns (new,
    changes): new is False for an event recorded before, which changes nothing. One transaction with
    the organisation row locked, so a failure leaves the event unrecorded for Stripe's retry, and two
    deliveries of events about one organisation apply one after the other.
    """
    with _db(db).transaction() as cur:
        cur.execute("INSERT INTO stripe_events (event_id, type, payload) VALUES (%s, %s, %s) "
                    "ON CONFLICT (event_id) DO NOTHING",
                    (event_id, event_type, psycopg2.extras.Json(dict(payload))))
        if cur.rowcount != 1:
            return False, {}
        changes = _apply_billing_change(cur, org_id, decide) if org_id else {}
        if changes:
            cur.execute("INSERT INTO audit_log (org_id, action, target, details) VALUES (%s, %s, %s, %s)",
                        (org_id, f"billing.{event_type}", event_id,
                         psycopg2.extras.Json(_iso({"event": event_id, **changes}))))
        cur.execute("UPDATE stripe_events SET processed_at = now() WHERE event_id = %s", (event_id,))
    return True, changes


def _apply_billing_change(cur: Any, org_id: str, decide: BillingDecision) -> dict[str, Any]:
    cur.execute(f"SELECT {', '.join(BILLING_COLUMNS)} FROM organisations WHERE id = %s FOR UPDATE",
                (_uuid(org_id, "org_id"),))
    current = cur.fetchone()
    if current is None:
        return {}
    wanted = dict(decide(dict(current)) or {})
    unknown = set(wanted) - set(BILLING_COLUMNS)
    if unknown:  # column names go into the SQL text: only the known ones may
        raise InvalidRequestError(f"not a billing column: {', '.join(sorted(unknown))}")
    changes = {k: v for k, v in wanted.items() if current[k] != v}
    if changes:
        assignments = ", ".join(f"{column} = %s" for column in changes)
        try:
            cur.execute(f"UPDATE organisations SET {assignments} WHERE id = %s", (*changes.values(), org_id))
        except psycopg2.errors.UniqueViolation:
            raise InvalidRequestError("this Stripe customer belongs to another organisation") from None
    return changes


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
