"""How the special-category tests read text and files: the engine on a text, the code scanner's reading
of one file (by structure when it parses, as text otherwise), and the alerts as (type, column, rows)."""

from __future__ import annotations

from pathlib import Path

from services.detection import scan_text, structured
from services.results import Finding

ACTIONABLE = 0.5  # an alert, as the UI and the reports count it
KINDS = frozenset({"pii", "secret", "special", "code"})


def special_types(text: str) -> list[str]:
    """The types of the special-category alerts in `text`."""
    return [f.type for f in scan_text(text) if f.type.startswith("special.") and f.confidence >= ACTIONABLE]


def scan_file(path: Path) -> list[Finding]:
    """The code scanner's reading of one file: structured when it parses, as text otherwise."""
    text_scan = structured.plain_text_scan(path, path.name)
    found = structured.scan_structured(path, path.name, KINDS, text_scan)
    return found if found is not None else text_scan(lambda sheet, line: KINDS)


def special_columns(findings: list[Finding]) -> list[tuple[str, object, object]]:
    """(type, column, rows or line) of the special-category alerts, sorted."""
    return sorted((f.type, f.location.get("column"), f.location.get("rows") or f.location.get("line"))
                  for f in findings if f.category == "special" and f.confidence >= ACTIONABLE)
