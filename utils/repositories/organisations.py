"""Organisations and their members: creation, the first admin, roles, passwords, deactivation."""

from __future__ import annotations

from typing import Any

import psycopg2.errors
import psycopg2.extras

from utils.database_manager import Database
from utils.errors import InvalidRequestError
from utils.repositories.audit import insert_audit
from utils.repositories.common import as_uuid, db_or_default, iso

BOOTSTRAP_LOCK_KEY = 0x4447_4241_4453  # "DGBADS": launchers creating the first admin take turns
USER_COLUMNS = "id, org_id, email, display_name, role, password_hash, last_login_at, active"


def create_organisation(name: str, *, plan: str = "free", db: Database | None = None) -> str:
    """Create an organisation; returns its id."""
    with db_or_default(db).transaction() as cur:
        cur.execute("INSERT INTO organisations (name, plan) VALUES (%s, %s) RETURNING id", (name, plan))
        return str(cur.fetchone()["id"])


def get_organisation(org_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """An organisation's id, name, plan, Stripe customer id and creation time, or None."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT id, name, plan, stripe_customer_id, created_at FROM organisations WHERE id = %s",
                    (as_uuid(org_id, "org_id"),))
        row = cur.fetchone()
    return iso(dict(row)) if row else None


def create_user(org_id: str, email: str, role: str, password_hash: str, *, display_name: str | None = None,
                db: Database | None = None) -> str:
    """Create a user of an organisation with an already-hashed password; returns the user id."""
    if role not in ("admin", "analyst", "viewer"):
        raise InvalidRequestError("role must be admin, analyst or viewer")
    if not password_hash or not password_hash.startswith("$"):
        raise InvalidRequestError("password_hash must be an encoded hash ($algorithm$…), never a password")
    try:
        with db_or_default(db).transaction() as cur:
            cur.execute("INSERT INTO users (org_id, email, role, password_hash, display_name) "
                        "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                        (as_uuid(org_id, "org_id"), email, role, password_hash, display_name))
            return str(cur.fetchone()["id"])
    except psycopg2.errors.UniqueViolation:
        # PostgreSQL's message quotes the address; ours must not
        raise InvalidRequestError("a user with this email address already exists") from None
    except psycopg2.errors.ForeignKeyViolation:
        raise InvalidRequestError("no organisation with this id") from None


def get_user_by_email(email: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """The user with this address (any case), or None."""
    with db_or_default(db).transaction() as cur:
        cur.execute(f"SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower(%s)", (email,))
        row = cur.fetchone()
    return dict(row) if row else None


def get_user(org_id: str, user_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """A member of `org_id` by id (with its password hash, for checks), or None."""
    with db_or_default(db).transaction() as cur:
        cur.execute(f"SELECT {USER_COLUMNS} FROM users WHERE id = %s AND org_id = %s",
                    (as_uuid(user_id, "user_id"), as_uuid(org_id, "org_id")))
        row = cur.fetchone()
    return dict(row) if row else None


def record_sign_in(user_id: str, *, db: Database | None = None) -> None:
    """Note a successful sign-in's time on the user."""
    with db_or_default(db).transaction() as cur:
        cur.execute("UPDATE users SET last_login_at = now() WHERE id = %s", (as_uuid(user_id, "user_id"),))


def set_password(org_id: str, user_id: str, password_hash: str, *, keep_session: str | None = None,
                 db: Database | None = None) -> int | None:
    """Give a member of `org_id` a new password hash and end their sessions (but `keep_session`, a
    token hash); the number of sessions ended, or None when no such member."""
    if not password_hash or not password_hash.startswith("$"):
        raise InvalidRequestError("password_hash must be an encoded hash ($algorithm$…), never a password")
    user = as_uuid(user_id, "user_id")
    with db_or_default(db).transaction() as cur:
        cur.execute("UPDATE users SET password_hash = %s WHERE id = %s AND org_id = %s",
                    (password_hash, user, as_uuid(org_id, "org_id")))
        if cur.rowcount != 1:
            return None
        # whoever knew the old password may hold a session opened with it
        cur.execute("UPDATE sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL "
                    "AND token_hash IS DISTINCT FROM %s", (user, keep_session))
        return int(cur.rowcount)


def count_users(*, db: Database | None = None) -> int:
    """How many user accounts exist (the first start creates an admin when there are none)."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT count(*) AS n FROM users")
        return int(cur.fetchone()["n"])


def create_first_admin(org_name: str, email: str, password_hash: str,
                       *, db: Database | None = None) -> tuple[str, str] | None:
    """Create an organisation and its admin if no user exists yet; (org_id, user_id), or None.

    One transaction under an advisory lock from the count to the commit: launchers starting together
    on an empty database take turns, so exactly one creates the admin and the others see it.
    """
    try:
        with db_or_default(db).transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (BOOTSTRAP_LOCK_KEY,))
            cur.execute("SELECT EXISTS (SELECT 1 FROM users) AS taken")
            if cur.fetchone()["taken"]:
                return None
            cur.execute("INSERT INTO organisations (name) VALUES (%s) RETURNING id", (org_name,))
            org_id = str(cur.fetchone()["id"])
            cur.execute("INSERT INTO users (org_id, email, role, password_hash) VALUES (%s, %s, 'admin', %s) "
                        "RETURNING id", (org_id, email, password_hash))
            user_id = str(cur.fetchone()["id"])
            insert_audit(cur, "org.created", org_id, None, org_id, None)
            insert_audit(cur, "user.created", org_id, None, user_id, {"role": "admin"})
    except psycopg2.errors.CheckViolation:
        raise InvalidRequestError("an organisation name has 1 to 200 characters") from None
    return org_id, user_id


def list_users(org_id: str, *, db: Database | None = None) -> list[dict[str, Any]]:
    """Members of one organisation, by address; never a password hash."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT id, email, display_name, role, active, last_login_at, created_at FROM users "
                    "WHERE org_id = %s ORDER BY lower(email)",
                    (as_uuid(org_id, "org_id"),))
        return [iso(dict(row)) for row in cur.fetchall()]


