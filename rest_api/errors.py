"""Every error of the API as JSON `{"error": {"code", "message"}}` with the status it deserves.

Our named errors carry their HTTP status (utils/errors.py) and a message that names no scanned value;
werkzeug's HTTP errors (404, 405, 413, 429, …) keep their status with a stable code; anything else is
a 500 whose message says nothing about the cause (the stack frames go to the log, the exception's
message nowhere).
"""

from __future__ import annotations

import logging
import math
import re
import traceback
from typing import Any

import psycopg2
import redis
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from utils.errors import DataGuardianError

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "request_too_large", 415: "unsupported_media_type",
    429: "rate_limited", 503: "service_unavailable",
}
HTTP_MESSAGES = {
    404: "no such endpoint", 405: "method not allowed on this endpoint",
    413: "request body is over the size limit", 500: "internal error; see the API log",
}


def error_response(status: int, code: str, message: str) -> tuple[Response, int]:
    """The one shape of every error body."""
    return jsonify({"error": {"code": code, "message": message}}), status


def error_code(error: DataGuardianError) -> str:
    """`ScannerNotAvailableError` -> `scanner_not_available`: stable codes from the class names."""
    name = type(error).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() or "error"


def _named(error: DataGuardianError) -> tuple[Response, int]:
    status = int(getattr(error, "http_status", 500))
    if status >= 500:
        log.warning("api: %s answered %d: %s", type(error).__name__, status, error)
    response, status = error_response(status, error_code(error), str(error))
    if status == 503:
        response.headers["Retry-After"] = str(_retry_after_s(error))
    return response, status


def _retry_after_s(error: Exception) -> int:
    """Whole seconds until asking again makes sense: the error's own hint, else one second."""
    hint = getattr(error, "retry_after_s", None)
    return max(1, math.ceil(hint)) if isinstance(hint, int | float) and math.isfinite(hint) else 1


def _http(error: HTTPException) -> Any:
    status = error.code or 500
    if error.response is not None and status != 429:
        return error.response
    message = HTTP_MESSAGES.get(status) or error.description or error.name
    if status == 429:
        message = f"rate limit exceeded ({error.description}); retry later"
    response, status = error_response(status, HTTP_CODES.get(status, "error"), message)
    for name, value in error.get_headers():  # Allow on 405, Retry-After on 429, …
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _unavailable(error: Exception) -> tuple[Response, int]:
    # the store's own message can quote values; only the kind of failure is reported
    log.warning("api: backing store unavailable: %s", type(error).__name__)
    response, status = error_response(503, "service_unavailable",
                                      "a backing service (Redis or PostgreSQL) is unavailable")
    response.headers["Retry-After"] = str(_retry_after_s(error))
    return response, status


def _unexpected(error: Exception) -> tuple[Response, int]:
    # the frames say where; the message is withheld because a library's message can quote data
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("api: unexpected %s on %s %s (message withheld)\n%s", type(error).__name__, request.method,
              request.path, frames)
    return error_response(500, "internal_error", HTTP_MESSAGES[500])


def register(app: Flask) -> None:
    """Install the JSON error handlers on `app`."""
    app.register_error_handler(DataGuardianError, _named)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(redis.RedisError, _unavailable)
    app.register_error_handler(psycopg2.OperationalError, _unavailable)
    app.register_error_handler(Exception, _unexpected)
