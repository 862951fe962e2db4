"""Billing: plans as data, monthly quotas checked before a scan is queued, and Stripe.

Plans live in services/data/plans.yaml (title, quota, self-service); which scanners a plan includes
is said by each scanner's declaration (services/scanners). `check_quota` is called by
services/scan_service.py before a job is queued. What counts against the quota is this month's
stored usage (succeeded scans, bumped when a result is persisted) plus the jobs submitted this month
that have no stored row yet (queued, running or waiting in the outbox): without the second part a
burst of submissions would all pass while the first ones are still running. The submitted-but-not-
stored jobs are found through the `scan.submitted` audit entries scan_service writes (see
utils.repositories.submissions.scans_this_month). scan_service counts through a
utils.repositories.submissions.Submission, which holds the organisation's lock from the count until that
entry is committed, so submissions racing each other take turns and cannot both pass the last scan.

Stripe is optional: without STRIPE_SECRET_KEY `stripe_configured()` is False and only checkout and
portal links are refused. Webhooks are verified by `stripe.Webhook.construct_event`, recorded once by
event id together with the change they cause (utils.repositories.subscriptions.apply_stripe_event), and
ordered by what the subscription says about itself (its `created`, its status, the event's `created`),
never by arrival order: Stripe does not deliver in order and redelivers at will.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import stripe
import yaml

from services import scanners as scanner_registry
from utils.config import get_settings
from utils.errors import (
    ConfigError,
    InvalidRequestError,
    QuotaExceededError,
    ScannerNotInPlanError,
    TargetUnavailableError,
    WebhookSignatureError,
)
from utils.repositories import organisations, submissions, subscriptions

log = logging.getLogger(__name__)

PLANS_FILE = Path(__file__).resolve().parent / "data" / "plans.yaml"
IN_FLIGHT_WINDOW_S = 24 * 3600.0  # a submission unstored after a day was lost, not slow: stop counting it
WEBHOOK_TOLERANCE_S = 300  # Stripe's own default: a signed event older than five minutes is a replay
ACTIVE_STATUSES = frozenset({"active", "trialing", "past_due"})  # past_due keeps access while Stripe retries
TERMINAL_STATUSES = frozenset({"canceled", "incomplete_expired"})  # a subscription never leaves these
PAID_CHECKOUT = frozenset({"paid", "no_payment_required"})
STRIPE_TARGET = "stripe"
STRIPE_TIMEOUT_S = 15.0  # a billing page waits this long for Stripe, not the library's default 80 s


@dataclass(frozen=True)
class Plan:
    """One plan: its quota (None = no limit); the scanners it includes come from their declarations."""

    name: str
    title: str
    monthly_scans: int | None
    self_service: bool
    rank: int

    @property
    def scanners(self) -> tuple[str, ...]:
        """The registered customer scanners whose declaration names this plan."""
        return scanner_registry.scanners_in(self.name)


# --- plans ----------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, Plan], str]:
    data = yaml.safe_load(PLANS_FILE.read_text(encoding="utf-8"))
    plans = {name: _plan(name, rank, spec) for rank, (name, spec) in enumerate(data["plans"].items())}
    if data.get("default") not in plans:
        raise ConfigError(f"{PLANS_FILE.name}: default plan {data.get('default')!r} is not a plan")
    for declared in scanner_registry.BUILT_IN:
        unknown = set(declared.plans) - set(plans)
        if unknown:
            raise ConfigError(f"the {declared.name} scanner's declaration names unknown plans "
                              f"{sorted(unknown)}")
    return plans, data["default"]


def _plan(name: str, rank: int, spec: Mapping[str, Any]) -> Plan:
    quota = spec.get("monthly_scans")
    if quota is not None and (not isinstance(quota, int) or quota < 0):
        raise ConfigError(f"{PLANS_FILE.name}: plan {name!r} monthly_scans must be a whole number or null")
    return Plan(name, str(spec.get("title") or name), quota, bool(spec.get("self_service")), rank)


def plans() -> list[Plan]:
    """Every plan, smallest first."""
    return list(_catalogue()[0].values())


def get_plan(name: str) -> Plan:
    """The plan called `name`; InvalidRequestError for an unknown name."""
    plan = _catalogue()[0].get(name)
    if plan is None:
        raise InvalidRequestError(f"unknown plan {name!r}; plans: {', '.join(p.name for p in plans())}")
    return plan


def default_plan() -> Plan:
    """The plan of an organisation that never subscribed."""
    catalogue, default = _catalogue()
    return catalogue[default]


PAID_PLANS: tuple[Plan, ...] = tuple(p for p in plans() if p.self_service)  # what Checkout sells


def plan_of(org_id: str) -> Plan:
    """The organisation's current plan (the default plan if the stored name is no longer a plan)."""
    row = organisations.get_organisation(org_id)
    if row is None:
        raise InvalidRequestError("no organisation with this id")
    plan = _catalogue()[0].get(row["plan"])
    if plan is None:
        log.warning("billing: org %s has unknown plan %r; treating it as %s", org_id, row["plan"],
                    default_plan().name)
        return default_plan()
    return plan


