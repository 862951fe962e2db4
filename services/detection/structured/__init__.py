"""Structure-aware detection: in SQL seeds, CSV/TSV/XLSX exports and JSON/YAML fixtures, the column or key
name is context for every value under it, and a column is reported once, with a count.

`scan_structured(path, display, kinds, text_scan)` is the one entry both the document scanner and the
code scanner call for a file whose suffix is in READERS:

1. A reader (tabular.py, sql.py, documents.py) parses the file with a maintained parser (csv,
   openpyxl, sqlglot's tokenizer and parser, PyYAML's composer) into columns of located values
   (records.py), within bounds (bytes, cells, SQL characters tokenized).
2. columns.py judges each column by its name (the vocabulary of data/field_names.yaml), by its
   values, and by the ordinary detectors on each value alone, and makes one finding per (file,
   column, type): `location` = {path, sheet or table, column, line of the first value, rows: every
   line or row that had a value of the type}, the count and the share that validated in the
   explanation, one masked example as evidence.
3. The caller's own text scan still reads the whole file (`text_scan(kinds_for)`), so secrets,
   special categories, code findings and anything outside the parsed values (SQL comments, CREATE
   TABLE lines, YAML comments, rows past the bounds) are found as before; on the lines that hold
   parsed values it looks for everything but personal data, which the columns already reported: a
   value is never counted twice, once per cell and once in its column.

A file that does not parse, or parses into no values, returns None and the caller scans it as text,
as before: never nothing.

Bounds: a file is read by column up to `max_rows` rows (DG_STRUCTURED_MAX_ROWS; lines of a SQL,
JSON or YAML file), records.MAX_CELLS values and records.MAX_COLUMNS columns; the rest is left to
the text scan. What was left, and why a file was not read by column at all, reaches the caller's
`note` (the scanners put it in their result's notes), never with a value of the file in it.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from services.detection.engine import scan_text
from services.detection.structured.records import DEFAULT_MAX_ROWS, Place, Records
from services.extraction.base import ExtractionError
from services.results import Finding
from utils.config import get_settings

logger = logging.getLogger(__name__)

Reader = Callable[[Path, int], Records]
Note = Callable[[str], None]
KindsFor = Callable[[str | None, int], frozenset[str]]
TextScan = Callable[[KindsFor], list[Finding]]

# "module:function" in this package, imported on first use: openpyxl, sqlglot, PyYAML and the office
# extractors cost ~0.9 s of imports, which a one-file scan of Python source (a pre-commit hook) skips
READERS: dict[str, str] = {
    **dict.fromkeys((".csv", ".tsv"), "tabular:read_csv"),
    **dict.fromkeys((".xlsx", ".xlsm"), "tabular:read_xlsx"),
    ".sql": "sql:read_sql",
    **dict.fromkeys((".json", ".jsonl", ".ndjson", ".geojson", ".yaml", ".yml"), "documents:read_document"),
}
# files read whole into memory (SQL text, a YAML node tree) are parsed only up to these sizes; larger
# ones are scanned as text, as before. CSV and XLSX are streamed and bounded by cells instead.
MAX_PARSED_BYTES = {".sql": 64 * 1024 * 1024, **dict.fromkeys(
    (".json", ".jsonl", ".ndjson", ".geojson", ".yaml", ".yml"), 16 * 1024 * 1024)}


@functools.cache
def _unparseable() -> tuple[type[BaseException], ...]:
    """What the parsers raise on input they cannot read; the file is then scanned as text."""
    import csv
    import zipfile

    import yaml
    from sqlglot.errors import SqlglotError

    return (csv.Error, yaml.YAMLError, SqlglotError, ExtractionError, zipfile.BadZipFile, ValueError,
            KeyError, TypeError, IndexError, AttributeError, UnicodeError, RecursionError, OSError)


@functools.cache
def _reader(target: str) -> Reader:
    module, _, name = target.partition(":")
    reader: Reader = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return reader


def handles(path: Path) -> bool:
    """True when `path`'s suffix names a format read by structure."""
    return path.suffix.lower() in READERS


