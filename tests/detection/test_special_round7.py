"""Special categories, round 7: home-nursing care, organ cancers and fertility diagnoses, French and German
case-file wording, religious practice, political activity beyond party membership, Roma and Hazara, and
the German payroll's Konfession column.

Every case is written here from public descriptions (V&VN's nursing procedures, ICD-10 chapter names,
the German Lohnsteuer church-tax codes rk/ev/ak, UNHCR's and the Council of Europe's names of peoples)
and from texts that use the same words about nobody; every name and value is made up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from services.detection import scan_text
from tests.detection.special_reading import ACTIONABLE
from tests.detection.special_reading import scan_file as _scan
from tests.detection.special_reading import special_columns as _columns
from tests.detection.special_reading import special_types as _special

STATED = [
    ("Cliënt: mevrouw Hofman\nZorg: wondzorg decubitus, dagelijks", "special.health"),
    ("Mevrouw De Boer heeft een colostoma en een blaaskatheter.", "special.health"),
    ("Dhr. Kok krijgt palliatieve zorg in verband met een longcarcinoom.", "special.health"),
    ("Zijn vader is overleden aan alvleesklierkanker.", "special.health"),
    ("Zij heeft endometriose en wacht op een IVF-traject.", "special.health"),
    ("Il souffre de diabète de type 1 et a besoin d'insuline.", "special.health"),
    ("Elle souffre d'une dépression sévère.", "special.health"),
    ("Herr Jansen ist seit Oktober alkoholabhängig gemeldet.", "special.health"),
    ("Hij bidt vijf keer per dag en wil geen vrijdagdienst.", "special.religion"),
    ("He converted to Orthodox Judaism last year.", "special.religion"),
    ("Elle est témoin de Jéhovah.", "special.religion"),
    ("Zij is actief bij Extinction Rebellion.", "special.political"),
    ("Hij werkt als fractiemedewerker van de VVD.", "special.political"),
    ("Cliënt is afkomstig uit een Roma-familie.", "special.ethnicity"),
    ("Hij is Afghaanse Hazara en vluchtte in 2021.", "special.ethnicity"),
]


@pytest.mark.parametrize(("text", "kind"), STATED)
def test_a_statement_about_a_person_is_found_once(text: str, kind: str) -> None:
    assert _special(text) == [kind]


NOBODY = [
    "Vacature: wij zoeken een wijkverpleegkundige met ervaring in wondzorg en stomazorg.",
    "Extinction Rebellion demonstreerde zaterdag op de A12.",
    "De folder legt uit wat palliatieve zorg is en wie het vergoedt.",
    "Le diabète touche 1,2 million de personnes aux Pays-Bas.",
    "Mevrouw Bos, zorgplan: bij alle cliënten met diabetes voeren wij jaarlijks een voetcontrole uit.",
    "Student: Tim Kok\nStudenten met een functiebeperking kunnen extra tentamentijd aanvragen.",
    # Italian's article "il" is no French pronoun
    'IR country="Islamic Republic of Iran"\nIT registro="Istituto per il Catalogo Unico delle biblioteche"',
]


@pytest.mark.parametrize("text", NOBODY)
def test_the_same_words_about_nobody_are_not_found(text: str) -> None:
    assert _special(text) == []


def test_a_konfession_column_of_employees_is_religion(tmp_path: Path) -> None:
    payroll = tmp_path / "grensarbeiders.csv"
    payroll.write_text("Personalnr;Name;Geburtsdatum;Konfession\nE-1;Anna Schulz;08.09.1984;rk\n"
                       "E-2;Jens Bauer;09.08.1968;--\nE-3;Ute Klein;01.02.1970;ev\n", encoding="utf-8")
    assert _columns(_scan(payroll)) == [("special.religion", "Konfession", [2, 4])]


def test_a_confession_column_of_a_catalogue_is_nobody_s(tmp_path: Path) -> None:
    catalogue = tmp_path / "boeken.csv"
    catalogue.write_text("isbn;titel;confession\n9789000000001;Catechismus;rk\n9789000000002;Psalmen;ev\n",
                         encoding="utf-8")
    assert _columns(_scan(catalogue)) == []


LETTER = ("Betreft: plan van aanpak re-integratie\n\nBeste Sanne,\n\n"
          "Zoals besproken bevestigen wij de afspraken over je re-integratie.\n"
          "{condition}Je start per 1 december met 4 uur per dag.\n")


def test_a_sick_leave_step_defers_to_the_condition_the_letter_states() -> None:
    text = LETTER.format(condition="De bedrijfsarts stelde vast dat je door een hernia niet mag tillen.\n")
    found = [f for f in scan_text(text) if f.type == "special.health" and f.confidence >= ACTIONABLE]
    assert [f.location["line"] for f in found] == [6]


def test_a_letter_that_names_only_the_step_is_still_found() -> None:
    assert "special.health" in _special(LETTER.format(condition=""))


UNION_STATED = [
    "Medewerker Jan Bos is lid CNV en krijgt korting op zijn AOV.",
    "Hij was 35 Jahre Mitglied der IG Metall.",
    "Mevrouw Kaya betaalt haar FNV-lidmaatschap via de werkgever.",
    "Hij was vakbondsleider in Turkije.",
]


@pytest.mark.parametrize("text", UNION_STATED)
def test_union_membership_by_the_union_s_name_is_trade_union(text: str) -> None:
    assert _special(text) == ["special.trade_union"]


def test_an_empty_union_field_and_a_survey_question_state_nothing() -> None:
    assert _special("Naam: Jan Bos\nvakbond: nee\n") == []
    assert _special("Naam: Jan Bos\nQ33: Bent u lid van een vakbond? ja / nee") == []


@pytest.mark.parametrize("text", ["Dhr. Smit is oud-wethouder voor de SP en wil geen pers.",
                                  "Betrokkene is actief lid van de AfD.",
                                  "Zij is gemeenteraadslid voor DENK."])
def test_past_and_council_offices_and_foreign_parties_are_political(text: str) -> None:
    assert _special(text) == ["special.political"]


def test_a_semicolon_csv_with_semicolons_inside_notes_is_still_read_by_column(tmp_path: Path) -> None:
    """csv.Sniffer gives up when free text holds the delimiter unquoted; the header's delimiter holds."""
    rows = "".join(f"H{n};Bewoner {n};1943-12-05;nierfalen, gestopt met dialyse;wil pastoor; zie zorgplan\n"
                   for n in range(12))
    residents = tmp_path / "bewoners.csv"
    residents.write_text("bewonernr;naam;geboortedatum;diagnose;notitie\n" + rows, encoding="utf-8")
    health = [f for f in _scan(residents) if f.type == "special.health"]
    assert [(f.location.get("column"), f.location.get("count")) for f in health] == [("diagnose", 12)]


