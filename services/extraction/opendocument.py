"""OpenDocument (odt, and the paragraphs of ods/odp) via odfpy: paragraph n is line n."""

from __future__ import annotations

import logging
import xml.parsers.expat
import xml.sax
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odf import teletype
from odf.namespaces import TEXTNS
from odf.opendocument import load

from services.extraction.base import (
    Chunk,
    ErrorKind,
    ExtractionError,
    ExtractOptions,
    check_zip_package,
    chunk_lines,
)

logger = logging.getLogger(__name__)

_PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
_MANIFEST = "META-INF/manifest.xml"


def extract_odf(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Paragraphs and headings in document order (table cells hold paragraphs too)."""
    check_zip_package(path)
    _check_not_encrypted(path)
    try:
        document = load(str(path))
        lines = [teletype.extractText(node) for node in _paragraphs(document.body)]
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, xml.sax.SAXException,
            xml.parsers.expat.ExpatError) as error:
        raise ExtractionError(
            ErrorKind.CORRUPT, f"{path.name}: unreadable OpenDocument ({type(error).__name__})"
        ) from None
    yield from chunk_lines(" ".join(line.splitlines()) for line in lines)


def _paragraphs(root: Any) -> Iterator[Any]:
    # iterative: a hostile document can nest elements deeper than Python's recursion limit
    stack = [root]
    while stack:
        node = stack.pop()
        if getattr(node, "qname", None) in _PARAGRAPHS:
            yield node
            continue
        stack.extend(reversed(getattr(node, "childNodes", [])))


def _check_not_encrypted(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            manifest = package.read(_MANIFEST) if _MANIFEST in package.namelist() else b""
    except (zipfile.BadZipFile, OSError) as error:
        raise ExtractionError(
            ErrorKind.CORRUPT, f"{path.name}: unreadable OpenDocument ({type(error).__name__})"
        ) from None
    if b"encryption-data" in manifest:
        raise ExtractionError(ErrorKind.ENCRYPTED, f"{path.name}: OpenDocument is password-protected")
