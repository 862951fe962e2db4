"""The job protocol between UI, API, workers and launcher: jobs, queues, results and the outbox.

Key names come from utils/redis_keys.py. The outbox belongs here: a job's finish appends its outbox
entry in the same atomic call that records its result, and the drainers' hand-off (take, acknowledge,
give back, and the heartbeats that let entries of a dead drainer go back) mirrors the workers' own.

Lifecycle: queued -> running -> succeeded | failed | timed_out | cancelled, and dead after the last
allowed attempt. A worker takes a job by atomically moving its JSON from the scanner's queue into its
own processing list and marking it running in the same Lua call; it acknowledges with one Lua call
that stores the result (with a TTL), records the final state, bumps the counters and removes the job
from its processing list, and that call also takes the worker's next job, so a busy worker needs one
round trip per job. Lua scripts run atomically like MULTI/EXEC, and unlike MULTI/EXEC can first
check that the job is not already finished, which is what makes a result recorded exactly once even
when an orphaned job was requeued and ran twice (delivery is at-least-once).

A scanner's only live worker may also hold one job ahead (claimed, marked `ahead` and "waiting for
the worker"): it then sends the acknowledgement of a job without waiting for the reply and runs the
job it holds while Redis records the other (`send_finish_and_take`); the call records the held job's
start. A worker's processing list thus holds at most the job it runs and the one it holds, so a take
that finds anything else there knows a reply was lost and puts the stranded job back first. A job
held ahead that never started gets its attempt back when its worker dies.

Heartbeats are per worker and time-based (one ZADD a second from a background thread), not one round
trip per job; a reaper requeues the processing lists of workers whose heartbeat went stale.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, cast

import orjson
import redis
import redis.connection
from redis.commands.core import Script

from utils.errors import InvalidRequestError, JobDecodeError, JobNotFoundError, RequestTooLargeError
from utils.redis_keys import (
    JOB_KEY_PREFIX,
    KEY_DEAD,
    KEY_DONE,
    KEY_DURATIONS,
    KEY_JOB,
    KEY_OUTBOX,
    KEY_OUTBOX_CONSUMER,
    KEY_OUTBOX_PROCESSING,
    KEY_OUTBOX_REJECTED,
    KEY_PROCESSING,
    KEY_QUEUE,
    KEY_RESULT,
    KEY_SCANNERS,
    KEY_STATS,
    KEY_WORKERS,
)

WAIT_SLICE_S = 5.0  # longest single BLPOP of `wait`; below connect()'s 10 s socket timeout
DONE_INLINE_MAX_BYTES = 64 * 1024  # results up to this size ride in the done notification
DONE_KEY_TTL_S = 300  # a waiter that arrives late still finds the notification for 5 minutes
JOB_RECORD_EXTRA_TTL_S = 600  # job records outlive their result a little, for late status queries
# made once: json.dumps builds a new encoder on every call that passes separators
_COMPACT = json.JSONEncoder(separators=(",", ":"))
_COMPACT_SORTED = json.JSONEncoder(separators=(",", ":"), sort_keys=True)

# --- outbox drainer liveness: entries a drainer held when its host died go back to the outbox ----
OUTBOX_CONSUMER_TTL_S = 15.0  # a drainer silent this long is presumed dead; it renews every loop


def outbox_heartbeat(client: redis.Redis, consumer: str, ttl_s: float = OUTBOX_CONSUMER_TTL_S) -> None:
    """Say the drainer `consumer` is alive for the next `ttl_s` seconds."""
    client.set(KEY_OUTBOX_CONSUMER.format(consumer=consumer), "1", px=int(ttl_s * 1000))


def orphaned_outbox_consumers(client: redis.Redis) -> list[str]:
    """Drainers that hold outbox entries but stopped renewing their heartbeat."""
    prefix = KEY_OUTBOX_PROCESSING.format(consumer="")
    held = {_text(key)[len(prefix):] for key in client.scan_iter(match=f"{prefix}*", count=1000)}
    return sorted(c for c in held if not client.exists(KEY_OUTBOX_CONSUMER.format(consumer=c)))


class JobState(enum.StrEnum):
    """Where a job is in its lifecycle."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"
    DEAD = "dead"


TERMINAL_STATES = frozenset(
    {JobState.SUCCEEDED, JobState.FAILED, JobState.TIMED_OUT, JobState.CANCELLED, JobState.DEAD}
)
COUNTED_STATES = ("submitted", "succeeded", "failed", "timed_out", "cancelled", "dead",
                  "requeued", "malformed")


