"""The one compliance-score formula, used by every scanner and report.

score = 100 - sum over finding types of min(CAP_PER_TYPE, sum of SEVERITY_POINTS[severity] * confidence)

Only a scan that read its input has a score. A `failed` result (its input could not be read: a
bomb, a corrupt file, a repository that could not be cloned) is not assessed: `compliance_score`
None and `risk_level` NOT_ASSESSED, whatever partial findings it has, because no findings in input
that was never read proves nothing. A `degraded` result (part of the input unread) keeps the score
of what was read: those findings are real, and unread items can only add findings, so it is an
upper bound that every view marks as partial.

Deterministic (no randomness, no clock), order-independent, and explainable: `breakdown` names each
type, how many findings it had, the GDPR articles engaged and the points it cost. A per-type cap
keeps one noisy type from sinking a score on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SEVERITY_POINTS = {"critical": 25.0, "high": 10.0, "medium": 4.0, "low": 1.0, "info": 0.0}
CAP_PER_TYPE = 30.0  # a single finding type can cost at most 30 of the 100 points
RISK_LEVELS = ((85, "low"), (65, "medium"), (40, "high"), (0, "critical"))  # score floor -> level
NOT_ASSESSED = "not_assessed"  # the risk level of a result without a score (see above)


@dataclass(frozen=True)
class Score:
    """A compliance score with its risk level and the deductions behind it."""

    score: int
    risk_level: str
    breakdown: list[dict[str, Any]]


def risk_level_for(score: float) -> str:
    """Map a 0-100 score to its risk level."""
    for floor, level in RISK_LEVELS:
        if score >= floor:
            return level
    return "critical"


def score_findings(findings: Iterable[dict[str, Any]]) -> Score:
    """Score findings given as dicts with `type`, `severity`, `confidence`, `gdpr_articles`."""
    points: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    articles: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.get("suppressed"):
            continue
        kind = finding["type"]
        points[kind] += SEVERITY_POINTS[finding["severity"]] * float(finding.get("confidence", 1.0))
        counts[kind] += 1
        articles[kind].update(finding.get("gdpr_articles") or ())
    breakdown: list[dict[str, Any]] = [
        {
            "type": kind,
            "findings": counts[kind],
            "points": round(min(CAP_PER_TYPE, points[kind]), 2),
            "capped": points[kind] > CAP_PER_TYPE,
            "gdpr_articles": sorted(articles[kind]),
        }
        for kind in sorted(points)
    ]
    breakdown.sort(key=lambda row: (-row["points"], row["type"]))
    lost = sum(row["points"] for row in breakdown)
    score = max(0, round(100 - lost))
    return Score(score=score, risk_level=risk_level_for(score), breakdown=breakdown)
