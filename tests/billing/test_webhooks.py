"""Stripe webhooks on a real PostgreSQL, signed locally exactly as Stripe signs them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from services import billing
from tests.billing.stripe_events import (
    CUSTOMER_EMAIL,
    CUSTOMER_NAME,
    checkout_completed,
    customer_for,
    event,
    sign,
    subscription,
)
from utils import database_manager as dbm
from utils.config import Settings
from utils.errors import WebhookSignatureError
from utils.repositories import audit, subscriptions

STARTER, PRO = "price_starter_test", "price_pro_test"
NOW = int(time.time())


def deliver(payload: bytes) -> dict:
    return billing.handle_webhook(payload, sign(payload))


def row_of(org_id: str) -> dict:
    """The organisation's billing row (it exists)."""
    row = subscriptions.get_billing(org_id)
    assert row is not None
    return row


def audit_actions(org_id: str) -> list[str]:
    return [entry["action"] for entry in reversed(audit.list_audit(org_id))]


def stored_events(*payloads: bytes) -> list[dict]:
    """The stripe_events rows of these events (other tests' events share the database)."""
    ids = [json.loads(payload)["id"] for payload in payloads]
    with dbm.get_database().transaction() as cur:
        cur.execute("SELECT event_id, type, payload::text AS payload, processed_at FROM stripe_events "
                    "WHERE event_id = ANY(%s) ORDER BY received_at", (ids,))
        return [dict(row) for row in cur.fetchall()]


def test_checkout_completed_links_the_customer_and_upgrades(make_org: Callable[..., str]) -> None:
    org = make_org()
    payload = event("checkout.session.completed", checkout_completed(org, "starter", "sub_A"))
    outcome = deliver(payload)
    assert outcome["status"] == "applied" and outcome["type"] == "checkout.session.completed"
    row = row_of(org)
    columns = ("plan", "stripe_customer_id", "stripe_subscription_id", "subscription_status")
    assert tuple(row[c] for c in columns) == ("starter", customer_for(org), "sub_A", "active")
    assert billing.plan_of(org).name == "starter"
    assert audit_actions(org) == ["billing.checkout.session.completed"]
    assert audit.list_audit(org)[0]["details"]["plan"] == "starter"
    # what Stripe sent about the person paying is not kept anywhere
    stored = json.dumps(stored_events(payload), default=str) + json.dumps(audit.list_audit(org))
    assert CUSTOMER_EMAIL not in stored and CUSTOMER_NAME not in stored
    assert stored_events(payload)[0]["processed_at"] is not None


def test_bad_signature_is_refused_and_changes_nothing(make_org: Callable[..., str],
                                                      billing_env: Settings) -> None:
    org = make_org()
    payload = event("checkout.session.completed", checkout_completed(org, "professional", "sub_X"))
    bad_headers = [sign(payload, secret="whsec_someone_else"), sign(payload + b" "), "t=1,v1=00", "",
                   "garbage"]
    for header in bad_headers:
        with pytest.raises(WebhookSignatureError) as refused:
            billing.handle_webhook(payload, header)
        assert refused.value.http_status == 400
    tampered = payload.replace(b'"professional"', b'"enterprise"')
    with pytest.raises(WebhookSignatureError):
        billing.handle_webhook(tampered, sign(payload))
    assert billing.plan_of(org).name == "free" and stored_events(payload) == []
    assert audit_actions(org) == []


def test_stale_timestamp_is_refused(make_org: Callable[..., str], billing_env: Settings) -> None:
    org = make_org()
    payload = event("checkout.session.completed", checkout_completed(org, "starter", "sub_A"))
    old = int(time.time()) - billing.WEBHOOK_TOLERANCE_S - 60
    with pytest.raises(WebhookSignatureError, match="signed more than 300 s ago"):
        billing.handle_webhook(payload, sign(payload, timestamp=old))
    assert billing.plan_of(org).name == "free" and stored_events(payload) == []


def test_replayed_event_is_applied_once(make_org: Callable[..., str], billing_env: Settings) -> None:
    org = make_org()
    payload = event("customer.subscription.created", subscription("sub_A", "active", PRO, NOW - 50, org),
                    created=NOW - 40)
    assert deliver(payload)["status"] == "applied"
    # the customer downgrades meanwhile; then Stripe redelivers the old event (same id)
    deliver(event("customer.subscription.updated", subscription("sub_A", "active", STARTER, NOW - 50, org),
                  created=NOW - 10))
    assert billing.plan_of(org).name == "starter"
    assert deliver(payload)["status"] == "duplicate"
    assert billing.plan_of(org).name == "starter"
    assert audit_actions(org) == ["billing.customer.subscription.created",
                                  "billing.customer.subscription.updated"]
    assert len(stored_events(payload)) == 1