ROUND8 = [
    ("Cliënte: mevrouw Bos\nBijzonderheden: sectio gepland ivm stuitligging", "special.health"),
    ("Kraamcliënt Noor Kaya: HELLP-syndroom na bevalling.", "special.health"),
    ("Mevrouw Bos is een Eritrese moeder; tolk Tigrinya nodig.", "special.ethnicity"),
    ("Hij is een alleenstaande homoseksuele vader.", "special.sexual_orientation"),
    ("He is openly gay and often visits Antwerp.", "special.sexual_orientation"),
    ("Mevrouw De Vries is reformatorisch en wil geen vaccinaties.", "special.religion"),
    ("Zijn zoon zit vast in PI Vught.", "special.criminal"),
    ("Haar foto is aan gezichtsherkenningssoftware gevoerd.", "special.biometric"),
]


@pytest.mark.parametrize(("text", "kind"), ROUND8)
def test_maternity_origin_orientation_faith_custody_and_face_recognition(text: str, kind: str) -> None:
    assert _special(text) == [kind]


@pytest.mark.parametrize("text", [
    "De kraamzorgfolder legt uit wat een sectio is en hoe lang het herstel duurt.",
    "De Eritrese gemeenschap organiseert zaterdag een markt.",
    "Software voor gezichtsherkenning is in Nederland omstreden.",
])
def test_maternity_and_community_words_about_nobody(text: str) -> None:
    assert _special(text) == []
