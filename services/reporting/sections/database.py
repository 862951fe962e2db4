"""The database scanner's report section: the personal-data map and, per table, what is stored in
plain text and how old its rows are. Every name comes from the scanned database: kit.p and kit.table
escape it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from services.exports.database_map import map_rows, section_of
from services.reporting.sections import SectionKit

MAX_MAP_ROWS = 400  # rows drawn per result; the CSV export and the JSON hold them all
LABELS = {
    "en": {"heading": "Personal-data map", "target": "Database: {target}",
           "tables_heading": "Tables",
           "none": "No personal-data columns were found in the sampled rows.",
           "cut": "The first {n} of {total} rows; the CSV export holds them all."},
    "nl": {"heading": "Kaart van persoonsgegevens", "target": "Database: {target}",
           "tables_heading": "Tabellen",
           "none": "In de steekproef zijn geen kolommen met persoonsgegevens gevonden.",
           "cut": "De eerste {n} van {total} rijen; de CSV-export bevat ze allemaal."},
}

HEADERS = {
    "en": {"map": ("Table", "Column", "Type", "Share", "Confidence"),
           "tables": ("Table", "Est. rows", "Plaintext personal-data columns", "Older than retention")},
    "nl": {"map": ("Tabel", "Kolom", "Type", "Aandeel", "Zekerheid"),
           "tables": ("Tabel", "Geschat aantal rijen", "Onversleutelde kolommen met persoonsgegevens",
                      "Ouder dan bewaartermijn")},
}


def flowables(results: Sequence[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    """The map and the table summary of every database result in the report."""
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "heading"))]
    for result in results:
        section = section_of(result)
        story.append(kit.p(kit.text(LABELS, "target", target=str(section.get("target", ""))[:300])))
        story += _map(result, kit)
        story += _tables(section, kit)
    return story


def _map(result: dict[str, Any], kit: SectionKit) -> list[Flowable]:
    rows = [r for r in map_rows(result) if not r.get("name_only")]
    if not rows:
        return [kit.p(kit.text(LABELS, "none"))]
    cells = [[_name(r.get("schema"), r.get("table")), _short(r.get("column")), _short(r.get("type")),
              _percent(r.get("share")), _percent(r.get("confidence"))] for r in rows[:MAX_MAP_ROWS]]
    header = (HEADERS.get(kit.language) or HEADERS["en"])["map"]
    story: list[Flowable] = [kit.table(header, cells, (0.28, 0.26, 0.22, 0.12, 0.12))]
    if len(rows) > MAX_MAP_ROWS:
        story.append(kit.p(kit.text(LABELS, "cut", n=MAX_MAP_ROWS, total=len(rows)), "Small"))
    return story


def _tables(section: dict[str, Any], kit: SectionKit) -> list[Flowable]:
    tables = [t for t in section.get("tables") or [] if isinstance(t, dict) and t.get("personal_columns")]
    if not tables:
        return []
    header = (HEADERS.get(kit.language) or HEADERS["en"])["tables"]
    cells = [[_name(t.get("schema"), t.get("table")), _short(t.get("estimated_rows")),
              _short(", ".join(map(str, t.get("plaintext_columns") or []))),
              _short((t.get("retention") or {}).get("rows_older", "") if isinstance(t.get("retention"), dict)
                     else "")] for t in tables[:MAX_MAP_ROWS]]
    return [kit.heading(kit.text(LABELS, "tables_heading"), 2),
            kit.table(header, cells, (0.3, 0.15, 0.4, 0.15))]


def _name(schema: object, table: object) -> str:
    return _short(f"{schema}.{table}" if schema not in (None, "") else table)


def _short(value: object) -> str:
    return str("" if value is None else value)[:120]


def _percent(value: object) -> str:
    return f"{float(value):.0%}" if isinstance(value, int | float) else ""
