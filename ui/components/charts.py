"""Dashboard figures computed from an organisation's stored scans, and the charts that show them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui.components.findings import SEVERITIES
from ui.components.scores import score_of

TOP_TYPES = 15  # more bars than this are unreadable; the rest are summed as "other"
SEVERITY_COLOURS = ["#b71c1c", "#e65100", "#f9a825", "#1565c0", "#9e9e9e"]  # critical … info


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
    """Compliance score of each assessed scan over time (columns: time, score, scanner), oldest first.

    Scans that are not assessed are left out, never plotted as 0 or 100.
    """
    records = [{"time": pd.Timestamp(str(r["created_at"])), "score": float(score),
                "scanner": r.get("scanner", "")}
               for r in rows if r.get("created_at") and (score := score_of(r)) is not None]
    if not records:
        return pd.DataFrame()
    return pd.DataFrame(records).sort_values("time", ignore_index=True)


def render_dashboard_charts(rows: list[dict[str, Any]]) -> None:
    """Scans over time, findings by severity and by type, and the score trend."""
    left, right = st.columns(2)
    with left:
        st.subheader("Scans over time")
        per_day = scans_per_day(rows)
        if per_day.empty:
            st.caption("no scans yet")
        else:
            st.bar_chart(per_day, y_label="scans")
    with right:
        st.subheader("Compliance score trend")
        _trend_chart(score_trend(rows))
    left, right = st.columns(2)
    with left:
        st.subheader("Findings by severity")
        _count_chart(severity_totals(rows), "severity", sort=list(SEVERITIES))
    with right:
        st.subheader("Findings by type")
        _count_chart(type_totals(rows), "type", sort="-x", horizontal=True)


def _trend_chart(trend: pd.DataFrame) -> None:
    if trend.empty:
        st.caption("no scored scans yet")
        return
    chart = alt.Chart(trend).mark_line(point=True).encode(
        x=alt.X("time:T", title=None), y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="score"),
        color=alt.Color("scanner:N"), tooltip=["time:T", "scanner:N", "score:Q"])
    st.altair_chart(chart, width="stretch")


def _count_chart(counts: dict[str, int], kind: str, sort: list[str] | str, horizontal: bool = False) -> None:
    if not any(counts.values()):
        st.caption("no findings yet")
        return
    frame = pd.DataFrame({kind: list(counts), "findings": list(counts.values())})
    category = alt.Y(f"{kind}:N", sort=sort, title=None) if horizontal else \
        alt.X(f"{kind}:N", sort=sort, title=None)
    value = alt.X("findings:Q") if horizontal else alt.Y("findings:Q")
    chart = alt.Chart(frame).mark_bar().encode(category, value, tooltip=[f"{kind}:N", "findings:Q"])
    if kind == "severity":  # the colours people expect, critical red to info grey
        colours = alt.Scale(domain=list(SEVERITIES), range=SEVERITY_COLOURS)
        chart = chart.encode(color=alt.Color("severity:N", sort=sort, legend=None, scale=colours))
    st.altair_chart(chart, width="stretch")
