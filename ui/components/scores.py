"""How a scan's score reads on every page: "72", "72 (partial)" or "not assessed", never a made-up 100.

A failed scan could not read its input and has no score (services/scoring.py); a degraded one is
scored on what it read, an upper bound, so it is marked partial. Rows are scan results (score in
`summary`) or history rows (score in their own columns); both carry `status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOT_ASSESSED = "not assessed"
PARTIAL = "partial"


def score_of(row: Mapping[str, Any]) -> int | None:
    """The row's compliance score, or None when its scan is not assessed."""
    if row.get("status") == "failed":
        return None  # whatever an older worker may have written beside it
    score = row["compliance_score"] if "compliance_score" in row else \
        (row.get("summary") or {}).get("compliance_score")
    return score if isinstance(score, int) and not isinstance(score, bool) else None


def is_partial(row: Mapping[str, Any]) -> bool:
    """True for a scored scan that could read only part of its input."""
    return row.get("status") == "degraded" and score_of(row) is not None


def score_text(row: Mapping[str, Any]) -> str:
    """`72`, `72 (partial)` or `not assessed`."""
    score = score_of(row)
    if score is None:
        return NOT_ASSESSED
    return f"{score} ({PARTIAL})" if is_partial(row) else str(score)


def risk_text(row: Mapping[str, Any]) -> str:
    """`medium`, `medium (partial)` or `not assessed`."""
    if score_of(row) is None:
        return NOT_ASSESSED
    risk = row["risk_level"] if "risk_level" in row else (row.get("summary") or {}).get("risk_level")
    return f"{risk} ({PARTIAL})" if is_partial(row) else str(risk)


def assessment_note(result: Mapping[str, Any]) -> tuple[str, str] | None:
    """(level, sentence) saying why a result has no score or only a partial one; None when complete."""
    errors = len(result.get("errors") or [])
    job_state = result.get("job_state") or "succeeded"
    if score_of(result) is None and job_state != "succeeded":
        return "error", f"Not assessed: the scan did not finish ({job_state}), so it has no compliance score."
    if score_of(result) is None:
        return "error", (f"Not assessed: this scan could not read its input ({errors} errors), so it has "
                         "no compliance score. Any findings come from what it read before it stopped.")
    if is_partial(result):
        return "warning", (f"Partial: {errors} items could not be read. The score covers only what was "
                           "read; the unread items could only lower it.")
    return None