@dataclass(frozen=True)
class Job:
    """A scan job as it travels through Redis."""

    id: str
    scanner: str
    request: dict[str, Any]
    org_id: str | None = None
    user_id: str | None = None
    created_at: float = field(default_factory=time.time)
    attempts: int = 0
    timeout_s: float = 600.0

    def to_json(self) -> str:
        """Compact JSON, the form stored on queues."""
        return self._encoded

    @functools.cached_property
    def _encoded(self) -> str:
        # encoded once: new_job measures the size and enqueue stores the same text (the job is frozen);
        # not asdict(): its deep copy of the request cost more than the encoding (queue bench)
        return _COMPACT_SORTED.encode({f.name: getattr(self, f.name) for f in fields(self)})

    @classmethod
    def from_json(cls, raw: str | bytes, *, attempts: int | None = None) -> Job:
        """Decode a queue payload, raising JobDecodeError (with `job_id` when known).

        `attempts` overrides the payload's count (the claim's count, which the payload does not carry).
        """
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise JobDecodeError("job payload is not UTF-8") from None
        except json.JSONDecodeError as error:
            raise JobDecodeError(f"job payload is not JSON: {error.msg} at char {error.pos}") from None
        if not isinstance(data, dict):
            raise JobDecodeError("job payload is not a JSON object")
        return cls._from_dict(data, attempts)

    @classmethod
    def _from_dict(cls, data: dict[str, Any], attempts: int | None) -> Job:
        job_id = data.get("id") if isinstance(data.get("id"), str) else None
        problems = [name for name, kind in _JOB_FIELD_TYPES.items() if not isinstance(data.get(name), kind)]
        if not problems and not valid_timeout(data["timeout_s"]):
            problems = ["timeout_s"]  # NaN would disable the deadline and make the worker look hung
        if problems:
            raise JobDecodeError(f"job payload has missing or invalid fields: {', '.join(problems)}",
                                 job_id=job_id)
        known = {k: data[k] for k in _JOB_FIELD_TYPES if k in data}
        if attempts is not None:
            known["attempts"] = attempts
        optional: dict[str, Any] = {k: data.get(k) for k in ("org_id", "user_id")}
        return cls(**known, **optional)


def valid_timeout(value: object) -> bool:
    """True for a job timeout a worker can keep: a finite number of seconds above zero."""
    return (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            and value > 0)


_JOB_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str, "scanner": str, "request": dict, "created_at": (int, float),
    "attempts": int, "timeout_s": (int, float),
}


@dataclass(frozen=True)
class Taken:
    """What `take` handed a worker: the raw payload and what to do with it."""

    payload: bytes  # exactly as stored: it may not even be UTF-8, and LREM needs the same bytes
    outcome: str  # running | cancelled | finished | dead | malformed
    attempts: int
    last_error: str = ""
    job_id: str = ""  # '' for a payload that is not a job


@dataclass(frozen=True)
class ScannerStats:
    """Queue and outcome figures of one scanner."""

    scanner: str
    queued: int
    running: int
    workers: int
    counters: dict[str, int]
    mean_duration_s: float | None
    p95_duration_s: float | None


