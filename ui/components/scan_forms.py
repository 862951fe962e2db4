"""One form per scanner, each fitting its input; every form returns a scan request or None.

Uploads go through scan_service.save_upload (the organisation's own upload area, size-limited);
the request then carries the file's server path, never its bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from services.accounts import Session
from services.inputs.archives import safe_extract
from services.scan_service import get_scan_service
from services.scanners import dpia, soc2
from ui.components.scores import score_text
from ui.components.text import literal

LANGUAGE = "en"  # the questionnaires carry en and nl; the UI speaks English for now
ARCHIVE_TYPES = ["zip", "tar", "tgz", "gz", "bz2", "xz"]
DPIA_EVIDENCE_KEY = "dg_dpia_evidence"  # set by the detail page, read by the DPIA form
MAX_EVIDENCE_ITEMS = 500  # one item per finding type and severity; far below the DPIA's own cap
REPORT_CHOICES = 100  # finished scans offered to the report form
REPORT_FORMATS = ("pdf", "json", "csv", "sarif")
_EVIDENCE_LOCATION_KEYS = ("path", "line", "page", "url", "table", "column")

FormFunction = Callable[[Session], dict[str, Any] | None]


# --- DPIA evidence --------------------------------------------------------------------------------

def evidence_from_result(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A scan's findings as DPIA evidence: one citation per type and severity, never the evidence text."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for finding in result.get("findings") or []:
        if finding.get("suppressed"):
            continue
        key = (str(finding.get("type")), str(finding.get("severity")))
        if key not in seen and len(seen) < MAX_EVIDENCE_ITEMS:
            location = finding.get("location") or {}
            seen[key] = {"type": key[0], "severity": key[1], "scanner": str(result.get("scanner") or ""),
                         "location": {k: location[k] for k in _EVIDENCE_LOCATION_KEYS
                                      if isinstance(location.get(k), str | int)}}
    return list(seen.values())


def hand_to_dpia(job_id: str, result: dict[str, Any]) -> None:
    """Keep a scan's findings summary in the browser session for the DPIA form to cite."""
    st.session_state[DPIA_EVIDENCE_KEY] = {"job_id": job_id, "scanner": result.get("scanner"),
                                           "items": evidence_from_result(result)}


# --- code, document, soc2 -------------------------------------------------------------------------

def code_form(session: Session) -> dict[str, Any] | None:
    """Code: an uploaded archive, a path on the server, or a git URL."""
    source = st.radio("Source", ["Upload an archive", "Path on the server", "Git URL"], horizontal=True,
                      key="code_source")
    with st.form("code_form"):
        if source == "Upload an archive":
            upload = st.file_uploader("Archive (zip or tar)", type=ARCHIVE_TYPES, key="code_archive")
        elif source == "Path on the server":
            path = st.text_input("Directory or file (inside the allowed scan roots)", key="code_path")
        else:
            git_url = st.text_input("Repository URL (https, ssh or file)", key="code_git_url")
        history = st.checkbox("Also look for secrets in earlier commits", key="code_history")
        if not st.form_submit_button("Start code scan", type="primary"):
            return None
    if source == "Upload an archive":
        request = {"archive": _saved(session, upload)} if upload else None
    elif source == "Path on the server":
        request = {"path": path.strip()} if path.strip() else None
    else:
        request = {"git_url": git_url.strip()} if git_url.strip() else None
    if request is None:
        st.error("Give the scan a source first.")
        return None
    return {**request, "options": {"history": history}}


def document_form(session: Session) -> dict[str, Any] | None:
    """Document: one uploaded file or archive of files."""
    with st.form("document_form"):
        upload = st.file_uploader("Document or archive (txt, csv, pdf, docx, xlsx, eml, zip ...)",
                                  key="document_file")
        ocr = st.checkbox("Read scanned pages and images (OCR)", value=True, key="document_ocr")
        if not st.form_submit_button("Start document scan", type="primary"):
            return None
    if upload is None:
        st.error("Upload a document first.")
        return None
    return {"path": _saved(session, upload), "options": {"ocr": ocr}}


def soc2_form(session: Session) -> dict[str, Any] | None:
    """SOC 2: an optional configuration archive plus the organisational-controls questionnaire."""
    questionnaire = soc2.load_questionnaire()
    with st.form("soc2_form"):
        upload = st.file_uploader("Repository or configuration archive (optional)", type=ARCHIVE_TYPES,
                                  key="soc2_archive")
        answers = {q["id"]: _yes_no(q, f"soc2_{q['id']}") for q in questionnaire["questions"]}
        if not st.form_submit_button("Start SOC 2 assessment", type="primary"):
            return None
    request: dict[str, Any] = {"answers": {k: v for k, v in answers.items() if v is not None}}
    if upload is not None:
        request["path"] = str(_extracted(session, upload))
    return request


def _saved(session: Session, upload: Any) -> str:
    return str(get_scan_service().save_upload(session.org_id, upload.name, upload))


