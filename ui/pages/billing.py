"""Billing (admins): the plan, this month's usage against its quota, upgrade and invoices via Stripe."""

from __future__ import annotations

from typing import Any

import streamlit as st

from services.accounts import Session
from ui.session import require
from utils.errors import DataGuardianError

try:  # billing is its own module; the UI must still start while it is absent or broken
    from services import billing
except ImportError:  # pragma: no cover - only before services/billing.py exists
    billing = None  # type: ignore[assignment]

RETURN_URL = "/billing"  # nginx serves the UI at /, so Stripe sends the user back to this page


def _usage(session: Session) -> dict[str, Any]:
    summary = billing.usage_summary(session.org_id)
    plan = summary["plan"]
    st.metric("Plan", getattr(plan, "name", str(plan)))
    used, quota = int(summary["used"]), summary.get("quota")
    if quota:
        st.progress(min(1.0, used / int(quota)), text=f"{used} of {quota} scans used in {summary['month']}")
    else:
        st.caption(f"{used} scans in {summary['month']} (no monthly limit)")
    return summary


def _stripe_links(session: Session) -> None:
    if not billing.stripe_configured():
        st.info("Billing is not configured on this installation (no Stripe key): every other page "
                "works as usual.")
        return
    base = st.context.url or ""
    try:
        portal = billing.portal_url(session.org_id, base + RETURN_URL)
    except DataGuardianError as error:
        portal = None
        st.caption(f"Customer portal unavailable: {error}")
    if portal:
        st.link_button("Invoices and payment details", portal)
    for plan in _upgrade_plans():
        try:
            url = billing.checkout_url(session.org_id, plan, base + RETURN_URL + "?upgraded=1",
                                       base + RETURN_URL)
        except DataGuardianError as error:
            st.caption(f"Upgrade to {plan} unavailable: {error}")
            continue
        st.link_button(f"Upgrade to {plan}", url, type="primary")


def _upgrade_plans() -> list[str]:
    plans = getattr(billing, "PAID_PLANS", None) or getattr(billing, "UPGRADE_PLANS", None) or ()
    return [str(getattr(plan, "name", plan)) for plan in plans]


session = require("billing")
st.title("Billing")
if billing is None:
    st.warning("Billing is not available in this build.")
    st.stop()
try:
    _usage(session)
except DataGuardianError as error:
    st.error(f"Usage unavailable: {error}")
_stripe_links(session)
