"""Dutch addresses: a postcode (1234 AB) with a house number, or on an address line of its own.

Three shapes, as addresses are written in letters, forms, e-mail signatures and exports:
- street, house number and postcode on one line, separated by spaces, commas, semicolons or tabs:
  `Kerkstraat 12, 1234 AB Amsterdam`, `Laan van Meerdervoort 12-III;2517 AB`, `'s-Gravendijkwal 5 hs`;
- a postcode followed by the house number: `1234 AB 12`, `1234AB, nr. 7`;
- a postcode with its city as the second line of an address block, or labelled as a postcode:
  `Kerkstraat 12⏎1234 AB  AMSTERDAM`, `Postcode: 1234 AB`. This shape needs the street-and-number
  line right above it or an address label (adres, postcode, woont, zip) just before it: a
  postcode-like token alone ("ticket 1234 AB", "4096 MB") is not an address.
Postal-box and company addresses (Postbus, KvK, bezoekadres, a letterhead line with a legal form,
VAT number or web address, or under an organisation's name: Woonstichting …, Tandartspraktijk …)
locate an organisation, not a person, and are left alone. These are
the conventions of Dutch addressing (PostNL) and of letterheads, not of any one file.
"""

from __future__ import annotations

import re

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "pii.postcode"
_PARTICLES = "van|de|der|den|het|ter|ten|te|op|aan|in|bij|'t|la|le|du"
_POSTCODE = r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}"  # SA, SD and SS are never issued
# a street: 's-Gravendijkwal, 1e Jan Steenstraat, Laan van Meerdervoort, Burg. de Withstraat
_STREET = (rf"(?:'s-|'t |[1-9]\d?e )?[A-ZÀ-Ý][a-zà-ÿ.'-]+(?: (?:[A-ZÀ-Ý][\w.'-]*|{_PARTICLES})){{0,4}}")
# a house number with what may follow it: 12, 12A, 12 a, 12-2, 12-III, 12 hs, 12 bis, 12-14
_NUMBER = r"\d{1,5}(?:[ -]?[a-zA-Z](?![\w])|[ -](?:hs|bg|bis|zw|huis|boven|I{1,3}|IV|V)(?![\w])|-\d{1,4})?"
# between address parts: a comma, a semicolon, a tab or spaces; in e-mail signatures and web footers also a
# bar, a middle dot, a bullet or a spaced dash (`Kerkstraat 12 | 1234 AB Utrecht`); iCalendar and vCard
# text values escape a comma or semicolon with a backslash (RFC 5545 3.3.11, RFC 6350 3.4)
_FIELD_SEP = r"(?:[ ]*\\?[,;|·•][ ]*|[ ]+-[ ]+|[ ]{1,3}|\t)"
# a city after the postcode: upper case as on envelopes, or capitalised ('s-Hertogenbosch, Den Haag)
_CITY = r"(?:'s-)?[A-Z][A-Za-zà-ÿ]+(?:[ -](?:aan|op|de|den|[A-Z][A-Za-zà-ÿ]+)){0,3}"
# endings of Dutch (and German) street names that are not also common endings of other words
# ("ring", "dam", "berg" end String, Amsterdam and Heidelberg too)
_STREET_ENDINGS = ("straat", "laan", "weg", "plein", "gracht", "kade", "dijk", "singel", "dreef", "steeg",
                   "markt", "plantsoen", "haven", "boulevard", "allee", "kanaal", "straße", "strasse")
_STREET_NAMED = rf"(?:'s-)?[A-ZÀ-Ý][\w'-]*(?:{'|'.join(_STREET_ENDINGS)})"
PATTERN = lazy_regex(
    rf"(?<![\w])(?P<value>{_STREET} {_NUMBER}{_FIELD_SEP}{_POSTCODE}"
    # an export with street and house number in columns of their own: the street must say it is one
    rf"|{_STREET_NAMED}{_FIELD_SEP}{_NUMBER}{_FIELD_SEP}{_POSTCODE}"
    rf"|{_POSTCODE}{_FIELD_SEP}(?:huisnummer |nr\.? ?)?\d{{1,5}}[a-z]?)(?![\w])"
)
# a postcode with its city, or a postcode on its own
LINE = lazy_regex(rf"(?<![\w])(?P<value>{_POSTCODE}(?:{_FIELD_SEP}{_CITY})?)(?![\w])")
CONTEXT = ("adres", "address", "postcode", "woont", "woonachtig", "straat", "lives", "zip", "postal code")
# labels that name what follows as (part of) an address, also as identifiers (zip_code, postalCode, adres1)
ADDRESS_LABELS = ("adres", "address", "postcode", "post code", "postal code", "zip", "zip code", "woont",
                  "woonachtig", "woonplaats", "lives", "wohnt", "anschrift", "plz", "code postal")
# (substrings, so homeAddress and billing_zip count; gzip does not)
# (a vCard's ADR property, `ADR;TYPE=HOME:;;street;city;;postcode;country`, RFC 6350 6.3.1, labels it too)
_LABEL_BEFORE = lazy_regex(r"post[ _-]?code|postal|(?<!g)zip|adres|address|woonachtig|woont|woonplaats"
                           r"|(?<![\w-])adr[;:]"
                           r"|\blives\b|wohnt|anschrift|\bplz\b|code[ _]postal", re.IGNORECASE)