# --- quota ----------------------------------------------------------------------------------------

def check_quota(org_id: str, scanner: str, *, submission: submissions.Submission | None = None) -> None:
    """Refuse a scan the plan does not include or that would go over this month's quota.

    With `submission` the month's scans are counted under the organisation's submission lock (see
    services/scan_service.py); without it, as they stand now.
    """
    plan = require_in_plan(org_id, scanner)
    if plan.monthly_scans is None:
        return
    if submission is None:
        stored, in_flight = submissions.scans_this_month(org_id, in_flight_window_s=IN_FLIGHT_WINDOW_S)
    else:
        stored, in_flight = submission.scans_this_month(IN_FLIGHT_WINDOW_S)
    used = stored + in_flight
    if used >= plan.monthly_scans:
        running = f", {in_flight} of them still queued or running" if in_flight else ""
        raise QuotaExceededError(f"monthly quota of {plan.monthly_scans} scans reached "
                                 f"({used} used{running}); {_upgrade_hint(plan)}")


def require_in_plan(org_id: str, scanner: str) -> Plan:
    """The organisation's plan, if it includes `scanner`; else ScannerNotInPlanError naming a bigger one."""
    plan = plan_of(org_id)
    if scanner not in plan.scanners:
        raise ScannerNotInPlanError(f"the {scanner} scanner is not included in the {plan.title} plan; "
                                    f"{_upgrade_hint(plan, scanner)}")
    return plan


def _upgrade_hint(plan: Plan, scanner: str | None = None) -> str:
    """Name the smallest bigger plan that has the scanner (or more scans)."""
    for bigger in plans()[plan.rank + 1:]:
        more = bigger.monthly_scans is None or bigger.monthly_scans > (plan.monthly_scans or 0)
        if (scanner in bigger.scanners) if scanner else more:
            size = f"{bigger.monthly_scans} scans a month" if bigger.monthly_scans else "no monthly limit"
            return f"upgrade to {bigger.title} ({size}) on the Billing page"
    return "contact us to add it" if scanner else "contact us to raise it"


def usage_summary(org_id: str) -> dict[str, Any]:
    """{plan, title, used, in_flight, quota, month, scanners, subscription_status} for the billing page."""
    plan = plan_of(org_id)
    stored, in_flight = submissions.scans_this_month(org_id, in_flight_window_s=IN_FLIGHT_WINDOW_S)
    billing = subscriptions.get_billing(org_id) or {}
    return {"plan": plan.name, "title": plan.title, "used": stored + in_flight, "in_flight": in_flight,
            "quota": plan.monthly_scans, "month": datetime.now(UTC).strftime("%Y-%m"),
            "scanners": list(plan.scanners), "subscription_status": billing.get("subscription_status")}


