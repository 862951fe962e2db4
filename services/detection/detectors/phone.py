"""Phone numbers of the Netherlands and other EU/EEA countries, validated by libphonenumber.

Read the way people write them (ITU-T E.123 and national habits): international `+31 6 1234 5678`,
`0031 6 …`, with the trunk zero in brackets `+31 (0)20 …`; national `06 12 34 56 78`, `06-12345678`,
`(020) 123 45 67`, `010 - 123 45 67`, `030/1234567`, `06.12.34.56.78`. Between digit groups one
separator: spaces, a dash, a dot or a slash, spaced or not. libphonenumber then decides whether the
digits are a number of an EU/EEA region; a separator-free run of digits is only a candidate, so
words of other numbering schemes (order, invoice, customer numbers) next to it on its line drop it.

An organisation's switchboard, service desk or letterhead number (`Algemeen nummer: 020 …`,
`Klantenservice: …`, `bel ons op …`, `T 030 … | KvK …`) is the organisation's, not a person's.

Not phone numbers: dates (`01-03-1985 10:00` reads as 010-3198510), times, version strings and the
digit groups of an IBAN; see `_not_a_number_shape` and the look-arounds.
"""

from __future__ import annotations

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "pii.phone"
_SEP = r"(?:[ ]?[-./][ ]?|[ ]{1,2})"  # one separator between digit groups
_DIGITS = rf"\d(?:{_SEP}?\d){{5,12}}"
_INTERNATIONAL = rf"(?:\+|00)[1-9]\d{{0,2}}{_SEP}?(?:\(0\){_SEP}?)?(?:\(\d{{1,4}}\){_SEP}?)?{_DIGITS}"
_NATIONAL = rf"(?:\(0\d{{1,4}}\){_SEP}?|\(0\)[ ]?|0(?=\d))\d(?:{_SEP}?\d){{5,11}}"
# not inside a word or a longer number, not after a decimal point, a path, a dashed code or a 4-character
# IBAN group (a comma after a digit is a CSV field boundary far more often than a decimal comma);
# not followed by more digits, a time (:30) or a path
_BEFORE = r"(?<![\w+])(?<!\d\.)(?<!\w[/-])(?<![A-Z0-9]{4} )"
_AFTER = r"(?![\w/:]|[.,-]\d)"
PATTERN = lazy_regex(rf"{_BEFORE}(?P<value>{_INTERNATIONAL}|{_NATIONAL}){_AFTER}")
# the same shapes without any separator or plus: a bare digit run such as 0612345678
BARE = lazy_regex(rf"(?P<value>0(?<![\w+]0)(?<!\d\.0)(?<!\w[/-]0)(?<![A-Z0-9]{{4}} 0)\d{{8,12}}){_AFTER}")
CONTEXT = ("tel", "telefoon", "phone", "mobiel", "mobile", "gsm", "bel ", "bellen", "call", "fax", "whatsapp",
           "contact", "telefon", "téléphone", "portable", "handy", "sms", "nummer:", "number:")
# a bare digit run next to these is another scheme's number, not a phone number
OTHER_NUMBERS = ("order", "factuur", "invoice", "klantnummer", "klantnr", "customer no", "referentie",
                 "reference", "kenmerk", "artikel", "article", "sku", "ean", "barcode", "zaaknummer",
                 "dossier", "polis", "policy", "ticket", "tracking", "transactie", "transaction", "kvk",
                 "btw", "vat", "iban", "rekening", "account", "serial", "serienummer", "id:", "id ",
                 # a licence number's own label: a Dutch driving licence number is ten digits, often
                 # with a leading zero (RDW); `rijbewijs B` alone is a CV's skill line, not a label
                 "rijbewijsnummer", "rijbewijsnr", "rijbewijs nr", "rijbewijs-nr", "licence number",
                 "license number", "licence no", "license no", "führerscheinnummer")
# EU/EEA regions plus the UK and Switzerland, whose numbers Dutch companies hold just as often
EU_REGIONS = frozenset({"NL", "BE", "DE", "FR", "LU", "AT", "IT", "ES", "PT", "IE", "DK", "SE", "FI", "PL",
                        "CZ", "SK", "HU", "SI", "HR", "RO", "BG", "GR", "CY", "MT", "EE", "LV", "LT",
                        "NO", "IS", "LI", "GB", "CH"})
# a date first (dd-mm-yyyy, d/m/yy): its digits may make a valid number with a time after it
_DATE_FIRST = lazy_regex(r"^\(?\d{1,2}\)?([-./])\d{1,2}\1(?:19|20)\d\d(?!\d)")


def _not_a_number_shape(value: str) -> bool:
    return _DATE_FIRST.match(value) is not None


def validate_formatted(value: str) -> bool:
    """A number written with a plus, brackets or separators (bare digit runs are BARE's to judge)."""
    return not value.isdigit() and validate(value)


def validate(value: str) -> bool:
    """A valid number (libphonenumber, default region NL) of an EU/EEA region, not a date."""
    if _not_a_number_shape(value):
        return False
    import phonenumbers  # its metadata takes ~20 ms to import: paid by the first candidate, not at start-up

    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return False
    return (phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) in EU_REGIONS)


