"""The AI model scanner through `python -m rest_api` and a real ai_model worker fed by Redis: uploads of a
model and a dataset, the AI Act answers, the result and the PDF; bad model files each give a clear result
and the same worker goes on to the next job."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import requests

from tests.rest_api.stack import Served, Tenant, assert_no_planted
from tests.runtime.conftest import Platform
from tests.scanners import ai_model_fixtures as fx
from tests.servers import wait_until


def _upload(served: Served, tenant: Tenant, name: str, content: bytes) -> str:
    response = requests.post(
        served.base + "/api/v1/uploads",
        headers=tenant.headers,
        timeout=30,
        files={"file": (name, content, "application/octet-stream")},
    )
    assert response.status_code == 201, response.text
    upload: str = response.json()["upload"]
    return upload


def _run(served: Served, tenant: Tenant, request: dict[str, Any]) -> dict[str, Any]:
    """Submit an ai_model scan, wait for it, return its final status and result."""
    submitted = requests.post(
        served.base + "/api/v1/scans",
        headers=tenant.headers,
        timeout=30,
        json={"scanner": "ai_model", "request": request},
    )
    assert submitted.status_code == 202, submitted.text
    job_id, status_url = submitted.json()["job_id"], submitted.json()["status_url"]

    def finished() -> dict[str, Any] | None:
        status = served.get(status_url, tenant).json()
        return status if status["state"] not in ("queued", "running") else None

    status = wait_until(finished, 90, step_s=0.2, what="the ai_model scan")
    result = served.get(f"/api/v1/scans/{job_id}/result", tenant).json()
    return {"job_id": job_id, "status": status, "result": result}


def test_ai_model_scan_through_the_api_and_a_worker(
    served: Served, platform: Platform, org_a: Tenant, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    platform.start_workers("ai_model")
    truncated = fx.pytorch_zip(pickle.dumps(fx.WritesMarker(marker)))
    bad = [
        _run(served, org_a, {"path": _upload(served, org_a, name, content)})
        for name, content in (
            ("empty.pt", b""),
            ("truncated.pt", truncated[: len(truncated) // 2]),
            ("future.pkl", b"\x80\x09N."),
        )
    ]
    for run in bad:
        assert run["status"]["state"] == "succeeded", run["status"]
        assert (
            run["result"]["status"] == "failed" and run["result"]["ai_model"]["file_safety"] == "unverifiable"
        )

    dataset = tmp_path / "train.csv"
    fx.write_hiring_csv(dataset, biased=True)
    no_column = _run(
        served,
        org_a,
        {
            "path": _upload(served, org_a, "m.pkl", pickle.dumps([1])),
            "dataset": _upload(served, org_a, "train.csv", dataset.read_bytes()),
            "options": {"protected_attribute": "ethnicity", "label_column": "hired"},
        },
    )
    assert no_column["status"]["state"] == "failed", no_column["status"]  # the request's fault: not retried
    assert "no column 'ethnicity'" in no_column["result"]["error"]
    good = _run(
        served,
        org_a,
        {
            "path": _upload(served, org_a, "model.pkl", pickle.dumps(fx.RunsShell(marker))),
            "dataset": _upload(served, org_a, "train.csv", dataset.read_bytes()),
            "answers": {"annex_iii": ["creditworthiness"], "role": "deployer"},
            "options": {"protected_attribute": "gender", "label_column": "hired"},
        },
    )
    assert good["status"]["state"] == "succeeded", good["status"]
    result = good["result"]
    section = result["ai_model"]
    assert section["file_safety"] == "unsafe" and section["ai_act"]["risk_class"] == "high_risk"
    assert "Art. 27" in {o["article"] for o in section["ai_act"]["obligations"]}  # credit: FRIA
    types = {f["type"] for f in result["findings"]}
    assert {"ai.unsafe_model_file", "ai.act_high_risk", "ai.dataset_bias", "pii.email"} <= types, types
    pdf = served.get(f"/api/v1/scans/{good['job_id']}/report?format=pdf", org_a)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert not marker.exists()
    refused = requests.post(
        served.base + "/api/v1/scans",
        headers=org_a.headers,
        timeout=30,
        json={"scanner": "ai_model", "request": {"path": "x.pkl", "options": {"max_file_bytes": 10**12}}},
    )
    assert refused.status_code == 400 and "max_file_bytes" in refused.text
    assert_no_planted(json.dumps(result), pdf.content, served.log_path.read_text())
