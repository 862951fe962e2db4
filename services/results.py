"""Findings and scan results: the shapes of docs/ARCHITECTURE.md ("Scan results"), built in one place.

Scanners build `Finding`s (evidence already masked, see services/detection/masking.py) and hand
them to `build_result`, which adds the summary and the score. The runtime adds `job_id`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services import scoring


class Severity(enum.StrEnum):
    """Finding severity, most severe first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


SEVERITY_NAMES = tuple(s.value for s in Severity)  # most severe first; read once, not per result


class ResultStatus(enum.StrEnum):
    """Outcome of a scan as a whole (job states live in utils/ipc_manager.py)."""

    COMPLETED = "completed"
    DEGRADED = "degraded"  # part of the input could not be read (item errors): scored on the rest
    FAILED = "failed"  # the input could not be read: not assessed (services/scoring.py)


@dataclass(frozen=True)
class Finding:
    """One thing a scanner found. `evidence` must already be masked."""

    type: str
    category: str
    severity: Severity
    confidence: float
    location: dict[str, Any]
    evidence: str
    gdpr_articles: tuple[str, ...] = ()
    remediation: str = ""
    explanation: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the severity as its string value.

        The two dicts are copied one level deep, not through dataclasses.asdict: its recursive deep
        copy was a quarter of a document scan with 180 findings (bench/scans_per_hour's mix).
        """
        return {"type": self.type, "category": self.category, "severity": self.severity.value,
                "confidence": self.confidence, "location": dict(self.location), "evidence": self.evidence,
                "gdpr_articles": list(self.gdpr_articles), "remediation": self.remediation,
                "explanation": dict(self.explanation), "fingerprint": self.fingerprint}


def status_for(items_read: int, errors: Sequence[object]) -> ResultStatus:
    """Completed without errors; degraded when some of the input could not be read; failed when none could."""
    if not errors:
        return ResultStatus.COMPLETED
    return ResultStatus.DEGRADED if items_read else ResultStatus.FAILED


def is_assessed(result: Mapping[str, Any]) -> bool:
    """True when the result has a compliance score: its scan read its input (status is not failed)."""
    summary = result.get("summary") or {}
    return result.get("status") != ResultStatus.FAILED.value and summary.get("compliance_score") is not None


def utc_now_iso() -> str:
    """Current UTC time as an ISO-8601 string with seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def build_result(
    scanner: str,
    findings: list[Finding] | list[dict[str, Any]],
    *,
    started_at: str,
    items_scanned: int = 0,
    bytes_scanned: int = 0,
    errors: list[dict[str, Any]] | None = None,
    status: ResultStatus = ResultStatus.COMPLETED,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble a scan result with its summary and deterministic score (none when the scan failed)."""
    rows = [f.to_dict() if isinstance(f, Finding) else dict(f) for f in findings]
    by_severity = dict.fromkeys(SEVERITY_NAMES, 0)
    for row in rows:
        by_severity[row["severity"]] += 1
    status = ResultStatus(status)
    score = scoring.score_findings(rows) if status is not ResultStatus.FAILED else None
    result: dict[str, Any] = {
        "scanner": scanner,
        "status": status.value,
        "started_at": started_at,
        "finished_at": utc_now_iso(),
        "summary": {
            "items_scanned": items_scanned,
            "bytes_scanned": bytes_scanned,
            "findings_total": len(rows),
            "findings_by_severity": by_severity,
            "compliance_score": score.score if score else None,
            "risk_level": score.risk_level if score else scoring.NOT_ASSESSED,
            "score_breakdown": score.breakdown if score else [],
        },
        "findings": rows,
        "errors": list(errors or []),
    }
    if extra:
        result.update(extra)
    return result


def unfinished_result(
    scanner: str, job_state: str, error: str, *, started_at: str | None = None
) -> dict[str, Any]:
    """Result of a job that produced no scan: failed, timed out, cancelled or dead.

    It is not assessed: a scan that did not run proves nothing about compliance.
    """
    now = utc_now_iso()
    return {
        "scanner": scanner,
        "status": ResultStatus.FAILED.value,
        "job_state": job_state,
        "error": error,
        "started_at": started_at or now,
        "finished_at": now,
        "summary": {
            "items_scanned": 0, "bytes_scanned": 0, "findings_total": 0,
            "findings_by_severity": dict.fromkeys(SEVERITY_NAMES, 0),
            "compliance_score": None, "risk_level": scoring.NOT_ASSESSED, "score_breakdown": [],
        },
        "findings": [],
        "errors": [{"error": error}],
    }
