"""Each organisation's monthly scan counter: what it is billed for (scans that ran to the end)."""

from __future__ import annotations

from datetime import date
from typing import Any

from utils.database_manager import Database
from utils.repositories.common import as_uuid, db_or_default, month_start


def bump_usage(cur: Any, org_id: str, month: date, amount: int) -> int:
    """Add `amount` to an organisation's counter of `month` in the caller's transaction; the new count."""
    cur.execute("INSERT INTO usage (org_id, month, scans) VALUES (%s, %s, %s) ON CONFLICT (org_id, month) "
                "DO UPDATE SET scans = usage.scans + EXCLUDED.scans RETURNING scans", (org_id, month, amount))
    return int(cur.fetchone()["scans"])


def record_usage(org_id: str, month: date | str | None = None, amount: int = 1,
                 *, db: Database | None = None) -> int:
    """Add `amount` scans to an organisation's monthly counter; returns the new count."""
    with db_or_default(db).transaction() as cur:
        return bump_usage(cur, as_uuid(org_id, "org_id"), month_start(month), amount)


def get_usage(org_id: str, month: date | str | None = None, *, db: Database | None = None) -> int:
    """Scans counted for an organisation in a month (0 when none)."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT scans FROM usage WHERE org_id = %s AND month = %s",
                    (as_uuid(org_id, "org_id"), month_start(month)))
        row = cur.fetchone()
    return int(row["scans"]) if row else 0
