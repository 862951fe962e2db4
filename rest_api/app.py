"""The REST API's Flask app factory: blueprint, API-key auth, size limits, per-key rate limit, JSON errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from rest_api import errors
from rest_api.auth import FailedAuthLimit, KeyAuditor, NginxProxyFix, authenticate
from rest_api.browser_session import ENDPOINTS as SESSION_ENDPOINTS
from rest_api.browser_session import session_api
from rest_api.json_body import StrictJSONProvider
from rest_api.routes import PUBLIC_ENDPOINTS, api
from services.scan_service import ScanService
from utils import database_manager
from utils.config import Settings, get_settings
from utils.redis_keys import KEY_RATE_LIMIT_PREFIX

log = logging.getLogger(__name__)

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around an upload of the largest size
UPLOAD_ENDPOINT = "api.upload"
# no API key: health probes, the OpenAPI document, Stripe's webhook, and the UI's session cookie
OPEN_ENDPOINTS = PUBLIC_ENDPOINTS | SESSION_ENDPOINTS


def create_app(settings: Settings | None = None, service: ScanService | None = None,
               db: database_manager.Database | None = None) -> Flask:
    """The API app; `settings`, `service` and `db` default to the process-wide ones."""
    settings = settings or get_settings()
    db = db or database_manager.get_database()
    service = service or ScanService(settings, db=db)
    app = Flask(__name__)
    app.json = StrictJSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + MULTIPART_OVERHEAD
    app.extensions["dg_scan_service"] = service
    app.extensions["dg_health"] = _health_check(service, db)
    limiter = _limiter(settings)
    failures = FailedAuthLimit(limiter, settings.api_auth_failure_limit)
    # before the limiter: it keys on the caller, and failed authentications are refused before it
    app.before_request(_guard(settings, db, KeyAuditor(db), failures))
    limiter.init_app(app)
    app.wsgi_app = NginxProxyFix(app.wsgi_app)  # type: ignore[method-assign]  # as Flask documents it
    app.register_blueprint(api)
    app.register_blueprint(session_api)
    errors.register(app)
    return app


def _guard(settings: Settings, db: database_manager.Database | None, auditor: KeyAuditor,
           failures: FailedAuthLimit) -> Callable[[], None]:
    def guard() -> None:
        if request.endpoint != UPLOAD_ENDPOINT:
            # only uploads may be large: a JSON body over the job-request limit is refused unread
            request.max_content_length = settings.max_request_bytes
        if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
            return  # unknown paths fall through to the JSON 404/405
        authenticate(db, auditor, failures)

    return guard


def _rate_key() -> str:
    caller = g.get("caller")
    return f"key:{caller.key_id}" if caller is not None else f"ip:{get_remote_address()}"


def _limiter(settings: Settings) -> Limiter:
    # open endpoints (health probes, the OpenAPI document, Stripe's retries, the UI's session cookie) are not
    # rate limited here: they have no key; nginx limits each client address
    return Limiter(_rate_key, default_limits=[settings.api_rate_limit], headers_enabled=True,
                   storage_uri=settings.effective_redis_url(), key_prefix=KEY_RATE_LIMIT_PREFIX,
                   strategy="moving-window",
                   default_limits_exempt_when=lambda: request.endpoint in OPEN_ENDPOINTS)


def _health_check(service: ScanService, db: database_manager.Database | None) -> Callable[[], dict[str, str]]:
    def check() -> dict[str, str]:
        return {"redis": _probe(lambda: service.manager.queue.redis.ping()),
                "postgres": _probe(lambda: _select_one(db))}

    return check


def _select_one(db: database_manager.Database | None) -> None:
    with (db or database_manager.get_database()).transaction() as cur:
        cur.execute("SELECT 1")


def _probe(call: Callable[[], Any]) -> str:
    try:
        call()
    except Exception as error:  # any failure of a backing store means "not ok", with its kind
        return f"unavailable ({type(error).__name__})"
    return "ok"
