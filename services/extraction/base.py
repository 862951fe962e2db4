"""What every extractor yields and raises: located chunks of text, and one named per-file error."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from utils.errors import DataGuardianError

MAX_CHUNK_LINES = 500  # lines handed to the detector at once: bounded memory, few calls
MAX_LINE_CHARS = 64 * 1024  # a longer line (minified JSON) is cut into pieces of this size
MAX_CHUNK_CHARS = 1024 * 1024  # and a chunk of long lines is closed early at this size
# binary formats (zip packages, PDF, Outlook's OLE) that extract_file reads into text: what a reader of
# plain text files (the code scanner) hands to extraction instead of skipping it as binary content
BINARY_DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods",
                                      ".odp", ".msg"})
PDF_MAGIC = b"%PDF-"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")  # read by OCR


class ErrorKind(enum.StrEnum):
    """Why a file could not be (fully) read; the `kind` of a result's error entry."""

    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    UNSAFE = "unsafe"
    DECODING = "decoding"
    OCR = "ocr"


class ExtractionError(DataGuardianError):
    """One file cannot be read; the scan records it in `errors` and goes on with the next file."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Chunk:
    """Text from one place in a file.

    Line n of `text` (1-based) is line `line_offset + n` of its page (or file). When
    `line_extras` is given, its entry n-1 is merged into the location of a finding on line n
    (cell coordinates, table rows, e-mail headers). `ocr` marks text read from pixels by tesseract,
    which the detection engine searches allowing for OCR's misreadings as well.
    """

    text: str
    page: int | None = None
    line_offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    line_extras: tuple[dict[str, Any], ...] = ()
    ocr: bool = False

    def location_for(self, line: int | None) -> dict[str, Any]:
        """Extra location keys for a finding on absolute line `line` of this chunk."""
        location = dict(self.extra)
        if self.line_extras and line is not None:
            index = line - self.line_offset - 1
            if 0 <= index < len(self.line_extras):
                location.update(self.line_extras[index])
        return location


@dataclass
class ExtractOptions:
    """Per-scan knobs of the extractors."""

    max_file_bytes: int = 100 * 1024 * 1024
    ocr: bool = True
    ocr_languages: str = "eng+nld"
    ocr_dpi: int = 300  # tesseract reads 10 pt text reliably from 300 dpi on
    ocr_timeout_s: float = 60.0
    max_pages: int = 2000
    max_cells: int = 1_000_000
    min_page_chars: int = 20  # a PDF page with less text than this is treated as scanned
    warnings: list[tuple[ErrorKind, str]] = field(default_factory=list)

    def warn(self, kind: ErrorKind, message: str) -> None:
        """Record a problem that did not stop this file (it becomes an entry in `errors`)."""
        self.warnings.append((kind, message))


Extractor = Callable[[Path, ExtractOptions], Iterator[Chunk]]


def one_line(text: str) -> str:
    """`text` with its line breaks turned into spaces, so one cell or paragraph is one line."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def chunk_rows(
    rows: Iterable[tuple[str, dict[str, Any]]],
    *,
    page: int | None = None,
    extra: dict[str, Any] | None = None,
    size: int = MAX_CHUNK_LINES,
) -> Iterator[Chunk]:
    """Group (line text, line location) pairs into chunks whose lines carry their own location."""
    lines: list[str] = []
    extras: list[dict[str, Any]] = []
    offset = chars = 0
    for text, location in rows:
        lines.append(one_line(text))
        extras.append(location)
        chars += len(lines[-1])
        if len(lines) >= size or chars >= MAX_CHUNK_CHARS:
            yield Chunk("\n".join(lines), page, offset, dict(extra or {}), tuple(extras))
            offset += len(lines)
            lines, extras, chars = [], [], 0
    if lines:
        yield Chunk("\n".join(lines), page, offset, dict(extra or {}), tuple(extras))


def chunk_lines(
    lines: Iterable[str],
    *,
    page: int | None = None,
    extra: dict[str, Any] | None = None,
    size: int = MAX_CHUNK_LINES,
    ocr: bool = False,
) -> Iterator[Chunk]:
    """Group consecutive lines (line 1 first) into chunks with the right line offsets."""
    batch: list[str] = []
    offset = chars = 0
    for line in lines:
        batch.append(line)
        chars += len(line)
        if len(batch) >= size or chars >= MAX_CHUNK_CHARS:
            yield Chunk("\n".join(batch), page, offset, dict(extra or {}), ocr=ocr)
            offset += len(batch)
            batch, chars = [], 0
    if batch:
        yield Chunk("\n".join(batch), page, offset, dict(extra or {}), ocr=ocr)


def check_zip_package(path: Path) -> None:
    """Refuse (UNSAFE) an office or OpenDocument package that would expand like an archive bomb.

    Such a package is a zip archive, and its parsers read whole parts into memory, so it is held to the
    limits of uploaded archives (services.inputs.archives.ArchiveLimits: members, bytes per member and
    in all, compression ratio). The declared sizes are what is checked, and they suffice: Python's
    zipfile never yields more bytes than a member declares (a lying header gives a CRC error). A file
    that is not a zip at all is left to its parser, which names it corrupt.
    """
    import zipfile

    from services.inputs.archives import ArchiveLimits

    limits = ArchiveLimits()
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > limits.max_members:
        raise ExtractionError(ErrorKind.UNSAFE, f"{path.name}: more than {limits.max_members} parts")
    for member in members:
        if member.file_size > limits.max_file_bytes or (
                member.file_size > limits.ratio_floor_bytes
                and member.file_size > limits.max_ratio * max(member.compress_size, 1)):
            raise ExtractionError(ErrorKind.UNSAFE, f"{path.name}: a part expands {member.file_size} bytes "
                                                    f"from {member.compress_size} (archive bomb)")
    if sum(member.file_size for member in members) > limits.max_total_bytes:
        raise ExtractionError(ErrorKind.UNSAFE, f"{path.name}: expands beyond {limits.max_total_bytes} "
                                                "bytes (archive bomb)")
