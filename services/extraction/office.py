"""Office Open XML: docx paragraphs and tables, xlsx cells, pptx slides and notes."""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import msoffcrypto
import olefile
import openpyxl
import pptx
from docx.opc.exceptions import PackageNotFoundError as DocxPackageError
from docx.table import Table
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.exc import PackageNotFoundError as PptxPackageError

from services.extraction.base import (
    Chunk,
    ErrorKind,
    ExtractionError,
    ExtractOptions,
    check_zip_package,
    chunk_lines,
    chunk_rows,
)

logger = logging.getLogger(__name__)

# what a damaged OOXML package raises from zipfile, lxml and the three libraries
_CORRUPT = (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, IndexError, OSError,
            DocxPackageError, PptxPackageError)

Row = tuple[str, dict[str, Any]]


def check_ooxml_container(path: Path) -> None:
    """Raise a clear error for an encrypted OOXML file, a legacy binary .doc/.xls/.ppt or a zip bomb."""
    if not olefile.isOleFile(str(path)):
        check_zip_package(path)
        return
    try:
        with open(path, "rb") as handle:
            encrypted = msoffcrypto.OfficeFile(handle).is_encrypted()
    except Exception:  # msoffcrypto raises bare Exceptions for containers it does not know
        encrypted = False
    if encrypted:
        raise ExtractionError(ErrorKind.ENCRYPTED, f"{path.name}: Office file is password-protected")
    raise ExtractionError(ErrorKind.UNSUPPORTED, f"{path.name}: legacy binary Office format")


def _corrupt(path: Path, error: BaseException) -> ExtractionError:
    return ExtractionError(ErrorKind.CORRUPT, f"{path.name}: unreadable file ({type(error).__name__})")


# --- docx --------------------------------------------------------------------------------------

def extract_docx(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Paragraphs (line n = block n of the body), table cells and header/footer text."""
    check_ooxml_container(path)
    try:
        document = docx.Document(str(path))
        rows = list(_docx_body_rows(document)) + list(_docx_header_rows(document))
    except _CORRUPT as error:
        raise _corrupt(path, error) from None
    yield from chunk_rows(rows)


def _docx_body_rows(document: Any) -> Iterator[Row]:
    tables = 0
    for line, block in enumerate(document.iter_inner_content(), start=1):
        if isinstance(block, Table):
            tables += 1
            yield from _docx_table_rows(block, line, tables)
        elif block.text.strip():
            yield block.text, {"line": line}


def _docx_table_rows(table: Table, line: int, number: int) -> Iterator[Row]:
    for r, row in enumerate(table.rows, start=1):
        seen = set()
        for c, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                continue
            seen.add(id(cell._tc))
            if cell.text.strip():
                yield cell.text, {"line": line, "table": number, "row": r, "column": c}


def _docx_header_rows(document: Any) -> Iterator[Row]:
    for number, section in enumerate(document.sections, start=1):
        for part_name, part in (("header", section.header), ("footer", section.footer)):
            for line, paragraph in enumerate(part.paragraphs, start=1):
                if paragraph.text.strip():
                    yield paragraph.text, {"line": line, "part": part_name, "section": number}


# --- xlsx --------------------------------------------------------------------------------------

def extract_xlsx(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Every non-empty cell, located by sheet and cell (and its row as the line)."""
    check_ooxml_container(path)
    try:
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except _CORRUPT as error:
        raise _corrupt(path, error) from None
    try:
        budget = [options.max_cells]
        for sheet in workbook.worksheets:
            yield from chunk_rows(_sheet_rows(sheet, budget), extra={"sheet": sheet.title})
        if budget[0] < 0:
            options.warn(ErrorKind.TOO_LARGE, f"{path.name}: more than {options.max_cells} cells, "
                                              "the rest were not scanned")
    except _CORRUPT as error:
        raise _corrupt(path, error) from None
    finally:
        workbook.close()


def _sheet_rows(sheet: Any, budget: list[int]) -> Iterator[Row]:
    for row in sheet.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or budget[0] < 0:
                continue
            budget[0] -= 1
            text = cell_text(value)
            if text.strip():
                yield text, {"cell": cell.coordinate, "line": cell.row}


def cell_text(value: object) -> str:
    """A cell value as a person would read it (no `.0` on whole numbers, ISO dates)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


# --- pptx --------------------------------------------------------------------------------------

def extract_pptx(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Text of each slide's shapes, tables and notes, located by slide and line within the slide."""
    check_ooxml_container(path)
    try:
        presentation = pptx.Presentation(str(path))
        slides = [list(_slide_lines(slide)) for slide in presentation.slides]
    except _CORRUPT as error:
        raise _corrupt(path, error) from None
    for number, lines in enumerate(slides, start=1):
        yield from chunk_lines(lines, extra={"slide": number})


def _slide_lines(slide: Any) -> Iterator[str]:
    yield from _shape_lines(slide.shapes)
    if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
        yield from slide.notes_slide.notes_text_frame.text.splitlines()


def _shape_lines(shapes: Any) -> Iterator[str]:
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shape_lines(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    yield from cell.text.splitlines()
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield paragraph.text
