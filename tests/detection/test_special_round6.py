"""Special categories, round 6: party roles, origin-within-nationality, same-sex parents, funeral rites,
driving bans; care professions that only act, denied category words, a client's table, a sheet's header.

Every case is written here from public descriptions (the Kiesraad's party names, CBS origin groups, the UK
census's "British + origin" wording, Belgian traffic law's "verval van het recht tot sturen", funeral
rites as faiths describe them) and from texts that use the same words about nobody; every name and value
is made up here, none is copied from a corpus.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from services.detection import scan_text
from services.detection.structured.vocabulary import vocabulary
from tests.detection.special_reading import ACTIONABLE
from tests.detection.special_reading import scan_file as _scan
from tests.detection.special_reading import special_columns as _columns
from tests.detection.special_reading import special_types as _special

STATED = [
    ("Zij is councillor for GroenLinks-PvdA and fears exposure.", "special.political"),
    ("Hij is gemeenteraadslid (SP) en wil minder uren werken.", "special.political"),
    ("Mevrouw Jansen is bestuurslid van de lokale VVD-afdeling.", "special.political"),
    ("He campaigned for the Labour Party before he moved here.", "special.political"),
    ("Zij zegt lid te zijn van de Tweede Kamerfractie van Volt.", "special.political"),
    ("Hij beschrijft discriminatie als Marokkaanse Nederlander op zijn werk.", "special.ethnicity"),
    ("She described herself as British-Nigerian.", "special.ethnicity"),
    ("The reporter says she is a Romani woman from Slovakia.", "special.ethnicity"),
    ("Leerling Sem vertelde dat zijn twee moeders gaan trouwen.", "special.sexual_orientation"),
    ("Naam overledene: Ans Kok\nWens: begrafenis volgens joodse traditie", "special.religion"),
    ("Overledene: Jan Pool\nKatholieke uitvaartmis in de parochiekerk gewenst.", "special.religion"),
    ("Hem is een rijontzegging van zes maanden opgelegd.", "special.criminal"),
    ("Zij heeft elke week een afspraak met de psychiater.", "special.health"),
    ("Medewerker belde de arbo-arts.", "special.health"),
    ("Klant: Olga Verbeek\nOpmerking: medicatie gestopt na overleg met de huisarts", "special.health"),
]


@pytest.mark.parametrize(("text", "kind"), STATED)
def test_a_statement_about_a_person_is_found_once(text: str, kind: str) -> None:
    assert _special(text) == [kind]


NOBODY = [
    "Labour law changes in 2026 affect every employer.",
    "Bij een islamitische uitvaart wordt de overledene gewassen en in een wit doek gewikkeld.",
    "In de joodse traditie vindt de begrafenis zo snel mogelijk plaats.",
    # a care profession that speaks, signs or attends: who acts, not what anyone has
    "Medewerker: Fleur Aksoy\nAanwezig: teamleider, HR-adviseur, bedrijfsarts (telefonisch)",
    "Medewerker: Fleur Aksoy\nVolgens de bedrijfsarts kan Fleur in januari halve dagen starten.",
    "Werknemer: Daan Bos\nMedische gegevens worden alleen door de bedrijfsarts verwerkt.",
    "Probleemanalyse bedrijfsarts - casus 26400\nWerknemer: Daan Bos, geboren 3 maart 1971",
    # a category word that is denied, said of anyone, or names goods states nothing
    "Geachte heer Sterk,\n\nUw medewerker was vandaag op het spreekuur. Wij mogen u geen diagnose noemen.",
    "Overledene: Jan Pool\nWij verzorgen uitvaarten van elke levensbeschouwing.",
    "Klant: Olga Verbeek\nReden terugbetaling: medicatie retour",
]


@pytest.mark.parametrize("text", NOBODY)
def test_the_same_words_about_nobody_are_not_found(text: str) -> None:
    assert _special(text) == []


def test_a_profession_beside_the_condition_gives_the_condition_its_place() -> None:
    text = "Werknemer: Daan Bos\nDiagnose (alleen voor bedrijfsarts): recidiverende depressie"
    found = [f for f in scan_text(text) if f.type == "special.health" and f.confidence >= ACTIONABLE]
    line = text.splitlines()[1]
    assert [(f.location["line"], line[slice(*f.explanation["span"])]) for f in found] == [
        (2, "depressie")]


def test_an_earlier_overlapping_term_is_the_same_statement() -> None:
    assert _special("Mevrouw De Wit is voormalig raadslid voor het CDA.") == ["special.political"]


def test_client_is_a_person_only_as_a_whole_column_name() -> None:
    def kind(name: str) -> str | None:
        meaning = vocabulary().meaning(name)
        return meaning.kind if meaning is not None else None

    assert [kind(name) for name in ("client_id", "clientnummer", "Cliëntnr")] == ["person"] * 3
    assert all(kind(name) != "person" for name in ("oauth_client_id", "client_secret", "google_client_id"))


def test_notes_of_a_table_of_clients_are_said_of_each_client(tmp_path: Path) -> None:
    notes = tmp_path / "sessies.tsv"
    notes.write_text("sessie_id\tclient_id\tdatum\tnotitie\n"
                     "s1\t10\t2026-11-14\tZwanger (16 weken), medicatie afgebouwd.\n"
                     "s2\t11\t2026-11-15\tVul hier de sessienotities in (geen diagnose)\n"
                     "s3\t12\t2026-11-16\tVeroordeeld voor mishandeling, taakstraf afgerond.\n",
                     encoding="utf-8")
    assert _columns(_scan(notes)) == [("special.criminal", "notitie", [4]),
                                      ("special.health", "notitie", [2])]


def test_notes_beside_an_oauth_client_id_are_nobody_s(tmp_path: Path) -> None:
    config = tmp_path / "apps.csv"
    config.write_text("oauth_client_id;scope;notitie\nabc123;read;zwangerschapstest app\n", encoding="utf-8")
    assert _columns(_scan(config)) == []


def test_a_sheet_s_header_row_is_names_not_prose(tmp_path: Path) -> None:
    """A header cell ("levensbeschouwing") in a workbook about people is a column's name, not a statement
    about anyone: scanned as a user scans it (the document scanner), only the cells below are findings."""
    from bench.blind_sets import _scan

    folder = tmp_path / "export"
    folder.mkdir()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["leerlingnr", "voornaam", "achternaam", "bsn", "geboortedatum", "levensbeschouwing",
                  "zorgprofiel"])
    sheet.append(["L1", "Karim", "Maes", "287601419", "2017-10-23", "rooms-katholiek", "dyslexie"])
    sheet.append(["L2", "Olga", "Dijk", "347249875", "2018-10-20", "islamitisch", None])
    workbook.save(folder / "leerlingen.xlsx")
    _, findings = _scan(folder, "document")
    special = sorted((f["type"], f["location"].get("cell")) for f in findings
                     if f["type"].startswith("special."))
    assert special == [("special.health", "G2"), ("special.religion", "F2")]


def test_one_broken_statement_does_not_cost_a_dump_its_columns(tmp_path: Path) -> None:
    """An unescaped quote in one INSERT (a hand-edited seed) leaves the other statements read by column."""
    dump = tmp_path / "epd.sql"
    dump.write_text("CREATE TABLE patienten (id integer, naam text, levensbeschouwing text, notitie text);\n"
                    "INSERT INTO patienten VALUES (1, 'Ans Kok', 'rooms-katholiek', 'geen');\n"
                    "INSERT INTO patienten VALUES (2, 'Bo Smit', 'islamitisch', 'geen embryo's invriezen');\n"
                    "INSERT INTO patienten VALUES (3, 'Cas Bos', 'joods', 'geen');\n", encoding="utf-8")
    religion = [f for f in _scan(dump) if f.type == "special.religion" and "rows" in f.location]
    assert [(f.location["column"], f.location["rows"]) for f in religion] == [("levensbeschouwing", [2, 4])]


def test_origin_substance_use_and_donor_columns_are_read_in_tables_of_people(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("donor_code;geboortejaar;herkomst;middelengebruik\n"
                        "D-1;1991;Iraans-Koerdisch;cannabis dagelijks\nD-2;1989;Surinaams-Creools;geen\n",
                        encoding="utf-8")
    assert _columns(_scan(register)) == [("special.ethnicity", "herkomst", [2, 3]),
                                         ("special.health", "middelengebruik", [2])]
    products = tmp_path / "koffie.csv"
    products.write_text("sku;herkomst;prijs\nK-1;Ethiopië;12.50\nK-2;Colombia;11.00\n", encoding="utf-8")
    assert _columns(_scan(products)) == []


def test_and_joining_two_complaints_is_one_statement_and_joining_two_clauses_is_two() -> None:
    assert _special("Patiënt Jan Bos heeft boezemfibrilleren met hartkloppingen en kortademigheid.") == [
        "special.health"]
    assert _special("Patiënt Jan Bos heeft epilepsie en gebruikt levetiracetam.") == ["special.health"] * 2
    assert _special("Mevrouw Vos is bekend met hartfalen en COPD.") == ["special.health"]
