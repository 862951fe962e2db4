"""services/scan_service.py on the session Redis and PostgreSQL (real workers where a scan must run)."""

from __future__ import annotations

import io
import json
import threading
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.results import Finding, Severity, build_result
from services.scan_service import ScanService
from tests.rest_api import stack
from tests.rest_api.stack import Tenant, assert_no_planted, drain
from tests.runtime.conftest import Platform
from utils import database_manager
from utils.errors import (
    InvalidRequestError,
    JobNotFinishedError,
    JobNotFoundError,
    QuotaExceededError,
    RequestTooLargeError,
    ScannerNotAvailableError,
    UnsafeInputError,
)
from utils.repositories import audit, organisations, scans, usage

# the REST API tests' stack, bound here as this module's fixtures
api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a, org_b = stack.org_a, stack.org_b


def test_uploads_land_in_the_organisations_own_directory(service: ScanService, org_a: Tenant) -> None:
    path = service.save_upload(org_a.org_id, "../../etc/cron.d/evil name.zip", b"PK")
    uploads = service.settings.upload_dir.resolve() / org_a.org_id
    assert path.parent.parent == uploads and path.name == "etc_cron.d_evil_name.zip"
    assert path.read_bytes() == b"PK"
    assert service.save_upload(org_a.org_id, "", io.BytesIO(b"x")).name == "upload"
    with pytest.raises(InvalidRequestError):
        service.save_upload("../other", "a.zip", b"PK")


def test_an_upload_over_the_limit_is_refused_and_removed(service: ScanService, org_a: Tenant) -> None:
    limit = service.settings.max_upload_bytes
    with pytest.raises(RequestTooLargeError):
        service.save_upload(org_a.org_id, "big.bin", io.BytesIO(b"\0" * (limit + 1)))
    with pytest.raises(RequestTooLargeError):
        service.save_upload(org_a.org_id, "big.bin", b"\0" * (limit + 1))
    assert list((service.settings.upload_dir / org_a.org_id).iterdir()) == []


