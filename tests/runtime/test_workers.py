"""The runtime's promises, shown with real worker processes, a real Redis and real signals."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
import redis

from services.process_manager import ProcState
from services.scanner_processes.runtime import Worker
from tests.runtime.conftest import Platform
from tests.servers import RedisServer, free_port, wait_until
from utils.config import Settings
from utils.errors import RequestTooLargeError, ScannerNotAvailableError
from utils.ipc_manager import JobQueue
from utils.redis_keys import KEY_JOB, KEY_PROCESSING


def finished(queue: JobQueue, job_id: str, timeout_s: float) -> dict[str, Any]:
    """The job's result, failing if it has none after `timeout_s`."""
    result = queue.wait(job_id, timeout_s)
    assert result is not None, f"job {job_id} has no result ({queue.status(job_id)})"
    return result


def wait_all(queue: JobQueue, job_ids: list[str], timeout_s: float) -> dict[str, dict[str, Any]]:
    """Results of every job, failing if any is missing after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    return {job_id: finished(queue, job_id, max(0.1, deadline - time.monotonic())) for job_id in job_ids}


def completions(client: redis.Redis, job_id: str) -> int:
    return int(client.hget(KEY_JOB.format(job_id=job_id), "completions") or 0)


def test_500_jobs_over_three_scanners_each_succeed_exactly_once(platform: Platform, tmp_path: Path,
                                                                redis_client: redis.Redis) -> None:
    (tmp_path / "notes.txt").write_text("Meeting notes, nothing personal in here.\n")
    requests_by_scanner: dict[str, dict[str, Any]] = {
        "diagnostic": {}, "dpia": {"answers": {}}, "document": {"path": str(tmp_path / "notes.txt")}}
    for scanner in requests_by_scanner:
        platform.start_workers(scanner, 2 if scanner == "diagnostic" else 1)
    manager = platform.manager
    jobs = [(scanner, manager.submit_scan_job(scanner, requests_by_scanner[scanner]))
            for i in range(500) for scanner in [list(requests_by_scanner)[i % 3]]]
    results = wait_all(manager.queue, [job_id for _, job_id in jobs], 120)
    for scanner, job_id in jobs:
        assert results[job_id]["job_state"] == "succeeded", results[job_id].get("error")
        assert results[job_id]["scanner"] == scanner
        assert results[job_id]["job_id"] == job_id
        assert completions(redis_client, job_id) == 1
    totals = {s: manager.queue.scanner_stats(s).counters for s in requests_by_scanner}
    assert sum(t["succeeded"] for t in totals.values()) == 500
    assert all(t["failed"] == 0 and t["dead"] == 0 for t in totals.values())


def test_sigkill_while_holding_a_job_loses_nothing_and_recovers_within_5s(
        platform: Platform, redis_client: redis.Redis) -> None:
    (worker,) = platform.start_workers("diagnostic")
    manager = platform.manager
    job_ids = [manager.submit_scan_job("diagnostic", {"sleep_s": 0.03, "step_s": 0.01}) for _ in range(300)]
    recoveries, victims = [], set()
    for _ in range(3):
        # a different job each time: one job killed max_attempts times is a poison job, not this test
        current = wait_until(lambda: (job := platform.stats(worker)["current_job"]) and
                             job["id"] not in victims and job, 10, step_s=0.01, what="a new job in hand")
        victims.add(current["id"])
        old_pid = worker.pid
        assert old_pid is not None
        os.kill(old_pid, signal.SIGKILL)
        killed_at = time.monotonic()
        wait_until(lambda p=old_pid: (h := platform.health(worker)) and h["pid"] != p, 5,
                   step_s=0.1, what="worker back and healthy")
        recoveries.append(time.monotonic() - killed_at)
    results = wait_all(manager.queue, job_ids, 120)
    assert {r["job_state"] for r in results.values()} == {"succeeded"}
    # each kill that caught a job running cost that job exactly one extra attempt and one requeue; a job
    # the worker held ahead went back too, without an extra attempt (it never started);
    # /stats is read a moment before the kill, so which job was in hand is read back from Redis
    extra_attempts = sum(int(manager.get_job_status(j)["attempts"]) - 1 for j in job_ids)
    assert 2 <= extra_attempts <= 3
    requeued = manager.queue.scanner_stats("diagnostic").counters["requeued"]
    assert extra_attempts <= requeued <= extra_attempts + 3
    assert [completions(redis_client, j) for j in job_ids] == [1] * 300
    assert worker.restarts == 3 and max(recoveries) < 5


def test_a_job_taken_with_the_last_result_goes_back_unspent_when_the_worker_stops(
        runtime_env: Settings, redis_client: redis.Redis) -> None:
    worker = Worker("diagnostic", free_port(), runtime_env, client=redis_client)
    queue = worker.queue
    first, second = (queue.enqueue(queue.new_job("diagnostic", {})) for _ in range(2))
    assert worker.step(block_s=0)
    assert queue.status(first)["state"] == "succeeded"
    assert len(worker.state.in_hand) == 1 and queue.status(second)["state"] == "running"  # claimed ahead
    worker.state.stop_requests = 1  # what the first SIGTERM does
    worker.shut_down()
    assert queue.status(second)["state"] == "queued" and queue.status(second)["attempts"] == "0"
    assert queue.queue_depth("diagnostic") == 1
    assert redis_client.llen(KEY_PROCESSING.format(scanner="diagnostic", worker=worker.worker_id)) == 0
    # back at work: the finish that takes nothing leaves the worker to block without polling first
    worker.state.stop_requests = 0
    assert worker.step(block_s=0) and queue.status(second)["state"] == "succeeded"
    assert not worker.state.in_hand and worker.state.queue_seen_empty
    third = queue.enqueue(queue.new_job("diagnostic", {}))
    assert worker.step(block_s=1.0) and queue.status(third)["state"] == "succeeded"
    assert queue.status(third)["completions"] == "1"


def test_what_changes_while_a_worker_runs_is_in_its_documented_state(runtime_env: Settings,
                                                                    redis_client: redis.Redis) -> None:
    """The loop, the heartbeat thread and the HTTP side share WorkerState, never ad-hoc attributes."""
    worker = Worker("diagnostic", free_port(), runtime_env, client=redis_client)
    fixed = {"scanner", "port", "settings", "worker_id", "side_queue", "queue", "credentials", "started"}
    assert set(vars(worker)) == fixed | {"state"}
    queue = worker.queue
    job_id = queue.enqueue(queue.new_job("diagnostic", {}))
    assert worker.step(block_s=0) and queue.status(job_id)["state"] == "succeeded"
    worker._beat_once()
    assert set(vars(worker)) == fixed | {"state"}
    assert worker.state.outcomes["succeeded"] == 1 and len(worker.state.durations) == 1
    assert worker.state.last_reap > 0 and worker.stats()["jobs"] == {"succeeded": 1}


def test_a_worker_can_be_made_while_redis_is_down(runtime_env: Settings) -> None:
    unreachable = Settings.from_env({"DG_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
                                     "DG_DATA_DIR": str(runtime_env.data_dir)})
    worker = Worker("diagnostic", free_port(), unreachable)  # connects lazily: start_up retries
    assert worker.health()["redis_ok"] is False and worker.health()["status"] == "unhealthy"


def test_sigterm_under_load_finishes_the_job_in_hand_and_leaves_the_rest_queued_unspent(
        platform: Platform, redis_client: redis.Redis) -> None:
    (worker,) = platform.start_workers("diagnostic")
    queue = platform.manager.queue
    # near-no-op jobs: the worker spends much of its time in the call that finishes one job and takes
    # the next; the 2 ms sleep keeps the run longer than the signal takes to arrive on a quiet machine
    job_ids = [platform.manager.submit_scan_job("diagnostic", {"sleep_s": 0.002}) for _ in range(1000)]
    wait_until(lambda: queue.scanner_stats("diagnostic").counters["succeeded"] >= 30, 20,
               step_s=0.01, what="the run under way")
    platform.manager.stop([worker.spec.name], 5)
    records = [queue.status(job_id) for job_id in job_ids]
    done = [r for r in records if r["state"] == "succeeded"]
    waiting = [r for r in records if r["state"] == "queued"]
    assert len(done) + len(waiting) == 1000 and waiting  # nothing lost, nothing left running
    assert all(r["completions"] == "1" for r in done)
    assert all(r["attempts"] == "0" for r in waiting)  # a job taken ahead came back unspent
    assert queue.queue_depth("diagnostic") == len(waiting)
    assert not list(redis_client.scan_iter(KEY_PROCESSING.format(scanner="diagnostic", worker="*")))


def test_hung_worker_is_detected_and_replaced_and_its_job_completes(platform: Platform) -> None:
    (worker,) = platform.start_workers("diagnostic")
    job_id = platform.manager.submit_scan_job("diagnostic", {"sleep_s": 0.5})
    wait_until(lambda: platform.stats(worker)["current_job"], 10, what="the job in hand")
    hung_pid = worker.pid
    assert hung_pid is not None
    os.kill(hung_pid, signal.SIGSTOP)  # the whole process stops answering, loop and HTTP alike
    try:
        wait_until(lambda: (h := platform.health(worker)) and h["pid"] != hung_pid, 30,
                   step_s=0.1, what="a replacement worker")
    finally:
        if worker.pid == hung_pid:
            os.kill(hung_pid, signal.SIGCONT)
    result = platform.manager.queue.wait(job_id, 20)
    assert result is not None and result["job_state"] == "succeeded"
    assert worker.restarts == 1


def test_poison_job_ends_dead_after_max_attempts_and_the_worker_survives(platform: Platform) -> None:
    (worker,) = platform.start_workers("diagnostic")
    queue = platform.manager.queue
    poison = platform.manager.submit_scan_job("diagnostic", {"crash": True})
    result = queue.wait(poison, 40)
    assert result is not None and result["job_state"] == "dead"
    assert "dead after 3 attempt(s)" in result["error"]
    assert any(json.loads(p)["id"] == poison for p in queue.dead_letters("diagnostic"))
    follow_up = platform.manager.submit_scan_job("diagnostic", {})
    assert finished(queue, follow_up, 20)["job_state"] == "succeeded"
    wait_until(lambda: worker.state == ProcState.RUNNING, 5, what="supervisor sees it healthy")
    # three crash restarts; on a loaded host a slow health check may add a replacement of its own
    assert worker.restarts >= 3


def test_job_over_its_timeout_is_timed_out_and_the_worker_goes_on(platform: Platform) -> None:
    (worker,) = platform.start_workers("diagnostic")
    manager = platform.manager
    polite = manager.submit_scan_job("diagnostic", {"sleep_s": 30}, timeout_s=0.5)
    assert finished(manager.queue, polite, 10)["job_state"] == "timed_out"
    pid_before = worker.pid
    runaway = manager.submit_scan_job("diagnostic", {"ignore_deadline": True, "sleep_s": 60}, timeout_s=0.5)
    result = manager.queue.wait(runaway, 15)
    assert result is not None and result["job_state"] == "timed_out"
    assert "ignored" in result["error"]
    wait_until(lambda: (h := platform.health(worker)) and h["pid"] != pid_before, 15,
               what="the worker restarted after the runaway scan")
    assert finished(manager.queue, manager.submit_scan_job("diagnostic", {}), 10)["job_state"] == "succeeded"


def test_cancelled_jobs_are_not_run_and_running_ones_stop(platform: Platform,
                                                          redis_client: redis.Redis) -> None:
    platform.start_workers("diagnostic")
    manager = platform.manager
    busy = manager.submit_scan_job("diagnostic", {"sleep_s": 1.5})
    queued = manager.submit_scan_job("diagnostic", {"sleep_s": 0.1})
    assert manager.cancel_scan_job(queued) == "cancelled"
    wait_until(lambda: manager.get_job_status(busy).get("state") == "running", 5, what="busy job running")
    assert manager.cancel_scan_job(busy) == "cancelling"
    assert finished(manager.queue, busy, 10)["job_state"] == "cancelled"
    queued_result = manager.get_scan_result(queued)
    assert queued_result is not None and queued_result["job_state"] == "cancelled"
    follow_up = manager.submit_scan_job("diagnostic", {})
    assert finished(manager.queue, follow_up, 10)["job_state"] == "succeeded"
    assert manager.get_job_status(queued)["attempts"] == "0"  # never taken to run


def test_bad_input_fails_clearly_and_the_worker_keeps_serving(platform: Platform, later_scanner: str) -> None:
    (worker,) = platform.start_workers("diagnostic")
    manager, queue = platform.manager, platform.manager.queue
    queue.push_raw("diagnostic", b"{this is not json")
    queue.push_raw("diagnostic", b"\xff\xfe binary garbage")
    shapeless = json.dumps({"id": "c0ffee00-0000-4000-8000-000000000000", "scanner": "diagnostic"})
    queue.push_raw("diagnostic", shapeless)
    wrong_queue = queue.new_job("image", {"path": "photo.png"})
    queue.push_raw("diagnostic", wrong_queue.to_json())
    with pytest.raises(ScannerNotAvailableError, match="unknown scanner"):
        manager.submit_scan_job("no-such-scanner", {})
    with pytest.raises(RequestTooLargeError, match="over the 1048576-byte limit"):
        manager.submit_scan_job("diagnostic", {"blob": "x" * (1 << 20)})
    with pytest.raises(ScannerNotAvailableError, match="later scanner is not available yet"):
        manager.submit_scan_job(later_scanner, {"path": "photo.png"})  # the API's refusal, word for word
    good = manager.submit_scan_job("diagnostic", {})
    assert finished(queue, good, 10)["job_state"] == "succeeded"
    wait_until(lambda: queue.scanner_stats("diagnostic").counters["malformed"] == 2, 5, what="malformed")
    assert set(queue.dead_letters("diagnostic")) == {b"{this is not json", b"\xff\xfe binary garbage"}
    shapeless_result = finished(queue, "c0ffee00-0000-4000-8000-000000000000", 5)
    assert shapeless_result["job_state"] == "failed"
    assert "missing or invalid fields" in shapeless_result["error"]
    assert "reached the 'diagnostic' worker" in finished(queue, wrong_queue.id, 5)["error"]
    assert queue.queue_depth("image") == 0  # refused, never queued to wait for a worker that never starts
    assert platform.health(worker) is not None and worker.restarts == 0


def test_redis_restart_mid_run_loses_no_job(platform: Platform, redis_server: RedisServer) -> None:
    (worker,) = platform.start_workers("diagnostic")
    manager = platform.manager
    job_ids = [manager.submit_scan_job("diagnostic", {"sleep_s": 0.01}) for _ in range(200)]
    wait_until(lambda: manager.queue.scanner_stats("diagnostic").counters["succeeded"] > 20, 10,
               what="the run under way")
    redis_server.restart(down_s=1.0)  # SIGTERM: Redis writes its append-only file, then comes back
    results = wait_all(manager.queue, job_ids, 60)
    assert all(r["job_state"] == "succeeded" for r in results.values())
    assert platform.health(worker) is not None and worker.restarts == 0
