"""RTF via striprtf: the plain text, line by line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from services.extraction.base import Chunk, ErrorKind, ExtractionError, ExtractOptions, chunk_lines


def extract_rtf(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """Lines of the text an RTF document shows."""
    raw = path.read_bytes()
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: not an RTF document")
    # RTF is 7-bit with \\'xx escapes; latin-1 maps any stray 8-bit byte one to one
    try:
        text = rtf_to_text(raw.decode("latin-1"), errors="replace")
    except (ValueError, IndexError) as error:
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: unreadable RTF ({type(error).__name__})") \
            from None
    yield from chunk_lines(text.splitlines())
