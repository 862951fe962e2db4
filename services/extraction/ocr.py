"""Optical character recognition: tesseract (eng+nld) on images and on PDF pages rendered by pdftoppm.

Before tesseract reads a page, the page is rescaled so its text lines are about TARGET_LINE_PX
high (measured from the page's ink profile, no extra OCR pass). On the rendered corpus pages
(40 px text) tesseract dropped underscores and split random keys (EXACT_CLIENT_SECRET came out as
three words); at 20 px lines finding recall went from 0.661 to 0.736 and precision from 0.912 to
0.927 (bench/detection_quality.py --formats, png). A 17 px target read more keys (0.768) but lost
personal data on two pages, so 20 it is. Small text is enlarged up to MAX_SCALE. Typographic
quotes in what tesseract reads are folded to ASCII ones, which is what code and configuration hold.

tesseract runs with page segmentation mode 6 (one uniform block of text, TESSERACT_CONFIG). The
default, 3 (automatic layout), split long lines of keys into columns and dropped pieces of them:
on the png pages psm 6 raised recall from 0.736 to 0.778 (precision 0.927 to 0.929) and lost no
personal data; psm 4 gave 0.748. With psm 6 the 20 px target still reads best (24 px: 0.768,
30 px: 0.746, 60 px: 0.681; 17 px: 0.792 but two national ids and an e-mail address lost).
Turning tesseract's dictionaries off (load_system_dawg=0, load_freq_dawg=0 and the punctuation,
number and bigram dawgs) or setting preserve_interword_spaces=1 changed not one character on the
44 pages, so neither is set. The price of psm 6: a page laid out in columns is read line by line
across them. What OCR still gets wrong in keys (look-alike characters, inserted spaces) the
detection engine allows for on text marked as OCR'd (services/detection/ocr.py).
"""

from __future__ import annotations

import logging
import math
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image

from services.extraction.base import ErrorKind, ExtractionError, ExtractOptions

logger = logging.getLogger(__name__)

PDFTOPPM = "pdftoppm"
MAX_RENDER_PIXELS = 60_000_000  # an A4 page at 300 dpi is 8.7 M; a poster-sized page is scaled down
MIN_DPI = 30
TARGET_LINE_PX = 20  # inked height of a text line (ascender to descender) tesseract reads best
TESSERACT_CONFIG = "--psm 6"  # one uniform block of text: psm 3 split long lines into columns
MIN_SCALE, MAX_SCALE = 0.4, 3.0  # never shrink text to illegible, never blow a page up past 3x
KEEP_BAND = (0.8, 1.25)  # scale factors this close to 1 are not worth a resample
MIN_LINE_PX = 4  # inked row runs shorter than this are rules, dots or noise, not text lines
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})


def ocr_image(image: Image.Image, options: ExtractOptions, *, what: str) -> str:
    """Text tesseract reads in `image`; `what` names the file and page for error messages."""
    try:
        text: str = pytesseract.image_to_string(
            normalised(image), lang=options.ocr_languages, config=TESSERACT_CONFIG,
            timeout=options.ocr_timeout_s,
        )
    except pytesseract.TesseractNotFoundError:
        raise ExtractionError(ErrorKind.OCR, f"{what}: tesseract is not installed") from None
    except pytesseract.TesseractError as error:
        raise ExtractionError(ErrorKind.OCR, f"{what}: tesseract failed (status {error.status})") from None
    except RuntimeError:  # pytesseract's timeout
        raise ExtractionError(
            ErrorKind.OCR, f"{what}: OCR took longer than {options.ocr_timeout_s:g}s"
        ) from None
    return plain_quotes(text)


def plain_quotes(text: str) -> str:
    """`text` with typographic single and double quotes replaced by ASCII ones."""
    return text.translate(_QUOTES)