# --- Stripe Checkout and customer portal ---------------------------------------------------------

def stripe_configured() -> bool:
    """True when a Stripe secret key is set (checkout and portal links can be made)."""
    return bool(get_settings().stripe_secret_key)


def checkout_url(org_id: str, plan: str, success_url: str, cancel_url: str) -> str:
    """A Stripe Checkout URL subscribing the organisation to `plan`."""
    key = _secret_key()
    chosen = get_plan(plan)
    price = get_settings().stripe_prices.get(chosen.name)
    if not chosen.self_service or not price:
        raise InvalidRequestError(f"the {chosen.title} plan cannot be bought online here "
                                  "(no Stripe price configured for it)")
    org = _billing_row(org_id)
    tags = {"org_id": org_id, "plan": chosen.name}  # read back from the webhooks this checkout causes
    params: dict[str, Any] = {
        "mode": "subscription", "line_items": [{"price": price, "quantity": 1}],
        "success_url": success_url, "cancel_url": cancel_url, "client_reference_id": org_id,
        "metadata": tags, "subscription_data": {"metadata": tags},
    }
    if org.get("stripe_customer_id"):
        params["customer"] = org["stripe_customer_id"]
    session = _call_stripe("checkout", lambda: stripe.checkout.Session.create(api_key=key, **params))
    log.info("billing: org %s opened a checkout for %s", org_id, chosen.name)
    return str(session.url)


def portal_url(org_id: str, return_url: str) -> str:
    """A Stripe customer-portal URL (invoices, payment method, cancel) for the organisation."""
    key = _secret_key()
    customer = _billing_row(org_id).get("stripe_customer_id")
    if not customer:
        raise InvalidRequestError("no Stripe customer for this organisation yet: subscribe to a plan first")
    session = _call_stripe("portal", lambda: stripe.billing_portal.Session.create(
        api_key=key, customer=customer, return_url=return_url))
    return str(session.url)


def _secret_key() -> str:
    key = get_settings().stripe_secret_key
    if not key:
        raise InvalidRequestError("billing is not configured here (STRIPE_SECRET_KEY is unset)")
    return key


def _billing_row(org_id: str) -> dict[str, Any]:
    row = subscriptions.get_billing(org_id)
    if row is None:
        raise InvalidRequestError("no organisation with this id")
    return row


def _call_stripe(what: str, call: Callable[[], Any]) -> Any:
    if stripe.default_http_client is None:
        stripe.default_http_client = stripe.new_default_http_client(timeout=STRIPE_TIMEOUT_S)
    try:
        return call()
    except stripe.APIConnectionError:
        raise TargetUnavailableError(f"Stripe did not answer the {what} request; try again shortly",
                                     target=STRIPE_TARGET) from None
    except stripe.InvalidRequestError as error:
        # our request was wrong (unknown price, customer): a configuration problem to fix, not to retry
        raise InvalidRequestError(f"Stripe refused the {what} request: {error.user_message or error.code}") \
            from None
    except stripe.StripeError as error:
        raise TargetUnavailableError(f"Stripe failed the {what} request (HTTP {error.http_status})",
                                     target=STRIPE_TARGET) from None


# --- webhooks -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Observation:
    """What one event says about an organisation's Stripe customer and subscription."""

    event_at: datetime
    customer_id: str | None = None
    subscription_id: str | None = None
    status: str | None = None
    created: datetime | None = None  # the subscription's own creation time
    plan: str | None = None
    period_end: datetime | None = None
    exact: bool = True  # False: inferred from a checkout session, not read from the subscription
    payment_failed: bool = False


