"""IBAN of every ISO 13616 country (SEPA and beyond), spaced or compact, checked by python-stdnum.

The pattern is built from python-stdnum's copy of the SWIFT IBAN registry: per country its exact
BBAN length and character classes, each character optionally preceded by a space, dot or dash. So
`NL91 ABNA 0417 1643 00`, `ES15-0049-1806-9121-1186-9374`, `NO 44 1850.05.14562` and the compact
forms are all read, and a match ends where the country's IBAN ends (two IBANs on one line, or an
IBAN followed by more words, stay apart). This generalises to every registry country because it is
the registry's own structure, not a list of examples.
"""

from __future__ import annotations

import re
from itertools import groupby

from stdnum import iban, numdb

from services.detection.detector import Detector

TYPE = "pii.iban"
_SEP = "[ .-]?"
_CLASSES = {"n": r"\d", "a": "[A-Z]", "c": "[A-Za-z0-9]"}
_PART = re.compile(r"(\d+)!([nac])")


def _bban_pattern(structure: str) -> str:
    """The BBAN of one country: runs of one character class, a separator allowed before each char."""
    classes = [_CLASSES[kind] for count, kind in _PART.findall(structure) for _ in range(int(count))]
    return "".join(f"(?:{_SEP}{cls}){{{len(list(run))}}}" for cls, run in groupby(classes))


def _registry() -> dict[str, str]:
    """Country code -> BBAN structure ("4!a10!n" for NL), from python-stdnum's registry."""
    return {low: props["bban"] for _length, low, _high, props, _children in numdb.get("iban").prefixes
            if "bban" in props and len(low) == 2}


def build_pattern(registry: dict[str, str]) -> re.Pattern[str]:
    """One pattern for every country, factored by the first letter so `re` tries few branches."""
    by_first: dict[str, list[str]] = {}
    for country, structure in sorted(registry.items()):
        rest = f"{country[1]}{_SEP}\\d{_SEP}\\d{_bban_pattern(structure)}"
        by_first.setdefault(country[0], []).append(rest)
    # the boundary look-behind follows the first letter so `re` can skip ahead to candidate capitals
    branches = "|".join(f"{first}(?<![\\w]{first})(?:{'|'.join(rest)})" for first, rest in by_first.items())
    return re.compile(rf"(?P<value>{branches})(?![A-Za-z0-9])")


PATTERN = build_pattern(_registry())
CONTEXT = ("iban", "rekening", "bank", "account", "konto", "compte", "cuenta", "conto", "bic", "swift",
           "t.n.v.", "sepa", "overmaken", "overboeken", "transfer", "betaal", "refund", "terugbetal")


def validate(value: str) -> bool:
    """mod-97 checksum, the country's BBAN format and, where stdnum has one, its national check."""
    return iban.is_valid(value)


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate,
             check="ISO 13616 mod-97 checksum passed",
             confidence=0.9, context_confidence=0.99, name="iban"),
)
