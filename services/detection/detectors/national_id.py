"""Other EU national identification numbers, each checked by its python-stdnum module.

Most of these are bare digit runs that collide with order numbers, so all but the self-checking
formats (Italian codice fiscale, Finnish HETU) need a word nearby: the number's own name in the
country's language (rijksregisternummer, PESEL, personnummer, EGN, OIB, isikukood, …) or the English
words forms and registries use for any of them (national identification number, personal identity
number, social security number). These are the names under which each state issues its number, so
they hold for every document that labels one; a bare digit run passing a checksum is not reported.
Luxembourg's matricule has no python-stdnum module and is left out.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable

from services.detection.detector import Detector
from services.detection.patterns import lazy_regex

TYPE = "pii.national_id"
_END = r"(?![\w]|[.,-]\d)"

# (country, python-stdnum module under stdnum. (imported on first use), first character, rest of the
# value, context words, needs context); short names carry their punctuation where the letters occur
# inside common words (nie in Dutch niet and nieuw, egn in wegnemen), as context words are found as
# substrings; the first character is separate so the boundary look-behind can follow it and `re` can
# skip ahead to candidate characters
_TABLE: tuple[tuple[str, str, str, str, tuple[str, ...], bool], ...] = (
    ("BE", "be.nn", r"\d", r"\d\.?\d{2}\.?\d{2}[-.]?\d{3}\.?\d{2}",
     ("rijksregisternummer", "rijksregister", "national number", "numéro national", "insz", "niss",
      "registre national", "identificatienummer van de sociale zekerheid"), True),
    ("DE", "de.idnr", r"\d", r"\d ?\d{3} ?\d{3} ?\d{3}",
     ("steuer-id", "steueridentifikationsnummer", "idnr", "identifikationsnummer", "tax id", "steuer-idnr",
      "steuerliche identifikationsnummer"), True),
    ("FR", "fr.nir", r"[12]", r" ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}",
     ("nir", "sécurité sociale", "securite sociale", "insee", "social security", "n° ss", "numéro de sécu"),
     True),
    ("ES", "es.dni", r"\d", r"\d\.?\d{3}\.?\d{3}[- ]?[A-Z]", ("dni", "nif", "documento nacional"), True),
    ("ES", "es.nie", r"[XYZ]", r"-?\d{7}-?[A-Z]",
     ("nie ", "nie:", "nie-", "(nie)", "extranjero", "foreigner identity"), True),
    ("IT", "it.codicefiscale", r"[A-Z]", r"[A-Z]{5}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]",
     ("codice fiscale", "codicefiscale", "tax code"), False),
    ("PL", "pl.pesel", r"\d", r"\d{10}", ("pesel",), True),
    ("SE", "se.personnummer", r"\d", r"(?:(?<=1)9\d{6}|(?<=2)0\d{6}|\d{5})[-+]?\d{4}",
     ("personnummer", "personnr", "samordningsnummer"), True),
    ("DK", "dk.cpr", r"\d", r"\d{5}-?\d{4}", ("cpr", "personnummer"), True),
    ("FI", "fi.hetu", r"\d", r"\d{5}[-+A-FU-Y]\d{3}[0-9A-Y]",
     ("henkilötunnus", "hetu", "personal identity code", "personbeteckning"), False),
    ("IE", "ie.pps", r"\d", r"\d{6}[A-W][A-IW]?", ("pps", "ppsn", "personal public service"), True),
    ("AT", "at.vnr", r"\d", r"\d{3} ?\d{6}", ("sozialversicherungsnummer", "svnr", "versicherungsnummer"),
     True),
    ("PT", "pt.cc", r"\d", r"\d{7} ?\d ?[A-Z0-9]{2}\d", ("cartão de cidadão", "cartao de cidadao",
                                                       "citizen card", "identificação civil"), True),
    ("PT", "pt.nif", r"[1-3]", r"\d{2} ?\d{3} ?\d{3}", ("contribuinte", "identificação fiscal"), True),
    ("CZ", "cz.rc", r"\d", r"\d{5}/?\d{3,4}", ("rodné číslo", "rodne cislo", "rodného čísla", "rodné č"),
     True),
    ("RO", "ro.cnp", r"[1-8]", r"\d{12}", ("cnp", "cod numeric personal"), True),
    ("BG", "bg.egn", r"\d", r"\d{9}", ("egn ", "egn:", "(egn)", "егн", "единен граждански номер"), True),
    ("HR", "hr.oib", r"\d", r"\d{10}", ("oib", "osobni identifikacijski broj"), True),
    ("SI", "si.emso", r"\d", r"\d{12}", ("emšo", "emso", "enotna matična številka"), True),
    ("LT", "lt.asmens", r"[1-6]", r"\d{10}", ("asmens kod", "personal code"), True),
    ("LV", "lv.pvn", r"[0-3]", r"\d{5}-?\d{5}", ("personas kod", "personal code"), True),
    ("EE", "ee.ik", r"[1-6]", r"\d{10}", ("isikukood", "personal code"), True),
    ("GR", "gr.amka", r"\d", r"\d{10}", ("amka", "αμκα", "αριθμός μητρώου κοινωνικής ασφάλισης"), True),
)
# the English words forms and registries use for any country's number: with a country's own checksum
# passing they name it as surely as the national word does
_ENGLISH = ("national id", "national identification", "national identity number",
            "personal identification number", "personal identity number", "personal number",
            "social security number", "id-nummer")


def _validator(module_name: str) -> Callable[[str], bool]:
    def validate(value: str) -> bool:
        # the country modules (and stdnum's own start-up) load on the first candidate, not at start-up
        module = importlib.import_module(f"stdnum.{module_name}")
        # thousands dots (12.345.678-Z) are how Spanish and Belgian numbers are printed; stdnum strips
        # spaces and dashes itself
        return bool(module.is_valid(value) or module.is_valid(value.replace(".", "")))
    return validate


def _detector(country: str, module: str, first: str, rest: str, context: tuple[str, ...],
              needs_context: bool) -> Detector:
    return Detector(
        TYPE, lazy_regex(rf"(?P<value>{first}(?<![\w.,/-]{first}){rest}){_END}"), context=context + _ENGLISH,
        needs_context=needs_context, validate=_validator(module),
        check=f"{country} {module.rsplit('.', 1)[-1]} checksum passed (python-stdnum)",
        confidence=0.85, context_confidence=0.95, window=40, name=f"national_id_{country.lower()}",
    )


def _named(detector: Detector, seen: set[str]) -> Detector:
    """The detector, its name made unique where a country has two numbers (ES DNI and NIE)."""
    if detector.name in seen:
        detector = dataclasses.replace(detector, name=f"{detector.name}_{detector.check.split()[1]}")
    seen.add(detector.name)
    return detector


_SEEN: set[str] = set()
DETECTORS = tuple(_named(_detector(*row), _SEEN) for row in _TABLE)