def update_user(org_id: str, user_id: str, *, role: str | None = None, active: bool | None = None,
                db: Database | None = None) -> bool:
    """Change a member's role and/or active flag, ending their sessions; False if not in `org_id`.

    A deactivation also revokes the member's API keys (see `deactivate_user`).
    """
    return _change_user(org_id, user_id, role, active, db) is not None


def deactivate_user(org_id: str, user_id: str, *, db: Database | None = None) -> list[str] | None:
    """Deactivate a member, ending their sessions and revoking their API keys in one transaction.

    Returns the ids of the keys revoked now, or None if no such member. Reactivating the member
    later does not bring the keys back: a key's revocation is final.
    """
    return _change_user(org_id, user_id, None, False, db)


def _change_user(org_id: str, user_id: str, role: str | None, active: bool | None,
                 db: Database | None) -> list[str] | None:
    if role is not None and role not in ("admin", "analyst", "viewer"):
        raise InvalidRequestError("role must be admin, analyst or viewer")
    user = as_uuid(user_id, "user_id")
    with db_or_default(db).transaction() as cur:
        cur.execute("UPDATE users SET role = coalesce(%s, role), active = coalesce(%s, active) "
                    "WHERE id = %s AND org_id = %s", (role, active, user, as_uuid(org_id, "org_id")))
        if cur.rowcount != 1:
            return None
        # a changed role or a deactivation takes effect now, not when the old sign-in expires
        cur.execute("UPDATE sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL",
                    (user,))
        if active is not False:
            return []
        # keys die with their member's membership: an ex-member's CI job must stop working too
        cur.execute("UPDATE api_keys SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL "
                    "RETURNING id", (user,))
        return [str(row["id"]) for row in cur.fetchall()]
