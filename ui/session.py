"""The signed-in user of this browser session: the gate every page passes through.

The `Session` lives in `st.session_state["dg_session"]` and is checked against the database on every
run, so a sign-out elsewhere, an expiry, a deactivation or a role change takes effect at the next click.
"""

from __future__ import annotations

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


def current_session() -> Session | None:
    """The valid session of this browser, or None (an ended one is dropped with a notice)."""
    session = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    try:
        valid = accounts.session_valid(session)
    except DatabaseUnavailableError:
        st.error("The account database is unreachable right now; please try again in a moment.")
        st.stop()
    if not valid:
        del st.session_state[SESSION_KEY]
        st.session_state[NOTICE_KEY] = "Your session has ended. Please sign in again."
        return None
    return session


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
        email = st.text_input("E-mail address", key="sign_in_email")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        _attempt(email, password)


def _attempt(email: str, password: str) -> None:
    try:
        st.session_state[SESSION_KEY] = accounts.sign_in(email, password)
    except (InvalidCredentialsError, AccountLockedError) as error:
        st.error(str(error))
        return
    except DataGuardianError as error:  # e.g. the database is unreachable
        st.error(f"Sign-in is unavailable right now: {error}")
        return
    st.rerun()


def sign_out() -> None:
    """End this browser's session and return to the sign-in form."""
    session = st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        accounts.sign_out(session)
    st.session_state[NOTICE_KEY] = "You have signed out."
