"""My account: who is signed in, in which organisation, with which role, until when."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from services.accounts import ACTIONS, role_allows
from ui.components.text import literal
from ui.session import require

session = require("view")
st.title("My account")
st.markdown(f"**{literal(session.display_name or session.email)}** ({literal(session.email)})")
st.markdown(f"Organisation: **{literal(session.org_name)}** · role: **{literal(session.role)}**")
expires = datetime.fromtimestamp(session.expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
st.caption(f"This sign-in ends at {literal(expires)}.")
st.subheader("What your role allows")
st.dataframe([{"action": action.replace("_", " "), "allowed": role_allows(session.role, action)}
              for action in ACTIONS], hide_index=True)
