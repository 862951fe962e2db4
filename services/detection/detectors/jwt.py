"""JSON Web Tokens whose header decodes to JSON naming an algorithm."""

from __future__ import annotations

import base64
import binascii
import itertools
import json

from services.detection import ocr
from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "secret.jwt"
PATTERN = lazy_regex(r"(?<![\w-])(?P<value>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})"
                     r"(?![\w-])")


def validate(value: str) -> bool:
    """The first segment is base64url JSON with an `alg`."""
    header = value.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (binascii.Error, ValueError):
        return False
    return isinstance(decoded, dict) and "alg" in decoded


DETECTORS = (
    Detector(TYPE, PATTERN, keywords=("eyj",), validate=validate, check="JWT header decodes with an alg",
             confidence=0.9, name="jwt"),
)


# as read by OCR: the J of "eyJ" comes out ) } ] or |, and spaces split the long segments; what makes
# a JWT recognisable is that its header and payload both start with eyJ (base64 of '{"')
_EYJ = ocr.fuzzy("eyJ")
_CHAR = ocr.char_class(ocr.URLSAFE)
_SEGMENT = rf"{_CHAR}(?:{_CHAR}| (?={_CHAR}))"
OCR_PATTERN = lazy_regex(rf"(?<![\w-])(?P<value>{_EYJ}{_SEGMENT}{{6,}} ?\. ?{_EYJ}{_SEGMENT}{{6,}} ?\. ?"
                         rf"{ocr.spaced(ocr.URLSAFE, 16, 700)})")
_BASE64URL = frozenset(ocr.URLSAFE)
# the printed characters a read character may stand for (CONFUSABLE the other way round)
_CONFUSED_WITH = {read: "".join(printed for printed, reads in ocr.CONFUSABLE.items() if read in reads)
                  for read in set("".join(ocr.CONFUSABLE.values()))}


def _printable_reading(quantum: str) -> bytes | None:
    """The decoding of four base64url characters, resolving look-alikes, that is printable ASCII."""
    choices = [[c for c in ocr.CONFUSABLE.get(char, char) + _CONFUSED_WITH.get(char, "") if c in _BASE64URL]
               for char in quantum]
    by_changes = sorted(itertools.product(*choices),
                        key=lambda c: sum(a != b for a, b in zip(c, quantum, strict=True)))
    for candidate in by_changes:
        decoded = base64.urlsafe_b64decode("".join(candidate))
        if all(0x20 <= byte < 0x7F for byte in decoded):
            return decoded
    return None


def ocr_validate(value: str) -> bool:
    """Header and payload read as eyJ, and the header's first eight characters decode to '{"' and text."""
    header = value.split(".", 1)[0]
    if len(header) < 8:
        return False
    first, second = (_printable_reading(header[i:i + 4]) for i in (0, 4))
    return first is not None and first.startswith(b'{"') and second is not None


def _ocr_repair(value: str) -> str:
    parts = ocr.joined(value).split(".")
    return ".".join("eyJ" + part[3:] if index < 2 else part for index, part in enumerate(parts))


OCR_DETECTORS = (
    Detector(TYPE, OCR_PATTERN, validate=ocr_validate, repair=_ocr_repair,
             check="JWT header and payload start eyJ and the header decodes to JSON text, as read by OCR",
             confidence=0.85, name="jwt_ocr", ocr=True, priority=1),
)
