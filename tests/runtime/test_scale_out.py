"""Scale-out: two `launcher.py --role workers` hosts on one Redis and one PostgreSQL.

Both launchers start at the same moment against an empty database (each migration must run once),
share a steady run of jobs, and then one whole host is lost: the launcher and every process under it
get SIGKILL. The other host finishes everything; nothing is lost and nothing completes twice.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg2
import pytest
import redis
import requests

from services.process_manager import ProcessManager
from tests.runtime.conftest import FAST_SETTINGS, Platform
from tests.runtime.test_persistence import Drain, stored_states
from tests.runtime.test_workers import completions, wait_all
from tests.servers import RedisServer, free_port, stop_process, wait_until
from utils.circuit_breaker import BreakerRegistry, CircuitBreakerError
from utils.config import Settings
from utils.database_manager import Database, load_migrations, migrate
from utils.redis_keys import KEY_OUTBOX_CONSUMER, KEY_OUTBOX_PROCESSING

REPO_ROOT = Path(__file__).resolve().parents[2]
JOBS = 300
LOST = "lost-host:launcher:5050"
# a drainer of a host about to be lost: it renews a 1 s heartbeat and drains until killed
LOST_DRAINER = f"""
import sys
from services.persistence import OutboxDrainer, start_drainer
from utils.database_manager import Database
from utils.ipc_manager import JobQueue, connect
drainer = OutboxDrainer(JobQueue(connect(sys.argv[1])), Database(sys.argv[2], 1, 2, wait_s=60), {LOST!r},
                        heartbeat_ttl_s=1.0)
start_drainer(drainer).join()
"""


class Host:
    """One `launcher.py --role workers` process with two diagnostic workers, on its own ports."""

    def __init__(self, name: str, root: Path, redis_url: str, database_url: str) -> None:
        self.name = name
        self.ops_port = free_port()
        self.env = {**os.environ, **FAST_SETTINGS, "DG_REDIS_URL": redis_url, "DG_DATABASE_URL": database_url,
                    "DG_DATA_DIR": str(root / name), "DG_HOSTNAME": name, "DG_OPS_PORT": str(self.ops_port),
                    "DG_WORKER_BASE_PORT": str(free_port()), "DG_WORKERS": "diagnostic:2",
                    "DG_ADMIN_PASSWORD": "scale-out-admin-password-1"}
        self.log = root / f"{name}.out"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "launcher.py", "--role", "workers", "--scanners", "diagnostic"],
                cwd=REPO_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def ready(self) -> bool:
        assert self.proc is not None and self.proc.poll() is None, self.log.read_text()[-2000:]
        try:
            return bool(requests.get(f"http://127.0.0.1:{self.ops_port}/stats", timeout=2).json()["ready"])
        except requests.RequestException:
            return False

    def kill_everything(self) -> int:
        """SIGKILL the launcher and every process under it, as losing the machine would; returns how many."""
        assert self.proc is not None
        # workers run in sessions of their own (start_new_session), so the launcher's process group
        # alone would leave them running: the whole tree under the launcher goes instead
        tree = [*psutil.Process(self.proc.pid).children(recursive=True), psutil.Process(self.proc.pid)]
        for process in tree:
            process.send_signal(signal.SIGKILL)
        psutil.wait_procs(tree, timeout=10)
        self.proc.wait(10)
        return len(tree)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)


@pytest.fixture
def hosts(tmp_path: Path, redis_server: RedisServer, redis_client: redis.Redis,
          postgres_url: str) -> Iterator[list[Host]]:
    """Two worker hosts on the session Redis and an empty session database, not started yet."""
    both = [Host(name, tmp_path, redis_server.url, postgres_url) for name in ("host-a", "host-b")]
    yield both
    for host in both:
        host.stop()


def _host_of(manager: ProcessManager, job_id: str) -> str:
    return manager.get_job_status(job_id).get("worker", "").split(":", 1)[0]


@pytest.mark.slow  # two whole launchers
def test_second_host_takes_a_share_and_losing_it_whole_loses_nothing(
        hosts: list[Host], postgres_url: str, redis_client: redis.Redis, redis_server: RedisServer) -> None:
    for host in hosts:  # at the same moment, against an empty database
        host.start()
    for host in hosts:
        wait_until(host.ready, 60, step_s=0.2, what=f"{host.name} ready")
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version")
        assert cur.fetchall() == [(m.version, 1) for m in load_migrations()]
    conn.close()
    manager = ProcessManager(Settings.from_env({"DG_REDIS_URL": redis_server.url}))
    job_ids = [manager.submit_scan_job("diagnostic", {"sleep_s": 0.04}) for _ in range(JOBS)]
    wait_until(lambda: manager.queue.scanner_stats("diagnostic").counters["succeeded"] >= JOBS // 3, 30,
               step_s=0.05, what="a third of the run done")
    done = [j for j in job_ids if manager.get_job_status(j)["state"] == "succeeded"]
    before = Counter(_host_of(manager, j) for j in done)
    assert before["host-a"] > 0 and before["host-b"] > 0  # both hosts took a share
    assert hosts[1].kill_everything() >= 3  # the launcher and its two workers
    results = wait_all(manager.queue, job_ids, 90)
    assert all(r["job_state"] == "succeeded" for r in results.values())
    assert all(completions(redis_client, j) == 1 for j in job_ids)
    counters = manager.queue.scanner_stats("diagnostic").counters
    assert counters["succeeded"] == JOBS and counters["dead"] == counters["failed"] == 0
    after = Counter(_host_of(manager, j) for j in job_ids)
    assert after["host-a"] > before["host-a"] and sum(after.values()) == JOBS
    wait_until(lambda: len(stored_states(postgres_url)) == JOBS and manager.queue.outbox_depth() == 0, 30,
               step_s=0.2, what="every result in PostgreSQL")
    states = stored_states(postgres_url)
    assert sorted(states) == sorted(job_ids) and all(rows == ["succeeded"] for rows in states.values())
    manager.close()
    _assert_launcher_lists_shared_breakers(hosts[0], redis_client)


def _assert_launcher_lists_shared_breakers(host: Host, redis_client: redis.Redis) -> None:
    """A breaker opened by any process shows in the launcher's /stats, with its opening time."""
    breaker = BreakerRegistry(redis_client).for_host("git.example", "code")
    for _ in range(3):
        with contextlib.suppress(OSError, CircuitBreakerError):
            breaker.call(_unreachable)
    listed = requests.get(f"http://127.0.0.1:{host.ops_port}/stats", timeout=5).json()["breakers"]
    assert listed["code@git.example"]["state"] == "open" and listed["code@git.example"]["fail_counter"] == 3
    assert listed["code@git.example"]["opened_at"]


