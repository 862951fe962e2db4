"""The browser's session cookie is set by the server, HttpOnly, from a one-time sign-in ticket.

The UI checks a password inside its Streamlit session, which has no way to send a Set-Cookie header,
and a cookie written by page script cannot be HttpOnly. So after a sign-in the UI issues a ticket:
256 random bits, kept in Redis only under its SHA-256, holding the session token sealed with a key
derived from the ticket (what sits in Redis reveals no token), for TICKET_TTL_S, redeemable once.
A script on the page posts the ticket to the REST API (rest_api/browser_session.py), which redeems it
and answers with `Set-Cookie: dg_session=<token>; HttpOnly; SameSite=Strict; Path=/`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

import redis

from utils.redis_keys import KEY_SESSION_TICKET

log = logging.getLogger(__name__)

COOKIE_NAME = "dg_session"  # read by the UI from the websocket handshake (st.context.cookies)
TICKET_TTL_S = 60.0  # the page posts the ticket as soon as it draws; a minute covers a slow browser
TICKET_BYTES = 32
MAX_TICKET_LENGTH = 64  # our tickets are 43 characters; anything longer is not one of ours
_SEAL_LABEL = b"dataguardian session ticket seal\0"


def issue_ticket(client: redis.Redis, token: str) -> str:
    """A new one-time ticket that redeems to `token` within TICKET_TTL_S."""
    ticket = secrets.token_urlsafe(TICKET_BYTES)
    _store(client, _digest(ticket), _seal(token.encode("ascii"), ticket).hex(), TICKET_TTL_S)
    return ticket


def redeem_ticket(client: redis.Redis, ticket: object) -> str | None:
    """The session token of a live ticket, which stops working now; None for anything else."""
    if not isinstance(ticket, str) or not ticket or len(ticket) > MAX_TICKET_LENGTH:
        return None
    sealed = _take(client, _digest(ticket))
    if sealed is None:
        return None
    try:
        return _seal(bytes.fromhex(sealed), ticket).decode("ascii")
    except (ValueError, UnicodeDecodeError):  # not written by issue_ticket
        log.warning("browser sessions: a stored sign-in ticket could not be opened")
        return None


def _store(client: redis.Redis, digest: str, sealed: str, ttl_s: float) -> None:
    """Keep a sealed session token under a ticket's digest for `ttl_s` seconds (never overwriting one)."""
    client.set(KEY_SESSION_TICKET.format(digest=digest), sealed, px=int(ttl_s * 1000), nx=True)


def _take(client: redis.Redis, digest: str) -> str | None:
    """The sealed token under a ticket's digest, deleted in the same step (a ticket works once)."""
    value = client.getdel(KEY_SESSION_TICKET.format(digest=digest))
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _digest(ticket: str) -> str:
    # tickets are 256-bit random values: a fast hash suffices, there is nothing to guess
    return hashlib.sha256(ticket.encode("utf-8")).hexdigest()


def _seal(data: bytes, ticket: str) -> bytes:
    """`data` XOR a keystream drawn from the ticket: its own inverse, and a one-time pad per ticket."""
    stream = hashlib.shake_256(_SEAL_LABEL + ticket.encode("utf-8")).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))
