"""Finished jobs reach PostgreSQL exactly once through the outbox, also across a database outage."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg2
import redis

from services.persistence import OutboxDrainer, SupervisedDrainer, start_drainer
from services.results import unfinished_result
from tests.runtime.conftest import Platform
from tests.servers import PostgresServer, RedisServer, wait_until
from utils import database_manager
from utils.ipc_manager import JobQueue, connect, encode_result, outbox_entry
from utils.redis_keys import KEY_OUTBOX


def stored_states(url: str) -> dict[str, list[str]]:
    """job id -> the job_state of every scans row with that id (a list, to see duplicates)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT job_id::text, job_state FROM scans")
        rows = cur.fetchall()
    conn.close()
    states: dict[str, list[str]] = {}
    for job_id, state in rows:
        states.setdefault(job_id, []).append(state)
    return states


class Drain:
    """A running drainer over a database, stopped at the end."""

    def __init__(self, platform: Platform, url: str) -> None:
        self.db = database_manager.Database(url, 1, 4, wait_s=2)
        database_manager.migrate(self.db)
        self.drainer = OutboxDrainer(platform.manager.queue, self.db, "test-drainer")
        self.stop_event = threading.Event()
        self.thread = start_drainer(self.drainer, self.stop_event)

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(10)
        self.db.close()


def test_every_finished_job_lands_in_postgres_once(platform: Platform, postgres_url: str) -> None:
    platform.start_workers("diagnostic", 2)
    drain = Drain(platform, postgres_url)
    manager = platform.manager
    try:
        slow = [manager.submit_scan_job("diagnostic", {"sleep_s": 1.0}) for _ in range(2)]  # both busy
        queued = manager.submit_scan_job("diagnostic", {})
        assert manager.cancel_scan_job(queued) == "cancelled"
        good = [manager.submit_scan_job("diagnostic", {}) for _ in range(150)]
        bad = [manager.submit_scan_job("diagnostic", {"raise_error": "boom"}) for _ in range(20)]
        for job_id in [*good, *bad, *slow]:
            assert manager.queue.wait(job_id, 30) is not None
        wait_until(lambda: manager.queue.outbox_depth() == 0 and len(stored_states(postgres_url)) == 173,
                   20, what="the outbox drained")
    finally:
        drain.stop()
    states = stored_states(postgres_url)
    assert all(len(rows) == 1 for rows in states.values())
    assert {states[j][0] for j in good} == {"succeeded"} and {states[j][0] for j in bad} == {"failed"}
    assert states[queued] == ["cancelled"]
    assert drain.drainer.stats()["written"] == 173 and drain.drainer.stats()["duplicates"] == 0


def test_postgres_outage_mid_run_loses_and_duplicates_nothing(platform: Platform,
                                                              stoppable_postgres: PostgresServer) -> None:
    (worker,) = platform.start_workers("diagnostic")
    drain = Drain(platform, stoppable_postgres.url)
    manager = platform.manager
    try:
        first = [manager.submit_scan_job("diagnostic", {"sleep_s": 0.01}) for _ in range(100)]
        wait_until(lambda: len(stored_states(stoppable_postgres.url)) >= 10, 20, what="early rows")
        stoppable_postgres.stop()
        during = [manager.submit_scan_job("diagnostic", {}) for _ in range(100)]
        results = [manager.queue.wait(job_id, 30) for job_id in [*first, *during]]
        assert all(r is not None and r["job_state"] == "succeeded" for r in results)  # read from Redis
        assert manager.queue.outbox_depth() > 0 and not drain.drainer.db_available
        stoppable_postgres.start()
        wait_until(lambda: manager.queue.outbox_depth() == 0, 30, step_s=0.2, what="the outbox drained")
    finally:
        drain.stop()
    states = stored_states(stoppable_postgres.url)
    assert sorted(states) == sorted([*first, *during])
    assert all(rows == ["succeeded"] for rows in states.values())
    assert worker.restarts == 0


def test_a_drainer_that_dies_is_restarted_with_back_off_and_reported(
        redis_server: RedisServer, redis_client: redis.Redis, stoppable_postgres: PostgresServer) -> None:
    db = database_manager.Database(stoppable_postgres.url, 1, 2, wait_s=2)
    database_manager.migrate(db)
    queue = JobQueue(connect(redis_server.url))
    supervised = SupervisedDrainer(OutboxDrainer(queue, db, "test-drainer"), backlog_max=1,
                                   backoff_initial_s=0.2, backoff_max_s=0.4)
    supervised.start(time.monotonic())
    _rename_scans(stoppable_postgres.url, "scans", "scans_elsewhere")  # an error run() does not expect
    for _ in range(3):
        job_id = str(uuid.uuid4())
        record = {"id": job_id, "scanner": "diagnostic", "created_at": time.time(), "attempts": 1}
        result = unfinished_result("diagnostic", "failed", "boom")
        queue.redis.lpush(KEY_OUTBOX, outbox_entry(record, encode_result(result)))
    wait_until(lambda: _ticked(supervised) and supervised.restarts >= 2, 10, what="two restarts")
    figures = supervised.stats()
    assert figures["last_error"] == "UndefinedTable" and figures["waiting"] >= 2
    assert not figures["healthy"] and not supervised.healthy()
    assert figures["backoff_s"] in (0.2, 0.4) and figures["state"] in ("running", "backoff")
    _rename_scans(stoppable_postgres.url, "scans_elsewhere", "scans")
    wait_until(lambda: _ticked(supervised) and supervised.stats()["waiting"] == 0
               and supervised.state == "running", 10, what="the outbox drained after the repair")
    assert supervised.healthy() and len(stored_states(stoppable_postgres.url)) == 3
    supervised.stop(5)
    db.close()


def _ticked(supervised: SupervisedDrainer) -> bool:
    supervised.tick(time.monotonic())
    return True


def _rename_scans(url: str, old: str, new: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"ALTER TABLE {old} RENAME TO {new}")
    conn.close()
