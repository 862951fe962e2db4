"""Column validators: is this one cell, alone, a value of the type its column name implies?

In free text a date of birth needs birth words next to it and a bare postcode needs a house number;
under a column named `geboortedatum` or `postcode` the name is that context, so a cell only has to
be a real value of the type: any real past date, a bare `1234 AB`, a phone number without words
around it, an 11-proof number. Each validator reuses the checks of the type's own detector
(python-stdnum, libphonenumber, the stdlib) and adds only what a cell allows: the whole cell must be
the value (a notes cell holding a date among words is not a date column), and leading zeros a
spreadsheet dropped from a number are put back where the format is fixed-length (BSN).

`BY_VALUES` lists the types whose values prove themselves without a name (structured.columns
infers such a column from MIN_VALID_SHARE of its values); the others need a name, or for BSN a
table that describes people.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services.detection import context as ctx
from services.detection.detectors import (
    bsn,
    credit_card,
    date_of_birth,
    email,
    iban,
    identity_document,
    ip_address,
    national_id,
    phone,
)
from services.detection.patterns import Regex

MAX_CELL_CHARS = 64  # no value of these types is longer; a longer cell is text, judged by the engine

# 1234.56.782, 123 456 782, 123456782; 8 digits: a spreadsheet dropped the leading 0
_BSN = re.compile(r"\d{4}[ .]?\d{2}[ .]?\d{3}|\d{3}[ .]?\d{3}[ .]?\d{3}|\d{8}")
_POSTCODE = re.compile(r"[1-9]\d{3} ?(?!SA|SD|SS|sa|sd|ss)[A-Za-z]{2}(?:,? ?\d{1,5}[a-zA-Z]?)?")
_PHONE = re.compile(r"(?:\+|00|\(?0)?[1-9][\d ()./-]{6,20}")
_PHONE_SHAPED = re.compile(r"(?:\+|00|\(?0)\d")  # without a name, a number must be written as a phone number
_CARD = re.compile(r"\d[\d -]{11,22}")
_IBAN = re.compile(r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{10,36}")
_LICENCE = re.compile(r"\d{10}")
_TIME_PART = re.compile(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_DATE_SHAPE = re.compile(r"\d{1,4}[-/. ][\w]{1,10}\.?[-/. ]\d{2,4}|(?:19|20)\d{6}")  # 19850312: compact ISO



def _whole(pattern: Regex, value: str) -> bool:
    return len(value) <= MAX_CELL_CHARS and pattern.fullmatch(value) is not None


def valid_bsn(value: str) -> bool:
    """Nine digits (or eight, a dropped leading zero) passing the 11-proof, outside the RvIG test set."""
    digits = re.sub(r"\D", "", value).zfill(9)
    return _whole(_BSN, value) and bsn.validate(digits) and not ctx.downgrade_reasons(bsn.TYPE, digits, "")


def valid_birth_date(value: str) -> bool:
    """Any real calendar date from 1900 to today (ISO, d-m-y, d/m/y, d.m.y, `12 maart 1985`, m/d/y)."""
    text = _TIME_PART.sub("", value.strip())  # spreadsheets and ORMs add 00:00:00
    if len(text) > MAX_CELL_CHARS or not _DATE_SHAPE.fullmatch(text):
        return False
    day = date_of_birth.parse(text)  # day-first, else the US month-first order
    return day is not None and date_of_birth.earliest_birth() <= day <= date.today()


def valid_postcode(value: str) -> bool:
    """A Dutch postcode (`1234 AB`, `1234ab`), alone or with its house number."""
    return _whole(_POSTCODE, value.strip())


def valid_phone(value: str) -> bool:
    """Valid for an EU/EEA region (libphonenumber); a bare 612345678 counts: Excel drops the 0."""
    return _whole(_PHONE, value.strip()) and phone.validate(value.strip())


def valid_named_phone(value: str) -> bool:
    """Under a phone column's name also a number in another EU country's national notation: registers
    of people from several countries keep each number as its holder writes it (`0171 …`, `0478 …`)."""
    return valid_phone(value) or (len(value) <= MAX_CELL_CHARS and phone.validate_national_elsewhere(value))


def phone_shaped(value: str) -> bool:
    """A valid phone number written as one (+31…, 0031…, 06…): bare digit runs are not, without a name."""
    return _PHONE_SHAPED.match(value.strip()) is not None and valid_phone(value)


def valid_email(value: str) -> bool:
    """One address, its domain not reserved and its mailbox not a role."""
    return _whole(email.PATTERN, value.strip()) and email.validate(value.strip())


def valid_iban(value: str) -> bool:
    """mod-97 and the country's format."""
    return _whole(_IBAN, value.strip()) and iban.validate(value.strip())


def valid_card(value: str) -> bool:
    """Issuer range, length and Luhn; published test cards are not anyone's card."""
    text = value.strip()
    return (_whole(_CARD, text) and credit_card.validate(text)
            and not ctx.downgrade_reasons(credit_card.TYPE, text, ""))


def valid_document(value: str) -> bool:
    """A Dutch passport or identity-card number (two letters, six characters, a digit), or another EU
    state's document number format that mixes letters and digits (hotel and agency registers hold both)."""
    text = value.strip().upper()
    if len(text) > MAX_CELL_CHARS:
        return False
    dutch = _whole(identity_document.DOCUMENT_NUMBER, text) and identity_document.valid_document(text)
    return dutch or identity_document.eu_document_number(text)


def valid_licence(value: str) -> bool:
    """A ten-digit Dutch driving licence number."""
    return _whole(_LICENCE, value.strip())


