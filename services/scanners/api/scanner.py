"""The API scanner: can someone read personal data through this API who should not?

Request: `base_url` (http or https), and optionally an OpenAPI 3 / Swagger 2 document: `spec_file` (an
upload or a path in the scan roots) or the option `spec` (a path or a URL). Without one, the documents
at COMMON_SPEC_PATHS are tried, then the paths of COMMON_PATHS are probed with GET.

For each operation (safe methods only unless `allow_unsafe`; progress per operation):
1. a request without credentials; with credentials, one as the main user (A) too;
2. the JSON bodies read for personal data (JSON path as location); personal data answered without
   credentials is `api.unauthenticated_personal_data`;
3. the headers (nosniff, HSTS, no-store on personal data), CORS (any origin with credentials), stack
   traces and framework errors, fields the schema does not declare, bodies that do not match it;
4. with path or query parameters: once more with a malformed value (errors that show a stack trace);
5. with a second user's credentials (B): A's object requested as B; the same answer to B, where a
   request without credentials is refused, is `api.broken_object_authorization`.
Then, once per scan: a credential in the query string (`api.key_in_query`) and a bounded burst to one
cheap GET (`api.no_rate_limit`). Every request goes through ApiClient.send (client.py): the method rule,
the request budget, the pace, the SSRF guard and the per-host breaker all live behind it.

The result's own section `api`: {base_url, spec: {source, version, title, operations, read} | null,
endpoints: [{method, path, status, authenticated_status, findings}], requests_sent, skipped, notes}.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from services.inputs.paths import resolve_scan_path
from services.inputs.web import SAFE_METHODS, WebClient, WebLimits, check_url
from services.results import Finding, Severity, build_result, status_for, utc_now_iso
from services.scanners.api import checks
from services.scanners.api.client import (
    ANONYMOUS,
    ApiClient,
    Exchange,
    Identity,
    RequestBudgetSpent,
    same_site,
)
from services.scanners.api.options import ApiOptions, identities, read_options
from services.scanners.api.spec import MAX_SPEC_BYTES, Operation, Spec, parse_document, read_spec
from services.scanners.base import Progress, Request, Result
from utils.errors import InvalidRequestError, RequestTooLargeError, TargetUnavailableError

logger = logging.getLogger(__name__)

# where APIs publish their documents; tried in order when none is given
COMMON_SPEC_PATHS = ("/openapi.json", "/api/openapi.json", "/api/v1/openapi.json", "/swagger.json",
                     "/v3/api-docs", "/swagger/v1/swagger.json")
# probed with GET when there is no document: the usual places of people, accounts and debug output
COMMON_PATHS = ("/", "/api", "/api/v1", "/users", "/api/users", "/api/v1/users", "/me", "/api/me",
                "/user", "/api/user", "/customers", "/api/customers", "/accounts", "/api/accounts",
                "/members", "/employees", "/orders", "/api/orders", "/profile", "/admin", "/debug",
                "/status", "/health", "/actuator/env", "/actuator/health", "/.env", "/graphql")
QUERY_KEY_NAMES = ("access_token", "api_key", "token", "apikey", "key")  # tried after the document's own
MALFORMED = "dg'\"<x>"  # a value no typed parameter accepts: what a broken handler answers with a trace
REFUSED = (401, 403)
PERSONAL_CATEGORIES = ("pii", "special")
MAX_HARVESTED_NODES = 5_000  # nodes of one answer searched for ids
_ID_KEY = re.compile(r"(^|_)(id|uuid)$", re.IGNORECASE)


@dataclass
class _Endpoint:
    """What one operation answered, for the result's endpoint list."""

    method: str
    path: str
    status: int = 0
    authenticated_status: int | None = None
    findings: int = 0


