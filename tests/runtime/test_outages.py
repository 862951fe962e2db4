"""Outages under real workers: an unreachable git host behind its breaker, PostgreSQL down for 30 s."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.inputs.git_server import PLANTED, GitHttpServer, make_served_repo
from tests.runtime.conftest import Platform
from tests.runtime.test_persistence import Drain, stored_states
from tests.runtime.test_workers import completions, wait_all
from tests.servers import PostgresServer, free_port, wait_until
from utils import circuit_breaker
from utils.circuit_breaker import BREAKER_KEY_TTL_S, breaker_names, breaker_namespace

BREAKER = "code@127.0.0.1"
OUTAGE_S = 30.0  # the drill: PostgreSQL gone for half a minute while jobs keep coming
RUN_JOBS = 300
SUBMIT_EVERY_S = 0.12  # 300 jobs over ~36 s, so most of them finish while PostgreSQL is down


@pytest.fixture
def git_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHttpServer]:
    """A git server on a loopback port, not started; workers may reach it and breakers open for 3 s."""
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    monkeypatch.setenv("DG_BREAKER_RESET_S", "3")
    make_served_repo(tmp_path / "git")
    server = GitHttpServer(tmp_path / "git" / "served", free_port())
    yield server
    server.stop()


def _scan(platform: Platform, url: str) -> dict[str, Any]:
    job_id = platform.manager.submit_scan_job("code", {"git_url": url})
    result = platform.manager.queue.wait(job_id, 60)
    assert result is not None and result["job_state"] == "succeeded", result
    return result


def _breaker_in_stats(platform: Platform) -> list[dict[str, Any]]:
    stats = [platform.stats(child) for child in platform.manager.children.values()]
    return [s["breakers"][BREAKER] for s in stats if BREAKER in s["breakers"]]


def test_host_breaker_opens_reports_not_assessed_and_closes_once_the_host_answers(
        platform: Platform, git_host: GitHttpServer, redis_client: redis.Redis) -> None:
    platform.start_workers("code", 2)
    url = git_host.url()
    failing = [_scan(platform, url) for _ in range(3)]  # both workers count into one shared breaker
    assert [r["status"] for r in failing] == ["failed"] * 3  # nothing was read: not assessed
    assert all(r["summary"]["compliance_score"] is None for r in failing)
    assert all(r["errors"][0]["target"] == "127.0.0.1" for r in failing)
    assert failing[2]["errors"][0]["error"].startswith("circuit breaker for 127.0.0.1 is open until")
    shared = circuit_breaker.shared_states(redis_client)[BREAKER]
    assert shared["state"] == "open" and shared["fail_counter"] == 3 and shared["opened_at"]
    assert BREAKER in breaker_names(redis_client)
    for key in redis_client.scan_iter(f"{breaker_namespace(BREAKER)}:*"):
        assert 0 < redis_client.ttl(key) <= BREAKER_KEY_TTL_S
    refused = [_scan(platform, url) for _ in range(4)]  # whichever worker takes it, the breaker is open
    assert all(r["status"] == "failed" and r["errors"][0]["retry_at"] for r in refused)
    assert any(s["state"] == "open" and s["opened_at"] for s in _breaker_in_stats(platform))
    git_host.start()
    recovered = wait_until(lambda: (r := _scan(platform, url))["status"] == "completed" and r, 20,
                           step_s=0.5, what="a clone let through after the breaker's timeout")
    assert recovered["summary"]["items_scanned"] == 1 and recovered["summary"]["findings_total"] >= 2
    assert circuit_breaker.shared_states(redis_client)[BREAKER]["state"] == "closed"
    assert _scan(platform, url)["status"] == "completed"
    logs = "".join(p.read_text(errors="replace") for p in platform.settings.log_dir.glob("*.log"))
    assert "breaker code@127.0.0.1: closed -> open" in logs
    outputs = json.dumps([failing, refused, recovered]) + logs
    assert not [value for value in PLANTED if value in outputs]


def _submit_steadily(platform: Platform, job_ids: list[str]) -> threading.Thread:
    def submit() -> None:
        for _ in range(RUN_JOBS):
            job_ids.append(platform.manager.submit_scan_job("diagnostic", {"sleep_s": 0.01}))
            time.sleep(SUBMIT_EVERY_S)
    thread = threading.Thread(target=submit, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow  # the drill
def test_postgres_down_30s_in_a_300_job_run_stores_every_result_once(
        platform: Platform, stoppable_postgres: PostgresServer, redis_client: redis.Redis) -> None:
    workers = platform.start_workers("diagnostic", 2)
    pids = [w.pid for w in workers]
    drain = Drain(platform, stoppable_postgres.url)
    job_ids: list[str] = []
    try:
        submitter = _submit_steadily(platform, job_ids)
        wait_until(lambda: len(stored_states(stoppable_postgres.url)) >= 20, 30, what="early rows")
        stoppable_postgres.stop()
        time.sleep(OUTAGE_S)
        depth_during = platform.manager.queue.outbox_depth()
        assert not drain.drainer.db_available
        stoppable_postgres.start()
        submitter.join(60)
        results = wait_all(platform.manager.queue, list(job_ids), 60)
        wait_until(lambda: platform.manager.queue.outbox_depth() == 0, 60, step_s=0.2, what="outbox drained")
    finally:
        drain.stop()
    assert len(job_ids) == RUN_JOBS and depth_during > 100  # most of the run finished during the outage
    assert all(r["job_state"] == "succeeded" for r in results.values())
    states = stored_states(stoppable_postgres.url)
    assert sorted(states) == sorted(job_ids)
    assert all(rows == ["succeeded"] for rows in states.values())
    assert all(completions(redis_client, job_id) == 1 for job_id in job_ids)
    assert [w.restarts for w in workers] == [0, 0] and [w.pid for w in workers] == pids
    assert all(platform.health(w) is not None for w in workers)
