"""Dashboard figures computed from an organisation's stored scans, and the charts that show them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from ui.components.findings import SEVERITIES

TOP_TYPES = 15  # more bars than this are unreadable; the rest are summed as "other"


def scans_per_day(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Scans per day and scanner (index: day, one column per scanner)."""
    records = [{"day": str(r.get("created_at") or "")[:10], "scanner": r.get("scanner", "")}
               for r in rows if r.get("created_at")]
    if not records:
        return pd.DataFrame()
    frame = pd.DataFrame(records)
    return frame.groupby(["day", "scanner"]).size().unstack(fill_value=0).sort_index()


def severity_totals(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Findings per severity over all the scans, in severity order."""
    totals: Counter[str] = Counter()
    for row in rows:
        by_severity = (row.get("summary") or {}).get("findings_by_severity") or {}
        totals.update({k: int(v) for k, v in by_severity.items() if k in SEVERITIES})
    return {s: totals[s] for s in SEVERITIES}


def type_totals(rows: Iterable[dict[str, Any]], top: int = TOP_TYPES) -> dict[str, int]:
    """Findings per type over all the scans (the score breakdown lists every type with its count)."""
    totals: Counter[str] = Counter()
    for row in rows:
        for entry in (row.get("summary") or {}).get("score_breakdown") or []:
            totals[str(entry.get("type"))] += int(entry.get("findings") or 0)
    ranked = totals.most_common()
    shown = dict(ranked[:top])
    rest = sum(count for _, count in ranked[top:])
    return {**shown, "other": rest} if rest else shown


def score_trend(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Mean compliance score per day (index: day), from scans that have a score."""
    records = [{"day": str(r["created_at"])[:10], "score": float(r["compliance_score"])}
               for r in rows if r.get("created_at") and r.get("compliance_score") is not None]
    if not records:
        return pd.DataFrame()
    return pd.DataFrame(records).groupby("day")[["score"]].mean().round(1).sort_index()


def render_dashboard_charts(rows: list[dict[str, Any]]) -> None:
    """Scans over time, findings by severity and by type, and the score trend."""
    left, right = st.columns(2)
    with left:
        st.subheader("Scans over time")
        _bar_or_note(scans_per_day(rows), "no scans yet")
    with right:
        st.subheader("Compliance score trend")
        trend = score_trend(rows)
        if trend.empty:
            st.caption("no scored scans yet")
        else:
            st.line_chart(trend, y="score", y_label="mean score (0-100)")
    left, right = st.columns(2)
    with left:
        st.subheader("Findings by severity")
        _bar_or_note(_series(severity_totals(rows), "findings"), "no findings yet")
    with right:
        st.subheader("Findings by type")
        _bar_or_note(_series(type_totals(rows), "findings"), "no findings yet", horizontal=True)


def _series(counts: dict[str, int], name: str) -> pd.DataFrame:
    if not any(counts.values()):
        return pd.DataFrame()
    return pd.DataFrame({name: list(counts.values())}, index=pd.Index(list(counts), name="kind"))


def _bar_or_note(frame: pd.DataFrame, note: str, horizontal: bool = False) -> None:
    if frame.empty:
        st.caption(note)
    else:
        st.bar_chart(frame, horizontal=horizontal)
