"""One organisation never reads another's uploads, however a path is spelt (issue 13, item 1).

Ownership is decided on the resolved path at submission (services/inputs/paths.py) and again by the
worker against the job's own organisation (services/scope.py). Both are tested: the submission through
ScanService, the worker with jobs pushed past the submission check, as a bug elsewhere would let through.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from services.scan_service import ScanService
from tests.planted import BSN, EMAIL, IBAN
from tests.rest_api import stack
from tests.rest_api.stack import Tenant, assert_no_planted
from tests.runtime.conftest import Platform
from utils.errors import UnsafeInputError

api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a, org_b = stack.org_a, stack.org_b

PADDING = "./" * 2100  # past 4,096 characters: what skipped the submission check before


def _bravo_upload(service: ScanService, org_b: Tenant) -> Path:
    letter = f"Geachte heer Jansen,\nUw BSN is {BSN}, uw IBAN {IBAN}, mail {EMAIL}.\n"
    return service.save_upload(org_b.org_id, "letter.txt", letter.encode())


def _spellings(service: ScanService, target: Path) -> list[str]:
    """Ways to name `target` (in another organisation's uploads) or the whole upload directory."""
    uploads = str(service.settings.upload_dir.resolve())
    relative = os.path.relpath(target, Path.cwd())
    return [str(target), f"{uploads}/{PADDING}", f"{uploads}/{PADDING}{target.relative_to(uploads)}",
            f"{uploads}//./{target.relative_to(uploads)}", relative,
            f"{target.parent}/../{target.parent.name}",
            f"file://{uploads}/{PADDING}", f"file://{target.parent}".replace("/", "/%2e/", 1)]


def test_submission_refuses_every_spelling_of_another_organisations_upload(
        service: ScanService, org_a: Tenant, org_b: Tenant) -> None:
    target = _bravo_upload(service, org_b)
    for spelling in _spellings(service, target):
        for scanner, field in (("document", "path"), ("code", "path"), ("code", "archive"),
                               ("code", "git_url"), ("soc2", "path")):
            with pytest.raises(UnsafeInputError):
                service.submit(org_a.org_id, org_a.user_id, scanner, {field: spelling})
    for queue in ("document", "code", "soc2"):
        assert service.manager.queue.queue_depth(queue) == 0


def test_the_worker_rechecks_against_the_jobs_own_organisation(
        service: ScanService, platform: Platform, org_a: Tenant, org_b: Tenant) -> None:
    platform.start_workers("document")
    target = _bravo_upload(service, org_b)
    own = service.save_upload(org_a.org_id, "mine.txt", f"BSN {BSN}\n".encode())
    results = []
    for spelling in _spellings(service, target)[:6]:
        # queued directly, as if the submission check had a hole: the worker must refuse on its own
        job_id = service.manager.submit_scan_job("document", {"path": spelling}, org_id=org_a.org_id)
        results.append(_finished(service, job_id))
    for result in results:
        assert result["status"] == "failed" and result["findings"] == [], result
        assert "outside the allowed scan roots" in result["error"] or "longer than" in result["error"]
        assert_no_planted(str(result))
    # the job's own upload still scans
    mine = _finished(service, service.manager.submit_scan_job("document", {"path": str(own)},
                                                              org_id=org_a.org_id))
    assert mine["status"] == "completed" and {f["type"] for f in mine["findings"]} == {"pii.bsn"}


def test_a_scan_root_that_contains_the_data_directory_opens_no_other_uploads(
        service: ScanService, platform: Platform, org_a: Tenant, org_b: Tenant,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # an operator's careless DG_SCAN_ROOTS=/ still keeps tenants apart
    monkeypatch.setenv("DG_SCAN_ROOTS", "/")
    platform.start_workers("document")
    target = _bravo_upload(service, org_b)
    job_id = service.manager.submit_scan_job("document", {"path": str(target)}, org_id=org_a.org_id)
    result = _finished(service, job_id)
    assert result["status"] == "failed" and result["findings"] == [], result
    aof = service.settings.data_dir / "redis"
    aof.mkdir(parents=True, exist_ok=True)
    result = _finished(service, service.manager.submit_scan_job("document", {"path": str(aof)},
                                                                org_id=org_a.org_id))
    assert result["status"] == "failed", result


def test_file_urls_do_not_tell_whether_another_organisations_paths_exist(
        service: ScanService, org_a: Tenant, org_b: Tenant) -> None:
    target = _bravo_upload(service, org_b)
    answers = []
    for path in (target.parent, target.parent.parent / "no-such-upload"):
        with pytest.raises(UnsafeInputError) as refused:
            service.submit(org_a.org_id, org_a.user_id, "code", {"git_url": f"file://{path}"})
        answers.append(str(refused.value))
    assert answers[0] == answers[1]


def _finished(service: ScanService, job_id: str) -> dict[str, Any]:
    result = service.manager.queue.wait(job_id, 30)
    assert result is not None, f"job {job_id} did not finish"
    return result
