"""Dutch addresses: a postcode (1234 AB) together with a house number, before or after it."""

from __future__ import annotations

import re

from services.detection.detector import Detector

TYPE = "pii.postcode"
_PARTICLES = "van|de|der|den|het|ter|ten|te|op|aan|in|bij|'t"
_POSTCODE = r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}"  # SA, SD and SS are never issued
PATTERN = re.compile(
    # street: a capitalised word, optionally with more capitalised words or Dutch particles
    rf"(?<![\w])(?P<value>[A-ZÀ-Ý][a-zà-ÿ.'-]+(?: (?:[A-ZÀ-Ý][\w.'-]*|{_PARTICLES})){{0,3}} \d{{1,5}}"
    rf"(?: ?[a-zA-Z](?!\w))?"
    rf"(?:[ -]\d{{1,4}})?,? {_POSTCODE}"
    rf"|{_POSTCODE},? (?:huisnummer |nr\.? )?\d{{1,5}}[a-z]?)(?![\w])"
)
CONTEXT = ("adres", "address", "postcode", "woont", "woonachtig", "straat", "lives", "zip")


def validate(value: str) -> bool:
    """The house number is not zero."""
    return re.search(r"(?<!\d)0+(?!\d)", value.replace(" ", "  ")) is None


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate,
             check="postcode format with a house number", confidence=0.85, context_confidence=0.97,
             name="postcode"),
)
