"""How the embedded Redis and PostgreSQL are laid out, locked and started.

The launcher supervises these as children (through ProcessManager specs) and the test fixtures start
the very same command lines, so what the tests prove is what production runs. PostgreSQL refuses to
run as root: when we are root, its files belong to an unprivileged OS user and it is started as that
user, in that user's own group only, with an environment of its own (ours may hold secrets), in the
foreground, as our own child (not through pg_ctl, which detaches it).

Neither server trusts a local user: Redis asks for a password (`requirepass`, in a 0600 config file,
never on its command line), and PostgreSQL asks every connection, local or TCP, for a SCRAM-SHA-256
password. The platform connects as an application role that owns its database and nothing more (no
superuser, so no `COPY ... TO PROGRAM`, no new roles); the bootstrap superuser is the launcher's own,
used only to create that role and database. The passwords: utils/credentials.py.
"""

from __future__ import annotations

import logging
import os
import pwd
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from utils.config import POSTGRES_BIN_DIRS
from utils.credentials import PG_APP_ROLE, PG_DATABASE, PG_SUPERUSER, EmbeddedCredentials, postgres_url
from utils.errors import ConfigError, DataGuardianError

log = logging.getLogger(__name__)

REDIS_CONFIG_FILE = "redis.conf"  # in the Redis data dir, mode 0600: holds the password
SERVER_ENV = {"PATH": os.defpath}  # all a server run as another OS user gets of our environment
PASSWORD_METHOD = "scram-sha-256"
TRUST_METHOD = re.compile(r"(?<=\s)trust(?=\s|$)")  # the method field of a pg_hba.conf line


class EmbeddedServerError(DataGuardianError):
    """An embedded server could not be prepared (initdb failed, binaries missing)."""


def run_as(os_user: str | None) -> dict[str, Any]:
    """subprocess keyword arguments running a child as `os_user` in its own group only ({}: as ourselves).

    Popen's `user=` alone keeps our group (0 when we are root) and our supplementary groups.
    """
    if os_user is None:
        return {}
    entry = pwd.getpwnam(os_user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def write_redis_config(data_dir: Path, password: str) -> Path:
    """Write the 0600 config file holding Redis's password (its command line names only the file)."""
    path = data_dir / REDIS_CONFIG_FILE
    _write_private(path, f"# written by the launcher at every start\nrequirepass {password}\n", None)
    return path


def redis_command(redis_server: str, port: int, data_dir: Path, config: Path,
                  bind: str = "127.0.0.1") -> list[str]:
    """Command line of an embedded Redis: append-only file under `data_dir`, password from `config`."""
    return [
        redis_server, str(config), "--port", str(port), "--bind", bind, "--dir", str(data_dir),
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

    def url(self, role: str, password: str, bind: str = "127.0.0.1", dbname: str = PG_DATABASE) -> str:
        """libpq URL of `dbname` as `role`."""
        return postgres_url(bind, self.port, role, password, dbname)


def postgres_layout(root: Path, port: int, bin_dir: str | None, os_user: str) -> PostgresLayout:
    """Layout of a cluster under `root`; runs as `os_user` only when we are root."""
    as_user = os_user if os.geteuid() == 0 else None
    return PostgresLayout(root / "pgdata", root / "pgsocket", port, find_postgres_bin(bin_dir), as_user)


def ensure_cluster(layout: PostgresLayout, superuser_password: str) -> bool:
    """Run initdb (password authentication, the superuser's password set) if there is no cluster yet.

    True when it was created now.
    """
    if (layout.data_dir / "PG_VERSION").exists():
        return False
    for directory in (layout.data_dir, layout.socket_dir):
        directory.mkdir(parents=True, exist_ok=True)
        _hand_over(directory, layout.os_user)
    _make_traversable(layout.data_dir.parent, layout.os_user)
    pwfile = layout.data_dir.parent / ".initdb-password"  # read by initdb, gone when it is done
    _write_private(pwfile, superuser_password + "\n", layout.os_user)
    command = [str(layout.bin_dir / "initdb"), "-D", str(layout.data_dir), "-U", PG_SUPERUSER,
               f"--auth={PASSWORD_METHOD}", f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C.UTF-8"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=SERVER_ENV,
                              **run_as(layout.os_user))
    finally:
        pwfile.unlink(missing_ok=True)
    if done.returncode != 0:
        raise EmbeddedServerError(f"initdb failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    log.info("embedded postgres: created cluster in %s", layout.data_dir)
    return True


def ensure_database(layout: PostgresLayout, credentials: EmbeddedCredentials,
                    bind: str = "127.0.0.1") -> None:
    """Give a running cluster its application role (password applied at every start) and database.

    A cluster made by older code, which trusted every local connection and ran the platform as its
    superuser, is upgraded in place: the superuser gets its password, the application database and
    everything in it are handed to the application role, then pg_hba.conf's `trust` becomes
    scram-sha-256 and the server reloads it.
    """
    upgrading = _trusts_connections(layout)
    with _superuser_cursor(layout, credentials, bind, "postgres") as cur:
        if upgrading:
            _set_password(cur, PG_SUPERUSER, credentials.postgres_superuser_password)
        _ensure_app_role(cur, credentials.postgres_app_password)
        handed_over = _ensure_app_database(cur)
    if handed_over:
        with _superuser_cursor(layout, credentials, bind, PG_DATABASE) as cur:
            _hand_objects_to_app_role(cur)
    if upgrading:
        with _superuser_cursor(layout, credentials, bind, "postgres") as cur:
            _require_passwords(layout, cur)
        log.warning("embedded postgres: upgraded a cluster that trusted local connections: every connection "
                    "now needs a password, and the platform connects as %s, not as a superuser", PG_APP_ROLE)


@contextmanager
def _superuser_cursor(layout: PostgresLayout, credentials: EmbeddedCredentials, bind: str,
                      dbname: str) -> Iterator[Any]:
    url = layout.url(PG_SUPERUSER, credentials.postgres_superuser_password, bind, dbname)
    try:
        conn = psycopg2.connect(url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        # libpq's text names host, port and user, never the password
        detail = str(error).strip()
        raise EmbeddedServerError(f"embedded postgres refused the launcher's superuser: {detail}") from None
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            yield cur
    finally:
        conn.close()


def _set_password(cur: Any, role: str, password: str) -> None:
    # the SCRAM verifier, computed here, is all the server sees: no statement it logs holds a password
    verifier = psycopg2.extensions.encrypt_password(password, role, cur.connection, PASSWORD_METHOD)
    cur.execute(sql.SQL("ALTER ROLE {} PASSWORD %s").format(sql.Identifier(role)), (verifier,))


def _ensure_app_role(cur: Any, password: str) -> None:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PG_APP_ROLE,))
    verb = "ALTER" if cur.fetchone() else "CREATE"
    # every attribute spelled out, so an existing role loses any privilege someone gave it
    cur.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
                .format(sql.SQL(verb), sql.Identifier(PG_APP_ROLE)))
    _set_password(cur, PG_APP_ROLE, password)


def _ensure_app_database(cur: Any) -> bool:
    """Create the database owned by the application role, or hand it over; True when handed over now."""
    cur.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (PG_DATABASE,))
    row = cur.fetchone()
    names = (sql.Identifier(PG_DATABASE), sql.Identifier(PG_APP_ROLE))
    if row is None:
        cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(*names))
        return False
    if row[0] == PG_APP_ROLE:
        return False
    cur.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(*names))
    return True