def normalised(image: Image.Image) -> Image.Image:
    """The page in greyscale, rescaled so its text lines are about TARGET_LINE_PX high."""
    grey = image.convert("L")
    height = line_height(grey)
    if height is None:
        return grey
    scale = min(MAX_SCALE, max(MIN_SCALE, TARGET_LINE_PX / height))
    # a photo of 60+ megapixels with small text would otherwise be blown up to half a gigapixel
    scale = min(scale, math.sqrt(MAX_RENDER_PIXELS / max(grey.width * grey.height, 1)))
    if KEEP_BAND[0] <= scale <= KEEP_BAND[1]:
        return grey
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    logger.debug("ocr: text lines %.0f px high, page rescaled by %.2f", height, scale)
    return grey.resize(size, Image.Resampling.LANCZOS)


def line_height(grey: Image.Image) -> float | None:
    """Median height in pixels of the runs of inked rows (the text lines) of a greyscale page."""
    ink = grey.point(lambda value: 255 if value < 128 else 0)  # dark pixels become ink
    profile = ink.resize((1, grey.height), Image.Resampling.BOX).tobytes()  # mean ink of each row
    runs: list[int] = []
    run = 0
    for value in profile:
        if value > 0:
            run += 1
            continue
        if run >= MIN_LINE_PX:
            runs.append(run)
        run = 0
    if run >= MIN_LINE_PX:
        runs.append(run)
    return float(statistics.median(runs)) if runs else None


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


@dataclass(frozen=True)
class OcrWord:
    """One word tesseract read, with its box (left, top, width, height) in the original image's pixels."""

    text: str
    box: tuple[int, int, int, int]
    start: int  # first character of the word within its line's text


@dataclass(frozen=True)
class OcrLine:
    """One line of text tesseract read: the words joined by single spaces, and each word's box."""

    text: str
    words: tuple[OcrWord, ...]

    def box_of(self, start: int, end: int) -> tuple[int, int, int, int] | None:
        """The box around the words that characters [start, end) of the line fall in."""
        boxes = [w.box for w in self.words if w.start < end and w.start + len(w.text) > start]
        return union_box(boxes) if boxes else None


def union_box(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    """The smallest (left, top, width, height) box holding every box of `boxes`."""
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def ocr_lines(image: Image.Image, options: ExtractOptions, *, what: str) -> list[OcrLine]:
    """The lines tesseract reads in `image`, each word with its box: the same reading as `ocr_image`
    (normalised page, TESSERACT_CONFIG), for callers that must say where on the picture a value is."""
    page = normalised(image)
    scale = page.width / max(image.width, 1)
    try:
        data = pytesseract.image_to_data(page, lang=options.ocr_languages, config=TESSERACT_CONFIG,
                                         timeout=options.ocr_timeout_s, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise ExtractionError(ErrorKind.OCR, f"{what}: tesseract is not installed") from None
    except pytesseract.TesseractError as error:
        raise ExtractionError(ErrorKind.OCR, f"{what}: tesseract failed (status {error.status})") from None
    except RuntimeError:  # pytesseract's timeout
        raise ExtractionError(
            ErrorKind.OCR, f"{what}: OCR took longer than {options.ocr_timeout_s:g}s"
        ) from None
    return _lines_of(data, scale)


def _lines_of(data: dict[str, list[Any]], scale: float) -> list[OcrLine]:
    grouped: dict[tuple[int, int, int], list[tuple[str, tuple[int, int, int, int]]]] = {}
    for index, raw in enumerate(data["text"]):
        word = plain_quotes(str(raw)).strip()
        if not word:
            continue
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        box = tuple(round(data[name][index] / scale) for name in ("left", "top", "width", "height"))
        grouped.setdefault(key, []).append((word, box))
    lines = []
    for words in grouped.values():
        placed, offset = [], 0
        for word, box in words:
            placed.append(OcrWord(word, box, offset))
            offset += len(word) + 1
        lines.append(OcrLine(" ".join(word for word, _ in words), tuple(placed)))
    return lines