_LABEL_REACH = 60  # characters before a lone postcode searched for an address label
# the line above a lone postcode in an address block: a street and a house number, nothing after them
_STREET_LINE_BEFORE = lazy_regex(rf"(?<![\w]){_STREET} {_NUMBER}[ \t]*[,;]?[ \t]*\r?\n[ \t]*$")
# a field of its own on the postcode's line or the line above that names a street (a CSV row, a form)
_STREET_FIELD = lazy_regex(rf"(?<![\w]){_STREET_NAMED}(?![\w])")
_STREET_REACH = 80
# an organisation's address, not a person's
NOT_PERSONAL = ("postbus", "antwoordnummer", "kvk", "b.v.", "bezoekadres", "vestigingsadres", "hoofdkantoor",
                "kamer van koophandel", "chamber of commerce", "btw-nummer", "btw nr", "head office",
                # the buildings and desks of municipalities, churches and offices
                "gemeentehuis", "stadhuis", "raadhuis", "kerkelijk bureau", "secretariaat", "kantooradres",
                "praktijkadres", "klantenservice")
# a letterhead or footer: an organisation's legal form, registration or web address on the address's
# line (`Acme BV | Kerkstraat 1 | 1234 AB Utrecht | www.acme.nl`); people's address lines carry none
_ORGANISATION = lazy_regex(r"(?i)(?<![\w.])(?:b\.?v|n\.?v|v\.?o\.?f|gmbh|ltd|inc)\.?(?![\w])|\bbtw\b|\bvat\b"
                           r"|\bwww\.|https?://|\bstichting\b|\bgemeente\b")


# a letterhead's organisation name: Dutch names carry the kind of organisation as the last part of a
# compound or as a word of their own (Woonstichting …, Tandartspraktijk …, Installatiebedrijf …,
# Gezondheidscentrum …, Protestantse Gemeente …) among the first words of the address's line or of
# the line above it, where a letterhead or a footer puts the name
_ORGANISATION_NAME = lazy_regex(r"(?im)^[ \t]*(?:[\w'&.-]+[ \t]+){0,2}[a-zà-ÿ]*(?:stichting|praktijk|centrum"
                                r"|bedrijf|school|vereniging|ziekenhuis|kantoor|advocaten|notarissen|notariaat"
                                r"|gemeente|bureau)(?![\w])")


def of_a_person(text: str, start: int, end: int) -> bool:
    """No postal-box, company or organisation-name words on the address's line or the line before it."""
    line_start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, start))) + 1
    line_end = text.find("\n", end)
    around = text[line_start:line_end if line_end >= 0 else len(text)].lower()
    if any(word in around for word in NOT_PERSONAL) or _ORGANISATION_NAME.search(around):
        return False
    own_line = text[text.rfind("\n", 0, start) + 1:line_end if line_end >= 0 else len(text)]
    return _ORGANISATION.search(own_line) is None


_AFTER_HOUSE_NUMBER = lazy_regex(rf"(?:[A-Za-zà-ÿ.'-] |{_STREET_NAMED}{_FIELD_SEP}){_NUMBER}{_FIELD_SEP}$")


def on_its_own_line(text: str, start: int, end: int) -> bool:
    """A lone postcode is an address when an address block or an address label puts it there.

    Postcode-shaped tokens are everywhere in technical text (`4096 MB`, `1920 PX`, `2024 EU`), so
    a lone one needs a street-and-number line right above it (the envelope layout PostNL
    prescribes), an address label just before it (also as an identifier: zip_code, postalCode) or a
    street name (a capitalised word ending in straat, laan, weg, …) on its line or the one above;
    street-word endings inside other words ("String", "Amsterdam") are not enough. A postcode after a
    house number on its own line is PATTERN's.
    """
    if _AFTER_HOUSE_NUMBER.search(text, max(0, start - 60), start) is not None:
        return False
    line_above = text.rfind("\n", 0, max(0, text.rfind("\n", 0, start))) + 1
    line_end = text.find("\n", end)
    placed = (_LABEL_BEFORE.search(text, max(0, start - _LABEL_REACH), start) is not None
              or _STREET_LINE_BEFORE.search(text, max(0, start - _STREET_REACH), start) is not None
              or _STREET_FIELD.search(text, max(line_above, start - _STREET_REACH),
                                      min(line_end if line_end >= 0 else len(text), end + _STREET_REACH))
              is not None)
    return placed and of_a_person(text, start, end)


def validate(value: str) -> bool:
    """The house number is not zero."""
    return re.search(r"(?<!\d)0+(?!\d)", value.replace(" ", "  ")) is None


DETECTORS = (
    Detector(TYPE, PATTERN, context=CONTEXT, validate=validate, check="postcode format with a house number",
             confidence=0.85, context_confidence=0.97, name="postcode", fits_place=of_a_person),
    Detector(TYPE, LINE, context=ADDRESS_LABELS,
             check="postcode on an address line (below a street and number, or labelled)", confidence=0.85,
             context_confidence=0.9, name="postcode_line", fits_place=on_its_own_line),
)
