"""Special categories, round 4: one finding per statement, more wording, a person's record as context.

Every case is written here from public descriptions (the AP's and EDPB's descriptions of the categories,
the NHG and LRP field names, ISO/IEC 19794's record formats, the Kiesraad's register of party names) and
from the kinds of text that only mention the same words about nobody; none is copied from a corpus.
"""

from __future__ import annotations

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5


def _special(text: str) -> list[tuple[str, str]]:
    """(type, matched text) of the special-category alerts in `text`."""
    lines = text.split("\n")
    return [(f.type, lines[int(str(f.location["line"])) - 1][slice(*f.explanation["span"])])
            for f in scan_text(text) if f.type.startswith("special.") and f.confidence >= ACTIONABLE]


# one statement about a person is one finding, however many terms of its category it uses
ONE_STATEMENT = [
    ("Mevrouw Bakker is na de chemotherapie voor borstkanker erg moe.", "special.health"),
    ("Dhr. Kok zit in detentie na een veroordeling voor heling.", "special.criminal"),
    ("Last year Tom came out as gay to his team.", "special.sexual_orientation"),
    ("Zij is onder behandeling bij de psychiater voor een depressie.", "special.health"),
]


@pytest.mark.parametrize(("text", "kind"), ONE_STATEMENT, ids=[c[0][:30] for c in ONE_STATEMENT])
def test_two_terms_of_one_statement_are_one_finding(text: str, kind: str) -> None:
    assert [k for k, _ in _special(text)] == [kind]


# coordinated items and separate sentences are separate facts
SEPARATE = [
    ("Hij is opgenomen geweest met een psychose en gebruikt sindsdien clozapine.",
     [("special.health", "psychose"), ("special.health", "clozapine")]),
    ("Medicatie van patiënt Jan: metoprolol, apixaban.",
     [("special.health", "metoprolol"), ("special.health", "apixaban")]),
    ("Mevrouw Smit heeft astma. Zij gebruikt salbutamol.",
     [("special.health", "astma"), ("special.health", "salbutamol")]),
]


@pytest.mark.parametrize(("text", "expected"), SEPARATE, ids=[c[0][:30] for c in SEPARATE])
def test_listed_items_and_sentences_stay_separate_findings(text: str, expected: list[tuple[str, str]]) -> None:
    assert _special(text) == expected
