"""DataGuardian Pro UI (Streamlit). Until the UI issue lands: the platform's live status.

It reads the launcher's /stats, so what it shows is what runs; scanning from the UI comes with
the UI issue (sign-in, organisations, scan forms).
"""

from __future__ import annotations

import requests
import streamlit as st

from utils.config import get_settings

OPS_URL = f"http://{get_settings().bind_host}:{get_settings().ops_port}"

st.set_page_config(page_title="DataGuardian Pro", layout="wide")
st.title("DataGuardian Pro")
st.caption("Privacy-compliance scanning platform. Sign-in and scan pages arrive with the UI release; "
           "this page shows the platform's live status.")

try:
    stats = requests.get(f"{OPS_URL}/stats", timeout=3).json()
except (requests.RequestException, ValueError) as error:
    st.error(f"Launcher status unavailable: {type(error).__name__}")
else:
    rows = [{"process": p["name"], "state": p["state"], "pid": p["pid"], "restarts": p["restarts"],
             "RSS MiB": round(p.get("rss_bytes", 0) / 2**20, 1)} for p in stats["processes"].values()]
    st.subheader("Processes")
    st.dataframe(rows, hide_index=True)
    st.subheader("Scanner queues")
    st.dataframe([{"scanner": name, **figures} for name, figures in stats["scanners"].items()
                  if isinstance(figures, dict)], hide_index=True)
    st.metric("Platform memory (MiB)", round(stats["total_rss_bytes"] / 2**20))
