"""Plain text of any encoding (txt, csv, tsv, json, logs, source): streamed line by line."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from services.extraction.base import (
    MAX_LINE_CHARS,
    Chunk,
    ErrorKind,
    ExtractionError,
    ExtractOptions,
    chunk_rows,
)
from services.inputs.files import is_binary, sniff_text_encoding

logger = logging.getLogger(__name__)

# surrogateescape turns each undecodable byte into one lone surrogate we can find and count
_ESCAPED = re.compile("[\udc80-\udcff]+")
_JSON_ESCAPE = re.compile(r'\\(?:u[0-9a-fA-F]{4}|["/\\])')


def extract_text(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Lines of a text file in chunks, decoded with the sniffed encoding."""
    encoding = text_encoding(path)
    rows = ((text, {"line": number}) for number, text in clean_lines(path, encoding, options))
    yield from chunk_rows(rows)


def extract_json(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """JSON read as lines (keeping line numbers), with string escapes of quotes and \\uXXXX undone."""
    encoding = text_encoding(path)
    rows = ((_unescape_json(text), {"line": number})
            for number, text in clean_lines(path, encoding, options))
    yield from chunk_rows(rows)


def _unescape_json(line: str) -> str:
    # a value quoted inside a JSON string (code, a nested document) is seen as written;
    # \n stays as it is so every line keeps its number
    if "\\" not in line:
        return line
    return _JSON_ESCAPE.sub(_json_char, line)


def _json_char(match: re.Match[str]) -> str:
    escape = match.group(0)
    if escape[1] == "u":
        char = chr(int(escape[2:], 16))
        return char if char.isprintable() else escape
    return escape[1]


def text_encoding(path: Path) -> str:
    """The encoding to read `path` with, or ExtractionError when it is not text."""
    if is_binary(path):
        raise ExtractionError(ErrorKind.UNSUPPORTED, f"{path.name}: binary content, not a text format")
    return sniff_text_encoding(path) or "utf-8"


def read_text(path: Path, options: ExtractOptions) -> str:
    """The whole file as text (for formats parsed as a whole, like HTML); bad bytes replaced."""
    lines: list[str] = []
    for number, text in clean_lines(path, text_encoding(path), options):
        if number > len(lines):
            lines.append(text)
        else:
            lines[-1] += text  # the next piece of an over-long line
    return "\n".join(lines)


def clean_lines(path: Path, encoding: str, options: ExtractOptions) -> Iterator[tuple[int, str]]:
    """(line number, text) of a text file; undecodable bytes replaced and reported once."""
    bad_lines = 0
    first_bad = 0
    for number, line in _raw_lines(path, encoding):
        if _ESCAPED.search(line):
            bad_lines += 1
            first_bad = first_bad or number
            line = _ESCAPED.sub("\ufffd", line)
        yield number, line
    if bad_lines:
        options.warn(
            ErrorKind.DECODING,
            f"{path.name}: invalid {encoding} on {bad_lines} line(s), first at line {first_bad}; "
            "undecodable bytes were replaced and the rest was scanned",
        )


def _raw_lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    """(line number, text) without line breaks; a line over MAX_LINE_CHARS comes in pieces."""
    with open(path, "rb") as raw, io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape",
                                                   newline="") as handle:
        number = 1
        pending = ""  # a piece that ended in a lone CR: an old Mac line break, or half of CR CR LF
        while piece := handle.readline(MAX_LINE_CHARS):
            if pending:
                if piece in ("\n", "\r\n"):  # CR CR LF (CRLF written through a text-mode layer): one break,
                    piece, pending = pending + "\n", ""  # as editors, grep and git count it
                else:
                    yield number, pending[:-1]
                    number, pending = number + 1, ""
            if piece.endswith("\n"):
                yield number, piece.rstrip("\r\n")
                number += 1
            elif piece.endswith("\r"):
                pending = piece
            else:
                # cut by the size limit (or the last line without a break): same line goes on
                yield number, piece
        if pending:
            yield number, pending[:-1]
