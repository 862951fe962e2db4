"""IBAN of every ISO 13616 country (SEPA and beyond), spaced or compact, checked by python-stdnum.

The pattern is built from the SWIFT IBAN registry as python-stdnum ships it (REGISTRY, copied here so
that starting a scan does not load stdnum; tests/detection/test_patterns.py fails when stdnum's copy
changes): per country its exact BBAN length and character classes, each character optionally
preceded by a space, dot or dash. So
`NL91 ABNA 0417 1643 00`, `ES15-0049-1806-9121-1186-9374`, `NO 44 1850.05.14562` and the compact
forms are all read, and a match ends where the country's IBAN ends (two IBANs on one line, or an
IBAN followed by more words, stay apart). This generalises to every registry country because it is
the registry's own structure, not a list of examples.
"""

from __future__ import annotations

from itertools import groupby

from services.detection.detector import Detector
from services.detection.patterns import LazyPattern, lazy_regex

TYPE = "pii.iban"
_SEP = "[ .-]?"
_CLASSES = {"n": r"\d", "a": "[A-Z]", "c": "[A-Za-z0-9]"}
_PART = lazy_regex(r"(\d+)!([nac])")
# country code -> BBAN structure ("4!a10!n": four letters, ten digits), python-stdnum 2.2's iban.dat
REGISTRY = {
    "AD": "4!n4!n12!c", "AE": "3!n16!n", "AL": "8!n16!c", "AT": "5!n11!n", "AZ": "4!a20!c",
    "BA": "3!n3!n8!n2!n", "BE": "3!n7!n2!n", "BG": "4!a4!n2!n8!c", "BH": "4!a14!c", "BI": "5!n5!n11!n2!n",
    "BR": "8!n5!n10!n1!a1!c", "BY": "4!c4!n16!c", "CH": "5!n12!c", "CR": "4!n14!n", "CY": "3!n5!n16!c",
    "CZ": "4!n16!n", "DE": "8!n10!n", "DJ": "5!n5!n11!n2!n", "DK": "4!n9!n1!n", "DO": "4!c20!n",
    "EE": "2!n14!n", "EG": "4!n4!n17!n", "ES": "4!n4!n1!n1!n10!n", "FI": "3!n11!n", "FK": "2!a12!n",
    "FO": "4!n9!n1!n", "FR": "5!n5!n11!c2!n", "GB": "4!a6!n8!n", "GE": "2!a16!n", "GI": "4!a15!c",
    "GL": "4!n9!n1!n", "GR": "3!n4!n16!c", "GT": "4!c20!c", "HN": "4!a20!n", "HR": "7!n10!n",
    "HU": "3!n4!n1!n15!n1!n", "IE": "4!a6!n8!n", "IL": "3!n3!n13!n", "IQ": "4!a3!n12!n",
    "IS": "4!n2!n6!n10!n", "IT": "1!a5!n5!n12!c", "JO": "4!a4!n18!c", "KW": "4!a22!c", "KZ": "3!n13!c",
    "LB": "4!n20!c", "LC": "4!a24!c", "LI": "5!n12!c", "LT": "5!n11!n", "LU": "3!n13!c", "LV": "4!a13!c",
    "LY": "3!n3!n15!n", "MC": "5!n5!n11!c2!n", "MD": "2!c18!c", "ME": "3!n13!n2!n", "MK": "3!n10!c2!n",
    "MN": "4!n12!n", "MR": "5!n5!n11!n2!n", "MT": "4!a5!n18!c", "MU": "4!a2!n2!n12!n3!n3!a",
    "NI": "4!a20!n", "NL": "4!a10!n", "NO": "4!n6!n1!n", "OM": "3!n16!c", "PK": "4!a16!c", "PL": "8!n16!n",
    "PS": "4!a21!c", "PT": "4!n4!n11!n2!n", "QA": "4!a21!c", "RO": "4!a16!c", "RS": "3!n13!n2!n",
    "RU": "9!n5!n15!c", "SA": "2!n18!c", "SC": "4!a2!n2!n16!n3!a", "SD": "2!n12!n", "SE": "3!n16!n1!n",
    "SI": "5!n8!n2!n", "SK": "4!n6!n10!n", "SM": "1!a5!n5!n12!c", "SO": "4!n3!n12!n", "ST": "4!n4!n11!n2!n",
    "SV": "4!a20!n", "TL": "3!n14!n2!n", "TN": "2!n3!n13!n2!n", "TR": "5!n1!n16!c", "UA": "6!n19!c",
    "VA": "3!n15!n", "VG": "4!a16!n", "XK": "4!n10!n2!n", "YE": "4!a4!n18!c",
}


def _bban_pattern(structure: str) -> str:
    """The BBAN of one country: runs of one character class, a separator allowed before each char."""
    classes = [_CLASSES[kind] for count, kind in _PART.findall(structure) for _ in range(int(count))]
    return "".join(f"(?:{_SEP}{cls}){{{len(list(run))}}}" for cls, run in groupby(classes))


def build_pattern(registry: dict[str, str]) -> LazyPattern:
    """One pattern for every country, factored by the first letter so `re` tries few branches."""
    by_first: dict[str, list[str]] = {}
    for country, structure in sorted(registry.items()):
        rest = f"{country[1]}{_SEP}\\d{_SEP}\\d{_bban_pattern(structure)}"
        by_first.setdefault(country[0], []).append(rest)
    # the boundary look-behind follows the first letter so `re` can skip ahead to candidate capitals
    branches = "|".join(f"{first}(?<![\\w]{first})(?:{'|'.join(rest)})" for first, rest in by_first.items())
    return lazy_regex(rf"(?P<value>{branches})(?![A-Za-z0-9])")


PATTERN = build_pattern(REGISTRY)
CONTEXT = ("iban", "rekening", "bank", "account", "konto", "compte", "cuenta", "conto", "bic", "swift",
           "t.n.v.", "sepa", "overmaken", "overboeken", "transfer", "betaal", "refund", "terugbetal")


def validate(value: str) -> bool:
    """mod-97 checksum, the country's BBAN format and, where stdnum has one, its national check."""
    from stdnum import iban  # python-stdnum loads on the first candidate, not at start-up

    return iban.is_valid(value)


# the account holder a Dutch payment instruction names after the IBAN (`t.n.v.`, ten name van) when it is a
# legal entity: a foundation, association, municipality, church or company (B.V., N.V., V.O.F.) holds
# that account, and an organisation's account is no personal data
_ORGANISATION_HOLDER = lazy_regex(
    r"(?i)\b(?:t\.\s?n\.\s?v\.?|ten name van|ten gunste van|account holder|rekeninghouder)[:\s]+"
    r"(?:(?:de|het)\s+)?(?:stichting|vereniging|co[öo]peratie|gemeente|parochie|kerk|fonds|foundation"
    r"|[^\n]{0,60}?\s(?:b\.\s?v\.|n\.\s?v\.|v\.\s?o\.\s?f\.|bv|nv|vof)(?![\w]))")
_HOLDER_REACH = 80


def of_a_person(text: str, start: int, end: int) -> bool:
    """No legal entity named as the account holder right after the IBAN on its line."""
    line_end = text.find("\n", end, end + _HOLDER_REACH)
    return _ORGANISATION_HOLDER.search(text, end, line_end if line_end >= 0 else end + _HOLDER_REACH) is None


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate,
             check="ISO 13616 mod-97 checksum passed",
             confidence=0.9, context_confidence=0.99, name="iban", fits_place=of_a_person),
)
