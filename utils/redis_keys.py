"""Every Redis key name of DataGuardian Pro, spelled once (as arq keeps its prefixes in constants.py).

Each template names its type and lifetime. Only this module spells a key: the modules that use a key
import its template from here (tests/test_redis_keys.py scans the source for any other "dg:" literal).
Renaming a key is a contract change: jobs, results and breakers of a running installation live under it.
"""

from __future__ import annotations

NAMESPACE = "dg:"  # every template below starts with it (flask-limiter puts its own before the rate limits')

# --- the job protocol (utils/ipc_manager.py) ----------------------------------------------------
KEY_QUEUE = "dg:queue:{scanner}"  # list of job JSON; LPUSH to enqueue, taken from the right; no TTL
KEY_PROCESSING = "dg:processing:{scanner}:{worker}"  # list: the jobs one worker holds; emptied by finish,
# by the worker's next start or by the reaper; no TTL
KEY_DEAD = "dg:dead:{scanner}"  # list of dead-lettered job JSON (or malformed payloads); kept for operators
KEY_JOB = "dg:job:{job_id}"  # hash: state, scanner, attempts, worker, percent, message, error, times;
# no TTL until the job finishes, then the result TTL plus ipc_manager.JOB_RECORD_EXTRA_TTL_S
KEY_RESULT = "dg:result:{job_id}"  # string: the result JSON, for the result TTL (DG_RESULT_TTL_S)
KEY_DONE = "dg:done:{job_id}"  # list pushed once when the job finishes, for blocking waits;
# ipc_manager.DONE_KEY_TTL_S
KEY_WORKERS = "dg:workers:{scanner}"  # sorted set: worker id -> unix time of its last heartbeat; a member
# leaves on a clean stop or when the reaper finds it stale; no TTL
KEY_STATS = "dg:stats:{scanner}"  # hash of counters: submitted, succeeded, failed, …; no TTL
KEY_DURATIONS = "dg:durations:{scanner}"  # list of recent job durations in seconds, trimmed; no TTL
KEY_SCANNERS = "dg:scanners"  # set of scanner names that ever had a job or a worker; no TTL
JOB_KEY_PREFIX = KEY_JOB.format(job_id="")  # what the Lua scripts prepend to a job id

# --- the outbox: finished jobs on their way to PostgreSQL (services/persistence.py drains it) ----
KEY_OUTBOX = "dg:outbox"  # list of {job, result} JSON waiting to be written, oldest right; no TTL
KEY_OUTBOX_PROCESSING = "dg:outbox:processing:{consumer}"  # list: entries one drainer is writing right
# now; no TTL, handed back to the outbox when that drainer's heartbeat lapses
KEY_OUTBOX_REJECTED = "dg:outbox:rejected"  # list: entries the database refused as malformed; kept for ops
KEY_OUTBOX_CONSUMER = "dg:outbox:consumer:{consumer}"  # string "1" while that drainer runs;
# ipc_manager.OUTBOX_CONSUMER_TTL_S, renewed every loop

# --- circuit breakers (utils/circuit_breaker.py) ------------------------------------------------
KEY_BREAKER = "dg:breaker:{name}"  # namespace of one breaker: pybreaker appends the suffixes below;
# strings, each with circuit_breaker.BREAKER_KEY_TTL_S refreshed on every write
BREAKER_STATE_SUFFIX = ":pybreaker:state"  # pybreaker's own name for the state key in a namespace

# --- git clones (utils/credential_store.py, utils/clone_slots.py) -------------------------------
KEY_CREDENTIAL = "dg:credential:{id}"  # string: Fernet ciphertext of one job's git or DSN credentials; id is
# the sha256 of the job's reference and its owner (organisation and URL or DSN); DG_CREDENTIAL_TTL_S,
# deleted at job end
KEY_CLONE_SLOTS = "dg:clones:{org_id}"  # sorted set: lease id -> Redis time at which the lease lapses;
# expires with its longest lease

# --- REST API rate limits (rest_api/app.py, rest_api/auth.py) -----------------------------------
KEY_RATE_LIMIT_PREFIX = "dg:ratelimit"  # flask-limiter keeps its moving windows under this prefix and
# names the rest itself; each expires with its window
# requests without a valid API key, per client address: FailedAuthLimit's identifier under the prefix
# above (the library adds the window: LIMITS:LIMITER/dg:ratelimit/auth-failed:…/10/1/minute)
KEY_RATE_LIMIT_AUTH_FAILED = "auth-failed:{address}"

# --- sign-in tickets (services/browser_sessions.py) ---------------------------------------------
KEY_SESSION_TICKET = "dg:session_ticket:{digest}"  # string: the ticket's SHA-256 -> the sealed session
# token; browser_sessions.TICKET_TTL_S, deleted when redeemed
