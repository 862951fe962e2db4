"""Checkout and customer-portal links through the real `stripe` library, against a local stand-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import stripe

from services import billing
from tests.billing.conftest import STRIPE_KEY
from tests.billing.fake_stripe import MISSING_PRICE, FakeStripe, fake_stripe
from tests.servers import free_port
from utils.config import Settings, get_settings
from utils.errors import InvalidRequestError, TargetUnavailableError
from utils.repositories import subscriptions

SUCCESS, CANCEL = "https://dg.example/billing?upgraded=1", "https://dg.example/billing"


def link_customer(org_id: str, customer: str) -> None:
    """Link a Stripe customer to the organisation, as a checkout webhook does."""
    subscriptions.apply_stripe_event(f"evt_link_{org_id}", "test.link", {}, org_id,
                                     lambda row: {"stripe_customer_id": customer})


@pytest.fixture
def stripe_api(monkeypatch: pytest.MonkeyPatch, billing_env: Settings) -> Iterator[FakeStripe]:
    """The Stripe library pointed at the local stand-in (never at stripe.com)."""
    with fake_stripe() as fake:
        monkeypatch.setattr(stripe, "api_base", fake.url)
        yield fake


def test_checkout_url_sends_the_subscription_request(stripe_api: FakeStripe,
                                                     make_org: Callable[..., str]) -> None:
    org = make_org()
    assert billing.stripe_configured()
    url = billing.checkout_url(org, "starter", SUCCESS, CANCEL)
    assert url == "https://checkout.stripe.com/c/pay/cs_test_local1"
    [sent] = stripe_api.requests
    assert sent.path == "/v1/checkout/sessions"
    assert sent.authorization == f"Bearer {STRIPE_KEY}"
    assert sent.form == {
        "mode": "subscription", "line_items[0][price]": "price_starter_test", "line_items[0][quantity]": "1",
        "success_url": SUCCESS, "cancel_url": CANCEL, "client_reference_id": org,
        "metadata[org_id]": org, "metadata[plan]": "starter",
        "subscription_data[metadata][org_id]": org, "subscription_data[metadata][plan]": "starter",
    }


def test_checkout_reuses_a_known_customer(stripe_api: FakeStripe, make_org: Callable[..., str]) -> None:
    org = make_org()
    link_customer(org, f"cus_{org[:8]}")
    billing.checkout_url(org, "professional", SUCCESS, CANCEL)
    assert stripe_api.requests[0].form["customer"] == f"cus_{org[:8]}"
    assert stripe_api.requests[0].form["line_items[0][price]"] == "price_pro_test"


def test_portal_url_for_a_subscribed_organisation(stripe_api: FakeStripe,
                                                  make_org: Callable[..., str]) -> None:
    org = make_org()
    with pytest.raises(InvalidRequestError, match="subscribe to a plan first"):
        billing.portal_url(org, CANCEL)
    assert stripe_api.requests == []
    link_customer(org, f"cus_{org[:8]}")
    assert billing.portal_url(org, CANCEL) == "https://billing.stripe.com/p/session/test_local1"
    [sent] = stripe_api.requests
    assert (sent.path, sent.authorization) == ("/v1/billing_portal/sessions", f"Bearer {STRIPE_KEY}")
    assert sent.form == {"customer": f"cus_{org[:8]}", "return_url": CANCEL}


def test_plans_that_cannot_be_bought_are_refused_before_stripe(stripe_api: FakeStripe,
                                                                make_org: Callable[..., str]) -> None:
    org = make_org()
    for plan in ("free", "enterprise"):
        with pytest.raises(InvalidRequestError, match="cannot be bought online"):
            billing.checkout_url(org, plan, SUCCESS, CANCEL)
    with pytest.raises(InvalidRequestError, match="unknown plan"):
        billing.checkout_url(org, "platinum", SUCCESS, CANCEL)
    assert stripe_api.requests == []


def test_stripe_refusal_and_outage_become_named_errors(stripe_api: FakeStripe, make_org: Callable[..., str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    org = make_org()
    monkeypatch.setenv("DG_STRIPE_PRICES", f"starter:{MISSING_PRICE}")
    get_settings.cache_clear()
    with pytest.raises(InvalidRequestError, match="Stripe refused the checkout request"):
        billing.checkout_url(org, "starter", SUCCESS, CANCEL)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    monkeypatch.setattr(stripe, "api_base", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    with pytest.raises(TargetUnavailableError, match="Stripe did not answer"):
        billing.checkout_url(org, "starter", SUCCESS, CANCEL)


def test_without_a_secret_key_billing_is_not_configured_and_the_rest_works(
        monkeypatch: pytest.MonkeyPatch, make_org: Callable[..., str]) -> None:
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    get_settings.cache_clear()
    org = make_org()
    assert not billing.stripe_configured()
    with pytest.raises(InvalidRequestError, match="not configured"):
        billing.checkout_url(org, "starter", SUCCESS, CANCEL)
    with pytest.raises(InvalidRequestError, match="not configured"):
        billing.portal_url(org, CANCEL)
    billing.check_quota(org, "code")
    assert billing.usage_summary(org)["plan"] == "free"
