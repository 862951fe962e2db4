"""Scan detail: summary, filterable findings, downloads, and the hand-off to a DPIA as evidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from services import scanners
from services.accounts import Session, role_allows
from services.scan_service import REPORT_FORMATS, REPORTS_DIR, get_scan_service
from ui.components.assessments import render_sections, report_file
from ui.components.findings import render_findings
from ui.components.progress import NEW_SCAN_PAGE, follow_job, page_link
from ui.components.scan_forms import evidence_from_result, hand_over_evidence
from ui.components.scores import assessment_note, risk_text, score_text
from ui.components.text import literal
from ui.session import require
from utils.config import get_settings
from utils.errors import DataGuardianError, JobNotFoundError

PRESELECT_KEY = "dg_preselect_scanner"  # read by the new-scan page
URL_JOB_KEY = "detail_url_job"  # the ?job= last seen, so a new link wins over an old typed id
JOB_INPUT_KEY = "detail_job_id"
MAX_ARTIFACT_BUTTONS = 50  # one button a file; a scan of thousands of pictures is downloaded through the API


def _job_id() -> str:
    """The scan to show: the URL's ?job= when it changed, else what was typed (kept in the URL too)."""
    from_url = st.query_params.get("job", "")
    if from_url != st.session_state.get(URL_JOB_KEY):
        st.session_state[URL_JOB_KEY] = from_url
        st.session_state[JOB_INPUT_KEY] = from_url
    typed = st.text_input("Scan id", key=JOB_INPUT_KEY).strip()
    if typed != from_url:
        st.query_params["job"] = typed  # the address stays a link to what is shown
        st.session_state[URL_JOB_KEY] = typed
    return typed


def _summary(result: dict[str, Any]) -> None:
    summary = result.get("summary") or {}
    by_severity = summary.get("findings_by_severity") or {}
    note = assessment_note(result)
    if note is not None:
        (st.error if note[0] == "error" else st.warning)(literal(note[1]))
    cols = st.columns(4)
    cols[0].metric("Compliance score", literal(score_text(result)))
    cols[1].metric("Risk level", literal(risk_text(result)))
    cols[2].metric("Findings", sum(int(v) for v in by_severity.values()))
    cols[3].metric("Items scanned", literal(summary.get("items_scanned", "-")))
    st.caption(" · ".join(f"{literal(k)}: {literal(v)}" for k, v in by_severity.items()) +
               f" — {literal(result.get('scanner'))} scan, status {literal(result.get('status'))}, "
               f"finished {literal(str(result.get('finished_at') or '')[:19])}")
    for error in (result.get("errors") or [])[:20]:
        st.warning(literal(_item_problem(error)))


def _item_problem(error: Any) -> str:
    """One per-item problem of a result as a line: the item, then what went wrong with it."""
    if not isinstance(error, dict):
        return str(error)
    where = error.get("path") or error.get("url") or error.get("table") or ""
    what = error.get("message") or error.get("error") or error.get("kind") or "could not be read"
    return f"{where}: {what}" if where else str(what)


def _exporter(org_id: str, job_id: str, fmt: str) -> Callable[[], bytes]:
    """The export, rendered only when its button is clicked (a PDF takes a moment)."""
    return lambda: get_scan_service().export(org_id, job_id, fmt)[0]


def _downloads(org_id: str, job_id: str, scanner: str) -> None:
    st.subheader("Downloads")
    cols = st.columns(len(REPORT_FORMATS))
    for col, (fmt, (mime, extension)) in zip(cols, REPORT_FORMATS.items(), strict=True):
        col.download_button(literal(fmt.upper()), data=_exporter(org_id, job_id, fmt),
                            file_name=f"dataguardian-{scanner}-{job_id[:8]}.{extension}", mime=mime,
                            key=f"download_{fmt}", on_click="ignore")