def handle_webhook(payload: bytes, signature_header: str) -> dict[str, Any]:
    """Verify and apply one Stripe webhook; {event, type, status} with status applied/unchanged/…"""
    event = _verified_event(payload, signature_header)
    event_id, event_type = str(event.get("id") or ""), str(event.get("type") or "")
    if not event_id.startswith("evt_"):
        raise WebhookSignatureError("webhook body is not a Stripe event")
    reader = EVENT_READERS.get(event_type)
    if reader is None:  # recorded so a replay is recognised, otherwise ignored
        new = subscriptions.record_stripe_event(event_id, event_type, _event_summary(event))
        return {"event": event_id, "type": event_type, "status": "ignored" if new else "duplicate"}
    observation = reader(event)
    org_id = _organisation_of(event)
    new, changes = subscriptions.apply_stripe_event(event_id, event_type, _event_summary(event), org_id,
                                                    lambda current: decide(current, observation))
    status = ("duplicate" if not new else "unmatched" if org_id is None
              else "applied" if changes else "unchanged")
    if "plan" in changes:
        log.info("billing: org %s is now on plan %s (Stripe event %s)", org_id, changes["plan"], event_id)
    elif status == "unmatched":
        log.warning("billing: Stripe event %s (%s) names no organisation we know", event_id, event_type)
    return {"event": event_id, "type": event_type, "status": status}


