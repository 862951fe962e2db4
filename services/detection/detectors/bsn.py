"""Dutch citizen service number (BSN): nine digits passing the 11-proof (python-stdnum).

One random nine-digit number in eleven passes the 11-proof, so in data tables, font metrics and
generated code thousands do by chance. The checksum alone is therefore a note: a BSN word nearby,
in structured files a BSN column, or a document about a person (a page around it with the
words of a Dutch personal record: a date of birth, a patient, "de heer") makes it an alert.
"""

from __future__ import annotations

import re

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "pii.bsn"
# the boundary look-behind sits after the first digit so `re` can skip ahead to digits (2x faster)
PATTERN = lazy_regex(r"(?P<value>\d(?<![\w.,/-]\d)(?:\d{3}\.?\d{2}\.?\d{3}|\d{2}[ .]\d{3}[ .]\d{3}))"
                     r"(?![\w/]|[.,-]\d)")
CONTEXT = ("bsn", "burgerservicenummer", "burgerservice", "sofinummer", "sofi-nummer", "sofinr", "sofi nr",
           "citizen service number", "citizen service", "persoonsnummer", "persoonsgebonden nummer",
           "social security", "service number")
# words of records about a particular person (letters, files, forms), not of code or data tables;
# they hold for any document of that kind, which is why they may stand a page away from the number
DOCUMENT_CONTEXT = ("geboortedatum", "geboren op", "geboorteplaats", "date of birth", "burgerservicenummer",
                    "bsn", "sofinummer", "patiënt", "cliënt", "verzekerde", "werknemer", "mevrouw", "de heer",
                    "dhr.", "mevr.", "personeelsdossier", "loonstrook", "salarisstrook", "identiteitsbewijs",
                    "paspoort", "rijbewijs")


def validate(value: str) -> bool:
    """11-proof of the digits; all-equal digits (000000000) are not a BSN anyone was issued."""
    from stdnum.nl import bsn  # python-stdnum loads on the first candidate, not at start-up

    digits = re.sub(r"\D", "", value)
    return len(set(digits)) > 1 and bsn.is_valid(digits)


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate, check="11-proof (elfproef) passed",
             confidence=0.7, context_confidence=0.98, name="bsn", checksum_only=True,
             document_context=DOCUMENT_CONTEXT),
)
