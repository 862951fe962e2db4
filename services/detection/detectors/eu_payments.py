"""Keys of the payment and accounting services Dutch companies use: Mollie, Adyen, bunq, Exact Online."""

from __future__ import annotations

from services.detection import ocr
from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

MOLLIE = lazy_regex(r"(?<![\w])(?P<value>(?:live|test)_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{40})(?![\w])")
ADYEN = lazy_regex(r"(?<![\w+/])(?P<value>AQE[A-Za-z0-9+/_=.-]{60,})(?![\w+/=])")
# bunq and Exact Online keys have no prefix: a name that says whose key it is must be next to them
BUNQ = lazy_regex(r"(?i)bunq[\w.-]{0,30}[\"']?\s*[:=]{1,2}\s*[\"']?(?P<value>[a-f0-9]{64})(?![\w])")
EXACT = lazy_regex(r"(?i)exact[\w.-]{0,20}(?:client[_-]?)?secret[\w.-]{0,10}[\"']?\s*[:=]{1,2}\s*[\"']?"
                   r"(?P<value>[A-Za-z0-9!#$%&*+=?@^_~-]{10,64})(?![\w])")


def generated(value: str) -> bool:
    """Contains letters and digits: placeholder words are not keys."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


DETECTORS = (
    Detector("secret.mollie_key", MOLLIE, keywords=("live_", "test_", "access_"), validate=generated,
             context=("mollie",), check="Mollie key prefix and length", confidence=0.85,
             context_confidence=0.97, name="mollie_key"),
    Detector("secret.adyen_key", ADYEN, keywords=("aqe",), validate=generated, context=("adyen",),
             check="Adyen API key prefix", confidence=0.85, context_confidence=0.97, name="adyen_key"),
    Detector("secret.bunq_key", BUNQ, keywords=("bunq",), check="64-hex key assigned to a bunq name",
             confidence=0.9, name="bunq_key"),
    Detector("secret.exact_online", EXACT, keywords=("exact",), validate=generated,
             check="secret assigned to an Exact Online name", confidence=0.85, name="exact_online_secret"),
)


# as read by OCR: a space for an underscore of the name, and spaces and misread letters in the hex
# key (the name anchors it, so any letter may stand in for a few of its 64 characters)
OCR_BUNQ = lazy_regex(r"(?i)bunq(?:[\w.-]| (?=[\w.-])){0,30}[\"']?\s*[:=]{1,2}\s*[\"']?"
                      rf"(?P<value>{ocr.spaced(ocr.ALNUM, 64, 64)})")


def _ocr_bunq(value: str) -> bool:
    return ocr.length_within(value, 64, 64) and ocr.mostly(value, ocr.HEX, 0.95)


OCR_DETECTORS = (
    *(ocr.tolerant("secret.mollie_key", ocr.fuzzy(prefix), prefix, ocr.ALNUM, length, length,
                   before=r"(?<![\w])", extra=generated, context=("mollie",),
                   check="Mollie key prefix and length",
                   confidence=0.8, context_confidence=0.85, name="mollie_key")
      for prefix, length in (("live_", 30), ("test_", 30), ("access_", 40))),
    ocr.tolerant("secret.adyen_key", "AQE", "AQE", ocr.BASE64 + "_=.-", 60, 200, before=r"(?<![\w+/])",
                 extra=generated, context=("adyen",), check="Adyen API key prefix", confidence=0.8,
                 context_confidence=0.85, name="adyen_key"),
    Detector("secret.bunq_key", OCR_BUNQ, keywords=("bunq",), validate=_ocr_bunq, repair=ocr.hex_folded,
             check="64-hex key assigned to a bunq name, as read by OCR", confidence=0.85,
             name="bunq_key_ocr", ocr=True, priority=1),
)