def valid_national_id(value: str) -> bool:
    """Valid for one of the EU national-number formats python-stdnum checks."""
    text = value.strip()
    if len(text) > MAX_CELL_CHARS or not any(c.isdigit() for c in text):
        return False
    digits = sum(c.isdigit() for c in text)
    return any(_safe(detector.validate, text) for detector in national_id.DETECTORS
               if UNCHECKED_NATIONAL_DIGITS.get(detector.name) != digits)


# national numbers of a length that carries no check digit: the Czech rodné číslo of people born before
# 1954 is nine digits, a date and a serial (stdnum.cz.rc), so most nine-digit record numbers pass it
UNCHECKED_NATIONAL_DIGITS = {"national_id_cz": 9}


def valid_ip(value: str) -> bool:
    """A public IPv4 or IPv6 address (private, loopback and documentation ranges are not personal)."""
    text = value.strip()
    return len(text) <= MAX_CELL_CHARS and ip_address.is_public(text)


def _safe(check: Callable[[str], object], value: str) -> bool:
    try:
        return bool(check(value))
    except Exception:  # a stdnum module may raise on input it was never meant for; that is "no"
        return False


# what a form or an export writes where nothing is stated: no diagnosis, no religion given, not a member
NOTHING_STATED = frozenset({"", "-", "--", "?", "0", "nee", "no", "none", "geen", "n.v.t.", "nvt", "n.v.t",
                            "n/a", "na", "nb", "n.b.", "onbekend", "unknown", "false", "null", "nil",
                            "niet", "not", "niet van toepassing", "not applicable", "niet opgegeven",
                            "not stated", "not disclosed", "zeg ik liever niet", "wil ik niet zeggen",
                            "prefer not to say", "geen opgave", "x", "nee/geen", "leeg", "empty",
                            # a profile field left blank as forms write it
                            "niet ingevuld", "not filled in", "not answered", "no answer", "geen antwoord",
                            "wil ik liever niet zeggen", "rather not say"})


def stated(value: str) -> bool:
    """A cell that states something (a diagnosis, a belief, an origin, "ja" to a union membership)."""
    text = value.strip().lower()
    return text not in NOTHING_STATED and len(text) <= MAX_STATED_CHARS


MAX_STATED_CHARS = 200  # a longer cell is free text, which the engine reads for a person and a term


@dataclass(frozen=True)
class ColumnCheck:
    """How a cell is validated as one type, and what the explanation says was proven."""

    validate: Callable[[str], bool]
    check: str


CHECKS: dict[str, ColumnCheck] = {
    bsn.TYPE: ColumnCheck(valid_bsn, "11-proof (elfproef) passed"),
    date_of_birth.TYPE: ColumnCheck(valid_birth_date, "a real date from 120 years ago to today"),
    "pii.postcode": ColumnCheck(valid_postcode, "Dutch postcode format"),
    phone.TYPE: ColumnCheck(valid_named_phone, "valid number for its region (libphonenumber)"),
    email.TYPE: ColumnCheck(valid_email, "address syntax, non-reserved domain"),
    iban.TYPE: ColumnCheck(valid_iban, "ISO 13616 mod-97 checksum passed"),
    credit_card.TYPE: ColumnCheck(valid_card, "issuer range, length and Luhn checksum passed"),
    identity_document.PASSPORT_TYPE: ColumnCheck(valid_document, "an EU travel-document number format"),
    identity_document.LICENCE_TYPE: ColumnCheck(valid_licence, "ten-digit Dutch licence number"),
    national_id.TYPE: ColumnCheck(valid_national_id, "an EU national-number checksum (python-stdnum)"),
    ip_address.TYPE: ColumnCheck(valid_ip, "valid public IP address"),
    # special categories: in a table about people the column's name says what every stated cell is
    **{kind: ColumnCheck(stated, "a stated value in a special-category column of a table about people")
       for kind in ("special.health", "special.religion", "special.ethnicity", "special.political",
                    "special.trade_union", "special.sexual_orientation", "special.biometric",
                    "special.criminal")},
}

# types a column is inferred to hold from its values alone (no name): each value carries its own proof
# (checksum with a country or issuer format, address syntax, a phone number written as one, the
# postcode's digit-letter shape), so MIN_VALID_SHARE of them passing by chance does not happen. BSN,
# dates and bare digit runs are absent: one number in eleven passes the 11-proof, and dates are
# everywhere.
BY_VALUES: dict[str, Callable[[str], bool]] = {
    iban.TYPE: valid_iban,
    email.TYPE: valid_email,
    credit_card.TYPE: valid_card,
    "pii.postcode": valid_postcode,
    phone.TYPE: phone_shaped,
}


MAX_NAME_DIGITS = 4  # a field name has few digits (address_line_2, q4_2024); five or more make it a number


@functools.lru_cache(maxsize=65_536)
def holds_value(name: str) -> bool:
    """True when a header cell or key is itself a value (an address, a number, a postcode, a date).

    Such a "name" is a data row taken for a header, or a map keyed by e-mail address or customer
    number: it is no field name, and a finding must never show it as one. Every type a column is
    checked for needs an @ or a digit, so names without either are names without asking further.
    """
    text = name.strip()
    if "@" in text:
        return True
    digits = sum(c.isdigit() for c in text)
    if not digits:
        return False
    # with four digits or fewer a value can only be a postcode, an IPv4 address or a short date
    return digits > MAX_NAME_DIGITS or valid_postcode(text) or valid_ip(text) or valid_birth_date(text)
