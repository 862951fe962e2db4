"""Payment card numbers: issuer range (IIN) and length, then the Luhn checksum (python-stdnum)."""

from __future__ import annotations

import re

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "pii.credit_card"
_END = r"(?![\w/]|[.,-]\d)"
# as printed on a card: 4-4-4-4(-3) groups with one consistent separator, or Amex 4-6-5
GROUPED = lazy_regex(
    r"(?P<value>\d(?<![\w.,/-]\d)(?:\d{3}(?P<sep>[ -])\d{4}(?P=sep)\d{4}(?P=sep)\d{1,4}(?:(?P=sep)\d{3})?"
    r"|(?<=3)[47]\d{2}[ -]\d{6}[ -]\d{5}))" + _END
)
# an unbroken run of 12-19 digits: its issuer prefix and Luhn digit are its only evidence
RUN = lazy_regex(r"(?P<value>\d(?<![\w.,/-]\d)\d{11,18})" + _END)
CONTEXT = ("card", "kaart", "creditcard", "credit card", "visa", "mastercard", "amex", "maestro", "pan",
           "betaalkaart", "cc", "karte", "carte", "tarjeta", "kreditkarte")
# context words are substrings of the text around a hit: for a bare digit run the short ones ("pan",
# "cc", inside "company" and "access") only count as names of a field
RUN_CONTEXT = ("card", "kaart", "visa", "mastercard", "amex", "maestro", "karte", "carte", "tarjeta",
               "\"pan\"", "'pan'", "pan:", "pan=", "pan =", "_pan", "pan_", " pan ", "cc_", "_cc", "cc:",
               "cc=", "ccnum", "cc-n", "cc number")

# (IIN prefixes, allowed lengths) per scheme; prefixes are compared as strings of digits
_ISSUERS: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...] = (
    (("4",), (13, 16, 19)),  # Visa
    (tuple(str(n) for n in range(51, 56)) + tuple(str(n) for n in range(2221, 2721)), (16,)),  # Mastercard
    (("34", "37"), (15,)),  # American Express
    (("6011", "65") + tuple(str(n) for n in range(644, 650)), (16, 19)),  # Discover
    (tuple(str(n) for n in range(3528, 3590)), (16, 19)),  # JCB
    (("36", "38", "39") + tuple(str(n) for n in range(300, 306)), (14,)),  # Diners Club
    (("50", "56", "57", "58", "6304", "6759", "676770", "676774", "67"), tuple(range(12, 20))),  # Maestro
)


def issuer_ok(digits: str) -> bool:
    """The number starts with a known issuer prefix and has that scheme's length."""
    return any(len(digits) in lengths and digits.startswith(prefixes) for prefixes, lengths in _ISSUERS)


def validate(value: str) -> bool:
    """Issuer range and length, then Luhn."""
    from stdnum import luhn  # python-stdnum loads on the first candidate, not at start-up

    digits = re.sub(r"\D", "", value)
    return 12 <= len(digits) <= 19 and issuer_ok(digits) and luhn.is_valid(digits)


DETECTORS = (
    Detector(TYPE, GROUPED, context=CONTEXT, validate=validate,
             check="issuer range, length and Luhn checksum passed", confidence=0.85,
             context_confidence=0.98, name="credit_card"),
    # a random digit run of a card's length passes the issuer and Luhn checks about one time in thirty
    # (timestamps, ids, table cells): without a card word it is a note
    Detector(TYPE, RUN, context=RUN_CONTEXT, validate=validate,
             check="issuer range, length and Luhn checksum passed", confidence=0.85,
             context_confidence=0.98, name="credit_card_digits", checksum_only=True),
)
