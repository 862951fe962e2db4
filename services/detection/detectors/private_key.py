"""PEM and OpenSSH private key blocks (also inside JSON strings with escaped newlines)."""

from __future__ import annotations

import re

from services.detection.detector import Detector

TYPE = "secret.private_key"
PATTERN = re.compile(
    r"(?P<value>-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
    r"(?:(?!-----END)[\s\S]){0,8000}?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|(?=\"|$)))"
)
_BODY = re.compile(r"[A-Za-z0-9+/=]{32,}")


def validate(value: str) -> bool:
    """Has a line of key material: a header quoted in documentation alone is not a key."""
    return _BODY.search(value) is not None


DETECTORS = (
    Detector(TYPE, PATTERN, keywords=("private key-----",), validate=validate,
             check="private key header with base64 key material", confidence=0.97, name="private_key"),
)