# --- Lua: each runs atomically -----------------------------------------------------------------
_CLAIM = """
local function claim(payload, prefix, worker, now, max_attempts, ahead)
  local ok, job = pcall(cjson.decode, payload)
  if not ok or type(job) ~= 'table' or type(job['id']) ~= 'string' then
    return {payload, 'malformed', 0, '', ''}
  end
  local id = job['id']
  local key = prefix .. id
  local record = redis.call('HMGET', key, 'state', 'error', 'attempts')
  local state, last_error = record[1], record[2] or ''
  if state == 'cancelled' then return {payload, 'cancelled', 0, '', id} end
  if state == 'succeeded' or state == 'failed' or state == 'timed_out' or state == 'dead' then
    return {payload, 'finished', 0, '', id}
  end
  local attempts = tonumber(record[3] or '0') + 1
  -- a job past its last attempt is not charged another: its record keeps the attempts it used
  if attempts > tonumber(max_attempts) then return {payload, 'dead', attempts - 1, last_error, id} end
  if ahead == '1' then
    -- taken ahead: it waits for the job the worker is running; `start` records when it starts
    redis.call('HSET', key, 'attempts', attempts, 'state', 'running', 'worker', worker, 'started_at', '',
               'percent', '0', 'message', 'waiting for the worker', 'ahead', '1')
  else
    redis.call('HSET', key, 'attempts', attempts, 'state', 'running', 'worker', worker, 'started_at', now,
               'percent', '0', 'message', 'started')
  end
  return {payload, 'running', attempts, last_error, id}
end

-- The worker starts the job it took ahead (id `held_id`) as it sends the call that runs this.
local function start(held_id, prefix, worker, now)
  if held_id == '' then return end
  local key = prefix .. held_id
  local record = redis.call('HMGET', key, 'state', 'worker', 'ahead')
  if record[1] == 'running' and record[2] == worker and record[3] == '1' then
    redis.call('HSET', key, 'started_at', now, 'message', 'started', 'ahead', '0')
  end
end

-- Put back everything in `processing`, the oldest job at the front of `queue`; a job claimed to run
-- (state running) goes back queued, and gets its attempt back when `undo` is '1' or when it was taken
-- ahead and never started (a crash while it waited is not its attempt).
local function requeue(processing, queue, stats, prefix, reason, undo)
  local moved = 0
  while true do
    local payload = redis.call('LMOVE', processing, queue, 'LEFT', 'RIGHT')
    if not payload then break end
    moved = moved + 1
    local ok, job = pcall(cjson.decode, payload)
    if ok and type(job) == 'table' and type(job['id']) == 'string' then
      local key = prefix .. job['id']
      local record = redis.call('HMGET', key, 'state', 'ahead')
      local state = record[1]
      if state == 'running' or state == 'queued' then
        redis.call('HSET', key, 'state', 'queued', 'worker', '', 'error', reason, 'ahead', '0')
        if state == 'running' and (undo == '1' or record[2] == '1') then
          redis.call('HINCRBY', key, 'attempts', -1)
        end
      end
    end
  end
  if moved > 0 then redis.call('HINCRBY', stats, 'requeued', moved) end
  return moved
end

-- A worker's processing list holds what it just finished (removed before this runs) and at most the
-- one job it took ahead and is about to start (`held`, '' with empty hands). Anything else was claimed
-- for it by a call whose reply was lost (a dropped connection; the client re-sent the call): that job
-- never ran here, so it goes back to the front of the queue with its attempt undone.
local function sweep(queue, processing, stats, prefix, held)
  local reason = 'the reply that handed it to a worker was lost'
  local count = redis.call('LLEN', processing)
  if count == 0 then return end
  if held == '' then
    requeue(processing, queue, stats, prefix, reason, '1')
  elseif count > 1 or redis.call('LINDEX', processing, 0) ~= held then
    local kept = redis.call('LREM', processing, 1, held)
    requeue(processing, queue, stats, prefix, reason, '1')
    if kept > 0 then redis.call('LPUSH', processing, held) end
  end
end

-- Take up to `want` jobs, flattened claims in order. Holding a job, every job taken waits for it; with
-- empty hands the first runs now and a second waits. Jobs wait in a worker's hands only when it is its
-- scanner's only live worker (nobody else could run them sooner); else it takes what it runs now.
local function take(queue, processing, stats, workers, prefix, worker, now, max_attempts, held, held_id,
                    want)
  sweep(queue, processing, stats, prefix, held)
  if held ~= '' then start(held_id, prefix, worker, now) end
  local first_ahead = 2
  if held ~= '' then first_ahead = 1 end
  want = tonumber(want)
  if want >= first_ahead and redis.call('ZCARD', workers) > 1 then want = first_ahead - 1 end
  local taken = {}
  for i = 1, want do
    local payload = redis.call('LMOVE', queue, processing, 'RIGHT', 'LEFT')
    if not payload then break end
    local ahead = '0'
    if i >= first_ahead then ahead = '1' end
    local claimed = claim(payload, prefix, worker, now, max_attempts, ahead)
    for _, part in ipairs(claimed) do taken[#taken + 1] = part end
  end
  return taken
end
"""

# KEYS: queue, processing, stats, workers; ARGV: job key prefix, worker, now, max_attempts, held, held_id,
# want. Returns the claims of the jobs taken, five items each: payload, outcome, attempts, last error, id.
_TAKE = _CLAIM + """
return take(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6],
            ARGV[7])
"""

# pipelined right behind a BLMOVE into the (empty) processing list, which Redis runs only once the
# BLMOVE returns: claim what it moved there, if anything. KEYS and ARGV as _TAKE.
_CLAIM_MOVED = _CLAIM + """
local payload = redis.call('LINDEX', KEYS[2], 0)
if not payload then return false end
return claim(payload, ARGV[1], ARGV[2], ARGV[3], ARGV[4], '0')
"""

# KEYS: job, queue, stats, scanners; ARGV: payload, scanner, created_at, org_id, user_id
_ENQUEUE = """
redis.call('HSET', KEYS[1], 'state', 'queued', 'scanner', ARGV[2], 'attempts', '0', 'created_at', ARGV[3],
           'org_id', ARGV[4], 'user_id', ARGV[5], 'percent', '0', 'message', 'queued')
redis.call('LPUSH', KEYS[2], ARGV[1])
-- the scanner joins the set with its first job (later ones would only rewrite the same member)
if redis.call('HINCRBY', KEYS[3], 'submitted', 1) == 1 then redis.call('SADD', KEYS[4], ARGV[2]) end
"""

