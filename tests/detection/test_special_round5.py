"""Special categories, round 5: political-view fields of profiles, questionnaire questions, reflexive and
reporter cues, injury, attachment-disorder, youth-probation and Kurdish/Berber wording.

Every case is written here from public descriptions (PAR-Q's question wording, the Jeugdwet's
jeugdreclassering, CBS origin groups, DSM-5 attachment disorder) and from texts that only mention the
same words about nobody; every name and value is made up here, none is copied from a corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detection.special_reading import scan_file as _scan
from tests.detection.special_reading import special_columns as _columns
from tests.detection.special_reading import special_types as _special


def test_a_politics_field_of_people_profiles_is_political(tmp_path: Path) -> None:
    profiles = tmp_path / "leden.json"
    profiles.write_text('[{"voornaam": "Bas", "achternaam": "Kuipers", "politics": "stemt SGP"},\n'
                        ' {"voornaam": "Lotte", "achternaam": "Bos", "politics": "niet ingevuld"},\n'
                        ' {"voornaam": "Rik", "achternaam": "Hoek", "politieke_overtuiging": "liberaal"}]\n',
                        encoding="utf-8")
    assert _columns(_scan(profiles)) == [("special.political", "[].politics", [1]),
                                         ("special.political", "[].politieke_overtuiging", [3])]


def test_a_politics_field_of_a_news_or_product_table_is_no_one(tmp_path: Path) -> None:
    articles = tmp_path / "artikelen.csv"
    articles.write_text("artikel_id;titel;politics\n7;Begroting 2027;binnenland\n8;Verkiezingen;europa\n",
                        encoding="utf-8")
    assert _columns(_scan(articles)) == []


# an intake form names its person above the questions: the questions still state nothing
QUESTIONS = [
    "Naam: Joost Verbeek\n3. Heeft een arts ooit gezegd dat u diabetes of hoge bloeddruk heeft?",
    "Naam: Joost Verbeek\nBent u zwanger of korter dan zes maanden geleden bevallen?   Antwoord: nee",
    "Name: Mary Fowler\nHave you ever been told by a doctor that you have epilepsy?\nAnswer: no",
]


@pytest.mark.parametrize("text", QUESTIONS, ids=[q[20:50] for q in QUESTIONS])
def test_a_questionnaire_question_to_the_reader_states_nothing(text: str) -> None:
    assert _special(text) == []


ANSWERED = [
    ("Naam: Joost Verbeek\nHeeft u diabetes? Ja, type 1 sinds 2010", "special.health"),
    ("Ik heb astma en wil een ander schema, kan dat?", "special.health"),
    ("Kunt u mij zeggen of mijn dosis metformine omhoog moet?", "special.health"),
    ("Naam: Joost Verbeek\nAntwoord: Epilepsie, laatste aanval in maart", "special.health"),
]


@pytest.mark.parametrize(("text", "kind"), ANSWERED, ids=[a[0][:30] for a in ANSWERED])
def test_an_answer_or_a_question_about_oneself_still_states(text: str, kind: str) -> None:
    assert kind in _special(text)


def test_a_belief_word_inside_a_political_ideology_is_not_a_faith() -> None:
    assert "special.religion" not in _special("Hij noemt zichzelf christelijk-sociaal in de gemeenteraad.")
    assert "special.religion" in _special("Hij is christelijk en gaat elke zondag naar de kerk.")


REFLEXIVE_AND_REPORTER = [
    ("Noemt zichzelf lesbisch in het profiel.", "special.sexual_orientation"),
    ("She describes herself as bisexual.", "special.sexual_orientation"),
    ("Scheldt op gelovigen; de melder is zelf moslim.", "special.religion"),
    ("De klager heeft epilepsie en kon daardoor niet komen.", "special.health"),
]


@pytest.mark.parametrize(("text", "kind"), REFLEXIVE_AND_REPORTER,
                         ids=[r[0][:30] for r in REFLEXIVE_AND_REPORTER])
def test_reflexive_pronouns_and_reporters_are_people(text: str, kind: str) -> None:
    assert kind in _special(text)


NOBODY = [
    "Elke melder kan kiezen of de melding anoniem blijft.",
    "De app laat gebruikers zichzelf beschrijven; religie is een vrij veld.",
    "Onze jeugdreclassering werkt samen met de scholen in de regio.",
    "Blessurepreventie: warm goed op om een knieblessure te voorkomen.",
]


@pytest.mark.parametrize("text", NOBODY, ids=[n[:30] for n in NOBODY])
def test_the_same_words_about_nobody(text: str) -> None:
    assert _special(text) == []


def test_injuries_attachment_probation_and_origins_in_a_person_table(tmp_path: Path) -> None:
    export = tmp_path / "deelnemers.csv"
    export.write_text("voornaam;achternaam;geboortedatum;opmerking\n"
                      "Gijs;Mol;2011-03-04;enkelblessure, niet springen\n"
                      "Fenna;Roos;2012-07-19;hechtingsproblematiek, vaste mentor\n"
                      "Teun;Wit;2010-01-30;jeugdreclassering loopt nog\n"
                      "Esra;Kaya;2011-11-11;gezin is Turks-Koerdisch, tolk nodig\n"
                      "Sem;Zand;2012-02-02;testaccount\n", encoding="utf-8")
    assert _columns(_scan(export)) == [("special.criminal", "opmerking", [4]),
                                       ("special.ethnicity", "opmerking", [5]),
                                       ("special.health", "opmerking", [2, 3])]


def test_the_same_terms_in_a_product_table_are_no_one(tmp_path: Path) -> None:
    products = tmp_path / "artikelen.csv"
    products.write_text("sku;product;opmerking\n11;Brace;bij knieblessure\n12;Woordenboek;Turks-Koerdisch\n",
                        encoding="utf-8")
    assert _columns(_scan(products)) == []


SECOND_ROUND_TRUE = [
    ("Koen (planner) woont sinds vorig jaar samen met zijn man Ruud.", "special.sexual_orientation"),
    ("Mevrouw Jansen komt met haar vrouw naar de bijeenkomst.", "special.sexual_orientation"),
    ("Mr Patel said his husband will collect him.", "special.sexual_orientation"),
    ("Referentie: hij is ACV-militant en stond op de lijst van N-VA.", "special.political"),
    ("Zij is bestuurslid jongerenafdeling Vooruit in Gent.", "special.political"),
    ("De zoon van de erflater zit een straf uit voor inbraak.", "special.criminal"),
    ("## Kandidaat KD-40721 - magazijnmedewerker\n- Woont in Breda, heeft een rijbewijs B.\n"
     "- Is praktiserend hindoe en vraagt vrij met Divali.", "special.religion"),
]


@pytest.mark.parametrize(("text", "kind"), SECOND_ROUND_TRUE, ids=[t[0][:30] for t in SECOND_ROUND_TRUE])
def test_spouses_belgian_parties_sentences_and_numbered_headings(text: str, kind: str) -> None:
    assert kind in _special(text)


SECOND_ROUND_FALSE = [
    "De verzekering dekt de werknemer en zijn echtgenoot of geregistreerd partner.",
    "Namens mr. De Wit stuurde het kantoor de akte; ps: de stukken volgen.",
    "Het ACV organiseert volgende week een vormingsdag over de cao.",
    "Hij staat zijn mannetje in elke vergadering.",
    "## Vacature 2027 - magazijnmedewerker\n- Wij zoeken iemand die praktiserend hindoe of moslim mag zijn.",
    # a heading with a year is no one's record number
    "## Deelnemer 2026\n" + "- Aanwezig bij drie van de vier bijeenkomsten en actief in de groepsgesprekken"
    " over werk en planning.\n- Praktiserend hindoe, vraagt vrij met Divali.",
]


@pytest.mark.parametrize("text", SECOND_ROUND_FALSE, ids=[t[:30] for t in SECOND_ROUND_FALSE])
def test_the_same_words_where_nobody_is_described(text: str) -> None:
    assert _special(text) == []


def test_a_role_with_a_record_number_heads_its_section() -> None:
    body = ("- Aanwezig bij drie van de vier bijeenkomsten en actief in de groepsgesprekken over werk en"
            " planning.\n- Praktiserend hindoe, vraagt vrij met Divali.")
    assert _special(body) == []
    assert _special("## Deelnemer DN-20261\n" + body) == ["special.religion"]
    assert _special("Cliënt nr. 4417\n" + body) == ["special.religion"]


def test_a_leaflet_question_to_the_reader_wrapped_over_two_lines_states_nothing() -> None:
    assert _special("Twijfelt u over uw kind? Denk aan somberheid, epilepsie of ADHD, of aan\n"
                    "problemen op school?") == []
    # an answer on the next line, written as its own sentence, is still a statement
    assert "special.health" in _special("Naam: Joost Verbeek\nAntwoord: diabetes type 1\nBent u zwanger?")
