"""The embedded servers trust no one else on the machine (issue 13, item 4).

Against the real servers: the session fixtures run the launcher's own command lines, and one test
starts `python launcher.py` itself, as tests/test_launcher.py does, and looks at what it left on disk,
in /proc and in its logs. Before: PostgreSQL trusted every local connection and the platform was its
superuser, Redis had no password, postgres ran in group 0, and everything written was world-readable.
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg2
import psycopg2.errors
import pytest
import redis
import requests
from redis.backoff import NoBackoff
from redis.retry import Retry

from services import embedded_servers
from tests import test_launcher
from tests.servers import PostgresServer, RedisServer, stop_process, wait_until
from tests.test_launcher import ops, platform_healthy, start_launcher, stop_and_check_nothing_left
from utils import database_manager
from utils.config import Settings
from utils.credentials import PG_APP_ROLE, PG_DATABASE, PG_SUPERUSER
from utils.repositories import api_keys, organisations

WRONG_PASSWORD = "not-the-password-" + "x" * 20
ADMIN_PASSWORD = "first-admin-" + "Pw9" * 6  # the launcher's environment holds this secret

launcher_env = test_launcher.launcher_env  # a private data dir and free ports


def _refused(host: str, port: int, user: str, password: str | None, dbname: str = PG_DATABASE) -> bool:
    try:
        psycopg2.connect(host=host, port=port, user=user, password=password, dbname=dbname,
                         connect_timeout=3).close()
    except psycopg2.OperationalError:
        return True
    return False


def _redis_refuses(port: int, password: str | None) -> bool:
    # no retries: redis-py 8 retries a refused AUTH like a dropped connection, for seconds
    client = redis.Redis(host="127.0.0.1", port=port, password=password, retry=Retry(NoBackoff(), 0))
    try:
        client.ping()
    except redis.AuthenticationError:
        return True
    finally:
        client.close()
    return False


def _ids(pid: int) -> dict[str, list[int]]:
    """Uid, Gid (real, effective, saved, fs) and supplementary Groups of a process."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in lines if line.startswith(("Uid:", "Gid:", "Groups:")))
    return {name: [int(v) for v in value.split()] for name, value in fields.items()}


def _postgres_family(pid: int) -> list[int]:
    root = psutil.Process(pid)
    return [root.pid, *(child.pid for child in root.children(recursive=True))]


def _assert_own_group_only(pid: int) -> None:
    postgres = pwd.getpwnam("postgres")
    for member in _postgres_family(pid):
        try:
            ids = _ids(member)
        except FileNotFoundError:
            assert member != pid, "the postmaster itself is gone"
            continue  # a backend that ended between the listing and the read
        assert ids["Uid"] == [postgres.pw_uid] * 4, (member, ids)
        assert ids["Gid"] == [postgres.pw_gid] * 4 and ids["Groups"] == [], (member, ids)


# --- the session servers (the launcher's command lines) ------------------------------------------
@pytest.mark.parametrize("user", [PG_APP_ROLE, PG_SUPERUSER])
@pytest.mark.parametrize("password", [None, WRONG_PASSWORD])
def test_postgres_asks_every_connection_for_its_password(postgres_server: PostgresServer, user: str,
                                                         password: str | None) -> None:
    layout = postgres_server.layout
    assert _refused("127.0.0.1", layout.port, user, password)
    assert _refused(str(layout.socket_dir), layout.port, user, password)  # the unix socket too
    psycopg2.connect(postgres_server.url).close()  # the right one still gets in


def test_redis_refuses_clients_without_its_password(redis_server: RedisServer) -> None:
    assert _redis_refuses(redis_server.port, None) and _redis_refuses(redis_server.port, WRONG_PASSWORD)
    assert redis.Redis.from_url(redis_server.url).ping()


