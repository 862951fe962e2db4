"""How the embedded Redis and PostgreSQL are laid out and started.

The launcher supervises these as children (through ProcessManager specs) and the test fixtures start
the very same command lines, so what the tests prove is what production runs. PostgreSQL refuses to
run as root: when we are root, its files belong to an unprivileged OS user and it is started as that
user, in the foreground, as our own child (not through pg_ctl, which detaches it).
"""

from __future__ import annotations

import logging
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from psycopg2 import sql

from utils.config import POSTGRES_BIN_DIRS
from utils.errors import ConfigError, DataGuardianError

log = logging.getLogger(__name__)

PG_SUPERUSER = "dataguardian"
PG_DATABASE = "dataguardian"


class EmbeddedServerError(DataGuardianError):
    """An embedded server could not be prepared (initdb failed, binaries missing)."""


def redis_command(redis_server: str, port: int, data_dir: Path, bind: str = "127.0.0.1") -> list[str]:
    """Command line of an embedded Redis with its append-only file under `data_dir`."""
    return [
        redis_server, "--port", str(port), "--bind", bind, "--dir", str(data_dir),
        "--appendonly", "yes", "--appendfsync", "everysec",
        "--save", "", "--daemonize", "no", "--protected-mode", "yes", "--logfile", "",
    ]


def find_postgres_bin(configured: str | None = None) -> Path:
    """Directory holding initdb and postgres: the configured one, or the newest Debian install."""
    candidates = [configured] if configured else list(POSTGRES_BIN_DIRS)
    for candidate in candidates:
        if candidate and (Path(candidate) / "postgres").is_file():
            return Path(candidate)
    on_path = shutil.which("initdb")
    if on_path and not configured:
        return Path(on_path).parent
    raise ConfigError(f"PostgreSQL binaries not found in {candidates} (set DG_POSTGRES_BIN_DIR)")


@dataclass(frozen=True)
class PostgresLayout:
    """Where an embedded cluster lives and whom it runs as."""

    data_dir: Path  # the cluster (PGDATA)
    socket_dir: Path
    port: int
    bin_dir: Path
    os_user: str | None  # None: run as ourselves (we are not root)

    def command(self, bind: str = "127.0.0.1") -> list[str]:
        """Command line of the postgres server in the foreground."""
        return [
            str(self.bin_dir / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
            "-c", f"listen_addresses={bind}", "-c", f"unix_socket_directories={self.socket_dir}",
            "-c", "max_connections=200", "-c", "shared_buffers=32MB", "-c", "fsync=on",
        ]

    def url(self, bind: str = "127.0.0.1") -> str:
        """libpq URL of the application database."""
        return f"postgresql://{PG_SUPERUSER}@{bind}:{self.port}/{PG_DATABASE}"


def postgres_layout(root: Path, port: int, bin_dir: str | None, os_user: str) -> PostgresLayout:
    """Layout of a cluster under `root`; runs as `os_user` only when we are root."""
    as_user = os_user if os.geteuid() == 0 else None
    return PostgresLayout(root / "pgdata", root / "pgsocket", port, find_postgres_bin(bin_dir), as_user)


def ensure_cluster(layout: PostgresLayout) -> bool:
    """Run initdb if the cluster does not exist yet; True when it was created now."""
    if (layout.data_dir / "PG_VERSION").exists():
        return False
    for directory in (layout.data_dir, layout.socket_dir):
        directory.mkdir(parents=True, exist_ok=True)
        _hand_over(directory, layout.os_user)
    _make_traversable(layout.data_dir.parent, layout.os_user)
    command = [str(layout.bin_dir / "initdb"), "-D", str(layout.data_dir), "-U", PG_SUPERUSER,
               "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
    done = subprocess.run(command, user=layout.os_user, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise EmbeddedServerError(f"initdb failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    log.info("embedded postgres: created cluster in %s", layout.data_dir)
    return True


def ensure_database(layout: PostgresLayout, bind: str = "127.0.0.1") -> None:
    """Create the application database on a running cluster if it is missing."""
    conn = psycopg2.connect(host=bind, port=layout.port, user=PG_SUPERUSER, dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))
    finally:
        conn.close()


def _hand_over(directory: Path, os_user: str | None) -> None:
    if os_user is None:
        return
    entry = pwd.getpwnam(os_user)
    os.chown(directory, entry.pw_uid, entry.pw_gid)
    directory.chmod(0o700)


def _make_traversable(directory: Path, os_user: str | None) -> None:
    # the unprivileged server must be able to reach its data dir through every parent
    if os_user is None:
        return
    for parent in [directory, *directory.parents]:
        mode = parent.stat().st_mode & 0o777
        if not mode & 0o001:
            parent.chmod(mode | 0o011)
