"""The image scanner's request options, each checked and bounded (a request may lower a limit, never
raise it past the installation's setting)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.detection.types import TYPES
from utils.config import get_settings
from utils.errors import InvalidRequestError

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024  # a 100-page 300 dpi TIFF; a photo is a few MB
DEFAULT_MAX_FILES = 10_000
MAX_ARCHIVE_DEPTH = 5  # deeper nesting is a bomb technique, not a filing system
DEFAULT_ARCHIVE_DEPTH = 2
KIND_CATEGORIES = ("pii", "secret", "special", "image")  # what an image scan can report
_LANGUAGES = re.compile(r"^[a-z_]{3,8}(\+[a-z_]{3,8}){0,4}$")


@dataclass(frozen=True)
class ImageOptions:
    """Validated options of one image scan."""

    ocr: bool = True
    ocr_languages: str = "eng+nld"
    faces: bool = True
    redact: bool = False
    max_files: int = DEFAULT_MAX_FILES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_frames: int = 0  # 0: the installation's DG_IMAGE_MAX_FRAMES
    max_pixels: int = 0  # 0: the installation's DG_IMAGE_MAX_PIXELS
    archive_depth: int = DEFAULT_ARCHIVE_DEPTH
    kinds: tuple[str, ...] | None = None

    @classmethod
    def from_request(cls, raw: object) -> ImageOptions:
        """Options from the request's `options` mapping; InvalidRequestError names a bad one."""
        settings = get_settings()
        defaults = {"max_frames": settings.image_max_frames, "max_pixels": settings.image_max_pixels}
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise InvalidRequestError("image: options must be an object")
        unknown = sorted(set(raw) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise InvalidRequestError(f"image: unknown options: {', '.join(unknown)}")
        checks = _checks(defaults)
        values = {name: checks[name](name, value) for name, value in raw.items()}
        return cls(**{**defaults, **values})

    @property
    def selected(self) -> frozenset[str]:
        """The categories or types to report (all of an image scan's when none were asked for)."""
        return frozenset(self.kinds or KIND_CATEGORIES)


def _checks(limits: dict[str, int]) -> dict[str, Callable[[str, Any], Any]]:
    return {
        "ocr": _boolean, "faces": _boolean, "redact": _boolean, "ocr_languages": _languages,
        "max_files": lambda name, value: _count(name, value, DEFAULT_MAX_FILES),
        "max_file_bytes": lambda name, value: _count(name, value, DEFAULT_MAX_FILE_BYTES),
        "max_frames": lambda name, value: _count(name, value, limits["max_frames"]),
        "max_pixels": lambda name, value: _count(name, value, limits["max_pixels"]),
        "archive_depth": lambda name, value: _count(name, value, MAX_ARCHIVE_DEPTH),
        "kinds": _kinds,
    }


def _count(name: str, value: object, upper: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= upper:
        raise InvalidRequestError(f"image: option {name} must be an integer from 1 to {upper}")
    return value


def _boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequestError(f"image: option {name} must be true or false")
    return value


def _languages(name: str, value: object) -> str:
    if not isinstance(value, str) or not _LANGUAGES.match(value):
        raise InvalidRequestError(f"image: option {name} must look like 'eng+nld'")
    return value


def _kinds(name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise InvalidRequestError(f"image: option {name} must be a non-empty list of categories or types")
    unknown = sorted(k for k in value if k not in KIND_CATEGORIES
                     and (k not in TYPES or k.split(".")[0] not in KIND_CATEGORIES))
    if unknown:
        raise InvalidRequestError(f"image: option {name} may hold {', '.join(KIND_CATEGORIES)} or their "
                                  f"types, not {', '.join(u[:40] for u in unknown[:5])}")
    return tuple(value)

