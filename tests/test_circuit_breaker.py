"""Circuit breakers shared through a real Redis: across processes, through timeouts, without Redis."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from tests.servers import RedisServer, free_port, wait_until
from utils import circuit_breaker as cbm
from utils import credentials
from utils.circuit_breaker import BREAKER_KEY_TTL_S, BreakerPolicy, BreakerRegistry, CircuitBreakerError
from utils.config import Settings
from utils.errors import DatabaseUnavailableError, InvalidRequestError, TargetUnavailableError
from utils.redis_keys import KEY_BREAKER

REPO_ROOT = Path(__file__).resolve().parents[1]


def breaker_key(name: str, suffix: str) -> str:
    """One of pybreaker's keys in the namespace of the breaker `name`."""
    return f"{cbm.breaker_namespace(name)}:pybreaker:{suffix}"


SHORT = {"code": BreakerPolicy(3, 1.0), "website": BreakerPolicy(2, 1.0),
         "postgres": BreakerPolicy(2, 1.0, counted=(DatabaseUnavailableError,))}

TRIP_IN_CHILD = """
import sys
from utils.circuit_breaker import BreakerPolicy, CircuitBreakerError, breaker_redis_client, configure
breaker = configure(breaker_redis_client(sys.stdin.read()), {"code": BreakerPolicy(3, 1.0)}).get("code")
def clone():
    raise OSError("git host down")
for _ in range(3):
    try:
        breaker.call(clone)
    except (OSError, CircuitBreakerError):
        pass
print(breaker.current_state)
"""


class Dependency:
    """A callable that fails while `failing` is set and counts its calls."""

    def __init__(self, failing: bool = True, error: type[BaseException] = OSError) -> None:
        self.failing, self.error, self.calls = failing, error, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failing:
            raise self.error("dependency down")
        return "ok"


def _fail(breaker, dependency: Dependency, times: int) -> None:
    for _ in range(times):
        with pytest.raises((dependency.error, CircuitBreakerError)):
            breaker.call(dependency)


def _call_once_allowed(breaker, dependency: Dependency) -> bool:
    """Try a call; True once the breaker let it through (whatever the dependency then did)."""
    before = dependency.calls
    with contextlib.suppress(CircuitBreakerError, OSError):
        breaker.call(dependency)
    return dependency.calls > before


def test_breaker_opened_in_another_process_is_seen_open_here(redis_client: redis.Redis,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="utils.circuit_breaker")
    here = BreakerRegistry(redis_client, SHORT).get("code")
    assert here.current_state == "closed"
    server = redis_client.connection_pool.connection_kwargs
    url = credentials.redis_url("127.0.0.1", server["port"], server["password"])
    child = subprocess.run([sys.executable, "-c", TRIP_IN_CHILD], input=url, cwd=REPO_ROOT,
                           capture_output=True, text=True, timeout=60, check=True)
    assert child.stdout.strip() == "open"
    dependency = Dependency(failing=False)
    with pytest.raises(CircuitBreakerError):
        here.call(dependency)
    assert dependency.calls == 0  # refused without touching the dependency
    assert "breaker code: closed -> open" in caplog.text


def test_open_breaker_half_opens_after_timeout_and_closes_on_success(redis_client: redis.Redis) -> None:
    registry = BreakerRegistry(redis_client, SHORT)
    breaker = registry.get("website")
    dependency = Dependency()
    _fail(breaker, dependency, 2)
    assert breaker.current_state == "open"
    dependency.failing = False
    wait_until(lambda: _call_once_allowed(breaker, dependency), 5, what="a trial call")
    assert breaker.current_state == "closed"
    assert BreakerRegistry(redis_client, SHORT).get("website").current_state == "closed"  # shared
    assert breaker.call(dependency) == "ok"


def test_failed_trial_call_opens_the_breaker_again(redis_client: redis.Redis) -> None:
    breaker = BreakerRegistry(redis_client, SHORT).get("website")
    dependency = Dependency()
    _fail(breaker, dependency, 2)
    wait_until(lambda: _call_once_allowed(breaker, dependency), 5, what="a trial call")
    assert dependency.calls == 3 and breaker.current_state == "open"
    with pytest.raises(CircuitBreakerError):
        breaker.call(dependency)
    assert dependency.calls == 3


def test_callers_mistakes_do_not_trip_breakers(redis_client: redis.Redis) -> None:
    registry = BreakerRegistry(redis_client, SHORT)
    website, postgres = registry.get("website"), registry.get("postgres")
    for _ in range(5):
        with pytest.raises(InvalidRequestError):
            website.call(Dependency(error=InvalidRequestError))
        with pytest.raises(ValueError):  # e.g. a constraint violation: the database is fine
            postgres.call(Dependency(error=ValueError))
    assert website.current_state == postgres.current_state == "closed"
    _fail(postgres, Dependency(error=DatabaseUnavailableError), 2)
    assert postgres.current_state == "open"


def test_host_breakers_are_per_host_with_the_scanners_thresholds(redis_client: redis.Redis) -> None:
    registry = BreakerRegistry(redis_client, SHORT)
    down = registry.for_host("Down.Example.ORG.")
    assert down is registry.for_host("down.example.org")
    assert (down.name, down.fail_max) == ("website@down.example.org", 2)
    _fail(down, Dependency(), 2)
    assert registry.for_host("up.example.org").call(Dependency(failing=False)) == "ok"
    assert registry.for_host("down.example.org", scanner="code").fail_max == 3
    states = registry.states()
    assert states["website@down.example.org"]["state"] == "open"
    assert states["website@up.example.org"]["state"] == "closed"
    assert states["code"] == {"state": "closed", "fail_counter": 0, "fail_max": 3, "reset_timeout_s": 1.0,
                              "opened_at": None, "shared": True}
    assert states["website@down.example.org"]["opened_at"].endswith("+00:00")
    assert set(BreakerRegistry(redis_client, SHORT).states(used_only=True)) == set()
    hosts = {"website@down.example.org", "website@up.example.org", "code@down.example.org"}
    assert set(registry.states(used_only=True)) == {*SHORT, *hosts}  # states() above built the named ones
    with pytest.raises(InvalidRequestError):
        registry.for_host("http://example.org/path")


