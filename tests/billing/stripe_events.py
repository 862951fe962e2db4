"""Stripe webhook payloads and signatures built the way Stripe builds them (for the billing tests)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

from tests.billing.conftest import WEBHOOK_SECRET

CUSTOMER_EMAIL = "finance.jansen@acme-voorbeeld.nl"  # personal data Stripe puts in events: never stored
CUSTOMER_NAME = "Jan Jansen"
_ids = itertools.count(1)


def customer_for(org_id: str | None) -> str:
    """A Stripe customer id of the organisation's own (tests share one database; ids are unique)."""
    return "cus_" + (org_id or "nobody").replace("-", "")[:16]


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header: t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload" with the secret>."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(event_type: str, obj: dict[str, Any], *, created: int | None = None,
          event_id: str | None = None) -> bytes:
    """The JSON body of one webhook event."""
    body = {"id": event_id or f"evt_test_{next(_ids):06d}", "object": "event", "api_version": "2025-06-30",
            "created": int(time.time()) if created is None else created, "livemode": False,
            "pending_webhooks": 1, "type": event_type, "data": {"object": obj}}
    return json.dumps(body).encode()


def checkout_completed(org_id: str, plan: str, subscription: str, **extra: Any) -> dict[str, Any]:
    """A completed subscription checkout as our checkout_url() opened it."""
    return {"id": f"cs_test_{subscription}", "object": "checkout.session", "mode": "subscription",
            "client_reference_id": org_id, "customer": customer_for(org_id), "subscription": subscription,
            "payment_status": "paid", "status": "complete", "metadata": {"org_id": org_id, "plan": plan},
            "customer_details": {"email": CUSTOMER_EMAIL, "name": CUSTOMER_NAME}, **extra}


def subscription(sub_id: str, status: str, price: str, created: int,
                 org_id: str | None = None) -> dict[str, Any]:
    """A subscription object with one item on `price` (period on the item, as newer API versions do)."""
    return {"id": sub_id, "object": "subscription", "customer": customer_for(org_id), "status": status,
            "created": created,
            "metadata": {"org_id": org_id} if org_id else {},
            "items": {"object": "list", "data": [{"id": f"si_{sub_id}", "price": {"id": price},
                                                  "current_period_end": created + 30 * 86400}]}}
