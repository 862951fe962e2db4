"""IBAN of every EU/EEA country: ISO 13616 mod-97 and country format checked by python-stdnum."""

from __future__ import annotations

import re

from stdnum import iban

from services.detection.detector import Detector

TYPE = "pii.iban"
# two letters, two check digits, then 10-30 alphanumerics, optionally in groups of four
PATTERN = re.compile(r"(?P<value>[A-Z](?<![\w][A-Z])[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)"
                     r"(?![\w])")
CONTEXT = ("iban", "rekening", "rekeningnummer", "bank", "account", "betaal", "konto")


def validate(value: str) -> bool:
    """mod-97 checksum and the country's BBAN format."""
    return iban.is_valid(value)


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate, check="ISO 13616 mod-97 checksum passed",
             confidence=0.9, context_confidence=0.99, name="iban"),
)
