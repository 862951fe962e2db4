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
from collections.abc import Callable
from typing import Any

import redis

from utils import database_manager
from utils.errors import DatabaseUnavailableError, InvalidRequestError
from utils.ipc_manager import OUTBOX_CONSUMER_TTL_S, JobQueue, orphaned_outbox_consumers, outbox_heartbeat
from utils.repositories import scans

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
            stored = scans.save_scan_result(record["job"], record["result"], db=self.db)
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


class SupervisedDrainer:
    """Runs an OutboxDrainer in a thread, and restarts it with back-off when the thread dies.

    `run` survives outages of PostgreSQL and Redis by itself; what kills the thread is anything else
    (a schema that lost a table, a bug). Without a supervisor, results would then pile up in Redis
    unseen. States: running, backoff (waiting to restart: 1 s, then doubling to 60 s while it keeps
    dying, reset after a stable minute), stopped. The launcher ticks it with its clock, shows it in
    /stats and turns /health unhealthy while it is not running or its backlog is over `backlog_max`.
    """

    def __init__(self, drainer: OutboxDrainer, *, backlog_max: int, backoff_initial_s: float = 1.0,
                 backoff_max_s: float = 60.0, stable_after_s: float = 60.0) -> None:
        self.drainer = drainer
        self.backlog_max = backlog_max
        self.backoff_initial_s, self.backoff_max_s = backoff_initial_s, backoff_max_s
        self.stable_after_s = stable_after_s
        self.state = "stopped"
        self.restarts = 0
        self.backoff_s = 0.0
        self.last_error: str | None = None
        self._started_at = self._retry_at = 0.0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self, now: float) -> None:
        """stopped/backoff -> running: put back what this drainer held, then drain in a new thread."""
        self._stop = threading.Event()
        self._thread = start_drainer(self.drainer, self._stop, self._record_death)
        self.state, self._started_at = "running", now

    def tick(self, now: float) -> None:
        """Notice a dead drainer and restart it when its back-off is over."""
        if self.state == "running":
            if now - self._started_at >= self.stable_after_s:
                self.backoff_s = 0.0
            if self._thread is not None and not self._thread.is_alive():
                self._schedule_restart(now)  # running -> backoff
        elif self.state == "backoff" and now >= self._retry_at:
            self.restarts += 1
            log.info("outbox: restarting the drainer (restart %d)", self.restarts)
            self.start(now)  # backoff -> running

    def _schedule_restart(self, now: float) -> None:
        self.backoff_s = self.backoff_initial_s if not self.backoff_s else min(self.backoff_max_s,
                                                                               self.backoff_s * 2)
        self._retry_at = now + self.backoff_s
        self.state = "backoff"
        log.error("outbox: the drainer died (%s); restarting it in %.0f s", self.last_error, self.backoff_s)

    def _record_death(self, error: BaseException) -> None:
        self.last_error = type(error).__name__

    def stop(self, timeout_s: float) -> None:
        """Ask the drainer to stop and wait for it; -> stopped."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self.state = "stopped"

    def stats(self) -> dict[str, Any]:
        """The drainer's figures plus its supervision: state, restarts, back-off, last error, health."""
        figures = self.drainer.stats()
        return {**figures, "state": self.state, "restarts": self.restarts, "backoff_s": self.backoff_s,
                "last_error": self.last_error, "backlog_max": self.backlog_max,
                "healthy": self._healthy(figures["waiting"])}

    def healthy(self) -> bool:
        """Running, with a backlog within its bound (-1, Redis unreachable, counts as no backlog)."""
        return self._healthy(self.drainer._depth())

    def _healthy(self, waiting: int) -> bool:
        return self.state == "running" and waiting <= self.backlog_max


def start_drainer(drainer: OutboxDrainer, stop: threading.Event | None = None,
                  on_death: Callable[[BaseException], None] | None = None) -> threading.Thread:
    """Put back what `drainer` held before, then run it in a daemon thread until `stop` is set.

    An exception that escapes the drainer is logged and handed to `on_death`; the thread then ends.
    """
    stop = stop or threading.Event()
    recovered = drainer.recover()
    if recovered:
        log.info("outbox: %d entries held by %s before its restart were put back",
                 recovered, drainer.consumer)

    def run() -> None:
        try:
            drainer.run(stop)
        except Exception as error:  # the thread's outermost catch: the supervisor restarts it
            log.exception("outbox: drainer %s stopped by an unexpected error", drainer.consumer)
            if on_death is not None:
                on_death(error)

    thread = threading.Thread(target=run, name="outbox-drainer", daemon=True)
    thread.start()
    return thread