def scan_structured(path: Path, display: str, kinds: frozenset[str], text_scan: TextScan,
                    tick: Callable[[], None] = lambda: None, *, note: Note = lambda text: None,
                    max_rows: int | None = None) -> list[Finding] | None:
    """Column findings plus the caller's text scan of the rest; None when not read by structure."""
    limit = get_settings().structured_max_rows if max_rows is None else max_rows
    records = read_records(path, limit, note)
    if records is None:
        return None
    for text in records.notes:
        note(text)
    from services.detection.structured.columns import column_findings  # its vocabulary: only when used

    column_level = column_findings(records, display, kinds, tick)
    beside = frozenset(k for k in kinds if not k.startswith("pii"))  # what cells are still searched for
    in_names = frozenset(k for k in kinds if k.startswith("secret"))  # a header row: names, not statements

    def kinds_for(sheet: str | None, line: int) -> frozenset[str]:
        if (sheet, line) in records.headers:
            return in_names
        return beside if (sheet, line) in records.owned else kinds

    return column_level + _not_counted_twice(text_scan(kinds_for), column_level)


def _not_counted_twice(found: list[Finding], column_level: list[Finding]) -> list[Finding]:
    """The text scan's special-category findings on rows a column finding of that type already covers
    (a `diagnose` column holding "astma"): the column reported them, once."""
    covered = {(f.type, f.location.get("sheet"), row) for f in column_level if f.category == "special"
               for row in f.location.get("rows") or ()}
    if not covered:
        return found
    return [f for f in found if (f.type, f.location.get("sheet"), f.location.get("line")) not in covered]


def read_records(path: Path, max_rows: int = DEFAULT_MAX_ROWS,
                 note: Note = lambda text: None) -> Records | None:
    """The columns of a structured file, or None (unknown suffix, too large, unparseable, no values)."""
    suffix = path.suffix.lower()
    target = READERS.get(suffix)
    if target is None:
        return None
    try:
        size = path.stat().st_size
        if size > MAX_PARSED_BYTES.get(suffix, size):
            note(f"larger than {MAX_PARSED_BYTES[suffix] // (1024 * 1024)} MiB: scanned line by line, "
                 "not by column")
            return None
        records = _reader(target)(path, max_rows)
    except _unparseable() as error:
        # the error's message may quote the file: only its class is logged and noted
        logger.info("structured: %r read as text (%s)", path.name, type(error).__name__)
        note(f"not read by column ({type(error).__name__}): scanned line by line")
        return None
    return records if records.cells else None


def plain_text_scan(path: Path, display: str, encoding: str = "utf-8") -> TextScan:
    """The text scan of a file read as plain lines (the code scanner's way of reading any file)."""
    def text_scan(kinds_for: KindsFor) -> list[Finding]:
        lines = path.read_text(encoding=encoding, errors="replace").split("\n")
        return scan_by_kinds(lines, [(None, number) for number in range(1, len(lines) + 1)], kinds_for,
                             path=display)
    return text_scan


def scan_by_kinds(lines: Sequence[str], places: Sequence[Place], kinds_for: KindsFor, *,
                  line_offset: int = 0, path: str | None = None, page: int | None = None,
                  ocr: bool = False) -> list[Finding]:
    """`scan_text` over `lines`, each line searched for the kinds `kinds_for(place)` gives it.

    Lines are grouped by their kinds, and each group is scanned with the other lines blanked, so line
    numbers stay those of `lines` (plus `line_offset`).
    """
    groups: dict[frozenset[str], set[int]] = {}
    for index, place in enumerate(places):
        groups.setdefault(kinds_for(*place), set()).add(index)
    findings: list[Finding] = []
    # secrets every line is searched for are searched in the whole text at once: their rules read the lines
    # around a value (a JSON section's name, `"auths"` above a registry login, a key file's `type`), which
    # blanking the lines of the other group would hide
    whole = frozenset(k for k in frozenset.intersection(*groups) if k.startswith("secret")) if len(
        groups) > 1 else frozenset()
    if whole:
        findings += scan_text("\n".join(lines), path=path, page=page, line_offset=line_offset, kinds=whole,
                              ocr=ocr)
    for group_kinds, indexes in groups.items():
        kinds = group_kinds - whole
        if not kinds:
            continue
        text = "\n".join(lines) if len(groups) == 1 else "\n".join(
            line if index in indexes else "" for index, line in enumerate(lines))
        findings += scan_text(text, path=path, page=page, line_offset=line_offset, kinds=kinds, ocr=ocr)
    return findings
