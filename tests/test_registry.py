"""The scanner registry: a scanner declared once appears everywhere and runs; nothing else names scanners.

A sixth scanner (tests/scanners/tiny.py) is registered the way an operator would, through
DG_EXTRA_SCANNERS, and must then appear in `cli.py scan --help`, `/api/v1/scanners`, the OpenAPI
document and the plans, have its requests validated by its declaration, and run through a real worker
process. The UI form list is checked in tests/ui/test_scan_pages.py.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import launcher
from services import billing, scanners
from services.scan_service import ScanService
from tests.planted import EMAIL
from tests.rest_api import stack
from tests.rest_api.stack import Tenant, assert_no_planted
from tests.runtime.conftest import Platform
from utils.config import get_settings
from utils.errors import ScannerNotAvailableError

api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a, app, client = stack.org_a, stack.app, stack.client

ROOT = Path(__file__).resolve().parent.parent
EXTRA = "tests.scanners.tiny:TINY,tests.scanners.tiny:NEEDY,tests.scanners.tiny:LATER"


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tiny scanners registered for this test (and the worker processes it starts)."""
    monkeypatch.setenv("DG_EXTRA_SCANNERS", EXTRA)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_declared_scanner_is_in_the_api_the_openapi_document_and_its_plans(
        api_settings: object, tiny: None, client: FlaskClient, org_a: Tenant) -> None:
    listed = client.get("/api/v1/scanners", headers=org_a.headers).get_json()["scanners"]
    assert listed["tiny"] == "no worker running"
    assert listed["needy"] == "not available on this machine (executable dg-no-such-program missing)"
    assert "diagnostic" not in listed  # drills only, never offered to an organisation
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert {"$ref": "#/components/schemas/TinyScan"} in schemas["ScanSubmit"]["oneOf"]
    assert schemas["TinyRequest"]["required"] == ["text"]
    assert schemas["TinyRequest"]["properties"]["options"]["properties"]["shout"]["type"] == "boolean"
    assert "tiny" in billing.get_plan("free").scanners and "tiny" not in billing.get_plan("free").scanners[:4]


def test_a_declared_scanner_s_requests_are_checked_by_its_declaration(
        api_settings: object, tiny: None, client: FlaskClient, org_a: Tenant, service: ScanService) -> None:
    def submit(request: object) -> dict[str, object]:
        response = client.post("/api/v1/scans", json={"scanner": "tiny", "request": request},
                               headers=org_a.headers)
        assert response.status_code == 400, response.get_data(as_text=True)
        return dict(response.get_json()["error"])

    assert "text is required" in str(submit({}))
    assert "unknown request field(s): txt" in str(submit({"txt": "x"}))
    assert "options.shout: must be true or false" in str(submit({"text": "x", "options": {"shout": "yes"}}))
    # The published schema has no nulls: an explicit null is refused, not read as "the default"
    assert "options.shout may not be null" in str(submit({"text": "x", "options": {"shout": None}}))
    assert "text may not be null" in str(submit({"text": None}))
    refused = client.post("/api/v1/scans", json={"scanner": "needy", "request": {"text": "x"}},
                          headers=org_a.headers)
    assert refused.status_code == 404
    assert "not available on this machine" in refused.get_json()["error"]["message"]
    with pytest.raises(ScannerNotAvailableError, match="needy scanner is not available on this machine"):
        service.manager.submit_scan_job("needy", {"text": "x"})  # the same refusal below the API
    assert service.manager.queue.queue_depth("tiny") == 0


def test_a_declared_scanner_runs_in_a_real_worker(api_settings: object, tiny: None, client: FlaskClient,
                                                  org_a: Tenant, service: ScanService,
                                                  platform: Platform) -> None:
    (worker,) = platform.start_workers("tiny")
    assert "--scanner" in worker.spec.argv and "tiny" in worker.spec.argv  # the one entry of every scanner
    response = client.post("/api/v1/scans", headers=org_a.headers, json={
        "scanner": "tiny", "request": {"text": f"write to {EMAIL}", "options": {"shout": True}}})
    assert response.status_code == 202, response.get_data(as_text=True)
    result = service.manager.queue.wait(response.get_json()["job_id"], 30)
    assert result is not None and result["status"] == "completed", result
    assert [f["type"] for f in result["findings"]] == ["pii.email"]
    assert_no_planted(str(result))


def test_the_launcher_starts_workers_only_for_scanners_that_can_run(api_settings: object, tiny: None) -> None:
    settings = get_settings()
    chosen = launcher.chosen_scanners(settings, None)
    assert "tiny" in chosen and not {"needy", "later", "diagnostic"} & set(chosen)
    with pytest.raises(ScannerNotAvailableError, match="later scanner is not available yet"):
        launcher.chosen_scanners(settings, "code,later")
    specs = launcher.worker_specs(settings, ["code", "tiny"])
    assert [spec.port for spec in specs][0] == settings.worker_base_port  # code keeps 5001's place
    assert specs[1].port not in (settings.api_port, settings.worker_base_port)


def test_cli_help_lists_a_declared_scanner_with_its_target_and_options() -> None:
    env = {**os.environ, "DG_EXTRA_SCANNERS": EXTRA}
    done = subprocess.run([sys.executable, "cli.py", "scan", "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    assert "tiny       personal data in one line of text" in done.stdout
    assert "needy" in done.stdout and "dg-no-such-program missing" in done.stdout
    assert "--option: shout" in done.stdout


# --- nothing but the registry names a scanner -----------------------------------------------------
CHECKED = [ROOT / "app.py", ROOT / "cli.py", ROOT / "launcher.py", ROOT / "services" / "scan_service.py",
           ROOT / "services" / "billing.py", ROOT / "services" / "process_manager.py",
           *sorted((ROOT / "ui").rglob("*.py")), *sorted((ROOT / "rest_api").rglob("*.py"))]
# a string equal to a scanner name that means something else, each read and explained
NOT_A_SCANNER = {
    ("cli.py", "code"): "the `code` of the API's JSON error body",
    ("rest_api/errors.py", "code"): "the `code` of the JSON error body",
    ("rest_api/openapi.py", "code"): "the `code` of the JSON error body's schema",
    ("launcher.py", "api"): "the REST API process's name and kind",
    ("rest_api/routes.py", "api"): "the Flask blueprint's name",
    ("ui/components/assessments.py", "dpia"): "the key of the DPIA's own result section",
    ("ui/components/views/image.py", "image"): "the key of the image scanner's own result section, in the "
                                                "view its declaration names",
    ("ui/components/assessments.py", "soc2"): "the key of SOC 2's own result section",
    ("ui/components/assessments.py", "report"): "the key of a report's own result section",
    ("ui/components/views/website.py", "website"): "the website scanner's own view (declared by it): its "
                                                   "result section's key and its artifacts folder",
    ("ui/components/views/api.py", "api"): "the key of the API scanner's own result section",
    ("ui/components/views/ai_model.py", "ai_model"): "the key of the AI model scanner's own result section",
}


def test_no_ui_cli_or_api_module_names_a_scanner() -> None:
    names = set(scanners.declarations())
    found = set()
    for path in CHECKED:
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Constant) or node.value not in names:
                continue
            if (relative, node.value) not in NOT_A_SCANNER:
                found.add(f"{relative}:{node.lineno} {node.value!r}")
    assert not found, "scanners named outside the registry (services/scanners):\n" + "\n".join(sorted(found))
