"""The signed-in user of this browser session: the gate every page passes through.

The `Session` lives in `st.session_state["dg_session"]` and is checked against the database on every
run, so a sign-out elsewhere, an expiry, a deactivation or a role change takes effect at the next click.
A Streamlit session ends when the browser reloads the page, so the token is also kept in an HttpOnly,
`SameSite=Strict` cookie and a new session resumes from it; the database decides whether it is still
valid, so a signed-out token resumes nothing. Streamlit cannot send Set-Cookie and page script cannot
write an HttpOnly cookie, so the REST API behind the same nginx sets and clears it: after a sign-in the
page posts a one-time ticket to it (services/browser_sessions.py, ui/page_scripts.py). Without nginx
and the API in front (the UI on its own port) a sign-in lasts until the page is reloaded.
"""

from __future__ import annotations

import functools
import logging

import redis
import streamlit as st

from services import accounts, browser_sessions
from services.accounts import Session
from ui import page_scripts
from ui.components.text import literal
from utils import ipc_manager
from utils.config import get_settings
from utils.errors import (
    AccountLockedError,
    DatabaseUnavailableError,
    DataGuardianError,
    InvalidCredentialsError,
)

log = logging.getLogger(__name__)

SESSION_KEY = "dg_session"
NOTICE_KEY = "dg_notice"  # a message for the sign-in form after a session ended
COOKIE_NAME = browser_sessions.COOKIE_NAME
COOKIE_ACTION_KEY = "dg_cookie"  # "set" or "clear": the cookie change the next run asks for


def current_session() -> Session | None:
    """The valid session of this browser, or None (an ended one is dropped with a notice)."""
    try:
        session = st.session_state.get(SESSION_KEY) or _resume_from_cookie()
        if session is None:
            return None
        valid = accounts.session_valid(session)
    except DatabaseUnavailableError:
        st.error("The account database is unreachable right now; please try again in a moment.")
        st.stop()
    if not valid:
        del st.session_state[SESSION_KEY]
        st.session_state[NOTICE_KEY] = "Your session has ended. Please sign in again."
        st.session_state[COOKIE_ACTION_KEY] = "clear"
        return None
    return session


def _resume_from_cookie() -> Session | None:
    # st.context.cookies are those the browser sent when this Streamlit session opened
    if st.session_state.get(COOKIE_ACTION_KEY) == "clear":
        return None
    session = accounts.resume_session(st.context.cookies.get(COOKIE_NAME) or "")
    if session is not None:
        st.session_state[SESSION_KEY] = session
    return session


def write_cookie(session: Session | None) -> None:
    """After a sign-in or sign-out, have the browser ask the REST API to set or clear the cookie."""
    action = st.session_state.pop(COOKIE_ACTION_KEY, None)
    if action == "set" and session is not None:
        ticket = _ticket(session)
        if ticket is not None:
            st.html(page_scripts.open_session_html(ticket), unsafe_allow_javascript=True)
    elif action == "clear":
        st.html(page_scripts.END_SESSION_HTML, unsafe_allow_javascript=True)


def _ticket(session: Session) -> str | None:
    """A one-time sign-in ticket for the session, or None when Redis cannot keep one right now."""
    try:
        return browser_sessions.issue_ticket(_redis(get_settings().effective_redis_url()), session.token)
    except redis.RedisError as error:  # the sign-in holds in this tab; after a reload it is asked for again
        log.warning("ui: no sign-in ticket for user %s (%s)", session.user_id, type(error).__name__)
        return None


@functools.lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return ipc_manager.connect(url)


def require(action: str) -> Session:
    """The session if its role allows `action`; otherwise show the sign-in form or a refusal and stop."""
    session = current_session()
    if session is None:
        sign_in_form()
        st.stop()
    if not accounts.role_allows(session.role, action):
        st.error(f"Your role ({literal(session.role)}) does not give access to this page.")
        st.stop()
    return session


def sign_in_form() -> None:
    """The sign-in form; on success the session is stored and the app reruns with the user's pages."""
    st.title("DataGuardian Pro")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(literal(notice))
    # clear_on_submit: the typed password does not stay in widget state after the attempt
    with st.form("sign_in", clear_on_submit=True):
        st.subheader("Sign in")
        email = st.text_input("E-mail address", key="sign_in_email", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        _attempt(email, password)


def client_address() -> str | None:
    """The browser's address for the sign-in throttle: nginx's view of it when nginx proxied us.

    nginx appends the address it saw to X-Forwarded-For, so the last entry is nginx's and whatever a
    client wrote into the header itself comes before it. The header is trusted only when our peer is
    loopback (Streamlit listens there for nginx); a direct peer elsewhere is its own address. None
    when neither is known (e.g. a local browser straight at Streamlit).
    """
    direct = st.context.ip_address  # None for a loopback peer: nginx, or a browser on this machine
    if direct is not None:
        return direct
    forwarded = st.context.headers.get("X-Forwarded-For") or ""
    return forwarded.rsplit(",", 1)[-1].strip() or None


def _attempt(email: str, password: str) -> None:
    try:
        st.session_state[SESSION_KEY] = accounts.sign_in(email, password, client_address())
    except (InvalidCredentialsError, AccountLockedError) as error:
        st.error(literal(error))
        return
    except DataGuardianError as error:  # e.g. the database is unreachable
        st.error(f"Sign-in is unavailable right now: {literal(error)}")
        return
    st.session_state[COOKIE_ACTION_KEY] = "set"
    st.rerun()


def sign_out() -> None:
    """End this browser's session and return to the sign-in form."""
    session = st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        accounts.sign_out(session)
    st.session_state[NOTICE_KEY] = "You have signed out."
    st.session_state[COOKIE_ACTION_KEY] = "clear"
