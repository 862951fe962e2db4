"""Google Cloud and Azure credentials (AWS has its own module)."""

from __future__ import annotations

import re
import string

from services.detection import ocr
from services.detection.detector import Detector

GCP_SA = re.compile(r"\"private_key_id\"\s*:\s*\"(?P<value>[a-f0-9]{40})\"")
GCP_API_KEY = re.compile(r"(?<![\w-])(?P<value>AIza[0-9A-Za-z_-]{35})(?![\w-])")
AZURE_STORAGE = re.compile(r"(?i)AccountKey\s*=\s*(?P<value>[A-Za-z0-9+/]{86}==)")
# Azure AD client secrets since 2022: three characters, a digit, "Q~", then 31-34 characters
AZURE_CLIENT_SECRET = re.compile(r"(?<![\w~.-])(?P<value>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})"
                                 r"(?![\w~.-])")

DETECTORS = (
    Detector("secret.gcp_service_account", GCP_SA, keywords=("private_key_id",), context=("service_account",),
             check="service-account JSON key id", confidence=0.95, context_confidence=0.99,
             window=400, name="gcp_service_account"),
    Detector("secret.gcp_api_key", GCP_API_KEY, keywords=("aiza",), check="Google API key prefix and length",
             confidence=0.9, name="gcp_api_key"),
    Detector("secret.azure_storage_key", AZURE_STORAGE, keywords=("accountkey",),
             check="Azure storage AccountKey of 88 base64 characters", confidence=0.95,
             name="azure_storage_key"),
    Detector("secret.azure_client_secret", AZURE_CLIENT_SECRET, keywords=("q~",),
             check="Azure AD client-secret format (Q~ marker)", confidence=0.9, name="azure_client_secret"),
)

# as read by OCR: "AIza" comes out "Alza" (I and l are one glyph in many fonts), underscores of the
# JSON name as spaces, a key between its delimiters with spaces tesseract put into it
OCR_GCP_SA = re.compile(rf"\"{ocr.fuzzy('private_key_id')}\"\s*:\s*"
                        rf"\"(?P<value>(?:{ocr.char_class(ocr.HEX)}| ){{36,46}})\"")
OCR_AZURE_STORAGE = re.compile(r"(?i)AccountKey\s*=\s*(?P<value>[^\s;\"'<>]+(?: [^\s;\"'<>]+){0,4})"
                               + ocr.DELIMITER)

_CLIENT_SECRET_CHARS = ocr.ALNUM + "_~.-"
# the tilde of the Q~ marker may come out as one or two hyphens
_MARKER = re.compile(r"(.{4})Q(?:~|-{1,2})")
OCR_AZURE_CLIENT_SECRET = re.compile(
    rf"(?<![\w~.-])(?P<value>[A-Za-z0-9_~.-]{{3}}[{re.escape(ocr.readings(string.digits))}]"
    r" ?Q ?(?:~|-{1,2}) ?"
    rf"{ocr.spaced(_CLIENT_SECRET_CHARS, 31, 34)})")


def _ocr_key_id(value: str) -> bool:
    return ocr.length_within(value, 40, 40) and ocr.mostly(value, ocr.HEX, 0.95)


def _client_secret_repaired(value: str) -> str:
    return _MARKER.sub(r"\1Q~", ocr.joined(value), count=1)


def _ocr_client_secret(value: str) -> bool:
    return ocr.length_within(value[6:], 31, 34) and ocr.mostly(value, _CLIENT_SECRET_CHARS)


def _ocr_storage_key(value: str) -> bool:
    body = value.rstrip("=")
    return ocr.length_within(body, 86, 86) and ocr.mostly(body, ocr.BASE64)


OCR_DETECTORS = (
    Detector("secret.gcp_service_account", OCR_GCP_SA, context=("service",), validate=_ocr_key_id,
             repair=ocr.hex_folded, check="service-account JSON key id, as read by OCR", confidence=0.85,
             window=400, name="gcp_service_account_ocr", ocr=True, priority=1),
    ocr.tolerant("secret.gcp_api_key", ocr.fuzzy("AIza"), "AIza", ocr.URLSAFE, 35, 35,
                 check="Google API key prefix and length", confidence=0.85, name="gcp_api_key"),
    Detector("secret.azure_storage_key", OCR_AZURE_STORAGE, keywords=("accountkey",),
             validate=_ocr_storage_key, repair=ocr.joined,
             check="Azure storage AccountKey of 88 base64 characters, as read by OCR", confidence=0.85,
             name="azure_storage_key_ocr", ocr=True, priority=1),
    Detector("secret.azure_client_secret", OCR_AZURE_CLIENT_SECRET, validate=_ocr_client_secret,
             repair=_client_secret_repaired,
             check="Azure AD client-secret format (Q~ marker), as read by OCR", confidence=0.85,
             name="azure_client_secret_ocr", ocr=True, priority=1),
)
