"""DataGuardian Pro UI (Streamlit): `streamlit run app.py` (the launcher runs it behind nginx).

A sign-in gate, then `st.navigation` over the pages the user's role may open (ui/navigation.py),
with who is signed in, their organisation and role, and sign-out in the sidebar. A reload resumes
the sign-in from its cookie (ui/session.py).
"""

from __future__ import annotations

import streamlit as st

from ui.components.text import literal
from ui.navigation import build_navigation
from ui.session import current_session, sign_out, write_cookie

# an emoji icon is drawn in the page (a data: URL); a :material/ icon would be fetched from Google
st.set_page_config(page_title="DataGuardian Pro", page_icon="\N{SHIELD}", layout="wide")

session = current_session()
page = build_navigation(session)
if session is not None:
    with st.sidebar:
        st.markdown(f"**{literal(session.display_name or session.email)}**")
        st.caption(f"{literal(session.org_name)} · {literal(session.role)}")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            sign_out()
            st.rerun()
write_cookie(session)
page.run()
