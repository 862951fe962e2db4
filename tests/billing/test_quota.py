"""Plans and quotas on a real PostgreSQL: the plan decides scanners and monthly scans; queued jobs count."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from services import billing, scanners
from utils.errors import InvalidRequestError, QuotaExceededError, ScannerNotInPlanError
from utils.repositories import audit, scans, submissions, usage


def store_scan(org_id: str, state: str = "succeeded", created_at: datetime | None = None) -> str:
    """Persist a finished job the way the outbox drainer does (bumps usage for a succeeded one)."""
    job_id = str(uuid.uuid4())
    created = (created_at or datetime.now(UTC)).timestamp()
    status = "completed" if state == "succeeded" else "failed"
    job = {"id": job_id, "scanner": "code", "org_id": org_id, "attempts": 1, "created_at": created}
    scans.save_scan_result(job, {"status": status, "job_state": state, "summary": {}, "findings": []})
    return job_id


def submit(org_id: str) -> str:
    """What scan_service writes when it queues a job (the job itself is not stored yet)."""
    job_id = str(uuid.uuid4())
    audit.append_audit(submissions.SUBMITTED_ACTION, org_id=org_id, target=job_id,
                       details={"scanner": "code"})
    return job_id


def test_plans_are_data_with_quota_and_scanners() -> None:
    names = [p.name for p in billing.plans()]
    assert names == ["free", "starter", "professional", "enterprise"]
    assert billing.default_plan().name == "free"
    assert billing.get_plan("enterprise").monthly_scans is None
    assert set(billing.get_plan("professional").scanners) == set(scanners.scanner_names())
    assert set(billing.get_plan("free").scanners) == {"code", "document", "dpia", "report"}
    assert [p.name for p in billing.PAID_PLANS] == ["starter", "professional"]
    with pytest.raises(InvalidRequestError, match="unknown plan"):
        billing.get_plan("platinum")


def test_free_plan_at_quota_is_refused_with_a_clear_message(make_org: Callable[..., str]) -> None:
    org = make_org()
    usage.record_usage(org, amount=49)
    billing.check_quota(org, "code")  # 49 of 50: one more is allowed
    store_scan(org)
    with pytest.raises(QuotaExceededError) as refused:
        billing.check_quota(org, "code")
    assert str(refused.value) == ("monthly quota of 50 scans reached (50 used); "
                                  "upgrade to Starter (500 scans a month) on the Billing page")
    assert refused.value.http_status == 429
    summary = billing.usage_summary(org)
    assert (summary["plan"], summary["used"], summary["quota"]) == ("free", 50, 50)
    assert summary["month"] == datetime.now(UTC).strftime("%Y-%m")


def test_queued_and_running_jobs_count_so_a_burst_cannot_overshoot(make_org: Callable[..., str]) -> None:
    org = make_org()
    usage.record_usage(org, amount=45)
    submitted = []
    for _ in range(5):
        billing.check_quota(org, "code")
        submitted.append(submit(org))  # queued, nothing stored yet
    with pytest.raises(QuotaExceededError, match=r"\(50 used, 5 of them still queued or running\)"):
        billing.check_quota(org, "code")
    # two of them fail: failures are not billed, so two more scans fit
    for job_id in submitted[:2]:
        scans.save_scan_result({"id": job_id, "scanner": "code", "org_id": org, "attempts": 1,
                                "created_at": datetime.now(UTC).timestamp()},
                               {"status": "failed", "job_state": "failed", "summary": {}, "findings": []})
    assert billing.usage_summary(org)["used"] == 48
    billing.check_quota(org, "code")


def test_last_months_scans_do_not_count(make_org: Callable[..., str]) -> None:
    org = make_org()
    last_month = (datetime.now(UTC).replace(day=1) - timedelta(days=1)).date()
    usage.record_usage(org, month=last_month, amount=50)
    billing.check_quota(org, "code")
    assert billing.usage_summary(org)["used"] == 0


def test_scanner_not_in_plan_is_refused(make_org: Callable[..., str]) -> None:
    free, starter = make_org("Free BV"), make_org("Starter BV", plan="starter")
    with pytest.raises(ScannerNotInPlanError) as refused:
        billing.check_quota(free, "soc2")
    assert str(refused.value) == ("the soc2 scanner is not included in the Free plan; "
                                  "upgrade to Starter (500 scans a month) on the Billing page")
    billing.check_quota(starter, "soc2")
    with pytest.raises(ScannerNotInPlanError, match="upgrade to Professional"):
        billing.check_quota(starter, "api")


def test_enterprise_has_no_monthly_limit(make_org: Callable[..., str]) -> None:
    org = make_org(plan="enterprise")
    usage.record_usage(org, amount=100_000)
    billing.check_quota(org, "database")
    assert billing.usage_summary(org)["quota"] is None


def test_unknown_organisation_and_unknown_stored_plan(make_org: Callable[..., str]) -> None:
    with pytest.raises(InvalidRequestError, match="no organisation"):
        billing.check_quota(str(uuid.uuid4()), "code")
    org = make_org(plan="legacy-gold")  # a plan since removed from plans.yaml
    assert billing.plan_of(org).name == "free"


def test_a_submission_never_stored_stops_counting_after_the_window(make_org: Callable[..., str]) -> None:
    org = make_org()
    submit(org)
    assert submissions.scans_this_month(org, in_flight_window_s=billing.IN_FLIGHT_WINDOW_S) == (0, 1)
    assert submissions.scans_this_month(org, in_flight_window_s=0) == (0, 0)  # as if the window had passed


def test_racing_submissions_take_turns_so_only_one_gets_the_last_scan(make_org: Callable[..., str]) -> None:
    org = make_org()
    usage.record_usage(org, amount=49)
    racers = 8
    start = threading.Barrier(racers)
    outcomes: list[str] = []

    def race() -> None:
        start.wait()
        try:
            with submissions.Submission(org) as submission:
                billing.check_quota(org, "code", submission=submission)
                time.sleep(0.05)  # queueing the job happens here: every racer has counted 49 by now
                submission.record(None, str(uuid.uuid4()), {"scanner": "code"})
            outcomes.append("queued")
        except QuotaExceededError:
            outcomes.append("refused")

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["queued"] + ["refused"] * (racers - 1)
    assert submissions.scans_this_month(org, in_flight_window_s=billing.IN_FLIGHT_WINDOW_S) == (49, 1)


def test_a_submission_left_by_an_error_records_nothing(make_org: Callable[..., str]) -> None:
    org = make_org()
    with pytest.raises(ConnectionError), submissions.Submission(org) as submission:
        billing.check_quota(org, "code", submission=submission)
        submission.record(None, str(uuid.uuid4()), {"scanner": "code"})
        raise ConnectionError("Redis went away before the job was queued")
    assert submissions.scans_this_month(org, in_flight_window_s=billing.IN_FLIGHT_WINDOW_S) == (0, 0)
    with submissions.Submission(org) as submission:  # the lock went with the rollback
        assert submission.scans_this_month(billing.IN_FLIGHT_WINDOW_S) == (0, 0)
