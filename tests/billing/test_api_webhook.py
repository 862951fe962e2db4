"""The webhook as Stripe reaches it: POST /api/v1/billing/webhook on the REST API (A1's app)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from services import billing
from tests.billing.conftest import WEBHOOK_SECRET
from tests.billing.stripe_events import checkout_completed, event, sign
from utils import database_manager as dbm
from utils.config import Settings, get_settings
from utils.repositories import organisations

ENDPOINT = "/api/v1/billing/webhook"


@pytest.fixture
def webhook_client(client: FlaskClient, api_settings: Settings,
                   monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """A test client of the REST API app with the webhook secret set."""
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    get_settings.cache_clear()
    return client


def test_signed_webhook_changes_the_plan_and_a_forged_one_is_400(webhook_client: FlaskClient,
                                                                  db: dbm.Database) -> None:
    org = organisations.create_organisation("Webhook BV", db=db)
    payload = event("checkout.session.completed", checkout_completed(org, "professional", "sub_W"))
    forged = webhook_client.post(ENDPOINT, data=payload, content_type="application/json",
                                 headers={"Stripe-Signature": sign(payload, secret="whsec_forged")})
    assert forged.status_code == 400
    assert forged.get_json()["error"]["code"] == "webhook_signature"
    unsigned = webhook_client.post(ENDPOINT, data=payload, content_type="application/json")
    assert unsigned.status_code == 400 and billing.plan_of(org).name == "free"
    ok = webhook_client.post(ENDPOINT, data=payload, content_type="application/json",
                             headers={"Stripe-Signature": sign(payload)})  # no API key: Stripe has none
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.get_json() == {"received": True, "event": ok.get_json()["event"],
                             "type": "checkout.session.completed", "status": "applied"}
    assert billing.plan_of(org).name == "professional"
    again = webhook_client.post(ENDPOINT, data=payload, content_type="application/json",
                                headers={"Stripe-Signature": sign(payload)})
    assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