def _unreachable() -> None:
    raise OSError("no route to host")


def test_entry_held_by_a_drainer_killed_mid_write_reaches_postgres_once(
        platform: Platform, postgres_url: str, redis_client: redis.Redis, redis_server: RedisServer) -> None:
    platform.start_workers("diagnostic")
    job_ids = [platform.manager.submit_scan_job("diagnostic", {}) for _ in range(5)]
    wait_all(platform.manager.queue, job_ids, 30)  # five entries wait in the outbox: no drainer yet
    migrate(Database(postgres_url, 0, 1))
    held = KEY_OUTBOX_PROCESSING.format(consumer=LOST)
    blocker = psycopg2.connect(postgres_url)
    with blocker.cursor() as cur:  # the lost drainer's INSERT waits on this lock, holding its entry
        cur.execute("LOCK TABLE scans IN ACCESS EXCLUSIVE MODE")
    lost = subprocess.Popen([sys.executable, "-c", LOST_DRAINER, redis_server.url, postgres_url],
                            cwd=REPO_ROOT)
    try:
        wait_until(lambda: redis_client.llen(held) == 1, 20, what="the lost drainer holding an entry")
    finally:
        lost.send_signal(signal.SIGKILL)  # the host is gone mid-write
        lost.wait(10)
        blocker.rollback()
        blocker.close()
    assert redis_client.llen(held) == 1
    drain = Drain(platform, postgres_url)
    try:
        wait_until(lambda: len(stored_states(postgres_url)) == 5, 20, step_s=0.2, what="all five stored")
        assert redis_client.llen(held) == 0
        assert not redis_client.exists(KEY_OUTBOX_CONSUMER.format(consumer=LOST))
        assert drain.drainer.stats()["reclaimed"] == 1
    finally:
        drain.stop()
    states = stored_states(postgres_url)
    assert sorted(states) == sorted(job_ids) and all(rows == ["succeeded"] for rows in states.values())
