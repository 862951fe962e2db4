"""Every setting of DataGuardian Pro, read once from `DG_*` environment variables.

`Settings.from_env()` is the only reader of `os.environ` in the code base (tests pass their own
mapping). An optional YAML file named by `DG_CONFIG_FILE` supplies values under the same names
(lower-case, without the `DG_` prefix); the environment wins over the file. Every default below is a
named constant with the reason for its value; every conversion names the variable when it fails.
"""

from __future__ import annotations

import functools
import math
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from utils import credentials
from utils.errors import ConfigError

BIND_HOST = "127.0.0.1"  # every internal service listens on loopback only; nginx is the front door
UI_PORT = 5000
WORKER_BASE_PORT = 5001  # code 5001 … report 5010, in registration order (services/scanners)
API_PORT = 5011
OPS_PORT = 5050
NGINX_PORT = 8080
REDIS_PORT = 6380  # not 6379, so an embedded Redis never collides with a system one
POSTGRES_PORT = 5433  # not 5432, for the same reason
DATA_DIR = "./var"
RESULT_TTL_S = 3600  # results stay in Redis an hour; PostgreSQL keeps them for good
MAX_REQUEST_BYTES = 1024 * 1024  # a job carries paths, never file bytes, so 1 MiB is generous
MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # uploads are files in the data dir; nginx uses the same limit
JOB_TIMEOUT_S = 600.0  # a scan longer than ten minutes is stopped and recorded timed_out
# the longest timeout a request may ask for: a day is far past any real scan, and a bound is what keeps
# 1e308 or Infinity from switching the deadline (and with it the watchdog) off
MAX_JOB_TIMEOUT_S = 24 * 3600.0
MAX_ATTEMPTS = 3  # a job that crashed its worker three times is a poison job: dead-lettered
HEARTBEAT_INTERVAL_S = 1.0  # time-based: one Redis write a second, not one per job
HEARTBEAT_STALE_S = 10.0  # a worker silent this long is presumed dead and its jobs requeued
LOOP_STALE_S = 15.0  # a worker loop that has not iterated this long reports itself unhealthy
HARD_TIMEOUT_GRACE_S = 5.0  # a scan ignoring its deadline this long after it gets its worker restarted
HEALTH_INTERVAL_S = 1.0  # supervisor health probe period
HEALTH_FAILURES_TO_RESTART = 3  # consecutive failed probes before a child is replaced
BACKOFF_INITIAL_S = 1.0
BACKOFF_MAX_S = 60.0
STABLE_AFTER_S = 60.0  # a child up this long has its backoff reset
FLAP_MAX_RESTARTS = 5  # more restarts than this within FLAP_WINDOW_S marks a child FATAL
FLAP_WINDOW_S = 60.0
STARTUP_TIMEOUT_S = 30.0  # a child not healthy this long after start counts as a failed start
STOP_TIMEOUT_S = 10.0  # SIGTERM, then SIGKILL after this long
SHUTDOWN_GRACE_S = 10.0  # workers get this long to finish the running job on shutdown
REAPER_INTERVAL_S = 2.0
# results waiting in the outbox for PostgreSQL past which the platform reports itself unhealthy: at the
# seed rate this is minutes of scans, and at ~100 KB a result still well within Redis's memory
OUTBOX_BACKLOG_MAX = 5000
DURATION_SAMPLES = 1000  # job durations kept per scanner for mean/p95 in /stats
DB_POOL_MIN = 1  # one warm connection per process: 10 workers + UI + API stay far below max_connections
DB_POOL_MAX = 8  # a process runs one scan plus a few request threads; more would only queue in PostgreSQL
DB_POOL_WAIT_S = 5.0  # a caller waits this long for a free pooled connection before giving up
POSTGRES_BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
                     "/usr/lib/postgresql/15/bin")
