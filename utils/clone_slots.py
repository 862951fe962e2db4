"""Each organisation's concurrent git clones, bounded across every worker on every host (Redis leases).

A clone holds a lease in the organisation's sorted set (utils/redis_keys.KEY_CLONE_SLOTS) for as long
as it runs; the score is when the lease lapses, by Redis's own clock, so hosts with skewed clocks agree.
A worker killed mid-clone cannot give its lease back: it lapses after the clone's time limit plus a
margin. When every slot is taken the clone fails at once with ConcurrencyLimitError rather than
waiting: a waiting job would hold a worker that other organisations' jobs need, which is the very
starvation the limit is there to prevent.

A worker hands `CloneSlots(...)` to services/scanners/base.install_clone_slots at start-up, as it does
with its breakers; scanners never import this module.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from utils.errors import ConcurrencyLimitError
from utils.redis_keys import KEY_CLONE_SLOTS

log = logging.getLogger(__name__)

# KEYS: the organisation's slots; ARGV: limit, lease id, lease seconds. 1 when the lease was granted.
_ACQUIRE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
-- the set outlives its longest lease, and no longer: an idle organisation leaves no key behind
local ttl = math.ceil(tonumber(ARGV[3]) * 1000)
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
"""


class CloneSlots:
    """`with slots(org_id, lease_s):` holds one of the organisation's `per_org` clone slots."""

    def __init__(self, client: redis.Redis, per_org: int) -> None:
        self.client = client
        self.per_org = per_org
        self._acquire = client.register_script(_ACQUIRE)

    @contextmanager
    def __call__(self, org_id: str, lease_s: float) -> Iterator[None]:
        """Hold a slot for the body; ConcurrencyLimitError at once when the organisation has none free."""
        key, lease = KEY_CLONE_SLOTS.format(org_id=org_id), uuid.uuid4().hex
        if not self._granted(key, lease, lease_s):
            raise ConcurrencyLimitError(
                f"your organisation already runs {self.per_org} git clone(s) at once, its limit; "
                "submit this scan again when one of them has finished")
        try:
            yield
        finally:
            self._release(key, lease)

    def _granted(self, key: str, lease: str, lease_s: float) -> bool:
        try:
            return bool(self._acquire(keys=[key], args=[self.per_org, lease, f"{lease_s:.3f}"]))
        except (redis.ConnectionError, redis.TimeoutError) as error:
            # a fairness bound, not a security one: a Redis outage must not stop every clone
            log.warning("clone slots: Redis unreachable (%s); clone runs without its slot",
                        type(error).__name__)
            return True

    def _release(self, key: str, lease: str) -> None:
        with contextlib.suppress(redis.ConnectionError, redis.TimeoutError):  # it lapses by itself then
            self.client.zrem(key, lease)
