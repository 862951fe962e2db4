"""CSV/TSV (the csv module) and XLSX (openpyxl) read as columns under their header row.

CSV/TSV: the delimiter is sniffed as the extractor does (services/extraction/tabular.py), rows are
parsed by the csv module, and a value is located at the line its row starts on (a quoted value may
span lines; all of them are owned). The first non-empty row is the header unless it looks like data
(a cell with an @ or without a letter): then columns are named `column N` and judged by their
values only.

XLSX: per sheet, the header is the first of the first HEADER_ROWS rows with at least two header-like
cells (text with a letter), so a title row above the table is passed over; a value is located at
its row number, as the extractor locates cells.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from services.detection.structured.records import DEFAULT_MAX_ROWS, Column, Records
from services.detection.structured.validators import holds_value
from services.extraction.base import MAX_LINE_CHARS, ExtractOptions
from services.extraction.office import cell_text, check_ooxml_container
from services.extraction.tabular import SNIFF_LINES, NumberedLines, dialect_for, sniff_sample
from services.extraction.text import clean_lines, text_encoding

HEADER_ROWS = 10  # rows of a sheet searched for its header (title rows come first in exports)
MAX_HEADER_CHARS = 48  # a longer cell is a value, not a column name
MAX_HEADER_WORDS = 6  # "E-mailadres van de klant" is a name; a sentence is a value
_LETTER = re.compile(r"[^\W\d_]")


def read_csv(path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> Records:
    """The columns of a CSV or TSV file; csv.Error propagates (the caller falls back to text)."""
    records = Records(kind="csv", max_rows=max_rows)
    columns: list[Column] | None = None
    for row, first, last in _whole_rows(path, records):
        if columns is None:
            if not any(cell.strip() for cell in row):
                continue
            columns = [records.column(column) for column in _header(row)]
            if _is_header(row):
                records.own_header(None, first, last)
            else:
                _add_row(records, columns, row, first, last)
            continue
        if not _add_row(records, columns, row, first, last):
            break
    return records


def _whole_rows(path: Path, records: Records) -> Iterator[tuple[list[str], int, int]]:
    """(cells, first line, last line) of each row that no cut line ran through.

    The line reader hands a line longer than MAX_LINE_CHARS over in pieces, each with the line's
    number, and csv reads each piece as a row of its own: its cells would stand under the wrong
    headers. A row sharing a line with the row before or after it is therefore left to the text scan
    (one row is held back to see whether the next continues its line).
    """
    numbered = clean_lines(path, text_encoding(path), ExtractOptions())
    head = list(itertools.islice(numbered, SNIFF_LINES))
    lines = NumberedLines(itertools.chain(head, numbered))
    reader = csv.reader(iter(lines), dialect_for(path, sniff_sample(head)))
    held: tuple[list[str], int, int] | None = None
    cut = False  # the held row shares its first line with the row before it
    for row in reader:
        first, last = (lines.taken[0], lines.taken[-1]) if lines.taken else (0, 0)
        lines.row_start()
        continues = held is not None and first == held[2]
        if held is not None and not (cut or continues):
            yield held
        elif held is not None:
            records.note(f"lines longer than {MAX_LINE_CHARS} characters were scanned line by line")
        held, cut = (row, first, last), continues
    if held is not None and not cut:
        yield held


def _header(row: list[str]) -> list[Column]:
    named = _is_header(row)
    return [Column(cell.strip() if named and cell.strip() else f"column {index}",
                   cell.strip() if named and cell.strip() else f"column {index}")
            for index, cell in enumerate(row, start=1)]


def _is_header(row: Iterable[object]) -> bool:
    cells = [str(cell).strip() for cell in row if cell is not None and str(cell).strip()]
    return bool(cells) and all(_header_like(cell) for cell in cells)


def _header_like(cell: object) -> bool:
    """Text that can be a column name: short, a few words, a letter, not a sentence, not a value."""
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    return (len(text) <= MAX_HEADER_CHARS and len(text.split()) <= MAX_HEADER_WORDS
            and not text.endswith((".", "!", "?")) and _LETTER.search(text) is not None
            and not holds_value(text))


def _add_row(records: Records, columns: list[Column], row: list[str], first: int, last: int) -> bool:
    """Add one row's cells (cells past the header get `column N`); False once the budget is spent."""
    if records.full():
        return False
    records.own(None, first, last)
    for index, value in enumerate(row):
        if index >= len(columns):
            columns.append(records.column(Column(f"column {index + 1}", f"column {index + 1}")))
        if not records.add(columns[index], value, first, last):
            return False
    return True


def read_xlsx(path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> Records:
    """The columns of every sheet of a workbook (values as the extractor shows them)."""
    check_ooxml_container(path)
    records = Records(kind="xlsx", max_rows=max_rows)
    workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if not _read_sheet(records, sheet):
                break
    finally:
        workbook.close()
    return records


def _read_sheet(records: Records, sheet: Any) -> bool:
    rows = _numbered_rows(sheet)
    head = list(itertools.islice(rows, HEADER_ROWS))
    at = _header_index(head)
    header = head[at][1] if at is not None else []
    columns = [_sheet_column(records, _name(v, i), sheet.title, i) for i, v in enumerate(header, start=1)]
    body = head[at + 1:] if at is not None else head
    if at is not None:
        records.own_header(sheet.title, head[at][0])
    for number, values in itertools.chain(body, rows):
        if not _add_cells(records, columns, values, number, sheet.title):
            return False
    return True


def _header_index(head: list[tuple[int, list[object]]]) -> int | None:
    """The header among a sheet's first rows: two header-like cells, or a lone first row of names."""
    for index, (_, values) in enumerate(head):
        if sum(1 for v in values if _header_like(v)) >= 2:
            return index
    return 0 if head and _is_header(head[0][1]) else None


def _sheet_column(records: Records, name: str, sheet: str, number: int) -> Column:
    return records.column(Column(name, name, sheet=sheet, letter=get_column_letter(number)))


def _name(value: object, index: int) -> str:
    return str(value).strip() if _header_like(value) else f"column {index}"


def _numbered_rows(sheet: Any) -> Iterator[tuple[int, list[object]]]:
    """(row number, cell values) of the non-empty rows of a read-only sheet."""
    for row in sheet.iter_rows():
        number = next((c.row for c in row if getattr(c, "row", None)), None)
        values = [getattr(cell, "value", None) for cell in row]
        if number is not None and any(v is not None for v in values):
            yield number, values


def _add_cells(records: Records, columns: list[Column], values: list[object], row: int,
               sheet: str) -> bool:
    if records.full():
        return False
    records.own(sheet, row)
    for index, value in enumerate(values):
        if index >= len(columns):
            columns.append(_sheet_column(records, f"column {index + 1}", sheet, index + 1))
        text = None if value is None else cell_text(value)
        if not records.add(columns[index], text, row):
            return False
    return True
