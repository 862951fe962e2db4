"""New scan: a form per scanner fitting its input, then the job's live progress and a cancel button."""

from __future__ import annotations

import logging

import streamlit as st

from services import billing
from services.accounts import Session
from services.scan_service import NO_WORKER, NOT_BUILT, get_scan_service
from services.scanners import SCANNER_NAMES
from ui.components.progress import follow_job
from ui.components.scan_forms import FORMS
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError

log = logging.getLogger(__name__)

CURRENT_JOB_KEY = "dg_current_job"
PRESELECT_KEY = "dg_preselect_scanner"  # set by the detail page's "Use as DPIA evidence"
SCANNER_KEY = "new_scan_scanner"


def _form_and_submit(session: Session, scanner: str) -> None:
    """The scanner's form; on submit the scan is queued, or the refusal is shown as it was given."""
    try:
        request = FORMS[scanner](session)
    except DataGuardianError as error:  # an upload over the limit, an unsafe archive
        st.error(literal(error))
        return
    if request is None:
        return
    try:
        job_id = get_scan_service().submit(session.org_id, session.user_id, scanner, request)
    except DataGuardianError as error:  # quota, plan, size and scanner refusals say why
        st.error(literal(error))
        return
    log.info("ui: user %s submitted %s job %s", session.user_id, scanner, job_id)
    st.session_state[CURRENT_JOB_KEY] = job_id


session = require("scan")
service = get_scan_service()
st.title("New scan")

try:
    availability = service.scanner_availability()
    plan = billing.usage_summary(session.org_id)
except DataGuardianError as error:
    st.error(f"The platform cannot be reached: {literal(error)}")
    st.stop()
quota = ("no monthly limit" if plan["quota"] is None
         else f"{int(plan['used'])} of {int(plan['quota'])} scans used")
st.caption(f"{literal(plan['title'])} plan · {quota} in {literal(plan['month'])}")


def _label(name: str) -> str:
    if availability[name] == NOT_BUILT:
        return f"{name} (not available yet)"
    return name if name in plan["scanners"] else f"{name} (not in the {plan['title']} plan)"


if preselected := st.session_state.pop(PRESELECT_KEY, None):
    st.session_state[SCANNER_KEY] = preselected
scanner = st.selectbox("Scanner", SCANNER_NAMES, key=SCANNER_KEY, format_func=_label)

if availability[scanner] == NOT_BUILT:
    st.info(f"The {literal(scanner)} scanner is not available yet.")
    st.button("Start scan", disabled=True, key="start_not_available")
elif scanner not in FORMS:  # built after this page was written: the API and CLI reach it already
    st.info(f"The {literal(scanner)} scanner has no form here yet; start it through the REST API or the CLI.")
else:
    if availability[scanner] == NO_WORKER:
        st.warning(f"No {literal(scanner)} worker is running: the scan waits in the queue until one starts.")
    _form_and_submit(session, scanner)

if current := st.session_state.get(CURRENT_JOB_KEY):
    st.subheader("Latest scan")
    st.caption(f"Scan {literal(current)}")
    follow_job(session.org_id, session.user_id, str(current))
