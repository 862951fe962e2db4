"""Images (a scanned page, a photo of a form): OCR of each frame with tesseract."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from services.extraction.base import Chunk, ErrorKind, ExtractionError, ExtractOptions, chunk_lines
from services.extraction.ocr import ocr_image

logger = logging.getLogger(__name__)


def extract_image(path: Path, options: ExtractOptions) -> Iterator[Chunk]:
    """OCR text of each frame (page) of an image, located by page and line."""
    if not options.ocr:
        return
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice its limit: treat every bomb alike
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                texts = _frame_texts(path, image, options)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ExtractionError(ErrorKind.TOO_LARGE, f"{path.name}: image has too many pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ExtractionError(
                ErrorKind.CORRUPT, f"{path.name}: unreadable image ({type(error).__name__})"
            ) from None
    for page, text in enumerate(texts, start=1):
        yield from chunk_lines(text.splitlines(), page=page if len(texts) > 1 else None, ocr=True)


def _frame_texts(path: Path, image: Image.Image, options: ExtractOptions) -> list[str]:
    texts = []
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        if number > options.max_pages:
            options.warn(ErrorKind.TOO_LARGE, f"{path.name}: only the first {options.max_pages} frames read")
            break
        texts.append(ocr_image(frame.convert("L"), options, what=f"{path.name} frame {number}"))
    return texts
