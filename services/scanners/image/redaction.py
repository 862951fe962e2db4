"""The redacted copy: faces pixelated and blurred, detected text boxed in black, no metadata at all.

A copy is built from decoded pixels only (a new image, no EXIF, XMP, IPTC, ICC or thumbnail carried
over), so nothing the original says about itself survives. The preview kept in the result (and drawn
in the PDF report) is a small JPEG of the redacted copy, never of the original.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

Box = tuple[int, int, int, int]

FACE_BLOCKS = 6  # a face is reduced to 6 x 6 blocks before blurring: no cascade or person finds it again
FACE_MARGIN = 0.15  # of the face box on each side: the cascade's box leaves out hair, ears and chin
PREVIEW_SIDE = 160  # longer side of the preview in the result and the report
PREVIEW_QUALITY = 60  # JPEG quality of the preview: a few KB each


def redacted(image: Image.Image, faces: Sequence[Box], text: Sequence[Box]) -> Image.Image:
    """A metadata-free RGB copy of `image` with `faces` pixelated and `text` boxes filled black."""
    copy = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    for box in faces:
        _pixelate(copy, _grown(box, copy))
    draw = ImageDraw.Draw(copy)
    for left, top, width, height in text:
        draw.rectangle((left, top, left + width, top + height), fill="black")
    return copy


def _grown(box: Box, image: Image.Image) -> tuple[int, int, int, int]:
    left, top, width, height = box
    dx, dy = round(width * FACE_MARGIN), round(height * FACE_MARGIN)
    return (max(0, left - dx), max(0, top - dy), min(image.width, left + width + dx),
            min(image.height, top + height + dy))


def _pixelate(image: Image.Image, area: tuple[int, int, int, int]) -> None:
    region = image.crop(area)
    small = region.resize((FACE_BLOCKS, FACE_BLOCKS), Image.Resampling.BOX)
    blocky = small.resize(region.size, Image.Resampling.NEAREST)
    image.paste(blocky.filter(ImageFilter.GaussianBlur(max(2, region.width // 12))), area[:2])


def preview(image: Image.Image) -> str:
    """A small JPEG of a redacted picture as a data: URL."""
    small = image.copy()
    small.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=PREVIEW_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def write_copy(image: Image.Image, target_dir: Path, stem: str) -> Path:
    """Write one redacted page or frame as a PNG readable by its owner only; the file.

    One file per page: a multi-page copy would hold every page in memory until it is written."""
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = target_dir / f"{stem}.redacted.png"
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(buffer.getvalue())
    return target


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a written copy, so a download can be checked against the result."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


MAX_PREVIEW_BYTES = 64 * 1024  # a preview is a few KB; anything larger in a result was not made here


def preview_bytes(data_url: object) -> bytes | None:
    """The JPEG bytes of a result's preview, or None when it is not a small JPEG we could have made.

    A result handed to a report or the UI is input: its preview is decoded with bounds, and must be a
    JPEG no larger than PREVIEW_SIDE on each side.
    """
    prefix = "data:image/jpeg;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        return None
    if len(data_url) > len(prefix) + MAX_PREVIEW_BYTES * 4 // 3 + 4:
        return None
    try:
        data = base64.b64decode(data_url[len(prefix):], validate=True)
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG" or max(image.size) > PREVIEW_SIDE:
                return None
    except (ValueError, OSError, SyntaxError, Image.DecompressionBombError):
        return None
    return data
