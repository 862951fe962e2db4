"""The signed-in user of this browser session: the gate every page passes through.

The `Session` lives in `st.session_state["dg_session"]` and is checked against the database on every
run, so a sign-out elsewhere, an expiry, a deactivation or a role change takes effect at the next click.
A Streamlit session ends when the browser reloads the page, so the token is also kept in a
`SameSite=Strict` cookie (set by a script, Streamlit has no cookie API) and a new session resumes from
it; the database decides whether it is still valid, so a signed-out token resumes nothing.
"""

from __future__ import annotations

import time

import streamlit as st

from services import accounts
from services.accounts import Session
from utils.errors import (
    AccountLockedError,
    DatabaseUnavailableError,
    DataGuardianError,
    InvalidCredentialsError,
)

SESSION_KEY = "dg_session"
NOTICE_KEY = "dg_notice"  # a message for the sign-in form after a session ended
COOKIE_NAME = "dg_session"
COOKIE_ACTION_KEY = "dg_cookie"  # "set" or "clear": the cookie change the next run writes


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
    """Set or clear the session cookie when a sign-in or sign-out asked for it (an invisible script)."""
    action = st.session_state.pop(COOKIE_ACTION_KEY, None)
    if action == "set" and session is not None:
        max_age = max(0, int(session.expires_at - time.time()))
        st.html(_cookie_script(session.token, max_age), unsafe_allow_javascript=True)
    elif action == "clear":
        st.html(_cookie_script("", 0), unsafe_allow_javascript=True)


def _cookie_script(value: str, max_age: int) -> str:
    secure = "; Secure" if (st.context.url or "").startswith("https:") else ""
    # the token is URL-safe base64 (no quote, semicolon or backslash): safe inside the JS string
    return (f"<script>document.cookie = '{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; "
            f"SameSite=Strict{secure}';</script>")


def require(action: str) -> Session:
    """The session if its role allows `action`; otherwise show the sign-in form or a refusal and stop."""
    session = current_session()
    if session is None:
        sign_in_form()
        st.stop()
    if not accounts.role_allows(session.role, action):
        st.error(f"Your role ({session.role}) does not give access to this page.")
        st.stop()
    return session


def sign_in_form() -> None:
    """The sign-in form; on success the session is stored and the app reruns with the user's pages."""
    st.title("DataGuardian Pro")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
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
        st.error(str(error))
        return
    except DataGuardianError as error:  # e.g. the database is unreachable
        st.error(f"Sign-in is unavailable right now: {error}")
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
