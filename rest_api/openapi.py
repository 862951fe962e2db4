"""The OpenAPI 3.1 document of /api/v1, written out as data beside the routes it describes.

Each scanner's request schema is derived from its declaration (services/scanners), so a scanner added
to the registry is documented, and validated, without touching this file. tests/rest_api/test_schema.py
runs schemathesis against the served copy, so a route that answers something this document does not
declare fails the tests.
"""

from __future__ import annotations

from typing import Any

from services import scanners, scoring
from services.scanners.declaration import (
    MAX_LIST_ITEMS,
    MAX_TEXT_CHARS,
    SECRET_PATTERN,
    Field,
    ScannerDeclaration,
)
from utils.config import get_settings

VERSION = "1.0.0"
REPORT_TYPES = ("application/pdf", "application/json", "text/csv", "application/sarif+json")
ARTIFACT_TYPES = ("image/png", "image/tiff", "image/jpeg", "application/octet-stream")
JOB_STATES = ("queued", "running", "succeeded", "failed", "timed_out", "cancelled", "dead")
# a scan that could not read its input (status failed) is not assessed: no score (services/scoring.py)
SCORE = {"type": ["integer", "null"], "minimum": 0, "maximum": 100,
         "description": "null when the scan is not assessed (status failed)"}
RISK_LEVEL = {"type": ["string", "null"],
              "enum": [*(level for _, level in scoring.RISK_LEVELS), scoring.NOT_ASSESSED, None]}
SUMMARY_DESCRIPTION = ("A failed scan could not read its input: compliance_score is null and risk_level "
                       "not_assessed, whatever findings it has. A degraded scan read part of its input: its "
                       "score covers what was read.")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    reasons = {400: "malformed request (or, for the webhook, a signature that does not verify)",
               401: "missing, unknown or revoked API key", 403: "scanner not in the organisation's plan",
               404: "no such scan for this organisation", 409: "the scan has not finished yet",
               413: "request or upload over the size limit", 415: "unsupported media type",
               429: "rate limit exceeded (see Retry-After) or monthly scan quota reached",
               503: "Redis or PostgreSQL unavailable"}
    return {str(s): _json(_ref("Error"), reasons[s]) for s in statuses}


AUTHED = (400, 401, 429, 503)  # what any authenticated call may answer besides its own statuses
STRIPE_SIGNATURE = {"name": "Stripe-Signature", "in": "header", "required": True,
                    "description": "t=<unix time>,v1=<HMAC-SHA256 of the raw body with the endpoint secret>",
                    "schema": {"type": "string"}}
JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
ARTIFACT_INDEX = {"name": "index", "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 0}}


def _op(summary: str, responses: dict[str, Any], *, public: bool = False, **extra: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": responses, **extra}
    if public:
        operation["security"] = []
    return operation


def _paths() -> dict[str, Any]:
    return {
        "/api/v1/health": {"get": _op("Redis and PostgreSQL reachable", {
            "200": _json(_ref("Health"), "both answer"), "503": _json(_ref("Health"), "one does not")},
            public=True)},
        "/api/v1/openapi.json": {"get": _op("This document", {
            "200": _json({"type": "object"}, "the OpenAPI document")}, public=True)},
        "/api/v1/scanners": {"get": _op("Availability of every scanner", {
            "200": _json(_ref("Scanners"), "per scanner"), **_errors(*AUTHED)})},
        "/api/v1/uploads": {"post": _op("Upload a file to scan", {
            "201": _json(_ref("Upload"), "stored; pass `upload` as a scan request's path or archive"),
            **_errors(*AUTHED, 413)}, requestBody=_upload_body())},
        "/api/v1/scans": {
            "post": _op("Submit a scan", {
                "202": _json(_ref("Submitted"), "queued"), **_errors(*AUTHED, 403, 404, 413)},
                requestBody={"required": True,
                             "content": {"application/json": {"schema": _ref("ScanSubmit")}}}),
            "get": _op("The organisation's finished scans, newest first", {
                "200": _json(_ref("ScanList"), "a page of scans"), **_errors(*AUTHED)},
                parameters=_list_parameters()),
        },
        "/api/v1/scans/{job_id}": {
            "parameters": [JOB_ID],
            "get": _op("State, percent and message of a scan", {
                "200": _json(_ref("ScanStatus"), "the scan"), **_errors(*AUTHED, 404)}),
            "delete": _op("Cancel a queued or running scan", {
                "200": _json(_ref("Cancelled"), "the state it was found in or moved to"),
                **_errors(*AUTHED, 404)}),
        },
        "/api/v1/scans/{job_id}/result": {"parameters": [JOB_ID], "get": _op("The scan result", {
            "200": _json(_ref("ScanResult"), "the result"), **_errors(*AUTHED, 404, 409)})},
        "/api/v1/scans/{job_id}/report": {"parameters": [JOB_ID], "get": _op("Download the report", {
            "200": {"description": "the report file", "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in REPORT_TYPES}},
            **_errors(*AUTHED, 404, 409)}, parameters=_report_parameters())},
        "/api/v1/scans/{job_id}/artifacts/{index}": {"parameters": [JOB_ID, ARTIFACT_INDEX], "get": _op(
            "Download a file the scan wrote (a redacted copy), by its place in the result's artifacts", {
                "200": {"description": "the file", "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in ARTIFACT_TYPES}},
                **_errors(*AUTHED, 404, 409)})},
        "/api/v1/session": _session_paths(),
        "/api/v1/billing/webhook": {"post": _op("Stripe webhook (signed by Stripe, no API key)", {
            "200": _json({"type": "object", "required": ["received"]}, "event handled or already seen"),
            **_errors(400, 413, 503)}, public=True, parameters=[STRIPE_SIGNATURE], requestBody={
                "required": True, "content": {"application/json": {"schema": {"type": "object"}}}})},
    }


def _session_paths() -> dict[str, Any]:
    """The UI's session cookie (rest_api/browser_session.py): for its own pages, not for API clients."""
    cookie = {"description": "Set-Cookie: dg_session=…; HttpOnly; SameSite=Strict; Path=/"}
    other_site = _json(_ref("Error"), "sent from another site's page")
    ticket = {"type": "object", "required": ["ticket"],
              "properties": {"ticket": {"type": "string", "minLength": 1, "maxLength": 64}}}
    return {
        "post": _op("Redeem the one-time sign-in ticket the UI issued for the HttpOnly session cookie", {
            "204": cookie, "400": _json(_ref("Error"), "the body is not an object with a string ticket"),
            "401": _json(_ref("Error"), "the ticket is unknown, used or expired"), "403": other_site,
            **_errors(413, 503)}, public=True,
            requestBody={"required": True, "content": {"application/json": {"schema": ticket}}}),
        "delete": _op("End the session the cookie names and clear the cookie", {
            "204": cookie, "403": other_site, **_errors(503)}, public=True),
    }


def _upload_body() -> dict[str, Any]:
    schema = {"type": "object", "required": ["file"],
              "properties": {"file": {"type": "string", "format": "binary"}}}
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}


def _list_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10_000_000}},
        {"name": "search", "in": "query", "schema": {"type": "string", "maxLength": 200,
                                                     "pattern": "^[^\\u0000]*$"}},
    ]


def _report_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "format", "in": "query",
         "schema": {"type": "string", "enum": ["pdf", "json", "csv", "sarif"]}},
        {"name": "language", "in": "query", "schema": {"type": "string", "enum": ["en", "nl"]}},
    ]


