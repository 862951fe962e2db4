"""Dutch passport, identity-card and driving-licence numbers, recognised next to document words."""

from __future__ import annotations

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

PASSPORT_TYPE = "pii.passport"
LICENCE_TYPE = "pii.drivers_license"
# since 2014: two letters, six letters or digits, one digit; the letter O is never used
DOCUMENT_NUMBER = lazy_regex(r"(?P<value>[A-NP-Z](?<![\w][A-NP-Z])[A-NP-Z][A-NP-Z0-9]{6}\d)(?![\w])")
DOCUMENT_CONTEXT = ("paspoort", "passport", "identiteitskaart", "id-kaart", "idkaart", "id kaart",
                    "identity card", "id card", "id-card", "documentnummer", "document number",
                    "reisdocument", "travel document", "legitimatie")
LICENCE_NUMBER = lazy_regex(r"(?P<value>\d(?<![\w.-]\d)\d{9})(?![\w]|[.,-]\d)")
LICENCE_CONTEXT = ("rijbewijs", "rijbewijsnummer", "driving licence", "driving license", "driver's license",
                   "drivers license", "driver license", "licence number", "license number")


def valid_document(value: str) -> bool:
    """Has digits among the six middle characters: all-letter words are not document numbers."""
    return any(c.isdigit() for c in value[2:8])


DETECTORS = (
    Detector(PASSPORT_TYPE, DOCUMENT_NUMBER, context=DOCUMENT_CONTEXT, needs_context=True,
             validate=valid_document, check="Dutch travel-document number format next to document words",
             confidence=0.9, context_confidence=0.92, name="nl_passport_id"),
    Detector(LICENCE_TYPE, LICENCE_NUMBER, context=LICENCE_CONTEXT, needs_context=True,
             check="ten-digit Dutch licence number next to licence words", confidence=0.9,
             context_confidence=0.92, name="nl_driving_licence"),
)