def _artifacts(org_id: str, job_id: str, result: dict[str, Any]) -> None:
    """Files the scan wrote for the organisation (redacted copies), each read only when clicked.

    ScanService.artifact serves a file only from this organisation's own artifacts folder.
    """
    listed = result.get("artifacts")
    if not isinstance(listed, list) or not listed:
        return
    st.subheader("Files")
    for index, entry in enumerate(listed[:MAX_ARTIFACT_BUTTONS]):
        if not isinstance(entry, dict):
            continue
        name = Path(str(entry.get("name") or f"file-{index}")).name
        what = str(entry.get("kind") or "file").replace("_", " ")
        st.download_button(f"Download {literal(name)} ({literal(what)} of {literal(entry.get('of') or '?')})",
                           data=_artifact(org_id, job_id, index), file_name=name,
                           mime=str(entry.get("media_type") or "application/octet-stream"),
                           key=f"download_artifact_{index}", on_click="ignore")
    if len(listed) > MAX_ARTIFACT_BUTTONS:
        st.caption(f"{int(len(listed) - MAX_ARTIFACT_BUTTONS)} more files: download them through the API.")


def _artifact(org_id: str, job_id: str, index: int) -> Callable[[], bytes]:
    """One file's bytes, read only when its button is clicked."""
    return lambda: get_scan_service().artifact(org_id, job_id, index)[0]


def _report_file(org_id: str, result: dict[str, Any]) -> None:
    """A report job's own file, offered only when it lies in this organisation's report folder."""
    report = report_file(result) or {}
    folder = (get_settings().upload_dir / org_id / REPORTS_DIR).resolve()  # where scan_service puts them
    path = Path(str(report.get("path") or "")).resolve()
    if not report.get("path") or not path.is_relative_to(folder) or not path.is_file():
        return
    st.download_button(f"Download the {literal(report.get('format', ''))} report "
                       f"({literal(report.get('pages') or '?')} pages)",
                       data=path.read_bytes(), file_name=path.name, key="download_report", on_click="ignore")


def _evidence_hand_off(session: Session, job_id: str, result: dict[str, Any]) -> None:
    """Offer the scan's findings as evidence to each scanner that cites evidence (the DPIA)."""
    if not role_allows(session.role, "scan") or not evidence_from_result(result):
        return  # a viewer cannot start a scan; a scan without findings is no evidence
    for name in scanners.with_fields(("evidence",)):
        if name == result.get("scanner"):
            continue  # an assessment is not evidence for another one of its kind
        label = scanners.declaration(name).label
        if st.button(f"Use as {literal(label)} evidence", key=f"use_as_{name}_evidence"):
            hand_over_evidence(job_id, result)
            st.session_state[PRESELECT_KEY] = name
            st.success(f"The findings summary is ready in the {literal(label)} form.")
            page_link(NEW_SCAN_PAGE, f"Open the {literal(label)} form")


def _show(session: Session, job_id: str) -> None:
    service = get_scan_service()
    try:
        status = service.status(session.org_id, job_id)
        result = service.result(session.org_id, job_id)
    except JobNotFoundError:
        st.error("Scan not found.")  # another organisation's scan looks exactly like a missing one
        return
    except DataGuardianError as error:
        st.error(literal(error))
        return
    if result is None:
        follow_job(session.org_id, session.user_id, job_id)
        return
    st.caption(f"Scan {literal(job_id)} · {literal(status['scanner'])} · {literal(status['state'])}")
    _summary(result)
    render_sections(result)
    st.subheader("Findings")
    render_findings(result.get("findings") or [], key="detail")
    if report_file(result) is not None:
        _report_file(session.org_id, result)  # the report is the download; exporting it again says nothing
    elif status["state"] == "succeeded":
        _downloads(session.org_id, job_id, str(result.get("scanner") or "scan"))
        _artifacts(session.org_id, job_id, result)
        _evidence_hand_off(session, job_id, result)


session = require("view")
st.title("Scan detail")
if job := _job_id():
    _show(session, job)
else:
    st.info("Open a scan from the history, or paste its id above.")
