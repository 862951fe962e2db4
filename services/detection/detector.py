"""A detector is data plus a validator: a type, a pattern, prefilter keywords and context words.

Family modules (bsn.py, iban.py, aws.py, …) each build their `DETECTORS` from this class at import;
their patterns compile on first use (services/detection/patterns.py), and a test compiles them all so
a bad one fails in CI, not in the middle of a scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from services.detection import masking
from services.detection.patterns import LazyPattern, Regex, lazy_regex
from services.detection.types import TYPES
from services.results import Severity

Validator = Callable[[str], bool]
PlaceCheck = Callable[[str, int, int], bool]  # (scanned text, value start, value end) -> the reading holds
NO_CONTEXT_NOTE = "a checksum alone: no context word names this number"
DOCUMENT_REACH = 2000  # characters each side (about a page of a letter) searched for `document_context`


def always_valid(value: str) -> bool:
    """Validator of detectors whose pattern is the whole check."""
    return True


def as_read(value: str) -> str:
    """Repair of detectors that take the matched text as it is."""
    return value


@dataclass(frozen=True)
class Detector:
    """One way of finding one type.

    `keywords` are lowercase literals of which at least one must occur in a block before the
    pattern runs at all (the cheap prefilter). `context` words near a match raise its confidence;
    with `needs_context` a match without them is dropped. The value is the pattern's `value`
    group when it has one, else the whole match.

    A `checksum_only` detector's pattern and validator are all the evidence it has (a bare digit run
    passing a checksum: about one random number in ten or eleven does). Without a context word its
    hit is reported as a note (NO_CONTEXT_NOTE, below the alert confidence, severity low), never as
    an alert: data tables and font metrics are full of such numbers. Its `document_context` words
    within DOCUMENT_REACH say the text is a record about a person (a letter, a file, a form): there
    the hit stands as an alert at its plain `confidence`.

    `vendor` names the service whose credential a secret detector finds (explanation.vendor): many
    services share `secret.generic` (see detectors/vendor.py). `severity`, when set, replaces the
    type's default (a prefixed live key is more than the generic net's medium). `checksum` says that
    `validate` proves a checksum the issuer embeds in every key (GitHub, npm): a made-up example fails
    it, so a value that passes stays an alert even in documentation.

    `prefilter`, when set, is what the hyperscan prefilter (services/detection/prefilter.py) compiles
    instead of `pattern`: a cheaper expression that matches on every line the pattern can match on
    (a superset; the vendor words of a vendor-named rule). Bounded repeats inside alternations make
    hyperscan compile for up to a second per pattern; a few literals take milliseconds.

    An `ocr` detector is the OCR-tolerant variant of a type (services/detection/ocr.py): it runs
    only over text read by OCR, `repair` turns what it matched into the value (spaces tesseract
    inserted removed, look-alike characters folded) and `validate` judges the repaired value.
    """

    type: str
    pattern: Regex  # a LazyPattern compiles on the first search (see patterns.py)
    keywords: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    needs_context: bool = False
    negative_context: tuple[str, ...] = ()  # any of these near a match drops it ("versie 1.2.3.4")
    note_context: tuple[str, ...] = ()  # any of these near a match makes it a note, for `note_reason`
    note_reason: str = ""
    validate: Validator = always_valid
    check: str = ""  # what validate() proves, for the explanation ("mod-97 checksum passed")
    confidence: float = 0.8
    context_confidence: float = 0.95
    mask: Callable[[str], str] = masking.mask
    window: int = 60  # characters each side of a match searched for context words
    priority: int = 0  # on identical spans the lower wins: specific key formats beat generic entropy
    name: str = field(default="")
    ocr: bool = False  # an OCR-tolerant variant, selected only for OCR'd text
    repair: Callable[[str], str] = as_read
    checksum_only: bool = False  # without a context word a hit is a note, not an alert (see above)
    document_context: tuple[str, ...] = ()  # for checksum_only: words of a document about a person
    # where the value stands decides, beyond a window of words: the header a line belongs to, a code
    # identifier around a term; False drops the hit (None: no such check, nothing to call)
    fits_place: PlaceCheck | None = None
    vendor: str = ""
    severity: Severity | None = None
    checksum: bool = False
    prefilter: str = ""  # hyperscan expression used instead of `pattern` (see below)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"detector for unregistered type {self.type!r}")
        words = (self.keywords + self.context + self.negative_context + self.note_context
                 + self.document_context)
        if any(k != k.lower() for k in words):
            raise ValueError(f"{self.type}: keywords and context words must be lowercase")

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """The matched value and its span within the scanned text."""
        if "value" in self.pattern.groupindex and match.group("value") is not None:
            return match.group("value"), match.start("value"), match.end("value")
        return match.group(0), match.start(), match.end()


def compile_words(words: tuple[str, ...]) -> LazyPattern:
    """One case-insensitive alternation matching any of `words` on word boundaries (compiled on use)."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return lazy_regex(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)
