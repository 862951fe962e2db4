"""History: the organisation's scans from PostgreSQL, with search and paging."""

from __future__ import annotations

from typing import Any

import streamlit as st

from services.scan_service import get_scan_service
from ui.components.progress import DETAIL_PAGE, page_link
from ui.components.scores import risk_text, score_of
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError

PAGE_SIZES = (25, 50, 100)
PAGE_KEY = "history_page"
TABLE_KEY = "history_table"


def _rows(scans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"created": str(s.get("created_at") or "")[:19].replace("T", " "), "scanner": s.get("scanner"),
             "state": s.get("job_state"), "status": s.get("status"), "score": score_of(s),
             "risk": risk_text(s), "id": s["job_id"]}
            for s in scans]


def _table(rows: list[dict[str, Any]]) -> None:
    """The page of scans; selecting a row offers its detail page (in this tab, so still signed in)."""
    event = st.dataframe(rows, hide_index=True, width="stretch", key=TABLE_KEY, on_select="rerun",
                         selection_mode="single-row",
                         column_config={"score": st.column_config.NumberColumn("score", format="%d")})
    chosen = [rows[i] for i in event.selection.rows if i < len(rows)]
    if chosen:
        row = chosen[0]
        page_link(DETAIL_PAGE, f"Open the {row['scanner']} scan of {row['created']}", {"job": row["id"]})
    else:
        st.caption("Select a row to open its scan.")


def _reset_page() -> None:
    st.session_state[PAGE_KEY] = 0


session = require("view")
st.title("Scan history")
search_col, size_col = st.columns([3, 1])
search = search_col.text_input("Search (scanner, state, status or scan id)", key="history_search",
                               on_change=_reset_page)
size = size_col.selectbox("Per page", PAGE_SIZES, key="history_size", on_change=_reset_page)
page = int(st.session_state.setdefault(PAGE_KEY, 0))

try:
    # one row more than a page tells whether a next page exists without counting the table
    scans = get_scan_service().history(session.org_id, limit=size + 1, offset=page * size,
                                       search=search.strip() or None)
except DataGuardianError as error:
    st.error(literal(error))
    st.stop()

if not scans:
    st.info("No scans match." if search or page else "No scans yet: start one on the New scan page.")
else:
    _table(_rows(scans[:size]))
previous, label, following = st.columns([1, 2, 1])
if previous.button("Previous", disabled=page == 0, key="history_previous"):
    st.session_state[PAGE_KEY] = page - 1
    st.rerun()
label.caption(f"page {page + 1:d}")
if following.button("Next", disabled=len(scans) <= size, key="history_next"):
    st.session_state[PAGE_KEY] = page + 1
    st.rerun()
