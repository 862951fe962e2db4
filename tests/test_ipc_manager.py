"""The job protocol's guarantees at the Redis level, against a real redis-server."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from typing import cast

import pytest
import redis

from tests.servers import RedisServer
from utils import credentials
from utils.errors import JobDecodeError, JobNotFoundError
from utils.ipc_manager import Job, JobQueue, JobState, connect
from utils.redis_keys import KEY_DURATIONS, KEY_JOB, KEY_OUTBOX, KEY_PROCESSING, KEY_RESULT


class ReplyDroppingProxy:
    """A TCP proxy in front of Redis that, once armed, swallows the next reply and drops the connection.

    The command it belongs to has run on the server; the client sees a dropped connection and, as
    production clients do (see `connect`), reconnects and sends the same command again.
    """

    def __init__(self, upstream: RedisServer) -> None:
        self.upstream_port = upstream.port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.url = credentials.redis_url("127.0.0.1", self.port, upstream.password)
        self.armed = threading.Event()
        self.dropped = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, replies: bool) -> None:
        try:
            while data := source.recv(65536):
                if replies and self.armed.is_set():
                    self.armed.clear()
                    self.dropped += 1
                    break
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the other pump blocked in recv
            sock.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def queue(redis_client: redis.Redis) -> JobQueue:
    return JobQueue(redis_client, result_ttl_s=120, max_attempts=2)


@pytest.fixture
def proxy(redis_server: RedisServer, redis_client: redis.Redis) -> Iterator[ReplyDroppingProxy]:
    running = ReplyDroppingProxy(redis_server)
    yield running
    running.close()


def processing(client: redis.Redis, worker: str) -> list[bytes]:
    return cast("list[bytes]", client.lrange(KEY_PROCESSING.format(scanner="code", worker=worker), 0, -1))


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
    queue.enqueue(queue.new_job("code", {}))
    queue.enqueue(queue.new_job("dpia", {}))
    assert queue.known_scanners() == ["code", "dpia"]
    assert queue.scanner_stats("code").counters["submitted"] == 2


@pytest.mark.parametrize("padding", [0, 70_000], ids=["inline in the done note", "stored, read by key"])
def test_results_keep_what_json_can_say_on_their_way_back(queue: JobQueue, redis_client: redis.Redis,
                                                          padding: int) -> None:
    """orjson carries results; what it refuses (a file name read with surrogateescape) still arrives."""
    plain = {"path": "/srv/rapport-ü€.pdf", "counts": {3: "three"}, "score": 0.5, "pad": "x" * padding}
    odd = {"path": "/srv/\udcff.txt", "huge": 2**70, "pad": "x" * padding}
    for result, expected in ((plain, {**plain, "counts": {"3": "three"}}), (odd, odd)):
        job_id = queue.enqueue(queue.new_job("code", {}))
        taken = queue.take("code", "w1", 0)
        assert taken is not None
        assert queue.finish("code", "w1", taken.payload, job_id, JobState.SUCCEEDED, result, duration_s=0.1,
                            job_record={"id": job_id})
        assert queue.wait(job_id, 5) == expected
        assert queue.result(job_id) == expected
        entry = json.loads(cast("bytes", redis_client.lpop(KEY_OUTBOX)))
        assert entry["result"] == expected and entry["job"]["id"] == job_id


def test_duration_figures_cover_the_latest_samples_only(redis_client: redis.Redis) -> None:
    queue = JobQueue(redis_client, duration_samples=2)
    for duration in (9.0, 9.0, 9.0, 1.0, 3.0):
        job_id = queue.enqueue(queue.new_job("code", {}))
        taken = queue.take("code", "w1", 0)
        assert taken is not None
        queue.finish("code", "w1", taken.payload, job_id, JobState.SUCCEEDED, {}, duration_s=duration)
    stats = queue.scanner_stats("code")
    assert (stats.mean_duration_s, stats.p95_duration_s) == (2.0, 3.0)
    assert redis_client.llen(KEY_DURATIONS.format(scanner="code")) <= 4  # trimmed, with some slack


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


def test_finish_and_take_stores_once_and_hands_over_the_next_job(queue: JobQueue,
                                                                  redis_client: redis.Redis) -> None:
    first, second = (queue.enqueue(queue.new_job("code", {"n": n})) for n in range(2))
    taken = queue.take("code", "w1", 0)
    assert taken is not None and Job.from_json(taken.payload).id == first
    stored, [following] = queue.finish_and_take("code", "w1", taken.payload, first, JobState.SUCCEEDED,
                                                {"n": 1}, duration_s=0.1)
    assert stored and queue.result(first) == {"n": 1} and queue.status(first)["state"] == "succeeded"
    assert following.outcome == "running" and following.attempts == 1
    assert Job.from_json(following.payload).id == second and queue.status(second)["state"] == "running"
    assert following.job_id == second  # the claim names the job, so the worker can start it by id
    assert processing(redis_client, "w1") == [following.payload]  # the finished job left, the next came
    again, [retaken] = queue.finish_and_take("code", "w1", taken.payload, first, JobState.FAILED, {"n": 2},
                                             duration_s=0.1)
    assert not again and queue.result(first) == {"n": 1}  # a second finish is refused, even a re-sent one
    # ... and the job the first call took is found in the worker's hands and taken again, not stranded
    assert retaken.payload == following.payload and retaken.attempts == 1
    # a worker stopping with a job taken ahead gives it back unspent, at the front of the queue
    assert queue.release("code", "w1", "shutting down") == 1
    assert queue.status(second)["state"] == "queued" and queue.status(second)["attempts"] == "0"
    assert processing(redis_client, "w1") == [] and queue.queue_depth("code") == 1


def test_a_blocking_take_claims_a_job_that_arrives_while_it_waits(queue: JobQueue,
                                                                   redis_client: redis.Redis) -> None:
    assert queue.take("code", "w1", 0.05) is None  # nothing came: nothing held
    job = queue.new_job("code", {})
    timer = threading.Timer(0.2, queue.enqueue, args=(job,))
    timer.start()
    taken = queue.take("code", "w1", 5.0)
    timer.join()
    assert taken is not None and taken.outcome == "running" and taken.attempts == 1
    assert Job.from_json(taken.payload).id == job.id and queue.status(job.id)["state"] == "running"
    assert processing(redis_client, "w1") == [taken.payload]


def test_a_blocking_take_claims_whether_or_not_redis_knows_its_script(queue: JobQueue,
                                                                      redis_client: redis.Redis) -> None:
    # the claim rides behind the BLMOVE by SHA: unknown the first time, and again after a restart or a
    # SCRIPT FLUSH, when the job the BLMOVE moved must still be claimed (once)
    for forget in (False, True, False):
        if forget:
            redis_client.script_flush()
        job = queue.new_job("code", {})
        queue.enqueue(job)
        taken = queue.take("code", "w1", 1.0, poll_first=False)
        assert taken is not None and taken.outcome == "running" and taken.attempts == 1
        assert Job.from_json(taken.payload).id == job.id and queue.status(job.id)["state"] == "running"
        assert processing(redis_client, "w1") == [taken.payload]
        assert queue.finish("code", "w1", taken.payload, job.id, JobState.SUCCEEDED, {}, duration_s=0.0)
        assert processing(redis_client, "w1") == []


def test_a_lost_reply_leaves_no_job_stranded_in_the_workers_hands(proxy: ReplyDroppingProxy,
                                                                   redis_server: RedisServer,
                                                                   redis_client: redis.Redis) -> None:
    lossy = JobQueue(connect(proxy.url), max_attempts=2)
    # one whole cycle first, so Redis knows the scripts: a dropped NOSCRIPT reply would prove nothing
    warm_up = lossy.enqueue(lossy.new_job("code", {}))
    held = lossy.take("code", "w1", 0)
    assert held is not None and lossy.finish("code", "w1", held.payload, warm_up, JobState.SUCCEEDED, {},
                                             duration_s=0.0)
    first, second = (lossy.enqueue(lossy.new_job("code", {})) for _ in range(2))
    proxy.armed.set()  # the reply to the take is lost; the client takes again
    taken = lossy.take("code", "w1", 0)
    assert proxy.dropped == 1
    assert taken is not None and Job.from_json(taken.payload).id == first and taken.attempts == 1
    assert processing(redis_client, "w1") == [taken.payload]
    proxy.armed.set()  # the reply to finish-and-take is lost: the result is stored, the next job claimed
    stored, [following] = lossy.finish_and_take("code", "w1", taken.payload, first, JobState.SUCCEEDED,
                                                {"ok": True}, duration_s=0.1)
    assert proxy.dropped == 2
    assert not stored  # the re-sent call finds the job finished by the first one
    assert lossy.result(first) == {"ok": True} and redis_client.hget(KEY_JOB.format(job_id=first),
                                                                      "completions") == b"1"
    assert Job.from_json(following.payload).id == second
    assert following.attempts == 1 and processing(redis_client, "w1") == [following.payload]
    assert lossy.scanner_stats("code").counters["requeued"] == 2  # each stranded job went back once
    assert lossy.queue_depth("code") == 0


def test_a_scanners_only_worker_takes_one_job_ahead_and_a_crash_does_not_charge_it(
        queue: JobQueue, redis_client: redis.Redis) -> None:
    first, second, third = (queue.enqueue(queue.new_job("code", {"n": n})) for n in range(3))
    taken = queue.take("code", "w1", 0)
    assert taken is not None
    stored, following = queue.finish_and_take("code", "w1", taken.payload, first, JobState.SUCCEEDED, {},
                                              duration_s=0.0, want=2)
    assert stored and [Job.from_json(t.payload).id for t in following] == [second, third]
    now, ahead = queue.status(second), queue.status(third)
    assert now["state"] == "running" and now["message"] == "started" and now["started_at"]
    assert ahead["state"] == "running" and ahead["message"] == "waiting for the worker"
    assert ahead["started_at"] == "" and ahead["attempts"] == "1"
    # the worker dies running `second`: that was its attempt; `third` never started and keeps its own
    assert queue.recover_worker("code", "w1", "worker died") == 2
    assert queue.status(second)["attempts"] == "1" and queue.status(third)["attempts"] == "0"
    assert {queue.status(j)["state"] for j in (second, third)} == {"queued"}
    assert processing(redis_client, "w1") == [] and queue.queue_depth("code") == 2


def test_a_job_taken_ahead_is_started_by_the_next_acknowledgement(queue: JobQueue,
                                                                  redis_client: redis.Redis) -> None:
    jobs = [queue.enqueue(queue.new_job("code", {"n": n})) for n in range(4)]
    taken = queue.take("code", "w1", 0)
    assert taken is not None
    _, (running, ahead) = queue.finish_and_take("code", "w1", taken.payload, jobs[0], JobState.SUCCEEDED,
                                                {}, duration_s=0.0, want=2)
    # `running` is done; `ahead` starts as the acknowledgement goes out, which takes the next one ahead
    pending = queue.send_finish_and_take("code", "w1", running.payload, jobs[1], JobState.SUCCEEDED,
                                         {"n": 1}, duration_s=0.0, want=1, held=ahead)
    stored, [next_ahead] = pending.reply()
    assert stored and queue.result(jobs[1]) == {"n": 1}
    assert pending.reply() == (stored, [next_ahead])  # read once, answered again from memory
    started = queue.status(jobs[2])
    assert started["message"] == "started" and started["started_at"] and started["attempts"] == "1"
    assert Job.from_json(next_ahead.payload).id == jobs[3]
    assert queue.status(jobs[3])["message"] == "waiting for the worker"
    # the worker's hands hold exactly the job it runs and the one it took ahead: the sweep spared both
    assert sorted(processing(redis_client, "w1")) == sorted([ahead.payload, next_ahead.payload])
    assert queue.scanner_stats("code").counters["requeued"] == 0


def test_only_a_scanners_only_live_worker_takes_jobs_ahead(queue: JobQueue) -> None:
    queue.heartbeat("code", "w1")
    queue.heartbeat("code", "w2")  # a second live worker could run the next job sooner
    jobs = [queue.enqueue(queue.new_job("code", {"n": n})) for n in range(4)]
    taken = queue.take("code", "w1", 0)
    assert taken is not None
    _, following = queue.finish_and_take("code", "w1", taken.payload, jobs[0], JobState.SUCCEEDED, {},
                                         duration_s=0.0, want=2)
    assert len(following) == 1  # the one it runs now, none ahead
    _, more = queue.finish_and_take("code", "w1", following[0].payload, jobs[1], JobState.SUCCEEDED, {},
                                    duration_s=0.0, want=1)
    assert len(more) == 1 and queue.status(jobs[2])["message"] == "started"


def test_an_acknowledgement_whose_reply_is_lost_is_made_good(proxy: ReplyDroppingProxy,
                                                             redis_client: redis.Redis) -> None:
    client = redis.Redis(connection_pool=connect(proxy.url).connection_pool,
                         single_connection_client=True)
    lossy = JobQueue(client, max_attempts=2)
    jobs = [lossy.enqueue(lossy.new_job("code", {"n": n})) for n in range(4)]
    taken = lossy.take("code", "w1", 0)
    assert taken is not None
    _, (running, ahead) = lossy.finish_and_take("code", "w1", taken.payload, jobs[0], JobState.SUCCEEDED,
                                                {}, duration_s=0.0, want=2)
    proxy.armed.set()  # the call runs; its reply is lost with the connection
    pending = lossy.send_finish_and_take("code", "w1", running.payload, jobs[1], JobState.SUCCEEDED,
                                         {"n": 1}, duration_s=0.0, want=1, held=ahead)
    stored, [next_ahead] = pending.reply()  # made again: a duplicate finish, and the same job taken again
    assert proxy.dropped == 1 and not stored
    assert lossy.result(jobs[1]) == {"n": 1} and lossy.status(jobs[1])["completions"] == "1"
    assert Job.from_json(next_ahead.payload).id == jobs[3] and next_ahead.attempts == 1
    assert sorted(processing(redis_client, "w1")) == sorted([ahead.payload, next_ahead.payload])
    assert lossy.scanner_stats("code").counters["requeued"] == 1  # the stranded one went back once
    assert lossy.status(jobs[2])["attempts"] == "1" and lossy.queue_depth("code") == 0
    client.close()
    client.connection_pool.disconnect()  # close() only hands the connection back to the pool


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
