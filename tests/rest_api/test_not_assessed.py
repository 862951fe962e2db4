"""Unreadable uploads through `python -m rest_api` and a real document worker: not assessed everywhere.

A zip bomb and a corrupt PDF used to come back `failed` with compliance score 100 and risk low, in
the result, the history, PostgreSQL and every report. Now each place says the scan is not assessed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jsonschema
import redis
import requests
from pypdf import PdfReader

from services.scan_service import ScanService
from tests.inputs.bombs import zip_bomb
from tests.rest_api.stack import Served, Tenant, drain
from tests.runtime.conftest import Platform
from tests.servers import wait_until
from utils import database_manager

CORRUPT_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a PDF body\n%%EOF"
NOT_ASSESSED = (None, "not_assessed")


def _scan_upload(served: Served, tenant: Tenant, name: str, data: bytes) -> str:
    upload = requests.post(served.base + "/api/v1/uploads", headers=tenant.headers, timeout=30,
                           files={"file": (name, data)})
    assert upload.status_code == 201, upload.text
    submitted = requests.post(served.base + "/api/v1/scans", headers=tenant.headers, timeout=30,
                              json={"scanner": "document", "request": {"path": upload.json()["upload"]}})
    assert submitted.status_code == 202, submitted.text
    job_id = str(submitted.json()["job_id"])
    wait_until(lambda: served.get(f"/api/v1/scans/{job_id}", tenant).json()["state"] == "succeeded", 60,
               step_s=0.2, what=f"the scan of {name}")
    return job_id


def _score(summary: dict[str, Any]) -> tuple[Any, Any]:
    return summary["compliance_score"], summary["risk_level"]


def _reports_say_not_assessed(served: Served, tenant: Tenant, job_id: str) -> None:
    exported = served.get(f"/api/v1/scans/{job_id}/report?format=json", tenant).json()
    assert _score(exported["results"][0]["summary"]) == NOT_ASSESSED
    sarif = served.get(f"/api/v1/scans/{job_id}/report?format=sarif", tenant).json()["runs"][0]
    assert _score(sarif["properties"]["summary"]) == NOT_ASSESSED
    assert sarif["invocations"][0]["executionSuccessful"] is False
    for language, words in (("en", "not assessed"), ("nl", "niet beoordeeld")):
        pdf = served.get(f"/api/v1/scans/{job_id}/report?format=pdf&language={language}", tenant).content
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
        assert words in text and "/100" not in text, language


def test_unreadable_uploads_are_not_assessed_in_results_history_reports_and_storage(
        served: Served, platform: Platform, org_a: Tenant, service: ScanService,
        db: database_manager.Database, redis_client: redis.Redis, tmp_path: Path) -> None:
    platform.start_workers("document")
    bomb = zip_bomb(tmp_path / "bomb.zip", mib=100).read_bytes()
    jobs = [_scan_upload(served, org_a, name, data) for name, data in (("bomb.zip", bomb),
                                                                        ("contract.pdf", CORRUPT_PDF))]
    schemas = served.get("/api/v1/openapi.json", org_a).json()["components"]["schemas"]
    for job_id in jobs:
        result = served.get(f"/api/v1/scans/{job_id}/result", org_a).json()
        assert result["status"] == "failed" and result["errors"], result
        assert _score(result["summary"]) == NOT_ASSESSED and result["summary"]["score_breakdown"] == []
        jsonschema.validate(result["summary"], schemas["Summary"])  # the document types the score
        _reports_say_not_assessed(served, org_a, job_id)
    # after the Redis TTL the same answers come from PostgreSQL
    assert drain(service, db) == 2
    redis_client.flushall()
    listed = served.get("/api/v1/scans", org_a).json()["scans"]
    assert sorted(row["job_id"] for row in listed) == sorted(jobs)
    for row in listed:
        assert _score(row) == NOT_ASSESSED and _score(row["summary"]) == NOT_ASSESSED, row
        jsonschema.validate(row, {**schemas["ScanRow"], "additionalProperties": True})
    for job_id in jobs:
        stored = served.get(f"/api/v1/scans/{job_id}/result", org_a).json()
        assert _score(stored["summary"]) == NOT_ASSESSED
        _reports_say_not_assessed(served, org_a, job_id)