@dataclass
class _Run:
    """The state of one scan."""

    options: ApiOptions
    api: ApiClient
    first: Identity
    second: Identity
    progress: Progress
    kinds: frozenset[str]
    findings: list[Finding] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    endpoints: list[_Endpoint] = field(default_factory=list)
    headers: checks.HeaderTally = field(default_factory=checks.HeaderTally)
    answered: int = 0
    protected_count: int = 0  # operations refused without credentials
    refused_with_credentials: int = 0  # of those, the ones refused with them too
    bytes_read: int = 0
    cheap_get: tuple[Operation, Identity] | None = None
    ids: dict[str, str] = field(default_factory=dict)  # id-like key -> a value user A was answered
    objects_checked: int = 0  # objects of A requested as B
    protected: Operation | None = None  # refused without credentials, answered with them

    def add(self, finding: Finding | None, endpoint: _Endpoint | None = None) -> None:
        """Keep a finding (None: nothing found)."""
        if finding is not None:
            self.findings.append(finding)
            if endpoint is not None:
                endpoint.findings += 1

    def error(self, where: str, kind: str, message: str) -> None:
        """A per-operation problem; the scan goes on."""
        logger.warning("api: %s: %s", where, message)
        self.errors.append({"endpoint": where, "kind": kind, "message": message})