# KEYS: processing, job, result, done, stats, durations, dead, outbox, queue, workers
# ARGV: payload, state, result_json, ttl, now, duration, samples, error, done_ttl, record_ttl,
#       job_record_json ('' when not persisted: else the outbox gets {"job": …, "result": …}),
#       done_note ('' for the result itself, when small, so a waiter needs no second round trip; else the
#       state), want (jobs to take next, as _TAKE does), job key prefix, worker, max_attempts,
#       held (the job taken ahead that the worker starts now, or ''), held_id (its id)
# The result travels once and is reused for the outbox entry and the done note.
# Returns {'ok' | 'duplicate'} followed by the claims of the jobs taken (see _TAKE).
_FINISH = _CLAIM + """
local function finish()
  redis.call('LREM', KEYS[1], 1, ARGV[1])
  local record = redis.call('HMGET', KEYS[2], 'state', 'completions')
  local current = record[1]
  if current == 'succeeded' or current == 'failed' or current == 'timed_out'
     or current == 'dead' or current == 'cancelled' then
    return 'duplicate'
  end
  redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
  -- completions counts finishes that got this far: the exactly-once evidence the tests read
  redis.call('HSET', KEYS[2], 'state', ARGV[2], 'finished_at', ARGV[5], 'duration', ARGV[6],
             'error', ARGV[8], 'percent', '100', 'message', ARGV[2],
             'completions', tonumber(record[2] or '0') + 1)
  redis.call('EXPIRE', KEYS[2], ARGV[10])
  redis.call('HINCRBY', KEYS[5], ARGV[2], 1)
  if ARGV[6] ~= '' then
    -- trimmed when twice the samples: one LTRIM per `samples` jobs instead of one per job
    local samples = tonumber(ARGV[7])
    if redis.call('LPUSH', KEYS[6], ARGV[6]) > 2 * samples then
      redis.call('LTRIM', KEYS[6], 0, samples - 1)
    end
  end
  if ARGV[2] == 'dead' then redis.call('LPUSH', KEYS[7], ARGV[1]) end
  if ARGV[11] ~= '' then
    redis.call('LPUSH', KEYS[8], '{"job":' .. ARGV[11] .. ',"result":' .. ARGV[3] .. '}')
  end
  if ARGV[12] == '' then redis.call('RPUSH', KEYS[4], ARGV[3]) else redis.call('RPUSH', KEYS[4], ARGV[12]) end
  redis.call('EXPIRE', KEYS[4], ARGV[9])
  return 'ok'
end

local outcome = finish()
if ARGV[13] == '0' and ARGV[17] == '' then return {outcome} end
local taken = take(KEYS[9], KEYS[1], KEYS[5], KEYS[10], ARGV[14], ARGV[15], ARGV[5], ARGV[16], ARGV[17],
                   ARGV[18], ARGV[13])
table.insert(taken, 1, outcome)
return taken
"""

# KEYS: processing, queue, stats; ARGV: job key prefix, reason, undo_attempt (1/0)
_REQUEUE = _CLAIM + """
return requeue(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
"""

# KEYS: a consumer's outbox processing list, the outbox
_OUTBOX_RETURN = """
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do moved = moved + 1 end
return moved
"""

_CANCEL = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'missing' end
if state == 'queued' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'finished_at', ARGV[3], 'message', 'cancelled')
  redis.call('HINCRBY', KEYS[1], 'completions', 1)
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
  redis.call('HINCRBY', KEYS[4], 'cancelled', 1)
  redis.call('RPUSH', KEYS[3], 'cancelled')
  redis.call('EXPIRE', KEYS[3], ARGV[4])
  if ARGV[6] ~= '' then redis.call('LPUSH', KEYS[5], ARGV[6]) end
  return 'cancelled'
end
if state == 'running' then
  redis.call('HSET', KEYS[1], 'cancel', '1')
  return 'cancelling'
