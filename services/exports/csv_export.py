"""CSV export of findings, one row each, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice;
such cells get a leading apostrophe so they are shown as text (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from services.exports.common import iter_findings, location_text, public_finding

COLUMNS = (
    "job_id", "scanner", "type", "category", "severity", "confidence", "location",
    "location_json", "evidence", "gdpr_articles", "remediation", "suppressed", "fingerprint",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> str:
    """Text of `value` for a CSV cell, prefixed with ' when a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def finding_row(result: dict[str, Any], finding: dict[str, Any]) -> list[str]:
    """The escaped cells of one finding, in `COLUMNS` order."""
    row = public_finding(finding)
    values = {
        "job_id": result.get("job_id", ""),
        "scanner": result.get("scanner", ""),
        **row,
        "location": location_text(row["location"]),
        "location_json": json.dumps(row["location"], sort_keys=True, default=str),
        "gdpr_articles": "; ".join(row["gdpr_articles"]),
        "suppressed": "true" if row["suppressed"] else "false",
    }
    return [escape_cell(values.get(column, "")) for column in COLUMNS]


def to_csv_text(results: Sequence[dict[str, Any]]) -> str:
    """Header plus one row per finding of every result."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result, finding in iter_findings(results):
        writer.writerow(finding_row(result, finding))
    return buffer.getvalue()


def to_csv_bytes(results: Sequence[dict[str, Any]]) -> bytes:
    """`to_csv_text` as UTF-8 with a byte-order mark, so Excel detects the encoding."""
    return to_csv_text(results).encode("utf-8-sig")