POSTGRES_OS_USER = "postgres"  # PostgreSQL refuses to run as root
LOG_LEVEL = "INFO"
SESSION_LIFETIME_S = 8 * 3600.0  # one working day; a sign-in does not outlive the office hours it began in
LOGIN_MAX_FAILURES = 5  # five typos in a row is an attacker more often than a person
LOGIN_LOCKOUT_S = 900.0  # 15 minutes: slows guessing to ~500 tries a day without locking people out for long
# an office behind one address mistypes a few times an hour; 30 failures at any addresses in one
# lockout window is someone trying one password on many accounts (password spraying)
LOGIN_SOURCE_MAX_FAILURES = 30
# a wrong API key is known after the first 401: ten a minute per client address leaves a misconfigured
# pipeline room for its retries, and a refused request costs one Redis check, not a PostgreSQL lookup
API_AUTH_FAILURE_LIMIT = "10/minute"
ADMIN_EMAIL = "admin@dataguardian.local"  # only an address; the password is never a default
GIT_CLONES_PER_ORG = 2  # one tenant's slow clones may hold two workers, never every worker of the platform
# a backstop only (a job deletes its credentials when it ends): outlives a long queue and every attempt
CREDENTIAL_TTL_S = 24 * 3600.0
CREDENTIAL_KEY_FILE = "secrets/credentials.key"  # under the data directory unless DG_CREDENTIAL_KEY_FILE says
# rows (lines of a CSV/SQL/JSON/YAML file, rows of a sheet) read column by column per file: at the measured
# cost of the column validators (libphonenumber and mod-97 ~0.15 ms a cell) a 100k-row export of a few
# personal-data columns is read in tens of seconds; rows past it are scanned line by line, as any text
STRUCTURED_MAX_ROWS = 100_000
# the database scanner (services/scanners/database/): a scan reads a customer's live database, so every
# wait on it is bounded and small enough not to load a production server
DATABASE_CONNECT_TIMEOUT_S = 10.0  # a server that has not answered in 10 s is not going to
DATABASE_STATEMENT_TIMEOUT_S = 30.0  # one sampling query; ORDER BY random() over a few million rows fits
DATABASE_SAMPLE_ROWS = 200  # rows per column: a type at 2% of a column shows in the sample 98% of the time
DATABASE_MAX_COLUMNS = 5_000  # columns classified per scan; a wider database is listed, its rest skipped
DATABASE_RETENTION_DAYS = 730  # two years: the longest most Dutch retention schedules keep customer records
UNPREFIXED_VARIABLES = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")  # the names Stripe's docs use
# per user, where the XDG base-directory spec puts caches (pip and pre-commit keep theirs there too): a
# CLI user has no data directory, and a cache is safe to delete at any time
CACHE_SUBDIR = "dataguardian"


def _to_int(name: str, raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError, OverflowError):  # a YAML file can give .inf
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def _to_float(name: str, raw: Any) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not math.isfinite(value) or value < 0:  # float() reads "nan" and "inf" too
        raise ConfigError(f"{name} must be a finite number, not negative, got {raw!r}")
    return value


def _to_port(name: str, raw: Any) -> int:
    port = _to_int(name, raw)
    if not 0 < port < 65536:
        raise ConfigError(f"{name} must be a TCP port (1-65535), got {raw!r}")
    return port


def _to_bool(name: str, raw: Any) -> bool:
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _to_count(name: str, raw: Any) -> int:
    value = _to_int(name, raw)
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {raw!r}")
    return value


def _to_str(name: str, raw: Any) -> str:
    return str(raw)


def _to_optional_str(name: str, raw: Any) -> str | None:
    text = str(raw).strip()
    return text or None


def _to_path(name: str, raw: Any) -> Path:
    return Path(str(raw)).expanduser().resolve()


def _to_optional_path(name: str, raw: Any) -> Path | None:
    text = str(raw).strip()
    return Path(text).expanduser().resolve() if text else None


def _to_paths(name: str, raw: Any) -> tuple[Path, ...]:
    items = raw if isinstance(raw, list) else str(raw).split(os.pathsep)
    return tuple(Path(str(p)).expanduser().resolve() for p in items if str(p).strip())


def parse_workers(name: str, raw: Any) -> dict[str, int]:
    """Parse `code:3,website:2` into {"code": 3, "website": 2}."""
    counts: dict[str, int] = {}
    for part in str(raw).split(","):
        if not part.strip():
            continue
        scanner, sep, count = part.partition(":")
        n = _to_int(name, count) if sep else 1
        if n < 1:
            raise ConfigError(f"{name}: process count for {scanner.strip()!r} must be at least 1")
        counts[scanner.strip()] = n
    return counts


def _to_mapping(name: str, raw: Any) -> dict[str, str]:
    """Parse `starter:price_1,professional:price_2` (or a YAML mapping) into a dict."""
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    pairs = [part.partition(":") for part in str(raw).split(",") if part.strip()]
    if any(not sep or not key.strip() or not value.strip() for key, sep, value in pairs):
        raise ConfigError(f"{name} must look like key:value,key:value")
    return {key.strip(): value.strip() for key, _sep, value in pairs}


