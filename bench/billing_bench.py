"""Figures for billing (run: python -m bench.billing_bench).

Starts its own PostgreSQL in a temporary directory and prints each figure beside its baseline:
- the quota count check_quota makes (stored usage + submitted-but-unstored jobs, through the audit
  log) vs reading the usage counter alone, for an organisation with many scans this month, with the
  audit index of migration 0003 and without it;
- applying a webhook event (record + lock the organisation + decide + update + audit, one transaction)
  vs only recording it;
- verifying a Stripe signature with stripe.Webhook.construct_event.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg2.extras
import stripe

from services.billing import IN_FLIGHT_WINDOW_S
from tests.servers import PostgresServer
from utils import database_manager as dbm
from utils.repositories import organisations, submissions, subscriptions, usage

SECRET = "whsec_bench"


def _per_call(work: Callable[[], Any], repeat: int) -> float:
    """Mean seconds per call of `work` over `repeat` calls."""
    started = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - started) / repeat


def _busy_org(db: dbm.Database, scans: int, in_flight: int, spread: bool) -> str:
    """An organisation with `scans` stored scans this month and `in_flight` submitted, unstored ones.

    `spread`: submissions spread evenly over the month so far (a steady customer); else all in the
    last hour (a burst, the worst case for the in-flight window).
    """
    org = organisations.create_organisation("Busy", plan="professional", db=db)
    now = datetime.now(UTC)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    span = (now - month_start) if spread else timedelta(hours=1)
    jobs = [str(uuid.uuid4()) for _ in range(scans + in_flight)]
    times = [now - span * (1 - i / len(jobs)) for i in range(len(jobs))]
    with db.transaction() as cur:
        psycopg2.extras.execute_values(
            cur, "INSERT INTO audit_log (org_id, action, target, at) VALUES %s",
            [(org, submissions.SUBMITTED_ACTION, job, at) for job, at in zip(jobs, times, strict=True)],
            page_size=1000)
        psycopg2.extras.execute_values(
            cur, "INSERT INTO scans (job_id, org_id, scanner, status, job_state, created_at) VALUES %s",
            [(job, org, "code", "completed", "succeeded", at)
             for job, at in zip(jobs[:scans], times[:scans], strict=True)], page_size=1000)
        cur.execute("ANALYZE")
    usage.record_usage(org, amount=scans, db=db)
    return org


def bench_quota(db: dbm.Database, scans: int, repeat: int, spread: bool) -> dict[str, Any]:
    """The quota count with and without the audit index, vs the usage counter alone."""
    org = _busy_org(db, scans, 5, spread)
    assert submissions.scans_this_month(org, in_flight_window_s=IN_FLIGHT_WINDOW_S, db=db) == (scans, 5)

    def count() -> None:
        submissions.scans_this_month(org, in_flight_window_s=IN_FLIGHT_WINDOW_S, db=db)

    figures = {"scans_this_month": scans, "spread_over_month": spread,
               "quota_count_ms": _per_call(count, repeat) * 1000,
               "baseline_usage_counter_only_ms":
                   _per_call(lambda: usage.get_usage(org, db=db), repeat) * 1000}
    with db.transaction() as cur:  # the baseline without migration 0003's index
        cur.execute("DROP INDEX audit_log_org_action_at")
    figures["baseline_quota_count_without_index_ms"] = _per_call(count, repeat) * 1000
    with db.transaction() as cur:
        cur.execute("CREATE INDEX audit_log_org_action_at ON audit_log (org_id, action, at)")
    return figures


def bench_events(db: dbm.Database, repeat: int) -> dict[str, Any]:
    """One webhook event applied (with its decision and audit entry) vs only recorded."""
    org = organisations.create_organisation("Subscriber", db=db)
    plans = iter(["starter", "professional"] * repeat)

    def apply() -> None:
        plan = next(plans)
        subscriptions.apply_stripe_event(f"evt_{uuid.uuid4().hex}", "customer.subscription.updated", {}, org,
                                         lambda row: {"plan": plan, "subscription_status": "active"}, db=db)

    def record() -> None:
        subscriptions.record_stripe_event(f"evt_{uuid.uuid4().hex}", "customer.subscription.updated", {},
                                          db=db)

    return {"apply_event_ms": _per_call(apply, repeat) * 1000,
            "baseline_record_only_ms": _per_call(record, repeat) * 1000}


def bench_verify(repeat: int) -> dict[str, Any]:
    """stripe.Webhook.construct_event on a 2 KB event."""
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "invoice.paid", "created": 1,
                          "data": {"object": {"id": "in_1", "object": "invoice", "lines": ["x" * 2000]}}})
    t = int(time.time())
    header = f"t={t},v1={hmac.new(SECRET.encode(), f'{t}.{payload}'.encode(), hashlib.sha256).hexdigest()}"
    return {"verify_ms": _per_call(lambda: stripe.Webhook.construct_event(payload, header, SECRET),
                                   repeat) * 1000}


def main(argv: list[str] | None = None) -> int:
    """Run the billing figures and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=20_000, help="stored scans of the busy organisation")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dg-billing-bench-") as tmp:
        server = PostgresServer(Path(tmp) / "pg")
        server.start()
        try:
            db = dbm.Database(server.url, minconn=1, maxconn=2)
            dbm.migrate(db)
            figures = {"quota_steady": bench_quota(db, args.scans, args.repeat, spread=True),
                       "quota_burst": bench_quota(db, args.scans, args.repeat, spread=False),
                       "webhook_event": bench_events(db, args.repeat), "signature": bench_verify(args.repeat)}
            db.close()
        finally:
            server.stop()
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
