"""Keys of the payment and accounting services Dutch companies use: Mollie, Adyen, bunq, Exact Online."""

from __future__ import annotations

from services.detection import ocr, randomness
from services.detection.detector import Detector
from services.detection.detectors.vendor import assigned, in_section
from services.detection.patterns import lazy_regex
from services.results import Severity

MOLLIE = lazy_regex(r"(?<![\w])(?P<value>(?:live|test)_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{40})(?![\w])")
ADYEN = lazy_regex(r"(?<![\w+/])(?P<value>AQE[A-Za-z0-9+/_=.-]{60,})(?![\w+/=])")
# bunq and Exact Online keys have no prefix: a name that says whose key it is must be next to them
BUNQ = lazy_regex(r"(?i)bunq[\w.-]{0,30}[\"']?\s*[:=]{1,2}\s*[\"']?(?P<value>[a-f0-9]{64})(?![\w])")
# Exact Online app secrets (client and webhook) are 12 characters or more; `=>` is PHP's array assignment
EXACT = lazy_regex(r"(?i)exact[\w.-]{0,20}(?:client[_-]?|webhook[_-]?)?secret[\w.-]{0,10}[\"']?\s*"
                   r"(?:=>|[:=]{1,2})\s*[\"']?"
                   r"(?P<value>[A-Za-z0-9!#$%&*+=?@^_~-]{10,64})(?![\w])")
# Adyen's own client-side key (`live_`/`test_` and 32 upper-case letters and digits) goes into the browser
# by design (Adyen's Drop-in docs): a note, never an alert; the name says it is the client key
ADYEN_CLIENT_KEY = lazy_regex(r"(?i)client[_.-]?key[\w.-]{0,10}[\"'\]]{0,2}[ \t]*(?:=>|:=|=|:)[ \t]*[\"']?"
                              r"(?P<value>(?-i:(?:live|test)_[A-Z0-9]{32}))(?![\w])")


def generated(value: str) -> bool:
    """Contains letters and digits: placeholder words are not keys."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def exact_secret(value: str) -> bool:
    """Letters and digits, or both cases of letters, and random for its length (a word is no secret)."""
    mixed = generated(value) or (any(c.isupper() for c in value) and any(c.islower() for c in value))
    return mixed and randomness.looks_random(value)


DETECTORS = (
    Detector("secret.mollie_key", MOLLIE, keywords=("live_", "test_", "access_"), validate=generated,
             context=("mollie",), check="Mollie key prefix and length", confidence=0.85,
             context_confidence=0.97, name="mollie_key"),
    Detector("secret.adyen_key", ADYEN, keywords=("aqe",), validate=generated, context=("adyen",),
             check="Adyen API key prefix", confidence=0.85, context_confidence=0.97, name="adyen_key"),
    Detector("secret.bunq_key", BUNQ, keywords=("bunq",), check="64-hex key assigned to a bunq name",
             confidence=0.9, name="bunq_key"),
    Detector("secret.exact_online", EXACT, keywords=("exact",), validate=exact_secret,
             check="secret assigned to an Exact Online name", confidence=0.85, name="exact_online_secret"),
    # the vendor named by the section the key sits in (`"Bunq": {"ApiKey": …}`, `exact:` then `secret:`)
    in_section("bunq", "bunq_key_section", ("bunq",), r"[a-f0-9]{64}", kind="secret.bunq_key",
               severity=Severity.CRITICAL, confidence=0.9),
    in_section("Exact Online", "exact_online_section",
               ("exactonline", "exact_online", "exact-online", "exact"),
               r"[A-Za-z0-9!#$%&*+=?@^_~-]{12,64}", kind="secret.exact_online", validate=exact_secret),
    # Adyen's HMAC key for webhook signatures: 64 hex (Adyen's Customer Area generates them so)
    assigned("Adyen", "adyen_hmac_key", ("adyen",), r"[A-Fa-f0-9]{64}", kind="secret.adyen_key",
             severity=Severity.CRITICAL),
    in_section("Adyen", "adyen_section_key", ("adyen",), r"[A-Fa-f0-9]{64}|AQE[A-Za-z0-9+/_=.-]{60,}",
               kind="secret.adyen_key", severity=Severity.CRITICAL),
    Detector("secret.adyen_key", ADYEN_CLIENT_KEY, keywords=("live_", "test_"), context=("adyen",),
             needs_context=True, note_context=("client",), window=200, priority=-1,
             prefilter=r"(?i)client[_.-]?key",
             note_reason="Adyen client key: public by design (used in the browser)",
             check="Adyen client key (live_/test_ and 32 characters)", confidence=0.3,
             name="adyen_client_key"),
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
