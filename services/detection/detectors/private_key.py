"""PEM and OpenSSH private key blocks (also inside JSON strings with escaped newlines)."""

from __future__ import annotations

from services.detection import ocr
from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "secret.private_key"
PATTERN = lazy_regex(
    r"(?P<value>-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
    r"(?:(?!-----(?:END|BEGIN))[\s\S]){0,8000}?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|(?=\"|$)))"
)
_BODY = lazy_regex(r"[A-Za-z0-9+/=]{32,}")


def validate(value: str) -> bool:
    """Has a line of key material: a header quoted in documentation alone is not a key."""
    return _BODY.search(value) is not None


DETECTORS = (
    Detector(TYPE, PATTERN, keywords=("private key-----",), validate=validate,
             check="private key header with base64 key material", confidence=0.97, name="private_key"),
)

# as read by OCR: the runs of five dashes come out shorter or longer (or with an en or em dash in
# them), spaces split the base64 lines, and a misread letter in the END line ("KEVY") must not hide
# the key above it
_DASH = "-\u2013\u2014"
_DASHES = rf"[{_DASH}]{{2,}}"
OCR_PATTERN = lazy_regex(
    rf"(?P<value>{_DASHES} ?BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE ?KEY(?: BLOCK)?"
    rf" ?{_DASHES}"
    rf"(?:(?!{_DASHES} ?(?:END|BEGIN))[\s\S]){{0,8000}}?"
    rf"(?:{_DASHES} ?END[^{_DASH}\n\"']{{0,40}}{_DASHES}|(?=[\"']|$)))"
)


def ocr_validate(value: str) -> bool:
    """Has a line of key material once the spaces tesseract inserted are taken out."""
    return validate(ocr.joined(value))


OCR_DETECTORS = (
    Detector(TYPE, OCR_PATTERN, keywords=("begin",), validate=ocr_validate,
             check="private key header with base64 key material, as read by OCR", confidence=0.85,
             name="private_key_ocr", ocr=True, priority=1),
)
