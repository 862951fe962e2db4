"""Other EU national identification numbers, each checked by its python-stdnum module.

Most of these are bare digit runs that collide with order numbers, so all but the self-checking
formats (Italian codice fiscale, Finnish HETU) need a country-specific word nearby.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType

from stdnum.at import vnr
from stdnum.be import nn
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.es import dni
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.ie import pps
from stdnum.it import codicefiscale
from stdnum.pl import pesel
from stdnum.se import personnummer

from services.detection.detector import Detector

TYPE = "pii.national_id"
_END = r"(?![\w]|[.,-]\d)"

# (country, stdnum module, first character, rest of the value, context words, needs context);
# the first character is separate so the boundary look-behind can follow it and `re` can skip
# ahead to candidate characters
_TABLE: tuple[tuple[str, ModuleType, str, str, tuple[str, ...], bool], ...] = (
    ("BE", nn, r"\d", r"\d\.?\d{2}\.?\d{2}[-.]?\d{3}\.?\d{2}",
     ("rijksregisternummer", "rijksregister", "national number", "numéro national", "insz"), True),
    ("DE", idnr, r"\d", r"\d ?\d{3} ?\d{3} ?\d{3}",
     ("steuer-id", "steueridentifikationsnummer", "idnr", "identifikationsnummer", "tax id"), True),
    ("FR", nir, r"[12]", r" ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}",
     ("nir", "sécurité sociale", "securite sociale", "insee", "social security"), True),
    ("ES", dni, r"\d", r"\d{7}-?[A-Z]", ("dni", "nif", "documento nacional"), True),
    ("IT", codicefiscale, r"[A-Z]", r"[A-Z]{5}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]",
     ("codice fiscale", "codicefiscale", "tax code"), False),
    ("PL", pesel, r"\d", r"\d{10}", ("pesel",), True),
    ("SE", personnummer, r"\d", r"(?:(?<=1)9\d{6}|(?<=2)0\d{6}|\d{5})[-+]?\d{4}", ("personnummer",), True),
    ("DK", cpr, r"\d", r"\d{5}-?\d{4}", ("cpr",), True),
    ("FI", hetu, r"\d", r"\d{5}[-+A]\d{3}[0-9A-Y]", ("henkilötunnus", "hetu", "personal identity code"),
     False),
    ("IE", pps, r"\d", r"\d{6}[A-W][A-IW]?", ("pps", "ppsn", "personal public service"), True),
    ("AT", vnr, r"\d", r"\d{3} ?\d{6}", ("sozialversicherungsnummer", "svnr", "versicherungsnummer"), True),
)


def _validator(module: ModuleType) -> Callable[[str], bool]:
    def validate(value: str) -> bool:
        return bool(module.is_valid(value))
    return validate


def _detector(country: str, module: ModuleType, first: str, rest: str, context: tuple[str, ...],
              needs_context: bool) -> Detector:
    return Detector(
        TYPE, re.compile(rf"(?P<value>{first}(?<![\w.,/-]{first}){rest}){_END}"), context=context,
        needs_context=needs_context, validate=_validator(module),
        check=f"{country} {module.__name__.rsplit('.', 1)[-1]} checksum passed (python-stdnum)",
        confidence=0.85, context_confidence=0.95, window=40, name=f"national_id_{country.lower()}",
    )


DETECTORS = tuple(_detector(*row) for row in _TABLE)
