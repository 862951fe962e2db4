"""JSON Web Tokens whose header decodes to JSON naming an algorithm."""

from __future__ import annotations

import base64
import binascii
import json
import re

from services.detection.detector import Detector

TYPE = "secret.jwt"
PATTERN = re.compile(r"(?<![\w-])(?P<value>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})"
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
