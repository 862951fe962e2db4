"""The API scanner through the real platform: submitted over the REST API, run by a real `api` worker fed
by Redis, with both users' tokens kept apart (never in Redis, its append-only file, PostgreSQL, the logs
or the result); and the platform's own REST API, with its served OpenAPI document, as a real target."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import requests

from services.job_credentials import kept_apart
from services.scan_service import ScanService
from services.scanners.api import ApiScanner
from services.scanners.base import no_progress
from tests.local_sites import LocalSite, serving
from tests.rest_api import stack
from tests.rest_api.stack import Served, Tenant, drain
from tests.runtime.conftest import Platform
from tests.runtime.test_git_clones import CREDENTIAL_KEYS, _aof, _logs, _postgres_rows, _redis_values
from tests.scanners.api_sites import TOKEN_A, TOKEN_B, leaky_api
from tests.servers import RedisServer, wait_until
from utils import database_manager
from utils.config import Settings, get_settings
from utils.errors import InvalidRequestError

api_settings, db, service, platform, served = (stack.api_settings, stack.db, stack.service, stack.platform,
                                               stack.served)
org_a, org_b = stack.org_a, stack.org_b


@pytest.fixture
def private_targets(monkeypatch: pytest.MonkeyPatch, api_settings: Settings) -> Iterator[None]:
    """Loopback targets allowed here and in the worker children, which inherit the environment."""
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def leaky(private_targets: None) -> Iterator[LocalSite]:
    with serving(leaky_api()) as site:
        yield site


def _status(served: Served, job_id: str, tenant: Tenant) -> dict[str, Any] | None:
    status: dict[str, Any] = served.get(f"/api/v1/scans/{job_id}", tenant).json()
    return status if status["state"] not in ("queued", "running") else None


def test_an_api_scan_submitted_over_rest_runs_in_a_worker_and_its_tokens_are_kept_apart(
        leaky: LocalSite, served: Served, platform: Platform, org_a: Tenant, service: ScanService,
        db: database_manager.Database, redis_client: redis.Redis, redis_server: RedisServer,
        postgres_url: str, api_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    platform.start_workers("api")
    options = {"spec": leaky.url("/openapi.json"), "bearer_token": TOKEN_A, "other_bearer_token": TOKEN_B,
               "rate_per_s": 50, "burst": 3}
    body = {"scanner": "api", "request": {"base_url": leaky.url("/"), "options": options}}
    submitted = requests.post(served.base + "/api/v1/scans", headers=org_a.headers, timeout=30, json=body)
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    status = wait_until(lambda: _status(served, job_id, org_a), 60, step_s=0.2, what="the API scan")
    assert status["state"] == "succeeded", status
    result = served.get(f"/api/v1/scans/{job_id}/result", org_a).json()
    types = {f["type"] for f in result["findings"]}
    # both tokens reached the worker: B's through the object-level check, A's through the query-string one
    assert {"api.broken_object_authorization", "api.key_in_query", "api.unauthenticated_personal_data",
            "api.undeclared_field", "pii.bsn"} <= types, types
    assert {method for method, _ in leaky.requests} <= {"GET", "HEAD", "OPTIONS"}
    assert drain(service, db) == 1
    aof = wait_until(lambda: (data := _aof(redis_server)) and job_id.encode() in data and data, 5,
                     what="the job in the append-only file")
    rows, logs = _postgres_rows(postgres_url), _logs(api_settings) + served.log_path.read_text()
    assert job_id in rows
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    places = {"redis values": _redis_values(redis_client), "redis aof": aof.decode(errors="replace"),
              "postgresql rows": rows, "logs": logs, "this process's log": ours, "result": json.dumps(result)}
    for token in (TOKEN_A, TOKEN_B):
        assert [place for place, text in places.items() if token in text] == []
    assert list(redis_client.scan_iter(match=CREDENTIAL_KEYS)) == []  # deleted when the job ended


def test_a_forged_credential_reference_is_refused(service: ScanService, org_a: Tenant) -> None:
    request = {"base_url": "https://api.example.nl/", "api_credential_ref": "x" * 22}
    with pytest.raises(InvalidRequestError, match="api_credential_ref"):
        service.submit(org_a.org_id, org_a.user_id, "api", request)
    with pytest.raises(InvalidRequestError, match="api_credential_ref is set by the platform"), \
            kept_apart(service.credentials, org_a.org_id, request):
        pass
    with pytest.raises(InvalidRequestError, match="api_credential_ref is set by the platform"):
        ApiScanner().scan(request, no_progress)  # in a worker, only a handed-over reference resolves


def test_the_platforms_own_rest_api_as_a_target(private_targets: None, served: Served, org_a: Tenant,
                                                org_b: Tenant, service: ScanService, platform: Platform,
                                                db: database_manager.Database) -> None:
    """The real REST API and its served document, scanned with two organisations' keys (as users A and B);
    A has a queued scan, whose id the scanner finds in A's list and then asks for as B.
    What it finds is the record the closing note quotes; no high-severity finding is expected."""
    platform.start_workers("dpia")
    job_id = service.submit(org_a.org_id, org_a.user_id, "dpia", {"answers": {}})
    assert service.manager.queue.wait(job_id, 30) is not None
    assert drain(service, db) == 1  # listed from PostgreSQL, as after any finished scan
    options = {"spec": served.base + "/api/v1/openapi.json", "bearer_token": org_a.key,
               "other_bearer_token": org_b.key, "rate_per_s": 50, "burst": 10}
    result = ApiScanner().scan({"base_url": served.base + "/", "options": options}, no_progress)
    section = result["api"]
    summary = sorted((f["severity"], f["type"], f["location"]["endpoint"], f["evidence"][:400])
                     for f in result["findings"])
    print(json.dumps({"status": result["status"], "spec": section["spec"],
                      "requests": section["requests_sent"], "skipped": len(section["skipped"]),
                      "endpoints": section["endpoints"],
                      "findings": summary, "errors": result["errors"]}, indent=1))
    assert result["status"] == "completed", result["errors"]
    assert section["spec"]["operations"] >= 10 and section["spec"]["title"]
    assert section["skipped"], "the document's POST and DELETE operations were not sent"
    assert section["objects_checked"] >= 1  # A's job asked for as B, and refused
    assert any(e["path"] == "/api/v1/scans/{job_id}" and e["authenticated_status"] == 200
               for e in section["endpoints"]), f"{job_id} was not found in A's list"
    severe = [f for f in result["findings"] if f["severity"] in ("high", "critical")]
    assert severe == [], severe
    text = json.dumps(result)
    assert org_a.key not in text and org_b.key not in text


def test_kept_api_secrets_are_one_ciphertext_bound_to_the_base_url_and_dropped_if_queueing_fails(
        service: ScanService, org_a: Tenant, redis_client: redis.Redis) -> None:
    request = {"base_url": "https://api.example.nl/", "options": {"bearer_token": TOKEN_A, "burst": 3,
                                                                   "other_basic_password": "pw-of-b-123"}}
    with kept_apart(service.credentials, org_a.org_id, request) as queued:
        assert queued["options"] == {"burst": 3} and isinstance(queued["api_credential_ref"], str)
        (key,) = redis_client.scan_iter(match=CREDENTIAL_KEYS)
        stored = redis_client.get(key) or b""
        assert TOKEN_A.encode() not in stored and b"pw-of-b-123" not in stored
        owner = f"{org_a.org_id}\nhttps://api.example.nl/"
        assert service.credentials.take(queued["api_credential_ref"], owner) == {
            "bearer_token": TOKEN_A, "other_basic_password": "pw-of-b-123"}
        with pytest.raises(InvalidRequestError, match="no longer available"):  # another URL finds nothing
            service.credentials.take(queued["api_credential_ref"], f"{org_a.org_id}\nhttps://evil.example/")
    with pytest.raises(RuntimeError), kept_apart(service.credentials, org_a.org_id, request):
        raise RuntimeError("queueing failed")
    assert len(list(redis_client.scan_iter(match=CREDENTIAL_KEYS))) == 1  # the first one, not yet taken