def _extracted(session: Session, upload: Any) -> Path:
    # the soc2 scanner reads a tree, not an archive: unpack it with the bomb-safe extractor
    archive = Path(_saved(session, upload))
    tree = archive.parent / f"tree-{uuid.uuid4().hex[:8]}"
    safe_extract(archive, tree)
    return tree


def _yes_no(question: dict[str, Any], key: str) -> bool | None:
    help_text = question.get("help", {}).get(LANGUAGE)
    return st.radio(literal(question["text"][LANGUAGE]), [True, False], index=None, horizontal=True, key=key,
                    format_func=lambda v: "yes" if v else "no",
                    help=literal(help_text) if help_text else None)


# --- DPIA -----------------------------------------------------------------------------------------

def dpia_form(session: Session) -> dict[str, Any] | None:
    """DPIA: the versioned questionnaire by section, with optional evidence from an earlier scan."""
    questionnaire = dpia.load_questionnaire()
    evidence = _evidence_choice()
    with st.form("dpia_form"):
        answers: dict[str, Any] = {}
        for section in questionnaire["sections"]:
            questions = [q for q in questionnaire["questions"] if q["section"] == section["id"]]
            with st.expander(literal(section[LANGUAGE]), expanded=section["id"] == "screening"):
                for question in questions:
                    answers[question["id"]] = _dpia_widget(question, questionnaire["levels"])
        if not st.form_submit_button("Start DPIA", type="primary"):
            return None
    request: dict[str, Any] = {"answers": {k: v for k, v in answers.items() if v not in (None, "", [])}}
    if evidence:
        request["evidence"] = evidence
    return request


def _evidence_choice() -> list[dict[str, Any]]:
    handed = st.session_state.get(DPIA_EVIDENCE_KEY)
    if not handed:
        st.caption("Tip: open a finished scan and press \"Use as DPIA evidence\" to cite its findings here.")
        return []
    types = sorted({item["type"] for item in handed["items"]})
    st.info(f"Evidence from {literal(handed['scanner'])} scan {literal(handed['job_id'][:8])}: {len(types)} "
            f"finding types ({literal(', '.join(types[:8]))}{' ...' if len(types) > 8 else ''}).")
    if not st.checkbox("Cite this scan's findings as evidence", value=True, key="dpia_use_evidence"):
        return []
    return list(handed["items"])


def _dpia_widget(question: dict[str, Any], levels: list[dict[str, Any]]) -> Any:
    key, label = f"dpia_{question['id']}", literal(question["text"][LANGUAGE])
    raw_help = question.get("help", {}).get(LANGUAGE)
    help_text = literal(raw_help) if raw_help else None
    kind = question["type"]
    if kind == "bool":
        return _yes_no(question, key)
    if kind == "text":
        return st.text_area(label, key=key, help=help_text).strip()
    options = levels if kind == "level" else question["options"]
    labels = {o["value"]: o[LANGUAGE] for o in options}
    if kind == "multi":
        return st.multiselect(label, list(labels), format_func=labels.__getitem__, key=key, help=help_text)
    return st.selectbox(label, list(labels), index=None, format_func=labels.__getitem__, key=key,
                        help=help_text)


# --- report ---------------------------------------------------------------------------------------

def report_form(session: Session) -> dict[str, Any] | None:
    """Report: pick finished scans of the organisation and a format and language."""
    service = get_scan_service()
    finished = [row for row in service.history(session.org_id, limit=REPORT_CHOICES)
                if row.get("job_state") == "succeeded" and row.get("scanner") != "report"]
    if not finished:
        st.info("No finished scans yet: run a scan first, then report on it.")
        return None
    labels = {row["job_id"]: _scan_label(row) for row in finished}
    with st.form("report_form"):
        chosen = st.multiselect("Scans to report on", list(labels), format_func=labels.__getitem__,
                                key="report_scans")
        fmt = st.selectbox("Format", REPORT_FORMATS, key="report_format")
        language = st.selectbox("Language", ["en", "nl"], format_func={"en": "English", "nl": "Nederlands"}
                                .__getitem__, key="report_language")
        if not st.form_submit_button("Build report", type="primary"):
            return None
    if not chosen:
        st.error("Pick at least one scan.")
        return None
    results = [service.result(session.org_id, job_id) for job_id in chosen]
    return {"results": [r for r in results if r], "format": fmt, "language": language,
            "organisation": session.org_name,
            "output": f"{uuid.uuid4()}.{fmt}"}  # relative: scan_service puts it in the org's reports


def _scan_label(row: dict[str, Any]) -> str:
    return (f"{str(row.get('created_at') or '')[:16]} · {row.get('scanner')} · "
            f"score {score_text(row)} · {str(row['job_id'])[:8]}")


FORMS: dict[str, FormFunction] = {
    "code": code_form, "document": document_form, "dpia": dpia_form, "soc2": soc2_form,
    "report": report_form,
}

