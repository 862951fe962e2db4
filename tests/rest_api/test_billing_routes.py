"""Quota refusals before queueing and the Stripe webhook route, through the Flask test client."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from flask.testing import FlaskClient

from services.scan_service import ScanService
from tests.rest_api.stack import FAKE_HASH, Tenant
from utils import database_manager
from utils.config import get_settings
from utils.repositories import api_keys, organisations, usage

WEBHOOK_SECRET = "whsec_rest_api_test_secret"


def _free_tenant(db: database_manager.Database) -> Tenant:
    org_id = organisations.create_organisation("Small Shop", plan="free", db=db)
    user_id = organisations.create_user(org_id, "owner@small.example", "admin", FAKE_HASH, db=db)
    key_id, key = api_keys.create_api_key(org_id, "ci", user_id=user_id, db=db)
    return Tenant(org_id, user_id, key_id, key)


def test_quota_and_plan_refusals_queue_nothing(client: FlaskClient, db: database_manager.Database,
                                               service: ScanService) -> None:
    tenant = _free_tenant(db)
    soc2 = client.post("/api/v1/scans", json={"scanner": "soc2", "request": {"answers": {}}},
                       headers=tenant.headers)
    assert soc2.status_code == 403 and soc2.get_json()["error"]["code"] == "scanner_not_in_plan"
    usage.record_usage(tenant.org_id, amount=50, db=db)
    code = client.post("/api/v1/scans", json={"scanner": "code", "request": {"path": "/nowhere"}},
                       headers=tenant.headers)
    assert code.status_code == 429 and code.get_json()["error"]["code"] == "quota_exceeded"
    assert "50 scans" in code.get_json()["error"]["message"]
    assert service.manager.queue.queue_depth("code") == 0 and service.manager.queue.queue_depth("soc2") == 0


def _sign(payload: bytes, secret: str) -> str:
    """Stripe's scheme: t=<time>,v1=<hex HMAC-SHA256 of "t.payload">."""
    t = int(time.time())
    return f"t={t},v1={hmac.new(secret.encode(), f'{t}.'.encode() + payload, hashlib.sha256).hexdigest()}"


def test_webhook_passes_the_raw_body_and_signature_to_billing(client: FlaskClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    get_settings.cache_clear()
    # Stripe signs the exact bytes: odd spacing must reach the verifier unchanged
    payload = b'{"id": "evt_rest_1",  "object": "event", "type": "customer.created", "created": 1,' \
              b' "data": {"object": {"id": "cus_1", "object": "customer"}}}'
    first = client.post("/api/v1/billing/webhook", data=payload,
                        headers={"Stripe-Signature": _sign(payload, WEBHOOK_SECRET),
                                 "Content-Type": "application/json"})
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json() == {"received": True, "event": "evt_rest_1", "type": "customer.created",
                                "status": "ignored"}
    again = client.post("/api/v1/billing/webhook", data=payload,
                        headers={"Stripe-Signature": _sign(payload, WEBHOOK_SECRET)})
    assert again.get_json()["status"] == "duplicate"
    for signature in (_sign(payload, "whsec_wrong"), ""):
        refused = client.post("/api/v1/billing/webhook", data=payload,
                              headers={"Stripe-Signature": signature})
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "webhook_signature"
    tampered = payload.replace(b"cus_1", b"cus_2")
    assert client.post("/api/v1/billing/webhook", data=tampered,
                       headers={"Stripe-Signature": _sign(payload, WEBHOOK_SECRET)}).status_code == 400
