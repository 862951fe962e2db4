"""Named circuit breakers whose state every process shares through Redis.

A breaker stops us hammering a dependency that is failing: after `fail_max` consecutive failures it
opens and calls fail at once with `CircuitBreakerError`; after `reset_timeout_s` one trial call is let
through (half-open) and closes it again if it succeeds. The state lives in Redis (pybreaker's
`CircuitRedisStorage`, one namespace per breaker), so when three code workers see a dependency fail,
the fourth does not try it too.

When Redis is unreachable a breaker keeps working on in-process state (it "fails open" to memory)
and says so once in the log; it tries Redis again every `REDIS_RETRY_S`, and the shared state wins
when Redis is back. The Redis client is handed in by `configure()`; nothing connects at import.

Every key is written with a TTL (BREAKER_KEY_TTL_S), refreshed on each write, so
the breakers of hosts scanned once do not pile up in Redis.

Usage:  `configure(breaker_redis_client(settings.effective_redis_url()))` once per process, then
        `get_breaker("ai_model").call(load, path)` or `with breaker_for_host("example.org").calling(): …`
        A worker also hands `outbound_guard(scanner)` to services/scanners/base.install_outbound_guard,
        so every outbound call its scanner makes goes through the shared breaker of the target host.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pybreaker
import redis
from pybreaker import STATE_CLOSED, STATE_OPEN, CircuitBreakerError  # noqa: F401 - re-exported
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from utils.config import Settings
from utils.errors import (
    ConfigError,
    DatabaseUnavailableError,
    InvalidRequestError,
    ScanCancelledError,
    ScanTimeoutError,
    TargetUnavailableError,
)
from utils.redis_keys import BREAKER_STATE_SUFFIX, KEY_BREAKER

log = logging.getLogger(__name__)

REDIS_TIMEOUT_S = 0.5  # Redis on loopback or the LAN answers in under a millisecond; 0.5 s means it is gone
REDIS_RETRY_S = 5.0  # while Redis is down, try it again this often rather than on every call
MAX_HOST_BREAKERS = 1024  # per process; an evicted host breaker loses nothing, its state is in Redis
# The caller's doing, not the dependency's: a bad request or a cancelled scan never trips a breaker.
NOT_FAILURES: tuple[type[BaseException], ...] = (InvalidRequestError, ScanCancelledError, ScanTimeoutError)
HOST_POLICY = "website"  # thresholds of host breakers for scanners without a policy of their own
# refreshed on every write: a host nobody has called for a day is forgotten (it starts closed again,
# as a new breaker would) instead of one key set per scanned host piling up for ever
BREAKER_KEY_TTL_S = 24 * 3600
T = TypeVar("T")


# --- where breakers keep their state in Redis ---------------------------------------------------
def breaker_namespace(name: str) -> str:
    """The Redis namespace of the breaker called `name` (e.g. `code` or `code@git.example.org`)."""
    return KEY_BREAKER.format(name=name)


def breaker_names(client: redis.Redis) -> list[str]:
    """Names of every breaker with state in Redis, sorted (SCAN, so a large keyspace never blocks)."""
    prefix = KEY_BREAKER.format(name="")
    found = client.scan_iter(match=f"{prefix}*{BREAKER_STATE_SUFFIX}", count=1000)
    return sorted({_text(key)[len(prefix):-len(BREAKER_STATE_SUFFIX)] for key in found})


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True)
class BreakerPolicy:
    """How many consecutive failures open a breaker, and how long it then stays open."""

    fail_max: int
    reset_timeout_s: float
    counted: tuple[type[BaseException], ...] = (Exception,)  # errors that count as failures


DEFAULT_POLICIES: Mapping[str, BreakerPolicy] = {
    "code": BreakerPolicy(3, 30.0),  # git hosts: a few failed clones mean the host is down
    "website": BreakerPolicy(5, 60.0),  # web servers flake more; also the default for host breakers
    "ai_model": BreakerPolicy(2, 120.0),  # model hubs are slow and rate-limit: back off early and long
    # customers' database servers: three refused or timed-out connects (10 s each) mean it is down, and a
    # minute's rest keeps every queued scan of it from knocking again at once
    "database": BreakerPolicy(3, 60.0),
    # Our own PostgreSQL: only "unavailable" counts (never a constraint violation). Five in a row rules
    # out one dropped connection, which the pool replaces by itself; 1 s open is one cheap trial connect
    # a second per process (a refused connect takes a millisecond), and it bounds how long the API and
    # the outbox drainer keep refusing after the server is back (5 s here kept the API refusing ~4 s).
    "postgres": BreakerPolicy(5, 1.0, counted=(DatabaseUnavailableError,)),
}


class RedisLink:
    """One process's view of whether Redis answers, shared by all its breakers.

    Sharing it means one log line and one reconnection attempt per `retry_s` for the whole process
    while Redis is down, however many breakers there are.
    """

    def __init__(self, client: Any, retry_s: float = REDIS_RETRY_S) -> None:
        self.client = client
        self.retry_s = retry_s
        self.down = client is None
        self._retry_at = math.inf if client is None else 0.0

    def run(self, operation: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        """`operation()` against Redis, or `fallback()` while Redis is unreachable."""
        if self.down and time.monotonic() < self._retry_at:
            return fallback()
        try:
            value = operation()
        except RedisError as error:
            if not self.down:
                log.warning("circuit breakers: Redis unreachable (%s), using in-process state",
                            type(error).__name__)
            self.down, self._retry_at = True, time.monotonic() + self.retry_s
            return fallback()
        if self.down:
            log.info("circuit breakers: Redis reachable again, state shared again")
            self.down = False
        return value


class SharedBreakerStorage(pybreaker.CircuitRedisStorage):
    """pybreaker's Redis storage that falls back to in-process state while Redis is unreachable."""

    def __init__(self, link: RedisLink, name: str, *, read_only: bool = False) -> None:
        self._memory = pybreaker.CircuitMemoryStorage(STATE_CLOSED)
        self._link = link
        self._read_only = read_only  # an observer (launcher /stats) creates no keys, renews no TTL
        super().__init__(STATE_CLOSED, link.client, namespace=breaker_namespace(name))

    @property
    def shared(self) -> bool:
        """True while the state is read from and written to Redis."""
        return not self._link.down

    def _shared(self, operation: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        return self._link.run(operation, fallback)

    def _initialize_redis_state(self, state: str) -> None:
        if not self._read_only:
            self._shared(lambda: self._create(state), lambda: None)

    def _create(self, state: str) -> None:
        """The keys of a new breaker, unless another process made them first (SET NX), with their TTL."""
        pipe = self._redis.pipeline(transaction=False)
        for key, value in (("fail_counter", 0), ("success_counter", 0), ("state", state)):
            pipe.set(self._namespace(key), value, nx=True)
            pipe.expire(self._namespace(key), BREAKER_KEY_TTL_S)
        pipe.execute()

    def _write(self, key: str, value: Any = None) -> None:
        """SET `key` (or INCR it when `value` is None) and refresh its TTL, in one round trip."""
        pipe = self._redis.pipeline(transaction=False)
        if value is None:
            pipe.incr(self._namespace(key))
        else:
            pipe.set(self._namespace(key), value)
        pipe.expire(self._namespace(key), BREAKER_KEY_TTL_S)
        pipe.execute()

    def _get(self, key: str) -> str | None:
        raw = self._redis.get(self._namespace(key))
        return raw.decode("utf-8") if isinstance(raw, bytes) else raw

    def _read_state(self) -> str:
        state = self._get("state")
        if state is None:  # keys expired or Redis was flushed: start closed, as a new breaker would
            if not self._read_only:
                self._create(STATE_CLOSED)
            state = STATE_CLOSED
        self._memory.state = state  # remember the last shared state in case Redis goes away
        return state

    @property
    def state(self) -> str:
        """Current state: 'closed', 'open' or 'half-open'."""
        return str(self._shared(self._read_state, lambda: self._memory.state))

    @state.setter
    def state(self, state: str) -> None:
        self._memory.state = state
        self._shared(lambda: self._write("state", str(state)), lambda: None)

    def increment_counter(self) -> None:
        """One more consecutive failure."""
        self._memory.increment_counter()
        self._shared(lambda: self._write("fail_counter"), lambda: None)

    def reset_counter(self) -> None:
        """Consecutive failures back to zero."""
        self._memory.reset_counter()
        self._shared(lambda: self._write("fail_counter", 0), lambda: None)

    def increment_success_counter(self) -> None:
        """One more success while half-open."""
        self._memory.increment_success_counter()
        self._shared(lambda: self._write("success_counter"), lambda: None)

    def reset_success_counter(self) -> None:
        """Half-open successes back to zero."""
        self._memory.reset_success_counter()
        self._shared(lambda: self._write("success_counter", 0), lambda: None)

    @property
    def counter(self) -> int:
        """Consecutive failures."""
        return int(self._shared(lambda: int(self._get("fail_counter") or 0), lambda: self._memory.counter))

    @property
    def success_counter(self) -> int:
        """Successes while half-open."""
        return int(self._shared(lambda: int(self._get("success_counter") or 0),
                                lambda: self._memory.success_counter))

    @property
    def opened_at(self) -> datetime | None:
        """When the breaker last opened."""
        return self._shared(self._read_opened_at, lambda: self._memory.opened_at)

    @opened_at.setter
    def opened_at(self, now: datetime) -> None:
        self._memory.opened_at = now
        # pybreaker stores whole seconds; rounding up keeps a breaker open at least its full timeout
        seconds = math.ceil(now.timestamp())
        self._shared(lambda: self._redis.eval(_SET_IF_GREATER, 1, self._namespace("opened_at"), seconds,
                                              BREAKER_KEY_TTL_S), lambda: None)

    def _read_opened_at(self) -> datetime | None:
        raw = self._get("opened_at")
        if not raw:
            return None
        opened = datetime.fromtimestamp(int(raw), UTC)
        self._memory.opened_at = opened
        return opened


# Two processes opening a breaker at once: the later opening time wins, atomically.
_SET_IF_GREATER = """
local current = redis.call('GET', KEYS[1])
if not current or tonumber(current) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
"""


class TransitionLogger(pybreaker.CircuitBreakerListener):
    """Logs every state change a process notices, including ones another process made."""

    def state_change(self, cb: pybreaker.CircuitBreaker, old_state: Any, new_state: Any) -> None:
        """Log `breaker NAME: OLD -> NEW`; opening is a warning."""
        old = old_state.name if old_state is not None else "new"
        level = logging.WARNING if new_state.name == STATE_OPEN else logging.INFO
        log.log(level, "breaker %s: %s -> %s", cb.name, old, new_state.name)


def _excluder(policy: BreakerPolicy) -> Callable[[BaseException], bool]:
    def is_not_failure(error: BaseException) -> bool:
        return isinstance(error, NOT_FAILURES) or not isinstance(error, policy.counted)
    return is_not_failure


class BreakerRegistry:
    """The breakers of one process, built from named policies, sharing state through one Redis client."""

    def __init__(self, redis_client: Any = None, policies: Mapping[str, BreakerPolicy] = DEFAULT_POLICIES,
                 retry_s: float = REDIS_RETRY_S) -> None:
        self.link = RedisLink(redis_client, retry_s)
        self.policies = dict(policies)
        self._lock = threading.Lock()
        self._named: dict[str, pybreaker.CircuitBreaker] = {}
        self._hosts: OrderedDict[str, pybreaker.CircuitBreaker] = OrderedDict()
        self._listener = TransitionLogger()

    def _policy(self, name: str) -> BreakerPolicy:
        try:
            return self.policies[name]
        except KeyError:
            raise ConfigError(f"no circuit breaker policy named {name!r}") from None

    def _build(self, name: str, policy: BreakerPolicy) -> pybreaker.CircuitBreaker:
        storage = SharedBreakerStorage(self.link, name)
        return pybreaker.CircuitBreaker(fail_max=policy.fail_max, reset_timeout=policy.reset_timeout_s,
                                        exclude=[_excluder(policy)], listeners=[self._listener],
                                        state_storage=storage, name=name)

    def get(self, name: str) -> pybreaker.CircuitBreaker:
        """The breaker of a named dependency (a key of the policies)."""
        with self._lock:
            if name not in self._named:
                self._named[name] = self._build(name, self._policy(name))
            return self._named[name]

    def for_host(self, host: str, scanner: str = "website") -> pybreaker.CircuitBreaker:
        """The breaker of one outbound target host, with the thresholds of `scanner`'s policy."""
        key = host.strip().lower().rstrip(".")
        if not key or any(c in key for c in "/ @"):
            raise InvalidRequestError("a breaker host must be a bare host name")
        name = f"{scanner}@{key}"
        with self._lock:
            breaker = self._hosts.get(name)
            if breaker is None:
                breaker = self._hosts[name] = self._build(name, self._policy(scanner))
                if len(self._hosts) > MAX_HOST_BREAKERS:
                    self._hosts.popitem(last=False)
            self._hosts.move_to_end(name)
            return breaker

    def states(self, used_only: bool = False) -> dict[str, dict[str, Any]]:
        """State of every named breaker (or only those used here) and every host breaker of this process."""
        if not used_only:
            for name in self.policies:
                self.get(name)
        with self._lock:
            breakers = [*self._named.values(), *self._hosts.values()]
        return {str(cb.name): _describe(cb) for cb in breakers}


def _describe(cb: pybreaker.CircuitBreaker) -> dict[str, Any]:
    storage = cb._state_storage  # pybreaker exposes no public accessor for it
    return {"state": cb.current_state, "fail_counter": cb.fail_counter, "fail_max": cb.fail_max,
            "reset_timeout_s": cb.reset_timeout, "opened_at": _iso(storage.opened_at, cb.current_state),
            "shared": bool(getattr(storage, "shared", False))}


def _iso(opened_at: datetime | None, state: str) -> str | None:
    """When the breaker opened, while it is not closed (a closed breaker's last opening is history)."""
    if opened_at is None or state == STATE_CLOSED:
        return None
    return opened_at.astimezone(UTC).isoformat(timespec="seconds")


def retry_at(cb: pybreaker.CircuitBreaker) -> datetime:
    """When an open breaker lets its next (trial) call through."""
    opened_at = cb._state_storage.opened_at or datetime.now(UTC)
    return opened_at + timedelta(seconds=cb.reset_timeout)


def breaker_redis_client(url: str, timeout_s: float = REDIS_TIMEOUT_S) -> redis.Redis:
    """A Redis client fit for breakers: short timeouts and no retries (connects on first use).

    redis-py retries a failed command three times with backoff by default, about 4 s against a
    Redis that is down; a breaker asks Redis on every guarded call, so it must give up at once and
    fall back to in-process state instead.
    """
    return redis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
                                retry=Retry(NoBackoff(), 0))


