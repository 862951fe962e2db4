"""Dutch citizen service number (BSN): nine digits passing the 11-proof (python-stdnum).

One random nine-digit number in eleven passes the 11-proof, so in data tables, font metrics and
generated code thousands do by chance. The checksum alone is therefore a note: a BSN word nearby,
in structured files a BSN column, or a document about a person (a page around it with the
words of a Dutch personal record: a date of birth, a patient, "de heer") makes it an alert.

A number its own line labels as another kind of number (`Ons kenmerk: …`, `polisnummer …`,
`Order …`, `reference number is …`) is that number, not a BSN, even on a page about a person or
with "BSN" on the line below: letters, forms and logs name each number they print, and the label
nearest before it is the one that names it (OTHER_NUMBER_LABELS).
"""

from __future__ import annotations

import re

from services.detection.detector import Detector, compile_words
from services.detection.patterns import lazy_regex

TYPE = "pii.bsn"
# the boundary look-behind sits after the first digit so `re` can skip ahead to digits (2x faster)
PATTERN = lazy_regex(r"(?P<value>\d(?<![\w.,/-]\d)(?:\d{3}\.?\d{2}\.?\d{3}|\d{2}[ .]\d{3}[ .]\d{3}))"
                     r"(?![\w/]|[.,-]\d)")
CONTEXT = ("bsn", "burgerservicenummer", "burgerservice", "sofinummer", "sofi-nummer", "sofinr", "sofi nr",
           "citizen service number", "citizen service", "persoonsnummer", "persoonsgebonden nummer",
           "social security", "service number",
           # how HL7 v2 messages and CDA/FHIR documents name a BSN: identifier type NNNLD, assigning
           # authority NLMINBIZA, and the BSN's OID
           "nnnld", "nlminbiza", "2.16.840.1.113883.2.4.6.3")
# words of records about a particular person (letters, files, forms), not of code or data tables;
# they hold for any document of that kind, which is why they may stand a page away from the number
DOCUMENT_CONTEXT = ("geboortedatum", "geboren op", "geboorteplaats", "date of birth", "burgerservicenummer",
                    "bsn", "sofinummer", "patiënt", "cliënt", "verzekerde", "werknemer", "mevrouw", "de heer",
                    "dhr.", "mevr.", "personeelsdossier", "loonstrook", "salarisstrook", "identiteitsbewijs",
                    "paspoort", "rijbewijs")

# the names Dutch and English letters, forms and logs give numbers that identify a case, a file, an
# order, a policy or a claim rather than a person
OTHER_NUMBER_LABELS = (
    "kenmerk", "ons kenmerk", "uw kenmerk", "referentie", "referentienummer", "reference", "ref",
    "zaak", "zaaknummer", "zaak-id", "dossier", "dossiernummer", "dossiernr", "polis", "polisnummer",
    "polisnr", "policy", "policy number", "claim", "claimnummer", "claim number", "schadenummer",
    "schadenr", "order", "ordernummer", "ordernr", "bestelling", "bestelnummer", "factuur",
    "factuurnummer", "factuurnr", "invoice", "klantnummer", "klantnr", "customer number", "relatienummer",
    "debiteurnummer", "contractnummer", "contract", "ticket", "case", "aanvraagnummer", "transactie",
    "transaction", "zending", "shipment", "tracking", "pakket", "serienummer", "serial", "artikelnummer",
    "kvk", "kvk-nummer", "btw", "btw-nummer", "rekeningnummer", "account",
)
_OTHER_LABEL = compile_words(OTHER_NUMBER_LABELS)
_OWN_LABEL = compile_words(CONTEXT)
_LABEL_REACH = 40  # characters before the number on its line where its label stands


_HL7_CODES = ("nnnld", "nlminbiza")
_HL7_SEGMENT = lazy_regex(r"[A-Z][A-Z0-9]{2}\|")
_WORDS_OUTSIDE_HL7 = compile_words(tuple(w for w in CONTEXT if w not in _HL7_CODES))


def _in_hl7_segment(text: str, start: int, end: int) -> bool | None:
    """In an HL7 v2 segment: whether the number's own identifier (CX) names the BSN, or a BSN word
    stands on its segment; None outside HL7. A control id in the MSH line above a PID segment is not
    named by the PID's NNNLD."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _HL7_SEGMENT.match(text, line_start):
        return None
    stops = [i for i in (text.find(c, end) for c in "|~\r\n") if i >= 0]
    own_field = text[end:min(stops) if stops else len(text)].lower()
    return (any(code in own_field for code in _HL7_CODES)
            or _WORDS_OUTSIDE_HL7.search(text, line_start, start) is not None)


def labelled_as_bsn_or_unlabelled(text: str, start: int, end: int) -> bool:
    """False when the nearest label before the number on its own line names another kind of number."""
    hl7 = _in_hl7_segment(text, start, end)
    if hl7 is not None:
        return hl7
    line_start = text.rfind("\n", max(0, start - _LABEL_REACH), start) + 1 or max(0, start - _LABEL_REACH)
    before = text[line_start:start]
    other = [m.end() for m in _OTHER_LABEL.finditer(before)]
    if not other:
        return True
    own = [m.end() for m in _OWN_LABEL.finditer(before)]
    return bool(own) and max(own) > max(other)


def validate(value: str) -> bool:
    """11-proof of the digits; all-equal digits (000000000) are not a BSN anyone was issued."""
    from stdnum.nl import bsn  # python-stdnum loads on the first candidate, not at start-up

    digits = re.sub(r"\D", "", value)
    return len(set(digits)) > 1 and bsn.is_valid(digits)


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate, check="11-proof (elfproef) passed",
             confidence=0.7, context_confidence=0.98, name="bsn", checksum_only=True,
             document_context=DOCUMENT_CONTEXT, fits_place=labelled_as_bsn_or_unlabelled),
)
