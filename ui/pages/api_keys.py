"""API keys (admins): create one (shown once), list them by prefix, revoke."""

from __future__ import annotations

from typing import Any

import streamlit as st

from services import accounts
from services.accounts import Session
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError


def _create_form(session: Session) -> None:
    with st.form("create_key", clear_on_submit=True):
        st.subheader("Create a key")
        name = st.text_input("Name", placeholder="e.g. ci-pipeline")
        if not st.form_submit_button("Create key", type="primary"):
            return
    try:
        _, key = accounts.create_api_key(session, name)
    except DataGuardianError as error:
        st.error(literal(error))
        return
    # shown in this run only: it is not kept in session state and only its hash is stored
    st.success("Key created. Copy it now: it is shown only this once.")
    st.code(key, language=None)


def _key_rows(keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"name": k["name"], "prefix": k["prefix"] + "…", "created": k["created_at"],
             "last used": k["last_used_at"] or "never", "revoked": k["revoked_at"] or ""} for k in keys]


def _revoke_form(session: Session, keys: list[dict[str, Any]]) -> None:
    live = {str(k["id"]): f"{k['name']} ({k['prefix']}…)" for k in keys if not k["revoked_at"]}
    if not live:
        return
    st.subheader("Revoke a key")
    key_id = st.selectbox("Key", list(live), format_func=live.__getitem__, key="revoke_key_id")
    if st.button("Revoke", key="revoke"):
        try:
            accounts.revoke_api_key(session, key_id)
        except DataGuardianError as error:
            st.error(literal(error))
        else:
            st.success("Key revoked: requests with it are refused from now on.")


session = require("manage_keys")
st.title("API keys")
st.caption("Keys let the REST API and the CLI act for your organisation: "
           "send one as `Authorization: Bearer <key>`.")
_create_form(session)
_revoke_form(session, accounts.list_api_keys(session))
st.subheader("Keys")
keys = accounts.list_api_keys(session)
if keys:
    st.dataframe(_key_rows(keys), hide_index=True)
else:
    st.caption("No keys yet.")