# regions whose national notation opens with the trunk 0, as the Dutch does (ITU-T E.164 national prefix)
TRUNK_ZERO_REGIONS = ("BE", "DE", "FR", "AT", "CH", "GB", "IE", "SE", "FI")
_NATIONAL_NOTATION = lazy_regex(r"\(?0[1-9][\d ()./-]{7,16}")


def validate_national_elsewhere(value: str) -> bool:
    """A number in another country's national notation (`0171 …` in Germany, `0478 …` in Belgium).

    libphonenumber accepts nearly every 0-led run of 9 to 12 digits in one of these regions, so this is
    no evidence on its own: only a column named for phone numbers may use it (structured/validators.py).
    """
    text = value.strip()
    digits = sum(c.isdigit() for c in text)
    if not 9 <= digits <= 12 or _NATIONAL_NOTATION.fullmatch(text) is None or _not_a_number_shape(text):
        return False
    import phonenumbers

    for region in TRUNK_ZERO_REGIONS:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
            return True
    return False


# an organisation's number, not a person's: the words that introduce a switchboard, desk or service line
# (`Algemeen nummer:`, `Klantenservice:`, `bel ons op`) or a letterhead's registration (KvK) on the
# number's own line; people's numbers in letters and forms are introduced by their name instead
ORGANISATION_LINE = lazy_regex(
    r"(?i)\bkvk\b|\bb\.v\.|algemeen (?:telefoon)?nummer|hoofdnummer|switchboard|main number|klantenservice"
    r"|customer service|servicedesk|helpdesk|\bsupport\b|secretariaat|\breceptie\b|kerkelijk bureau"
    r"|\bbel(?:t)? (?:u )?ons\b|\bons (?:bel(?:t|len)?|bereiken)\b|\bcall us\b|\bcontact us\b|\bpostbus\b")
_ORGANISATION_REACH = 80
# a person giving their own number (`bel me op`, `mijn nummer`, `call me`) outweighs a KvK number after it
_FIRST_PERSON = lazy_regex(r"(?i)\b(?:bel (?:me|mij)|call me|reach me|mijn|my)\b")
# a Dutch mobile number (06, +31 6, 0031 6) is carried by a person, also the one who staffs a desk;
# switchboards and service lines are landline or service numbers
_DUTCH_MOBILE = lazy_regex(r"(?:\+31|0031)[ .-]?(?:\(0\)[ ]?)?6|0?6(?=[ .-]?\d)")


def of_a_person(text: str, start: int, end: int) -> bool:
    """No switchboard, service-desk or letterhead words near the number on its own line."""
    line_start = text.rfind("\n", max(0, start - _ORGANISATION_REACH), start) + 1
    line_end = text.find("\n", end, end + _ORGANISATION_REACH)
    stop = line_end if line_end >= 0 else min(len(text), end + _ORGANISATION_REACH)
    if _DUTCH_MOBILE.match(text, start):
        return True
    if _FIRST_PERSON.search(text, max(line_start, start - _ORGANISATION_REACH), start):
        return True
    around = (max(line_start, start - _ORGANISATION_REACH), stop)
    return ORGANISATION_LINE.search(text, *around) is None and not _beside_role_mailbox(text, *around)


# an organisation's contact line gives its landline beside a function mailbox (`Contact: 030-…,
# info@…`, `studentenzaken@… · 0575-…`): the number is the desk's, as the mailbox is
_MAILBOX = lazy_regex(r"[A-Za-z0-9][\w.+-]{0,63}@[\w-]+(?:\.[\w-]+)+")


def _beside_role_mailbox(text: str, start: int, end: int) -> bool:
    from services.detection.detectors import email  # the role vocabulary lives with the e-mail detector

    return any(email.role_mailbox(found.group(0)) for found in _MAILBOX.finditer(text, start, end))


_OTHER_REACH = 60  # the detector's context window (Detector.window)


def not_another_scheme(text: str, start: int, end: int) -> bool:
    """No word of another numbering scheme near the digit run on its own line.

    A label names the number on its own line: in a calendar or vCard file the next entry's `UID:` line
    (which holds "id:") says nothing about the number above it. A number that opens its line may have
    its label on the line above, as forms print it.
    """
    line_start = text.rfind("\n", max(0, start - _OTHER_REACH), start) + 1 or max(0, start - _OTHER_REACH)
    if not text[line_start:start].strip():  # the number opens its line: a form's label stands above it
        line_start = max(0, start - _OTHER_REACH)
    line_end = text.find("\n", end, end + _OTHER_REACH)
    after = text[end:line_end if line_end >= 0 else end + _OTHER_REACH]
    around = (text[line_start:start] + " " + after).lower()
    return not any(word in around for word in OTHER_NUMBERS) and of_a_person(text, start, end)


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate_formatted,
             check="valid number for its region (libphonenumber)", confidence=0.8,
             context_confidence=0.97, name="phone", fits_place=of_a_person),
    Detector(TYPE, BARE, context=CONTEXT, fits_place=not_another_scheme, validate=validate,
             check="valid number for its region (libphonenumber)", confidence=0.75,
             context_confidence=0.95, name="phone_digits"),
)