def _verified_event(payload: bytes, signature_header: str) -> dict[str, Any]:
    secret = get_settings().stripe_webhook_secret
    if not secret:
        raise WebhookSignatureError("webhooks cannot be verified: STRIPE_WEBHOOK_SECRET is not set")
    try:
        stripe.Webhook.construct_event(payload, signature_header, secret, tolerance=WEBHOOK_TOLERANCE_S)
    except stripe.SignatureVerificationError:
        raise WebhookSignatureError("Stripe signature does not verify (wrong secret, altered body, "
                                    f"or signed more than {WEBHOOK_TOLERANCE_S} s ago)") from None
    except ValueError:
        raise WebhookSignatureError("webhook body is not a Stripe event") from None
    # verified: read the body as plain JSON rather than through the library's object wrappers
    event = json.loads(payload)
    data = event.get("data") if isinstance(event, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise WebhookSignatureError("webhook body is not a Stripe event")
    return event


def _object(event: Mapping[str, Any]) -> dict[str, Any]:
    return event["data"]["object"]


def _event_summary(event: Mapping[str, Any]) -> dict[str, Any]:
    """What we keep of an event: ids and status only (its body holds customer names and addresses)."""
    obj = _object(event)
    return {"created": event.get("created"), "object": obj.get("object"), "object_id": obj.get("id"),
            "customer": _id(obj.get("customer")), "subscription": _id(obj.get("subscription")),
            "status": obj.get("status")}


def _organisation_of(event: Mapping[str, Any]) -> str | None:
    """The organisation an event is about: the customer's link first, else the ids our checkout set."""
    obj = _object(event)
    customer = _id(obj.get("customer"))
    if customer:
        linked = subscriptions.find_org_by_stripe_customer(customer)
        if linked:
            return linked
    candidate = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("org_id")
    try:
        org = organisations.get_organisation(str(candidate)) if candidate else None
    except InvalidRequestError:  # not a UUID
        return None
    return str(org["id"]) if org else None


def _id(value: Any) -> str | None:
    """A Stripe reference is an id string, or the expanded object carrying it."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _event_time(event: Mapping[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(event["created"]), UTC)


def _read_subscription(event: Mapping[str, Any]) -> Observation:
    sub = _object(event)
    items = (sub.get("items") or {}).get("data") or []
    # newer API versions moved the billing period onto the subscription items
    period_end = sub.get("current_period_end") or (items[0].get("current_period_end") if items else None)
    return Observation(event_at=_event_time(event), customer_id=_id(sub.get("customer")),
                       subscription_id=_id(sub.get("id")), status=sub.get("status"),
                       created=_time(sub.get("created")), plan=_plan_of_subscription(sub, items),
                       period_end=_time(period_end))


def _plan_of_subscription(sub: Mapping[str, Any], items: list[dict[str, Any]]) -> str | None:
    # the price is the truth (a plan change in the portal changes it); our metadata is the fallback
    by_price = {price: plan for plan, price in get_settings().stripe_prices.items()}
    for item in items:
        plan = by_price.get(_id(item.get("price")) or "")
        if plan:
            return plan
    tagged = (sub.get("metadata") or {}).get("plan")
    if tagged in _catalogue()[0]:
        return str(tagged)
    log.warning("billing: subscription %s has no price listed in DG_STRIPE_PRICES; plan left as it was",
                sub.get("id"))
    return None


def _read_checkout(event: Mapping[str, Any]) -> Observation:
    session = _object(event)
    at = _event_time(event)
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return Observation(event_at=at, customer_id=_id(session.get("customer")))
    tagged = (session.get("metadata") or {}).get("plan")
    status = "active" if session.get("payment_status") in PAID_CHECKOUT else "incomplete"
    # the subscription was created just before its checkout completed: the event time bounds it
    return Observation(event_at=at, customer_id=_id(session.get("customer")),
                       subscription_id=_id(session.get("subscription")), status=status, created=at,
                       plan=tagged if tagged in _catalogue()[0] else None, exact=False)


def _read_payment_failed(event: Mapping[str, Any]) -> Observation:
    invoice = _object(event)
    return Observation(event_at=_event_time(event), customer_id=_id(invoice.get("customer")),
                       payment_failed=True)


EVENT_READERS: dict[str, Callable[[Mapping[str, Any]], Observation]] = {
    "checkout.session.completed": _read_checkout,
    "customer.subscription.created": _read_subscription,
    "customer.subscription.updated": _read_subscription,
    "customer.subscription.deleted": _read_subscription,
    "invoice.payment_failed": _read_payment_failed,
}


def decide(current: Mapping[str, Any], seen: Observation) -> dict[str, Any]:
    """The billing columns to change, given the organisation's current row and what an event says."""
    changes: dict[str, Any] = {}
    if seen.customer_id and not current.get("stripe_customer_id"):
        changes["stripe_customer_id"] = seen.customer_id
    if seen.payment_failed:
        last = current.get("subscription_event_at")
        if last is None or seen.event_at >= last:  # a failure older than the last news is already resolved
            changes["payment_failed_at"] = seen.event_at
    elif seen.subscription_id and _is_newer(current, seen):
        changes.update(_subscription_columns(current, seen))
    return changes


def _is_newer(current: Mapping[str, Any], seen: Observation) -> bool:
    """True when `seen` is later news than what the row holds (never judged by arrival order)."""
    if current.get("stripe_subscription_id") != seen.subscription_id:
        # another subscription replaces the stored one only if it was created after it
        stored = current.get("subscription_created")
        return stored is None or (seen.created is not None and seen.created >= stored)
    if not seen.exact:
        return current.get("subscription_status") is None  # a checkout only fills in what no event said
    if current.get("subscription_status") in TERMINAL_STATUSES and seen.status not in TERMINAL_STATUSES:
        return False  # a cancelled subscription never comes back to life
    last = current.get("subscription_event_at")
    return last is None or seen.event_at >= last


def _subscription_columns(current: Mapping[str, Any], seen: Observation) -> dict[str, Any]:
    same = current.get("stripe_subscription_id") == seen.subscription_id
    plan = (seen.plan or current.get("plan")) if seen.status in ACTIVE_STATUSES else default_plan().name
    columns: dict[str, Any] = {
        "plan": plan, "stripe_subscription_id": seen.subscription_id, "subscription_status": seen.status,
        "subscription_created": seen.created,
        "subscription_event_at": seen.event_at if seen.exact else
        (current.get("subscription_event_at") if same else None),
    }
    if seen.period_end is not None or not same:
        columns["current_period_end"] = seen.period_end
    if seen.exact and seen.status == "active":
        columns["payment_failed_at"] = None  # paid up again
    return columns

