"""The API scanner against real Flask APIs on 127.0.0.1: planted issues found, the clean twin clean, only
safe methods sent, no secret or personal value in any output, and every bad input a clear outcome."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, jsonify, redirect, request
from werkzeug.wrappers import Response as WerkzeugResponse

from services.inputs import targets
from services.inputs.web import WebClient
from services.scanners.api import ApiScanner
from services.scanners.api.client import ApiClient, Identity, RequestBudgetSpent, UnsafeMethodError, curl
from services.scanners.api.spec import MAX_SPEC_BYTES, parse_document, read_spec
from services.scanners.base import LocalBreakers, install_outbound_guard, no_progress
from tests.local_sites import LocalSite, serving
from tests.planted import AWS_KEY, PLANTED
from tests.scanners.api_sites import TOKEN_A, TOKEN_B, clean_api, document, leaky_api
from utils.config import get_settings
from utils.errors import InvalidRequestError, RequestTooLargeError, UnsafeInputError

SAFE = {"GET", "HEAD", "OPTIONS"}
FAST = {"rate_per_s": 50, "burst": 5, "timeout_s": 5}
BILLION_LAUGHS = "openapi: 3.0.0\na: &a [" + ",".join(['"lol"'] * 9) + "]\n" + \
    "".join(f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(9)) + \
    "paths: {}\n"


@pytest.fixture(scope="module")
def private_allowed() -> Iterator[None]:
    """Loopback targets allowed for the module's scans; a fresh in-process breaker guard."""
    patch = pytest.MonkeyPatch()
    patch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    previous = install_outbound_guard(LocalBreakers(fail_max=3, reset_s=30.0))
    yield
    install_outbound_guard(previous)
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def leaky(private_allowed: None) -> Iterator[LocalSite]:
    with serving(leaky_api()) as site:
        yield site


@pytest.fixture(scope="module")
def clean(private_allowed: None) -> Iterator[LocalSite]:
    with serving(clean_api()) as site:
        yield site


def scan(site: LocalSite, **options: Any) -> dict[str, Any]:
    """A scan of `site` with its document, both users' tokens and `options`."""
    merged = {"spec": site.url("/openapi.json"), "bearer_token": TOKEN_A, "other_bearer_token": TOKEN_B,
              **FAST, **options}
    return ApiScanner().scan({"base_url": site.url("/"), "options": merged}, no_progress)


@pytest.fixture(scope="module")
def leaky_result(leaky: LocalSite) -> dict[str, Any]:
    return scan(leaky)


@pytest.fixture(scope="module")
def clean_result(clean: LocalSite) -> dict[str, Any]:
    return scan(clean)


def found(result: dict[str, Any], kind: str, endpoint: str | None = None) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["type"] == kind
            and (endpoint is None or f["location"]["endpoint"] == endpoint)]


def test_every_planted_issue_is_found(leaky_result: dict[str, Any]) -> None:
    result = leaky_result
    assert result["status"] == "completed", result["errors"]
    unauthenticated = found(result, "api.unauthenticated_personal_data", "GET /users")
    assert len(unauthenticated) == 1 and unauthenticated[0]["severity"] == "high"
    assert "pii.email" in unauthenticated[0]["evidence"]
    bola = found(result, "api.broken_object_authorization", "GET /accounts/{account_id}")
    assert len(bola) == 1 and bola[0]["severity"] == "high" and "it holds pii.iban" in bola[0]["evidence"]
    assert "$TOKEN_B" in bola[0]["explanation"]["reproducer"]
    in_query = found(result, "api.key_in_query", "GET /accounts/{account_id}")
    assert in_query and in_query[0]["explanation"]["parameter"] == "access_token"
    assert "access_token='\"$TOKEN\"" in in_query[0]["explanation"]["reproducer"]
    assert found(result, "api.cors_any_origin_with_credentials", "GET /users")
    trace = found(result, "api.verbose_error", "GET /items/{item_id}")
    assert trace and "Traceback" in trace[0]["evidence"]
    undeclared = found(result, "api.undeclared_field", "GET /profile")
    assert undeclared and undeclared[0]["severity"] == "high"
    assert undeclared[0]["explanation"]["fields"] == ["$.bsn", "$.private_email"]
    assert undeclared[0]["explanation"]["personal_data"] == ["pii.bsn", "pii.email"]
    assert {f["location"]["json_path"] for f in found(result, "pii.bsn")} == {"$.bsn"}
    emails = {f["location"]["json_path"] for f in found(result, "pii.email")}
    assert emails == {"$.private_email", "$[].email"}
    assert found(result, "api.no_rate_limit") and found(result, "api.plain_http")
    assert found(result, "api.missing_security_header")


