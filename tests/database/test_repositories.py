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
from utils.database_manager import Database
from utils.errors import InvalidRequestError
from utils.ipc_manager import Job
from utils.repositories import (
    api_keys,
    audit,
    login_throttle,
    organisations,
    scans,
    sessions,
    subscriptions,
    usage,
)

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
    return organisations.create_organisation("Bakkerij De Vries BV", db=db)


def test_save_scan_result_is_idempotent_on_job_id(db: Database, org: str) -> None:
    job = _job(org)
    result = _result(job)
    assert scans.save_scan_result(job, result, db=db) is True
    assert scans.save_scan_result(job, result, db=db) is False
    with db.transaction() as cur:
        cur.execute("SELECT (SELECT count(*) FROM scans) AS scans, (SELECT count(*) FROM findings) AS f")
        assert dict(cur.fetchone()) == {"scans": 1, "f": 3}
    assert usage.get_usage(org, db=db) == 1  # usage counted once, with the row


def test_concurrent_saves_of_one_job_write_it_once(postgres_url: str, db: Database, org: str) -> None:
    job = _job(org)
    result = _result(job)
    pool = Database(postgres_url, minconn=0, maxconn=4, wait_s=10)
    barrier = threading.Barrier(4)

    def save() -> bool:
        barrier.wait()
        return scans.save_scan_result(job, result, db=pool)

    with ThreadPoolExecutor(4) as executor:
        outcomes = list(executor.map(lambda _: save(), range(4)))
    pool.close()
    assert sorted(outcomes) == [False, False, False, True]
    stored = scans.get_scan(job["id"], db=db)
    assert stored is not None and len(stored["findings"]) == 3
    assert usage.get_usage(org, db=db) == 1


