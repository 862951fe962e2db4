"""Scan submissions counted against the monthly quota, and the lock that makes count-and-record one step."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any

from utils.database_manager import Database
from utils.repositories.audit import insert_audit
from utils.repositories.common import as_uuid, db_or_default, month_start

SUBMITTED_ACTION = "scan.submitted"  # the audit entry services/scan_service.py writes for each queued job
SUBMISSION_LOCK_CLASS = 0x4447_5355  # "DGSU": advisory lock class of one organisation's scan submissions


def scans_this_month(org_id: str, *, in_flight_window_s: float,
                     db: Database | None = None) -> tuple[int, int]:
    """(stored, in flight) scans of an organisation this month (UTC).

    Stored is the usage counter (succeeded scans). In flight is the jobs submitted (their
    `scan.submitted` audit entries) minus the jobs stored (scan rows, whatever their outcome), both
    counted since the start of the month or of the window, whichever is later: queued, running or
    waiting in the outbox. Two index range counts instead of a lookup per submission keep this cheap
    for busy organisations (bench/billing_bench.py); every job with an organisation is submitted
    through services/scan_service.py, which writes that entry. A job unstored for the whole window
    is presumed lost and stops counting.
    """
    with db_or_default(db).transaction() as cur:
        return _count_scans(cur, org_id, in_flight_window_s)


def _count_scans(cur: Any, org_id: str, in_flight_window_s: float) -> tuple[int, int]:
    params = {"org": as_uuid(org_id, "org_id"), "month": month_start(None), "action": SUBMITTED_ACTION,
              "window": float(in_flight_window_s)}
    cur.execute(
        "WITH since AS (SELECT greatest(%(month)s::timestamp AT TIME ZONE 'UTC', "
        "now() - make_interval(secs => %(window)s)) AS at) "
        "SELECT coalesce((SELECT scans FROM usage WHERE org_id = %(org)s AND month = %(month)s), 0) "
        "AS stored, greatest(0, (SELECT count(*) FROM audit_log, since WHERE org_id = %(org)s "
        "AND action = %(action)s AND audit_log.at >= since.at) - (SELECT count(*) FROM scans, since "
        "WHERE org_id = %(org)s AND created_at >= since.at)) AS in_flight", params)
    row = cur.fetchone()
    return int(row["stored"]), int(row["in_flight"])


class Submission:
    """One organisation's scan submission: its month's count and its `scan.submitted` entry, in one
    transaction that holds the organisation's submission lock from the first count to the commit.

    Concurrent submissions of one organisation thus take turns between counting and recording, so two
    of them cannot both pass a quota with one scan left. The transaction begins at the first call:
    what runs before it (reading the plan) holds no connection and no lock. The lock is transaction-
    level, so the commit or the rollback releases it, whatever becomes of the process. Leaving the
    `with` block by an exception rolls back: a job that failed to queue leaves no entry behind.
    """

    def __init__(self, org_id: str, *, db: Database | None = None) -> None:
        self.org_id = as_uuid(org_id, "org_id")
        self._db = db
        self._stack = ExitStack()
        self._cur: Any = None

    def __enter__(self) -> Submission:
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        return bool(self._stack.__exit__(*exc_info))

    def _cursor(self) -> Any:
        if self._cur is None:
            cur = self._stack.enter_context(db_or_default(self._db).transaction())
            cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                        (SUBMISSION_LOCK_CLASS, self.org_id))
            self._cur = cur
        return self._cur

    def scans_this_month(self, in_flight_window_s: float) -> tuple[int, int]:
        """(stored, in flight), as `scans_this_month`, counted under the organisation's lock."""
        return _count_scans(self._cursor(), self.org_id, in_flight_window_s)

    def record(self, actor_user_id: str | None, job_id: str, details: Mapping[str, Any]) -> int:
        """The job's `scan.submitted` entry, committed with the lock's release."""
        return insert_audit(self._cursor(), SUBMITTED_ACTION, self.org_id, actor_user_id, job_id, details)
