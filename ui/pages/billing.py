"""Billing (admins): the plan, this month's usage against its quota, upgrade and invoices via Stripe.

Stripe is only called when the admin clicks (a checkout or portal session is made on demand, then
opened with a link), so viewing the page never waits for Stripe. Without STRIPE_SECRET_KEY the page
says billing is not configured and shows plan and usage all the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from services import billing
from services.accounts import Session
from ui.components.text import literal
from ui.session import require
from utils.errors import DataGuardianError

PAGE_PATH = "/billing"  # st.navigation's URL for ui/pages/billing.py: Stripe sends the admin back here


def _return_url(query: str = "") -> str:
    """An absolute URL of this page as the browser sees it (Stripe needs absolute URLs)."""
    parts = urlsplit(st.context.url or "")
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "http://localhost:8080"
    return f"{base}{PAGE_PATH}{query}"


def _usage(summary: dict[str, Any]) -> None:
    left, right = st.columns(2)
    left.metric("Plan", literal(summary["title"]))
    right.metric("Subscription", literal(summary.get("subscription_status") or "none"))
    used, quota, month = int(summary["used"]), summary.get("quota"), literal(summary["month"])
    if quota:
        st.progress(min(1.0, used / quota), text=f"{used} of {int(quota)} scans used in {month}")
    else:
        st.caption(f"{used} scans in {month}; this plan has no monthly limit.")
    if summary.get("in_flight"):
        st.caption(f"{int(summary['in_flight'])} of them are still queued or running.")


def _plans_table(current: str) -> None:
    st.subheader("Plans")
    st.dataframe([{"plan": p.title, "scans a month": _quota(p.monthly_scans),
                   "scanners": ", ".join(p.scanners), "current": p.name == current}
                  for p in billing.plans()], hide_index=True)


def _quota(monthly_scans: int | None) -> str:
    return "no limit" if monthly_scans is None else str(monthly_scans)


def _stripe_link(label: str, key: str, make_url: Callable[[], str]) -> None:
    """A button that asks Stripe for a session URL on click, then offers it as a link."""
    if not st.button(literal(label), key=key):
        return
    try:
        url = make_url()
    except DataGuardianError as error:
        st.error(literal(error))
        return
    st.link_button(f"Continue to Stripe: {literal(label.lower())}", url, type="primary")


def _stripe_actions(session: Session, current: billing.Plan) -> None:
    if not billing.stripe_configured():
        st.info("Billing is not configured on this installation (no Stripe key). Plans and usage are "
                "shown above; every other page works as usual.")
        return
    for plan in billing.PAID_PLANS:
        if plan.rank > current.rank:
            checkout = functools.partial(billing.checkout_url, session.org_id, plan.name,
                                         _return_url("?upgraded=1"), _return_url())
            _stripe_link(f"Upgrade to {plan.title}", f"upgrade_{plan.name}", checkout)
    _stripe_link("Manage subscription and invoices", "portal",
                 lambda: billing.portal_url(session.org_id, _return_url()))


session = require("billing")
st.title("Billing")
if st.query_params.get("upgraded"):
    st.success("Thank you: the new plan applies as soon as Stripe confirms the payment.")
try:
    summary = billing.usage_summary(session.org_id)
    current = billing.plan_of(session.org_id)
except DataGuardianError as error:
    st.error(f"Billing figures are unavailable: {literal(error)}")
    st.stop()
_usage(summary)
_plans_table(current.name)
_stripe_actions(session, current)
