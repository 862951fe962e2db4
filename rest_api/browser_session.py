"""POST and DELETE /api/v1/session: the UI's session cookie, set and cleared by the server.

The cookie is HttpOnly (no page script can read it), SameSite=Strict, Path=/, and Secure when the
request reached nginx over https. POST redeems the one-time ticket the UI issued after a sign-in
(services/browser_sessions.py); DELETE ends the session the cookie names and clears it. Both answer
only the UI's own pages: a request another site's page makes (Sec-Fetch-Site, Origin) is refused,
so no site can sign a browser in to an account of its choosing.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import redis
from flask import Blueprint, Response, current_app, request

from services import accounts
from services.browser_sessions import COOKIE_NAME, redeem_ticket
from utils.errors import AuthenticationError, InvalidRequestError, PermissionDeniedError

session_api = Blueprint("browser_session", __name__, url_prefix="/api/v1")

ENDPOINTS = frozenset({"browser_session.open_session", "browser_session.end_session"})


@session_api.post("/session")
def open_session() -> Any:
    """Redeem a sign-in ticket (`{"ticket": …}`) for the HttpOnly session cookie; 204."""
    _refuse_other_sites()
    body = request.get_json(force=True, silent=True)
    ticket = body.get("ticket") if isinstance(body, dict) else None
    if not isinstance(ticket, str):
        raise InvalidRequestError("the body must be a JSON object with a string 'ticket'")
    token = redeem_ticket(_redis(), ticket)
    session = accounts.resume_session(token) if token else None
    if session is None:
        raise AuthenticationError("the sign-in ticket is unknown, used or expired")
    response = Response(status=204)
    max_age = max(0, int(session.expires_at - time.time()))
    response.set_cookie(COOKIE_NAME, session.token, max_age=max_age, **_cookie_attributes())
    return response


@session_api.delete("/session")
def end_session() -> Any:
    """Sign out the session the cookie names (if it is still live) and clear the cookie; 204."""
    _refuse_other_sites()
    session = accounts.resume_session(request.cookies.get(COOKIE_NAME, ""))
    if session is not None:
        accounts.sign_out(session)
    response = Response(status=204)
    response.delete_cookie(COOKIE_NAME, **_cookie_attributes())
    return response


def _cookie_attributes() -> dict[str, Any]:
    # nginx overwrites X-Forwarded-Proto with the scheme the browser used; the API listens on loopback only
    secure = request.is_secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
    return {"path": "/", "httponly": True, "samesite": "Strict", "secure": secure}


def _refuse_other_sites() -> None:
    """PermissionDeniedError unless the request comes from a page of this host (or from no browser)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        raise PermissionDeniedError("session requests are accepted from this site's own pages only")
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).hostname != urlsplit(f"//{request.host}").hostname:
        raise PermissionDeniedError("session requests are accepted from this site's own pages only")


def _redis() -> redis.Redis:
    client: redis.Redis = current_app.extensions["dg_scan_service"].manager.queue.redis
    return client
