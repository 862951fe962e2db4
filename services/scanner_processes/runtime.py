"""The one worker runtime every scanner process runs: a queue loop, a heartbeat thread, an HTTP side.

The loop takes a job, runs the registered scanner in the main thread and acknowledges the result in
a call that also takes the next job (given back unstarted if the worker stops before running it).
While jobs are quick (under READ_AHEAD_MAX_S) and this is its scanner's only worker, it holds one
job ahead: the acknowledgement of a job is sent without waiting, and Redis records it while the
worker runs the job it holds; the reply, with the job after that, is read when that job is done.
The heartbeat thread writes the worker's heartbeat and the job's progress once a second, picks up
cancel requests, requeues the jobs of dead workers (the reaper), and is the watchdog: a scan that
ignores its deadline is recorded `timed_out` and the process exits so the supervisor replaces it.
Shutdown follows rq: the first SIGTERM lets the running job finish, a second one gives the job back
to the queue and exits at once.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import redis

from services.detection.redaction import redact, redact_value
from services.inputs.git import kill_running_clones
from services.job_credentials import JobCredentials, credential_store
from services.results import unfinished_result
from services.scanners import get_scanner
from services.scope import scope_for, scoped
from utils.config import Settings
from utils.errors import (
    DataGuardianError,
    JobDecodeError,
    ScanCancelledError,
    ScannerNotAvailableError,
    ScanTimeoutError,
)
from utils.ipc_manager import Job, JobQueue, JobState, PendingFinish, Taken, connect

log = logging.getLogger(__name__)

EXIT_HARD_TIMEOUT = 75  # the watchdog stopped a scan that ignored its deadline
EXIT_SECOND_SIGNAL = 0  # an operator asked twice: the job went back to the queue, exit cleanly
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)
MAX_REDIS_BACKOFF_S = 2.0
# a job that ran shorter than this suggests the next will be quick too, so holding one job ahead keeps
# it waiting briefly; the queue lets only a scanner's only live worker hold one (nobody else could run it)
READ_AHEAD_MAX_S = 0.1


@dataclass(frozen=True)
class Unacknowledged:
    """A finished job whose acknowledgement was sent and whose reply is not read yet."""

    pending: PendingFinish
    job_id: str
    state: JobState
    duration_s: float | None


@dataclass
class RunningJob:
    """The job the loop is executing, shared with the heartbeat thread and the HTTP side.

    `job`, `payload`, `started` and `deadline` never change once made. The loop's progress callback
    writes `percent` and `message` (two stores: a reader may see a new percent with the old message for
    one beat, which only a progress bar shows); the heartbeat thread writes `cancel_requested`.
    """

    job: Job
    payload: bytes
    started: float
    deadline: float
    percent: float = 0.0
    message: str = "started"
    cancel_requested: bool = False  # set by the heartbeat thread (a plain attribute: no Event per job)


@dataclass
class WorkerState:
    """Everything about a worker that changes while it runs, with the one thread that writes each field.

    Three kinds of thread touch it: the loop (the process's main thread, where Python also runs the
    signal handler), the heartbeat thread, and the HTTP side (waitress threads serving /health and
    /stats). It needs no lock, because every field has exactly one writer and each write is a single
    attribute store or one C-level call on a container, which other threads see whole (the GIL), and a
    reader of a field that can change under it takes it once into a local (`running = state.current`)
    and only uses that. The fields under "the loop's alone" and "the heartbeat's alone" are never read
    by another thread.
    """

    # --- shared: writer -> readers ---
    # loop (every iteration, and while it retries Redis) -> heartbeat (a silent loop stops the beat)
    # and HTTP (/health)
    loop_beat: float
    # loop -> HTTP (/stats), which copies them in one C call (dict(), sorted()) that keeps the GIL
    durations: deque[float]
    outcomes: Counter[str] = field(default_factory=Counter)
    # loop (set before a scan, cleared after its acknowledgement) -> heartbeat (progress, cancel,
    # watchdog) and HTTP; see RunningJob for its own fields
    current: RunningJob | None = None
    # signal handler (on the loop's thread) -> loop (stop after this job), heartbeat (a second request
    # gives the job back and exits) and HTTP. Only the handler increments it; a signal delivered while
    # the handler is between its read and its write counts once, which needs two signals microseconds
    # apart: the supervisor's second comes after its grace period
    stop_requests: int = 0
    # --- the loop's alone ---
    redis_ok: bool = True  # so an outage and the recovery are each logged once
    in_hand: deque[Taken] = field(default_factory=deque)  # taken with a result (or ahead), not started
    unacknowledged: Unacknowledged | None = None  # sent without waiting; its reply is read before the next
    queue_seen_empty: bool = False  # the last finish took nothing: the queue was empty
    # --- the heartbeat's alone ---
    last_reap: float = 0.0  # monotonic time the reaper last ran

    @classmethod
    def fresh(cls, duration_samples: int) -> WorkerState:
        """The state of a worker that has just been made."""
        return cls(loop_beat=time.monotonic(), durations=deque(maxlen=duration_samples))


def _redacted(result: dict[str, Any], error: str) -> tuple[dict[str, Any], str]:
    """The result and error text with every value in their free text masked, before Redis sees them.

    Findings carry masked evidence already; a scanner's exception message and its per-item errors are
    free text that may quote what a library choked on.
    """
    result = {**result, "errors": redact_value(result.get("errors") or [])}
    if isinstance(result.get("error"), str):
        result["error"] = redact(result["error"])
    return result, redact(error)


def job_record(job: Job, attempts: int) -> dict[str, Any]:
    """What PostgreSQL keeps of a job: everything but its request (a DSN or URL may hold a password)."""
    return {"id": job.id, "scanner": job.scanner, "org_id": job.org_id, "user_id": job.user_id,
            "created_at": job.created_at, "attempts": attempts, "timeout_s": job.timeout_s}


class Worker:
    """One scanner worker process."""

    def __init__(self, scanner: str, port: int, settings: Settings, client: redis.Redis | None = None):
        self.scanner = scanner
        self.port = port
        self.settings = settings
        self.worker_id = f"{settings.hostname}:{scanner}:{port}"
        # the heartbeat thread and the HTTP side share a pool; the job loop gets a connection of its own
        # in start_up (see _dedicated_queue), until then it uses the pool too. `queue` is the loop's
        # alone: replaced once, in start_up, before the heartbeat thread starts
        self.side_queue = self._job_queue(client or connect(settings.effective_redis_url()))
        self.queue = self.side_queue
        # the pooled client: the loop's own connection may have an unread reply in flight
        self.credentials = JobCredentials(credential_store(self.side_queue.redis, settings))
        self.started = time.monotonic()
        self.state = WorkerState.fresh(settings.duration_samples)  # all that changes, and who writes it

    def _job_queue(self, client: redis.Redis) -> JobQueue:
        return JobQueue(client, result_ttl_s=self.settings.result_ttl_s,
                        max_request_bytes=self.settings.max_request_bytes,
                        max_attempts=self.settings.max_attempts,
                        duration_samples=self.settings.duration_samples)

    def _dedicated_queue(self) -> JobQueue:
        # borrowing a pooled connection for every command cost a no-op job about a tenth of its time;
        # made here, under _with_redis, because a single-connection client connects when it is made
        return self._job_queue(redis.Redis(connection_pool=self.side_queue.redis.connection_pool,
                                           single_connection_client=True))

    # --- lifecycle -------------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        """SIGTERM/SIGINT only count requests; the loop and the heartbeat thread act on them."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.state.stop_requests += 1

    def run(self) -> None:
        """Recover this worker's own orphans, then take and run jobs until asked to stop."""
        self.start_up()
        while not self.state.stop_requests:
            self.state.loop_beat = time.monotonic()
            try:
                self.step()
            except Exception:  # the outermost catch: one bad payload must not crash-loop the worker
                log.exception("worker %s: unexpected error in the job loop; going on", self.worker_id)
                time.sleep(0.1)
        self.shut_down()

    def start_up(self) -> None:
        """Requeue what a previous run of this worker held (its crash counts as an attempt); heartbeat."""
        self.queue = self._with_redis(self._dedicated_queue) or self.queue
        self._with_redis(lambda: self.queue.register_scanner(self.scanner))
        recovered = self._with_redis(lambda: self.queue.recover_worker(
            self.scanner, self.worker_id, f"worker {self.worker_id} restarted while holding the job"))
        if recovered:
            log.warning("worker %s: requeued %d job(s) held by its previous run", self.worker_id, recovered)
        threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True).start()
        # everything imported so far lives as long as the process: keep it out of the collector's scans
        gc.freeze()
        log.info("worker %s: ready (pid %d)", self.worker_id, os.getpid())

    def step(self, block_s: float = 1.0) -> bool:
        """Run one job: the one taken with the last result, else the next from the queue; False if none."""
        taken = self.state.in_hand.popleft() if self.state.in_hand else None
        if taken is None:
            taken = self._with_redis(lambda: self._take(block_s))
        if taken is None:
            return False
        self._handle(taken)
        return True

    def _take(self, block_s: float) -> Taken | None:
        # right after a finish found the queue empty, polling it again would only cost a round trip
        # (a retry after a Redis error polls: its sweep puts back what a lost reply stranded)
        poll, self.state.queue_seen_empty = not self.state.queue_seen_empty, False
        return self.queue.take(self.scanner, self.worker_id, block_s, poll_first=poll)

    def shut_down(self) -> None:
        """Give back the job taken ahead (unstarted: its attempt is undone) and leave the heartbeat set."""
        self._with_redis(self._read_acknowledgement)  # its reply may hand over a job
        if self.state.in_hand:
            # if Redis is down now, the jobs stay in this worker's processing list and the next start
            # (or the reaper) requeues them
            self.state.in_hand.clear()
            moved = self._with_redis(lambda: self.queue.release(
                self.scanner, self.worker_id, "worker stopped before starting the job"))
            log.info("worker %s: returned %s unstarted job(s) to the queue", self.worker_id, moved)
        self._with_redis(lambda: self.queue.forget_worker(self.scanner, self.worker_id))
        log.info("worker %s: stopped", self.worker_id)

    def _with_redis(self, action: Any) -> Any:
        """Run a Redis action, retrying through an outage while keeping the loop alive.

        The loop's connection answers in order, so the reply of an acknowledgement sent without
        waiting is read first.
        """
        delay = 0.05
        while True:
            try:
                self._read_acknowledgement()
                value = action()
                if not self.state.redis_ok:
                    log.info("worker %s: Redis is reachable again", self.worker_id)
                self.state.redis_ok = True
                return value
            except REDIS_ERRORS as error:
                if self.state.redis_ok:
                    log.warning("worker %s: Redis unreachable (%s); retrying", self.worker_id, error)
                self.state.redis_ok = False
                if self.state.stop_requests and self.state.current is None:
                    return None
                self.state.loop_beat = time.monotonic()
                time.sleep(delay)
                delay = min(MAX_REDIS_BACKOFF_S, delay * 2)

    # --- one job ---------------------------------------------------------------------------
    def _handle(self, taken: Taken) -> None:
        if taken.outcome == "malformed":
            log.error("worker %s: dead-lettered a malformed payload (%d bytes)", self.worker_id,
                      len(taken.payload))
            self._with_redis(lambda: self.queue.discard_malformed(self.scanner, self.worker_id,
                                                                  taken.payload))
            return
        if taken.outcome in ("cancelled", "finished"):
            self.credentials.discard_payload(taken.payload)  # a job that will not run needs none
            self._with_redis(lambda: self.queue.drop(self.scanner, self.worker_id, taken.payload))
            return
        try:
            job = Job.from_json(taken.payload, attempts=taken.attempts)
        except JobDecodeError as error:
            self._finish_undecodable(taken, error)
            return
        if taken.outcome == "dead":
            self._finish_dead(job, taken)
            return
        self._execute(job, taken)

    def _finish_undecodable(self, taken: Taken, error: JobDecodeError) -> None:
        log.error("worker %s: job %s rejected: %s", self.worker_id, error.job_id, error)
        result = unfinished_result(self.scanner, JobState.FAILED, str(error))
        result["job_id"] = error.job_id
        record = {"id": error.job_id, "scanner": self.scanner, "attempts": taken.attempts}
        self._store(taken.payload, record, JobState.FAILED, result, None, str(error))

    def _finish_dead(self, job: Job, taken: Taken) -> None:
        reason = (f"dead after {taken.attempts} attempt(s); last error: "
                  f"{taken.last_error or 'the worker died while running it'}")
        log.error("worker %s: job %s dead-lettered: %s", self.worker_id, job.id, reason)
        self.credentials.discard(job)
        self._store(taken.payload, job_record(job, taken.attempts), JobState.DEAD,
                    self._unfinished(job, JobState.DEAD, reason), None, reason)

    def _execute(self, job: Job, taken: Taken) -> None:
        now = time.monotonic()
        running = RunningJob(job, taken.payload, now, now + job.timeout_s)
        self.state.current = running
        state, result, error = self._run_scanner(job, running)
        duration = time.monotonic() - running.started
        self._store(taken.payload, job_record(job, taken.attempts), state, result, duration, error)
        self.state.current = None
        # a line per succeeded job costs a fifth of a no-op job's time: DEBUG; anything else: INFO
        level = logging.DEBUG if state == JobState.SUCCEEDED else logging.INFO
        log.log(level, "worker %s: job %s %s in %.2fs (%d findings)", self.worker_id, job.id, state.value,
                duration, len(result.get("findings", [])))

    def _run_scanner(self, job: Job, running: RunningJob) -> tuple[JobState, dict[str, Any], str]:
        def progress(percent: float, message: str) -> None:
            running.percent, running.message = float(percent), redact(str(message))
            if running.cancel_requested:
                raise ScanCancelledError("cancelled by request")
            if time.monotonic() > running.deadline:
                raise ScanTimeoutError(f"scan exceeded its {job.timeout_s:g}s timeout")

        try:
            if job.scanner != self.scanner:
                raise ScannerNotAvailableError(
                    f"job for scanner {job.scanner!r} reached the {self.scanner!r} worker")
            # the job's own organisation bounds what it may read, whatever its request names
            # its git credentials (if any) are resolved now and deleted when the scan ends, however it ends
            with scoped(scope_for(job.org_id, self.settings)), self.credentials.provided(job):
                result = get_scanner(job.scanner).scan(job.request, progress)
        except ScanCancelledError as error:
            return JobState.CANCELLED, self._unfinished(job, JobState.CANCELLED, str(error)), str(error)
        except ScanTimeoutError as error:
            return JobState.TIMED_OUT, self._unfinished(job, JobState.TIMED_OUT, str(error)), str(error)
        except DataGuardianError as error:
            return JobState.FAILED, self._unfinished(job, JobState.FAILED, str(error)), str(error)
        except Exception as error:  # the outermost catch: a scanner bug fails the job, not the worker
            log.exception("worker %s: scanner %s raised on job %s", self.worker_id, job.scanner, job.id)
            message = f"{type(error).__name__}: {error}"[:500]
            return JobState.FAILED, self._unfinished(job, JobState.FAILED, message), message
        result = {**result, "job_id": job.id, "job_state": JobState.SUCCEEDED.value}
        return JobState.SUCCEEDED, result, ""

    def _unfinished(self, job: Job, state: JobState, error: str) -> dict[str, Any]:
        result = unfinished_result(job.scanner, state.value, error)
        result["job_id"] = job.id
        return result

    def _store(self, payload: bytes, record: dict[str, Any], state: JobState, result: dict[str, Any],
               duration: float | None, error: str) -> None:
        job_id = str(record["id"])
        result, error = _redacted(result, error)
        self._with_redis(lambda: self._acknowledge(payload, job_id, record, state, result, duration, error))

    def _acknowledge(self, payload: bytes, job_id: str, record: dict[str, Any], state: JobState,
                     result: dict[str, Any], duration: float | None, error: str) -> None:
        # the same call takes the next job, unless the worker is stopping: one round trip per job
        job = (self.scanner, self.worker_id, payload, job_id, state, result)
        quick = duration is not None and duration < READ_AHEAD_MAX_S
        if self.state.stop_requests:
            stored, _ = self.queue.finish_and_take(*job, duration_s=duration, error=error, job_record=record,
                                                   want=0)
            self._acknowledged(job_id, state, duration, stored)
            self.state.queue_seen_empty = False
        elif self.state.in_hand:
            pending = self.queue.send_finish_and_take(*job, duration_s=duration, error=error,
                                                      job_record=record, want=1 if quick else 0,
                                                      held=self.state.in_hand[0])
            self.state.unacknowledged = Unacknowledged(pending, job_id, state, duration)
        else:
            stored, taken = self.queue.finish_and_take(*job, duration_s=duration, error=error,
                                                       job_record=record, want=2 if quick else 1)
            self._acknowledged(job_id, state, duration, stored)
            self.state.in_hand.extend(taken)
            self.state.queue_seen_empty = not taken

    def _read_acknowledgement(self) -> None:
        sent = self.state.unacknowledged
        if sent is None:
            return
        stored, taken = sent.pending.reply()
        self.state.unacknowledged = None
        self._acknowledged(sent.job_id, sent.state, sent.duration_s, stored)
        self.state.in_hand.extend(taken)
        self.state.queue_seen_empty = sent.pending.want > 0 and not taken

    def _acknowledged(self, job_id: str, state: JobState, duration: float | None, stored: bool) -> None:
        if stored:
            self.state.outcomes[state.value] += 1
            if duration is not None:
                self.state.durations.append(duration)
        else:
            log.warning("worker %s: job %s was already finished (elsewhere, or here before a lost reply); "
                        "kept that result", self.worker_id, job_id)

    # --- heartbeat thread ------------------------------------------------------------------
    def _heartbeat_loop(self) -> None:
        while True:
            try:
                self._beat_once()
            except REDIS_ERRORS:
                pass  # the loop reports the outage; the next beat tries again
            except Exception:  # the watchdog must outlive any surprise
                log.exception("worker %s: heartbeat failed", self.worker_id)
            time.sleep(self.settings.heartbeat_interval_s)

    def _beat_once(self) -> None:
        running = self.state.current
        # a scan past its deadline is recorded timed_out before a second stop signal could give it back
        if running is not None and time.monotonic() > running.deadline + self.settings.hard_timeout_grace_s:
            self._stop_runaway_scan(running)
        if self.state.stop_requests >= 2 and running is not None:
            self._give_back_and_exit()
        if not self.loop_alive():
            return  # a silent loop must look dead to the reaper and the supervisor
        progress = None if running is None else (running.job.id, running.percent, running.message)
        if self.side_queue.heartbeat(self.scanner, self.worker_id, progress) and running is not None:
            running.cancel_requested = True
        if time.monotonic() - self.state.last_reap > self.settings.reaper_interval_s:
            self.state.last_reap = time.monotonic()
            moved = self.side_queue.reap(self.scanner, self.settings.heartbeat_stale_s)
            if moved:
                log.warning("worker %s: requeued %d job(s) of stale workers", self.worker_id, moved)

    def _give_back_and_exit(self) -> None:
        kill_running_clones()  # os._exit runs no finally: git's process group would outlive the worker
        # an operator's stop gives the job back free; a job that made this worker unhealthy (the
        # supervisor's second signal after failed probes) keeps its attempt, or it would come back for ever
        charge = not self.loop_alive()
        give_back = self.side_queue.recover_worker if charge else self.side_queue.release
        moved = give_back(self.scanner, self.worker_id, "worker stopped before finishing the job")
        log.warning("worker %s: second stop signal; returned %d job(s) to the queue", self.worker_id, moved)
        logging.shutdown()
        os._exit(EXIT_SECOND_SIGNAL)

    def _stop_runaway_scan(self, running: RunningJob) -> None:
        kill_running_clones()
        self.credentials.discard(running.job)
        error = f"scan exceeded its {running.job.timeout_s:g}s timeout and ignored it; worker restarted"
        result = self._unfinished(running.job, JobState.TIMED_OUT, error)
        self.side_queue.finish(self.scanner, self.worker_id, running.payload, running.job.id,
                               JobState.TIMED_OUT, result, duration_s=time.monotonic() - running.started,
                               error=error, job_record=job_record(running.job, running.job.attempts))
        log.error("worker %s: job %s timed out and ignored its deadline; exiting for a clean restart",
                  self.worker_id, running.job.id)
        logging.shutdown()
        os._exit(EXIT_HARD_TIMEOUT)

    # --- what the HTTP side reports --------------------------------------------------------
    def loop_alive(self) -> bool:
        """True while the loop iterates, or runs a job that is still within its deadline."""
        running = self.state.current
        if running is not None:
            return time.monotonic() <= running.deadline + self.settings.hard_timeout_grace_s
        return time.monotonic() - self.state.loop_beat <= self.settings.loop_stale_s

    def health(self) -> dict[str, Any]:
        """Liveness detail: loop heartbeat fresh and Redis reachable."""
        redis_ok = self._ping()
        loop_ok = self.loop_alive()
        running = self.state.current  # read once: the loop may end the job meanwhile
        return {"status": "ok" if loop_ok and redis_ok else "unhealthy", "loop_ok": loop_ok,
                "redis_ok": redis_ok, "worker_id": self.worker_id, "scanner": self.scanner,
                "pid": os.getpid(), "loop_age_s": round(time.monotonic() - self.state.loop_beat, 3),
                "current_job": None if running is None else running.job.id,
                "stopping": bool(self.state.stop_requests)}

    def _ping(self) -> bool:
        try:
            return bool(self.side_queue.redis.ping())
        except REDIS_ERRORS:
            return False

    def stats(self) -> dict[str, Any]:
        """This process's own figures."""
        running = self.state.current
        ordered = sorted(self.state.durations)
        return {
            "worker_id": self.worker_id, "scanner": self.scanner, "pid": os.getpid(),
            "uptime_s": round(time.monotonic() - self.started, 1),
            "jobs": dict(self.state.outcomes),
            "mean_duration_s": sum(ordered) / len(ordered) if ordered else None,
            "p95_duration_s": ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else None,
            "current_job": None if running is None else {
                "id": running.job.id, "percent": running.percent, "message": running.message,
                "elapsed_s": round(time.monotonic() - running.started, 3)},
        }
