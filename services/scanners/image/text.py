"""Text in the pixels: the document scanner's OCR (services/extraction/ocr.py) with word boxes, fed to
the detection engine as OCR'd text, each finding located by its line and the box of its words."""

from __future__ import annotations

import dataclasses
from typing import Any

from PIL import Image

from services.detection import scan_text
from services.extraction.base import ExtractOptions
from services.extraction.ocr import OcrLine, ocr_lines
from services.results import Finding

BOX_MARGIN_PX = 2  # tesseract's boxes hug the ink; a redaction box a little larger covers anti-aliasing


@dataclasses.dataclass(frozen=True)
class TextReading:
    """The findings in one picture's text and the boxes a redacted copy must cover."""

    findings: list[Finding]
    boxes: list[tuple[int, int, int, int]]
    lines: int


def read_text(image: Image.Image, options: ExtractOptions, *, display: str, location: dict[str, Any],
              kinds: frozenset[str]) -> TextReading:
    """OCR `image`, search its text and place every finding on the picture (`location` is merged in)."""
    lines = ocr_lines(image, options, what=display)
    if not lines:
        return TextReading([], [], 0)
    text = "\n".join(line.text for line in lines)
    found = scan_text(text, path=display, ocr=True, kinds=kinds)
    findings, boxes = [], []
    for finding in found:
        box = _box_of(finding, lines)
        placed = {**finding.location, **location}
        if box is not None:
            placed["box"] = list(box)
            boxes.append(_padded(box, image))
        findings.append(dataclasses.replace(finding, location=placed))
    return TextReading(findings, boxes, len(lines))


def _box_of(finding: Finding, lines: list[OcrLine]) -> tuple[int, int, int, int] | None:
    line = finding.location.get("line")
    span = finding.explanation.get("span")
    if not isinstance(line, int) or not 1 <= line <= len(lines):
        return None
    if isinstance(span, list | tuple) and len(span) == 2:
        return lines[line - 1].box_of(int(span[0]), int(span[1]))
    return lines[line - 1].box_of(0, len(lines[line - 1].text))


def _padded(box: tuple[int, int, int, int], image: Image.Image) -> tuple[int, int, int, int]:
    left, top = max(0, box[0] - BOX_MARGIN_PX), max(0, box[1] - BOX_MARGIN_PX)
    right = min(image.width, box[0] + box[2] + BOX_MARGIN_PX)
    bottom = min(image.height, box[1] + box[3] + BOX_MARGIN_PX)
    return left, top, right - left, bottom - top
