"""Chaos soak: steady load through real workers while workers die, Redis restarts and PostgreSQL goes away.

    .venv/bin/python -m bench.chaos [--minutes 5] [--workers 3] [--rate 20] [--seed 7]

A real redis-server (AOF on) and a real PostgreSQL (initdb, as in the tests) start in a temporary
directory; a ProcessManager supervises `--workers` diagnostic worker processes (a supervisor tick
thread, as the launcher runs it) and an outbox drainer writes finished jobs to PostgreSQL, exactly
as `launcher.py` does. A submitter thread queues `--rate` jobs a second (each sleeps 20 ms) for the
whole run. Meanwhile, on a schedule drawn from `--seed`:

- random workers get SIGKILL (about three a minute): recovery = kill until /health answers from a
  new pid;
- Redis is stopped, kept down 2 s and started again (SIGTERM: it writes its append-only file):
  recovery = Redis back until a probe job submitted then has its result;
- PostgreSQL is stopped for a fifth of the run (at most 30 s): recovery = PostgreSQL back until the
  outbox is empty again (also shown: until the drainer's first write, and the backlog it found).

Submissions refused while Redis is down are counted as refused, not submitted (the caller was told).
At the end the load stops and every submitted job is waited for. Printed: submitted, completed,
lost (submitted jobs with no result in Redis or no row in PostgreSQL: must be 0), duplicated (jobs
recorded finished more than once, or with more than one PostgreSQL row: must be 0), dead-lettered
jobs, worker restarts and every recovery time. Exit status 1 when lost or duplicated is above 0.
Every child is stopped by its PID.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg2
import redis
import requests

from services.persistence import OutboxDrainer, start_drainer
from services.process_manager import ProcessManager, ProcState, Supervised, worker_spec
from tests.servers import PostgresServer, RedisServer, free_port, wait_until
from utils import database_manager
from utils.config import Settings
from utils.redis_keys import KEY_JOB

SCANNER = "diagnostic"
JOB_REQUEST = {"sleep_s": 0.02}
# short staleness windows, as in the runtime tests: a killed worker's job is requeued within seconds
FAST = {"DG_HEARTBEAT_STALE_S": "3", "DG_LOOP_STALE_S": "5", "DG_REAPER_INTERVAL_S": "1",
        "DG_STOP_TIMEOUT_S": "3", "DG_HARD_TIMEOUT_GRACE_S": "2"}
REDIS_DOWN_S = 2.0
MAX_PG_OUTAGE_S = 30.0
KILLS_PER_MINUTE = 3
RECOVERY_TIMEOUT_S = 60.0
FINISH_TIMEOUT_S = 180.0  # after the load stops, every submitted job must be done within this


class Rig:
    """Redis, PostgreSQL, supervised workers and a drainer in one temporary directory."""

    def __init__(self, root: Path, workers: int) -> None:
        self.redis = RedisServer(root / "redis")
        self.postgres = PostgresServer(root / "postgres")
        self.redis.start()
        self.postgres.start()
        env = {**FAST, "DG_REDIS_URL": self.redis.url, "DG_DATABASE_URL": self.postgres.url,
               "DG_DATA_DIR": str(root / "var")}
        self.settings = Settings.from_env(env)
        self.manager = ProcessManager(self.settings)
        self.db = database_manager.Database(self.postgres.url, 1, 4, wait_s=2)
        database_manager.migrate(self.db)
        self.drainer = OutboxDrainer(self.manager.queue, self.db, "chaos:drainer")
        self.drainer_stop = threading.Event()
        self.drainer_thread = start_drainer(self.drainer, self.drainer_stop)
        self.children = [self._start_worker(index, env) for index in range(workers)]
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()
        for child in self.children:
            wait_until(lambda c=child: c.state == ProcState.RUNNING, 30, what=f"{child.spec.name} RUNNING")

    def _start_worker(self, index: int, env: dict[str, str]) -> Supervised:
        spec = worker_spec(self.settings, SCANNER, free_port(), index)
        child = self.manager.add(dataclasses.replace(spec, env={**(spec.env or {}), **env}))
        self.manager.start(spec.name)
        return child

    def _tick(self) -> None:
        while not self._stop.is_set():
            self.manager.tick(time.monotonic())
            time.sleep(0.05)

    def healthy_pid(self, child: Supervised) -> int | None:
        """The pid /health reports when the worker answers 200, else None."""
        try:
            response = requests.get(f"http://127.0.0.1:{child.spec.port}/health", timeout=1)
        except requests.RequestException:
            return None
        return int(response.json()["pid"]) if response.status_code == 200 else None

    def close(self) -> None:
        self._stop.set()
        self._ticker.join(5)
        self.manager.stop(list(self.manager.children), 10)
        self.manager.close()
        self.drainer_stop.set()
        self.drainer_thread.join(10)
        self.db.close()
        self.postgres.stop()
        self.redis.stop()


class Load:
    """Submits jobs at a steady rate from a thread; remembers the ids Redis accepted."""

    def __init__(self, manager: ProcessManager, rate: float) -> None:
        self.manager, self.period = manager, 1.0 / rate
        self.submitted: list[str] = []
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            try:
                self.submitted.append(self.manager.submit_scan_job(SCANNER, JOB_REQUEST))
            except redis.RedisError:  # Redis is down: the caller is told, nothing was queued
                self.refused += 1
            next_at = max(next_at + self.period, time.monotonic() - 1.0)  # no burst after a stall
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


def kill_worker(rig: Rig, rng: random.Random) -> float:
    """SIGKILL a random running worker; seconds until /health answers from a new pid."""
    child = rng.choice([c for c in rig.children if c.pid is not None])
    old = child.pid
    assert old is not None
    os.kill(old, signal.SIGKILL)
    killed = time.monotonic()
    wait_until(lambda: (pid := rig.healthy_pid(child)) is not None and pid != old, RECOVERY_TIMEOUT_S,
               step_s=0.05, what=f"{child.spec.name} back after SIGKILL")
    return time.monotonic() - killed


def restart_redis(rig: Rig) -> float:
    """Stop Redis, keep it down, start it; seconds from its return until a new job has its result."""
    rig.redis.restart(down_s=REDIS_DOWN_S)
    back = time.monotonic()

    def probe_done() -> bool:
        try:
            job_id = rig.manager.submit_scan_job(SCANNER, {})
            return rig.manager.queue.wait(job_id, 5) is not None
        except redis.RedisError:
            return False
    wait_until(probe_done, RECOVERY_TIMEOUT_S, step_s=0.1, what="a job done after the Redis restart")
    return time.monotonic() - back


def postgres_outage(rig: Rig, outage_s: float, recoveries: dict[str, list[float]]) -> float:
    """Stop PostgreSQL for `outage_s`; seconds from its return until the outbox is empty again.

    Also notes in `recoveries["postgres_first_write"]` how long the drainer took to write again.
    """
    rig.postgres.stop()
    time.sleep(outage_s)
    backlog, written = rig.manager.queue.outbox_depth(), rig.drainer.written
    rig.postgres.start()
    back = time.monotonic()
    wait_until(lambda: rig.drainer.written > written, RECOVERY_TIMEOUT_S, step_s=0.02,
               what="the drainer writing again")
    recoveries["postgres_first_write"].append(time.monotonic() - back)
    wait_until(lambda: rig.manager.queue.outbox_depth() == 0, RECOVERY_TIMEOUT_S, step_s=0.1,
               what="the outbox drained after the PostgreSQL outage")
    recoveries["postgres_backlog"].append(float(backlog))
    return time.monotonic() - back


def schedule(minutes: float, rng: random.Random) -> list[tuple[float, str]]:
    """(seconds from start, event) for the whole run, in time order."""
    total = minutes * 60.0
    kills = max(3, round(KILLS_PER_MINUTE * minutes))
    events = [(rng.uniform(0.05, 0.95) * total, "kill") for _ in range(kills)]
    events += [(0.3 * total, "redis"), (0.55 * total, "postgres")]
    return sorted(events)


def run_chaos(rig: Rig, minutes: float, rng: random.Random) -> dict[str, list[float]]:
    """Play the schedule (events that fall due while another recovers run right after it)."""
    recoveries: dict[str, list[float]] = {"kill": [], "redis": [], "postgres": [], "postgres_first_write": [],
                                          "postgres_backlog": []}
    outage_s = min(MAX_PG_OUTAGE_S, 0.2 * minutes * 60.0)
    actions: dict[str, Callable[[], float]] = {
        "kill": lambda: kill_worker(rig, rng), "redis": lambda: restart_redis(rig),
        "postgres": lambda: postgres_outage(rig, outage_s, recoveries)}
    start = time.monotonic()
    for at, event in schedule(minutes, rng):
        time.sleep(max(0.0, start + at - time.monotonic()))
        recoveries[event].append(actions[event]())
        print(f"  {time.monotonic() - start:6.1f}s  {event:<8} recovered in {recoveries[event][-1]:.2f}s",
              flush=True)
    time.sleep(max(0.0, start + minutes * 60.0 - time.monotonic()))
    return recoveries


def pg_rows(url: str) -> dict[str, int]:
    """job id -> number of scans rows."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT job_id::text, count(*) FROM scans GROUP BY job_id")
        rows = dict(cur.fetchall())
    conn.close()
    return rows


