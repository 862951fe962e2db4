"""The diagnostic scanner: a real scanner of nothing, for smoke tests, drills and benchmarks.

It finds nothing and scores 100, and does exactly what its request asks of the runtime, so the
platform's guarantees can be exercised on demand: `sleep_s` (with progress every `step_s`),
`raise_error` (a scanner exception), `ignore_deadline` (a busy loop that never reports progress,
so only the hard timeout can stop it) and `crash` (the worker process dies: a poison job).
The launcher starts its worker only when asked (`--scanners diagnostic`).
"""

from __future__ import annotations

import os
import time

from services.results import build_result, utc_now_iso
from services.scanners.base import Progress, Request, Result
from utils.errors import InvalidRequestError

CRASH_EXIT_CODE = 86  # distinctive, so a crash drill is recognisable in the launcher's log


class DiagnosticError(RuntimeError):
    """Raised on request to show how a scanner exception fails a job."""


class DiagnosticScanner:
    """Scanner that exercises the runtime instead of scanning anything."""

    name = "diagnostic"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Sleep, fail, hang or crash as the request says; otherwise return an empty result."""
        started_at = utc_now_iso()
        sleep_s = _number(request, "sleep_s")
        if request.get("crash"):
            os._exit(CRASH_EXIT_CODE)
        if request.get("raise_error"):
            raise DiagnosticError(str(request["raise_error"]))
        if request.get("ignore_deadline"):
            _busy_wait(sleep_s or 3600.0)
        elif sleep_s:
            _sleep_with_progress(sleep_s, _number(request, "step_s") or 0.05, progress)
        progress(100.0, "done")
        return build_result(self.name, [], started_at=started_at, items_scanned=1)


def _number(request: Request, key: str) -> float:
    value = request.get(key, 0)
    if not isinstance(value, (int, float)) or value < 0:
        raise InvalidRequestError(f"diagnostic: {key} must be a non-negative number")
    return float(value)


def _sleep_with_progress(total_s: float, step_s: float, progress: Progress) -> None:
    deadline = time.monotonic() + total_s
    while (left := deadline - time.monotonic()) > 0:
        progress(100.0 * (1 - left / total_s), f"sleeping, {left:.1f}s left")
        time.sleep(min(step_s, left))


def _busy_wait(total_s: float) -> None:
    # deliberately never calls progress: only the worker's hard timeout can end this
    deadline = time.monotonic() + total_s
    while time.monotonic() < deadline:
        time.sleep(0.01)
