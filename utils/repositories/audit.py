"""The audit log: append-only (the table refuses UPDATE and DELETE), newest first when read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg2.errors
import psycopg2.extras

from utils.database_manager import Database
from utils.repositories.common import MAX_PAGE, as_optional_uuid, db_or_default, iso


def append_audit(action: str, *, org_id: str | None = None, actor_user_id: str | None = None,
                 target: str | None = None, details: Mapping[str, Any] | None = None,
                 db: Database | None = None) -> int:
    """Append one audit entry (the table refuses UPDATE and DELETE); returns its id."""
    with db_or_default(db).transaction() as cur:
        return insert_audit(cur, action, org_id, actor_user_id, target, details)


def insert_audit(cur: Any, action: str, org_id: str | None, actor_user_id: str | None, target: str | None,
                 details: Mapping[str, Any] | None) -> int:
    """Append one audit entry in the caller's transaction; returns its id."""
    cur.execute("INSERT INTO audit_log (org_id, actor_user_id, action, target, details) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (as_optional_uuid(org_id, "org_id"), as_optional_uuid(actor_user_id, "actor"),
                 action, target, psycopg2.extras.Json(dict(details or {}))))
    return int(cur.fetchone()["id"])


def list_audit(org_id: str | None, limit: int = 100, *, db: Database | None = None) -> list[dict[str, Any]]:
    """Newest audit entries of an organisation (None = all)."""
    org = as_optional_uuid(org_id, "org_id")
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT id, at, org_id, actor_user_id, action, target, details FROM audit_log "
                    "WHERE %s::uuid IS NULL OR org_id = %s ORDER BY id DESC LIMIT %s",
                    (org, org, max(1, min(int(limit), MAX_PAGE))))
        return [iso(dict(row)) for row in cur.fetchall()]