def _to_names(name: str, raw: Any) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _setting(default: Any, convert: Callable[[str, Any], Any], doc: str, *, secret: bool = False) -> Any:
    metadata = {"convert": convert, "doc": doc}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=metadata)
    # a secret stays out of repr(settings), so logging the settings never prints it
    return field(default=default, metadata=metadata, repr=not secret)


@dataclass(frozen=True)
class Settings:
    """All settings; field `x` is read from `DG_X`."""

    data_dir: Path = _setting(Path(DATA_DIR), _to_path, "Redis AOF, PostgreSQL cluster, uploads, logs")
    bind_host: str = _setting(BIND_HOST, _to_str, "address every internal service binds to")
    redis_url: str | None = _setting(None, _to_optional_str, "existing Redis; unset = embedded", secret=True)
    database_url: str | None = _setting(None, _to_optional_str, "existing PostgreSQL; unset = embedded",
                                        secret=True)
    redis_port: int = _setting(REDIS_PORT, _to_port, "embedded Redis port")
    postgres_port: int = _setting(POSTGRES_PORT, _to_port, "embedded PostgreSQL port")
    ui_port: int = _setting(UI_PORT, _to_port, "Streamlit UI port")
    api_port: int = _setting(API_PORT, _to_port, "REST API port")
    ops_port: int = _setting(OPS_PORT, _to_port, "launcher /health and /stats port")
    nginx_port: int = _setting(NGINX_PORT, _to_port, "nginx front door port")
    nginx_listen: str = _setting("0.0.0.0", _to_str, "address nginx listens on (the public entry)")
    worker_base_port: int = _setting(WORKER_BASE_PORT, _to_port, "first scanner worker port")
    workers: dict[str, int] = _setting({}, parse_workers, "processes per scanner, e.g. code:3,website:2")
    scanners: tuple[str, ...] = _setting((), _to_names, "scanners to run; empty = every available one")
    extra_scanners: tuple[str, ...] = _setting((), _to_names, "more scanner declarations, module:ATTRIBUTE")
    result_ttl_s: int = _setting(RESULT_TTL_S, _to_int, "seconds a result stays in Redis")
    max_request_bytes: int = _setting(MAX_REQUEST_BYTES, _to_int, "largest job request (JSON bytes)")
    max_upload_bytes: int = _setting(MAX_UPLOAD_BYTES, _to_int, "largest upload")
    api_rate_limit: str = _setting("120/minute", _to_str, "REST API requests per key (flask-limiter syntax)")
    api_auth_failure_limit: str = _setting(API_AUTH_FAILURE_LIMIT, _to_str,
                                           "REST API requests without a valid key per client address")
    session_lifetime_s: float = _setting(SESSION_LIFETIME_S, _to_float, "UI sign-in lifetime (seconds)")
    login_max_failures: int = _setting(LOGIN_MAX_FAILURES, _to_int,
                                       "failed sign-ins at one address from one source before it locks")
    login_lockout_s: float = _setting(LOGIN_LOCKOUT_S, _to_float,
                                      "window the failures are counted in, and the longest lock")
    login_source_max_failures: int = _setting(LOGIN_SOURCE_MAX_FAILURES, _to_int,
                                              "failed sign-ins at any addresses from one source before "
                                              "it locks")
    admin_email: str = _setting(ADMIN_EMAIL, _to_str, "address of the first admin, created on first start")
    admin_password: str | None = _setting(None, _to_optional_str, "first admin's password; unset = one-time",
                                          secret=True)
    stripe_secret_key: str | None = _setting(None, _to_optional_str, "Stripe API key (STRIPE_SECRET_KEY); "
                                             "unset = billing not configured", secret=True)
    stripe_webhook_secret: str | None = _setting(None, _to_optional_str, "Stripe webhook signing secret "
                                                 "(STRIPE_WEBHOOK_SECRET, whsec_…)", secret=True)
    stripe_prices: dict[str, str] = _setting({}, _to_mapping, "Stripe price id per paid plan, e.g. "
                                             "starter:price_1,professional:price_2")
    api_url: str | None = _setting(None, _to_optional_str, "CLI: REST API base URL; unset = this host's API")
    api_key: str | None = _setting(None, _to_optional_str, "CLI: API key for remote scans", secret=True)
    job_timeout_s: float = _setting(JOB_TIMEOUT_S, _to_float, "default per-job timeout")
    max_job_timeout_s: float = _setting(MAX_JOB_TIMEOUT_S, _to_float, "longest timeout a request may ask")
    max_attempts: int = _setting(MAX_ATTEMPTS, _to_int, "attempts before a job is dead-lettered")
    heartbeat_interval_s: float = _setting(HEARTBEAT_INTERVAL_S, _to_float, "worker heartbeat period")
    heartbeat_stale_s: float = _setting(HEARTBEAT_STALE_S, _to_float, "silence before jobs are requeued")
    loop_stale_s: float = _setting(LOOP_STALE_S, _to_float, "loop silence before /health fails")
    hard_timeout_grace_s: float = _setting(HARD_TIMEOUT_GRACE_S, _to_float, "grace past a job deadline")
    health_interval_s: float = _setting(HEALTH_INTERVAL_S, _to_float, "supervisor probe period")
    health_failures_to_restart: int = _setting(HEALTH_FAILURES_TO_RESTART, _to_int, "failed probes")
    backoff_initial_s: float = _setting(BACKOFF_INITIAL_S, _to_float, "first restart delay")
    backoff_max_s: float = _setting(BACKOFF_MAX_S, _to_float, "longest restart delay")
    stable_after_s: float = _setting(STABLE_AFTER_S, _to_float, "uptime that resets the backoff")
    flap_max_restarts: int = _setting(FLAP_MAX_RESTARTS, _to_int, "restarts per window before FATAL")
    flap_window_s: float = _setting(FLAP_WINDOW_S, _to_float, "flapping window")
    startup_timeout_s: float = _setting(STARTUP_TIMEOUT_S, _to_float, "time to become healthy")
    stop_timeout_s: float = _setting(STOP_TIMEOUT_S, _to_float, "SIGTERM to SIGKILL delay")
    shutdown_grace_s: float = _setting(SHUTDOWN_GRACE_S, _to_float, "time to finish running jobs")
    reaper_interval_s: float = _setting(REAPER_INTERVAL_S, _to_float, "orphaned-job sweep period")
    outbox_backlog_max: int = _setting(OUTBOX_BACKLOG_MAX, _to_int, "outbox entries before /health fails")
    duration_samples: int = _setting(DURATION_SAMPLES, _to_int, "durations kept for /stats")
    db_pool_min: int = _setting(DB_POOL_MIN, _to_int, "PostgreSQL connections kept open per process")
    db_pool_max: int = _setting(DB_POOL_MAX, _to_int, "most PostgreSQL connections per process")
    db_pool_wait_s: float = _setting(DB_POOL_WAIT_S, _to_float, "wait for a free pooled connection")
    postgres_bin_dir: str | None = _setting(None, _to_optional_str, "PostgreSQL binaries; unset = find")
    postgres_os_user: str = _setting(POSTGRES_OS_USER, _to_str, "OS user for embedded PostgreSQL")
    redis_server: str = _setting("redis-server", _to_str, "redis-server executable")
    nginx_bin: str = _setting("nginx", _to_str, "nginx executable")
    scan_roots: tuple[Path, ...] = _setting((), _to_paths, "server paths scans may read (: separated)")
    allow_private_targets: bool = _setting(False, _to_bool, "tests only: scans may reach private hosts")
    git_clones_per_org: int = _setting(GIT_CLONES_PER_ORG, _to_count, "git clones one organisation may run "
                                       "at once over all workers; more fail at once, asking for a retry")
    credential_ttl_s: float = _setting(CREDENTIAL_TTL_S, _to_float, "longest a git credential kept apart "
                                       "from its job waits for it (deleted when the job ends)")
    credential_key_file: str | None = _setting(None, _to_optional_str, "key encrypting those credentials "
                                               "in Redis; unset = DATA_DIR/" + CREDENTIAL_KEY_FILE +
                                               " (every worker host needs the same file)")
    structured_max_rows: int = _setting(STRUCTURED_MAX_ROWS, _to_count, "rows of a CSV/TSV/XLSX/SQL/JSON/"
                                        "YAML file read by column; later rows are scanned line by line")
    database_connect_timeout_s: float = _setting(DATABASE_CONNECT_TIMEOUT_S, _to_float,
                                                 "database scanner: connecting to a target database")
    database_statement_timeout_s: float = _setting(DATABASE_STATEMENT_TIMEOUT_S, _to_float,
                                                   "database scanner: one query on a target database")
    database_sample_rows: int = _setting(DATABASE_SAMPLE_ROWS, _to_count, "database scanner: rows sampled "
                                         "per column when the request sets no sample_size")
    database_max_columns: int = _setting(DATABASE_MAX_COLUMNS, _to_count, "database scanner: columns "
                                         "classified per scan; the rest are listed as skipped")
    database_retention_days: int = _setting(DATABASE_RETENTION_DAYS, _to_count, "database scanner: rows "
                                            "older than this in a table with personal data are reported")
    breaker_reset_s: float = _setting(0.0, _to_float, "breaker open time (s); 0 = per-scanner")
    cache_dir: Path | None = _setting(None, _to_optional_path, "compiled pattern databases kept between "
                                      "runs; unset = $XDG_CACHE_HOME/dataguardian or "
                                      "~/.cache/dataguardian, empty = none (each process compiles)")
    log_level: str = _setting(LOG_LEVEL, _to_str, "logging level")
    hostname: str = _setting(socket.gethostname(), _to_str, "name of this host in worker ids")

    def __post_init__(self) -> None:
        # children run with other working directories: every path they are handed is absolute
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser().resolve())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `environ` (default os.environ) and the optional DG_CONFIG_FILE."""
        env = os.environ if environ is None else environ
        values = _read_config_file(env.get("DG_CONFIG_FILE"))
        # Stripe's own variable names are read too (DG_STRIPE_* wins when both are set)
        values.update({k.lower(): env[k] for k in UNPREFIXED_VARIABLES if k in env})
        values.update({k[3:].lower(): v for k, v in env.items() if k.startswith("DG_")})
        values.setdefault("cache_dir", _user_cache_dir(env))
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in values:
                kwargs[f.name] = f.metadata["convert"](f"DG_{f.name.upper()}", values[f.name])
        return cls(**kwargs)

    @property
    def log_dir(self) -> Path:
        """Directory with one log file per child process."""
        return self.data_dir / "log"

    @property
    def upload_dir(self) -> Path:
        """Directory uploads are written to; jobs carry paths inside it."""
        return self.data_dir / "uploads"

    @property
    def credential_key_path(self) -> Path:
        """The Fernet key file of credentials kept apart from jobs (mode 0600, made on first use)."""
        if self.credential_key_file:
            return Path(self.credential_key_file).expanduser().resolve()
        return self.data_dir / CREDENTIAL_KEY_FILE

    @property
    def temp_dir(self) -> Path:
        """Directory of the workers' own temp folders (copies of uploads, extracted archives)."""
        return self.data_dir / "tmp"

    @property
    def allowed_scan_roots(self) -> tuple[Path, ...]:
        """Server-side roots a scan request may name: the configured ones plus the upload dir."""
        return (*self.scan_roots, self.upload_dir.resolve())

    @property
    def credentials_path(self) -> Path:
        """The embedded servers' passwords (mode 0600), written by the launcher at its first start."""
        return self.data_dir / credentials.CREDENTIALS_FILE

    def embedded_credentials(self) -> credentials.EmbeddedCredentials:
        """The embedded servers' passwords, from the file the launcher wrote at its first start."""
        return credentials.load(self.credentials_path)

    def effective_redis_url(self) -> str:
        """The Redis to use: DG_REDIS_URL, or the embedded one with its password."""
        if self.redis_url:
            return self.redis_url
        password = self.embedded_credentials().redis_password
        return credentials.redis_url(self.bind_host, self.redis_port, password)

    def effective_database_url(self) -> str:
        """The PostgreSQL to use: DG_DATABASE_URL, or the embedded one as the application role."""
        if self.database_url:
            return self.database_url
        password = self.embedded_credentials().postgres_app_password
        return credentials.postgres_url(self.bind_host, self.postgres_port, credentials.PG_APP_ROLE, password)

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        """(variable, default, description) for every setting; the README table comes from here.

        The defaults, never the values in effect: those may be a password or an API key.
        """
        return [(f"DG_{f.name.upper()}", _default_of(f), f.metadata["doc"]) for f in fields(cls)]


def _default_of(setting: Field[Any]) -> Any:
    if setting.default_factory is not MISSING:
        return setting.default_factory()
    return setting.default


def _user_cache_dir(env: Mapping[str, str]) -> str:
    """$XDG_CACHE_HOME/dataguardian, else ~/.cache/dataguardian; "" (no cache) without a home."""
    xdg = env.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the spec: a relative value is invalid and must be ignored
        return os.path.join(xdg, CACHE_SUBDIR)
    home = env.get("HOME", "")
    return os.path.join(home, ".cache", CACHE_SUBDIR) if os.path.isabs(home) else ""


def _read_config_file(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    import yaml  # only with a config file: a CLI run in a pre-commit hook usually has none

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"DG_CONFIG_FILE {path!r} cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"DG_CONFIG_FILE {path!r} must hold a mapping of setting names")
    return {str(k).lower(): v for k, v in data.items()}


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings.from_env()
