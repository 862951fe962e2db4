"""Finished jobs reach PostgreSQL exactly once through the outbox, also across a database outage."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from services.persistence import OutboxDrainer, start_drainer
from tests.runtime.conftest import Platform
from tests.servers import PostgresServer, wait_until
from utils import database_manager


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
        self.thread, self.stop_event = start_drainer(self.drainer)

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


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL this test may stop and start."""
    root = Path(tempfile.mkdtemp(prefix="dg-pg-outage-"))
    server = PostgresServer(root / "cluster")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_postgres_outage_mid_run_loses_and_duplicates_nothing(platform: Platform,
                                                              own_postgres: PostgresServer) -> None:
    (worker,) = platform.start_workers("diagnostic")
    drain = Drain(platform, own_postgres.url)
    manager = platform.manager
    try:
        first = [manager.submit_scan_job("diagnostic", {"sleep_s": 0.01}) for _ in range(100)]
        wait_until(lambda: len(stored_states(own_postgres.url)) >= 10, 20, what="rows before the outage")
        own_postgres.stop()
        during = [manager.submit_scan_job("diagnostic", {}) for _ in range(100)]
        results = [manager.queue.wait(job_id, 30) for job_id in [*first, *during]]
        assert all(r is not None and r["job_state"] == "succeeded" for r in results)  # read from Redis
        assert manager.queue.outbox_depth() > 0 and not drain.drainer.db_available
        own_postgres.start()
        wait_until(lambda: manager.queue.outbox_depth() == 0, 30, step_s=0.2, what="the outbox drained")
    finally:
        drain.stop()
    states = stored_states(own_postgres.url)
    assert sorted(states) == sorted([*first, *during])
    assert all(rows == ["succeeded"] for rows in states.values())
    assert worker.restarts == 0
