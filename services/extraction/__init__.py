"""File-format extraction: one module per format family and one table from file suffix to extractor
(dispatch.py).

`extract_file(path, options)` yields `Chunk`s of located text or raises `ExtractionError` naming why the
file cannot be read. The extractors and their libraries (pandas through pytesseract, python-docx,
extract-msg, pypdf: ~2 s of imports) load on the first `extract_file`/`extractor_for`, not with the
package: the code scanner's structure-aware readers import only `base`, `text` and `tabular`, and a
one-file scan from a pre-commit hook must not pay for OCR.
"""

from __future__ import annotations

from typing import Any

from services.extraction.base import Chunk, ErrorKind, ExtractionError, ExtractOptions, Extractor

__all__ = ["Chunk", "ErrorKind", "ExtractOptions", "ExtractionError", "Extractor", "extract_file",
           "extractor_for"]

_DISPATCH = ("extract_file", "extractor_for")


def __getattr__(name: str) -> Any:
    if name in _DISPATCH:
        from services.extraction import dispatch

        return getattr(dispatch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
