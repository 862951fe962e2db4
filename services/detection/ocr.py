"""Secrets as tesseract reads them: the pattern pieces and repairs of the OCR-tolerant detectors.

Text read from a scanned page is not the text that was printed. On the rendered corpus (DejaVu
Sans, tesseract 5.3, psm 6) these were the errors that kept keys from matching their exact patterns:

- confusable glyphs: capital I, lowercase l, digit 1 and the bar | are near identical in DejaVu
  Sans ("AIza" comes out "Alza"); O and 0; J and ) } ]; q and g; case pairs that differ only in
  size (c o s u v w x z);
- an underscore read as a space, or with a space beside it ("sk _live_", "private key id");
- a space inserted inside a long random string, and now and then one character dropped or doubled.

The OCR-tolerant detectors (the `OCR_DETECTORS` of a family module, selected only for OCR'd text)
use `fuzzy()` for a fixed prefix, `spaced()` for a random body, and `joined()`/`hex_folded()` to
repair the value before it is validated; `tolerant()` builds the common case of a prefixed key.
A body may contain a space only when it runs from there up to a closing delimiter (quote,
semicolon, @, bracket or end of line): a key between delimiters cannot contain a space, so there
the space is tesseract's. Lengths are checked on the joined value with OCR_SLACK characters of
tolerance. Checksummed personal data has no OCR variant: a number whose checksum fails as read is
not reported.

Measured end to end (bench/detection_quality.py --formats, 504 labelled findings per format): png
went from precision 0.929, recall 0.778 with psm 6 alone to 1.000 and 0.996 with these detectors
(scanned_pdf 1.000 and 0.994); over the psm 3 reading they alone gave 1.000 and 0.923. On text read
without errors (the labelled corpus itself) the findings with and without them are identical.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any

from services.detection.detector import Detector, Validator, always_valid
from services.detection.patterns import lazy_regex

OCR_SLACK = 2  # characters a body may gain or lose to OCR and still count as the key
MAX_INSERTED_SPACES = 4  # more spaces than this inside one value is prose, not a key
EXPLANATION = "read by OCR; matched allowing confusable characters and inserted spaces"
MAX_CONFIDENCE = 0.85  # an OCR-tolerant finding is never as certain as an exact one

# what tesseract may read for a printed character (the character itself included)
CONFUSABLE: dict[str, str] = {
    "I": "Il1|", "l": "lI1|", "1": "1lI|", "i": "il1|", "J": "J)}]|", "O": "O0o", "0": "0Oo", "o": "o0O",
    "q": "qg", "g": "gq", "S": "S5", "5": "5S", "Z": "Z2", "B": "B8",
    **{c: c + c.upper() for c in "cosuvwxz"}, **{c.upper(): c.upper() + c for c in "cosuvwxz"},
}
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
BASE64 = ALNUM + "+/"
HEX = string.hexdigits.lower()
# characters tesseract writes for the glyphs of a random key besides its alphabet
NOISE = r"|)}\]"
# an underscore comes out as itself, a space, or either with a space beside it
UNDERSCORE = r"(?:_ ?| _?)"
# what may close a value read with spaces in it: a quote, ; , @ ) ] > or the end of the line
DELIMITER = r"(?=[ \t]*(?:[\"'`;,@)\]>]|\n|$))"


def fuzzy(literal: str) -> str:
    """A regex for `literal` as tesseract may read it: each character or one it is confused with."""
    parts = []
    for char in literal:
        if char == "_":
            parts.append(UNDERSCORE)
        elif char in CONFUSABLE:
            parts.append("[" + re.escape(CONFUSABLE[char]) + "]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def readings(alphabet: str) -> str:
    """The characters of `alphabet` and every character tesseract may read for one of them."""
    return "".join(sorted(set(alphabet).union(*(CONFUSABLE.get(c, "") for c in alphabet))))


def char_class(alphabet: str) -> str:
    """A regex class of the characters tesseract may read for a character of `alphabet`."""
    return f"[{re.escape(readings(alphabet))}{NOISE}]"


def spaced(alphabet: str, low: int, high: int) -> str:
    """A regex for a random body over `alphabet`: whole, or with inserted spaces up to a delimiter.

    The whole form's length is bounded here; the spaced form's joined length is checked by the
    validator (`length_within`), as a regex cannot count around the spaces.
    """
    cls = char_class(alphabet)
    whole = f"{cls}{{{max(1, low - OCR_SLACK)},{high + OCR_SLACK}}}(?!{cls})"
    split = f"{cls}+(?: {cls}+){{1,{MAX_INSERTED_SPACES}}}{DELIMITER}"
    return f"(?:{whole}|{split})"


def joined(value: str) -> str:
    """The value without the spaces tesseract put into it."""
    return value.replace(" ", "")


def length_within(value: str, low: int, high: int) -> bool:
    """The joined value's length is within [low, high] give or take OCR_SLACK."""
    return low - OCR_SLACK <= len(value) <= high + OCR_SLACK


_HEX_FOLD = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "i": "1", "S": "5", "B": "8",
                           "A": "a", "C": "c", "D": "d", "E": "e", "F": "f"})


def hex_folded(value: str) -> str:
    """A hex value read by OCR with its look-alike letters and capitals folded back to hex digits."""
    return joined(value).translate(_HEX_FOLD)


def mostly(value: str, alphabet: str, share: float = 0.9) -> bool:
    """At least `share` of the characters of `value` are in `alphabet` (OCR noise is the rest)."""
    return bool(value) and sum(c in alphabet for c in value) >= share * len(value)


def tolerant(type_: str, prefix: str, canonical: str | None, alphabet: str, low: int, high: int, *,
             name: str, check: str, before: str = r"(?<![\w-])", extra: Validator = always_valid,
             fold: Callable[[str], str] = joined, **options: Any) -> Detector:
    """The OCR-tolerant detector of a key made of a fixed prefix and a random body.

    `prefix` is a regex of the prefix as OCR may read it (see `fuzzy`), `canonical` the prefix as
    printed (None: keep what was read, without spaces); the reported value is that prefix and the
    body repaired by `fold`, whose length must be within [low, high] give or take OCR_SLACK and
    whose characters must be mostly in `alphabet`.
    """
    start = lazy_regex(prefix)

    def repair(value: str) -> str:
        found = start.match(value)
        if found is None:
            return joined(value)
        head = joined(found.group()) if canonical is None else canonical
        return head + fold(value[found.end():])

    def validate(value: str) -> bool:
        found = start.match(value)
        body = value[found.end():] if found else value
        return length_within(body, low, high) and mostly(body, alphabet) and extra(value)

    pattern = lazy_regex(f"{before}(?P<value>{prefix}{spaced(alphabet, low, high)})")
    return Detector(type_, pattern, validate=validate, repair=repair, check=f"{check}, as read by OCR",
                    name=f"{name}_ocr", ocr=True, priority=1, **options)
