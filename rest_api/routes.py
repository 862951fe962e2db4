"""The /api/v1 endpoints. Handlers parse, call services.scan_service with the caller's organisation,
and shape the JSON; every refusal is a named error turned into JSON by rest_api.errors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from rest_api.auth import current_caller
from rest_api.openapi import openapi_document
from services import billing
from services.scan_service import ScanService
from utils.errors import InvalidRequestError, JobNotFinishedError

api = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = frozenset({"api.health", "api.openapi", "api.billing_webhook"})
DEFAULT_PAGE = 50


def _service() -> ScanService:
    service: ScanService = current_app.extensions["dg_scan_service"]
    return service


def _json_body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise InvalidRequestError("the body must be a JSON object (malformed or missing JSON)")
    return body


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequestError(f"{name} must be an integer") from None
    if not low <= value <= high:
        raise InvalidRequestError(f"{name} must be between {low} and {high}")
    return value


@api.get("/health")
def health() -> Any:
    """200 when Redis and PostgreSQL answer, 503 naming the one that does not."""
    checks = current_app.extensions["dg_health"]()
    ok = all(value == "ok" for value in checks.values())
    # loop_ok: the process itself is fine, so the supervisor waits for the stores instead of restarting it
    return jsonify({"status": "ok" if ok else "unavailable", **checks, "loop_ok": True}), 200 if ok else 503


@api.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3 document of this API."""
    return jsonify(openapi_document())


@api.get("/scanners")
def scanners() -> Any:
    """Each of the ten scanners: available, no worker running, or not available yet."""
    current_caller()
    return jsonify({"scanners": _service().scanner_availability()})


@api.post("/uploads")
def upload() -> Any:
    """Store a multipart `file` for this organisation; scan requests then name its server path."""
    caller = current_caller()
    file = request.files.get("file")
    if file is None:
        raise InvalidRequestError("multipart field 'file' is required")
    path = _service().save_upload(caller.org_id, file.filename or "", file.stream)
    return jsonify({"upload": str(path)}), 201


@api.post("/scans")
def submit_scan() -> Any:
    """Queue a scan: {"scanner", "request", optional "timeout_s"} -> 202 {"job_id", "status_url"}."""
    caller = current_caller()
    body = _json_body()
    scan_request = body.get("request")
    if not isinstance(scan_request, dict):
        raise InvalidRequestError("request must be a JSON object (the scanner's request)")
    # the scan service checks the scanner (registered, available, in the plan) and the request's shape
    job_id = _service().submit(caller.org_id, caller.user_id, body.get("scanner"), scan_request,
                               timeout_s=_timeout_field(body))
    status_url = url_for("api.scan_status", job_id=job_id)
    response = jsonify({"job_id": job_id, "status_url": status_url})
    response.headers["Location"] = status_url
    return response, 202


def _timeout_field(body: dict[str, Any]) -> Any:
    # absent means the default; an explicit null is a malformed request, as the document says
    if "timeout_s" in body and body["timeout_s"] is None:
        raise InvalidRequestError("timeout_s must be a positive number (leave it out for the default)")
    return body.get("timeout_s")


@api.get("/scans")
def list_scans() -> Any:
    """The organisation's finished scans, newest first: ?limit&offset&search."""
    caller = current_caller()
    limit = _int_arg("limit", DEFAULT_PAGE, 1, 500)
    offset = _int_arg("offset", 0, 0, 10_000_000)
    search = request.args.get("search") or None
    scans = _service().history(caller.org_id, limit, offset, search)
    return jsonify({"scans": scans, "limit": limit, "offset": offset})


@api.get("/scans/<job_id>")
def scan_status(job_id: str) -> Any:
    """State, percent and message of one of the organisation's scans."""
    return jsonify(_service().status(current_caller().org_id, job_id))


@api.get("/scans/<job_id>/result")
def scan_result(job_id: str) -> Any:
    """The finished scan's result; 409 while it is queued or running."""
    result = _service().result(current_caller().org_id, job_id)
    if result is None:
        raise JobNotFinishedError("the scan has not finished yet; poll its status_url")
    return jsonify(result)


@api.get("/scans/<job_id>/report")
def scan_report(job_id: str) -> Any:
    """The finished scan as a pdf, json, csv or sarif download (?format&language)."""
    fmt = request.args.get("format", "pdf")
    language = request.args.get("language", "en")
    data, mime, name = _service().export(current_caller().org_id, job_id, fmt, language)
    return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@api.get("/scans/<job_id>/artifacts/<int:index>")
def scan_artifact(job_id: str, index: int) -> Any:
    """A file the scan wrote for the organisation (a redacted copy), by its place in `artifacts`."""
    data, mime, name = _service().artifact(current_caller().org_id, job_id, index)
    return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                  "X-Content-Type-Options": "nosniff"})


@api.delete("/scans/<job_id>")
def cancel_scan(job_id: str) -> Any:
    """Cancel a queued or running scan; answers the state it was found in or moved to."""
    caller = current_caller()
    state = _service().cancel(caller.org_id, job_id, caller.user_id)
    return jsonify({"job_id": job_id, "state": state})


@api.post("/billing/webhook")
def billing_webhook() -> Any:
    """Stripe's webhook: the raw body and its Stripe-Signature go to services.billing as they came."""
    # WebhookSignatureError is a 400, so Stripe shows the refusal and retries
    signature = request.headers.get("Stripe-Signature", "")
    outcome = billing.handle_webhook(request.get_data(cache=False), signature)
    return jsonify({"received": True, **outcome})