def test_the_application_role_owns_its_database_and_nothing_more(postgres_url: str) -> None:
    conn = psycopg2.connect(postgres_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
                    "pg_get_userbyid(d.datdba) = current_user FROM pg_roles, pg_database d "
                    "WHERE rolname = current_user AND d.datname = current_database()")
        assert cur.fetchone() == (False, False, False, False, False, True)
        for statement in ("COPY (SELECT 1) TO PROGRAM 'true'", "SELECT pg_read_file('/etc/passwd')",
                          "CREATE ROLE intruder LOGIN SUPERUSER", "ALTER SYSTEM SET log_statement = 'all'"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
    conn.close()


def test_postgres_runs_in_its_own_group_only(postgres_server: PostgresServer) -> None:
    assert postgres_server.proc is not None
    _assert_own_group_only(postgres_server.proc.pid)


# --- a cluster made by the code before --------------------------------------------------------
@pytest.fixture
def trusting_cluster() -> Iterator[PostgresServer]:
    """A cluster as older code left it: trust authentication, migrated and filled as the superuser."""
    directory = Path(tempfile.mkdtemp(prefix="dg-trusting-postgres-"))
    directory.chmod(0o711)  # the postgres user passes through to its cluster
    server = PostgresServer(directory / "cluster")
    layout = server.layout
    for path in (layout.data_dir, layout.socket_dir):
        path.mkdir(parents=True, mode=0o700)
        if layout.os_user:
            owner = pwd.getpwnam(layout.os_user)
            os.chown(path, owner.pw_uid, owner.pw_gid)
    subprocess.run([str(layout.bin_dir / "initdb"), "-D", str(layout.data_dir), "-U", PG_SUPERUSER,
                    "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
                   check=True, capture_output=True, **embedded_servers.run_as(layout.os_user))
    old = subprocess.Popen(layout.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           **embedded_servers.run_as(layout.os_user))
    try:
        trusted = f"postgresql://{PG_SUPERUSER}@127.0.0.1:{layout.port}"  # no password, as before
        wait_until(lambda: not _refused("127.0.0.1", layout.port, PG_SUPERUSER, None, "postgres"), 20,
                   what="the old-style cluster")
        admin = psycopg2.connect(f"{trusted}/postgres")
        admin.autocommit = True
        admin.cursor().execute(f"CREATE DATABASE {PG_DATABASE}")
        admin.close()
        database = database_manager.Database(f"{trusted}/{PG_DATABASE}", minconn=0, maxconn=1)
        database_manager.migrate(database)
        organisations.create_organisation("Kept Across The Upgrade", db=database)
        database.close()
    finally:
        stop_process(old)
    yield server
    server.stop()
    subprocess.run(["rm", "-rf", str(directory)], check=False)


OWNERS_IN_PUBLIC = """
SELECT pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public'
UNION SELECT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public'
UNION SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'
"""


def test_a_cluster_that_trusted_everyone_is_upgraded_in_place(trusting_cluster: PostgresServer) -> None:
    trusting_cluster.start()  # what the launcher does at every start
    port = trusting_cluster.layout.port
    assert _refused("127.0.0.1", port, PG_SUPERUSER, None, "postgres")
    assert _refused("127.0.0.1", port, PG_APP_ROLE, None)
    database = database_manager.Database(trusting_cluster.url, minconn=0, maxconn=1)
    try:
        assert database_manager.migrate(database) == []  # the app role sees the schema as migrated
        with database.transaction() as cur:
            cur.execute("SELECT name FROM organisations")
            assert [row["name"] for row in cur.fetchall()] == ["Kept Across The Upgrade"]
            cur.execute(OWNERS_IN_PUBLIC)  # every table, index, sequence and function is the app role's now
            # (schema public belongs to pg_database_owner: whoever owns the database, the app role now)
            assert {row["owner"] for row in cur.fetchall()} == {PG_APP_ROLE, "pg_database_owner"}
            cur.execute("ALTER TABLE organisations ADD COLUMN upgraded boolean")  # later migrations can
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            assert cur.fetchone()["rolsuper"] is False
    finally:
        database.close()
    trusting_cluster.stop()  # a second start finds nothing left to upgrade
    trusting_cluster.start()
    assert _refused("127.0.0.1", port, PG_SUPERUSER, None, "postgres")


# --- the launched platform ---------------------------------------------------------------------
def _offenders(data_dir: Path) -> list[str]:
    """Entries under `data_dir` that others may read or write (passage-only directories excepted)."""
    found = []
    for path in [data_dir, *data_dir.rglob("*")]:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            continue  # PostgreSQL's socket is 0777 by design, in a directory only postgres may enter
        others = stat.S_IMODE(info.st_mode) & 0o077
        passage = stat.S_ISDIR(info.st_mode) and others in (0, 0o011)  # enter, never list
        if others and not passage:
            found.append(f"{path.relative_to(data_dir)} {stat.S_IMODE(info.st_mode):04o}")
    return found


def _nobody_can_read(path: Path) -> bool:
    denied = subprocess.run(["cat", str(path)], capture_output=True, check=False,
                            **embedded_servers.run_as("nobody"))
    return denied.returncode != 0 and b"Permission denied" in denied.stderr


def _upload_through_nginx(env: dict[str, str], settings: Settings) -> Path:
    database = database_manager.Database(settings.effective_database_url(), minconn=0, maxconn=1)
    org_id = organisations.create_organisation("Private Files BV", db=database)
    _, key = api_keys.create_api_key(org_id, "upload test", db=database)
    database.close()
    # 100 KB: over nginx's in-memory body buffer, so it goes through its client_body temp dir
    response = requests.post(f"http://127.0.0.1:{env['DG_NGINX_PORT']}/api/v1/uploads", timeout=10,
                             headers={"Authorization": f"Bearer {key}"},
                             files={"file": ("contract.txt", b"Geachte heer,\n" * 8000)})
    assert response.status_code == 201, response.text
    return Path(response.json()["upload"])


@pytest.fixture
def launched(launcher_env: dict[str, str]) -> Iterator[tuple[dict[str, str], psutil.Process]]:
    """`python launcher.py --no-ui --scanners code` in a private data dir, healthy; stopped after."""
    env = {**launcher_env, "DG_ADMIN_PASSWORD": ADMIN_PASSWORD}
    proc = start_launcher(env, "--no-ui", "--scanners", "code")
    try:
        wait_until(lambda: platform_healthy(env, proc), 90, step_s=0.3, what="platform /health 200")
        yield env, psutil.Process(proc.pid)
    finally:
        if proc.poll() is None:
            stop_and_check_nothing_left(proc)


@pytest.mark.slow
def test_a_launched_platform_keeps_its_servers_and_files_to_itself(
        launched: tuple[dict[str, str], psutil.Process]) -> None:
    env, launcher = launched
    settings = Settings.from_env(env)
    data_dir = settings.data_dir
    secrets = settings.embedded_credentials()
    passwords = [secrets.postgres_superuser_password, secrets.postgres_app_password, secrets.redis_password]
    # the servers refuse a local user who does not know the passwords
    assert _refused("127.0.0.1", settings.postgres_port, PG_SUPERUSER, None, "postgres")
    assert _refused("127.0.0.1", settings.postgres_port, PG_APP_ROLE, None)
    assert _redis_refuses(settings.redis_port, None)
    upload = _upload_through_nginx(env, settings)

    # what the platform wrote is its own user's alone: the passwords, uploads, logs, the AOF, nginx's files
    assert stat.S_IMODE(settings.credentials_path.stat().st_mode) == 0o600
    aof = next((data_dir / "redis" / "appendonlydir").glob("*.aof"))
    logs = [*(data_dir / "log").glob("*.log"), data_dir / "nginx" / "logs" / "access.log"]
    named = [settings.credentials_path, upload, aof, *logs, data_dir / "nginx" / "nginx.conf"]
    assert len(logs) >= 5 and all(_nobody_can_read(path) for path in named)
    assert _offenders(data_dir) == []

    # PostgreSQL's processes: the postgres user's own group, and none of our environment's secrets
    postgres = ops(env, "/stats").json()["processes"]["postgres"]["pid"]
    _assert_own_group_only(postgres)
    for pid in _postgres_family(postgres):
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        assert ADMIN_PASSWORD.encode() not in environ and b"DG_" not in environ

    # no password on any command line (`ps` shows them to everyone) or in any file but its own two
    family = [launcher, *launcher.children(recursive=True)]
    command_lines = [Path(f"/proc/{p.pid}/cmdline").read_bytes() for p in family if p.is_running()]
    assert len(command_lines) >= 6
    allowed = {settings.credentials_path, data_dir / "redis" / embedded_servers.REDIS_CONFIG_FILE}
    holders = [str(p) for p in data_dir.rglob("*") if p.is_file() and not p.is_symlink() and p not in allowed
               and any(password.encode() in p.read_bytes() for password in passwords)]
    assert holders == []
    assert not any(password.encode() in line for line in command_lines for password in passwords)
