"""Opening pictures safely: the format from the bytes, the pixel limit before decoding, frame by frame.

Pillow decides the format from the file's content, never from its name; a name that says otherwise
is noted. The pixel count is read from the header and checked before a single pixel is decoded, so a
small file declaring a 100,000 x 100,000 canvas (a pixel bomb) costs nothing. HEIC/HEIF is read
through pillow-heif, registered as a Pillow opener on first use.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from services.extraction.base import ErrorKind, ExtractionError

# file names we read as pictures; anything else in a folder is skipped (the document scanner reads it)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".tif", ".tiff", ".webp", ".gif", ".bmp",
                  ".dib", ".heic", ".heif")
# the formats Pillow names for those suffixes; another format behind an image name is refused
READ_FORMATS = frozenset({"JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP", "DIB", "HEIF", "MPO"})
_SUFFIX_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG", ".png": "PNG",
                   ".tif": "TIFF", ".tiff": "TIFF", ".webp": "WEBP", ".gif": "GIF", ".bmp": "BMP",
                   ".dib": "DIB", ".heic": "HEIF", ".heif": "HEIF"}
# what Pillow's decoders raise on damaged or hostile files besides their own classes; one such picture
# is recorded as unreadable and the scan goes on
DECODE_FAILURES = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError,
                    TypeError, KeyError, ZeroDivisionError, MemoryError, Image.DecompressionBombError)


@dataclass(frozen=True)
class Frame:
    """One decoded page or frame (RGB) and its 1-based number; `repeat` when it equals an earlier one."""

    number: int
    image: Image.Image
    repeat: bool


def is_image_name(path: Path) -> bool:
    """True when the file's name says it is a picture we read."""
    return path.suffix.lower() in IMAGE_SUFFIXES


@functools.cache
def _register_heif() -> None:
    import pillow_heif  # imported on first use: 40 ms that a JPEG-only scan need not pay

    pillow_heif.register_heif_opener()


@contextmanager
def opened(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    """The picture at `path`, header read and pixel count checked; ExtractionError when it cannot be."""
    _register_heif()
    if path.stat().st_size == 0:
        raise ExtractionError(ErrorKind.CORRUPT, f"{path.name}: empty file (0 bytes)")
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice its limit; our own limit below decides instead
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError:
            raise _too_many_pixels(path, None, max_pixels) from None
        except DECODE_FAILURES as error:
            raise ExtractionError(ErrorKind.UNSUPPORTED if isinstance(error, UnidentifiedImageError)
                                  else ErrorKind.CORRUPT, _unreadable(path, error)) from None
    with image:
        if image.format not in READ_FORMATS:
            raise ExtractionError(ErrorKind.UNSUPPORTED,
                                  f"{path.name}: a {image.format} file, not a picture format we read")
        check_pixels(path, image, max_pixels)
        yield image


def check_pixels(path: Path, image: Image.Image, max_pixels: int) -> None:
    """Refuse a picture (or frame) whose canvas is larger than `max_pixels`, before it is decoded."""
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(path, image, max_pixels)


def _too_many_pixels(path: Path, image: Image.Image | None, max_pixels: int) -> ExtractionError:
    size = f" ({image.width} x {image.height})" if image is not None else ""
    return ExtractionError(ErrorKind.TOO_LARGE, f"{path.name}: image has too many pixels{size}; "
                                                f"the limit is {max_pixels:,} (a decompression bomb?)")


def unreadable(path: Path, error: BaseException) -> ExtractionError:
    """The per-file error of a picture Pillow failed on (its message never quotes the file)."""
    return ExtractionError(ErrorKind.CORRUPT, _unreadable(path, error))


def _unreadable(path: Path, error: BaseException) -> str:
    # the message of a decoder's exception may quote file content: only its type is kept, bar truncation
    if isinstance(error, UnidentifiedImageError):
        return f"{path.name}: not a picture (its content is no image format we read)"
    if isinstance(error, OSError) and "truncated" in str(error):
        return f"{path.name}: image file is truncated"
    return f"{path.name}: unreadable image ({type(error).__name__})"


def name_mismatch(path: Path, image: Image.Image) -> str | None:
    """A note when the file's suffix names another format than its content is, else None."""
    named = _SUFFIX_FORMATS.get(path.suffix.lower())
    actual = "JPEG" if image.format == "MPO" else image.format
    if named is None or named == actual or {named, actual} == {"BMP", "DIB"}:
        return None
    return f"named {path.suffix.lower()} but its content is {actual}; read as {actual}"


def frames(path: Path, image: Image.Image, max_frames: int, max_pixels: int) -> Iterator[Frame]:
    """Decoded RGB frames, at most `max_frames`; identical frames (an animation standing still) marked."""
    seen: set[bytes] = set()
    try:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > max_frames:
                return
            check_pixels(path, frame, max_pixels)
            rgb = frame.convert("RGB")
            digest = hashlib.blake2b(rgb.tobytes(), digest_size=16).digest()
            yield Frame(number, rgb, digest in seen)
            seen.add(digest)
    except ExtractionError:
        raise
    except DECODE_FAILURES as error:
        raise ExtractionError(ErrorKind.CORRUPT, _unreadable(path, error)) from None


def frame_count(image: Image.Image, limit: int) -> int:
    """Frames in the picture, counted no further than `limit` + 1 (a huge animation is not walked:
    Pillow's n_frames reads a GIF to its end)."""
    if not getattr(image, "is_animated", False):
        return 1
    count = 1
    try:
        # frame by frame: a failed seek far ahead leaves Pillow's TIFF n_frames wrong
        while count <= limit:
            image.seek(count)
            count += 1
    except EOFError:
        pass
    except DECODE_FAILURES:
        count = limit + 1  # damaged after the frames we read: reported as more than we read
    finally:
        image.seek(0)
    return count
