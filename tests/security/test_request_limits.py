"""Numbers, nesting and text no worker can keep are refused at the door (issue 13, items 2 and 12).

`timeout_s: NaN` once disabled a worker's deadline: the worker then always looked hung, was replaced
again and again, and the job came back with its attempts unspent. Infinity or 1e308 switched the
timeout off. Deep nesting, a lone surrogate and a 5,000-character file name gave HTTP 500.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.scan_service import ScanService
from tests.rest_api import stack
from tests.rest_api.stack import Tenant
from tests.runtime.conftest import Platform
from tests.servers import wait_until
from utils.errors import InvalidRequestError

api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a, app, client = stack.org_a, stack.app, stack.client


def _post(client: FlaskClient, tenant: Tenant, text: str) -> Any:
    headers = {**tenant.headers, "Content-Type": "application/json"}
    return client.post("/api/v1/scans", data=text, headers=headers)


def _refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.get_data(as_text=True)
    return dict(response.get_json()["error"])


@pytest.mark.parametrize("timeout", ["NaN", "Infinity", "-Infinity", "1e308", "0", "86401", "true"])
def test_a_timeout_no_worker_can_keep_is_refused(client: FlaskClient, org_a: Tenant, timeout: str,
                                                 service: ScanService) -> None:
    _refused(_post(client, org_a, f'{{"scanner": "dpia", "request": {{}}, "timeout_s": {timeout}}}'))
    assert service.manager.queue.queue_depth("dpia") == 0


def test_non_finite_numbers_deep_nesting_and_lone_surrogates_are_400(client: FlaskClient,
                                                                    org_a: Tenant) -> None:
    options = '{"path": "/x", "options": {"max_files": NaN}}'
    _refused(_post(client, org_a, f'{{"scanner": "code", "request": {options}}}'))
    deep = '{"scanner": "dpia", "request": {"answers": ' + "[" * 5000 + "]" * 5000 + "}}"
    _refused(_post(client, org_a, deep))
    nested: dict[str, Any] = {"answers": {}}
    cursor: dict[str, Any] = nested
    for _ in range(40):  # parseable, but deeper than any scan request
        cursor["x"] = {}
        cursor = cursor["x"]
    assert "nested" in _refused(client.post("/api/v1/scans", json={"scanner": "dpia", "request": nested},
                                            headers=org_a.headers))["message"]
    body = '{"scanner": "dpia", "request": {"answers": {"q": "\\ud800"}}}'
    assert "Unicode" in _refused(_post(client, org_a, body))["message"]


def test_every_entry_point_refuses_them_too(service: ScanService, org_a: Tenant) -> None:
    # the UI and the CLI submit through ScanService as Python values, not JSON text
    for timeout in (float("nan"), float("inf"), 1e308, -1.0):
        with pytest.raises(InvalidRequestError):
            service.submit(org_a.org_id, org_a.user_id, "dpia", {"answers": {}}, timeout_s=timeout)
    with pytest.raises(InvalidRequestError):
        service.submit(org_a.org_id, org_a.user_id, "dpia", {"answers": {"q": float("nan")}})
    with pytest.raises(InvalidRequestError):
        service.manager.submit_scan_job("dpia", {}, org_id=org_a.org_id, timeout_s=float("nan"))
    assert service.manager.queue.queue_depth("dpia") == 0


def test_a_five_thousand_character_file_name_is_stored_shortened(client: FlaskClient, org_a: Tenant) -> None:
    name = "verslag-" + "a" * 5000 + ".tar.gz"
    response = client.post("/api/v1/uploads", headers=org_a.headers,
                           data={"file": (io.BytesIO(b"not really a tarball"), name)})
    assert response.status_code == 201, response.get_data(as_text=True)
    stored = response.get_json()["upload"].rsplit("/", 1)[-1]
    assert stored.startswith("verslag-aaa") and stored.endswith(".tar.gz") and len(stored) <= 200


def test_a_nan_timeout_that_reached_a_queue_fails_once_and_the_worker_stays(
        service: ScanService, platform: Platform, org_a: Tenant) -> None:
    (worker,) = platform.start_workers("dpia")
    pid = worker.pid
    job_id = str(uuid.uuid4())
    payload = json.dumps({"id": job_id, "scanner": "dpia", "request": {"answers": {}},
                          "org_id": org_a.org_id, "user_id": None, "created_at": time.time(), "attempts": 0,
                          "timeout_s": float("nan")})
    assert "NaN" in payload  # what Python's json wrote for the job before the protocol refused it
    service.manager.queue.push_raw("dpia", payload)
    result = service.manager.queue.wait(job_id, 20)
    assert result is not None and result["job_state"] == "failed" and "timeout_s" in result["error"]
    # healthy, same process: nothing to replace, and the job is over, not back in the queue
    health = wait_until(lambda: platform.health(worker), 5, what="a healthy worker")
    assert health["pid"] == pid and worker.restarts == 0
    assert service.manager.queue.queue_depth("dpia") == 0
    assert service.manager.get_job_status(job_id)["state"] == "failed"


@pytest.mark.parametrize(("scanner", "option"), [("document", "max_file_bytes"), ("document", "max_files"),
                                                  ("code", "max_file_bytes"), ("code", "max_files")])
def test_options_may_lower_the_safety_limits_but_not_raise_them(scanner: str, option: str,
                                                                tmp_path: Any) -> None:
    from services.scanners import get_scanner
    from services.scope import ScanScope, scoped

    with scoped(ScanScope(None, (tmp_path,))), pytest.raises(InvalidRequestError, match="at most"):
        get_scanner(scanner).scan({"path": str(tmp_path), "options": {option: 10 ** 18}}, lambda p, m: None)
