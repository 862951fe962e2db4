"""Repository functions on the migrated schema: scans, usage, audit log, users, API keys, Stripe events."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg2.errors
import pytest

from services.detection.masking import mask, mask_email
from services.results import Finding, ResultStatus, Severity, build_result, unfinished_result, utc_now_iso
from utils import database_manager as dbm
from utils.database_manager import Database
from utils.errors import InvalidRequestError
from utils.ipc_manager import Job

RAW_BSN = "111222333"
RAW_EMAIL = "jan.jansen@example.nl"
RAW_IBAN = "NL91ABNA0417164300"
PLANTED = (RAW_BSN, RAW_EMAIL, RAW_IBAN)
ARGON_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


def _findings() -> list[Finding]:
    return [
        Finding("pii.bsn", "pii", Severity.HIGH, 0.95, {"path": "a.txt", "line": 3}, mask(RAW_BSN),
                ("Art. 87",), "Remove the BSN", fingerprint="fp-bsn"),
        Finding("pii.email", "pii", Severity.LOW, 0.8, {"path": "a.txt", "line": 4}, mask_email(RAW_EMAIL)),
        Finding("pii.iban", "pii", Severity.MEDIUM, 0.9, {"path": "b.csv", "line": 1}, mask(RAW_IBAN),
                ("Art. 5", "Art. 32"), fingerprint="fp-iban"),
    ]


def _job(org_id: str | None = None, scanner: str = "document") -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "scanner": scanner, "org_id": org_id, "user_id": None,
            "request": {"path": "/data/uploads/a.txt"}, "created_at": time.time(), "attempts": 1,
            "timeout_s": 600.0}


def _result(job: dict[str, Any]) -> dict[str, Any]:
    result = build_result(job["scanner"], _findings(), started_at=utc_now_iso(), items_scanned=2,
                          bytes_scanned=120)
    return {**result, "job_id": job["id"], "job_state": "succeeded", "error": None}


def _dump_tables(db: Database) -> str:
    """Every row of every application table as JSON, to grep for raw values."""
    with db.transaction() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row["tablename"] for row in cur.fetchall()]
        rows: list[str] = []
        for table in tables:
            cur.execute(f"SELECT row_to_json(t)::text AS j FROM {table} t")  # noqa: S608 - catalog names
            rows.extend(row["j"] for row in cur.fetchall())
    return "\n".join(rows)


def _assert_nothing_raw(*outputs: str) -> None:
    for output in outputs:
        for raw in PLANTED:
            assert raw not in output


@pytest.fixture
def org(db: Database) -> str:
    return dbm.create_organisation("Bakkerij De Vries BV", db=db)


def test_save_scan_result_is_idempotent_on_job_id(db: Database, org: str) -> None:
    job = _job(org)
    result = _result(job)
    assert dbm.save_scan_result(job, result, db=db) is True
    assert dbm.save_scan_result(job, result, db=db) is False
    with db.transaction() as cur:
        cur.execute("SELECT (SELECT count(*) FROM scans) AS scans, (SELECT count(*) FROM findings) AS f")
        assert dict(cur.fetchone()) == {"scans": 1, "f": 3}
    assert dbm.get_usage(org, db=db) == 1  # usage counted once, with the row


def test_concurrent_saves_of_one_job_write_it_once(postgres_url: str, db: Database, org: str) -> None:
    job = _job(org)
    result = _result(job)
    pool = Database(postgres_url, minconn=0, maxconn=4, wait_s=10)
    barrier = threading.Barrier(4)

    def save() -> bool:
        barrier.wait()
        return dbm.save_scan_result(job, result, db=pool)

    with ThreadPoolExecutor(4) as executor:
        outcomes = list(executor.map(lambda _: save(), range(4)))
    pool.close()
    assert sorted(outcomes) == [False, False, False, True]
    stored = dbm.get_scan(job["id"], db=db)
    assert stored is not None and len(stored["findings"]) == 3
    assert dbm.get_usage(org, db=db) == 1


def test_get_scan_round_trips_the_result_without_raw_values(db: Database, org: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    job = _job(org)
    result = _result(job)
    dbm.save_scan_result(job, result, db=db)
    stored = dbm.get_scan(job["id"], db=db)
    assert stored is not None
    assert stored["job_id"] == job["id"] and stored["org_id"] == org
    assert stored["job_state"] == "succeeded" and stored["status"] == "completed"
    assert stored["compliance_score"] == result["summary"]["compliance_score"]
    assert stored["summary"] == json.loads(json.dumps(result["summary"]))
    assert [f["type"] for f in stored["findings"]] == ["pii.bsn", "pii.email", "pii.iban"]
    assert stored["findings"][0]["evidence"] == mask(RAW_BSN)
    assert stored["findings"][2]["gdpr_articles"] == ["Art. 5", "Art. 32"]
    assert stored["findings"][0]["location"] == {"path": "a.txt", "line": 3}
    assert stored["duration_s"] is not None and stored["duration_s"] >= 0
    _assert_nothing_raw(json.dumps(stored), _dump_tables(db), caplog.text)


def test_the_runtimes_job_dataclass_is_accepted(db: Database, org: str) -> None:
    job = Job(id=str(uuid.uuid4()), scanner="code", request={"path": "/srv/repo"}, org_id=org, attempts=2)
    assert dbm.save_scan_result(job, _result({"id": job.id, "scanner": "code"}), db=db) is True
    stored = dbm.get_scan(job.id, db=db)
    assert stored is not None and (stored["scanner"], stored["attempts"]) == ("code", 2)


def test_unknown_job_is_none(db: Database) -> None:
    assert dbm.get_scan(str(uuid.uuid4()), db=db) is None


def test_failed_job_is_stored_with_its_state_and_error(db: Database, org: str) -> None:
    job = _job(org, scanner="website")
    result = {**unfinished_result("website", "timed_out", "scan exceeded 600s"), "job_id": job["id"]}
    assert dbm.save_scan_result(job, result, db=db) is True
    stored = dbm.get_scan(job["id"], db=db)
    assert stored is not None
    assert (stored["job_state"], stored["status"], stored["error"]) == ("timed_out", "failed",
                                                                      "scan exceeded 600s")
    assert stored["compliance_score"] is None and stored["findings"] == []
    assert dbm.get_usage(org, db=db) == 0  # a scan that did not run is not billed


@pytest.mark.parametrize("written_by", ["this version", "an older worker"])
def test_a_scan_that_could_not_read_its_input_is_stored_not_assessed(db: Database, org: str,
                                                                      written_by: str) -> None:
    job = _job(org)
    unread = [{"path": "bomb.zip", "message": "archive bomb"}]
    result = {**build_result("document", _findings()[:1], started_at=utc_now_iso(), errors=unread,
                             status=ResultStatus.FAILED), "job_id": job["id"]}
    if written_by == "an older worker":  # its outbox entry may still say 100 / low
        result["summary"].update(compliance_score=100, risk_level="low")
    assert dbm.save_scan_result(job, result, db=db) is True
    stored = dbm.get_scan(job["id"], db=db)
    assert stored is not None and stored["status"] == "failed"
    assert (stored["compliance_score"], stored["risk_level"]) == (None, "not_assessed")
    assert (stored["summary"]["compliance_score"], stored["summary"]["risk_level"]) == (None, "not_assessed")
    assert [f["type"] for f in stored["findings"]] == ["pii.bsn"]  # what it read is kept
    [listed] = dbm.list_scans(org, db=db)
    assert (listed["compliance_score"], listed["risk_level"]) == (None, "not_assessed")


@pytest.mark.parametrize("bad", [{"id": "not-a-uuid"}, {"org_id": "org-1"}])
def test_malformed_job_is_refused_before_sql(db: Database, bad: dict[str, Any]) -> None:
    job = {**_job(None), **bad}
    with pytest.raises(InvalidRequestError):
        dbm.save_scan_result(job, _result(_job(None)), db=db)


def test_list_scans_filters_orders_and_pages(db: Database, org: str) -> None:
    other = dbm.create_organisation("Other", db=db)
    jobs = []
    for i, scanner in enumerate(["code", "website", "code"]):
        job = {**_job(org, scanner), "created_at": 1_700_000_000 + i}
        dbm.save_scan_result(job, _result(job), db=db)
        jobs.append(job)
    dbm.save_scan_result(_job(other), _result(_job(other)), db=db)
    listed = dbm.list_scans(org, db=db)
    assert [s["job_id"] for s in listed] == [j["id"] for j in reversed(jobs)]
    assert [s["job_id"] for s in dbm.list_scans(org, search="COD", db=db)] == [jobs[2]["id"], jobs[0]["id"]]
    assert [s["job_id"] for s in dbm.list_scans(org, limit=1, offset=1, db=db)] == [jobs[1]["id"]]
    assert dbm.list_scans(org, search="%", db=db) == []  # wildcards in the search are literal
    assert len(dbm.list_scans(None, db=db)) == 4


def test_record_usage_counts_per_month(db: Database, org: str) -> None:
    assert dbm.record_usage(org, "2026-03", db=db) == 1
    assert dbm.record_usage(org, "2026-03-17", amount=2, db=db) == 3
    assert dbm.record_usage(org, "2026-04", db=db) == 1
    assert dbm.get_usage(org, "2026-03", db=db) == 3
    assert dbm.get_usage(org, "2026-05", db=db) == 0


def test_audit_log_is_append_only(db: Database, org: str) -> None:
    entry = dbm.append_audit("scan.submitted", org_id=org, target="job-1", details={"scanner": "code"}, db=db)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"), \
                db.transaction() as cur:
            cur.execute(statement)
    entries = dbm.list_audit(org, db=db)
    assert [(e["id"], e["action"], e["details"]) for e in entries] == [(entry, "scan.submitted",
                                                                         {"scanner": "code"})]


def test_users_are_unique_by_email_and_lock_out(db: Database, org: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = dbm.create_user(org, RAW_EMAIL, "analyst", ARGON_HASH, db=db)
    with pytest.raises(InvalidRequestError) as caught:
        dbm.create_user(org, RAW_EMAIL.upper(), "viewer", ARGON_HASH, db=db)
    _assert_nothing_raw(str(caught.value), caplog.text)
    found = dbm.get_user_by_email(RAW_EMAIL.upper(), db=db)
    assert found is not None and found["id"] == user and found["role"] == "analyst"
    states = [dbm.record_login(user, False, max_failures=3, db=db) for _ in range(3)]
    assert [s["failed_logins"] for s in states] == [1, 2, 3]
    assert states[1]["locked_until"] is None and states[2]["locked_until"] is not None
    assert dbm.record_login(user, True, db=db) == {"failed_logins": 0, "locked_until": None}


@pytest.mark.parametrize("role, password_hash", [("owner", ARGON_HASH), ("admin", "plaintext-pw")])
def test_bad_user_fields_are_refused(db: Database, org: str, role: str, password_hash: str) -> None:
    with pytest.raises(InvalidRequestError):
        dbm.create_user(org, "a@b.nl", role, password_hash, db=db)


def test_api_keys_are_stored_hashed_and_can_be_revoked(db: Database, org: str) -> None:
    key_id, key = dbm.create_api_key(org, "CI pipeline", db=db)
    assert key not in _dump_tables(db)
    found = dbm.find_api_key(key, db=db)
    assert found is not None and found["id"] == key_id and found["org_id"] == org
    assert key.startswith(found["prefix"]) and len(found["prefix"]) < len(key) // 3
    assert dbm.find_api_key(key + "x", db=db) is None
    assert dbm.revoke_api_key(key_id, db=db) is True
    assert dbm.revoke_api_key(key_id, db=db) is False
    assert dbm.find_api_key(key, db=db) is None


def test_stripe_events_are_recorded_once(db: Database) -> None:
    payload = {"id": "evt_1", "type": "invoice.paid"}
    assert dbm.record_stripe_event("evt_1", "invoice.paid", payload, db=db) is True
    assert dbm.record_stripe_event("evt_1", "invoice.paid", payload, db=db) is False
