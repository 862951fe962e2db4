"""Optical character recognition: tesseract (eng+nld) on images and on PDF pages rendered by pdftoppm."""

from __future__ import annotations

import logging
import math
import subprocess
import tempfile
from pathlib import Path

import pytesseract
from PIL import Image

from services.extraction.base import ErrorKind, ExtractionError, ExtractOptions

logger = logging.getLogger(__name__)

PDFTOPPM = "pdftoppm"
MAX_RENDER_PIXELS = 60_000_000  # an A4 page at 300 dpi is 8.7 M; a poster-sized page is scaled down
MIN_DPI = 30


def ocr_image(image: Image.Image, options: ExtractOptions, *, what: str) -> str:
    """Text tesseract reads in `image`; `what` names the file and page for error messages."""
    try:
        text: str = pytesseract.image_to_string(
            image, lang=options.ocr_languages, timeout=options.ocr_timeout_s
        )
    except pytesseract.TesseractNotFoundError:
        raise ExtractionError(ErrorKind.OCR, f"{what}: tesseract is not installed") from None
    except pytesseract.TesseractError as error:
        raise ExtractionError(ErrorKind.OCR, f"{what}: tesseract failed (status {error.status})") from None
    except RuntimeError:  # pytesseract's timeout
        raise ExtractionError(
            ErrorKind.OCR, f"{what}: OCR took longer than {options.ocr_timeout_s:g}s"
        ) from None
    return text


def render_dpi(width_pt: float, height_pt: float, options: ExtractOptions) -> int:
    """The OCR resolution, lowered for huge pages so a rendering stays under MAX_RENDER_PIXELS."""
    square_inches = max(width_pt * height_pt, 1.0) / (72.0 * 72.0)
    return max(MIN_DPI, min(options.ocr_dpi, int(math.sqrt(MAX_RENDER_PIXELS / square_inches))))


def ocr_pdf_page(path: Path, page: int, options: ExtractOptions, *, dpi: int | None = None) -> str:
    """Render one PDF page with pdftoppm and read it with tesseract."""
    what = f"{path.name} page {page}"
    with tempfile.TemporaryDirectory(prefix="dg-ocr-") as workdir:
        prefix = Path(workdir) / "page"
        command = [PDFTOPPM, "-f", str(page), "-l", str(page), "-r", str(dpi or options.ocr_dpi), "-gray",
                   "-png", "-singlefile", str(path), str(prefix)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=options.ocr_timeout_s, check=False)
        except FileNotFoundError:
            raise ExtractionError(ErrorKind.OCR, f"{what}: pdftoppm is not installed") from None
        except subprocess.TimeoutExpired:
            raise ExtractionError(ErrorKind.OCR, f"{what}: rendering took too long") from None
        image_path = prefix.with_suffix(".png")
        if done.returncode != 0 or not image_path.exists():
            raise ExtractionError(ErrorKind.OCR, f"{what}: pdftoppm failed (exit {done.returncode})")
        with Image.open(image_path) as image:
            logger.debug("ocr: reading %s (%dx%d)", what, *image.size)
            return ocr_image(image, options, what=what)
