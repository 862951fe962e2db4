"""A code scan of an uploaded archive through `python -m rest_api` (waitress) and a real code worker."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import redis
import requests
from flask.testing import FlaskClient
from pypdf import PdfReader

from rest_api.app import create_app
from services.scan_service import ScanService
from tests.rest_api.stack import Served, Tenant, assert_no_planted, drain, planted_zip
from tests.runtime.conftest import Platform
from tests.servers import wait_until
from utils import database_manager
from utils.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_code_scan_of_an_uploaded_archive_end_to_end(served: Served, platform: Platform, org_a: Tenant,
                                                     org_b: Tenant, service: ScanService,
                                                     db: database_manager.Database,
                                                     redis_client: redis.Redis) -> None:
    platform.start_workers("code")
    upload = requests.post(served.base + "/api/v1/uploads", headers=org_a.headers, timeout=30,
                           files={"file": ("shop.zip", planted_zip(), "application/zip")})
    assert upload.status_code == 201, upload.text
    submitted = requests.post(served.base + "/api/v1/scans", headers=org_a.headers, timeout=30,
                              json={"scanner": "code", "request": {"archive": upload.json()["upload"]}})
    assert submitted.status_code == 202, submitted.text
    job_id, status_url = submitted.json()["job_id"], submitted.json()["status_url"]
    assert submitted.headers["Location"] == status_url
    status = wait_until(lambda: _finished(served, status_url, org_a), 60, step_s=0.2, what="the scan")
    assert status["state"] == "succeeded" and status["percent"] == 100.0, status
    outputs = [status]
    result = served.get(f"/api/v1/scans/{job_id}/result", org_a).json()
    types = {f["type"] for f in result["findings"]}
    assert {"secret.aws_access_key", "secret.github_token", "pii.bsn", "pii.iban"} <= types, types
    outputs += [result, *_reports(served, job_id, org_a, len(result["findings"]))]
    assert served.get(f"/api/v1/scans/{job_id}/result", org_b).status_code == 404
    # after the Redis TTL the same answers come from PostgreSQL
    assert drain(service, db) == 1
    redis_client.flushall()
    assert served.get(status_url, org_a).json()["state"] == "succeeded"
    stored = served.get(f"/api/v1/scans/{job_id}/result", org_a).json()
    assert len(stored["findings"]) == len(result["findings"]) and stored["scanner"] == "code"
    listed = served.get("/api/v1/scans", org_a).json()["scans"]
    assert [s["job_id"] for s in listed] == [job_id]
    assert served.get("/api/v1/scans", org_b).json()["scans"] == []
    outputs += [stored, listed, served.log_path.read_text(), *_worker_logs(platform)]
    assert_no_planted(*(json.dumps(o) if not isinstance(o, str | bytes) else o for o in outputs))


def _finished(served: Served, status_url: str, tenant: Tenant) -> dict[str, Any] | None:
    status = served.get(status_url, tenant).json()
    return status if status["state"] not in ("queued", "running") else None


def _reports(served: Served, job_id: str, tenant: Tenant, findings: int) -> list[str]:
    """Every report format, checked for its shape; returns their texts for the planted-value grep."""
    texts = []
    for fmt, mime in (("json", "application/json"), ("csv", "text/csv"), ("sarif", "application/sarif+json"),
                      ("pdf", "application/pdf")):
        response = served.get(f"/api/v1/scans/{job_id}/report?format={fmt}&language=nl", tenant)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(mime), fmt
        assert f'.{fmt}"' in response.headers["Content-Disposition"]
        texts.append(_report_text(fmt, response.content, findings))
    return texts


def _report_text(fmt: str, content: bytes, findings: int) -> str:
    if fmt == "pdf":
        assert content.startswith(b"%PDF")
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = content.decode("utf-8")
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(text)))) == findings + 1  # a header and one row a finding
    elif fmt == "sarif":
        document = json.loads(text)
        assert document["version"] == "2.1.0" and len(document["runs"][0]["results"]) == findings
    else:
        assert json.loads(text)
    return text


def _worker_logs(platform: Platform) -> list[str]:
    return [c.spec.log_path.read_text() for c in platform.manager.children.values() if c.spec.log_path]


def test_result_and_report_of_an_unfinished_scan_are_409(client: FlaskClient, org_a: Tenant) -> None:
    job_id = client.post("/api/v1/scans", json={"scanner": "dpia", "request": {"answers": {}}},
                         headers=org_a.headers).get_json()["job_id"]
    for path in ("/result", "/report?format=pdf"):
        response = client.get(f"/api/v1/scans/{job_id}{path}", headers=org_a.headers)
        assert response.status_code == 409 and response.get_json()["error"]["code"] == "job_not_finished"
    bad = client.get(f"/api/v1/scans/{job_id}/report?format=docx", headers=org_a.headers)
    assert bad.status_code == 400


def test_rate_limit_per_key_is_429_with_retry_after(api_settings: Settings, service: ScanService,
                                                    db: database_manager.Database, org_a: Tenant,
                                                    org_b: Tenant) -> None:
    limited = dataclasses.replace(api_settings, api_rate_limit="3/minute")
    client = create_app(limited, service, db).test_client()
    statuses = [client.get("/api/v1/scans", headers=org_a.headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/scans", headers=org_a.headers)
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/scans", headers=org_b.headers).status_code == 200  # each key has its own
    assert client.get("/api/v1/health").status_code == 200  # probes are never limited
