"""The database scanner's own view: the personal-data map, the tables, and the map as CSV."""

from __future__ import annotations

from typing import Any

from services.exports.database_map import map_rows, section_of, to_csv_bytes
from ui.components.text import literal

MAX_ROWS_SHOWN = 5_000  # a dataframe of more rows makes the page slow; the CSV holds them all


def render(result: dict[str, Any]) -> None:
    """Map (table → column → type → share → confidence), tables with plaintext and retention, CSV."""
    import streamlit as st

    section = section_of(result)
    st.subheader("Personal-data map")
    target = literal(str(section.get("target", ""))[:300])
    st.caption(f"{target} — {len(section.get('tables') or [])} tables, "
               f"{int(section.get('columns_total') or 0)} columns sampled")
    rows = map_rows(result)
    if rows:
        # dataframe cells are plain text, never Markdown: hostile table or column names stay text
        shown = ("table", "column", "type", "share", "confidence", "severity", "example")
        st.dataframe([{k: str(r.get(k, ""))[:300] for k in shown} for r in rows[:MAX_ROWS_SHOWN]],
                     hide_index=True, use_container_width=True)
        st.download_button("Download the map (CSV)", to_csv_bytes(result), file_name="personal-data-map.csv",
                           mime="text/csv")
    else:
        st.write("No personal-data columns found.")
    tables = [t for t in section.get("tables") or [] if isinstance(t, dict)]
    if tables:
        st.dataframe([_table_row(t) for t in tables[:MAX_ROWS_SHOWN]], hide_index=True,
                     use_container_width=True)


def _table_row(table: dict[str, Any]) -> dict[str, str]:
    retention = table.get("retention") if isinstance(table.get("retention"), dict) else {}
    return {"table": f"{table.get('schema', '')}.{table.get('table', '')}"[:300],
            "estimated rows": str(table.get("estimated_rows", "")),
            "plaintext personal columns": ", ".join(map(str, table.get("plaintext_columns") or []))[:300],
            "older than retention": str(retention.get("rows_older", "")) if retention else "",
            "error": str(table.get("error", ""))[:300]}
