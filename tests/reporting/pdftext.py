"""Reading generated PDFs back with pypdf, for assertions on what a reader sees."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, whitespace collapsed so wrapped lines compare as one."""
    reader = PdfReader(str(path))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def pdf_text(path: Path) -> str:
    """Text of the whole document plus its metadata, whitespace collapsed."""
    reader = PdfReader(str(path))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    return " ".join([*pdf_pages(path), metadata])