def test_the_clean_twin_gives_no_high_severity_finding(clean_result: dict[str, Any]) -> None:
    assert clean_result["status"] == "completed", clean_result["errors"]
    severe = [f["type"] for f in clean_result["findings"] if f["severity"] in ("high", "critical")]
    assert severe == []
    assert {f["type"] for f in clean_result["findings"]} == {"api.plain_http"}
    endpoints = {e["path"]: e for e in clean_result["api"]["endpoints"]}
    assert endpoints["/users"]["status"] == 401 and endpoints["/users"]["authenticated_status"] == 200


def test_only_safe_methods_are_sent_and_unsafe_operations_are_listed_as_skipped(
        leaky: LocalSite, leaky_result: dict[str, Any], clean: LocalSite,
        clean_result: dict[str, Any]) -> None:
    assert {method for method, _ in leaky.requests + clean.requests} <= SAFE
    skipped = {s["endpoint"] for s in leaky_result["api"]["skipped"]}
    assert skipped == {"POST /users", "DELETE /accounts/{account_id}"}


def test_unsafe_methods_are_sent_only_when_allowed(private_allowed: None) -> None:
    with serving(leaky_api()) as site:
        scan(site, allow_unsafe=True, burst=0)
        methods = {method for method, _ in site.requests}
    assert {"POST", "DELETE"} <= methods  # the recording sees them: the test above could fail


def test_the_request_function_refuses_unsafe_methods_and_counts_its_budget(leaky: LocalSite) -> None:
    before = len(leaky.requests)
    with WebClient() as web:
        api = ApiClient(web, leaky.url("/"), max_requests=2, rate_per_s=50)
        for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "post"):
            with pytest.raises(UnsafeMethodError):
                api.send(method, leaky.url("/users"))
        assert len(leaky.requests) == before
        api.send("GET", leaky.url("/users"))
        api.send("HEAD", leaky.url("/users"))
        with pytest.raises(RequestBudgetSpent):
            api.send("GET", leaky.url("/users"))
    assert len(leaky.requests) == before + 2