def test_get_scan_round_trips_the_result_without_raw_values(db: Database, org: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    job = _job(org)
    result = _result(job)
    scans.save_scan_result(job, result, db=db)
    stored = scans.get_scan(job["id"], db=db)
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
    assert scans.save_scan_result(job, _result({"id": job.id, "scanner": "code"}), db=db) is True
    stored = scans.get_scan(job.id, db=db)
    assert stored is not None and (stored["scanner"], stored["attempts"]) == ("code", 2)


def test_unknown_job_is_none(db: Database) -> None:
    assert scans.get_scan(str(uuid.uuid4()), db=db) is None


def test_failed_job_is_stored_with_its_state_and_error(db: Database, org: str) -> None:
    job = _job(org, scanner="website")
    result = {**unfinished_result("website", "timed_out", "scan exceeded 600s"), "job_id": job["id"]}
    assert scans.save_scan_result(job, result, db=db) is True
    stored = scans.get_scan(job["id"], db=db)
    assert stored is not None
    assert (stored["job_state"], stored["status"], stored["error"]) == ("timed_out", "failed",
                                                                      "scan exceeded 600s")
    assert stored["compliance_score"] is None and stored["findings"] == []
    assert usage.get_usage(org, db=db) == 0  # a scan that did not run is not billed


@pytest.mark.parametrize("written_by", ["this version", "an older worker"])
def test_a_scan_that_could_not_read_its_input_is_stored_not_assessed(db: Database, org: str,
                                                                      written_by: str) -> None:
    job = _job(org)
    unread = [{"path": "bomb.zip", "message": "archive bomb"}]
    result = {**build_result("document", _findings()[:1], started_at=utc_now_iso(), errors=unread,
                             status=ResultStatus.FAILED), "job_id": job["id"]}
    if written_by == "an older worker":  # its outbox entry may still say 100 / low
        result["summary"].update(compliance_score=100, risk_level="low")
    assert scans.save_scan_result(job, result, db=db) is True
    stored = scans.get_scan(job["id"], db=db)
    assert stored is not None and stored["status"] == "failed"
    assert (stored["compliance_score"], stored["risk_level"]) == (None, "not_assessed")
    assert (stored["summary"]["compliance_score"], stored["summary"]["risk_level"]) == (None, "not_assessed")
    assert [f["type"] for f in stored["findings"]] == ["pii.bsn"]  # what it read is kept
    [listed] = scans.list_scans(org, db=db)
    assert (listed["compliance_score"], listed["risk_level"]) == (None, "not_assessed")


@pytest.mark.parametrize("bad", [{"id": "not-a-uuid"}, {"org_id": "org-1"}])
def test_malformed_job_is_refused_before_sql(db: Database, bad: dict[str, Any]) -> None:
    job = {**_job(None), **bad}
    with pytest.raises(InvalidRequestError):
        scans.save_scan_result(job, _result(_job(None)), db=db)


def test_list_scans_filters_orders_and_pages(db: Database, org: str) -> None:
    other = organisations.create_organisation("Other", db=db)
    jobs = []
    for i, scanner in enumerate(["code", "website", "code"]):
        job = {**_job(org, scanner), "created_at": 1_700_000_000 + i}
        scans.save_scan_result(job, _result(job), db=db)
        jobs.append(job)
    scans.save_scan_result(_job(other), _result(_job(other)), db=db)
    listed = scans.list_scans(org, db=db)
    assert [s["job_id"] for s in listed] == [j["id"] for j in reversed(jobs)]
    assert [s["job_id"] for s in scans.list_scans(org, search="COD", db=db)] == [jobs[2]["id"], jobs[0]["id"]]
    assert [s["job_id"] for s in scans.list_scans(org, limit=1, offset=1, db=db)] == [jobs[1]["id"]]
    assert scans.list_scans(org, search="%", db=db) == []  # wildcards in the search are literal
    assert len(scans.list_scans(None, db=db)) == 4


def test_record_usage_counts_per_month(db: Database, org: str) -> None:
    assert usage.record_usage(org, "2026-03", db=db) == 1
    assert usage.record_usage(org, "2026-03-17", amount=2, db=db) == 3
    assert usage.record_usage(org, "2026-04", db=db) == 1
    assert usage.get_usage(org, "2026-03", db=db) == 3
    assert usage.get_usage(org, "2026-05", db=db) == 0


def test_audit_log_is_append_only(db: Database, org: str) -> None:
    entry = audit.append_audit("scan.submitted", org_id=org, target="job-1", details={"scanner": "code"},
                               db=db)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"), \
                db.transaction() as cur:
            cur.execute(statement)
    entries = audit.list_audit(org, db=db)
    assert [(e["id"], e["action"], e["details"]) for e in entries] == [(entry, "scan.submitted",
                                                                         {"scanner": "code"})]


def test_users_are_unique_by_email(db: Database, org: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = organisations.create_user(org, RAW_EMAIL, "analyst", ARGON_HASH, db=db)
    with pytest.raises(InvalidRequestError) as caught:
        organisations.create_user(org, RAW_EMAIL.upper(), "viewer", ARGON_HASH, db=db)
    _assert_nothing_raw(str(caught.value), caplog.text)
    found = organisations.get_user_by_email(RAW_EMAIL.upper(), db=db)
    assert found is not None and found["id"] == user and found["role"] == "analyst"
    assert organisations.get_user(org, user, db=db) == found
    assert organisations.get_user(organisations.create_organisation("Other", db=db), user, db=db) is None


def _age_throttle(db: Database, seconds: float) -> None:
    """Move every throttle window `seconds` into the past, as if that much time had gone by."""
    with db.transaction() as cur:
        cur.execute("UPDATE login_throttle SET window_ends_at = window_ends_at - make_interval(secs => %s)",
                    (seconds,))


def test_sign_in_attempts_count_per_account_and_source_within_a_window(db: Database) -> None:
    counts = [login_throttle.count_sign_in_attempt("acct-a", "203.0.113.7", 600, db=db) for _ in range(3)]
    assert [(own, anywhere) for own, anywhere, _ in counts] == [(1, 1), (2, 2), (3, 3)]
    assert 590 < counts[-1][2] <= 600  # the window runs from the first attempt
    assert login_throttle.count_sign_in_attempt("acct-b", "203.0.113.7", 600, db=db)[:2] == (1, 4)
    assert login_throttle.count_sign_in_attempt("acct-a", "198.51.100.1", 600, db=db)[:2] == (1, 1)
    assert login_throttle.locked_accounts(["acct-a", "acct-b", "acct-c"], 3, db=db).keys() == {"acct-a"}
    login_throttle.forget_sign_in_attempt("acct-a", "203.0.113.7", db=db)  # a success there
    assert login_throttle.count_sign_in_attempt("acct-a", "203.0.113.7", 600, db=db)[:2] == (1, 4)
    _age_throttle(db, 601)
    # a new window
    assert login_throttle.count_sign_in_attempt("acct-b", "203.0.113.7", 600, db=db)[:2] == (1, 1)
    # acct-a at both sources, 198.51.100.1 overall; not the new
    assert login_throttle.prune_login_throttle(db=db) == 3
    assert login_throttle.locked_accounts(["acct-a", "acct-b"], 1, db=db).keys() == {"acct-b"}
    assert login_throttle.clear_login_throttle("acct-b", 1, db=db) == 1
    assert login_throttle.locked_accounts(["acct-b"], 1, db=db) == {}


def test_an_unknown_api_key_is_looked_up_without_a_write(postgres_url: str, db: Database, org: str) -> None:
    _, key = api_keys.create_api_key(org, "ci", db=db)
    assert api_keys.find_api_key(key, db=db) is not None  # first use: last_used_at is written
    read_only = Database(postgres_url + "?options=-c%20default_transaction_read_only%3Don", maxconn=1)
    try:
        assert api_keys.find_api_key("dgp_" + "x" * 43, db=read_only) is None
        assert api_keys.find_api_key(key, db=read_only) is not None  # used a moment ago: nothing to write
    finally:
        read_only.close()


def test_deactivating_a_user_revokes_their_keys_and_ends_their_sessions(db: Database, org: str) -> None:
    user = organisations.create_user(org, "ops@example.nl", "admin", ARGON_HASH, db=db)
    other = organisations.create_user(org, "dev@example.nl", "admin", ARGON_HASH, db=db)
    mine = [api_keys.create_api_key(org, name, user_id=user, db=db) for name in ("a", "b")]
    _, theirs = api_keys.create_api_key(org, "c", user_id=other, db=db)
    _, unowned = api_keys.create_api_key(org, "d", db=db)
    sessions.create_session(user, "token-hash-1", time.time() + 60, db=db)
    revoked = organisations.deactivate_user(org, user, db=db) or []
    assert sorted(revoked) == sorted(key_id for key_id, _ in mine)
    assert [api_keys.find_api_key(key, db=db) for _, key in mine] == [None, None]
    assert api_keys.find_api_key(theirs, db=db) and api_keys.find_api_key(unowned, db=db)
    assert sessions.get_session("token-hash-1", db=db) is None
    elsewhere = organisations.create_organisation("Other", db=db)
    assert organisations.deactivate_user(elsewhere, other, db=db) is None
    assert organisations.update_user(org, user, active=True, db=db)
    assert [api_keys.find_api_key(key, db=db) for _, key in mine] == [None, None]  # revoked for good
    assert organisations.update_user(org, other, active=False, db=db)  # every way of deactivating revokes
    assert api_keys.find_api_key(theirs, db=db) is None


def test_set_password_ends_every_session_but_the_one_kept(db: Database, org: str) -> None:
    user = organisations.create_user(org, "ops@example.nl", "admin", ARGON_HASH, db=db)
    for token in ("kept", "other-1", "other-2"):
        sessions.create_session(user, token, time.time() + 60, db=db)
    assert organisations.set_password(org, user, ARGON_HASH + "x", keep_session="kept", db=db) == 2
    assert sessions.get_session("kept", db=db) and not sessions.get_session("other-1", db=db)
    assert (organisations.get_user(org, user, db=db) or {})["password_hash"] == ARGON_HASH + "x"
    with pytest.raises(InvalidRequestError):
        organisations.set_password(org, user, "plaintext", db=db)
    elsewhere = organisations.create_organisation("Other", db=db)
    assert organisations.set_password(elsewhere, user, ARGON_HASH, db=db) is None


@pytest.mark.parametrize("role, password_hash", [("owner", ARGON_HASH), ("admin", "plaintext-pw")])
def test_bad_user_fields_are_refused(db: Database, org: str, role: str, password_hash: str) -> None:
    with pytest.raises(InvalidRequestError):
        organisations.create_user(org, "a@b.nl", role, password_hash, db=db)


def test_api_keys_are_stored_hashed_and_can_be_revoked(db: Database, org: str) -> None:
    key_id, key = api_keys.create_api_key(org, "CI pipeline", db=db)
    assert key not in _dump_tables(db)
    found = api_keys.find_api_key(key, db=db)
    assert found is not None and found["id"] == key_id and found["org_id"] == org
    assert key.startswith(found["prefix"]) and len(found["prefix"]) < len(key) // 3
    assert api_keys.find_api_key(key + "x", db=db) is None
    assert api_keys.revoke_api_key(key_id, db=db) is True
    assert api_keys.revoke_api_key(key_id, db=db) is False
    assert api_keys.find_api_key(key, db=db) is None


def test_stripe_events_are_recorded_once(db: Database) -> None:
    payload = {"id": "evt_1", "type": "invoice.paid"}
    assert subscriptions.record_stripe_event("evt_1", "invoice.paid", payload, db=db) is True
    assert subscriptions.record_stripe_event("evt_1", "invoice.paid", payload, db=db) is False