def _schemas() -> dict[str, Any]:
    text, nullable_text = {"type": "string"}, {"type": ["string", "null"]}
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": text, "message": text}}}},
        "Health": {"type": "object", "required": ["status", "redis", "postgres"],
                   "properties": {"status": {"enum": ["ok", "unavailable"]},
                                  "redis": text, "postgres": text}},
        "Scanners": {"type": "object", "required": ["scanners"], "properties": {"scanners": {
            "type": "object", "additionalProperties": {
                "type": "string", "description": "available, no worker running, or why it cannot run "
                                                 "(not available yet; not available on this machine …)"}}}},
        "Upload": {"type": "object", "required": ["upload"], "properties": {"upload": text}},
        "ScanSubmit": {"oneOf": [_ref(_submit_name(d)) for d in _customer_scanners()],
                       "description": "a scanner's name and its request, as that scanner declares it"},
        **{_submit_name(d): _submit_schema(d) for d in _customer_scanners()},
        **{_request_name(d): _request_schema(d) for d in _customer_scanners()},
        "Submitted": {"type": "object", "required": ["job_id", "status_url"],
                      "properties": {"job_id": {"type": "string", "format": "uuid"}, "status_url": text}},
        "ScanStatus": {"type": "object", "required": ["job_id", "scanner", "state", "percent", "message"],
                       "properties": {"job_id": text, "scanner": text, "state": {"enum": list(JOB_STATES)},
                                      "percent": {"type": "number", "minimum": 0, "maximum": 100},
                                      "message": text, "created_at": nullable_text}},
        "Cancelled": {"type": "object", "required": ["job_id", "state"],
                      "properties": {"job_id": text, "state": text}},
        "ScanList": {"type": "object", "required": ["scans", "limit", "offset"], "properties": {
            "scans": {"type": "array", "items": _ref("ScanRow")},
            "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
        "ScanRow": {"type": "object", "required": ["job_id", "scanner", "status", "job_state"],
                    "properties": {
            "job_id": text, "scanner": text, "status": text, "job_state": text,
            "compliance_score": SCORE, "risk_level": RISK_LEVEL, "created_at": nullable_text}},
        "ScanResult": {"type": "object", "required": ["scanner", "status"], "properties": {
            "job_id": text, "scanner": text, "status": {"enum": ["completed", "degraded", "failed"]},
            "summary": _ref("Summary"), "findings": {"type": "array", "items": {"type": "object"}},
            "errors": {"type": "array"}}},
        "Summary": {"type": "object", "description": SUMMARY_DESCRIPTION, "properties": {
            "items_scanned": {"type": "integer"}, "bytes_scanned": {"type": "integer"},
            "findings_total": {"type": "integer"}, "findings_by_severity": {"type": "object"},
            "compliance_score": SCORE, "risk_level": RISK_LEVEL, "score_breakdown": {"type": "array"}}},
    }


def _customer_scanners() -> list[ScannerDeclaration]:
    registered = scanners.declarations()
    return [registered[name] for name in scanners.scanner_names()]


def _schema_name(declaration: ScannerDeclaration) -> str:
    return "".join(part.capitalize() for part in declaration.name.split("_"))


def _submit_name(declaration: ScannerDeclaration) -> str:
    return f"{_schema_name(declaration)}Scan"


def _request_name(declaration: ScannerDeclaration) -> str:
    return f"{_schema_name(declaration)}Request"


def _submit_schema(declaration: ScannerDeclaration) -> dict[str, Any]:
    return {"type": "object", "required": ["scanner", "request"], "additionalProperties": False,
            "description": f"{declaration.label}: {declaration.summary}", "properties": {
                "scanner": {"const": declaration.name}, "request": _ref(_request_name(declaration)),
                "timeout_s": {"type": "number", "exclusiveMinimum": 0,
                              "maximum": get_settings().max_job_timeout_s}}}


def _request_schema(declaration: ScannerDeclaration) -> dict[str, Any]:
    """A scanner's request as JSON Schema: its fields (and options) with their kinds and bounds."""
    properties = {f.name: _field_schema(f) for f in declaration.fields}
    if declaration.options:
        properties["options"] = {"type": "object", "additionalProperties": False,
                                 "properties": {f.name: _field_schema(f) for f in declaration.options}}
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties,
                              "required": [f.name for f in declaration.fields if f.required]}
    if declaration.one_of:
        schema["oneOf"] = [{"required": [name]} for name in declaration.one_of]
    if declaration.any_of:  # an empty object or list does not count as given (declaration._check_groups)
        schema["anyOf"] = [{"required": [name], "properties": {name: _given(declaration.field(name))}}
                           for name in declaration.any_of]
    return schema


def _given(field: Field | None) -> dict[str, Any]:
    """What a field of an any_of group must hold to count as given: not empty."""
    kind = field.kind if field else ""
    if kind in ("questionnaire", "json"):
        return {"minProperties": 1}
    if kind in ("list", "evidence", "results"):
        return {"minItems": 1}
    return {"minLength": 1}


def _field_schema(field: Field) -> dict[str, Any]:
    schema = {**_KIND_SCHEMAS[field.kind], "description": f"{field.label}. {field.help}".strip(" .")}
    if field.kind in ("int", "number"):
        schema.update({k: v for k, v in (("minimum", field.minimum), ("maximum", field.maximum))
                       if v is not None})
    if field.kind == "choice":
        schema["enum"] = list(field.choices)
    if field.secret:
        schema.update({"format": "password", "writeOnly": True, "pattern": SECRET_PATTERN})
    return schema


_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}
_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "path": _TEXT, "url": _TEXT, "dsn": _TEXT, "text": _TEXT, "output": _TEXT, "choice": {"type": "string"},
    "bool": {"type": "boolean"}, "int": {"type": "integer"}, "number": {"type": "number"},
    "list": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_LIST_ITEMS}, "json": {},
    "questionnaire": {"type": "object"}, "evidence": {"type": "array", "items": {"type": "object"}},
    "results": {"type": "array", "items": {"type": "object"}, "minItems": 1},
}


def openapi_document() -> dict[str, Any]:
    """The whole document, as served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "DataGuardian Pro API", "version": VERSION,
                 "description": "Submit privacy-compliance scans, follow them and download their reports. "
                                "Every call sees only the organisation of its API key."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"apiKey": []}],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
    }
