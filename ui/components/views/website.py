"""The website scanner's own section on a scan's page: banner, privacy notice, the consent table and
the evidence screenshots. The result is untrusted text: everything shown as Markdown goes through
`literal`, tables are data frames, and a screenshot is shown only from the signed-in organisation's own
artifacts folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from services.scope import ARTIFACTS_DIR
from ui.components.text import literal
from utils.config import get_settings

STATES = {"none": "Before consent", "reject": "After reject", "accept": "After accept"}
MAX_ROWS = 500
SESSION_KEY = "dg_session"  # ui/session.py keeps the signed-in session here


def render_website(result: dict[str, Any]) -> None:
    """Draw the website section of `result`."""
    section = result.get("website")
    if not isinstance(section, dict):
        return
    st.subheader("Website: cookies, trackers and consent")
    pages = _list(section.get("pages"))
    st.caption(f"{literal(section.get('start_url'))} · {len(pages)} page(s) · "
               f"{literal(section.get('mode'))} mode")
    _banner(section.get("banner"))
    _notice(section.get("privacy_notice"))
    rows = _table_rows(section)
    if rows:
        st.dataframe(rows[:MAX_ROWS], hide_index=True, width="stretch")
    else:
        st.write("No cookies and no third-party hosts were seen.")
    _screenshots(section.get("evidence"))


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _yes(value: object) -> str:
    return "not tested" if value is None else ("yes" if value else "no")


def _banner(banner: object) -> None:
    if not isinstance(banner, dict):
        st.write("Consent banner: could not be read.")
        return
    platforms = ", ".join(str(p) for p in banner.get("platforms") or [] if isinstance(p, str))
    st.write(f"Consent banner: {literal(_yes(bool(banner.get('present'))))}"
             + (f" ({literal(platforms)})" if platforms else "")
             + f" · reject on the first layer: {literal(_yes(bool(banner.get('reject'))))}"
             + f" · cookie wall: {literal(_yes(bool(banner.get('cookie_wall'))))}")


def _notice(notice: object) -> None:
    if not isinstance(notice, dict) or not notice.get("url"):
        st.write("Privacy notice: no link found on the pages visited.")
        return
    st.write(f"Privacy notice: {literal(notice.get('url'))} · names the controller: "
             f"{literal(_yes(notice.get('controller')))} · a contact: {literal(_yes(notice.get('contact')))}")


def _table_rows(section: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for kind, key in (("cookie", "cookies"), ("host", "trackers")):
        for item in _list(section.get(key)):
            if not isinstance(item, dict):
                continue
            name = f"{item.get('name')} ({item.get('domain')})" if kind == "cookie" else str(item.get("host"))
            raw = item.get("states")
            states: dict[str, Any] = raw if isinstance(raw, dict) else {}
            rows.append({"kind": kind, "cookie or host": name, "category": str(item.get("category")),
                         "company": str(item.get("company") or ""),
                         "country": str(item.get("jurisdiction") or ""),
                         **{label: _yes(states.get(state)) for state, label in STATES.items()}})
    return rows


def _screenshots(evidence: object) -> None:
    folder = _own_folder()
    shots = [e for e in _list(evidence) if isinstance(e, dict)]
    for shot in shots:
        path = Path(str(shot.get("path") or "")).resolve()
        if folder is None or not path.is_relative_to(folder) or path.suffix != ".png" or not path.is_file():
            continue  # only this organisation's own evidence is ever read
        state = STATES.get(str(shot.get("state")), "")
        st.image(str(path), caption=f"{state}: {shot.get('url')} ({shot.get('taken_at')})")


def _own_folder() -> Path | None:
    """The signed-in organisation's website evidence folder; None without a session."""
    org_id = getattr(st.session_state.get(SESSION_KEY), "org_id", None)
    if not isinstance(org_id, str) or not org_id:
        return None
    return (get_settings().upload_dir / org_id / ARTIFACTS_DIR / "website").resolve()
