"""The form of any scanner, built from its declaration (services/scanners): one widget per field kind.

No scanner is named here. A path field the UI can fill by upload shows a file uploader (the upload goes
through scan_service.save_upload into the organisation's own upload area, size-limited, and the request
then carries its server path, never its bytes); a group of alternative fields (`one_of`) shows a choice
of source; a questionnaire field renders its versioned questionnaire; an evidence field cites the
findings handed over from a scan's detail page; a results field offers the organisation's finished
scans. Every form returns the request to submit, or None.
"""

from __future__ import annotations

import math
import uuid
from pathlib import Path
from typing import Any

import streamlit as st

from services import scanners
from services.accounts import Session
from services.inputs.archives import safe_extract
from services.scan_service import get_scan_service
from services.scanners.declaration import Field, ScannerDeclaration
from ui.components.scores import score_text
from ui.components.text import literal

LANGUAGE = "en"  # the questionnaires carry en and nl; the UI speaks English for now
ARCHIVE_TYPES = ["zip", "tar", "tgz", "gz", "bz2", "xz"]
EVIDENCE_KEY = "dg_scan_evidence"  # set by the detail page, read by a form with an evidence field
MAX_EVIDENCE_ITEMS = 500  # one item per finding type and severity; far below a scanner's own cap
REPORT_CHOICES = 100  # finished scans offered to a results field
_EVIDENCE_LOCATION_KEYS = ("path", "line", "page", "url", "table", "column")
ORGANISATION_FIELD = "organisation"  # a text field of this name starts as the organisation's name


# --- evidence handed from a scan to a scanner that cites it -------------------------------------

