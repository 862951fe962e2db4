"""The job protocol's guarantees at the Redis level, against a real redis-server."""

from __future__ import annotations

import json

import pytest
import redis

from utils.errors import JobDecodeError, JobNotFoundError
from utils.ipc_manager import KEY_RESULT, Job, JobQueue, JobState


@pytest.fixture
def queue(redis_client: redis.Redis) -> JobQueue:
    return JobQueue(redis_client, result_ttl_s=120, max_attempts=2)


def test_finish_records_a_result_once_with_its_ttl(queue: JobQueue, redis_client: redis.Redis) -> None:
    job_id = queue.enqueue(queue.new_job("code", {"path": "/srv"}))
    taken = queue.take("code", "w1", 0)
    assert taken is not None and taken.outcome == "running" and taken.attempts == 1
    assert queue.status(job_id)["state"] == "running"
    assert queue.finish("code", "w1", taken.payload, job_id, JobState.SUCCEEDED, {"n": 1}, duration_s=0.5)
    assert not queue.finish("code", "w2", taken.payload, job_id, JobState.FAILED, {"n": 2}, duration_s=0.1)
    assert queue.result(job_id) == {"n": 1}
    assert 0 < redis_client.ttl(KEY_RESULT.format(job_id=job_id)) <= 120
    stats = queue.scanner_stats("code")
    assert (stats.counters["succeeded"], stats.counters["failed"], stats.running) == (1, 0, 0)
    assert stats.mean_duration_s == pytest.approx(0.5)


def test_reaper_requeues_jobs_of_a_silent_worker_and_attempts_run_out(queue: JobQueue) -> None:
    job_id = queue.enqueue(queue.new_job("code", {}))
    queue.heartbeat("code", "ghost")
    first = queue.take("code", "ghost", 0)
    assert first is not None and queue.scanner_stats("code").running == 1
    assert queue.reap("code", stale_after_s=3600) == 0  # still fresh
    assert queue.reap("code", stale_after_s=-1) == 1
    assert queue.status(job_id)["state"] == "queued"
    assert "stopped heart-beating" in queue.status(job_id)["error"]
    second = queue.take("code", "w2", 0)
    assert second is not None and second.outcome == "running" and second.attempts == 2
    assert queue.recover_worker("code", "w2", "crashed") == 1
    third = queue.take("code", "w3", 0)
    assert third is not None and third.outcome == "dead" and third.last_error == "crashed"


def test_release_on_shutdown_does_not_use_up_an_attempt(queue: JobQueue) -> None:
    job_id = queue.enqueue(queue.new_job("code", {}))
    queue.take("code", "w1", 0)
    assert queue.release("code", "w1", "shutting down") == 1
    assert queue.status(job_id)["attempts"] == "0" and queue.queue_depth("code") == 1


def test_cancel_unknown_job_is_a_named_error(queue: JobQueue) -> None:
    with pytest.raises(JobNotFoundError):
        queue.cancel("00000000-0000-4000-8000-000000000000", {})


@pytest.mark.parametrize("payload, message", [
    (b"not json", "not JSON"),
    (b"\x80 garbage", "not UTF-8"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"id": "x", "scanner": "code"}).encode(), "missing or invalid fields: request"),
])
def test_job_decoding_names_what_is_wrong(payload: bytes, message: str) -> None:
    with pytest.raises(JobDecodeError, match=message):
        Job.from_json(payload)
