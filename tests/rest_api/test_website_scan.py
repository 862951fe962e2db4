"""Website scans through `python -m rest_api` and a real website worker (Redis queue, own process):
bad requests end with a clear outcome, the worker stays healthy, a browser scan's evidence lands in the
organisation's own folder and its PDF report carries the consent table and the screenshots."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask, redirect
from pypdf import PdfReader
from werkzeug import Response as Redirect

from tests.local_sites import serving
from tests.planted import EMAIL
from tests.reporting.pdftext import pdf_text
from tests.rest_api.stack import Served, Tenant
from tests.runtime.conftest import Platform
from tests.scanners import website_sites as sites
from tests.servers import free_port, wait_until
from utils.config import Settings


def _looping() -> Flask:
    app = Flask("looping")

    @app.get("/loop")
    def loop() -> Redirect:
        return redirect("/loop")

    @app.get("/slow")
    def slow() -> str:
        time.sleep(2.5)
        return "late"

    return app


def _submit(served: Served, tenant: Tenant, request: dict[str, Any]) -> requests.Response:
    return requests.post(served.base + "/api/v1/scans", headers=tenant.headers, timeout=30,
                         json={"scanner": "website", "request": request})


def _outcome(served: Served, tenant: Tenant, request: dict[str, Any]) -> dict[str, Any]:
    """The job's final status, with its result when it has one."""
    submitted = _submit(served, tenant, request)
    assert submitted.status_code == 202, submitted.text
    url = submitted.json()["status_url"]

    def done() -> dict[str, Any] | None:
        status = served.get(url, tenant).json()
        return status if status["state"] not in ("queued", "running") else None

    status = wait_until(done, 90, step_s=0.2, what="the website scan")
    result = served.get(f"/api/v1/scans/{submitted.json()['job_id']}/result", tenant)
    return {**status, "job_id": submitted.json()["job_id"],
            "result": result.json() if result.status_code == 200 else None}


def test_website_scans_through_the_api_and_a_real_worker(
        served: Served, platform: Platform, org_a: Tenant, org_b: Tenant, api_settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")  # the worker child reads it: local test sites only
    (worker,) = platform.start_workers("website")
    refused = _submit(served, org_a, {"url": "https://example.org/", "options": {"max_pages": 0}})
    assert refused.status_code == 400 and "max_pages" in refused.text
    bad_scheme = _outcome(served, org_a, {"url": "ftp://example.org/"})
    assert bad_scheme["state"] == "failed" and "http" in json.dumps(bad_scheme)
    gone = _outcome(served, org_a, {"url": f"http://127.0.0.1:{free_port()}/", "options": {"mode": "static"}})
    assert gone["result"]["status"] == "failed" and gone["result"]["errors"][0]["host"] == "127.0.0.1"
    with serving(_looping()) as looping:
        loop = _outcome(served, org_a, {"url": looping.url("/loop"), "options": {"mode": "static"}})
        slow = _outcome(served, org_a, {"url": looping.url("/slow"),
                                        "options": {"mode": "static", "page_timeout_s": 1}})
    assert loop["state"] == "failed" and "redirect loop" in json.dumps(loop)
    assert slow["result"]["status"] == "failed" and "did not answer in time" in json.dumps(slow)
    assert platform.health(worker) is not None
    with serving(sites.tracker_app(), "127.0.0.2") as tracker, \
            serving(sites.bad_app(tracker.url("").rstrip("/"))) as bad:
        done = _outcome(served, org_a, {"url": bad.url("/"), "options": {"mode": "browser", "delay_s": 0}})
    assert done["state"] == "succeeded", json.dumps(done)[:3000]
    result = done["result"]
    types = {f["type"] for f in result["findings"]}
    assert {"cookie.before_consent", "cookie.after_reject", "tracker.after_reject", "web.form_over_http",
            "pii.email"} <= types, types
    own = (api_settings.upload_dir / org_a.org_id / "artifacts" / "website").resolve()
    shots = [Path(e["path"]) for e in result["website"]["evidence"]]
    assert len(shots) == 3 and all(p.resolve().is_relative_to(own) and p.is_file() for p in shots)
    assert served.get(f"/api/v1/scans/{done['job_id']}/result", org_b).status_code == 404
    pdf = served.get(f"/api/v1/scans/{done['job_id']}/report?format=pdf", org_a)
    assert pdf.status_code == 200
    path = api_settings.data_dir / "website-report.pdf"
    path.write_bytes(pdf.content)
    assert "Consent table" in pdf_text(path) and "After reject" in pdf_text(path)
    assert sum(len(page.images) for page in PdfReader(str(path)).pages) >= 2
    assert EMAIL not in json.dumps(result) and EMAIL not in pdf_text(path)
    assert platform.health(worker) is not None
