"""Keys of the payment and accounting services Dutch companies use: Mollie, Adyen, bunq, Exact Online and
AFAS."""

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

# Exact Online's SDKs and samples name the app's secret plainly (`ClientSecret`, `client_secret`); the file
# says whose it is by naming the SDK or the service (`using ExactOnline.Client.Sdk`, `exact_online:`), so
# a client secret with an Exact Online name within EXACT_REACH is Exact's
EXACT_CLIENT_SECRET = lazy_regex(r"(?i)(?<![\w.-])client[_.-]?secret[\"'\]]{0,2}[ \t]*(?:=>|:=|=|:)[ \t]*"
                                 r"[\"']?(?P<value>[A-Za-z0-9!#$%&*+=?@^_~-]{12,64})(?![\w])")
EXACT_REACH = 1500  # characters each side: a class or config file's head (its imports) and its constants
EXACT_NAMES = ("exactonline", "exact online", "exact_online", "exact-online")
# AFAS Profit's app-connector token, as AFAS documents it: `<token><version>1</version><data>` and 64
# hexadecimal characters; the Authorization header carries the same XML in base64 (`AfasToken PHRva2Vu…`)
AFAS_TOKEN = lazy_regex(r"<token>[ \t]*<version>\d{1,3}</version>[ \t]*<data>(?P<value>[A-Fa-f0-9]{64})"
                        r"</data>[ \t]*</token>")
AFAS_HEADER_PREFIX = "PHRva2VuPjx2ZXJzaW9uPj"  # base64 of "<token><version>"
AFAS_BASE64 = lazy_regex(rf"(?<![\w+/])(?P<value>{AFAS_HEADER_PREFIX}[A-Za-z0-9+/]{{100,160}}={{0,2}})"
                         r"(?![\w+/=])")


def afas_header_token(value: str) -> bool:
    """The base64 decodes to AFAS's token XML with 64 random hexadecimal characters of data."""
    import base64  # rare: only where the prefix occurs
    import binascii

    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    found = AFAS_TOKEN.fullmatch(decoded)
    return found is not None and randomness.looks_random(found.group("value"))


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
    Detector("secret.exact_online", EXACT_CLIENT_SECRET, keywords=("client",), validate=exact_secret,
             context=EXACT_NAMES, needs_context=True, window=EXACT_REACH, priority=5,
             prefilter=r"(?i)client[_.-]?secret", vendor="Exact Online",
             check="client secret in a file that names Exact Online", confidence=0.85,
             context_confidence=0.85, name="exact_online_client_secret"),
    Detector("secret.generic", AFAS_TOKEN, keywords=("<token>",), validate=randomness.looks_random,
             check="AFAS Profit token (<token><version>…<data> and 64 hex)", confidence=0.9,
             name="afas_profit_token", vendor="AFAS", severity=Severity.HIGH),
    Detector("secret.generic", AFAS_BASE64,
             keywords=(AFAS_HEADER_PREFIX.lower(),), prefilter=AFAS_HEADER_PREFIX, validate=afas_header_token,
             check="AFAS Profit token in base64 (the AfasToken header)", confidence=0.9,
             name="afas_profit_token_base64", vendor="AFAS", severity=Severity.HIGH),
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