def test_breakers_work_in_memory_when_redis_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="utils.circuit_breaker")
    client = cbm.breaker_redis_client(f"redis://127.0.0.1:{free_port()}/0")
    registry = BreakerRegistry(client, SHORT)
    breaker = registry.get("website")
    dependency = Dependency()
    _fail(breaker, dependency, 2)
    assert breaker.current_state == "open"
    with pytest.raises(CircuitBreakerError):
        breaker.call(dependency)
    assert dependency.calls == 2
    assert {name: s["shared"] for name, s in registry.states().items()} == dict.fromkeys(SHORT, False)
    assert caplog.text.count("Redis unreachable") == 1  # said once per process, not per call or breaker
    client.close()


def test_breaker_survives_redis_restart(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="utils.circuit_breaker")
    server = RedisServer(tmp_path / "redis")
    server.start()
    client = cbm.breaker_redis_client(server.url)
    try:
        registry = BreakerRegistry(client, SHORT, retry_s=0.05)
        breaker = registry.get("code")
        _fail(breaker, Dependency(), 3)
        server.stop()
        with pytest.raises(CircuitBreakerError):  # still open, from the last state it saw
            breaker.call(Dependency(failing=False))
        assert registry.states()["code"]["shared"] is False
        server.start()
        wait_until(lambda: registry.states()["code"]["shared"], 5, what="Redis to be used again")
        assert registry.states()["code"]["state"] == "open"  # read back from Redis's append-only file
        assert "Redis reachable again" in caplog.text
    finally:
        client.close()
        server.stop()


def test_module_level_registry_uses_the_configured_client(redis_client: redis.Redis) -> None:
    try:
        cbm.configure(redis_client, SHORT)
        _fail(cbm.get_breaker("code"), Dependency(), 3)
        assert cbm.breaker_states()["code"]["state"] == "open"
        assert cbm.breaker_for_host("a.example").name == "website@a.example"
        assert redis_client.get(breaker_key("code", "state")) == b"open"
    finally:
        cbm.configure(None)


def test_every_breaker_key_has_a_ttl_and_the_launcher_view_reads_them_all(redis_client: redis.Redis) -> None:
    registry = BreakerRegistry(redis_client, SHORT)
    _fail(registry.for_host("gone.example", "code"), Dependency(), 3)
    registry.for_host("fine.example").call(Dependency(failing=False))
    keys = [k.decode() for k in redis_client.scan_iter(KEY_BREAKER.format(name="*"))]
    assert {breaker_key("code@gone.example", "opened_at"),
            breaker_key("website@fine.example", "state")} <= set(keys)
    assert all(0 < redis_client.ttl(key) <= BREAKER_KEY_TTL_S for key in keys)
    shared = cbm.shared_states(redis_client)
    assert shared["code@gone.example"]["state"] == "open" and shared["code@gone.example"]["fail_counter"] == 3
    assert shared["code@gone.example"]["opened_at"] is not None
    assert shared["website@fine.example"] == {"state": "closed", "fail_counter": 0, "opened_at": None}


def test_launcher_view_neither_creates_keys_nor_renews_ttls(redis_client: redis.Redis) -> None:
    BreakerRegistry(redis_client, SHORT).for_host("once.example", "code")
    key = breaker_key("code@once.example", "state")
    redis_client.expire(key, 50)
    redis_client.delete(breaker_key("code@once.example", "fail_counter"))
    assert cbm.shared_states(redis_client)["code@once.example"]["fail_counter"] == 0
    assert redis_client.ttl(key) <= 50
    assert not redis_client.exists(breaker_key("code@once.example", "fail_counter"))


def test_outbound_guard_turns_an_open_breaker_into_target_unavailable(redis_client: redis.Redis) -> None:
    try:
        cbm.configure(redis_client, SHORT)
        guard = cbm.outbound_guard("code")
        for _ in range(2):
            with pytest.raises(OSError):
                guard("git.example", Dependency())
        with pytest.raises(TargetUnavailableError) as tripped:  # the third failure opens the breaker
            guard("git.example", Dependency())
        dependency = Dependency(failing=False)
        with pytest.raises(TargetUnavailableError) as refused:
            guard("git.example", dependency)
        assert dependency.calls == 0 and refused.value.target == "git.example"
        assert refused.value.retry_at == tripped.value.retry_at
        assert f"circuit breaker for git.example is open until {refused.value.retry_at}" == str(refused.value)
        assert cbm.outbound_guard("soc2")("other.example", dependency) == "ok"  # website thresholds
        assert cbm.breaker_states()["website@other.example"]["fail_max"] == 2
    finally:
        cbm.configure(None)


def test_reset_setting_shortens_every_policy_and_zero_keeps_the_seed() -> None:
    short = cbm.policies_for(Settings.from_env({"DG_BREAKER_RESET_S": "2"}))
    assert {p.reset_timeout_s for p in short.values()} == {2.0}
    assert short["code"].fail_max == 3 and short["ai_model"].fail_max == 2
    seed = cbm.policies_for(Settings.from_env({}))
    assert [seed[name].reset_timeout_s for name in ("code", "website", "ai_model")] == [30.0, 60.0, 120.0]