def test_submit_refusals_queue_nothing(service: ScanService, org_a: Tenant, later_scanner: str) -> None:
    with pytest.raises(ScannerNotAvailableError):
        service.submit(org_a.org_id, org_a.user_id, "diagnostic", {})  # drills only, not for customers
    with pytest.raises(ScannerNotAvailableError, match="not available yet"):
        service.submit(org_a.org_id, org_a.user_id, later_scanner, {"path": "photo.png"})
    with pytest.raises(InvalidRequestError):
        service.submit(org_a.org_id, org_a.user_id, "dpia", ["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(RequestTooLargeError):
        service.submit(org_a.org_id, org_a.user_id, "dpia", {"notes": "x" * 20_000})
    queue = service.manager.queue
    assert queue.queue_depth("dpia") == 0 and queue.queue_depth(later_scanner) == 0


def test_submissions_racing_for_the_last_scan_of_the_month_queue_one_job(
        service: ScanService, db: database_manager.Database) -> None:
    org = organisations.create_organisation("Racing BV", plan="free", db=db)  # 50 scans a month
    usage.record_usage(org, amount=49, db=db)
    racers = 6
    start = threading.Barrier(racers)
    queued: list[str] = []
    refused: list[QuotaExceededError] = []

    def submit() -> None:
        start.wait()
        try:
            queued.append(service.submit(org, None, "dpia", {"answers": {}}))
        except QuotaExceededError as error:
            refused.append(error)

    threads = [threading.Thread(target=submit) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(queued) == 1 and len(refused) == racers - 1
    assert all("monthly quota of 50 scans reached (50 used" in str(e) for e in refused)
    entries = [e for e in audit.list_audit(org, db=db) if e["action"] == "scan.submitted"]
    assert [e["target"] for e in entries] == queued
    assert service.cancel(org, queued[0]) == "cancelled"  # leave the dpia queue as it was


def test_cancel_a_queued_scan_then_read_it(service: ScanService, org_a: Tenant, org_b: Tenant) -> None:
    job_id = service.submit(org_a.org_id, org_a.user_id, "dpia", {"answers": {}})
    status = service.status(org_a.org_id, job_id)
    assert status["state"] == "queued" and status["scanner"] == "dpia" and status["created_at"]
    with pytest.raises(JobNotFinishedError):
        service.export(org_a.org_id, job_id, "json")
    with pytest.raises(JobNotFoundError):
        service.cancel(org_b.org_id, job_id)
    assert service.cancel(org_a.org_id, job_id, org_a.user_id) == "cancelled"
    assert service.status(org_a.org_id, job_id)["state"] == "cancelled"
    result = service.result(org_a.org_id, job_id)
    assert result is not None and result["job_state"] == "cancelled"
    assert "request" not in json.dumps(status)


def test_scanner_availability_follows_live_workers(service: ScanService, platform: Platform,
                                                  later_scanner: str) -> None:
    before = service.scanner_availability()
    assert before["code"] == "no worker running" and before[later_scanner] == "not available yet"
    platform.start_workers("code")
    after = service.scanner_availability()
    assert after["code"] == "available" and after["document"] == "no worker running"
    assert list(after) == ["code", "website", "ai_model", "document", "database", "image", "dpia", "soc2",
                           "api", "report", later_scanner]


def _stored_scan(db: database_manager.Database, tenant: Tenant) -> str:
    finding = Finding(type="pii.bsn", category="pii", severity=Severity.HIGH, confidence=0.95,
                      location={"path": "crm/export.csv", "line": 3}, evidence="1112*****",
                      gdpr_articles=("Art. 87 UAVG",), remediation="Remove the BSN.")
    result = build_result("document", [finding], started_at="2026-11-01T10:00:00+00:00", items_scanned=1)
    job_id = str(uuid.uuid4())
    job = {"id": job_id, "org_id": tenant.org_id, "user_id": tenant.user_id, "scanner": "document",
           "created_at": 1.79e9}
    assert scans.save_scan_result(job, result, db=db)
    return job_id


def test_exports_of_a_scan_kept_only_in_postgresql(service: ScanService, db: database_manager.Database,
                                                   org_a: Tenant, org_b: Tenant) -> None:
    job_id = _stored_scan(db, org_a)
    assert service.status(org_a.org_id, job_id)["state"] == "succeeded"
    assert service.history(org_a.org_id, search="docu")[0]["job_id"] == job_id
    assert service.history(org_b.org_id) == []
    outputs: list[str | bytes] = []
    for fmt in ("json", "csv", "sarif"):
        data, mime, name = service.export(org_a.org_id, job_id, fmt)
        assert name == f"dataguardian-document-{job_id[:8]}.{fmt}" and "1112*****" in data.decode()
        outputs.append(data)
    english, _, _ = service.export(org_a.org_id, job_id, "pdf", "en")
    dutch, mime, _ = service.export(org_a.org_id, job_id, "pdf", "nl")
    assert mime == "application/pdf" and _pdf_text(english) != _pdf_text(dutch)
    outputs += [_pdf_text(english), _pdf_text(dutch)]
    assert_no_planted(*outputs)
    with pytest.raises(JobNotFoundError):
        service.export(org_b.org_id, job_id, "json")
    with pytest.raises(InvalidRequestError):
        service.export(org_a.org_id, job_id, "docx")
    with pytest.raises(InvalidRequestError):
        service.export(org_a.org_id, job_id, "pdf", "de")


def test_a_finished_scan_is_read_from_postgresql_after_the_redis_ttl(
        service: ScanService, platform: Platform, db: database_manager.Database, org_a: Tenant,
        tmp_path: Path) -> None:
    platform.start_workers("dpia")
    job_id = service.submit(org_a.org_id, org_a.user_id, "dpia", {"answers": {}})
    result = service.manager.queue.wait(job_id, 30)
    assert result is not None and service.result(org_a.org_id, job_id) == result
    assert drain(service, db) == 1
    platform.close()  # stop the worker before its Redis state goes
    service.manager.queue.redis.flushall()
    stored = service.result(org_a.org_id, job_id)
    assert stored is not None and stored["scanner"] == "dpia" and stored["status"] == result["status"]
    assert stored["summary"]["compliance_score"] == result["summary"]["compliance_score"]
    assert stored["dpia"] == result["dpia"] and stored["dpia"]["verdict"]  # the assessment outlives Redis
    assert "dpia" not in service.history(org_a.org_id)[0]  # a history line carries no sections
    assert service.cancel(org_a.org_id, job_id) == "succeeded"  # long finished: nothing to cancel


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_paths_in_the_data_directory_must_be_the_organisations_own(service: ScanService,
                                                                   org_a: Tenant) -> None:
    data_dir = service.settings.data_dir
    for path in (data_dir / "redis" / "appendonly.aof", data_dir / "postgres",
                 service.settings.upload_dir / str(uuid.uuid4()) / "x.zip", data_dir / "uploads"):
        with pytest.raises(UnsafeInputError):
            service.submit(org_a.org_id, org_a.user_id, "code", {"path": str(path)})
    with pytest.raises(UnsafeInputError):  # a report may not overwrite the platform's own files
        service.submit(org_a.org_id, org_a.user_id, "report",
                       {"results": [], "output": str(data_dir / "redis" / "appendonly.aof")})
    with pytest.raises(UnsafeInputError):
        service.submit(org_a.org_id, org_a.user_id, "report", {"results": [], "output": "../../redis/x"})
    assert service.manager.queue.queue_depth("code") == 0 and service.manager.queue.queue_depth("report") == 0


def test_a_relative_report_output_lands_in_the_organisations_reports(service: ScanService, platform: Platform,
                                                                    db: database_manager.Database,
                                                                    org_a: Tenant) -> None:
    platform.start_workers("report")
    scanned = service.result(org_a.org_id, _stored_scan(db, org_a))
    request = {"results": [scanned], "format": "csv", "output": "q4/audit.csv"}
    job_id = service.submit(org_a.org_id, org_a.user_id, "report", request)
    done = service.manager.queue.wait(job_id, 30)
    assert done is not None and done["status"] == "completed", done
    written = Path(done["report"]["path"])
    assert written == service.settings.upload_dir.resolve() / org_a.org_id / "reports" / "q4" / "audit.csv"
    assert "pii.bsn" in written.read_text()


def test_a_scan_s_files_are_served_only_from_the_organisations_own_artifacts(
        service: ScanService, org_a: Tenant, org_b: Tenant) -> None:
    from services.scope import ARTIFACTS_DIR
    from utils.ipc_manager import JobState

    def planted(org_id: str, name: str) -> Path:
        folder = service.settings.upload_dir.resolve() / org_id / ARTIFACTS_DIR / "image" / "x"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"\x89PNG " + name.encode())
        return folder / name

    theirs, mine = planted(org_b.org_id, "theirs.png"), planted(org_a.org_id, "mine.png")
    sneaky = str(mine.parent) + "/../../../../" + org_b.org_id + "/" + ARTIFACTS_DIR + "/image/x/theirs.png"
    # a result is only as trustworthy as its paths: forge one that names another organisation's file
    queue = service.manager.queue
    job_id = queue.enqueue(queue.new_job("image", {"path": "/x"}, org_id=org_a.org_id, user_id=org_a.user_id))
    taken = queue.take("image", "w1")
    assert taken is not None and taken.job_id == job_id
    artifacts = [{"path": str(theirs)}, {"path": sneaky}, {"path": "/etc/passwd"}, "not an entry",
                 {"path": str(mine), "media_type": "text/html"}]
    result = {**build_result("image", [], started_at="2026-11-01T10:00:00+00:00"), "artifacts": artifacts}
    assert queue.finish("image", "w1", taken.payload, job_id, JobState.SUCCEEDED, result, duration_s=0.1)
    for index in (0, 1, 2, 3, 5, -1):
        with pytest.raises(JobNotFoundError):
            service.artifact(org_a.org_id, job_id, index)
    data, mime, name = service.artifact(org_a.org_id, job_id, 4)
    assert (data, name) == (b"\x89PNG mine.png", "mine.png")
    assert mime == "application/octet-stream"  # a type a result names is not trusted either
    with pytest.raises(JobNotFoundError):
        service.artifact(org_b.org_id, job_id, 4)


def _website_result_showing(screenshot: Path) -> dict[str, object]:
    result = build_result("website", [], started_at="2026-11-01T10:00:00+00:00", items_scanned=1)
    result["website"] = {"start_url": "https://shop.example.nl/", "mode": "browser", "pages": [],
                         "evidence": [{"kind": "screenshot", "state": "none", "path": str(screenshot),
                                       "url": "https://shop.example.nl/", "taken_at": "2026-11-01T10:00:01"}]}
    return result


def test_an_export_draws_only_the_organisations_own_evidence_images(
        service: ScanService, db: database_manager.Database, org_a: Tenant, org_b: Tenant) -> None:
    """A section's image path is input: an export of org A's scan never embeds org B's file."""
    from PIL import Image

    from services.scope import artifact_dir, scope_for, scoped

    shots = {}
    for tenant in (org_a, org_b):
        with scoped(scope_for(tenant.org_id, service.settings)):
            shots[tenant.org_id] = artifact_dir("website") / "banner.png"
        Image.new("RGB", (60, 30), (10, 120, 200)).save(shots[tenant.org_id])
    images = {}
    for owner in (org_a.org_id, org_b.org_id):
        job_id = str(uuid.uuid4())
        job = {"id": job_id, "org_id": org_a.org_id, "user_id": org_a.user_id, "scanner": "website"}
        assert scans.save_scan_result(job, _website_result_showing(shots[owner]), db=db)
        pdf, _, _ = service.export(org_a.org_id, job_id, "pdf")
        images[owner] = sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert images == {org_a.org_id: 1, org_b.org_id: 0}
