"""My account: who is signed in, in which organisation, with which role, until when; change my password."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from services import accounts
from services.accounts import ACTIONS, Session, role_allows
from ui.components.text import literal
from ui.session import client_address, require
from utils.errors import DataGuardianError


def _password_form(session: Session) -> None:
    # clear_on_submit: the browser empties the three fields after each attempt
    with st.form("change_password", clear_on_submit=True):
        st.subheader("Change my password")
        current = st.text_input("Current password", type="password", autocomplete="current-password",
                                key="current_password")
        new = st.text_input("New password", type="password", autocomplete="new-password", key="new_password",
                            help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters.")
        repeated = st.text_input("New password again", type="password", autocomplete="new-password",
                                 key="new_password_again")
        if not st.form_submit_button("Change password", type="primary"):
            return
    if new != repeated:
        st.error("The new password and its repetition differ.")
        return
    try:
        ended = accounts.change_own_password(session, current, new, client_address())
    except DataGuardianError as error:
        st.error(literal(error))
        return
    st.success(f"Password changed. Your other sign-ins ended ({int(ended)}).")


session = require("view")
st.title("My account")
st.markdown(f"**{literal(session.display_name or session.email)}** ({literal(session.email)})")
st.markdown(f"Organisation: **{literal(session.org_name)}** · role: **{literal(session.role)}**")
expires = datetime.fromtimestamp(session.expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
st.caption(f"This sign-in ends at {literal(expires)}.")
st.subheader("What your role allows")
st.dataframe([{"action": action.replace("_", " "), "allowed": role_allows(session.role, action)}
              for action in ACTIONS], hide_index=True)
_password_form(session)