def tally(rig: Rig, submitted: list[str]) -> dict[str, Any]:
    """Wait for every submitted job and the outbox; count what completed, was lost or duplicated."""
    queue = rig.manager.queue
    deadline = time.monotonic() + FINISH_TIMEOUT_S
    results = {job_id: queue.wait(job_id, max(0.1, deadline - time.monotonic())) for job_id in submitted}
    wait_until(lambda: queue.outbox_depth() == 0, 60, step_s=0.2, what="the outbox drained at the end")
    rows = pg_rows(rig.postgres.url)
    completions = [int(queue.redis.hget(KEY_JOB.format(job_id=j), "completions") or 0) for j in submitted]
    states = [r["job_state"] if r else None for r in results.values()]
    return {
        "submitted": len(submitted),
        "completed": sum(1 for s in states if s is not None),
        "succeeded": states.count("succeeded"),
        "dead_or_failed": sum(1 for s in states if s in ("dead", "failed", "timed_out")),
        "lost": sum(1 for j, r in results.items() if r is None or rows.get(j, 0) == 0),
        "duplicated": sum(1 for c in completions if c > 1) + sum(1 for j in submitted if rows.get(j, 0) > 1),
    }


def summarise(recoveries: dict[str, list[float]]) -> dict[str, Any]:
    """Count, median and max recovery per kind of fault."""
    return {kind: {"count": len(times), "median_s": round(statistics.median(times), 2) if times else None,
                   "max_s": round(max(times), 2) if times else None} for kind, times in recoveries.items()}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the soak (default 5)")
    parser.add_argument("--workers", type=int, default=3, help="diagnostic worker processes (default 3)")
    parser.add_argument("--rate", type=float, default=20.0, help="jobs submitted per second (default 20)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the fault schedule")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the soak, print the figures; 1 when anything was lost or duplicated."""
    args = parse_args(argv)
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="dg-chaos-"))
    root.chmod(0o755)  # the postgres user must reach its cluster below
    rig = Rig(root, args.workers)
    try:
        print(f"chaos: {args.minutes:g} min, {args.workers} workers, {args.rate:g} jobs/s, seed {args.seed}",
              flush=True)
        load = Load(rig.manager, args.rate)
        recoveries = run_chaos(rig, args.minutes, rng)
        load.stop()
        backlog = [int(n) for n in recoveries.pop("postgres_backlog")]
        figures = {**tally(rig, load.submitted), "refused_while_redis_down": load.refused,
                   "outbox_backlog_at_postgres_return": backlog,
                   "worker_restarts": sum(c.restarts for c in rig.children),
                   "drainer": rig.drainer.stats(), "recovery": summarise(recoveries)}
    finally:
        rig.close()
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    ok = figures["lost"] == 0 and figures["duplicated"] == 0
    print(f"chaos: submitted {figures['submitted']}, completed {figures['completed']}, "
          f"lost {figures['lost']}, duplicated {figures['duplicated']} -> {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
