"""Findings in one file read through services/extraction: the document scanner's way of reading every
file, and the code scanner's for documents committed to a tree (PDF, office, OpenDocument).

`scan_extracted` reads spreadsheets, CSV, SQL, JSON and YAML by their columns first (structured), the
rest (and those that do not parse) chunk by chunk as text; every finding carries the chunk's location
(page, sheet and cell, table row, paragraph, slide, e-mail part). A file that cannot be read raises
ExtractionError naming why (corrupt, encrypted, unsafe, too large, unsupported); the caller decides
whether that is an error of the scan or a reported skip.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from services.detection import scan_text, structured
from services.extraction import Chunk, ErrorKind, ExtractionError, ExtractOptions, extract_file
from services.results import Finding

Tick = Callable[[str], None]  # progress from inside a long file: a cancel or a deadline stops it there

# what third-party parsers raise on hostile or damaged files beyond their own error classes; one
# such file is an ExtractionError (recorded by the caller) instead of failing the whole scan
_PARSER_FAILURES = (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError,
                    UnicodeError, zipfile.BadZipFile, OSError, EOFError)


def scan_extracted(path: Path, display: str, kinds: frozenset[str], options: ExtractOptions, *,
                   tick: Tick = lambda message: None,
                   note: structured.Note = lambda text: None) -> list[Finding]:
    """Findings in the file at `path`, named `display`; ExtractionError when it cannot be read."""
    def text_scan(kinds_for: structured.KindsFor | None) -> list[Finding]:
        found: list[Finding] = []
        for number, chunk in enumerate(_chunks(path, options), start=1):
            # progress and detection run outside the generator: their errors are not the file's
            tick(f"scanning {display} (part {number})")
            found += _detect(chunk, display, kinds, kinds_for)
        return found

    found = structured.scan_structured(path, display, kinds, text_scan,
                                       tick=lambda: tick(f"reading {display}"), note=note)
    return found if found is not None else text_scan(None)


def _chunks(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    try:
        yield from extract_file(path, options)
    except _PARSER_FAILURES as error:
        # the message of a parser's exception may quote file content: only its type is kept
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: unreadable ({type(error).__name__})") \
            from None


def _detect(chunk: Chunk, display: str, kinds: frozenset[str],
            kinds_for: structured.KindsFor | None) -> list[Finding]:
    """Findings in one chunk; with `kinds_for` (a structured file) each line is searched for its kinds."""
    if kinds_for is None:
        found = scan_text(chunk.text, path=display, page=chunk.page, line_offset=chunk.line_offset,
                          ocr=chunk.ocr, kinds=kinds)
        return [_locate(finding, chunk) for finding in found]
    lines = chunk.text.split("\n")
    places = [_place(chunk, chunk.line_offset + number) for number in range(1, len(lines) + 1)]
    found = structured.scan_by_kinds(lines, places, kinds_for, line_offset=chunk.line_offset, path=display,
                                     page=chunk.page, ocr=chunk.ocr)
    return [_locate(finding, chunk) for finding in found]


def _place(chunk: Chunk, line: int) -> tuple[str | None, int]:
    """(sheet, source line or row) of one chunk line, as structured.Records names owned lines."""
    location = chunk.location_for(line)
    return location.get("sheet"), int(location.get("line") or line)


def _locate(finding: Finding, chunk: Chunk) -> Finding:
    extra = chunk.location_for(finding.location.get("line"))
    if not extra:
        return finding
    return dataclasses.replace(finding, location={**finding.location, **extra})
