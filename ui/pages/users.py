"""Users (admins): the organisation's members; add one with a role, change a role, deactivate,
unlock a member's sign-in, reset a member's password (a one-time password shown once)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from services import accounts
from services.accounts import ROLES, Session
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError


def _member_rows(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"e-mail": m["email"], "name": m["display_name"] or "", "role": m["role"],
             "active": m["active"], "last sign-in": m["last_login_at"] or "never",
             "locked until": m["locked_until"] or ""} for m in members]


def _add_form(session: Session) -> None:
    with st.form("add_member", clear_on_submit=True):
        st.subheader("Add a member")
        email = st.text_input("E-mail address")
        name = st.text_input("Name (optional)")
        role = st.selectbox("Role", ROLES, index=ROLES.index("analyst"))
        password = st.text_input("Initial password", type="password",
                                 help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters; "
                                      "give it to the member over another channel.")
        if st.form_submit_button("Add member", type="primary"):
            _report(lambda: accounts.add_member(session, email, role, password, name),
                    f"{email} added as {role}.")


def _change_form(session: Session, others: list[dict[str, Any]]) -> None:
    st.subheader("Change a member")
    if not others:
        st.caption("No other members yet.")
        return
    labels = {m["id"]: f"{m['email']} ({m['role']}{'' if m['active'] else ', deactivated'})" for m in others}
    user_id = st.selectbox("Member", list(labels), format_func=labels.__getitem__, key="member")
    role = st.selectbox("New role", ROLES, key="new_role")
    role_button, deactivate, reactivate, unlock, reset = st.columns(5)
    if role_button.button("Change role", key="change_role"):
        _report(lambda: accounts.change_role(session, user_id, role), "Role changed; their sign-ins ended.")
    if deactivate.button("Deactivate", key="deactivate"):
        _report(lambda: accounts.deactivate_member(session, user_id),
                "Member deactivated: their sign-ins ended and their API keys are revoked.")
    if reactivate.button("Reactivate", key="reactivate"):
        _report(lambda: accounts.reactivate_member(session, user_id),
                "Member reactivated. API keys revoked when they were deactivated stay revoked.")
    if unlock.button("Unlock sign-in", key="unlock"):
        _report(lambda: accounts.unlock_member(session, user_id), "Sign-in unlocked.")
    if reset.button("Reset password", key="reset_password"):
        _reset_password(session, user_id)


def _reset_password(session: Session, user_id: str) -> None:
    try:
        password = accounts.reset_member_password(session, user_id)
    except DataGuardianError as error:
        st.error(literal(error))
        return
    # shown in this run only, never kept in session state; only its hash is stored
    st.success("Password reset and the member's sign-ins ended. Give them this one-time password over "
               "another channel (it is shown only this once) and ask them to change it under My account.")
    st.code(password, language=None)


def _report(action: Any, success: str) -> None:
    try:
        action()
    except DataGuardianError as error:
        st.error(literal(error))
    else:
        st.success(literal(success))


session = require("manage_users")
st.title("Users")
st.caption(f"Members of {literal(session.org_name)}. Admins manage members, keys and billing; analysts run "
           "scans; viewers read results.")
_add_form(session)
_change_form(session, [m for m in accounts.list_members(session) if str(m["id"]) != session.user_id])
st.subheader("Members")
st.dataframe(_member_rows(accounts.list_members(session)), hide_index=True)
