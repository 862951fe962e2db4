"""Every page of the UI, the action its role needs, and the st.navigation built from them.

One `PageEntry` per file in `ui/pages/`. A page a role may not see is not registered at all, so it
has no URL for that session; each page still calls `ui.session.require(action)` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import Page

from services.accounts import Session, role_allows

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageEntry:
    """One page: its file (relative to the repository root), title, icon, required action, section."""

    path: str
    title: str
    icon: str
    action: str
    section: str
    default: bool = False


PAGES: tuple[PageEntry, ...] = (
    PageEntry("ui/pages/dashboard.py", "Dashboard", ":material/dashboard:", "view", "Scans", default=True),
    PageEntry("ui/pages/new_scan.py", "New scan", ":material/add_circle:", "scan", "Scans"),
    PageEntry("ui/pages/scan_detail.py", "Scan detail", ":material/find_in_page:", "view", "Scans"),
    PageEntry("ui/pages/history.py", "History", ":material/history:", "view", "Scans"),
    PageEntry("ui/pages/account.py", "My account", ":material/person:", "view", "Account"),
    PageEntry("ui/pages/users.py", "Users", ":material/group:", "manage_users", "Administration"),
    PageEntry("ui/pages/api_keys.py", "API keys", ":material/key:", "manage_keys", "Administration"),
    PageEntry("ui/pages/billing.py", "Billing", ":material/credit_card:", "billing", "Administration"),
    PageEntry("ui/pages/system_health.py", "System health", ":material/monitor_heart:", "system",
              "Administration"),
)
SIGN_IN_PAGE = "ui/pages/sign_in.py"


def pages_for(role: str) -> list[PageEntry]:
    """The entries a role may open, in menu order."""
    return [entry for entry in PAGES if role_allows(role, entry.action)]


def _page(entry: PageEntry, default: bool) -> Page:
    return st.Page(str(ROOT / entry.path), title=entry.title, icon=entry.icon, default=default)


def build_navigation(session: Session | None) -> Page:
    """The st.navigation of this run: only the sign-in page when signed out, else the role's pages."""
    if session is None:
        return st.navigation([st.Page(str(ROOT / SIGN_IN_PAGE), title="Sign in", icon=":material/login:")],
                             position="hidden")
    entries = pages_for(session.role)
    default = next((e for e in entries if e.default), entries[0])
    sections: dict[str, list[Page]] = {}
    for entry in entries:
        sections.setdefault(entry.section, []).append(_page(entry, entry is default))
    return st.navigation(sections)
