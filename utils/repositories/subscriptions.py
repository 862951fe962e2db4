"""An organisation's plan and Stripe subscription, and the webhook events that change them (each once)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import psycopg2.errors
import psycopg2.extras

from utils.database_manager import Database
from utils.errors import InvalidRequestError
from utils.repositories.common import as_uuid, db_or_default, iso

BILLING_COLUMNS = ("plan", "stripe_customer_id", "stripe_subscription_id", "subscription_status",
                   "subscription_created", "subscription_event_at", "current_period_end", "payment_failed_at")


def get_billing(org_id: str, *, db: Database | None = None) -> dict[str, Any] | None:
    """An organisation's id, name and billing columns (plan, Stripe ids, subscription state), or None."""
    with db_or_default(db).transaction() as cur:
        cur.execute(f"SELECT id, name, {', '.join(BILLING_COLUMNS)} FROM organisations WHERE id = %s",
                    (as_uuid(org_id, "org_id"),))
        row = cur.fetchone()
    return dict(row) if row else None


def find_org_by_stripe_customer(customer_id: str, *, db: Database | None = None) -> str | None:
    """The id of the organisation linked to a Stripe customer, or None."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT id FROM organisations WHERE stripe_customer_id = %s", (customer_id,))
        row = cur.fetchone()
    return str(row["id"]) if row else None


def record_stripe_event(event_id: str, event_type: str, payload: Mapping[str, Any],
                        *, db: Database | None = None) -> bool:
    """Store a webhook event once: True if new, False if Stripe redelivered one already recorded."""
    with db_or_default(db).transaction() as cur:
        cur.execute("INSERT INTO stripe_events (event_id, type, payload) VALUES (%s, %s, %s) "
                    "ON CONFLICT (event_id) DO NOTHING",
                    (event_id, event_type, psycopg2.extras.Json(dict(payload))))
        return cur.rowcount == 1


BillingDecision = Callable[[Mapping[str, Any]], Mapping[str, Any] | None]


def apply_stripe_event(event_id: str, event_type: str, payload: Mapping[str, Any], org_id: str | None,
                       decide: BillingDecision, *, db: Database | None = None) -> tuple[bool, dict[str, Any]]:
    """Record a webhook event and apply its change to the organisation, in one transaction.

    `decide(current billing row)` returns the columns to change (None or {} = nothing). Returns (new,
    changes): new is False for an event recorded before, which changes nothing. One transaction with
    the organisation row locked, so a failure leaves the event unrecorded for Stripe's retry, and two
    deliveries of events about one organisation apply one after the other.
    """
    with db_or_default(db).transaction() as cur:
        cur.execute("INSERT INTO stripe_events (event_id, type, payload) VALUES (%s, %s, %s) "
                    "ON CONFLICT (event_id) DO NOTHING",
                    (event_id, event_type, psycopg2.extras.Json(dict(payload))))
        if cur.rowcount != 1:
            return False, {}
        changes = _apply_billing_change(cur, org_id, decide) if org_id else {}
        if changes:
            cur.execute("INSERT INTO audit_log (org_id, action, target, details) VALUES (%s, %s, %s, %s)",
                        (org_id, f"billing.{event_type}", event_id,
                         psycopg2.extras.Json(iso({"event": event_id, **changes}))))
        cur.execute("UPDATE stripe_events SET processed_at = now() WHERE event_id = %s", (event_id,))
    return True, changes


def _apply_billing_change(cur: Any, org_id: str, decide: BillingDecision) -> dict[str, Any]:
    cur.execute(f"SELECT {', '.join(BILLING_COLUMNS)} FROM organisations WHERE id = %s FOR UPDATE",
                (as_uuid(org_id, "org_id"),))
    current = cur.fetchone()
    if current is None:
        return {}
    wanted = dict(decide(dict(current)) or {})
    unknown = set(wanted) - set(BILLING_COLUMNS)
    if unknown:  # column names go into the SQL text: only the known ones may
        raise InvalidRequestError(f"not a billing column: {', '.join(sorted(unknown))}")
    changes = {k: v for k, v in wanted.items() if current[k] != v}
    if changes:
        assignments = ", ".join(f"{column} = %s" for column in changes)
        try:
            cur.execute(f"UPDATE organisations SET {assignments} WHERE id = %s", (*changes.values(), org_id))
        except psycopg2.errors.UniqueViolation:
            raise InvalidRequestError("this Stripe customer belongs to another organisation") from None
    return changes
