"""The scanner interface: a scanner is a named object with a pure `scan(request, progress)`."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast

from utils.errors import InvalidRequestError, ScanCancelledError, ScanTimeoutError, TargetUnavailableError

Progress = Callable[[float, str], None]
"""progress(percent 0-100, message). May raise ScanCancelledError when the job was cancelled."""

Request = dict[str, Any]
Result = dict[str, Any]


def no_progress(percent: float, message: str) -> None:
    """Progress sink for in-process calls that do not report progress."""


class Scanner(Protocol):
    """What every entry in the registry provides."""

    name: str

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan what `request` names and return a result shaped as in docs/ARCHITECTURE.md."""
        ...


# --- outbound calls ----------------------------------------------------------------------------
# Every call a scanner makes to a target host goes through `call_outbound`, so a host that keeps
# failing is given a rest instead of being hammered by every scan. The default guard keeps its
# breakers in this process; a worker installs Redis-shared breakers at start-up
# (utils/circuit_breaker.outbound_guard), which this module cannot import: scanners stay pure.

T = TypeVar("T")
OutboundGuard = Callable[[str, Callable[[], Any]], Any]
"""guard(host, call) -> call(), or TargetUnavailableError while the host's breaker is open."""

LOCAL_FAIL_MAX = 3  # the code scanner's seed thresholds: a few failed clones mean the host is down
LOCAL_RESET_S = 30.0
# the caller's doing, not the target's: these never count against a host
NOT_TARGET_FAILURES: tuple[type[BaseException], ...] = (InvalidRequestError, ScanCancelledError,
                                                          ScanTimeoutError)


class LocalBreakers:
    """In-process breakers per host: open after `fail_max` failures in a row, one trial after `reset_s`."""

    def __init__(self, fail_max: int = LOCAL_FAIL_MAX, reset_s: float = LOCAL_RESET_S) -> None:
        self.fail_max, self.reset_s = fail_max, reset_s
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._open_until: dict[str, float] = {}  # host -> wall-clock time its breaker half-opens

    def __call__(self, host: str, call: Callable[[], T]) -> T:
        """Run `call` unless `host`'s breaker is open; count its failures."""
        self._refuse_while_open(host)
        try:
            value = call()
        except NOT_TARGET_FAILURES:
            raise
        except Exception as error:
            until = self._failed(host)
            if until is not None:  # this failure opened it: say so, as the shared breakers do
                raise breaker_open_error(host, until) from error
            raise
        with self._lock:
            self._failures.pop(host, None)
            self._open_until.pop(host, None)
        return value

    def _refuse_while_open(self, host: str) -> None:
        with self._lock:
            until = self._open_until.get(host)
            if until is None:
                return
            if time.time() >= until:  # half-open: this call is the trial, the next ones wait for it
                self._open_until[host] = time.time() + self.reset_s
                return
        raise breaker_open_error(host, until)

    def _failed(self, host: str) -> float | None:
        """Count a failure; the time the breaker half-opens when this one opened it, else None."""
        with self._lock:
            self._failures[host] = self._failures.get(host, 0) + 1
            if self._failures[host] < self.fail_max:
                return None
            self._open_until[host] = time.time() + self.reset_s
            return self._open_until[host]


def breaker_open_error(host: str, until: float) -> TargetUnavailableError:
    """The error of an open breaker, naming the host and when it lets a call through again."""
    retry_at = datetime.fromtimestamp(until, UTC).isoformat(timespec="seconds")
    return TargetUnavailableError(f"circuit breaker for {host} is open until {retry_at}", host, retry_at)


_guard: OutboundGuard = LocalBreakers()


def install_outbound_guard(guard: OutboundGuard) -> OutboundGuard:
    """Route every outbound call through `guard` from now on; returns the previous guard."""
    global _guard
    previous, _guard = _guard, guard
    return previous


def call_outbound(host: str, call: Callable[[], T]) -> T:
    """Run one outbound call to `host` through its breaker; TargetUnavailableError while it is open."""
    return cast(T, _guard(host.strip().lower().rstrip("."), call))


# --- concurrent clones per organisation -------------------------------------------------------
# A clone holds a worker for as long as the remote takes; one organisation's slow clones must not hold
# every worker. In-process scans (CLI, tests) have no limit; a worker installs Redis leases shared by all
# workers (utils/clone_slots.CloneSlots), which this module cannot import.

CloneSlots = Callable[[str, float], AbstractContextManager[object]]
"""slots(org_id, lease_s): a context holding one of the organisation's clone slots, or
ConcurrencyLimitError at once when it holds them all. The lease lapses after lease_s by itself."""


def _unbounded(org_id: str, lease_s: float) -> AbstractContextManager[object]:
    return contextlib.nullcontext()


_clone_slots: CloneSlots = _unbounded


def install_clone_slots(slots: CloneSlots) -> CloneSlots:
    """Bound every clone by `slots` from now on; returns the previous bound."""
    global _clone_slots
    previous, _clone_slots = _clone_slots, slots
    return previous


def clone_slot(org_id: str | None, lease_s: float) -> AbstractContextManager[object]:
    """One of `org_id`'s clone slots for the body (no bound outside an organisation's job)."""
    return contextlib.nullcontext() if org_id is None else _clone_slots(org_id, lease_s)
