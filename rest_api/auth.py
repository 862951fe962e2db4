"""API-key authentication: `Authorization: Bearer <key>` or `X-API-Key: <key>`, one organisation per key.

Keys are looked up by hash (utils.repositories.api_keys.find_api_key), so a revoked or unknown key is simply
not found. Key use is written to the audit log at most once per key per AUDIT_EVERY_S in each process:
a client polling a scan every second would otherwise write an audit row every second.

Requests without a valid key are counted per client address (`DG_API_AUTH_FAILURE_LIMIT`) in
flask-limiter's Redis storage; an address over the limit is answered 429 before its key is looked up.
The client address is the last X-Forwarded-For entry when the request came from nginx on loopback
(nginx appends the address it saw, so what a client writes into the header itself comes earlier).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import g, request
from flask_limiter import Limiter
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from services.sign_in_throttle import source_key
from utils import database_manager
from utils.errors import AuthenticationError, ConfigError
from utils.redis_keys import KEY_RATE_LIMIT_AUTH_FAILED, KEY_RATE_LIMIT_PREFIX
from utils.repositories import api_keys, audit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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
        audit.append_audit("api_key.used", org_id=caller.org_id, actor_user_id=caller.user_id,
                           target=caller.key_id, details={"path": request.path}, db=self.db)


def presented_key() -> str | None:
    """The key in the request headers, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-API-Key", "").strip() or None


class NginxProxyFix:
    """WSGI middleware: the client address from nginx's X-Forwarded-For, trusted only from loopback.

    nginx runs on this host and appends the address it saw as the last entry (`ProxyFix(x_for=1)`
    takes that one). A request from anywhere else did not come through our nginx: its header is
    ignored and the peer address stands.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.direct = app
        self.proxied = ProxyFix(app, x_for=1, x_proto=1)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve the request, from nginx's point of view when nginx sent it."""
        app = self.proxied if _is_loopback(environ.get("REMOTE_ADDR")) else self.direct
        return app(environ, start_response)


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


class FailedAuthLimit:
    """Requests without a valid key, per client address, in the app's flask-limiter storage."""

    def __init__(self, limiter: Limiter, limit: str) -> None:
        try:
            self.item: RateLimitItem = parse(limit)
        except ValueError:
            raise ConfigError(f"DG_API_AUTH_FAILURE_LIMIT: {limit!r} is not a rate limit like 10/minute") \
                from None
        self.limiter = limiter  # its storage exists once init_app has run; used per request only

    def _identifiers(self) -> tuple[str, str]:
        address = source_key(request.remote_addr)  # an IPv6 client by its /64, as for sign-ins
        return KEY_RATE_LIMIT_PREFIX, KEY_RATE_LIMIT_AUTH_FAILED.format(address=address)

    def check(self) -> None:
        """Raise 429 (with Retry-After) when this client address used up its failures."""
        identifiers = self._identifiers()
        strategy = self.limiter.limiter
        if strategy.test(self.item, *identifiers):
            return
        reset_at = strategy.get_window_stats(self.item, *identifiers).reset_time
        raise TooManyRequests(f"{self.item} requests without a valid API key per client address",
                              retry_after=max(1, math.ceil(reset_at - time.time())))

    def failed(self) -> None:
        """Count a request of this client address that had no valid key."""
        self.limiter.limiter.hit(self.item, *self._identifiers())


def authenticate(db: database_manager.Database | None, auditor: KeyAuditor,
                 failures: FailedAuthLimit | None = None) -> Caller:
    """The caller of this request (also kept in `g.caller`), or UnauthorizedError.

    With `failures`, a client address over its limit is refused (429) before the key is looked up,
    and every request without a valid key counts against it.
    """
    if failures is not None:
        failures.check()
    try:
        return _caller(db, auditor)
    except UnauthorizedError:
        if failures is not None:
            failures.failed()
        raise


def _caller(db: database_manager.Database | None, auditor: KeyAuditor) -> Caller:
    key = presented_key()
    if key is None:
        raise UnauthorizedError("an API key is required: Authorization: Bearer <key> or X-API-Key")
    record = api_keys.find_api_key(key, db=db) if len(key) <= MAX_KEY_CHARS else None
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
