"""API keys, organisation isolation and JSON errors: Flask test client on real Redis and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import argon2.profiles
import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from rest_api.app import create_app
from services import accounts
from services.scan_service import ScanService
from tests.rest_api.stack import BSN, Tenant, assert_no_planted, close_limiters, planted_zip
from utils import database_manager
from utils.repositories import api_keys, audit, scans

ADMIN_PASSWORD = "Alpha-Admin-Pass-6620-r"
CHEAP_HASHER = PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


def _error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()["error"]
    assert set(body) == {"code", "message"} and body["message"]
    if code is not None:
        assert body["code"] == code
    return body


def _submit(client: FlaskClient, tenant: Tenant, scanner: str = "dpia", request: Any = None) -> Any:
    body = {"scanner": scanner, "request": request if request is not None else {"answers": {}}}
    return client.post("/api/v1/scans", json=body, headers=tenant.headers)


def test_missing_invalid_and_revoked_keys_are_401(client: FlaskClient, org_a: Tenant, db: Any) -> None:
    _error(client.get("/api/v1/scans"), 401, "unauthorized")
    _error(client.get("/api/v1/scans", headers={"Authorization": "Bearer dgp_not-a-key"}), 401)
    _error(client.get("/api/v1/scans", headers={"X-API-Key": "x" * 5000}), 401)
    assert client.get("/api/v1/scans", headers={"X-API-Key": org_a.key}).status_code == 200
    assert client.get("/api/v1/scans", headers=org_a.headers).status_code == 200
    assert api_keys.revoke_api_key(org_a.key_id, db=db)
    body = _error(client.get("/api/v1/scans", headers=org_a.headers), 401)
    assert org_a.key not in json.dumps(body)


def test_public_endpoints_need_no_key(client: FlaskClient) -> None:
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.get_json() == {"status": "ok", "redis": "ok", "postgres": "ok", "loop_ok": True}
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.") and "/api/v1/scans/{job_id}/report" in document["paths"]


def test_key_use_submit_and_cancel_are_audited(client: FlaskClient, org_a: Tenant, db: Any) -> None:
    job_id = _submit(client, org_a).get_json()["job_id"]
    assert client.delete(f"/api/v1/scans/{job_id}", headers=org_a.headers).get_json()["state"] == "cancelled"
    entries = audit.list_audit(org_a.org_id, db=db)
    actions = [e["action"] for e in entries]
    assert actions.count("api_key.used") == 1  # throttled: one entry per key per five minutes
    assert {"scan.submitted", "scan.cancelled"} <= set(actions)
    submitted = next(e for e in entries if e["action"] == "scan.submitted")
    assert submitted["target"] == job_id and submitted["actor_user_id"] == org_a.user_id


def test_another_organisations_scan_is_not_found(client: FlaskClient, org_a: Tenant, org_b: Tenant,
                                                 service: ScanService) -> None:
    job_id = _submit(client, org_a).get_json()["job_id"]
    for path in ("", "/result", "/report?format=json"):
        _error(client.get(f"/api/v1/scans/{job_id}{path}", headers=org_b.headers), 404, "job_not_found")
    _error(client.delete(f"/api/v1/scans/{job_id}", headers=org_b.headers), 404)
    assert client.get(f"/api/v1/scans/{job_id}", headers=org_a.headers).get_json()["state"] == "queued"
    # the owner's view is the same as for an id that never existed: ids cannot be probed
    unknown = client.get("/api/v1/scans/6f1c5a8e-0000-4000-8000-000000000000", headers=org_b.headers)
    assert unknown.get_json() == client.get(f"/api/v1/scans/{job_id}", headers=org_b.headers).get_json()


def test_another_organisations_upload_cannot_be_scanned(client: FlaskClient, org_a: Tenant,
                                                        org_b: Tenant) -> None:
    upload = client.post("/api/v1/uploads", headers=org_a.headers,
                         data={"file": (io.BytesIO(planted_zip()), "shop.zip")})
    assert upload.status_code == 201
    path = upload.get_json()["upload"]
    assert f"/uploads/{org_a.org_id}/" in path
    _error(_submit(client, org_b, "code", {"archive": path}), 400, "unsafe_input")
    sneaky = path.replace(f"/{org_a.org_id}/", f"/{org_b.org_id}/../{org_a.org_id}/")
    _error(_submit(client, org_b, "code", {"archive": sneaky}), 400, "unsafe_input")
    assert _submit(client, org_a, "code", {"archive": path}).status_code == 202


def test_scan_submission_errors(client: FlaskClient, org_a: Tenant, later_scanner: str) -> None:
    headers = {**org_a.headers, "Content-Type": "application/json"}
    _error(client.post("/api/v1/scans", data="{not json", headers=headers), 400, "invalid_request")
    _error(client.post("/api/v1/scans", data="[1, 2]", headers=headers), 400)
    _error(_submit(client, org_a, "nope"), 404, "scanner_not_available")
    body = _error(_submit(client, org_a, later_scanner, {"path": "photo.png"}), 404)
    assert "not available yet" in body["message"]
    _error(client.post("/api/v1/scans", json={"scanner": "dpia", "request": "x"}, headers=org_a.headers), 400)
    _error(client.post("/api/v1/scans", json={"scanner": "dpia", "request": {}, "timeout_s": -1},
                       headers=org_a.headers), 400)
    _error(client.post("/api/v1/scans", json={"scanner": "dpia", "request": {}, "timeout_s": None},
                       headers=org_a.headers), 400)  # found by schemathesis: null is not "absent"


def test_oversize_bodies_are_413(client: FlaskClient, org_a: Tenant) -> None:
    big_request = {"answers": {"notes": "x" * 20_000}}  # over DG_MAX_REQUEST_BYTES (16 KiB) in conftest
    _error(_submit(client, org_a, "dpia", big_request), 413, "request_too_large")
    too_big_file = io.BytesIO(b"\0" * (300 * 1024))  # over DG_MAX_UPLOAD_BYTES (256 KiB)
    _error(client.post("/api/v1/uploads", headers=org_a.headers, data={"file": (too_big_file, "big.bin")}),
           413)


def test_unknown_paths_methods_and_queries_are_json(client: FlaskClient, org_a: Tenant) -> None:
    _error(client.get("/api/v1/nothing-here", headers=org_a.headers), 404, "not_found")
    _error(client.get("/elsewhere"), 404)
    response = client.put("/api/v1/scans", headers=org_a.headers)
    _error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]
    _error(client.get("/api/v1/scans?limit=abc", headers=org_a.headers), 400)
    _error(client.get("/api/v1/scans?limit=0", headers=org_a.headers), 400)
    _error(client.get("/api/v1/scans?search=a%00b", headers=org_a.headers), 400)
    _error(client.get("/api/v1/scans/not-a-uuid", headers=org_a.headers), 404)
    _error(client.post("/api/v1/uploads", headers=org_a.headers, data={}), 400)


def test_listing_shows_only_own_organisation(client: FlaskClient, org_a: Tenant, org_b: Tenant,
                                             db: Any) -> None:
    for tenant, scanner in ((org_a, "dpia"), (org_a, "code"), (org_b, "soc2")):
        job = {"id": _new_id(), "org_id": tenant.org_id, "scanner": scanner, "created_at": 1.7e9}
        scans.save_scan_result(job, {"scanner": scanner, "status": "completed", "findings": []},
                               db=db)
    own = client.get("/api/v1/scans", headers=org_a.headers).get_json()["scans"]
    assert sorted(s["scanner"] for s in own) == ["code", "dpia"]
    assert all("org_id" not in s for s in own)
    found = client.get("/api/v1/scans?search=soc", headers=org_a.headers).get_json()["scans"]
    assert found == []
    page = client.get("/api/v1/scans?limit=1&offset=1", headers=org_a.headers).get_json()
    assert len(page["scans"]) == 1 and page["limit"] == 1 and page["offset"] == 1


def test_scanner_availability(client: FlaskClient, org_a: Tenant, later_scanner: str) -> None:
    scanners = client.get("/api/v1/scanners", headers=org_a.headers).get_json()["scanners"]
    assert scanners[later_scanner] == "not available yet" and scanners["code"] == "no worker running"
    assert len(scanners) == 11  # the ten built-in ones and the one declared for this test


def _new_id() -> str:
    return str(uuid.uuid4())


def test_an_unexpected_error_is_a_bare_500(api_settings: Any, service: ScanService, db: Any, org_a: Tenant,
                                          caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(api_settings, service, db)

    def broken() -> Any:
        raise RuntimeError(f"row for BSN {BSN} violates a constraint")  # as a library might word it

    app.add_url_rule("/api/v1/broken", "broken", broken)
    response = app.test_client().get("/api/v1/broken", headers=org_a.headers)
    body = _error(response, 500, "internal_error")
    assert "RuntimeError" not in json.dumps(body)
    assert "RuntimeError" in caplog.text and "in broken" in caplog.text  # the frames, not the message
    assert_no_planted(response.get_data(), caplog.text)


@pytest.fixture
def make_client(api_settings: Any, service: ScanService, db: Any) -> Iterator[Callable[..., FlaskClient]]:
    """A factory of test clients of apps with other settings or database; their Redis pools closed after."""
    apps: list[Flask] = []

    def make(database: Any = db, **changes: Any) -> FlaskClient:
        apps.append(create_app(dataclasses.replace(api_settings, **changes), service, database))
        return apps[-1].test_client()

    yield make
    for app in apps:
        close_limiters(app)


def _limited_client(make_client: Callable[..., FlaskClient], limit: str = "3/minute") -> FlaskClient:
    return make_client(api_auth_failure_limit=limit)


def _status(client: FlaskClient, headers: dict[str, str]) -> int:
    return client.get("/api/v1/scans", headers=headers).status_code


def _via_nginx(client_address: str, spoofed: str | None = None, **headers: str) -> dict[str, str]:
    """Headers as nginx forwards them: whatever the client sent in X-Forwarded-For, then its address."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"X-Forwarded-For": forwarded, **headers}


