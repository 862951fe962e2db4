"""System health (admins): every process, its restarts, uptime and memory; queues; breakers.

Everything comes from the launcher's GET /stats (what runs is what is shown) and the breaker state
shared in Redis. When the launcher is not reachable (e.g. the UI runs on its own) the page says so.
"""

from __future__ import annotations

from typing import Any

import requests
import streamlit as st

from ui.components.text import literal
from ui.session import require
from utils.circuit_breaker import BreakerRegistry, breaker_redis_client
from utils.config import get_settings

STATS_TIMEOUT_S = 3.0
MIB = 2**20


def fetch_stats() -> tuple[dict[str, Any] | None, str | None]:
    """The launcher's /stats body, or None and why it could not be read."""
    settings = get_settings()
    url = f"http://{settings.bind_host}:{settings.ops_port}/stats"
    try:
        response = requests.get(url, timeout=STATS_TIMEOUT_S)
        response.raise_for_status()
        return response.json(), None
    except (requests.RequestException, ValueError) as error:
        return None, f"The launcher's status endpoint ({url}) is unreachable: {type(error).__name__}."


def process_rows(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per supervised process."""
    return [{"process": p["name"], "kind": p.get("kind", ""), "state": p["state"], "pid": p.get("pid"),
             "restarts": p.get("restarts", 0), "back-off (s)": p.get("backoff_s", 0.0),
             "uptime (s)": p.get("uptime_s", 0.0),
             "RSS (MiB)": round(p.get("rss_bytes", 0) / MIB, 1), "last exit": str(p.get("last_exit") or "")}
            for p in stats.get("processes", {}).values()]


def persistence_row(persistence: dict[str, Any]) -> dict[str, Any]:
    """The outbox drainer: state, backlog against its bound, restarts, back-off, last error, counts."""
    return {"drainer": persistence.get("state", ""), "waiting": persistence.get("waiting"),
            "bound": persistence.get("backlog_max"), "restarts": persistence.get("restarts", 0),
            "back-off (s)": persistence.get("backoff_s", 0.0),
            "last error": persistence.get("last_error") or "", "written": persistence.get("written", 0),
            "rejected": persistence.get("rejected", 0)}


def queue_rows(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per scanner queue (an error entry when Redis could not be read)."""
    scanners = stats.get("scanners", {})
    return [{"scanner": name, **figures} for name, figures in scanners.items() if isinstance(figures, dict)]


def breaker_rows(stats: dict[str, Any] | None) -> tuple[list[dict[str, Any]], str | None]:
    """Breaker states from /stats, else read from Redis here; or why they could not be read."""
    breakers = (stats or {}).get("breakers")
    if breakers is None:
        breakers = _breakers_from_redis()
    if isinstance(breakers.get("error"), str):
        return [], f"Breaker states unavailable: {breakers['error']}."
    return [{"breaker": name, **state} for name, state in breakers.items() if isinstance(state, dict)], None


def _breakers_from_redis() -> dict[str, Any]:
    client = breaker_redis_client(get_settings().effective_redis_url())
    try:
        states = BreakerRegistry(client).states()
    except Exception as error:  # any Redis or pybreaker failure only hides this table
        return {"error": type(error).__name__}
    finally:
        client.close()
    if not all(state.get("shared") for state in states.values()):
        return {"error": "Redis is unreachable from the UI"}
    return states


def _render_stats(stats: dict[str, Any]) -> None:
    left, middle, right = st.columns(3)
    left.metric("Platform ready", "yes" if stats.get("ready") else "starting")
    middle.metric("Processes", len(stats.get("processes", {})))
    right.metric("Memory (MiB)", round(stats.get("total_rss_bytes", 0) / MIB))
    st.subheader("Processes")
    st.dataframe(process_rows(stats), hide_index=True)
    st.subheader("Scanner queues")
    if isinstance(stats.get("scanners", {}).get("error"), str):
        st.warning(literal(stats["scanners"]["error"]))
    st.dataframe(queue_rows(stats), hide_index=True)
    persistence = stats.get("persistence")
    if persistence:
        st.subheader("Results on their way to PostgreSQL (outbox)")
        st.dataframe([persistence_row(persistence)], hide_index=True)
        if not persistence.get("healthy", True):
            st.warning("Results are piling up in Redis: the outbox drainer is not running or is behind.")
    if stats.get("database_pool"):
        st.subheader("Database pool (launcher)")
        st.json(stats["database_pool"], expanded=False)


require("system")
st.title("System health")
stats, problem = fetch_stats()
if stats is None:
    st.error(literal(problem))
else:
    _render_stats(stats)
st.subheader("Circuit breakers")
rows, breaker_problem = breaker_rows(stats)
if breaker_problem:
    st.warning(literal(breaker_problem))
elif rows:
    st.dataframe(rows, hide_index=True)
else:
    st.caption("No breaker has recorded a failure yet.")
