"""Phone numbers of the Netherlands and other EU/EEA countries, validated by libphonenumber."""

from __future__ import annotations

import re

import phonenumbers

from services.detection.detector import Detector

TYPE = "pii.phone"
# +31 / 0031 international form, or a Dutch national number starting with 0; digits may be grouped
PATTERN = re.compile(
    r"(?<![\w+.,/-])(?P<value>(?:\+|00)[1-9]\d{0,2}[ .-]?(?:\(0\)[ .-]?)?\d(?:[ .-]?\d){6,12}"
    r"|\(?0\d{1,3}\)?[ .-]?\d(?:[ .-]?\d){5,8})(?![\w/]|[.,-]\d)"
)
CONTEXT = ("tel", "telefoon", "phone", "mobiel", "mobile", "gsm", "bel ", "call", "fax", "whatsapp",
           "nummer", "contact")
# EU/EEA regions plus the UK and Switzerland, whose numbers Dutch companies hold just as often
EU_REGIONS = frozenset({"NL", "BE", "DE", "FR", "LU", "AT", "IT", "ES", "PT", "IE", "DK", "SE", "FI", "PL",
                        "CZ", "SK", "HU", "SI", "HR", "RO", "BG", "GR", "CY", "MT", "EE", "LV", "LT",
                        "NO", "IS", "LI", "GB", "CH"})


def validate(value: str) -> bool:
    """A valid number (libphonenumber, default region NL) of an EU/EEA region."""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return False
    return (phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) in EU_REGIONS)


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate,
             check="valid number for its region (libphonenumber)", confidence=0.8,
             context_confidence=0.97, name="phone"),
)
