"""UI sessions, stored by the hash of their token."""

from __future__ import annotations

from typing import Any

from utils.database_manager import Database
from utils.repositories.common import as_timestamp, as_uuid, db_or_default


def create_session(user_id: str, token_hash: str, expires_at: float, *, db: Database | None = None) -> None:
    """Store a UI session by the hash of its token, valid until `expires_at` (unix seconds)."""
    with db_or_default(db).transaction() as cur:
        cur.execute("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (%s, %s, %s)",
                    (token_hash, as_uuid(user_id, "user_id"), as_timestamp(expires_at, "expires_at")))


def get_session(token_hash: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """A live (not revoked, user active) session joined with its user and organisation, or None.

    `expires_at` comes back as unix seconds; the caller decides about expiry against its clock.
    """
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT s.user_id, extract(epoch FROM s.expires_at)::float8 AS expires_at, u.org_id, "
                    "o.name AS org_name, u.role, u.email, u.display_name FROM sessions s "
                    "JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id "
                    "WHERE s.token_hash = %s AND s.revoked_at IS NULL AND u.active", (token_hash,))
        row = cur.fetchone()
    return dict(row) if row else None


def revoke_session(token_hash: str, *, db: Database | None = None) -> bool:
    """End a session (sign-out); False if it was unknown or already ended."""
    with db_or_default(db).transaction() as cur:
        cur.execute("UPDATE sessions SET revoked_at = now() WHERE token_hash = %s AND revoked_at IS NULL",
                    (token_hash,))
        return cur.rowcount == 1
