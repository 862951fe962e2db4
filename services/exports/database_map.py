"""The database scanner's personal-data map as CSV, for the record of processing (GDPR Art. 30).

One row per (table, column, type), as the result's `database.map` holds it. Table and column names come
from the scanned database and are hostile: every cell goes through csv_export.escape_cell, so a name
that starts with = + - @ is shown as text, never run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from services.exports.csv_export import escape_cell

COLUMNS = ("schema", "table", "column", "type", "special", "share", "confidence", "severity", "basis",
           "example")
MAX_CELL_CHARS = 512  # a name or example longer than this is cut: a map row, not a dump


SECTION = "database"  # the key of the database scanner's own result section


def section_of(result: Mapping[str, Any]) -> dict[str, Any]:
    """The database section of a result (empty for anything else)."""
    found = result.get(SECTION)
    return dict(found) if isinstance(found, Mapping) else {}


def map_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The map rows of a database result (an empty list for anything else)."""
    rows = section_of(result).get("map")
    return [dict(row) for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []


def to_csv_bytes(result: Mapping[str, Any]) -> bytes:
    """Header plus one escaped row per map entry, UTF-8 with a byte-order mark (Excel reads it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in map_rows(result):
        writer.writerow([escape_cell(str(row.get(column, ""))[:MAX_CELL_CHARS]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
