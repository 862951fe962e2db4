"""Real redis-server and PostgreSQL processes for tests, on free ports in temporary directories.

They run the same command lines as the launcher's embedded servers (services/embedded_servers.py),
with passwords of their own (a credentials file in their directory, as the launcher's), PostgreSQL
tests connecting as the application role; they are stopped by PID.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import psycopg2
import redis

from launcher import port_is_free
from services import embedded_servers
from utils import credentials
from utils.credentials import PG_APP_ROLE, PG_SUPERUSER

STOP_TIMEOUT_S = 10.0


# below Linux's ephemeral range (32768-60999): a port picked here is never the one the kernel hands a
# port-0 bind (a local test site, a browser, an outgoing connection) in another test process meanwhile
PICK_FROM, PICK_TO = 20_000, 32_000

# a port is free until someone binds it, and a fixture picks several before its server binds any: the
# ports this process has handed out are never handed out again (the launcher refuses a clash outright)
_handed_out: set[int] = set()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now, outside the ephemeral range."""
    for _ in range(500):
        port = random.randrange(PICK_FROM, PICK_TO)
        if port not in _handed_out and port_is_free(port):
            _handed_out.add(port)
            return port
    raise AssertionError(f"no free port between {PICK_FROM} and {PICK_TO}")


def free_port_block(size: int) -> int:
    """First port of `size` consecutive free ports."""
    for _ in range(50):
        base = free_port()
        block = range(base, base + size)
        if base + size < PICK_TO and all(p not in _handed_out or p == base for p in block) \
                and all(port_is_free(p) for p in block):
            _handed_out.update(block)
            return base
    raise AssertionError("no block of free ports")


def wait_until(predicate, timeout_s: float, step_s: float = 0.05, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value; fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(step_s)


def stop_process(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Signal a child by PID and wait; SIGKILL if it does not exit in time."""
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(STOP_TIMEOUT_S)


class RedisServer:
    """A redis-server child with AOF on, restartable in place (same port, same data)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.password = credentials.load_or_create(directory / credentials.CREDENTIALS_FILE).redis_password
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return credentials.redis_url("127.0.0.1", self.port, self.password)

    def start(self) -> None:
        config = embedded_servers.write_redis_config(self.directory, self.password)
        command = embedded_servers.redis_command("redis-server", self.port, self.directory, config)
        with open(self.directory / "redis.log", "ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url)
        wait_until(lambda: _pings(client), 10, what=f"redis on {self.port}")
        client.close()

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)

    def restart(self, down_s: float = 0.0) -> None:
        self.stop()
        time.sleep(down_s)
        self.start()


class PostgresServer:
    """A PostgreSQL cluster made by initdb and run in the foreground as an unprivileged user."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o755)
        self.layout = embedded_servers.postgres_layout(directory, free_port(), None, "postgres")
        self.credentials = credentials.load_or_create(directory / credentials.CREDENTIALS_FILE)
        self.proc: subprocess.Popen | None = None
        self.log_path = directory / "postgres.log"

    @property
    def url(self) -> str:
        """The application database as the application role (what the platform connects as)."""
        return self.layout.url(PG_APP_ROLE, self.credentials.postgres_app_password)

    @property
    def admin_url(self) -> str:
        """The `postgres` database as the superuser, for fixtures that create databases."""
        return self.layout.url(PG_SUPERUSER, self.credentials.postgres_superuser_password, dbname="postgres")

    def start(self) -> None:
        embedded_servers.ensure_cluster(self.layout, self.credentials.postgres_superuser_password)
        with open(self.log_path, "ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(self.layout.command(), stdout=log, stderr=subprocess.STDOUT,
                                         env=embedded_servers.SERVER_ENV,
                                         **embedded_servers.run_as(self.layout.os_user))
        wait_until(self._accepts, 20, what=f"postgres on {self.layout.port}")
        embedded_servers.ensure_database(self.layout, self.credentials)

    def _accepts(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise AssertionError(f"postgres exited: {self.log_path.read_text()[-1000:]}")
        try:
            psycopg2.connect(self.admin_url, connect_timeout=1).close()
            return True
        except psycopg2.OperationalError:
            return False

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast shutdown": roll back sessions and exit promptly
        if self.proc is not None:
            stop_process(self.proc, signal.SIGINT)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


class MariaDbServer:
    """A mariadbd child as the unprivileged `nobody` user, in a data directory of its own, on a free port.

    /work/shared/ENVIRONMENT.md: mariadb-install-db, then mariadbd with no option files; root connects
    over TCP without a password (tests make their own users). Stopped by its PID.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = None

    def start(self) -> None:
        import pymysql

        data = self.directory / "data"
        data.mkdir(parents=True)
        self.directory.chmod(0o755)
        subprocess.run(["chown", "-R", "nobody:nogroup", str(self.directory)], check=True)
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        subprocess.run([*as_nobody, "mariadb-install-db", "--no-defaults", f"--datadir={data}",
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)
        self.proc = subprocess.Popen(
            [*as_nobody, "mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.directory}/sock",
             f"--port={self.port}", "--bind-address=127.0.0.1", "--skip-log-bin",
             f"--pid-file={self.directory}/pid", "--skip-name-resolve"],
            stdout=subprocess.DEVNULL, stderr=self._log())

        def accepts() -> bool:
            try:
                pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1).close()
                return True
            except pymysql.err.OperationalError:
                if self.proc is not None and self.proc.poll() is not None:
                    log = (self.directory / "err.log").read_text()[-2000:]
                    raise AssertionError(f"mariadbd exited: {log}") from None
                return False

        wait_until(accepts, 60, 0.1, "mariadbd to accept connections")

    def root(self, database: str | None = None):
        """A root connection (autocommit) for fixtures that create databases and users."""
        import pymysql

        return pymysql.connect(host="127.0.0.1", port=self.port, user="root", database=database,
                               autocommit=True)

    def _log(self):
        self.log = (self.directory / "err.log").open("wb")
        return self.log

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)
        if self.log is not None:
            self.log.close()