_registry = BreakerRegistry(None)  # in-process state until configure() hands over a Redis client
_registry_lock = threading.Lock()


def configure(redis_client: Any, policies: Mapping[str, BreakerPolicy] = DEFAULT_POLICIES,
              retry_s: float = REDIS_RETRY_S) -> BreakerRegistry:
    """Share this process's breakers through `redis_client`; call once at start, before using breakers.

    Give it a `breaker_redis_client(url)`: a breaker consults Redis on every call, so a client that
    retries or waits long against a Redis that is down would stall the guarded call too.
    """
    global _registry
    with _registry_lock:
        _registry = BreakerRegistry(redis_client, policies, retry_s)
        return _registry


def get_breaker(name: str) -> pybreaker.CircuitBreaker:
    """The breaker of a named dependency: code, website, ai_model or postgres."""
    return _registry.get(name)


def breaker_for_host(host: str, scanner: str = "website") -> pybreaker.CircuitBreaker:
    """The breaker of an outbound target host, with `scanner`'s thresholds."""
    return _registry.for_host(host, scanner)


def breaker_states(used_only: bool = False) -> dict[str, dict[str, Any]]:
    """Every breaker's state (or only those this process used: a worker's /stats) for /stats."""
    return _registry.states(used_only)


def policies_for(settings: Settings) -> dict[str, BreakerPolicy]:
    """The default policies, each open for `settings.breaker_reset_s` when that is set (drills, tests)."""
    if not settings.breaker_reset_s:
        return dict(DEFAULT_POLICIES)
    return {name: BreakerPolicy(p.fail_max, settings.breaker_reset_s, p.counted)
            for name, p in DEFAULT_POLICIES.items()}


def outbound_guard(scanner: str) -> Callable[[str, Callable[[], T]], T]:
    """A guard for services/scanners/base.install_outbound_guard: `scanner`'s shared breaker per host.

    An open breaker becomes TargetUnavailableError naming the host and when it lets a call through,
    which the scanner turns into a result naming them (`failed` when nothing else could be read).
    """
    policy = scanner if scanner in _registry.policies else HOST_POLICY

    def guard(host: str, call: Callable[[], T]) -> T:
        breaker = breaker_for_host(host, policy)
        try:
            return breaker.call(call)
        except CircuitBreakerError:
            until = retry_at(breaker).isoformat(timespec="seconds")
            raise TargetUnavailableError(f"circuit breaker for {host} is open until {until}",
                                         host, until) from None
    return guard


def shared_states(client: Any) -> dict[str, dict[str, Any]]:
    """Every breaker with state in Redis, whichever process made it (the launcher's /stats)."""
    link = RedisLink(client)
    described: dict[str, dict[str, Any]] = {}
    for name in breaker_names(client):
        storage = SharedBreakerStorage(link, name, read_only=True)
        state = storage.state
        described[name] = {"state": state, "fail_counter": storage.counter,
                           "opened_at": _iso(storage.opened_at, state)}
    return described