end
return state
"""


class PendingFinish:
    """A `send_finish_and_take` whose reply has not been read yet."""

    def __init__(self, queue: JobQueue, keys: list[str], args: list[Any], want: int,
                 connection: redis.connection.Connection | None, reply: list[Any] | None) -> None:
        self._queue, self._keys, self._args = queue, keys, args
        self.want = want  # how many jobs the call asked for
        self._connection = connection
        self._reply = reply

    def reply(self) -> tuple[bool, list[Taken]]:
        """(stored, jobs taken), as `finish_and_take` returns them; reads the reply on the first call.

        A lost reply (the connection dropped) is made good by making the call again: the finish is then
        a duplicate and the take's sweep puts back what the lost reply handed over, then takes it again.
        """
        if self._reply is None:
            self._reply = self._read()
        return _text(self._reply[0]) == "ok", _claims(self._reply[1:])

    def _read(self) -> list[Any]:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                return cast("list[Any]", connection.read_response())
            except redis.exceptions.NoScriptError:
                pass  # Redis forgot the script (a restart, SCRIPT FLUSH): nothing ran
            except (redis.ConnectionError, redis.TimeoutError):
                connection.disconnect()
        return cast("list[Any]", self._queue._run(self._queue._finish, self._keys, self._args))


class JobQueue:
    """The job protocol over one Redis connection pool."""

    def __init__(self, client: redis.Redis, *, result_ttl_s: int = 3600, max_request_bytes: int = 1 << 20,
                 max_attempts: int = 3, duration_samples: int = 1000) -> None:
        self.redis = client
        self.result_ttl_s = result_ttl_s
        self.max_request_bytes = max_request_bytes
        self.max_attempts = max_attempts
        self.duration_samples = duration_samples
        self._enqueue = client.register_script(_ENQUEUE)
        self._take = client.register_script(_TAKE)
        self._claim_moved = client.register_script(_CLAIM_MOVED)
        self._finish = client.register_script(_FINISH)
        self._requeue = client.register_script(_REQUEUE)
        self._cancel = client.register_script(_CANCEL)
        self._outbox_return = client.register_script(_OUTBOX_RETURN)

    def _run(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        """Run a registered script by SHA, loading it first if Redis answers NOSCRIPT (as Script does)."""
        # straight through the client: redis-py's Script.__call__ cost a no-op job ~11 us of CPU
        try:
            return self.redis.evalsha(script.sha, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            return script(keys=keys, args=args)

    # --- producer side ---------------------------------------------------------------------
    def new_job(self, scanner: str, request: dict[str, Any], *, org_id: str | None = None,
                user_id: str | None = None, timeout_s: float = 600.0) -> Job:
        """Build a job, refusing a request over the size limit or a timeout no worker can keep."""
        if not valid_timeout(timeout_s):
            raise InvalidRequestError("timeout_s must be a finite number of seconds above zero")
        job = Job(id=str(uuid.uuid4()), scanner=scanner, request=request, org_id=org_id,
                  user_id=user_id, timeout_s=float(timeout_s))
        size = len(job.to_json().encode())
        if size > self.max_request_bytes:
            raise RequestTooLargeError(
                f"scan request is {size} bytes, over the {self.max_request_bytes}-byte limit; "
                "upload files and pass their path instead of their contents")
        return job

    def enqueue(self, job: Job) -> str:
        """Record the job as queued and push it onto its scanner's queue, atomically."""
        # one Lua call rather than MULTI/EXEC: one reply to parse instead of six, which halved the
        # producer's CPU per job in bench/queue_throughput.py
        self._run(self._enqueue, [KEY_JOB.format(job_id=job.id), KEY_QUEUE.format(scanner=job.scanner),
                                  KEY_STATS.format(scanner=job.scanner), KEY_SCANNERS],
                  [job.to_json(), job.scanner, repr(job.created_at), job.org_id or "", job.user_id or ""])
        return job.id

    def push_raw(self, scanner: str, payload: str | bytes) -> None:
        """Push a payload as-is (operators replaying dead letters; tests of malformed input)."""
        self.redis.lpush(KEY_QUEUE.format(scanner=scanner), payload)

    def cancel(self, job_id: str, cancelled_result: dict[str, Any]) -> str:
        """Cancel a job: a queued one at once (it will not run), a running one at its next progress."""
        record = self.status(job_id)
        if not record:
            raise JobNotFoundError(f"no job {job_id}")
        result_json = encode_result(cancelled_result)
        job_record = {"id": job_id, "scanner": record.get("scanner"), "org_id": record.get("org_id") or None,
                      "user_id": record.get("user_id") or None, "attempts": 0,
                      "created_at": float(record.get("created_at") or time.time())}
        outcome = self._cancel(
            keys=[KEY_JOB.format(job_id=job_id), KEY_RESULT.format(job_id=job_id),
                  KEY_DONE.format(job_id=job_id), KEY_STATS.format(scanner=record.get("scanner", "")),
                  KEY_OUTBOX],
            args=[result_json, self.result_ttl_s, time.time(), DONE_KEY_TTL_S,
                  self.result_ttl_s + JOB_RECORD_EXTRA_TTL_S, outbox_entry(job_record, result_json)])
        state = _text(outcome)
        if state == "missing":
            raise JobNotFoundError(f"no job {job_id}")
        return state

    # --- worker side -----------------------------------------------------------------------
    def take(self, scanner: str, worker_id: str, block_s: float = 1.0, *,
             poll_first: bool = True) -> Taken | None:
        """Take the next job: non-blocking first (one round trip under load), then block.

        `poll_first=False` goes straight to the blocking take: for a worker whose last `finish_and_take`
        just found the queue empty (and its hands empty: the blocking take relies on both).
        """
        keys = self._take_keys(scanner, worker_id)
        args = self._take_args(worker_id)
        reply = self._run(self._take, keys, args) if poll_first else None
        if not reply and block_s > 0:
            reply = self._take_blocking(keys, args, block_s)
        return _claims(reply)[0] if reply else None

    def _take_blocking(self, keys: list[str], args: list[Any], block_s: float) -> list[Any] | None:
        # the claim is pipelined behind the BLMOVE, so a job arriving on an idle queue costs the worker
        # no second round trip; by SHA, as a pipeline cannot reload a script Redis forgot: that case is
        # handled below, after the pipeline
        with self.redis.pipeline(transaction=False) as pipe:
            # redis-py annotates the timeout as int, but BLMOVE takes a decimal number of seconds
            pipe.blmove(keys[0], keys[1], block_s, "RIGHT", "LEFT")  # type: ignore[arg-type]
            pipe.evalsha(self._claim_moved.sha, len(keys), *keys, *args)
            moved, reply = pipe.execute(raise_on_error=False)
        if isinstance(moved, Exception):
            raise moved
        if isinstance(reply, redis.exceptions.NoScriptError):
            # Redis restarted (or its scripts were flushed) since the script was loaded: nothing ran, so
            # the job the BLMOVE moved is still unclaimed in the processing list
            reply = self._claim_moved(keys=keys, args=args)
        elif isinstance(reply, Exception):
            raise reply
        return cast("list[Any] | None", reply)

    def _take_keys(self, scanner: str, worker_id: str) -> list[str]:
        processing, stats, _, _, queue, workers = _worker_keys(scanner, worker_id)
        return [queue, processing, stats, workers]

    def _take_args(self, worker_id: str) -> list[Any]:
        return [JOB_KEY_PREFIX, worker_id, repr(time.time()), self.max_attempts, b"", "", 1]

    def finish(self, scanner: str, worker_id: str, payload: bytes, job_id: str, state: JobState,
               result: dict[str, Any], *, duration_s: float | None, error: str = "",
               job_record: dict[str, Any] | None = None) -> bool:
        """Store the result and final state atomically; False if the job was already finished.

        With `job_record` (the job's fields, without its request), the same call appends the job and
        its result to the outbox that services/persistence.py drains into PostgreSQL.
        """
        stored, _ = self.finish_and_take(scanner, worker_id, payload, job_id, state, result,
                                         duration_s=duration_s, error=error, job_record=job_record, want=0)
        return stored

    def finish_and_take(self, scanner: str, worker_id: str, payload: bytes, job_id: str, state: JobState,
                        result: dict[str, Any], *, duration_s: float | None, error: str = "",
                        job_record: dict[str, Any] | None = None, want: int = 1,
                        held: Taken | None = None) -> tuple[bool, list[Taken]]:
        """`finish`, then take up to `want` next jobs (without blocking), in the same atomic call.

        A busy worker thus needs one round trip per job. `held` is the job the worker took ahead and
        starts now (None with empty hands). With empty hands a second job is taken ahead, and holding
        one every job taken is: only by the scanner's only live worker, who would run them next anyway.
        Jobs taken are claimed (running, one attempt used) before the worker has them: a worker that
        then stops must `release` them, and if the reply is lost the client's re-sent call finds them in
        the worker's processing list and takes them again (a job taken ahead keeps its attempt when its
        worker crashes before starting it).
        """
        reply = self._run(self._finish, *self._finish_call(scanner, worker_id, payload, job_id, state, result,
                                                           duration_s, error, job_record, want, held))
        return _text(reply[0]) == "ok", _claims(reply[1:])

    def send_finish_and_take(self, scanner: str, worker_id: str, payload: bytes, job_id: str,
                             state: JobState, result: dict[str, Any], *, duration_s: float | None,
                             error: str = "", job_record: dict[str, Any] | None = None, want: int = 1,
                             held: Taken | None = None) -> PendingFinish:
        """`finish_and_take` without waiting for the reply: the worker starts `held` meanwhile.

        Redis runs the call while the worker runs its next job, so a busy worker's Python and Redis's
        work overlap instead of taking turns. Only on a client with a connection of its own
        (single_connection_client), which must send nothing else until the reply is read; on a pooled
        client the call is made and answered at once.
        """
        keys, args = self._finish_call(scanner, worker_id, payload, job_id, state, result, duration_s, error,
                                       job_record, want, held)
        connection = self.redis.connection
        if connection is None:
            return PendingFinish(self, keys, args, want, None, self._run(self._finish, keys, args))
        try:
            connection.send_command("EVALSHA", self._finish.sha, len(keys), *keys, *args)
        except (redis.ConnectionError, redis.TimeoutError):
            connection.disconnect()
            # partly sent or not at all: made again in full, as a finish is recorded only once
            return PendingFinish(self, keys, args, want, None, self._run(self._finish, keys, args))
        return PendingFinish(self, keys, args, want, connection, None)

    def _finish_call(self, scanner: str, worker_id: str, payload: bytes, job_id: str, state: JobState,
                     result: dict[str, Any], duration_s: float | None, error: str,
                     job_record: dict[str, Any] | None, want: int,
                     held: Taken | None) -> tuple[list[str], list[Any]]:
        processing, stats, durations, dead, queue, workers = _worker_keys(scanner, worker_id)
        keys = [processing, KEY_JOB.format(job_id=job_id), KEY_RESULT.format(job_id=job_id),
                KEY_DONE.format(job_id=job_id), stats, durations, dead, KEY_OUTBOX, queue, workers]
        result_json = encode_result(result)
        state_name = JobState(state).value
        args = [payload, state_name, result_json, self.result_ttl_s, repr(time.time()),
                "" if duration_s is None else f"{duration_s:.6f}", self.duration_samples, error,
                DONE_KEY_TTL_S, self.result_ttl_s + JOB_RECORD_EXTRA_TTL_S,
                "" if job_record is None else _COMPACT.encode(job_record),
                "" if len(result_json) <= DONE_INLINE_MAX_BYTES else state_name,
                want, JOB_KEY_PREFIX, worker_id, self.max_attempts, held.payload if held else b"",
                held.job_id if held else ""]
        return keys, args

    # --- the outbox: finished jobs on their way to PostgreSQL ------------------------------
    def outbox_take(self, consumer: str) -> bytes | None:
        """Move the oldest outbox entry into this consumer's processing list and return it."""
        entry = self.redis.lmove(KEY_OUTBOX, KEY_OUTBOX_PROCESSING.format(consumer=consumer), "RIGHT", "LEFT")
        return None if entry is None else bytes(entry)  # type: ignore[arg-type]

    def outbox_ack(self, consumer: str, entry: bytes) -> None:
        """The entry is in PostgreSQL: forget it."""
        self.redis.lrem(KEY_OUTBOX_PROCESSING.format(consumer=consumer), 1, entry)  # type: ignore[arg-type]

    def outbox_return(self, consumer: str) -> int:
        """Put every entry this consumer holds back at the old end of the outbox, order kept."""
        return int(self._outbox_return(keys=[KEY_OUTBOX_PROCESSING.format(consumer=consumer), KEY_OUTBOX]))

    def outbox_reject(self, consumer: str, entry: bytes) -> None:
        """Set aside an entry the database refused as malformed."""
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.lrem(KEY_OUTBOX_PROCESSING.format(consumer=consumer), 1, entry)  # type: ignore[arg-type]
            pipe.lpush(KEY_OUTBOX_REJECTED, entry)
            pipe.execute()

    def outbox_depth(self) -> int:
        """Entries waiting to be written to PostgreSQL."""
        return int(self.redis.llen(KEY_OUTBOX))

    def drop(self, scanner: str, worker_id: str, payload: bytes) -> None:
        """Remove a payload that must not run (already finished or cancelled) from processing."""
        # redis-py annotates the value as str, but LREM must get the exact stored bytes (maybe not UTF-8)
        self.redis.lrem(KEY_PROCESSING.format(scanner=scanner, worker=worker_id), 1, payload)  # type: ignore[arg-type]

    def discard_malformed(self, scanner: str, worker_id: str, payload: bytes) -> None:
        """Move an undecodable payload from processing to the dead-letter list."""
        with self.redis.pipeline(transaction=True) as pipe:
            # redis-py annotates the value as str; the payload is bytes that may not even be UTF-8
            pipe.lrem(KEY_PROCESSING.format(scanner=scanner, worker=worker_id), 1, payload)  # type: ignore[arg-type]
            pipe.lpush(KEY_DEAD.format(scanner=scanner), payload)
            pipe.hincrby(KEY_STATS.format(scanner=scanner), "malformed", 1)
            pipe.execute()

    def release(self, scanner: str, worker_id: str, reason: str) -> int:
        """Give back every job this worker holds (shutdown): requeued without using up an attempt."""
        return self._requeue_list(scanner, worker_id, reason, undo_attempt=True)

    def recover_worker(self, scanner: str, worker_id: str, reason: str) -> int:
        """Requeue the jobs a dead or restarted worker held; the crash counts as an attempt."""
        return self._requeue_list(scanner, worker_id, reason, undo_attempt=False)

    def _requeue_list(self, scanner: str, worker_id: str, reason: str, *, undo_attempt: bool) -> int:
        keys = [KEY_PROCESSING.format(scanner=scanner, worker=worker_id),
                KEY_QUEUE.format(scanner=scanner), KEY_STATS.format(scanner=scanner)]
        return int(self._requeue(keys=keys, args=[JOB_KEY_PREFIX, reason, "1" if undo_attempt else "0"]))

    def heartbeat(self, scanner: str, worker_id: str, progress: tuple[str, float, str] | None = None) -> bool:
        """Record that the worker is alive (and its job's progress); True if cancel was requested."""
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(KEY_WORKERS.format(scanner=scanner), {worker_id: time.time()})
            if progress is not None:
                job_id, percent, message = progress
                key = KEY_JOB.format(job_id=job_id)
                pipe.hset(key, mapping={"percent": f"{percent:.1f}", "message": message[:200]})
                pipe.hget(key, "cancel")
            replies = pipe.execute()
        return progress is not None and replies[-1] in (b"1", "1")

    def forget_worker(self, scanner: str, worker_id: str) -> None:
        """Remove a worker that stopped cleanly from the heartbeat set."""
        self.redis.zrem(KEY_WORKERS.format(scanner=scanner), worker_id)

    def reap(self, scanner: str, stale_after_s: float) -> int:
        """Requeue the jobs of every worker of `scanner` whose heartbeat is older than `stale_after_s`."""
        key = KEY_WORKERS.format(scanner=scanner)
        stale = self.redis.zrangebyscore(key, "-inf", time.time() - stale_after_s)
        moved = 0
        for raw in stale:
            worker_id = _text(raw)
            moved += self.recover_worker(scanner, worker_id, f"worker {worker_id} stopped heart-beating")
            self.redis.zrem(key, worker_id)
        return moved

    # --- readers ---------------------------------------------------------------------------
    def status(self, job_id: str) -> dict[str, str]:
        """The job's record (state, attempts, percent, message, error, times); {} if unknown."""
        return {_text(k): _text(v) for k, v in self.redis.hgetall(KEY_JOB.format(job_id=job_id)).items()}

    def result(self, job_id: str) -> dict[str, Any] | None:
        """The stored result of a finished job, or None."""
        raw = self.redis.get(KEY_RESULT.format(job_id=job_id))
        return None if raw is None else decode_result(raw)

    def wait(self, job_id: str, timeout_s: float) -> dict[str, Any] | None:
        """Block until the job finishes (or `timeout_s` passes) and return its result."""
        # block in slices shorter than the client's socket timeout, which would cut a long BLPOP off
        deadline = time.monotonic() + timeout_s
        key = KEY_DONE.format(job_id=job_id)
        while (left := deadline - time.monotonic()) > 0:
            popped = self.redis.blpop([key], timeout=min(left, WAIT_SLICE_S))
            if popped is not None:
                note = cast("bytes", popped[1])  # the client does not decode responses
                if note.startswith(b"{"):  # a small result travels in the notification itself
                    return decode_result(note)
                break
        return self.result(job_id)

    def dead_letters(self, scanner: str) -> list[bytes]:
        """Payloads in the scanner's dead-letter list, newest first, as stored (maybe not UTF-8)."""
        # bytes, not str: the client is made without decode_responses (see connect())
        return cast("list[bytes]", self.redis.lrange(KEY_DEAD.format(scanner=scanner), 0, -1))

    def queue_depth(self, scanner: str) -> int:
        """Jobs waiting in the scanner's queue."""
        return int(self.redis.llen(KEY_QUEUE.format(scanner=scanner)))

    def known_scanners(self) -> list[str]:
        """Every scanner that has had a job or a worker."""
        return sorted(_text(s) for s in self.redis.smembers(KEY_SCANNERS))

    def scanner_stats(self, scanner: str) -> ScannerStats:
        """Queue depth, jobs running, live workers, counters and duration figures of one scanner."""
        workers = [_text(w) for w in self.redis.zrange(KEY_WORKERS.format(scanner=scanner), 0, -1)]
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.llen(KEY_QUEUE.format(scanner=scanner))
            pipe.hgetall(KEY_STATS.format(scanner=scanner))
            pipe.lrange(KEY_DURATIONS.format(scanner=scanner), 0, self.duration_samples - 1)
            for worker in workers:
                pipe.llen(KEY_PROCESSING.format(scanner=scanner, worker=worker))
            queued, counters, durations, *running = pipe.execute()
        counts = {name: 0 for name in COUNTED_STATES}
        counts.update({_text(k): int(v) for k, v in counters.items()})
        mean, p95 = _mean_and_p95([float(d) for d in durations])
        return ScannerStats(scanner, int(queued), sum(running), len(workers), counts, mean, p95)

    def register_scanner(self, scanner: str) -> None:
        """Make a scanner show in stats before its first job."""
        self.redis.sadd(KEY_SCANNERS, scanner)