def test_no_token_or_planted_value_reaches_the_result_or_the_log(
        leaky: LocalSite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = scan(leaky, burst=0)
    # werkzeug's records are the test site's own access log, not ours
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    text = json.dumps(result) + ours
    for value in (*PLANTED, TOKEN_A, TOKEN_B):
        assert value not in text
    reproducers = [f["explanation"]["reproducer"] for f in result["findings"]
                   if "reproducer" in f["explanation"]]
    assert reproducers and any('"$TOKEN"' in line for line in reproducers)


def test_reproducers_quote_for_the_shell_and_mask_every_secret() -> None:
    user = Identity("A", bearer_token="a b'c", api_key="k$y", basic_user="u", basic_password="pw-long-1")
    line = curl("GET", "http://h/x?q=1;rm -rf", user.headers(), user, None)
    assert "a b'c" not in line and "k$y" not in line and "pw-long-1" not in line
    assert "'Authorization: Bearer '\"$TOKEN\"" in line and "'X-API-Key: '\"$API_KEY\"" in line
    assert "'http://h/x?q=1;rm -rf'" in line
    basic = Identity("B", basic_user="bob", basic_password="s3cr3t!")
    line = curl("GET", "http://h/", basic.headers(), basic, None)
    assert line == "curl -sS -i -u bob:\"$PASSWORD_B\" http://h/"


def test_wrong_credentials_are_reported_as_refused(clean: LocalSite) -> None:
    result = scan(clean, bearer_token="wrong-token-123", other_bearer_token="")
    assert result["status"] == "degraded"
    refused = [e for e in result["errors"] if e["kind"] == "credentials_refused"]
    assert len(refused) == 1 and "refused" in refused[0]["message"]
    assert "wrong-token-123" not in json.dumps(result)


def test_without_a_document_one_at_a_common_place_is_read(leaky: LocalSite) -> None:
    result = ApiScanner().scan({"base_url": leaky.url("/"), "options": {**FAST, "burst": 0}}, no_progress)
    assert result["api"]["spec"]["source"] == "/openapi.json"
    assert found(result, "api.unauthenticated_personal_data", "GET /users")


def test_without_any_document_the_common_paths_are_probed(private_allowed: None) -> None:
    app = Flask("bare")

    @app.get("/api/users")
    def users() -> Response:
        return jsonify({"users": [{"naam": "Jan Jansen", "bsn": "111222333"}]})

    @app.get("/actuator/env")
    def env() -> Response:
        return jsonify({"properties": {"aws_access_key_id": AWS_KEY}})

    with serving(app) as site:
        result = ApiScanner().scan({"base_url": site.url("/"), "options": {**FAST, "burst": 0}}, no_progress)
        probed = [path for _, path in site.requests]
    assert result["api"]["spec"] is None and "/api/users" in probed and "/admin" in probed
    hit = found(result, "api.unauthenticated_personal_data", "GET /api/users")
    assert hit and "$.users[].bsn" in hit[0]["evidence"]
    key = found(result, "secret.aws_access_key", "GET /actuator/env")
    assert key and key[0]["location"]["json_path"] == "$.properties.aws_access_key_id"
    assert AWS_KEY not in json.dumps(result)
    assert {method for method, _ in site.requests} <= SAFE


def test_a_response_that_does_not_match_its_schema_is_reported(private_allowed: None) -> None:
    app = Flask("drift")

    @app.get("/openapi.json")
    def spec() -> Response:
        return jsonify(document())

    @app.get("/items/<item_id>")
    def item(item_id: str) -> Response:
        return jsonify({"id": "seven", "title": None})

    with serving(app) as site:
        result = scan(site, burst=0)
    mismatch = found(result, "api.schema_mismatch", "GET /items/{item_id}")
    assert mismatch and mismatch[0]["explanation"]["problems"] == ["$.id: type", "$.title: type"]
    assert "seven" not in json.dumps(mismatch)  # the validator's messages quote values: not kept


# --- the document -------------------------------------------------------------------------------

def test_a_yaml_document_on_a_path_in_the_scan_roots_is_read(scan_root: Path, leaky: LocalSite,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    (scan_root / "api.yaml").write_text(yaml.safe_dump(document()))
    result = scan(leaky, spec=str(scan_root / "api.yaml"), burst=0)
    assert result["api"]["spec"] == {"source": "api.yaml", "version": "3.0.3", "title": "Planted shop API",
                                     "operations": 6, "read": 6}
    with pytest.raises(UnsafeInputError):
        scan(leaky, spec="/etc/passwd")


def test_swagger_2_documents_are_enumerated_with_their_base_path() -> None:
    swagger = {"swagger": "2.0", "info": {"title": "old", "version": "1"}, "basePath": "/v1",
               "securityDefinitions": {"key": {"type": "apiKey", "in": "query", "name": "api_key"}},
               "paths": {"/pets/{petId}": {"get": {"parameters": [
                   {"name": "petId", "in": "path", "required": True, "type": "integer"},
                   {"name": "limit", "in": "query", "type": "integer", "default": 10}],
                   "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}}}
    spec = read_spec(parse_document(json.dumps(swagger).encode()), 10)
    assert spec.base_path == "/v1" and spec.query_key_names == ("api_key",)
    assert [(op.method, op.path) for op in spec.operations] == [("GET", "/pets/1?limit=10")]


def test_an_invalid_document_is_refused_or_noted() -> None:
    with pytest.raises(InvalidRequestError, match="neither JSON nor YAML"):
        parse_document(b"{not json")
    with pytest.raises(InvalidRequestError, match="no openapi or swagger version"):
        parse_document(b'{"hello": "world"}')
    with pytest.raises(InvalidRequestError, match="no paths"):
        parse_document(b'{"openapi": "3.0.0"}')
    broken = {"openapi": "3.0.0", "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    spec = read_spec(parse_document(json.dumps(broken).encode()), 10)  # info is missing
    assert any("does not validate" in note for note in spec.notes) and len(spec.operations) == 1


def test_a_huge_document_and_an_alias_bomb_are_refused_quickly() -> None:
    with pytest.raises(RequestTooLargeError):
        parse_document(b" " * (MAX_SPEC_BYTES + 1))
    started = time.monotonic()
    with pytest.raises(RequestTooLargeError, match="alias"):
        parse_document(BILLION_LAUGHS.encode())
    assert time.monotonic() - started < 2.0
    # libyaml's composer recurses in C: this one, composed, would crash the worker (segmentation fault)
    with pytest.raises(InvalidRequestError, match="nests deeper"):
        parse_document(("openapi: 3.0.0\npaths: {}\nx: " + "[" * 50_000 + "]" * 50_000).encode())


def test_a_remote_ref_is_never_fetched(leaky: LocalSite) -> None:
    remote = document()
    remote["paths"]["/profile"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": leaky.url("/remote-schema.json")}
    before = len(leaky.requests)
    spec = read_spec(parse_document(json.dumps(remote).encode()), 50)
    assert any("remote $ref" in note for note in spec.notes)
    assert not any(path == "/remote-schema.json" for _, path in leaky.requests[before:])


def test_a_document_too_large_at_its_url_is_refused(private_allowed: None) -> None:
    app = Flask("huge")

    @app.get("/openapi.json")
    def spec() -> Response:
        return Response(b"{" + b" " * (MAX_SPEC_BYTES + 10) + b"}", content_type="application/json")

    with serving(app) as site, pytest.raises(RequestTooLargeError):
        scan(site)


# --- the network ------------------------------------------------------------------------------

def test_an_unreachable_host_fails_naming_it(private_allowed: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = ApiScanner().scan({"base_url": f"http://127.0.0.1:{port}/", "options": FAST}, no_progress)
    assert result["status"] == "failed" and result["summary"]["compliance_score"] is None
    assert "127.0.0.1" in result["errors"][0]["message"]


def test_a_slow_server_is_cut_at_the_timeout(private_allowed: None) -> None:
    app = Flask("slow")

    @app.get("/openapi.json")
    def spec() -> Response:
        return jsonify({"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
                        "paths": {"/slow": {"get": {"responses": {"200": {"description": "ok"}}}},
                                  "/fast": {"get": {"responses": {"200": {"description": "ok"}}}}}})

    @app.get("/slow")
    def slow() -> Response:
        time.sleep(3)
        return jsonify({})

    @app.get("/fast")
    def fast() -> Response:
        return jsonify({"ok": True})

    with serving(app) as site:
        started = time.monotonic()
        result = scan(site, timeout_s=0.5, burst=0, bearer_token="", other_bearer_token="")
    assert time.monotonic() - started < 3.0
    assert result["status"] == "degraded"
    assert [e["endpoint"] for e in result["errors"]] == ["GET /slow"]
    assert "did not answer in time" in result["errors"][0]["message"]


def test_a_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The API's host is treated as public; its redirect to the metadata address is refused, not followed."""
    app = Flask("redirecting")

    @app.get("/<path:anything>")
    def away(anything: str) -> WerkzeugResponse:
        return redirect("http://169.254.169.254/latest/meta-data/")

    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(targets, "is_public", lambda address: address == "127.0.0.1")
    with serving(app) as site:
        result = ApiScanner().scan({"base_url": site.url("/api"), "options": {**FAST, "burst": 0}},
                                   no_progress)
    assert result["status"] == "failed"
    assert any("169.254.169.254" in e["message"] for e in result["errors"])
    get_settings.cache_clear()


def test_a_private_base_url_is_refused_before_any_request(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          leaky: LocalSite) -> None:
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DG_ALLOW_PRIVATE_TARGETS", raising=False)
    get_settings.cache_clear()
    before = len(leaky.requests)
    with pytest.raises(UnsafeInputError, match="base_url"):
        ApiScanner().scan({"base_url": leaky.url("/")}, no_progress)
    assert len(leaky.requests) == before
    get_settings.cache_clear()


def test_the_burst_is_bounded(leaky: LocalSite) -> None:
    before = len(leaky.requests)
    scan(leaky, burst=7, other_bearer_token="")
    paths = [path for _, path in leaky.requests[before:]]
    assert paths.count("/accounts/1") <= 7 + 3  # the burst, A's and the malformed-value request


@pytest.mark.parametrize(("options", "message"), [
    ({"max_requests": 0}, "max_requests"), ({"burst": 51}, "burst"),
    ({"rate_per_s": float("nan")}, "rate_per_s"),
    ({"api_key_header": "X: y"}, "api_key_header"), ({"bearer_token": "a\nb"}, "bearer_token"),
    ({"nope": 1}, "unknown options"), ({"kinds": ["secret", "x"]}, "kinds")])
def test_bad_options_are_refused_by_name(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        ApiScanner().scan({"base_url": "http://127.0.0.1:1/", "options": options}, no_progress)


# --- the report section and the UI view ------------------------------------------------------

def _drawn(result: dict[str, object]) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from ui.components.assessments import render_sections

    render_sections(dict(result))


def test_the_pdf_lists_endpoints_with_their_findings_and_reproducers(
        leaky_result: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.scanners import get_scanner
    from tests.reporting.pdftext import pdf_text

    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    texts = {}
    for language in ("en", "nl"):
        done = get_scanner("report").scan({"results": [leaky_result], "output": f"api-{language}.pdf",
                                           "language": language}, no_progress)
        texts[language] = " ".join(pdf_text(Path(done["report"]["path"])).split())
    get_settings.cache_clear()
    text = texts["en"]
    assert "API endpoints" in text and "API-endpoints" in texts["nl"] and "Reproductie" in texts["nl"]
    assert "GET /accounts/{account_id} 401 / 200" in text
    assert "api.broken_object_authorization" in text and "Reproducers" in text and "$TOKEN_B" in text
    assert "POST /users" not in text or "2 operations not sent" in text
    for value in (*PLANTED, TOKEN_A, TOKEN_B):
        assert value not in text


def test_the_ui_view_shows_endpoints_and_reproducers(leaky_result: dict[str, Any]) -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_drawn, args=(leaky_result,), default_timeout=30).run()
    assert not app.exception
    assert [h.value for h in app.subheader] == ["API endpoints"]
    codes = [c.value for c in app.code]
    assert any('"$TOKEN_B"' in code for code in codes)
    assert not any(TOKEN_A in code or TOKEN_B in code for code in codes)


def test_the_declared_secret_options_are_the_ones_kept_apart_and_write_only_in_the_schema() -> None:
    from rest_api.openapi import openapi_document
    from services.scanners import declaration
    from services.scanners.api.options import SECRET_OPTIONS, split_secrets

    declared = declaration("api")
    assert {f.name for f in declared.options if f.secret} == set(SECRET_OPTIONS)
    text = json.dumps(openapi_document())
    assert text.count('"writeOnly": true') >= len(SECRET_OPTIONS)
    bare, secrets = split_secrets({"base_url": "https://x.nl/", "options": {"bearer_token": "t", "burst": 3}})
    assert bare == {"base_url": "https://x.nl/", "options": {"burst": 3}} and secrets == {"bearer_token": "t"}


def test_a_large_document_is_read_without_minutes_of_validation() -> None:
    """openapi-spec-validator takes ~50 ms a KB: past the budget the document is read unvalidated, noted."""
    schema = {"type": "object", "properties": {f"f{j}": {"type": "string"} for j in range(10)}}
    ok = {"200": {"description": "d"}}
    document = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
                "components": {"schemas": {f"S{i}": schema for i in range(700)}},
                "paths": {f"/p{i}": {"get": {"responses": ok}} for i in range(1000)}}
    started = time.monotonic()
    spec = read_spec(document, 1000)
    assert time.monotonic() - started < 3.0 and len(spec.operations) == 1000
    assert "the first 200 of 1000 paths were validated" in spec.notes
    assert any("not validated" in note for note in spec.notes)


def test_credentials_never_follow_a_redirect_to_another_host(private_allowed: None) -> None:
    """The API sends its callers elsewhere: requests with a token stop at the 3xx, anonymous ones follow;
    the other host never sees the token (as curl and browsers drop it)."""
    seen: list[str] = []
    elsewhere = Flask("elsewhere")

    @elsewhere.get("/<path:anything>")
    def collect(anything: str) -> Response:
        seen.append(request.headers.get("Authorization", "") + request.query_string.decode())
        return jsonify({"collected": True})

    with serving(elsewhere) as other:
        api = Flask("redirecting_api")

        @api.get("/<path:anything>")
        def away(anything: str) -> WerkzeugResponse:
            return redirect(other.url(f"/{anything}"), code=307)

        with serving(api) as site:
            result = scan(site, spec="", burst=3)
    assert seen and all(TOKEN_A not in line and TOKEN_B not in line for line in seen)
    assert result["status"] != "failed"


def test_same_host_redirects_are_followed_with_credentials(leaky: LocalSite) -> None:
    app = Flask("moved")

    @app.get("/old/users")
    def old() -> WerkzeugResponse:
        return redirect("/new/users", code=308)

    @app.get("/new/users")
    def new() -> Response | tuple[Response, int]:
        if request.headers.get("Authorization") != f"Bearer {TOKEN_A}":
            return jsonify({"error": "sign in"}), 401
        return jsonify([{"email": "jan.jansen@kpn.nl"}])

    with WebClient() as web, serving(app) as site:
        api = ApiClient(web, site.url("/"), max_requests=5, rate_per_s=50)
        exchange = api.send("GET", site.url("/old/users"), Identity("A", bearer_token=TOKEN_A))
    assert exchange.status == 200 and exchange.response is not None
    assert exchange.response.redirects == (site.url("/old/users"),)


def test_progress_is_reported_per_operation_and_a_cancel_stops_the_scan(leaky: LocalSite) -> None:
    from utils.errors import ScanCancelledError

    messages: list[str] = []

    def progress(percent: float, message: str) -> None:
        messages.append(message)
        if len(messages) == 3:
            raise ScanCancelledError("cancelled by request")

    before = len(leaky.requests)
    options = {"spec": leaky.url("/openapi.json"), **FAST}
    with pytest.raises(ScanCancelledError):
        ApiScanner().scan({"base_url": leaky.url("/"), "options": options}, progress)
    assert messages[1:] == ["GET /accounts/{account_id} (1 of 6)", "GET /items/{item_id} (2 of 6)"]
    assert len(leaky.requests) - before <= 4  # the document, and the first operation's three requests


def test_a_secret_option_with_a_control_character_is_refused_as_the_schema_says() -> None:
    """It would go into a header line; the published schema's pattern says the same as the validation."""
    import re as regex

    from rest_api.openapi import openapi_document
    from services.scanners import declaration

    with pytest.raises(InvalidRequestError, match="options.bearer_token: must be one line"):
        declaration("api").validate({"base_url": "https://api.example.nl/",
                                     "options": {"bearer_token": "a\nb"}})
    schema = openapi_document()["components"]["schemas"]
    pattern = next(s["pattern"] for s in json_values(schema) if s.get("writeOnly"))
    assert regex.match(pattern, "tok en-1") and not regex.match(pattern, "a\rb")


def json_values(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping inside `node`."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from json_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from json_values(value)
