"""Accounts: argon2 sign-in with a throttle, server-side sessions, roles, members and API keys.

Passwords are hashed with argon2id (argon2-cffi) and only the encoded hash is stored. Sign-in attempts
are throttled per address typed and per source (services/sign_in_throttle.py). A UI sign-in
is a random token whose SHA-256 is a row in `sessions`; the `Session` value lives in the browser's
Streamlit session only. Signing out, deactivating a member, changing their role or their password
ends their sessions at once; deactivating a member also revokes their API keys, for good. Every
function that acts for a signed-in user takes that user's `Session` and
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
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services import sign_in_throttle as throttle
from utils.config import get_settings
from utils.errors import (
    AccountLockedError,
    ConfigError,
    InvalidCredentialsError,
    InvalidRequestError,
    PermissionDeniedError,
)
from utils.repositories import api_keys, audit, organisations, sessions

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
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit; no stored address is longer, so nothing longer is looked up
ONE_TIME_PASSWORD_BYTES = 18  # 24 URL-safe characters, 144 bits
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
INVALID_CREDENTIALS = "wrong e-mail address or password"  # one message: it must not say which
NO_SUCH_MEMBER = "no such member in your organisation"


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

def sign_in(email: str, password: str, source: str | None = None) -> Session:
    """Check an address and password typed at client address `source` and open a session.

    Raises InvalidCredentialsError or AccountLockedError. A known address and an unknown one take the
    same steps (count the attempt, look the address up, verify a hash, record the failure), so neither
    the answer nor its time tells them apart.
    """
    typed = (email or "").strip()
    attempt = throttle.begin(typed, source)
    user = organisations.get_user_by_email(typed) if 0 < len(typed) <= MAX_EMAIL_LENGTH else None
    org, target = (str(user["org_id"]), str(user["id"])) if user is not None else (None, None)
    if attempt.locked:
        audit.append_audit("auth.sign_in_refused", org_id=org, target=target, details={"reason": "locked"})
        raise AccountLockedError(throttle.locked_message())
    stored = user["password_hash"] if user is not None and user["active"] else None
    # the dummy hash costs an unknown or deactivated address as much time as a wrong password
    verified = _verify(stored or _dummy_hash(), password or "")
    if user is None or stored is None or not verified:
        reason = "unknown address" if user is None else "inactive" if stored is None else "wrong password"
        raise _failure(attempt, org, target, reason)
    throttle.succeeded(attempt)
    organisations.record_sign_in(user["id"])
    audit.append_audit("auth.sign_in", org_id=org, actor_user_id=target, target=target)
    log.info("accounts: user %s signed in", target)
    return _open_session(str(user["id"]))


def _failure(attempt: throttle.Attempt, org_id: str | None, user_id: str | None, reason: str,
             message: str = INVALID_CREDENTIALS) -> InvalidCredentialsError | AccountLockedError:
    """Record a failed attempt; the error to raise: AccountLockedError when this failure locked it."""
    locked = throttle.failed(attempt)
    audit.append_audit("auth.sign_in_failed", org_id=org_id, target=user_id,
                       details={"reason": reason, "attempts": attempt.attempts})
    if locked:
        audit.append_audit("auth.lockout", org_id=org_id, target=user_id,
                           details={"attempts": attempt.attempts, "source_attempts": attempt.source_attempts})
        log.warning("accounts: sign-in at %s locked for one source after %d attempts",
                    f"user {user_id}" if user_id else "an unknown address", attempt.attempts)
        return AccountLockedError(throttle.locked_message())
    return InvalidCredentialsError(message)


def _open_session(user_id: str) -> Session:
    token = secrets.token_urlsafe(32)
    expires_at = time.time() + get_settings().session_lifetime_s
    sessions.create_session(user_id, _token_hash(token), expires_at)
    row = sessions.get_session(_token_hash(token))
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
    row = sessions.get_session(_token_hash(session.token))
    return row is not None and row["expires_at"] > now and row["role"] == session.role


def resume_session(token: str, now: float | None = None) -> Session | None:
    """The live session a token (e.g. from the browser's cookie after a reload) belongs to, or None."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = sessions.get_session(_token_hash(token))
    now = time.time() if now is None else now
    if row is None or row["expires_at"] <= now:
        return None
    return _session_from_row(token, row)


def sign_out(session: Session) -> None:
    """End the session in the database (a copied token stops working too)."""
    if sessions.revoke_session(_token_hash(session.token)):
        audit.append_audit("auth.sign_out", org_id=session.org_id, actor_user_id=session.user_id,
                           target=session.user_id)
        log.info("accounts: user %s signed out", session.user_id)


# --- organisations and members ------------------------------------------------------------------

def create_organisation_with_admin(org_name: str, email: str, password: str) -> tuple[str, str]:
    """Create an organisation and its first admin; returns (org_id, user_id)."""
    name = (org_name or "").strip()
    if not 1 <= len(name) <= 200:
        raise InvalidRequestError("an organisation name has 1 to 200 characters")
    password_hash = hash_password(password)
    org_id = organisations.create_organisation(name)
    user_id = organisations.create_user(org_id, _check_email(email), "admin", password_hash)
    audit.append_audit("org.created", org_id=org_id, target=org_id)
    audit.append_audit("user.created", org_id=org_id, target=user_id, details={"role": "admin"})
    return org_id, user_id


def create_member(org_id: str, email: str, role: str, password: str, display_name: str | None = None) -> str:
    """Add a member with a role to an organisation; returns the user id."""
    password_hash = hash_password(password)
    user_id = organisations.create_user(org_id, _check_email(email), _check_role(role), password_hash,
                                        display_name=(display_name or "").strip() or None)
    audit.append_audit("user.created", org_id=org_id, target=user_id, details={"role": role})
    return user_id


def ensure_bootstrap_admin() -> str | None:
    """On a database without users, create the first org and admin; return its one-time password.

    The password is DG_ADMIN_PASSWORD when set (then None is returned: the operator knows it),
    else a random one returned for the launcher to print once. None when users already exist, also
    when another launcher starting at the same moment created the admin first.
    """
    if organisations.count_users() > 0:
        return None
    settings = get_settings()
    password = settings.admin_password or secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    try:
        email, password_hash = _check_email(settings.admin_email), hash_password(password)
    except InvalidRequestError as error:  # e.g. a DG_ADMIN_PASSWORD that is too short
        raise ConfigError(f"DG_ADMIN_EMAIL / DG_ADMIN_PASSWORD: {error}") from None
    if organisations.create_first_admin("DataGuardian", email, password_hash) is None:
        return None
    log.info("accounts: first admin account created")
    return None if settings.admin_password else password


# --- acting for a signed-in admin ---------------------------------------------------------------

def require_action(session: Session, action: str) -> None:
    """Raise PermissionDeniedError unless the session's role allows `action`."""
    if not role_allows(session.role, action):
        raise PermissionDeniedError(f"the {session.role} role may not {action.replace('_', ' ')}")


def list_members(session: Session) -> list[dict[str, Any]]:
    """Members of the session's organisation, each with `locked_until` (from some source) or None."""
    require_action(session, "manage_users")
    members = organisations.list_users(session.org_id)
    locks = throttle.locked_until([m["email"] for m in members])
    return [{**m, "locked_until": _iso_or_none(locks.get(m["email"]))} for m in members]


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def add_member(session: Session, email: str, role: str, password: str,
               display_name: str | None = None) -> str:
    """Add a member to the session's organisation; returns the user id."""
    require_action(session, "manage_users")
    user_id = create_member(session.org_id, email, role, password, display_name)
    audit.append_audit("user.added", org_id=session.org_id, actor_user_id=session.user_id, target=user_id,
                       details={"role": role})
    return user_id


def change_role(session: Session, user_id: str, role: str) -> None:
    """Give a member of the session's organisation another role (their sessions end)."""
    _check_other_member(session, user_id)
    if not organisations.update_user(session.org_id, user_id, role=_check_role(role)):
        raise InvalidRequestError(NO_SUCH_MEMBER)
    _audit_member(session, "user.role_changed", user_id, {"role": role})


def deactivate_member(session: Session, user_id: str) -> list[str]:
    """Stop a member of the session's organisation from signing in and from using the API.

    Their sessions end and every API key they created is revoked (each revocation audited); returns
    the ids of those keys. Reactivating the member later does not bring the keys back.
    """
    _check_other_member(session, user_id)
    revoked = organisations.deactivate_user(session.org_id, user_id)
    if revoked is None:
        raise InvalidRequestError(NO_SUCH_MEMBER)
    _audit_member(session, "user.deactivated", user_id, {"active": False, "api_keys_revoked": len(revoked)})
    for key_id in revoked:
        audit.append_audit("api_key.revoked", org_id=session.org_id, actor_user_id=session.user_id,
                           target=key_id, details={"reason": "member deactivated", "user_id": str(user_id)})
    return revoked


def reactivate_member(session: Session, user_id: str) -> None:
    """Let a deactivated member sign in again; the API keys revoked with the deactivation stay revoked."""
    _check_other_member(session, user_id)
    if not organisations.update_user(session.org_id, user_id, active=True):
        raise InvalidRequestError(NO_SUCH_MEMBER)
    _audit_member(session, "user.reactivated", user_id, {"active": True})


def unlock_member(session: Session, user_id: str) -> int:
    """Lift a member's sign-in locks at every source (audited); how many sources had them locked."""
    require_action(session, "manage_users")
    member = _member(session, user_id)
    cleared = throttle.unlock(member["email"])
    _audit_member(session, "user.unlocked", user_id, {"locks_cleared": cleared})
    return cleared


def reset_member_password(session: Session, user_id: str) -> str:
    """Give another member a new random password, returned once for the admin to pass on.

    The member's sessions end and their sign-in locks are lifted; the reset is audited (never the
    password). Their API keys stay: a reset is not a deactivation.
    """
    _check_other_member(session, user_id)
    member = _member(session, user_id)
    password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    ended = organisations.set_password(session.org_id, user_id, hash_password(password))
    if ended is None:
        raise InvalidRequestError(NO_SUCH_MEMBER)
    cleared = throttle.unlock(member["email"])
    _audit_member(session, "user.password_reset", user_id,
                  {"sessions_ended": ended, "locks_cleared": cleared})
    log.info("accounts: admin %s reset the password of user %s", session.user_id, user_id)
    return password


def change_own_password(session: Session, current: str, new: str, source: str | None = None) -> int:
    """Change the signed-in user's password, given the current one typed at client address `source`.

    The check of the current password is throttled like a sign-in (a borrowed session cannot guess
    it). Every other session of the user ends; returns how many did. Audited, never the passwords.
    """
    if not session_valid(session):
        raise PermissionDeniedError("your sign-in has ended; sign in again first")
    if (new or "") == (current or ""):
        raise InvalidRequestError("the new password must differ from the current one")
    new_hash = hash_password(new)
    attempt = throttle.begin(session.email, source)
    if attempt.locked:
        raise AccountLockedError(throttle.locked_message())
    user = organisations.get_user(session.org_id, session.user_id)
    if user is None or not _verify(user["password_hash"], current or ""):
        raise _failure(attempt, session.org_id, session.user_id, "wrong current password",
                       message="the current password is not right")
    throttle.succeeded(attempt)
    ended = organisations.set_password(session.org_id, session.user_id, new_hash,
                                       keep_session=_token_hash(session.token))
    audit.append_audit("user.password_changed", org_id=session.org_id, actor_user_id=session.user_id,
                       target=session.user_id, details={"sessions_ended": ended or 0})
    log.info("accounts: user %s changed their password", session.user_id)
    return ended or 0


def _check_other_member(session: Session, user_id: str) -> None:
    require_action(session, "manage_users")
    if str(user_id) == session.user_id:
        # an admin demoting or deactivating themselves could leave the organisation without one
        raise PermissionDeniedError("you cannot change your own account here; ask another admin")


def _member(session: Session, user_id: str) -> dict[str, Any]:
    member = organisations.get_user(session.org_id, user_id)
    if member is None:
        raise InvalidRequestError(NO_SUCH_MEMBER)
    return member


def _audit_member(session: Session, action: str, user_id: str, details: dict[str, Any]) -> None:
    audit.append_audit(action, org_id=session.org_id, actor_user_id=session.user_id, target=str(user_id),
                       details=details)


def create_api_key(session: Session, name: str) -> tuple[str, str]:
    """Create an API key for the session's organisation; returns (key id, key) - the key shown once."""
    require_action(session, "manage_keys")
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise InvalidRequestError("a key name has 1 to 100 characters")
    key_id, key = api_keys.create_api_key(session.org_id, name, user_id=session.user_id)
    audit.append_audit("api_key.created", org_id=session.org_id, actor_user_id=session.user_id, target=key_id)
    return key_id, key


def list_api_keys(session: Session) -> list[dict[str, Any]]:
    """The session organisation's API keys (prefix, name, dates; never the key or its hash)."""
    require_action(session, "manage_keys")
    return api_keys.list_api_keys(session.org_id)


def revoke_api_key(session: Session, key_id: str) -> None:
    """Revoke one of the session organisation's keys."""
    require_action(session, "manage_keys")
    if not api_keys.revoke_api_key(key_id, org_id=session.org_id):
        raise InvalidRequestError("no such live key in your organisation")
    audit.append_audit("api_key.revoked", org_id=session.org_id, actor_user_id=session.user_id, target=key_id)