def test_failed_authentications_are_limited_per_client_address(make_client: Callable[..., FlaskClient],
                                                               org_a: Tenant) -> None:
    client = _limited_client(make_client)
    # a client writing its own X-Forwarded-For changes only entries before nginx's
    statuses = [_status(client, _via_nginx("203.0.113.7", f"10.0.0.{n}", Authorization=f"Bearer dgp_{n}"))
                for n in range(3)]
    refused = client.get("/api/v1/scans", headers=_via_nginx("203.0.113.7", "10.9.9.9"))
    assert statuses == [401, 401, 401]
    body = _error(refused, 429, "rate_limited")
    assert "without a valid API key" in body["message"] and 0 < int(refused.headers["Retry-After"]) <= 60
    # refused before the lookup: even a valid key from that address waits (a shared address shares it)
    assert client.get("/api/v1/scans", headers=_via_nginx("203.0.113.7", **org_a.headers)).status_code == 429
    assert client.get("/api/v1/scans", headers=_via_nginx("198.51.100.9", **org_a.headers)).status_code == 200
    assert client.get("/api/v1/scans", headers=_via_nginx("198.51.100.9")).status_code == 401
    assert client.get("/api/v1/health", headers=_via_nginx("203.0.113.7")).status_code == 200


def test_an_address_not_from_nginx_cannot_choose_its_own(make_client: Callable[..., FlaskClient]) -> None:
    client = _limited_client(make_client)
    remote = {"REMOTE_ADDR": "192.0.2.10"}  # not loopback: its X-Forwarded-For is not nginx's
    statuses = [client.get("/api/v1/scans", headers={"X-Forwarded-For": f"198.51.100.{n}"},
                           environ_base=remote).status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_valid_keys_are_not_counted_as_failures(make_client: Callable[..., FlaskClient],
                                                org_a: Tenant) -> None:
    client = _limited_client(make_client, limit="2/minute")
    for _ in range(5):
        assert _status(client, _via_nginx("203.0.113.7", **org_a.headers)) == 200
    assert client.get("/api/v1/scans", headers=_via_nginx("203.0.113.7")).status_code == 401


def test_an_unknown_key_costs_no_database_write(make_client: Callable[..., FlaskClient],
                                                postgres_url: str) -> None:
    read_only = database_manager.Database(postgres_url + "?options=-c%20default_transaction_read_only%3Don",
                                          maxconn=2)
    try:
        client = make_client(read_only)
        _error(client.get("/api/v1/scans", headers={"Authorization": "Bearer dgp_" + "x" * 43}), 401)
    finally:
        read_only.close()


def test_a_deactivated_members_keys_stop_working_for_good(client: FlaskClient, org_a: Tenant, db: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", lambda: CHEAP_HASHER)
    admin_id = accounts.create_member(org_a.org_id, "admin@alpha.example", "admin", ADMIN_PASSWORD)
    admin = accounts.sign_in("admin@alpha.example", ADMIN_PASSWORD)
    assert client.get("/api/v1/scans", headers=org_a.headers).status_code == 200
    revoked = accounts.deactivate_member(admin, org_a.user_id)
    _error(client.get("/api/v1/scans", headers=org_a.headers), 401)
    assert revoked == [org_a.key_id]
    accounts.reactivate_member(admin, org_a.user_id)
    _error(client.get("/api/v1/scans", headers=org_a.headers), 401)  # a reactivation revives no key
    # defence in depth: a key whose user is inactive is refused even if nobody revoked it
    admin_key = accounts.create_api_key(admin, "admin-ci")[1]
    assert client.get("/api/v1/scans", headers={"X-API-Key": admin_key}).status_code == 200
    with db.transaction() as cur:
        cur.execute("UPDATE users SET active = false WHERE id = %s", (admin_id,))
    _error(client.get("/api/v1/scans", headers={"X-API-Key": admin_key}), 401)
    database_manager.get_database().close()  # the pool the account functions opened
