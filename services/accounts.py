"""Accounts: argon2 sign-in with lockout, server-side sessions, roles, members and API keys.

Passwords are hashed with argon2id (argon2-cffi) and only the encoded hash is stored. A UI sign-in
is a random token whose SHA-256 is a row in `sessions`; the `Session` value lives in the browser's
Streamlit session only. Signing out, deactivating a member or changing their role ends their
sessions at once. Every function that acts for a signed-in user takes that user's `Session` and
works inside its organisation only: another organisation's member or key is "not found".

Nothing here logs or raises with a password, a token, a key or an address in the message.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from utils import database_manager as dbm
from utils.config import get_settings
from utils.errors import (
    AccountLockedError,
    ConfigError,
    InvalidCredentialsError,
    InvalidRequestError,
    PermissionDeniedError,
)

log = logging.getLogger(__name__)

ROLES = ("admin", "analyst", "viewer")
ACTIONS = ("view", "scan", "manage_users", "manage_keys", "billing", "system")
_ALLOWED = {
    "admin": frozenset(ACTIONS),
    "analyst": frozenset({"view", "scan"}),
    "viewer": frozenset({"view"}),
}
MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B asks for at least 8; 12 costs users little
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; this only stops megabyte "passwords"
MAX_TOKEN_LENGTH = 128  # our tokens are 43 characters; anything much longer is not one of ours
ONE_TIME_PASSWORD_BYTES = 18  # 24 URL-safe characters, 144 bits
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
INVALID_CREDENTIALS = "wrong e-mail address or password"  # one message: it must not say which


@dataclass(frozen=True)
class Session:
    """A signed-in UI user: who, in which organisation, with which role, until when (epoch s)."""

    token: str
    user_id: str
    org_id: str
    org_name: str
    role: str
    email: str
    display_name: str | None
    expires_at: float

    def __repr__(self) -> str:
        # the token is a bearer credential: keep it out of logs and tracebacks
        return f"Session(user_id={self.user_id!r}, org_id={self.org_id!r}, role={self.role!r})"


def role_allows(role: str, action: str) -> bool:
    """True when `role` may perform `action` (view, scan, manage_users, manage_keys, billing, system)."""
    return action in _ALLOWED.get(role, frozenset())


# --- passwords ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's RFC 9106 "low memory" defaults


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # verified against for unknown addresses, so they cost as much time as a wrong password
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The argon2id encoded hash of an acceptable password (raises InvalidRequestError otherwise)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequestError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidRequestError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    # session tokens are 256-bit random values: a fast hash suffices, there is nothing to guess
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_email(email: str) -> str:
    email = (email or "").strip()
    if len(email) > 254 or not EMAIL.match(email):
        raise InvalidRequestError("that is not an e-mail address")
    return email


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidRequestError(f"role must be one of {', '.join(ROLES)}")
    return role


# --- sign-in, sessions --------------------------------------------------------------------------

def sign_in(email: str, password: str) -> Session:
    """Check an address and password and open a session; InvalidCredentialsError / AccountLockedError."""
    user = dbm.get_user_by_email((email or "").strip()) if email else None
    if user is None or not user["active"]:
        _verify(_dummy_hash(), password or "")
        org, target = (str(user["org_id"]), str(user["id"])) if user is not None else (None, None)
        dbm.append_audit("auth.sign_in_failed", org_id=org, target=target,
                         details={"reason": "unknown or inactive"})
        raise InvalidCredentialsError(INVALID_CREDENTIALS)
    user_id, org_id = str(user["id"]), str(user["org_id"])
    if _locked(user.get("locked_until")):
        dbm.append_audit("auth.sign_in_refused", org_id=org_id, target=user_id, details={"reason": "locked"})
        raise AccountLockedError(_locked_message())
    if not _verify(user["password_hash"], password or ""):
        raise _count_failure(user_id, org_id)
    dbm.record_login(user_id, True)
    dbm.append_audit("auth.sign_in", org_id=org_id, actor_user_id=user_id, target=user_id)
    log.info("accounts: user %s signed in", user_id)
    return _open_session(user_id)


def _locked(locked_until: Any) -> bool:
    return locked_until is not None and locked_until.timestamp() > time.time()


def _locked_message() -> str:
    minutes = max(1, round(get_settings().login_lockout_s / 60))
    return f"too many failed sign-ins: this account is locked for up to {minutes} minutes"


def _count_failure(user_id: str, org_id: str) -> InvalidCredentialsError | AccountLockedError:
    """Record a wrong password; the error to raise: AccountLockedError when this failure locked it."""
    settings = get_settings()
    state = dbm.record_login(user_id, False, max_failures=settings.login_max_failures,
                             lockout_s=settings.login_lockout_s)
    dbm.append_audit("auth.sign_in_failed", org_id=org_id, target=user_id,
                     details={"reason": "wrong password", "failed_logins": state["failed_logins"]})
    if _locked(state.get("locked_until")):
        dbm.append_audit("auth.lockout", org_id=org_id, target=user_id,
                         details={"failed_logins": state["failed_logins"]})
        log.warning("accounts: user %s locked after %d failed sign-ins", user_id, state["failed_logins"])
        return AccountLockedError(_locked_message())
    return InvalidCredentialsError(INVALID_CREDENTIALS)


def _open_session(user_id: str) -> Session:
    token = secrets.token_urlsafe(32)
    expires_at = time.time() + get_settings().session_lifetime_s
    dbm.create_session(user_id, _token_hash(token), expires_at)
    row = dbm.get_session(_token_hash(token))
    if row is None:  # deactivated between the password check and now
        raise InvalidCredentialsError(INVALID_CREDENTIALS)
    return _session_from_row(token, row)


def _session_from_row(token: str, row: dict[str, Any]) -> Session:
    return Session(token=token, user_id=str(row["user_id"]), org_id=str(row["org_id"]),
                   org_name=row["org_name"], role=row["role"], email=row["email"],
                   display_name=row["display_name"], expires_at=float(row["expires_at"]))


def session_valid(session: Session | None, now: float | None = None) -> bool:
    """True while the session is unexpired, not signed out, and its user active with the same role."""
    if session is None:
        return False
    now = time.time() if now is None else now
    if session.expires_at <= now:
        return False
    row = dbm.get_session(_token_hash(session.token))
    return row is not None and row["expires_at"] > now and row["role"] == session.role


def resume_session(token: str, now: float | None = None) -> Session | None:
    """The live session a token (e.g. from the browser's cookie after a reload) belongs to, or None."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = dbm.get_session(_token_hash(token))
    now = time.time() if now is None else now
    if row is None or row["expires_at"] <= now:
        return None
    return _session_from_row(token, row)


def sign_out(session: Session) -> None:
    """End the session in the database (a copied token stops working too)."""
    if dbm.revoke_session(_token_hash(session.token)):
        dbm.append_audit("auth.sign_out", org_id=session.org_id, actor_user_id=session.user_id,
                         target=session.user_id)
        log.info("accounts: user %s signed out", session.user_id)


# --- organisations and members ------------------------------------------------------------------

def create_organisation_with_admin(org_name: str, email: str, password: str) -> tuple[str, str]:
    """Create an organisation and its first admin; returns (org_id, user_id)."""
    name = (org_name or "").strip()
    if not 1 <= len(name) <= 200:
        raise InvalidRequestError("an organisation name has 1 to 200 characters")
    password_hash = hash_password(password)
    org_id = dbm.create_organisation(name)
    user_id = dbm.create_user(org_id, _check_email(email), "admin", password_hash)
    dbm.append_audit("org.created", org_id=org_id, target=org_id)
    dbm.append_audit("user.created", org_id=org_id, target=user_id, details={"role": "admin"})
    return org_id, user_id


def create_member(org_id: str, email: str, role: str, password: str, display_name: str | None = None) -> str:
    """Add a member with a role to an organisation; returns the user id."""
    password_hash = hash_password(password)
    user_id = dbm.create_user(org_id, _check_email(email), _check_role(role), password_hash,
                              display_name=(display_name or "").strip() or None)
    dbm.append_audit("user.created", org_id=org_id, target=user_id, details={"role": role})
    return user_id


def ensure_bootstrap_admin() -> str | None:
    """On a database without users, create the first org and admin; return its one-time password.

    The password is DG_ADMIN_PASSWORD when set (then None is returned: the operator knows it),
    else a random one returned for the launcher to print once. None when users already exist.
    """
    if dbm.count_users() > 0:
        return None
    settings = get_settings()
    password = settings.admin_password or secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    try:
        create_organisation_with_admin("DataGuardian", settings.admin_email, password)
    except InvalidRequestError as error:  # e.g. a DG_ADMIN_PASSWORD that is too short
        if dbm.count_users() > 0:  # a launcher starting at the same moment created the admin first
            return None
        raise ConfigError(f"DG_ADMIN_EMAIL / DG_ADMIN_PASSWORD: {error}") from None
    log.info("accounts: first admin account created")
    return None if settings.admin_password else password


# --- acting for a signed-in admin ---------------------------------------------------------------

def require_action(session: Session, action: str) -> None:
    """Raise PermissionDeniedError unless the session's role allows `action`."""
    if not role_allows(session.role, action):
        raise PermissionDeniedError(f"the {session.role} role may not {action.replace('_', ' ')}")


def list_members(session: Session) -> list[dict[str, Any]]:
    """Members of the session's organisation."""
    require_action(session, "manage_users")
    return dbm.list_users(session.org_id)


def add_member(session: Session, email: str, role: str, password: str,
               display_name: str | None = None) -> str:
    """Add a member to the session's organisation; returns the user id."""
    require_action(session, "manage_users")
    user_id = create_member(session.org_id, email, role, password, display_name)
    dbm.append_audit("user.added", org_id=session.org_id, actor_user_id=session.user_id, target=user_id,
                     details={"role": role})
    return user_id


def change_role(session: Session, user_id: str, role: str) -> None:
    """Give a member of the session's organisation another role (their sessions end)."""
    _change_member(session, user_id, "user.role_changed", role=_check_role(role))


def deactivate_member(session: Session, user_id: str) -> None:
    """Stop a member of the session's organisation from signing in (their sessions end)."""
    _change_member(session, user_id, "user.deactivated", active=False)


def reactivate_member(session: Session, user_id: str) -> None:
    """Let a deactivated member of the session's organisation sign in again."""
    _change_member(session, user_id, "user.reactivated", active=True)


def _change_member(session: Session, user_id: str, action: str, **change: Any) -> None:
    require_action(session, "manage_users")
    if str(user_id) == session.user_id:
        # an admin demoting or deactivating themselves could leave the organisation without one
        raise PermissionDeniedError("you cannot change your own account here; ask another admin")
    if not dbm.update_user(session.org_id, user_id, **change):
        raise InvalidRequestError("no such member in your organisation")
    dbm.append_audit(action, org_id=session.org_id, actor_user_id=session.user_id, target=str(user_id),
                     details={k: v for k, v in change.items()})


def create_api_key(session: Session, name: str) -> tuple[str, str]:
    """Create an API key for the session's organisation; returns (key id, key) - the key shown once."""
    require_action(session, "manage_keys")
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise InvalidRequestError("a key name has 1 to 100 characters")
    key_id, key = dbm.create_api_key(session.org_id, name, user_id=session.user_id)
    dbm.append_audit("api_key.created", org_id=session.org_id, actor_user_id=session.user_id, target=key_id)
    return key_id, key


def list_api_keys(session: Session) -> list[dict[str, Any]]:
    """The session organisation's API keys (prefix, name, dates; never the key or its hash)."""
    require_action(session, "manage_keys")
    return dbm.list_api_keys(session.org_id)


def revoke_api_key(session: Session, key_id: str) -> None:
    """Revoke one of the session organisation's keys."""
    require_action(session, "manage_keys")
    if not dbm.revoke_api_key(key_id, org_id=session.org_id):
        raise InvalidRequestError("no such live key in your organisation")
    dbm.append_audit("api_key.revoked", org_id=session.org_id, actor_user_id=session.user_id, target=key_id)
