"""API-key authentication: `Authorization: Bearer <key>` or `X-API-Key: <key>`, one organisation per key.

Keys are looked up by hash (utils.database_manager.find_api_key), so a revoked or unknown key is simply
not found. Key use is written to the audit log at most once per key per AUDIT_EVERY_S in each process:
a client polling a scan every second would otherwise write an audit row every second.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import g, request

from utils import database_manager
from utils.errors import AuthenticationError

AUDIT_EVERY_S = 300.0
MAX_KEY_CHARS = 200  # real keys are 47 characters; anything longer is not worth hashing


class UnauthorizedError(AuthenticationError):
    """No API key, or one that is unknown or revoked. HTTP 401."""

    http_status = 401


@dataclass(frozen=True)
class Caller:
    """The organisation (and the user who made the key) behind a request."""

    key_id: str
    org_id: str
    user_id: str | None


class KeyAuditor:
    """Remembers when each key's use was last audited in this process."""

    def __init__(self, db: database_manager.Database | None) -> None:
        self.db = db
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def used(self, caller: Caller) -> None:
        """Audit the key's use unless it was audited less than AUDIT_EVERY_S ago."""
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(caller.key_id, -AUDIT_EVERY_S) < AUDIT_EVERY_S:
                return
            self._last[caller.key_id] = now
        database_manager.append_audit("api_key.used", org_id=caller.org_id, actor_user_id=caller.user_id,
                                      target=caller.key_id, details={"path": request.path}, db=self.db)


def presented_key() -> str | None:
    """The key in the request headers, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-API-Key", "").strip() or None


def authenticate(db: database_manager.Database | None, auditor: KeyAuditor) -> Caller:
    """The caller of this request (also kept in `g.caller`), or UnauthorizedError."""
    key = presented_key()
    if key is None:
        raise UnauthorizedError("an API key is required: Authorization: Bearer <key> or X-API-Key")
    record = database_manager.find_api_key(key, db=db) if len(key) <= MAX_KEY_CHARS else None
    if record is None:
        raise UnauthorizedError("the API key is unknown or revoked")
    user = record.get("user_id")
    caller = Caller(str(record["id"]), str(record["org_id"]), None if user is None else str(user))
    g.caller = caller
    auditor.used(caller)
    return caller


def current_caller() -> Caller:
    """The authenticated caller of this request."""
    caller: Caller = g.caller
    return caller
