"""The filterable findings table of a scan result (evidence arrives masked; it is shown as stored)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from ui.components.text import code, literal

SEVERITIES = ("critical", "high", "medium", "low", "info")
MAX_DETAIL_ROWS = 50  # expanders beyond this make the page slow; the table keeps every row


def location_text(location: Any) -> str:
    """One readable line for a finding's location (path:line, page, url, table.column, question)."""
    if not isinstance(location, dict):
        return ""
    if location.get("path"):
        where = str(location["path"])
        for key in ("line", "page", "sheet", "cell", "slide", "table", "column"):
            if location.get(key) is not None:
                where += f":{location[key]}" if key == "line" else f" {key} {location[key]}"
        if isinstance(location.get("rows"), list) and location.get("count") is not None:
            where += f" ({location['count']} values)"  # one finding for a whole column of a structured file
        return where
    if location.get("table"):
        return ".".join(str(location[k]) for k in ("table", "column") if location.get(k))
    return ", ".join(f"{k} {v}" for k, v in location.items() if isinstance(v, str | int))


def filter_findings(findings: Iterable[dict[str, Any]], severities: Iterable[str] = (),
                    types: Iterable[str] = (), path_search: str = "") -> list[dict[str, Any]]:
    """The findings matching every given filter (an empty filter matches everything)."""
    wanted_sev, wanted_types = set(severities), set(types)
    needle = path_search.strip().lower()
    return [f for f in findings
            if (not wanted_sev or f.get("severity") in wanted_sev)
            and (not wanted_types or f.get("type") in wanted_types)
            and (not needle or needle in location_text(f.get("location")).lower())]


def table_rows(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for st.dataframe: one per finding, articles joined, evidence as stored (masked)."""
    return [{"severity": f.get("severity", ""), "type": f.get("type", ""),
             "location": location_text(f.get("location")), "evidence": f.get("evidence", ""),
             "confidence": f.get("confidence"), "GDPR articles": ", ".join(f.get("gdpr_articles") or ()),
             "remediation": f.get("remediation", "")}
            for f in findings]


def render_findings(findings: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Filters, the table and per-finding details; returns the findings left after filtering."""
    present = [s for s in SEVERITIES if any(f.get("severity") == s for f in findings)]
    types = sorted({str(f.get("type", "")) for f in findings})
    col_sev, col_type, col_path = st.columns(3)
    chosen_sev = col_sev.multiselect("Severity", present, key=f"{key}_severity")
    chosen_types = col_type.multiselect("Type", types, key=f"{key}_type")
    search = col_path.text_input("Path contains", key=f"{key}_path")
    shown = filter_findings(findings, chosen_sev, chosen_types, search)
    st.caption(f"{len(shown)} of {len(findings)} findings")
    if shown:
        st.dataframe(table_rows(shown), hide_index=True, width="stretch")
        _details(shown)
    return shown


def _details(findings: list[dict[str, Any]]) -> None:
    with st.expander("GDPR articles and remediation per finding"):
        for finding in findings[:MAX_DETAIL_ROWS]:
            articles = ", ".join(finding.get("gdpr_articles") or ()) or "none"
            st.markdown(f"**{literal(finding.get('type'))}** ({literal(finding.get('severity'))}) at "
                        f"{code(location_text(finding.get('location')))} — articles: {literal(articles)}  \n"
                        f"{literal(finding.get('remediation') or '')}")
        if len(findings) > MAX_DETAIL_ROWS:
            st.caption(f"first {MAX_DETAIL_ROWS} shown; the table and the downloads hold all of them")