@functools.lru_cache(maxsize=256)
def _worker_keys(scanner: str, worker_id: str) -> tuple[str, str, str, str, str, str]:
    """Processing, stats, durations, dead, queue and workers keys: what each job a worker finishes touches."""
    return (KEY_PROCESSING.format(scanner=scanner, worker=worker_id), KEY_STATS.format(scanner=scanner),
            KEY_DURATIONS.format(scanner=scanner), KEY_DEAD.format(scanner=scanner),
            KEY_QUEUE.format(scanner=scanner), KEY_WORKERS.format(scanner=scanner))


def _mean_and_p95(values: Iterable[float]) -> tuple[float | None, float | None]:
    ordered = sorted(values)
    if not ordered:
        return None, None
    index = min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))
    return sum(ordered) / len(ordered), ordered[index]


def outbox_entry(job_record: dict[str, Any] | None, result_json: bytes) -> bytes:
    """`{"job": …, "result": …}` for the outbox, reusing the result's JSON; empty when not persisted."""
    if job_record is None:
        return b""
    return b'{"job":' + _COMPACT.encode(job_record).encode() + b',"result":' + result_json + b"}"


def encode_result(result: dict[str, Any]) -> bytes:
    """A result as compact UTF-8 JSON.

    orjson, because results are the protocol's large values (a document scan with 180 findings is
    ~100 KB): it encodes them ~10x and decodes them ~2x faster than the json module, which bench/
    scans_per_hour counts in the worker and the waiter. The json module takes what orjson refuses:
    lone surrogates (a file name read with surrogateescape) and integers beyond 64 bits.
    """
    try:
        return orjson.dumps(result, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return _COMPACT.encode(result).encode()


def decode_result(raw: bytes | str) -> dict[str, Any]:
    """A stored result (see encode_result; the json module reads the surrogate escapes orjson refuses)."""
    try:
        return cast("dict[str, Any]", orjson.loads(raw))
    except orjson.JSONDecodeError:
        return cast("dict[str, Any]", json.loads(raw))


def _claims(reply: list[Any] | None) -> list[Taken]:
    """The jobs in a take's reply: claims of five items each (payload, outcome, attempts, last error, id)."""
    taken = []
    for start in range(0, len(reply or ()), 5):
        payload, outcome, attempts, last_error, job_id = cast("list[Any]", reply)[start:start + 5]
        raw = payload if isinstance(payload, bytes) else str(payload).encode()
        taken.append(Taken(raw, _text(outcome), int(attempts), _text(last_error), _text(job_id)))
    return taken


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def connect(url: str) -> redis.Redis:
    """A Redis client that retries dropped connections (a Redis restart is routine, not fatal)."""
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url, socket_timeout=10, socket_connect_timeout=2, health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 3),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError])
