"""The UI's session cookie from the REST API (issue 13 item 12): Flask test client on real Redis and
PostgreSQL. A one-time ticket becomes an HttpOnly, SameSite=Strict cookie; nothing else does."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import redis
from flask.testing import FlaskClient

from services import accounts, browser_sessions
from tests.rest_api.stack import Tenant
from utils import database_manager
from utils.redis_keys import KEY_SESSION_TICKET
from utils.repositories import sessions

SESSION = "/api/v1/session"
FROM_THE_UI = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
TICKET_KEYS = KEY_SESSION_TICKET.format(digest="*")


def _signed_in(tenant: Tenant, db: database_manager.Database) -> accounts.Session:
    """A live UI session of the tenant's user, as a sign-in opens one."""
    token = secrets.token_urlsafe(32)
    sessions.create_session(tenant.user_id, hashlib.sha256(token.encode()).hexdigest(),
                            time.time() + 3600, db=db)
    session = accounts.resume_session(token)
    assert session is not None
    return session


def _cookie_header(response: Any) -> str:
    headers = [v for k, v in response.headers.items() if k.lower() == "set-cookie"]
    assert len(headers) == 1, headers
    return str(headers[0])


def test_a_ticket_becomes_an_http_only_cookie_once(client: FlaskClient, org_a: Tenant, db: Any,
                                                   redis_client: redis.Redis) -> None:
    session = _signed_in(org_a, db)
    ticket = browser_sessions.issue_ticket(redis_client, session.token)
    stored = [str(redis_client.get(key)) for key in redis_client.scan_iter(TICKET_KEYS)]
    assert len(stored) == 1 and session.token not in stored[0] and ticket not in stored[0]

    opened = client.post(SESSION, json={"ticket": ticket}, headers=FROM_THE_UI)
    assert opened.status_code == 204, opened.get_data(as_text=True)
    cookie = _cookie_header(opened)
    assert cookie.startswith(f"dg_session={session.token};")
    attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
    assert {"HttpOnly", "Path", "Max-Age", "SameSite"} <= attributes and "Secure" not in attributes
    assert "SameSite=Strict" in cookie and "Path=/;" in cookie + ";"
    assert 3500 < int(cookie.split("Max-Age=")[1].split(";")[0]) <= 3600

    again = client.post(SESSION, json={"ticket": ticket}, headers=FROM_THE_UI)
    assert again.status_code == 401 and "set-cookie" not in {k.lower() for k, _ in again.headers.items()}

    second = browser_sessions.issue_ticket(redis_client, session.token)
    over_https = client.post(SESSION, json={"ticket": second},
                             headers={**FROM_THE_UI, "X-Forwarded-Proto": "https"})
    assert over_https.status_code == 204 and "; Secure" in _cookie_header(over_https)


def test_expired_foreign_and_malformed_tickets_set_nothing(client: FlaskClient, org_a: Tenant, db: Any,
                                                           redis_client: redis.Redis) -> None:
    session = _signed_in(org_a, db)
    ticket = browser_sessions.issue_ticket(redis_client, session.token)
    # another site's page: refused before the ticket is touched, so the real page can still use it
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "http://evil.example"}, {"Origin": "null"}):
        refused = client.post(SESSION, json={"ticket": ticket}, headers=headers)
        assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "permission_denied"
    for body in ({"ticket": "x" * 5000}, {"ticket": secrets.token_urlsafe(32)}, {"ticket": ""}):
        assert client.post(SESSION, json=body, headers=FROM_THE_UI).status_code == 401
    for malformed in ({}, {"ticket": 7}, ["ticket"]):
        assert client.post(SESSION, json=malformed, headers=FROM_THE_UI).status_code == 400
    for key in redis_client.scan_iter(TICKET_KEYS):
        redis_client.pexpire(key, 1)  # as if the minute had passed
    time.sleep(0.05)
    assert client.post(SESSION, json={"ticket": ticket}, headers=FROM_THE_UI).status_code == 401

    accounts.sign_out(session)  # a ticket of a session that ended meanwhile opens nothing
    late = browser_sessions.issue_ticket(redis_client, session.token)
    assert client.post(SESSION, json={"ticket": late}, headers=FROM_THE_UI).status_code == 401


def test_delete_ends_the_cookies_session_and_clears_it(client: FlaskClient, org_a: Tenant, db: Any) -> None:
    session = _signed_in(org_a, db)
    client.set_cookie("dg_session", session.token)
    assert client.delete(SESSION, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert accounts.session_valid(session)
    ended = client.delete(SESSION, headers=FROM_THE_UI)
    assert ended.status_code == 204
    cookie = _cookie_header(ended)
    assert cookie.startswith("dg_session=;") and "HttpOnly" in cookie and "Max-Age=0" in cookie
    assert not accounts.session_valid(session)
    assert client.delete(SESSION).status_code == 204  # no cookie, nothing to end: still cleared
