"""What of a scan result may leave the platform, and how a location reads as text.

Exports and reports copy only the fields named here: a scanner (or a test) may hang anything on a
result, but only already-masked evidence and descriptive fields are written out, so a report can
never show more than the result's `evidence`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from services import scoring
from services.results import ResultStatus

FINDING_FIELDS = (
    "type", "category", "severity", "confidence", "location", "evidence",
    "gdpr_articles", "remediation", "fingerprint", "suppressed",
)
RESULT_FIELDS = ("job_id", "scanner", "status", "started_at", "finished_at", "summary", "errors")
SUMMARY_FIELDS = (
    "items_scanned", "bytes_scanned", "findings_total", "findings_by_severity",
    "compliance_score", "risk_level", "score_breakdown",
)
# location keys in the order a reader expects them; any other key follows as key=value
LOCATION_ORDER = ("path", "url", "schema", "table", "column", "sheet", "page", "line")
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def public_finding(finding: dict[str, Any]) -> dict[str, Any]:
    """The exportable fields of one finding (masked evidence, never anything else)."""
    row = {key: finding.get(key) for key in FINDING_FIELDS if key in finding}
    row["location"] = dict(finding.get("location") or {})
    row["gdpr_articles"] = list(finding.get("gdpr_articles") or ())
    row["suppressed"] = bool(finding.get("suppressed", False))
    return row


def public_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The exportable fields of a result's summary; a failed scan's as not assessed, whatever it says.

    A result file written before failed scans lost their score (services/scoring.py) may still say
    100/low; a report must not repeat it.
    """
    summary = result.get("summary") or {}
    data = {key: summary[key] for key in SUMMARY_FIELDS if key in summary}
    if result.get("status") == ResultStatus.FAILED.value:
        data.update(compliance_score=None, risk_level=scoring.NOT_ASSESSED, score_breakdown=[])
    return data


def public_result(result: dict[str, Any]) -> dict[str, Any]:
    """The exportable fields of one scan result, its findings reduced by `public_finding`."""
    data = {key: result[key] for key in RESULT_FIELDS if key in result}
    data["summary"] = public_summary(result)
    data["findings"] = [public_finding(f) for f in result.get("findings") or ()]
    return data


def location_text(location: dict[str, Any] | None, *, page_label: str = "p.") -> str:
    """One-line form of a location: `src/app.py:12`, `report.pdf p.3`, `crm.customers.email`."""
    location = dict(location or {})
    head = _location_head(location, page_label)
    # a column finding's `count` says how many rows hold the type; their list stays in the JSON forms
    tail = [f"{key}={value}" for key, value in sorted(location.items())
            if key not in LOCATION_ORDER and key != "rows"]
    return " ".join(part for part in (head, *tail) if part) or "-"


def is_column_finding(location: dict[str, Any]) -> bool:
    """True for a structured file's column (one finding for every value of its type: `count`, `rows`)."""
    return isinstance(location.get("rows"), list) and "count" in location


def column_count(location: dict[str, Any]) -> int:
    """How many values a finding stands for: a column finding's count, else 1."""
    if not is_column_finding(location):
        return 1
    try:
        return max(1, int(location["count"]))
    except (TypeError, ValueError, OverflowError):
        return 1


def column_name(location: dict[str, Any]) -> str:
    """`schema.table.column` of a location, with the parts it has (empty when it names no column)."""
    parts = [location.get("schema"), location.get("table"), location.get("column")]
    return ".".join(str(p) for p in parts if p not in (None, ""))


def _location_head(location: dict[str, Any], page_label: str) -> str:
    column = column_name(location)
    if "table" in location and not location.get("path"):
        return column  # a database column
    base = str(location.get("path") or location.get("url") or "")
    if location.get("sheet") not in (None, ""):
        base += f" [{location['sheet']}]"
    if location.get("page") not in (None, ""):
        base += f" {page_label}{location['page']}"
    if location.get("line") not in (None, ""):
        base += f":{location['line']}"
    if column:  # a column of a file (structured findings, Word tables)
        base += f" {column}"
    return base


def severity_rank(severity: str) -> int:
    """Sort key putting the most severe first; unknown severities last."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def iter_findings(results: Iterable[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    """(result, finding) for every finding of every result, in order."""
    for result in results:
        for finding in result.get("findings") or ():
            yield result, finding


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory, then rename."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