class ApiScanner:
    """Finds personal data exposed through an HTTP API and the ways it gets out."""

    name = "api"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan the API at `request["base_url"]` (see the module docstring)."""
        started_at = utc_now_iso()
        options = read_options(request.get("options"))
        base_url = request.get("base_url")
        if not isinstance(base_url, str):
            raise InvalidRequestError("base_url must be an http or https URL")
        first, second = identities(request, options)
        check_url(base_url, "base_url")  # refused before anything is sent: private, malformed
        limits = WebLimits(timeout_s=options.timeout_s, max_bytes=MAX_SPEC_BYTES)
        with WebClient(limits) as web:
            api = ApiClient(web, base_url, options.max_requests, options.rate_per_s, options.allow_unsafe)
            run = _Run(options, api, first, second, progress, frozenset(options.kinds))
            progress(0.0, "reading the API document")
            spec, source, operations = None, "", []
            try:
                spec, source = _spec(run, request)
                operations = _operations(run, spec, source)
                _probe_all(run, operations)
                _once_per_scan(run)
            except RequestBudgetSpent as spent:
                run.notes.append(str(spent))
            except TargetUnavailableError as error:  # the host (or its breaker) refused us: nothing to read
                run.error(base_url, "unavailable", str(error))
        return _result(run, base_url, spec, source, operations, started_at)


# --- the document ------------------------------------------------------------------------------

def _spec(run: _Run, request: Request) -> tuple[Spec | None, str]:
    """The document the request names, or one found at a common place; (None, "") when there is none."""
    given = request.get("spec_file") or run.options.spec
    if given:
        if not isinstance(given, str):
            raise InvalidRequestError("spec must be a path or a URL")
        data = _fetched(run, given, "spec") if given.startswith(("http://", "https://")) else _read(given)
        return read_spec(parse_document(data), run.options.max_operations), _shown(given)
    for path in COMMON_SPEC_PATHS:
        found = _discovered(run, path)
        if found is not None:
            run.notes.append(f"no document given; read the one at {path}")
            return found, path
    run.notes.append("no OpenAPI document given or found: common paths were probed")
    return None, ""


def _read(path: str) -> bytes:
    """A document on the platform's host, inside the job's scan roots (resolve_scan_path)."""
    resolved = resolve_scan_path(path)
    if not resolved.is_file():
        raise InvalidRequestError("spec must name a file")
    if resolved.stat().st_size > MAX_SPEC_BYTES:
        raise RequestTooLargeError(f"spec is larger than {MAX_SPEC_BYTES} bytes")
    with open(resolved, "rb") as handle:
        return handle.read(MAX_SPEC_BYTES + 1)


def _fetched(run: _Run, url: str, what: str) -> bytes:
    # the credentials are the API's: a document on another host is fetched without them
    identity = run.first if same_site(run.api.base_url, url) else ANONYMOUS
    exchange = run.api.send("GET", url, identity)
    if exchange.response is None:
        raise InvalidRequestError(f"{what} could not be fetched: {exchange.error}")
    if exchange.response.truncated:
        raise RequestTooLargeError(f"{what} is larger than {MAX_SPEC_BYTES} bytes")
    if not exchange.ok:
        raise InvalidRequestError(f"{what} could not be fetched: HTTP {exchange.status}")
    run.bytes_read += len(exchange.response.body)
    return exchange.response.body


def _discovered(run: _Run, path: str) -> Spec | None:
    exchange = run.api.send("GET", run.api.url_of(path), run.first)
    if not exchange.ok or exchange.response is None or exchange.response.truncated:
        return None
    try:
        return read_spec(parse_document(exchange.response.body), run.options.max_operations)
    except InvalidRequestError:
        return None


def _shown(source: str) -> str:
    """How the result names the document: a URL without its query, a path by its name only."""
    if source.startswith(("http://", "https://")):
        return source.split("?", 1)[0]
    return os.path.basename(source)


def _operations(run: _Run, spec: Spec | None, source: str) -> list[Operation]:
    if spec is None:
        return [Operation("GET", path, path) for path in COMMON_PATHS]
    run.notes += spec.notes
    base_path = run.api.url_of("")
    prefix = "" if base_path.rstrip("/").endswith(spec.base_path) else spec.base_path
    for name in spec.query_key_names:
        run.add(checks.made("api.key_in_query", f"query parameter {name}",
                            f"the document declares an API key sent as query parameter {name!r}",
                            key=f"declared\x1f{name}", confidence=1.0, declared=True,
                            reproducer=f"curl -sS {shlex.quote(source)}" if "://" in source else ""))
    return [Operation(op.method, prefix + op.template, prefix + op.path, op.params, op.security,
                      op.responses, op.body) for op in spec.operations]


# --- the operations ------------------------------------------------------------------------

def _probe_all(run: _Run, operations: list[Operation]) -> None:
    total = max(len(operations), 1)
    for number, operation in enumerate(operations):
        run.progress(5.0 + 85.0 * number / total, f"{operation.name} ({number + 1} of {total})")
        if operation.method not in SAFE_METHODS and not run.options.allow_unsafe:
            run.skipped.append({"endpoint": operation.name,
                                "reason": "not a safe method (allow_unsafe is off)"})
            continue
        try:
            _probe(run, operation)
        except TargetUnavailableError as error:
            run.error(operation.name, "unavailable", str(error))


def _probe(run: _Run, operation: Operation) -> None:
    operation = _with_known_id(run, operation)
    endpoint = _Endpoint(operation.method, operation.template)
    run.endpoints.append(endpoint)
    anonymous = _send(run, operation, ANONYMOUS)
    endpoint.status = anonymous.status
    authenticated = _send(run, operation, run.first) if run.first.given else None
    if authenticated is not None:
        endpoint.authenticated_status = authenticated.status
        if anonymous.status in REFUSED:
            run.protected_count += 1
            run.refused_with_credentials += authenticated.status in REFUSED
        if anonymous.status in REFUSED and authenticated.ok and run.protected is None \
                and operation.method == "GET":
            run.protected = operation
    personal = _read_exchange(run, operation, anonymous, endpoint)
    if authenticated is not None:
        personal = _read_exchange(run, operation, authenticated, endpoint) or personal
    best = authenticated if authenticated is not None and authenticated.ok else anonymous
    if authenticated is not None and authenticated.ok:
        _harvest(run, checks.json_body(authenticated))
    if best.ok and operation.method == "GET" and run.cheap_get is None:
        run.cheap_get = (operation, best.identity)
    _schema_checks(run, operation, best, personal, endpoint)
    if operation.params:
        _malformed(run, operation, endpoint)
    if run.second.given and authenticated is not None:
        held = sorted({kind for kinds in personal.values() for kind in kinds})
        _object_level(run, operation, (anonymous, authenticated), held, endpoint)


def _send(run: _Run, operation: Operation, identity: Identity) -> Exchange:
    exchange = run.api.send(operation.method, run.api.url_of(operation.path), identity, body=operation.body)
    if exchange.response is None:
        run.error(operation.name, "refused", exchange.error)
    else:
        run.answered += 1
        run.bytes_read += len(exchange.response.body)
    return exchange


def _read_exchange(run: _Run, operation: Operation, exchange: Exchange,
                   endpoint: _Endpoint) -> dict[str, list[str]]:
    """Findings of one response; the JSON paths that held personal data, with their types."""
    if exchange.response is None:
        return {}
    found = checks.personal_data(exchange, operation.name, run.kinds) if exchange.ok else []
    # personal data only: a credential in an answer is its own finding (secret.*), with its own severity
    people = [f for f in found if f.category in PERSONAL_CATEGORIES]
    if exchange.ok and "secret" in run.kinds:
        found += checks.secrets_in(exchange, operation.name)
    for finding in found:
        run.add(finding, endpoint)
    run.add(checks.unauthenticated(exchange, operation.name, people), endpoint)
    run.add(checks.cors(exchange, operation.name), endpoint)
    run.add(checks.verbose_error(exchange, operation.name), endpoint)
    run.headers.read(exchange, operation.name, bool(people))
    personal: dict[str, list[str]] = {}
    for finding in people:
        personal.setdefault(str(finding.location["json_path"]), []).append(finding.type)
    return personal


def _schema_checks(run: _Run, operation: Operation, exchange: Exchange, personal: dict[str, list[str]],
                   endpoint: _Endpoint) -> None:
    if not exchange.ok or not operation.responses:
        return
    body = checks.json_body(exchange)
    run.add(checks.undeclared_fields(operation, exchange, body, personal), endpoint)
    run.add(checks.schema_mismatch(operation, exchange, body), endpoint)


def _malformed(run: _Run, operation: Operation, endpoint: _Endpoint) -> None:
    """The operation once more with its first parameter malformed: does the error show its insides?"""
    name = operation.params[0][1]
    broken = operation.with_value(name, MALFORMED)
    exchange = _send(run, broken, run.first if run.first.given else ANONYMOUS)
    run.add(checks.verbose_error(exchange, operation.name), endpoint)


def _object_level(run: _Run, operation: Operation, answers: tuple[Exchange, Exchange], personal: list[str],
                  endpoint: _Endpoint) -> None:
    """A's object, requested as B: answered alike where a request without credentials is refused. High
    when the object holds personal data; medium otherwise (it may be shared by design: confirm)."""
    anonymous, authenticated = answers
    if operation.method != "GET" or "{" not in operation.template or not authenticated.ok \
            or anonymous.status not in REFUSED:
        return
    run.objects_checked += 1
    other = _send(run, operation, run.second)
    body = checks.json_body(other) if other.ok else None
    if body is None or body != checks.json_body(authenticated):
        return
    run.add(checks.made(
        "api.broken_object_authorization", operation.name,
        f"user B read the object user A reads at {operation.path.split('?', 1)[0]} (HTTP {other.status}, "
        "same body); without credentials it is refused" + (f"; it holds {', '.join(personal)}" if personal
                                                           else "; no personal data seen in it"),
        key=operation.path, reproducer=other.reproducer, path=operation.path.split("?", 1)[0],
        severity=None if personal else Severity.MEDIUM, personal_data=personal,
        as_a=authenticated.reproducer), endpoint)


def _harvest(run: _Run, body: Any) -> None:
    """Remember the first value of each id-like key in A's answers: the ids of A's own objects."""
    stack, seen = [body], 0
    while stack and seen < MAX_HARVESTED_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, list):
            stack.extend(node[:50])
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append(value)
                elif _ID_KEY.search(str(key)) and _id_like(value):
                    run.ids.setdefault(str(key).lower(), str(value))


def _id_like(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and 0 < len(str(value)) <= 100


def _with_known_id(run: _Run, operation: Operation) -> Operation:
    """The operation with its first path parameter set to an id user A was answered, when one is known:
    an object that exists and is A's, where the document's example may name none."""
    for where, name, _ in operation.params:
        if where != "path":
            continue
        known = run.ids.get(name.lower()) or (run.ids.get("id") if _ID_KEY.search(name) else None)
        return operation.with_value(name, known) if known else operation
    return operation


# --- once per scan ---------------------------------------------------------------------------

def _once_per_scan(run: _Run) -> None:
    run.progress(90.0, "query-string credentials")
    _query_keys(run)
    run.progress(93.0, "rate limiting")
    _burst(run)


def _query_keys(run: _Run) -> None:
    """The main credential sent in the query string instead of a header, where headers are required."""
    operation = run.protected
    if operation is None or not run.first.token:
        return
    names = [*dict.fromkeys(n for n in QUERY_KEY_NAMES)]
    for name in names:
        exchange = run.api.send("GET", run.api.url_of(operation.path), run.first, query_secret=name)
        if exchange.ok:
            run.add(checks.made("api.key_in_query", operation.name,
                                f"the API accepted the credential as query parameter {name!r} (HTTP "
                                f"{exchange.status})", key=f"accepted\x1f{name}",
                                reproducer=exchange.reproducer, parameter=name))
            return


def _burst(run: _Run) -> None:
    if run.cheap_get is None or run.options.burst < 2:
        return
    operation, identity = run.cheap_get
    url = run.api.url_of(operation.path)
    burst = []
    for _ in range(run.options.burst):
        try:
            burst.append(run.api.send("GET", url, identity, burst=True))
        except TargetUnavailableError:
            break
        if burst[-1].status == 429:
            break
    run.add(checks.no_rate_limit(burst, operation.name))


# --- the result ------------------------------------------------------------------------------

def _result(run: _Run, base_url: str, spec: Spec | None, source: str, operations: list[Operation],
            started_at: str) -> Result:
    run.add(checks.plain_http(base_url))
    run.findings += run.headers.findings()
    if run.protected_count and run.refused_with_credentials == run.protected_count:
        run.error(base_url, "credentials_refused", f"the credentials were refused (HTTP 401/403) on all "
                  f"{run.protected_count} operations that need them: check the token, API key or password")
    if not run.answered and not run.errors:
        run.error(base_url, "unavailable", f"no operation of {base_url} answered")
    findings = list(_unique(run.findings))
    section = {
        "base_url": base_url,
        "spec": None if spec is None else {"source": source, "version": spec.version, "title": spec.title,
                                           "operations": spec.total_operations, "read": len(operations)},
        "endpoints": [vars(e) for e in run.endpoints],
        "requests_sent": run.api.sent,
        "objects_checked": run.objects_checked,
        "skipped": run.skipped,
        "notes": run.notes,
    }
    logger.info("api: %s: %d operations, %d requests, %d findings, %d errors", base_url, len(run.endpoints),
                run.api.sent, len(findings), len(run.errors))
    run.progress(100.0, f"{len(run.endpoints)} operations, {len(findings)} findings")
    return build_result("api", findings, started_at=started_at, items_scanned=len(run.endpoints),
                        bytes_scanned=run.bytes_read, errors=run.errors,
                        status=status_for(run.answered, run.errors), extra={"api": section})


def _unique(findings: list[Finding]) -> Iterator[Finding]:
    seen: set[str] = set()
    for finding in findings:
        if finding.fingerprint not in seen:
            seen.add(finding.fingerprint)
            yield finding
