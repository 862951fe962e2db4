"""The API scanner's own section on a scan's page: the endpoints read and the reproducers."""

from __future__ import annotations

from typing import Any

from ui.components.text import literal

MAX_ROWS = 500


def render(result: dict[str, Any]) -> None:
    """Endpoints with their answers and findings, then each finding's curl reproducer."""
    import streamlit as st

    section = _dict(result.get("api"))
    st.subheader("API endpoints")
    spec = (_dict(section.get("spec")) or None)
    document = "none: common paths probed" if spec is None else \
        f"{spec.get('title')} ({spec.get('source')}, {spec.get('read')} of {spec.get('operations')} " \
        "operations)"
    st.caption(literal(f"{section.get('base_url')} · document: {document} · "
                       f"{section.get('requests_sent')} requests sent"))
    counts: dict[str, int] = {}
    for finding in _list(result.get("findings")):
        if isinstance(finding, dict) and isinstance(finding.get("location"), dict):
            endpoint = str(finding["location"].get("endpoint"))
            counts[endpoint] = counts.get(endpoint, 0) + 1
    rows = [{"endpoint": f"{e.get('method')} {e.get('path')}", "without credentials": e.get("status"),
             "with credentials": e.get("authenticated_status"),
             "findings": counts.get(f"{e.get('method')} {e.get('path')}", 0)}
            for e in _list(section.get("endpoints"))[:MAX_ROWS] if isinstance(e, dict)]
    if rows:
        st.dataframe(rows, hide_index=True)
    skipped = _list(section.get("skipped"))
    if skipped:
        st.caption(literal(f"{len(skipped)} operations not sent (not a safe method; allow_unsafe is off)"))
    with st.expander("Reproducers (secrets as $TOKEN, $API_KEY, $PASSWORD)"):
        for finding in _list(result.get("findings")):
            if not isinstance(finding, dict):
                continue
            explanation = _dict(finding.get("explanation"))
            location = _dict(finding.get("location"))
            command = explanation.get("reproducer")
            if isinstance(command, str) and command:
                st.caption(literal(f"{finding.get('type')} · {location.get('endpoint')}"))
                st.code(command, language="bash")


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