def evidence_from_result(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A scan's findings as evidence: one citation per type and severity, never the evidence text.

    Each citation keeps the highest confidence among its findings, so the assessment can weigh it:
    one sure finding of a type says more than many guesses.
    """
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for finding in result.get("findings") or []:
        if finding.get("suppressed"):
            continue
        key = (str(finding.get("type")), str(finding.get("severity")))
        confidence = _confidence(finding.get("confidence"))
        if key in seen:
            seen[key]["confidence"] = max(seen[key]["confidence"], confidence)
        elif len(seen) < MAX_EVIDENCE_ITEMS:
            location = finding.get("location") or {}
            seen[key] = {"type": key[0], "severity": key[1], "confidence": confidence,
                         "scanner": str(result.get("scanner") or ""),
                         "location": {k: location[k] for k in _EVIDENCE_LOCATION_KEYS
                                      if isinstance(location.get(k), str | int)}}
    return list(seen.values())


def _confidence(value: Any) -> float:
    """A finding's confidence as 0-1; one a scanner did not state counts as certain, as in scoring."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 1.0
    return min(1.0, max(0.0, float(value)))


def hand_over_evidence(job_id: str, result: dict[str, Any]) -> None:
    """Keep a scan's findings summary in the browser session for a form with an evidence field."""
    st.session_state[EVIDENCE_KEY] = {"job_id": job_id, "scanner": result.get("scanner"),
                                      "items": evidence_from_result(result)}


# --- the form --------------------------------------------------------------------------------------

def scan_form(session: Session, declaration: ScannerDeclaration) -> dict[str, Any] | None:
    """The scanner's form; the request to submit once its button is pressed and it is complete."""
    chosen = _chosen_source(declaration)
    shown = [f for f in declaration.fields if f.kind != "evidence" and
             (f.name not in declaration.one_of or f.name == chosen)]
    evidence = _evidence_choice(declaration)
    with st.form(f"{declaration.name}_form"):
        raw = {field.name: _widget(session, declaration, field) for field in shown}
        options = _options(declaration)
        if not st.form_submit_button(literal(declaration.submit_label or f"Start {declaration.label} scan"),
                                     type="primary"):
            return None
    request = {name: value for name, value in (_value(session, declaration, f, raw[f.name]) for f in shown)
               if value not in (None, "", [], {})}
    if evidence:
        request[evidence[0]] = evidence[1]
    if options:
        request["options"] = options
    problem = _missing(declaration, request)
    if problem:
        st.error(literal(problem))
        return None
    return request


def _chosen_source(declaration: ScannerDeclaration) -> str | None:
    """For alternative fields (code: an archive, a server path or a git URL), which one the user picked."""
    if not declaration.one_of:
        return None
    labels = {name: _field(declaration, name).label for name in declaration.one_of}
    picked = st.radio("Source", list(labels.values()), horizontal=True, key=f"{declaration.name}_source")
    return next(name for name, label in labels.items() if label == picked)


def _field(declaration: ScannerDeclaration, name: str) -> Field:
    found = declaration.field(name)
    if found is None:
        raise ValueError(f"{declaration.name}: one_of names undeclared field {name!r}")
    return found


def _missing(declaration: ScannerDeclaration, request: dict[str, Any]) -> str | None:
    if declaration.one_of and not any(name in request for name in declaration.one_of):
        return "Give the scan a source first."
    required = [f for f in declaration.fields if f.required and f.name not in request]
    if required:
        return "Upload a file first." if required[0].upload else f"Fill in {required[0].label} first."
    if declaration.any_of and not any(name in request for name in declaration.any_of):
        return "Give the assessment something to assess first."
    return None


def _widget(session: Session, declaration: ScannerDeclaration, field: Field) -> Any:
    key, label = f"{declaration.name}_{field.name}", literal(field.label)
    help_text = literal(field.help) if field.help else None
    if field.kind == "path" and field.upload:
        kinds = None if field.upload == "file" else ARCHIVE_TYPES
        return st.file_uploader(label, type=kinds, key=key, help=help_text)
    if field.kind == "dsn":  # it carries a password: typed hidden, as a password is
        return st.text_input(label, key=key, help=help_text, type="password")
    if field.kind in ("path", "url", "text"):
        initial = session.org_name if field.name == ORGANISATION_FIELD else ""
        return st.text_input(label, value=initial, key=key, help=help_text)
    if field.kind == "questionnaire":
        return _questionnaire(declaration, field)
    if field.kind == "results":
        return _results_choice(session, key, field)
    if field.kind == "output":
        return None  # named when the form is sent
    return _simple_widget(field, key)


def _simple_widget(field: Field, key: str) -> Any:
    help_text = literal(field.help) if field.help else None
    if field.kind == "bool":
        return st.checkbox(literal(field.label), value=bool(field.default), key=key, help=help_text)
    if field.kind == "choice":
        choices = list(field.choices)
        index = choices.index(field.default) if field.default in choices else 0
        return st.selectbox(literal(field.label), choices, index=index, key=key, help=help_text)
    if field.kind in ("int", "number"):
        return st.number_input(literal(field.label), value=None, min_value=field.minimum,
                               max_value=field.maximum, step=1 if field.kind == "int" else None, key=key,
                               help=help_text)
    if field.kind == "list":
        return st.text_area(literal(field.label), key=key, help=help_text)
    if field.kind == "text":  # an option's text, e.g. a dataset column (the declaration bounds its length)
        # a token or password (a secret field) is typed hidden
        return st.text_input(literal(field.label), key=key, help=help_text,
                             type="password" if field.secret else "default").strip()
    return None  # json values come from the API and the CLI


def _value(session: Session, declaration: ScannerDeclaration, field: Field, raw: Any) -> tuple[str, Any]:
    """The request's value of a field from what its widget gave."""
    if field.kind == "path" and field.upload:
        return field.name, None if raw is None else _stored(session, field, raw)
    if isinstance(raw, str):
        return field.name, raw.strip() if field.kind != "list" else [line.strip() for line in raw.splitlines()
                                                                     if line.strip()]
    if field.kind == "int" and raw is not None:
        return field.name, int(raw)
    if field.kind == "output":
        chosen = st.session_state.get(f"{declaration.name}_format")
        return field.name, f"{uuid.uuid4()}.{chosen or 'out'}"  # relative: scan_service puts it in reports
    return field.name, raw


def _options(declaration: ScannerDeclaration) -> dict[str, Any]:
    """Options with a widget: switches shown as they are, the rest under Advanced options."""
    values: dict[str, Any] = {}
    switches = [f for f in declaration.options if f.kind == "bool"]
    others = [f for f in declaration.options if f.kind in ("int", "number", "choice", "list", "text")]
    for field in switches:
        values[field.name] = _simple_widget(field, f"{declaration.name}_{field.name}")
    if others:
        with st.expander("Advanced options"):
            for field in others:
                raw = _simple_widget(field, f"{declaration.name}_{field.name}")
                # a list is one item per line; a choice is a string as it is (website's mode)
                values[field.name] = ([line.strip() for line in raw.splitlines() if line.strip()]
                                      if isinstance(raw, str) and field.kind == "list"
                                      else int(raw) if field.kind == "int" and raw else raw)
    return {name: value for name, value in values.items() if value not in (None, "", [])}


def _stored(session: Session, field: Field, upload: Any) -> str:
    saved = get_scan_service().save_upload(session.org_id, upload.name, upload)
    if field.upload != "tree":
        return str(saved)
    # a tree is read in place: unpack the archive with the bomb-safe extractor, beside the upload
    tree = Path(saved).parent / f"tree-{uuid.uuid4().hex[:8]}"
    safe_extract(Path(saved), tree)
    return str(tree)


# --- questionnaires --------------------------------------------------------------------------------

def _questionnaire(declaration: ScannerDeclaration, field: Field) -> dict[str, Any]:
    """Every question of the field's versioned questionnaire; by section when it has sections."""
    questionnaire = field.questionnaire()
    questions = questionnaire["questions"]
    answers: dict[str, Any] = {}
    sections = questionnaire.get("sections")
    if not sections:
        for question in questions:
            answers[question["id"]] = _question(declaration, question, questionnaire)
    for index, section in enumerate(sections or ()):
        with st.expander(literal(section[LANGUAGE]), expanded=index == 0):
            for question in (q for q in questions if q.get("section") == section["id"]):
                answers[question["id"]] = _question(declaration, question, questionnaire)
    return {k: v for k, v in answers.items() if v not in (None, "", [])}


def _question(declaration: ScannerDeclaration, question: dict[str, Any],
              questionnaire: dict[str, Any]) -> Any:
    key, label = f"{declaration.name}_{question['id']}", literal(question["text"][LANGUAGE])
    raw_help = question.get("help", {}).get(LANGUAGE)
    help_text = literal(raw_help) if raw_help else None
    kind = question.get("type", "bool")
    if kind == "bool":
        return st.radio(label, [True, False], index=None, horizontal=True, key=key,
                        format_func=lambda v: "yes" if v else "no", help=help_text)
    if kind == "text":
        return st.text_area(label, key=key, help=help_text).strip()
    options = questionnaire.get("levels", []) if kind == "level" else question["options"]
    labels = {o["value"]: o[LANGUAGE] for o in options}
    if kind == "multi":
        return st.multiselect(label, list(labels), format_func=labels.__getitem__, key=key, help=help_text)
    return st.selectbox(label, list(labels), index=None, format_func=labels.__getitem__, key=key,
                        help=help_text)


# --- evidence and results --------------------------------------------------------------------------

def _evidence_choice(declaration: ScannerDeclaration) -> tuple[str, list[dict[str, Any]]] | None:
    """(field, items) when the form has an evidence field and a scan's findings were handed over."""
    field = next(iter(declaration.fields_of("evidence")), None)
    if field is None:
        return None
    handed = st.session_state.get(EVIDENCE_KEY)
    if not handed:
        st.caption(f"Tip: open a finished scan and press \"Use as {literal(declaration.label)} evidence\" to "
                   "cite its findings here.")
        return None
    types = sorted({item["type"] for item in handed["items"]})
    st.info(f"Evidence from {literal(handed['scanner'])} scan {literal(handed['job_id'][:8])}: {len(types)} "
            f"finding types ({literal(', '.join(types[:8]))}{' ...' if len(types) > 8 else ''}).")
    if not st.checkbox("Cite this scan's findings as evidence", value=True,
                       key=f"{declaration.name}_use_evidence"):
        return None
    return field.name, list(handed["items"])


def _results_choice(session: Session, key: str, field: Field) -> list[dict[str, Any]]:
    """The organisation's finished scans to report on (reports themselves left out)."""
    service = get_scan_service()
    takes_results = set(scanners.with_fields(("results",)))
    finished = [row for row in service.history(session.org_id, limit=REPORT_CHOICES)
                if row.get("job_state") == "succeeded" and row.get("scanner") not in takes_results]
    if not finished:
        st.info("No finished scans yet: run a scan first, then report on it.")
        return []
    labels = {row["job_id"]: _scan_label(row) for row in finished}
    chosen = st.multiselect(literal(field.label), list(labels), format_func=labels.__getitem__, key=key)
    results = [service.result(session.org_id, job_id) for job_id in chosen]
    return [r for r in results if r]


def _scan_label(row: dict[str, Any]) -> str:
    return (f"{str(row.get('created_at') or '')[:16]} · {row.get('scanner')} · "
            f"score {score_text(row)} · {str(row['job_id'])[:8]}")