# Everything the superuser owns in the application database's own schemas; sequences that belong to
# a table column follow their table. REASSIGN OWNED cannot do this: it refuses the bootstrap superuser.
_OWNED_BY_SUPERUSER = """
WITH ours AS (SELECT oid, nspname, nspowner FROM pg_namespace
              WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%%')
SELECT 'SCHEMA', quote_ident(nspname) FROM ours WHERE nspowner = %(owner)s::regrole
UNION ALL
SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                      WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.oid::regclass::text
  FROM pg_class c JOIN ours ON ours.oid = c.relnamespace
 WHERE c.relowner = %(owner)s::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'ROUTINE', p.oid::regprocedure::text FROM pg_proc p JOIN ours ON ours.oid = p.pronamespace
 WHERE p.proowner = %(owner)s::regrole
UNION ALL
SELECT 'TYPE', t.oid::regtype::text FROM pg_type t JOIN ours ON ours.oid = t.typnamespace
 WHERE t.typowner = %(owner)s::regrole AND t.typtype IN ('e', 'd', 'r')
"""


def _hand_objects_to_app_role(cur: Any) -> None:
    cur.execute(_OWNED_BY_SUPERUSER, {"owner": PG_SUPERUSER})
    objects = cur.fetchall()
    for kind, name in objects:  # kind from the fixed list above; name quoted by PostgreSQL itself
        cur.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), sql.SQL(name),
                                                               sql.Identifier(PG_APP_ROLE)))
    log.info("embedded postgres: %d objects of %s handed to %s", len(objects), PG_DATABASE, PG_APP_ROLE)


def _trusts_connections(layout: PostgresLayout) -> bool:
    return any(TRUST_METHOD.search(line) for line in _hba_rules(layout))


def _hba_rules(layout: PostgresLayout) -> list[str]:
    text = (layout.data_dir / "pg_hba.conf").read_text()
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _require_passwords(layout: PostgresLayout, cur: Any) -> None:
    """Turn every `trust` rule of pg_hba.conf into scram-sha-256 (other rules untouched), then reload."""
    path = layout.data_dir / "pg_hba.conf"
    lines = path.read_text().splitlines(keepends=True)
    rewritten = [line if line.lstrip().startswith("#") else TRUST_METHOD.sub(PASSWORD_METHOD, line)
                 for line in lines]
    path.write_text("".join(rewritten))  # truncated in place: owner and mode stay the server's
    cur.execute("SELECT pg_reload_conf()")


def _write_private(path: Path, text: str, os_user: str | None) -> None:
    """Write `text` to `path`, readable by its owner only (`os_user`, else us), even if it existed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(fd, 0o600)
        if os_user is not None:
            entry = pwd.getpwnam(os_user)
            os.fchown(fd, entry.pw_uid, entry.pw_gid)
        handle.write(text)


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
