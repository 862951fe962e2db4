"""The table from file suffix (or magic bytes) to extractor, and `extract_file` that follows it.

`extract_file(path, options)` yields `Chunk`s of located text or raises `ExtractionError` naming
why the file cannot be read (corrupt, encrypted, too large, unsupported); the document scanner
hands the chunks to the detection engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from services.extraction.base import (
    IMAGE_SUFFIXES,
    PDF_MAGIC,
    Chunk,
    ErrorKind,
    ExtractionError,
    ExtractOptions,
    Extractor,
)
from services.extraction.email import extract_eml, extract_msg_file
from services.extraction.image import extract_image
from services.extraction.markup import extract_html, extract_xml
from services.extraction.office import extract_docx, extract_pptx, extract_xlsx
from services.extraction.opendocument import extract_odf
from services.extraction.pdf import extract_pdf
from services.extraction.rtf import extract_rtf
from services.extraction.tabular import extract_table
from services.extraction.text import extract_json, extract_text
from services.inputs.files import is_binary, read_sample

TEXT_SUFFIXES = (".txt", ".text", ".log", ".md", ".yaml",
                 ".yml", ".ini", ".cfg", ".conf", ".sql", ".properties", ".vcf", ".ics")


def extract_file(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Located text of one file; ExtractionError when it is too large or cannot be read."""
    size = path.stat().st_size  # stat, not read: a sparse 2 GiB file costs nothing here
    if size > options.max_file_bytes:
        raise ExtractionError(
            ErrorKind.TOO_LARGE, f"{path.name}: {size} bytes, over the limit of {options.max_file_bytes}"
        )
    extractor = extractor_for(path)
    if extractor is None or extractor in (extract_text, extract_table, extract_json):
        extractor = _by_content(path, extractor or extract_text)
    yield from extractor(path, options)


def _by_content(path: Path, text: Extractor = extract_text) -> Extractor:
    """`text`, or a PDF or image whatever the name says (uploads are often misnamed).

    The magic bytes are looked at first: a PDF may hold no NUL byte and no invalid UTF-8 in its first
    kilobytes (ReportLab's and other generators' ASCII headers), so it can pass for text."""
    head = read_sample(path, 16)
    for magic, extractor in MAGIC:
        if head.startswith(magic):
            return extractor
    if not is_binary(path):
        return text
    raise ExtractionError(ErrorKind.UNSUPPORTED, f"{path.name}: unsupported binary format")


def extractor_for(path: Path) -> Extractor | None:
    """The extractor for `path`'s suffix, or None for an unknown one."""
    return EXTRACTORS.get(path.suffix.lower())


EXTRACTORS: dict[str, Extractor] = {
    **dict.fromkeys(TEXT_SUFFIXES, extract_text),
    **dict.fromkeys((".csv", ".tsv"), extract_table),
    **dict.fromkeys((".json", ".jsonl", ".ndjson", ".geojson"), extract_json),
    **dict.fromkeys((".html", ".htm", ".xhtml"), extract_html),
    ".xml": extract_xml,
    ".pdf": extract_pdf,
    **dict.fromkeys((".docx", ".docm"), extract_docx),
    **dict.fromkeys((".xlsx", ".xlsm"), extract_xlsx),
    ".pptx": extract_pptx,
    **dict.fromkeys((".odt", ".ods", ".odp"), extract_odf),
    ".rtf": extract_rtf,
    # attachments go through the same table, so a PDF attached to a mail is read as a PDF
    ".eml": partial(extract_eml, attachments=extract_file),
    ".msg": partial(extract_msg_file, attachments=extract_file),
    **dict.fromkeys(IMAGE_SUFFIXES, extract_image),
}

MAGIC: tuple[tuple[bytes, Extractor], ...] = (
    (PDF_MAGIC, extract_pdf),
    (b"\x89PNG\r\n\x1a\n", extract_image),
    (b"\xff\xd8\xff", extract_image),  # JPEG
    (b"II*\x00", extract_image), (b"MM\x00*", extract_image),  # TIFF
)
