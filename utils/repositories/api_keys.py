"""API keys: shown once, stored as a hash, live only while their member is."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from utils.database_manager import Database
from utils.repositories.common import as_optional_uuid, as_uuid, db_or_default, iso

API_KEY_PREFIX = "dgp_"
API_KEY_DISPLAY_CHARS = 12  # "dgp_" plus 8 characters: enough to tell keys apart, useless to an attacker
LAST_USED_RESOLUTION_S = 60  # a key's "last used" is kept to the minute: one write a minute, not a request


def _key_hash(key: str) -> str:
    # API keys are 256-bit random tokens, so a fast hash is enough: there is nothing to brute-force
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(org_id: str, name: str, *, user_id: str | None = None,
                   db: Database | None = None) -> tuple[str, str]:
    """Create an API key; returns (key id, the key). The key is shown once and only its hash is stored."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    with db_or_default(db).transaction() as cur:
        cur.execute("INSERT INTO api_keys (org_id, user_id, name, prefix, key_hash) "
                    "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (as_uuid(org_id, "org_id"), as_optional_uuid(user_id, "user_id"), name,
                     key[:API_KEY_DISPLAY_CHARS], _key_hash(key)))
        return str(cur.fetchone()["id"]), key


def find_api_key(key: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """The live key record for a presented key, or None: unknown, revoked, or its user deactivated.

    A read, so an unknown key costs one index lookup and no write. A live key's `last_used_at` is
    written at most once per LAST_USED_RESOLUTION_S, not on every request.
    """
    with db_or_default(db).transaction() as cur:
        # a key made by a member lives only while they do (deactivation also revokes it; this holds
        # even if a key outlived that, e.g. a user row changed by hand)
        cur.execute("SELECT k.id, k.org_id, k.user_id, k.name, k.prefix, (k.last_used_at IS NULL OR "
                    "k.last_used_at < now() - make_interval(secs => %s)) AS stale FROM api_keys k "
                    "LEFT JOIN users u ON u.id = k.user_id WHERE k.key_hash = %s AND k.revoked_at IS NULL "
                    "AND (k.user_id IS NULL OR u.active)", (LAST_USED_RESOLUTION_S, _key_hash(key)))
        row = cur.fetchone()
        if row is None:
            return None
        if row.pop("stale"):
            cur.execute("UPDATE api_keys SET last_used_at = now() WHERE id = %s", (row["id"],))
    return dict(row)


def revoke_api_key(key_id: str, *, org_id: str | None = None, db: Database | None = None) -> bool:
    """Revoke a key (only if it belongs to `org_id` when given); False if no such live key."""
    org = as_optional_uuid(org_id, "org_id")
    with db_or_default(db).transaction() as cur:
        cur.execute("UPDATE api_keys SET revoked_at = now() WHERE id = %s AND revoked_at IS NULL "
                    "AND (%s::uuid IS NULL OR org_id = %s)", (as_uuid(key_id, "key id"), org, org))
        return cur.rowcount == 1


def list_api_keys(org_id: str, *, db: Database | None = None) -> list[dict[str, Any]]:
    """An organisation's keys, newest first: id, name, prefix and dates; never a hash."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT id, name, prefix, user_id, created_at, last_used_at, revoked_at FROM api_keys "
                    "WHERE org_id = %s ORDER BY created_at DESC, id", (as_uuid(org_id, "org_id"),))
        return [iso(dict(row)) for row in cur.fetchall()]
