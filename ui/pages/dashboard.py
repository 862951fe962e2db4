"""Dashboard: the organisation's scans over time, findings by severity and type, and the score trend."""

from __future__ import annotations

import streamlit as st

from services.scan_service import get_scan_service
from ui.components.charts import render_dashboard_charts, severity_totals
from ui.components.scores import NOT_ASSESSED, score_of
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError

DASHBOARD_SCANS = 500  # the newest scans the charts are drawn from (the history page pages through all)

session = require("view")
st.title("Dashboard")
try:
    rows = get_scan_service().history(session.org_id, limit=DASHBOARD_SCANS)
except DataGuardianError as error:
    st.error(literal(error))
    st.stop()
st.caption(f"{literal(session.org_name)} · {len(rows)} most recent scans" if len(rows) == DASHBOARD_SCANS
           else f"{literal(session.org_name)} · all {len(rows)} scans")

scored = [score_of(r) for r in rows if score_of(r) is not None]
unassessed = len(rows) - len(scored)
totals = severity_totals(rows)
cols = st.columns(4)
cols[0].metric("Scans", len(rows))
cols[1].metric("Latest score", literal(scored[0]) if scored else NOT_ASSESSED if rows else "-")
cols[2].metric("Critical findings", int(totals["critical"]))
cols[3].metric("High findings", int(totals["high"]))
if unassessed:
    st.caption(f"{int(unassessed)} of these scans are not assessed (they could not read their input): "
               "they have no score and the score trend leaves them out.")
if rows:
    render_dashboard_charts(rows)
else:
    st.info("No scans yet: start one on the New scan page.")
