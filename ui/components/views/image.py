"""The image scanner's section on a scan's page: one row per picture, and its redacted preview."""

from __future__ import annotations

from typing import Any

import streamlit as st

from services.scanners.image.redaction import preview_bytes
from ui.components.text import literal

PREVIEWS_SHOWN = 24  # previews drawn on the page; the table lists every picture
PREVIEW_COLUMNS = 6


def render(result: dict[str, Any]) -> None:
    """Draw the pictures table and the redacted previews of an image-scan result."""
    section = result.get("image")
    images = section.get("images") if isinstance(section, dict) else None
    if not isinstance(images, list) or not images:
        return
    rows = [row for row in images if isinstance(row, dict)]
    st.subheader("Pictures")
    st.dataframe([_table_row(row) for row in rows], hide_index=True, width="stretch")
    decoded = [(row, preview_bytes(row.get("preview"))) for row in rows[:PREVIEWS_SHOWN]]
    previews = [(row, data) for row, data in decoded if data is not None]
    if previews:
        st.caption("Redacted previews: faces pixelated, detected text boxed, metadata removed.")
        columns = st.columns(PREVIEW_COLUMNS)
        for number, (row, data) in enumerate(previews):
            columns[number % PREVIEW_COLUMNS].image(data, caption=literal(_name(row)))


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    metadata = row.get("metadata")
    return {"picture": str(row.get("path") or ""), "format": str(row.get("format") or ""),
            "size": f"{_int(row.get('width'))} x {_int(row.get('height'))}",
            "frames read": _int(row.get("frames_read")), "faces": _int(row.get("faces")),
            "text findings": _int(row.get("text_findings")),
            "metadata": ", ".join(str(m) for m in metadata) if isinstance(metadata, list) else "",
            "thumbnail": str(row.get("thumbnail") or "")}


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _name(row: dict[str, Any]) -> str:
    return str(row.get("path") or "").rsplit("/", 1)[-1][:60]