def test_out_of_order_events_of_one_subscription(make_org: Callable[..., str]) -> None:
    org = make_org()
    created = event("customer.subscription.created", subscription("sub_A", "active", STARTER, NOW - 100, org),
                    created=NOW - 90)
    upgraded = event("customer.subscription.updated", subscription("sub_A", "active", PRO, NOW - 100, org),
                     created=NOW - 60)
    deleted = event("customer.subscription.deleted", subscription("sub_A", "canceled", PRO, NOW - 100, org),
                    created=NOW - 30)
    # arrival order: upgrade, deletion, then the creation; a late "updated" must not revive it either
    assert deliver(upgraded)["status"] == "applied"
    assert billing.plan_of(org).name == "professional"
    assert deliver(deleted)["status"] == "applied"
    assert billing.plan_of(org).name == "free"
    assert deliver(created)["status"] == "unchanged"
    late = event("customer.subscription.updated", subscription("sub_A", "active", PRO, NOW - 100, org),
                 created=NOW - 5)
    assert deliver(late)["status"] == "unchanged"
    row = row_of(org)
    assert (row["plan"], row["subscription_status"]) == ("free", "canceled")


def test_an_older_subscription_does_not_override_a_newer_one(make_org: Callable[..., str]) -> None:
    org = make_org()
    deliver(event("customer.subscription.created", subscription("sub_new", "active", PRO, NOW - 20, org),
                  created=NOW - 20))
    # the old subscription's cancellation arrives after the new one started
    old = subscription("sub_old", "canceled", STARTER, NOW - 90_000, org)
    stale = event("customer.subscription.deleted", old, created=NOW - 10)
    assert deliver(stale)["status"] == "unchanged"
    assert billing.plan_of(org).name == "professional"
    assert row_of(org)["stripe_subscription_id"] == "sub_new"


def test_checkout_after_subscription_events_only_links(make_org: Callable[..., str]) -> None:
    org = make_org()
    deliver(event("customer.subscription.created", subscription("sub_A", "active", PRO, NOW - 30, org),
                  created=NOW - 30))
    deliver(event("customer.subscription.deleted", subscription("sub_A", "canceled", PRO, NOW - 30, org),
                  created=NOW - 20))
    # the checkout that started it all arrives last: it must not bring the cancelled plan back
    late_checkout = event("checkout.session.completed", checkout_completed(org, "professional", "sub_A"),
                          created=NOW - 25)
    assert deliver(late_checkout)["status"] == "unchanged"
    assert billing.plan_of(org).name == "free"


def test_payment_failed_is_recorded_without_downgrading(make_org: Callable[..., str]) -> None:
    org = make_org()
    deliver(event("checkout.session.completed", checkout_completed(org, "starter", "sub_A"),
                  created=NOW - 60))
    invoice = {"id": "in_test_1", "object": "invoice", "customer": customer_for(org), "status": "open",
               "customer_email": CUSTOMER_EMAIL}
    assert deliver(event("invoice.payment_failed", invoice, created=NOW - 30))["status"] == "applied"
    row = row_of(org)
    assert row["plan"] == "starter" and int(row["payment_failed_at"].timestamp()) == NOW - 30
    assert audit_actions(org)[-1] == "billing.invoice.payment_failed"
    # paid up: the subscription says active again, which clears the failure
    deliver(event("customer.subscription.updated", subscription("sub_A", "active", STARTER, NOW - 61, org),
                  created=NOW - 5))
    assert row_of(org)["payment_failed_at"] is None


def test_unknown_event_type_is_ignored(make_org: Callable[..., str], billing_env: Settings) -> None:
    org = make_org()
    customer = {"id": customer_for(org), "object": "customer", "email": CUSTOMER_EMAIL,
                "metadata": {"org_id": org}}
    payload = event("customer.created", customer)
    assert deliver(payload)["status"] == "ignored"
    assert deliver(payload)["status"] == "duplicate"
    assert row_of(org)["stripe_customer_id"] is None and audit_actions(org) == []
    assert CUSTOMER_EMAIL not in json.dumps(stored_events(payload), default=str)


def test_event_for_an_unknown_organisation_is_recorded_unmatched(billing_env: Settings) -> None:
    payload = event("customer.subscription.updated", subscription("sub_Z", "active", PRO, NOW, "not-a-uuid"))
    assert deliver(payload)["status"] == "unmatched"
    assert [row["type"] for row in stored_events(payload)] == ["customer.subscription.updated"]


def test_without_webhook_secret_nothing_verifies(make_org: Callable[..., str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from utils.config import get_settings

    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET")
    get_settings.cache_clear()
    payload = event("checkout.session.completed", checkout_completed(make_org(), "starter", "sub_A"))
    with pytest.raises(WebhookSignatureError, match="STRIPE_WEBHOOK_SECRET is not set"):
        billing.handle_webhook(payload, sign(payload))
