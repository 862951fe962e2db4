"""PDF: the text layer of each page (pypdf), and OCR for pages that have none."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from services.extraction.base import Chunk, ErrorKind, ExtractionError, ExtractOptions, chunk_lines
from services.extraction.ocr import ocr_pdf_page, render_dpi

logger = logging.getLogger(__name__)


def extract_pdf(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Text of each page, located by page and line within the page."""
    reader = open_pdf(path)
    pages = reader.pages
    if len(pages) > options.max_pages:
        options.warn(ErrorKind.TOO_LARGE,
                     f"{path.name}: {len(pages)} pages, only the first {options.max_pages} scanned")
    for number in range(1, min(len(pages), options.max_pages) + 1):
        text, read_by_ocr = _page_text(path, pages[number - 1], number, options)
        if text.strip():
            yield from chunk_lines(text.splitlines(), page=number, ocr=read_by_ocr)


def open_pdf(path: Path) -> PdfReader:
    """A reader for `path`, decrypted if it only has an empty user password."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(ErrorKind.ENCRYPTED, f"{path.name}: PDF is password-protected")
        len(reader.pages)  # reading the page tree is where most corrupt files fail
    except (FileNotDecryptedError, DependencyError):
        raise ExtractionError(ErrorKind.ENCRYPTED, f"{path.name}: PDF is password-protected") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, OSError) as error:
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: unreadable PDF ({error})") from None
    return reader


def _page_text(path: Path, page: PageObject, number: int, options: ExtractOptions) -> tuple[str, bool]:
    """The page's text, and whether it was read by OCR."""
    try:
        text = page.extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        options.warn(ErrorKind.CORRUPT, f"{path.name} page {number}: text layer unreadable ({error})")
        text = ""
    if len(text.strip()) >= options.min_page_chars or not options.ocr:
        return text, False
    # no usable text layer: a scanned page, so read the rendered image
    try:
        box = page.mediabox
        read = ocr_pdf_page(path, number, options,
                            dpi=render_dpi(float(box.width), float(box.height), options))
    except ExtractionError as error:
        options.warn(error.kind, str(error))
        return text, False
    # a short text layer (a page number, a stamp) may be all there is: keep the richer reading
    return (read, True) if len(read.strip()) > len(text.strip()) else (text, False)
