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


# other EU states' passport and identity-card numbers as their issuers print them (the per-country
# formats the EU's PRADO register and data-classification catalogues describe); only the formats that
# mix letters and digits, since a bare run of eight or nine digits (Czech, Swedish, Bulgarian
# passports) is any number at all. Used for a column named for a document number, never in free text.
EU_DOCUMENT_FORMATS: tuple[tuple[str, str], ...] = (
    ("DE", r"[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}"),  # Reisepass, Personalausweis: 9 of 26 signs
    ("BE", r"[A-Z]{2}\d{6}"),
    ("FR", r"\d{2}[A-Z]{2}\d{5}"),
    ("ES", r"[A-Z]{2,3}\d{6}"),
    ("IT PL GR FI HU IE LV", r"[A-Z]{2}\d{7}"),
    ("AT EE", r"[A-Z]\d{7}"),
    ("PT", r"[A-Z]\d{6}"),
    ("NL", r"[A-NP-Z]{2}[A-NP-Z0-9]{6}\d"),  # the Dutch format without the free-text rule's middle digit
)
_EU_DOCUMENT = lazy_regex("|".join(f"(?:{pattern})" for _, pattern in EU_DOCUMENT_FORMATS))


def eu_document_number(value: str) -> bool:
    """One EU state's passport or identity-card number format, with letters and digits both."""
    text = value.strip().upper().replace(" ", "")
    return (_EU_DOCUMENT.fullmatch(text) is not None and any(c.isdigit() for c in text)
            and any(c.isalpha() for c in text))


def valid_document(value: str) -> bool:
    """Has digits among the six middle characters: all-letter words are not document numbers."""
    return any(c.isdigit() for c in value[2:8])


# In free text another EU state's format counts only beside a word that names a passport or an identity
# card in that state's language (ICAO 9303 machine-readable documents print the number under the
# issuer's own label: Reisepass/Pass-Nr., Passeport, Pasaporte, Passaporto, Paszport, Identiteitskaart);
# `document number` alone is not enough, as invoices and ledgers have document numbers in these shapes.
EU_DOCUMENT_CONTEXT = ("paspoort", "passport", "reisepass", "passnummer", "pass-nr", "passnr", "passeport",
                       "pasaporte", "passaporto", "paszport", "personalausweis", "ausweisnummer",
                       "identiteitskaart", "carte d'identité", "carte d'identite", "identity card",
                       "documento de identidad", "carta d'identità")
EU_DOCUMENT_NUMBER = lazy_regex(
    r"(?<![\w-])(?P<value>" + "|".join(f"(?:{pattern})" for country, pattern in EU_DOCUMENT_FORMATS
                                      if country != "NL") + r")(?![\w]|-\d)")


DETECTORS = (
    Detector(PASSPORT_TYPE, EU_DOCUMENT_NUMBER, context=EU_DOCUMENT_CONTEXT, needs_context=True,
             validate=eu_document_number, check="an EU state's passport or identity-card number format "
             "next to a passport or identity-card word", confidence=0.85, context_confidence=0.9,
             priority=1, name="eu_passport_id"),
    Detector(PASSPORT_TYPE, DOCUMENT_NUMBER, context=DOCUMENT_CONTEXT, needs_context=True,
             validate=valid_document, check="Dutch travel-document number format next to document words",
             confidence=0.9, context_confidence=0.92, name="nl_passport_id"),
    Detector(LICENCE_TYPE, LICENCE_NUMBER, context=LICENCE_CONTEXT, needs_context=True,
             check="ten-digit Dutch licence number next to licence words", confidence=0.9,
             context_confidence=0.92, name="nl_driving_licence"),
)
