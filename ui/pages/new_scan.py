"""New scan: a form per scanner fitting its input, then the job's live progress and a cancel button."""

from __future__ import annotations

import logging

import streamlit as st

from services import billing, scanners
from services.accounts import Session
from services.scan_service import AVAILABLE, NO_WORKER, get_scan_service
from services.scanners.declaration import ScannerDeclaration
from ui.components.progress import follow_job
from ui.components.scan_forms import scan_form
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError

log = logging.getLogger(__name__)

CURRENT_JOB_KEY = "dg_current_job"
PRESELECT_KEY = "dg_preselect_scanner"  # set by the detail page's "Use as … evidence"
SCANNER_KEY = "new_scan_scanner"


def _form_and_submit(session: Session, declaration: ScannerDeclaration) -> None:
    """The scanner's form; on submit the scan is queued, or the refusal is shown as it was given."""
    try:
        request = scan_form(session, declaration)
    except DataGuardianError as error:  # an upload over the limit, an unsafe archive
        st.error(literal(error))
        return
    if request is None:
        return
    try:
        job_id = get_scan_service().submit(session.org_id, session.user_id, declaration.name, request)
    except DataGuardianError as error:  # quota, plan, size and scanner refusals say why
        st.error(literal(error))
        return
    log.info("ui: user %s submitted %s job %s", session.user_id, declaration.name, job_id)
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
    if availability[name] not in (AVAILABLE, NO_WORKER):
        return f"{name} ({availability[name]})"
    return name if name in plan["scanners"] else f"{name} (not in the {plan['title']} plan)"


if preselected := st.session_state.pop(PRESELECT_KEY, None):
    st.session_state[SCANNER_KEY] = preselected
scanner = st.selectbox("Scanner", scanners.scanner_names(), key=SCANNER_KEY, format_func=_label)
declaration = scanners.declaration(scanner)
st.caption(literal(declaration.summary))

if availability[scanner] not in (AVAILABLE, NO_WORKER):
    st.info(f"The {literal(scanner)} scanner is {literal(availability[scanner])}.")
    st.button("Start scan", disabled=True, key="start_not_available")
else:
    if availability[scanner] == NO_WORKER:
        st.warning(f"No {literal(scanner)} worker is running: the scan waits in the queue until one starts.")
    _form_and_submit(session, declaration)

if current := st.session_state.get(CURRENT_JOB_KEY):
    st.subheader("Latest scan")
    st.caption(f"Scan {literal(current)}")
    follow_job(session.org_id, session.user_id, str(current))
