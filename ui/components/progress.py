"""Live progress of a submitted job (percent and message from the worker), cancel, and the way on."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from services.scan_service import get_scan_service
from ui.components.scores import assessment_note
from ui.components.text import literal
from utils.errors import DataGuardianError
from utils.ipc_manager import TERMINAL_STATES

log = logging.getLogger(__name__)

POLL_S = 1.0  # the worker reports progress about once a second; polling faster only costs Redis reads
DETAIL_PAGE = "ui/pages/scan_detail.py"
NEW_SCAN_PAGE = "ui/pages/new_scan.py"
_FINISHED_KEY = "dg_finished_jobs"  # job ids seen in a terminal state in this browser session


def page_link(page: str, label: str, query_params: dict[str, str] | None = None) -> None:
    """A link to one of our pages; a plain link when the page is run on its own (tests, no navigation)."""
    try:
        st.page_link(page, label=literal(label), query_params=query_params)
    except StreamlitAPIException:
        query = urlencode(query_params or {})
        target = page.rsplit("/", 1)[-1].removesuffix(".py") + (f"?{query}" if query else "")
        st.markdown(f"[{literal(label)}](./{literal(target)})")


def detail_link(job_id: str) -> None:
    """A link to the detail page of one scan."""
    page_link(DETAIL_PAGE, "Open the scan detail", {"job": job_id})


def follow_job(org_id: str, user_id: str, job_id: str) -> None:
    """Show the job's progress; polls while it runs, then shows its outcome once."""
    if job_id in st.session_state.get(_FINISHED_KEY, set()):
        _panel(org_id, user_id, job_id)
        return
    st.fragment(run_every=POLL_S)(_live_panel)(org_id, user_id, job_id)


def _live_panel(org_id: str, user_id: str, job_id: str) -> None:
    if _panel(org_id, user_id, job_id) in TERMINAL_STATES:
        st.session_state.setdefault(_FINISHED_KEY, set()).add(job_id)
        st.rerun()  # the whole page again, now without the polling fragment


def _panel(org_id: str, user_id: str, job_id: str) -> str | None:
    try:
        status = get_scan_service().status(org_id, job_id)
    except DataGuardianError as error:
        st.error(literal(error))
        return None
    state = str(status["state"])
    percent = max(0.0, min(100.0, float(status.get("percent") or 0.0)))
    message = str(status.get("message") or "")
    detail = f" · {literal(message)}" if message and message != state else ""
    st.progress(percent / 100.0,
                text=f"{literal(status.get('scanner'))} scan {literal(state)}: {percent:.0f}%{detail}")
    if state in TERMINAL_STATES:
        _outcome(org_id, job_id, state, status)
        detail_link(job_id)
    elif st.button("Cancel scan", key=f"cancel_{job_id}"):
        _cancel(org_id, user_id, job_id)
    return state


def _outcome(org_id: str, job_id: str, state: str, status: dict[str, Any]) -> None:
    if state == "succeeded":
        _finished(org_id, job_id)
    elif state == "cancelled":
        st.warning("Scan cancelled.")
    else:
        st.error(literal(f"Scan {state}. {status.get('message') or ''}".strip()))


def _finished(org_id: str, job_id: str) -> None:
    """A scan that ran to its end: finished, unless it could read none or only part of its input."""
    try:
        result = get_scan_service().result(org_id, job_id) or {}
    except DataGuardianError as error:
        st.error(literal(error))
        return
    note = assessment_note(result) if result else None
    if note is None:
        st.success("Scan finished.")
    else:
        (st.error if note[0] == "error" else st.warning)(f"Scan finished. {literal(note[1])}")


def _cancel(org_id: str, user_id: str, job_id: str) -> None:
    try:
        state = get_scan_service().cancel(org_id, job_id, user_id=user_id)
    except DataGuardianError as error:
        st.error(literal(error))
        return
    log.info("ui: user %s cancelled job %s (%s)", user_id, job_id, state)
    st.info(f"Cancel requested (job was {literal(state)}).")
