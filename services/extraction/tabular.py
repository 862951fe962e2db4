"""CSV and TSV: rows parsed by the csv module, each cell unescaped and labelled with its column header.

A row becomes one line at the source line it starts on, written `header: value` cell by cell, so
a JSON blob quoted inside a cell is seen unescaped and a bare number under a `bsn` column carries
its context word. A file the csv module cannot parse is read on as plain lines from where it broke.
"""

from __future__ import annotations

import csv
import itertools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.extraction.base import Chunk, ErrorKind, ExtractOptions, chunk_rows
from services.extraction.text import clean_lines, text_encoding

logger = logging.getLogger(__name__)

DELIMITERS = ",;\t|"
SNIFF_LINES = 20
SNIFF_LINE_CHARS = 2048  # of each of those lines
HEADER_DELIMITER_SHARE = 0.8  # of the sampled rows that must hold the header's delimiter count or more
CELL_SEPARATOR = " ; "  # between cells: not a character any detector reads as part of a value


class NumberedLines:
    """Decoded lines with their breaks back (as csv.reader wants), remembering which it handed out."""

    def __init__(self, lines: Iterator[tuple[int, str]]) -> None:
        self.lines = lines
        self.taken: list[int] = []  # line numbers read since the last row

    def __iter__(self) -> Iterator[str]:
        for number, text in self.lines:
            self.taken.append(number)
            yield text + "\n"

    def row_start(self) -> int:
        """Line number where the row just read began; forgets the lines taken so far."""
        first = self.taken[0] if self.taken else 0
        self.taken.clear()
        return first


def extract_table(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Rows of a CSV/TSV file, one line each, at the source line where the row starts."""
    yield from chunk_rows(_rows(path, options))


def _rows(path: Path, options: ExtractOptions) -> Iterator[tuple[str, dict[str, Any]]]:
    numbered = clean_lines(path, text_encoding(path), options)
    head = list(itertools.islice(numbered, SNIFF_LINES))
    dialect = dialect_for(path, sniff_sample(head))
    lines = NumberedLines(itertools.chain(head, numbered))
    source = iter(lines)
    reader = csv.reader(source, dialect)
    header: list[str] = []
    try:
        for row in reader:
            yield _row_text(row, header), {"line": lines.row_start()}
            header = header or [cell.strip() for cell in row]
    except csv.Error as error:
        options.warn(ErrorKind.CORRUPT, f"{path.name}: malformed CSV near line {lines.row_start()} "
                                        f"({error}); the rest was read as plain lines")
        for line in source:
            yield line.rstrip("\n"), {"line": lines.row_start()}


def sniff_sample(head: list[tuple[int, str]]) -> str:
    """The first lines as csv.Sniffer should see them: each line once (a line past MAX_LINE_CHARS
    comes in pieces of one number) and cut short, so one long free-text cell does not outweigh the
    delimiters of every other line."""
    first_pieces = [text for index, (number, text) in enumerate(head)
                    if not index or head[index - 1][0] != number]
    return "\n".join(text[:SNIFF_LINE_CHARS] for text in first_pieces)


def dialect_for(path: Path, sample: str) -> type[csv.Dialect]:
    """Tab for .tsv; otherwise the delimiter csv.Sniffer sees in `sample` (excel's when it sees none)."""
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        by_header = _header_delimiter(sample)
        if by_header is None:
            return csv.excel
        delimiter = by_header
    # only the delimiter is sniffed: the Sniffer's guesses of quoting are wrong too often

    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    return Sniffed


def _header_delimiter(sample: str) -> str | None:
    """The delimiter the header line uses most (twice or more), where csv.Sniffer sees no consistent one
    because free-text cells hold it unquoted ("notitie: pastoor; zie zorgplan"): kept when nearly every
    line has at least as many of it as the header, so the header's columns are all there."""
    lines = [line for line in sample.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    header = lines[0]
    count, delimiter = max((header.count(d), d) for d in DELIMITERS)
    if count < 2:
        return None
    rows = lines[1:]
    complete = sum(1 for line in rows if line.count(delimiter) >= count)
    return delimiter if complete >= HEADER_DELIMITER_SHARE * len(rows) else None


def _row_text(row: list[str], header: list[str]) -> str:
    if not header:
        return CELL_SEPARATOR.join(row)
    cells = []
    for index, value in enumerate(row):
        name = header[index] if index < len(header) else ""
        cells.append(f"{name}: {value}" if name and value.strip() else value)
    return CELL_SEPARATOR.join(cells)
