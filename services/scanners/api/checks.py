"""What one API response says about the API: personal data, headers, CORS, errors, schema drift.

Each function reads exchanges (services/scanners/api/client.Exchange) and returns findings; none sends a
request. Personal data in a JSON body is found by the structure-aware detection engine
(services/detection/structured.column_findings): the body is flattened into columns by key path
(`users[].email`), so the key names are context for the values under them, and one finding is made per
(endpoint, JSON path, type) with a count. No value of a response ever reaches a finding unmasked: the
evidence of a personal-data finding is masked by the engine; the other findings quote header names,
JSON paths and the status, never a body.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from services.detection import scan_text
from services.detection.context import DOWNGRADED_CONFIDENCE
from services.detection.fingerprint import fingerprint
from services.detection.structured.columns import column_findings
from services.detection.structured.records import Column, Records
from services.detection.structured.validators import holds_value
from services.detection.types import TYPES
from services.results import Finding, Severity
from services.scanners.api.client import CORS_PROBE_ORIGIN, Exchange
from services.scanners.api.spec import Operation, schema_for

MAX_JSON_NODES = 200_000  # values walked per response body; the rest is not read for personal data
MAX_LISTED = 20  # endpoints or fields a finding lists
# what frameworks print when they fail: a stack trace or an error page meant for developers
_VERBOSE = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+|\bat [\w$.]+\([\w$]+\.java:\d+\)"
    r"|Exception in thread|System\.[A-Za-z]+Exception|\bat [\w.]+ in [^\s]+\.cs:line \d+"
    r"|\.php on line \d+|Stack trace:|SQLSTATE\[|\bORA-\d{5}\b|Werkzeug Debugger|django\.core\.exceptions"
    r"|node_modules/|\bat [\w.<>]+ \(/[^)]+\.js:\d+:\d+\)|undefined method .+ for nil:NilClass"
    r"|Microsoft OLE DB Provider|You have an error in your SQL syntax", re.IGNORECASE)
_ORIGIN = shlex.quote(f"Origin: {CORS_PROBE_ORIGIN}")
_RATE_HEADERS = ("ratelimit-limit", "ratelimit-remaining", "x-ratelimit-limit", "x-ratelimit-remaining",
                 "ratelimit-policy", "retry-after", "x-rate-limit-limit")


def made(kind: str, endpoint: str, evidence: str, *, key: str = "", reproducer: str = "",
         severity: Severity | None = None, confidence: float = 0.9, **explained: Any) -> Finding:
    """A finding of an `api.` type at `endpoint`, with its reproducer in the explanation."""
    info = TYPES[kind]
    location: dict[str, Any] = {"path": endpoint, "endpoint": endpoint}
    if "json_path" in explained:
        location["json_path"] = explained["json_path"]
    explanation = {"detector": "api", "matched": info.description, **explained}
    if reproducer:
        explanation["reproducer"] = reproducer
    return Finding(type=kind, category=info.category, severity=severity or info.severity,
                   confidence=confidence, location=location, evidence=evidence, gdpr_articles=info.articles,
                   remediation=info.remediation, explanation=explanation,
                   fingerprint=fingerprint(kind, f"{endpoint}\x1f{key}", endpoint))


# --- personal data in bodies -----------------------------------------------------------------

def json_body(exchange: Exchange) -> Any:
    """The response body as JSON, or None (no body, not JSON, cut short)."""
    response = exchange.response
    if response is None or not response.body or response.truncated:
        return None
    if "json" not in response.content_type and response.body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(response.body)
    except (ValueError, RecursionError):
        return None


def flattened(value: Any) -> Records:
    """A JSON value as columns by key path (list indices left out: `users[].email`)."""
    records = Records(kind="document")
    stack: list[tuple[Any, tuple[str, ...], str | None, str | None]] = [(value, (), None, None)]
    position = 0
    while stack and position < MAX_JSON_NODES:
        node, path, key, parent = stack.pop()
        position += 1
        if isinstance(node, dict):
            for name, child in reversed(list(node.items())):
                shown = "*" if holds_value(str(name)) else str(name)  # a key that is itself a value
                stack.append((child, (*path, shown), shown, key))
        elif isinstance(node, list):
            stack.extend((item, (*path, "[]"), key, parent) for item in reversed(node))
        elif key is not None and node is not None and not isinstance(node, bool):
            column = records.column(Column(key, json_path(path), table=json_path(path[:-1]) or None,
                                           parent=parent))
            records.add(column, str(node), position)
    return records


def json_path(path: Iterable[str]) -> str:
    """`$.users[].email` from its parts."""
    text = "$"
    for part in path:
        text += part if part == "[]" else f".{part}"
    return text


def personal_data(exchange: Exchange, endpoint: str, kinds: frozenset[str]) -> list[Finding]:
    """Personal data in the JSON body, one finding per (JSON path, type), located at the endpoint."""
    body = json_body(exchange)
    if body is None:
        return []
    found = column_findings(flattened(body), endpoint, kinds, lambda: None)
    located = []
    for finding in found:
        path = str(finding.location.get("column", "$"))
        location = {"path": endpoint, "endpoint": endpoint, "json_path": path,
                    "count": finding.location.get("count", 1)}
        explanation = {**finding.explanation, "reproducer": exchange.reproducer, "status": exchange.status}
        located.append(Finding(type=finding.type, category=finding.category, severity=finding.severity,
                               confidence=finding.confidence, location=location, evidence=finding.evidence,
                               gdpr_articles=finding.gdpr_articles, remediation=finding.remediation,
                               explanation=explanation,
                               fingerprint=fingerprint(finding.type, f"{endpoint}\x1f{path}", endpoint)))
    return located


def secrets_in(exchange: Exchange, endpoint: str) -> list[Finding]:
    """Credentials in the JSON body (an environment dump, a key in a profile), each as `key: value` so
    the secret detectors see the name beside the value; located by JSON path."""
    body = json_body(exchange)
    if body is None:
        return []
    lines: list[str] = []
    paths: list[str] = []
    for column in flattened(body).columns.values():
        for cell in column.cells:
            lines.append(f"{column.name}: {cell.value}")
            paths.append(column.label)
    found = scan_text("\n".join(lines), path=endpoint, kinds=frozenset({"secret"})) if lines else []
    located = []
    for finding in found:
        line = int(finding.location.get("line") or 1)
        path = paths[min(max(line, 1), len(paths)) - 1]
        located.append(dataclasses.replace(
            finding, location={"path": endpoint, "endpoint": endpoint, "json_path": path},
            explanation={**finding.explanation, "reproducer": exchange.reproducer, "status": exchange.status},
            fingerprint=fingerprint(finding.type, f"{endpoint}\x1f{path}", endpoint)))
    return located


def unauthenticated(exchange: Exchange, endpoint: str, found: list[Finding]) -> Finding | None:
    """Personal data answered to a request without credentials (alerts only: a note, such as a bare
    checksum-valid number in a schema's `maximum`, is no person's data)."""
    found = [f for f in found if f.confidence > DOWNGRADED_CONFIDENCE]
    if not found or exchange.identity.given or not exchange.ok:
        return None
    kinds = sorted({f.type for f in found})
    paths = sorted({str(f.location.get("json_path")) for f in found})[:MAX_LISTED]
    return made("api.unauthenticated_personal_data", endpoint,
                f"HTTP {exchange.status} without credentials, holding {', '.join(kinds)} at "
                f"{', '.join(paths)}",
                reproducer=exchange.reproducer, types=kinds, json_paths=paths)


# --- headers, CORS, errors ------------------------------------------------------------------

def cors(exchange: Exchange, endpoint: str) -> Finding | None:
    """Access-Control-Allow-Origin of any origin (`*` or ours reflected) together with credentials."""
    response = exchange.response
    if response is None:
        return None
    origin = (response.header("access-control-allow-origin") or "").strip()
    credentials = (response.header("access-control-allow-credentials") or "").strip().lower() == "true"
    if not credentials or origin not in ("*", CORS_PROBE_ORIGIN):
        return None
    reflected = origin == CORS_PROBE_ORIGIN
    return made("api.cors_any_origin_with_credentials", endpoint,
                f"Access-Control-Allow-Origin: {'(our probe origin, reflected)' if reflected else '*'} with "
                "Access-Control-Allow-Credentials: true",
                key="reflected" if reflected else "wildcard",
                reproducer=exchange.reproducer.replace("curl -sS -i", f"curl -sS -i -H {_ORIGIN}", 1),
                severity=Severity.HIGH if reflected else Severity.MEDIUM, reflected=reflected)


def verbose_error(exchange: Exchange, endpoint: str) -> Finding | None:
    """A stack trace or framework error page in a response body."""
    response = exchange.response
    if response is None:
        return None
    match = _VERBOSE.search(response.body[:256 * 1024].decode("utf-8", "replace"))
    if match is None:
        return None
    marker = match.group(0)[:60]  # the pattern's own words (a file name at most), never the body around it
    return made("api.verbose_error", endpoint, f"HTTP {exchange.status}: the body shows {marker!r}",
                reproducer=exchange.reproducer, status=exchange.status)


@dataclass
class HeaderTally:
    """Which endpoints lacked which security header (one finding per header for the whole API)."""

    missing: dict[str, list[str]] = field(default_factory=dict)
    reproducers: dict[str, str] = field(default_factory=dict)

    def read(self, exchange: Exchange, endpoint: str, holds_personal_data: bool) -> None:
        """Note the headers this response lacks."""
        response = exchange.response
        if response is None:
            return
        wanted = []
        if (response.header("x-content-type-options") or "").strip().lower() != "nosniff":
            wanted.append("X-Content-Type-Options")
        if urlsplit(exchange.url).scheme == "https" and not response.header("strict-transport-security"):
            wanted.append("Strict-Transport-Security")
        if holds_personal_data and "no-store" not in (response.header("cache-control") or "").lower():
            wanted.append("Cache-Control: no-store")
        for header in wanted:
            endpoints = self.missing.setdefault(header, [])
            if endpoint not in endpoints:
                endpoints.append(endpoint)
            self.reproducers.setdefault(header, exchange.reproducer)

    def findings(self) -> list[Finding]:
        """One finding per missing header, listing the endpoints."""
        return [made("api.missing_security_header", endpoints[0],
                     f"{header} missing on {len(endpoints)} endpoint(s)", key=header,
                     reproducer=self.reproducers[header], header=header, endpoints=endpoints[:MAX_LISTED])
                for header, endpoints in self.missing.items()]


def plain_http(base_url: str) -> Finding | None:
    """The API is reached over plain http."""
    if urlsplit(base_url).scheme != "http":
        return None
    return made("api.plain_http", base_url, "the API is served over http://: requests and answers travel "
                "unencrypted", reproducer=f"curl -sS -i {base_url}")


def no_rate_limit(burst: list[Exchange], endpoint: str) -> Finding | None:
    """A burst of requests answered without a 429 or any rate-limit header."""
    answered = [e for e in burst if e.response is not None]
    if len(answered) < 2:
        return None
    if any(e.status == 429 or any(e.response.header(h) for h in _RATE_HEADERS)  # type: ignore[union-attr]
           for e in answered):
        return None
    statuses = sorted({e.status for e in answered})
    return made("api.no_rate_limit", endpoint,
                f"{len(answered)} requests in a burst all answered ({', '.join(map(str, statuses))}); "
                "no 429 and no rate-limit header", reproducer=answered[0].reproducer, requests=len(answered))


# --- the schema ------------------------------------------------------------------------------

def undeclared_fields(operation: Operation, exchange: Exchange, body: Any,
                      personal: Mapping[str, list[str]]) -> Finding | None:
    """Fields of the body that the declared response schema does not list (excessive data exposure).

    `personal` maps JSON paths to the personal-data types found there: an undeclared field holding
    personal data is high severity.
    """
    schema = schema_for(operation, exchange.status)
    if schema is None or body is None:
        return None
    extra = sorted(set(_undeclared(body, schema, ())))
    if not extra:
        return None
    holding = sorted({kind for path in extra for kind in personal.get(path, [])})
    listed = extra[:MAX_LISTED]
    evidence = f"{len(extra)} field(s) not in the schema: {', '.join(listed)}"
    if holding:
        evidence += f"; they hold {', '.join(holding)}"
    return made("api.undeclared_field", operation.name, evidence, reproducer=exchange.reproducer,
                severity=Severity.HIGH if holding else None, fields=listed, personal_data=holding)


def _undeclared(value: Any, schema: Any, path: tuple[str, ...], depth: int = 0) -> Iterator[str]:
    if not isinstance(schema, dict) or depth > 32:
        return
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            merged = _merged(schema[key])
            yield from _undeclared(value, merged, path, depth + 1)
            return
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value[:200]:
            yield from _undeclared(item, schema["items"], (*path, "[]"), depth + 1)
    elif isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        properties = schema["properties"]
        open_ended = schema.get("additionalProperties") not in (None, False)
        for name, child in value.items():
            if name in properties:
                yield from _undeclared(child, properties[name], (*path, str(name)), depth + 1)
            elif not open_ended:
                yield json_path((*path, str(name)))


def _merged(schemas: list[Any]) -> dict[str, Any]:
    """The properties of allOf/oneOf/anyOf members together: a field any of them declares is declared."""
    properties: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    for member in schemas:
        if isinstance(member, dict):
            properties.update(member.get("properties") or {})
            merged.update({k: v for k, v in member.items() if k not in ("properties",)})
            if member.get("additionalProperties") not in (None, False):
                merged["additionalProperties"] = True
    if properties:
        merged["properties"] = properties
    return merged


def schema_mismatch(operation: Operation, exchange: Exchange, body: Any) -> Finding | None:
    """The body does not validate against its declared schema (extra fields aside)."""
    schema = schema_for(operation, exchange.status)
    if schema is None or body is None:
        return None
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        validator = Draft202012Validator(_json_schema(schema, 0))
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))[:5]
    except (SchemaError, RecursionError, TypeError, ValueError):
        return None
    if not errors:
        return None
    # the validator's messages quote the value: only where and which rule failed is kept
    problems = [f"{json_path(str(p) if isinstance(p, str) else '[]' for p in e.absolute_path)}: {e.validator}"
                for e in errors]
    return make_mismatch(operation, exchange, problems)


def make_mismatch(operation: Operation, exchange: Exchange, problems: list[str]) -> Finding:
    """The schema-mismatch finding for `problems` (JSON path and the rule that failed)."""
    return made("api.schema_mismatch", operation.name,
                f"HTTP {exchange.status} body does not match the declared schema: {'; '.join(problems)}",
                reproducer=exchange.reproducer, problems=problems)


def _json_schema(schema: Any, depth: int) -> Any:
    """An OpenAPI 3.0 / Swagger schema as JSON Schema: `nullable` becomes a null type; formats not checked."""
    if depth > 32:
        return {}
    if isinstance(schema, list):
        return [_json_schema(item, depth + 1) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {k: _json_schema(v, depth + 1) for k, v in schema.items()
                 if k not in ("nullable", "example", "discriminator", "xml", "readOnly", "writeOnly")}
    if schema.get("nullable") is True and isinstance(schema.get("type"), str):
        converted["type"] = [schema["type"], "null"]
    return converted
