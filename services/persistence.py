"""Moves finished jobs from the Redis outbox into PostgreSQL, in order, each exactly once.

Workers never write to PostgreSQL themselves: the same atomic call that records a job finished also
appends `{job, result}` to the outbox, so a result is never lost between Redis and the database.
The drainer takes entries reliably (into its own processing list), writes them with the idempotent
`save_scan_result`, and only then removes them. While PostgreSQL is down the entries wait, in order,
and the UI and API read recent results from Redis meanwhile.

Each drainer renews a heartbeat key while it runs. When a whole host is lost (its launcher killed
mid-write), the entry its drainer held would otherwise wait for a drainer of the same name that
never comes back; every `CONSUMER_CHECK_S` the other drainers put such entries back in the outbox.
Writing one twice is harmless: `save_scan_result` is idempotent on the job id.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import redis

from utils import database_manager
from utils.errors import DatabaseUnavailableError, InvalidRequestError
from utils.ipc_manager import OUTBOX_CONSUMER_TTL_S, JobQueue, orphaned_outbox_consumers, outbox_heartbeat

log = logging.getLogger(__name__)

IDLE_WAIT_S = 0.2  # outbox empty: look again this soon (results should reach the database quickly)
MAX_BACKOFF_S = 5.0  # PostgreSQL or Redis down: retry at least this often
BATCH = 200  # entries per drain_once call, so a stop request is seen promptly
CONSUMER_CHECK_S = 5.0  # how often a drainer looks for entries held by drainers that died


class OutboxDrainer:
    """Drains the outbox into PostgreSQL; run one per launcher (any number is safe)."""

    def __init__(self, queue: JobQueue, db: database_manager.Database, consumer: str,
                 heartbeat_ttl_s: float = OUTBOX_CONSUMER_TTL_S) -> None:
        self.queue = queue
        self.db = db
        self.consumer = consumer
        self.heartbeat_ttl_s = heartbeat_ttl_s
        self._next_check = 0.0
        self.reclaimed = 0
        self.written = 0
        self.duplicates = 0
        self.rejected = 0
        self.db_available = True

    def recover(self) -> int:
        """Put back entries this consumer held when it last stopped."""
        return self.queue.outbox_return(self.consumer)

    def keep_alive(self, now: float) -> None:
        """Renew this drainer's heartbeat; now and then put back what dead drainers held."""
        outbox_heartbeat(self.queue.redis, self.consumer, self.heartbeat_ttl_s)
        if now < self._next_check:
            return
        self._next_check = now + CONSUMER_CHECK_S
        for consumer in orphaned_outbox_consumers(self.queue.redis):
            moved = self.queue.outbox_return(consumer)
            if moved:
                self.reclaimed += moved
                log.warning("outbox: %d entries held by drainer %s, which stopped, were put back", moved,
                            consumer)

    def drain_once(self, limit: int = BATCH) -> int:
        """Persist up to `limit` entries; raises DatabaseUnavailableError after putting one back."""
        handled = 0
        while handled < limit:
            entry = self.queue.outbox_take(self.consumer)
            if entry is None:
                break
            self._persist(entry)
            handled += 1
        return handled

    def _persist(self, entry: bytes) -> None:
        try:
            record = json.loads(entry)
            stored = database_manager.save_scan_result(record["job"], record["result"], db=self.db)
        except DatabaseUnavailableError:
            self.queue.outbox_return(self.consumer)
            raise
        except (InvalidRequestError, ValueError, KeyError, TypeError) as error:
            log.error("outbox: entry rejected (%s); kept in the rejected list", type(error).__name__)
            self.queue.outbox_reject(self.consumer, entry)
            self.rejected += 1
            return
        self.queue.outbox_ack(self.consumer, entry)
        if stored:
            self.written += 1
        else:
            self.duplicates += 1

    def run(self, stop: threading.Event) -> None:
        """Drain until `stop` is set, backing off while PostgreSQL or Redis is down."""
        delay = IDLE_WAIT_S
        while not stop.is_set():
            try:
                self.keep_alive(time.monotonic())
                handled = self.drain_once()
                if not self.db_available:
                    log.info("outbox: PostgreSQL is back; draining")
                self.db_available = True
                delay = 0.0 if handled == BATCH else IDLE_WAIT_S
            except DatabaseUnavailableError:
                if self.db_available:
                    log.warning("outbox: PostgreSQL unavailable; results wait in Redis (%d queued)",
                                self._depth())
                self.db_available = False
                delay = min(MAX_BACKOFF_S, max(delay * 2, 0.5))
            except (redis.ConnectionError, redis.TimeoutError):
                delay = min(MAX_BACKOFF_S, max(delay * 2, 0.5))
            stop.wait(delay)

    def _depth(self) -> int:
        try:
            return self.queue.outbox_depth()
        except (redis.ConnectionError, redis.TimeoutError):
            return -1

    def stats(self) -> dict[str, Any]:
        """Figures for /stats."""
        return {"written": self.written, "duplicates": self.duplicates, "rejected": self.rejected,
                "reclaimed": self.reclaimed, "waiting": self._depth(),
                "database_available": self.db_available}


def start_drainer(drainer: OutboxDrainer) -> tuple[threading.Thread, threading.Event]:
    """Run the drainer in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    recovered = drainer.recover()
    if recovered:
        log.info("outbox: %d entries held by %s before its restart were put back",
                 recovered, drainer.consumer)
    thread = threading.Thread(target=drainer.run, args=(stop,), name="outbox-drainer", daemon=True)
    thread.start()
    return thread, stop
