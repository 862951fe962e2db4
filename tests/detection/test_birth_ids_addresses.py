"""Dates of birth, EU national identification numbers and IP addresses as records write them (issue 15).

Every case was written for this file from public format descriptions (CLDR date formats, vCard
RFC 6350 BDAY, FHIR Patient.birthDate, HL7 v2 PID-7, the national numbering rules python-stdnum
documents) and from the kinds of look-alikes peers' test suites guard against (versions, rule ids,
section numbers); none is copied. National numbers were made up and their check digits computed
with python-stdnum for this file.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from services.detection import scan_text, structured
from services.detection.detectors import date_of_birth
from services.detection.structured import validators, vocabulary

ACTIONABLE = 0.5


def _found(text: str, kind: str) -> list[str]:
    """The values of `kind` reported as alerts (confidence >= ACTIONABLE), in text order."""
    lines = text.split("\n")
    return [lines[int(str(f.location["line"])) - 1][slice(*f.explanation["span"])] for f in scan_text(text)
            if f.type == kind and f.confidence >= ACTIONABLE]


# --- dates of birth ---------------------------------------------------------------------------------

DOB_TRUE = [
    ('"dateOfBirth": "1985-03-12"', "1985-03-12"),  # camelCase key of a JSON API
    ("birth_date: 1985-03-12", "1985-03-12"),  # snake_case key of a YAML fixture
    ("BDAY:1985-03-12", "1985-03-12"),  # vCard
    ("BDAY:19850312", "19850312"),  # vCard, basic ISO 8601 form
    ("PID|1||123456^^^HOSP^MR||Jansen^Jan^^^^^L||19850312|M|||Kerkstraat 1^^Gouda", "19850312"),  # HL7 PID-7
    ("PID|1||99^^^H||Vries^Anna||197611040830|F", "19761104"),  # PID-7 with a time of birth
    ("fecha de nacimiento: 12/03/1985", "12/03/1985"),
    ("data di nascita: 12/03/1985", "12/03/1985"),
    ("data de nascimento 12-03-1985", "12-03-1985"),
    ("fødselsdato 12.03.1985", "12.03.1985"),
    ("födelsedatum 1985-03-12", "1985-03-12"),
    ("syntymäaika 12.3.1985", "12.3.1985"),
    ("data urodzenia 12.03.1985", "12.03.1985"),
    ("geb.datum 12-03-1985", "12-03-1985"),
    ("born on 1985-03-12T00:00:00Z", "1985-03-12"),  # a timestamp column exported as a birth date
    ("Date of birth: 12th March 1985", "12th March 1985"),
    ("geboren op 12 mrt. 1985", "12 mrt. 1985"),
    ("DOB: 12-Mar-1985", "12-Mar-1985"),
]

DOB_FALSE = [
    "DOB field added on 2024-03-12 in release 3",  # a change log dates the change, not a person
    "geboortedatum veld gewijzigd op 2024-03-12",
    "geboren 12-03-1890",  # older than anyone alive
    "BDAY:2099-01-01",  # in the future
    "invoice 19850312 paid",  # eight digits without a birth word
    "Order 19850312, birthday card, shipped",  # a birth word after an eight-digit order number
    "MSH|^~\\&|LAB|HOSP|||19850312||ORU^R01",  # an HL7 message header's time is no PID-7
    "PID|1||19850312^^^HOSP^MR||Jansen^Jan||x|M",  # a patient id that looks like a date, not field 7
    "Expires: 2026-03-12", "created_at: 2024-03-12", "## [1.4.0] - 2024-03-12",
]


@pytest.mark.parametrize(("text", "value"), DOB_TRUE, ids=[c[0][:30] for c in DOB_TRUE])
def test_date_of_birth_in_records_and_languages(text: str, value: str) -> None:
    assert _found(text, "pii.date_of_birth") == [value]


@pytest.mark.parametrize("text", DOB_FALSE, ids=[c[:30] for c in DOB_FALSE])
def test_other_dates_stay_unreported(text: str) -> None:
    assert _found(text, "pii.date_of_birth") == []


@pytest.mark.parametrize("cell", ["19850312", "1985-03-12T00:00:00", "12-03-1985"])
def test_birth_column_cells_in_compact_and_spreadsheet_forms(cell: str) -> None:
    # a spreadsheet date cell is read as an ISO date and time; HL7 and database dumps write 19850312
    assert validators.valid_birth_date(cell)


@pytest.mark.parametrize("cell", ["1985", "31118", "18900312", "1890-03-12", f"{date.today().year + 1}0101"])
def test_birth_column_cells_that_are_no_birth_date(cell: str) -> None:
    # a bare year, a bare five-digit number, and dates before the oldest person alive or after today
    assert not validators.valid_birth_date(cell)


# --- EU national identification numbers -------------------------------------------------------------

NATIONAL_TRUE = [
    ("Rijksregisternummer: 87.07.14-120.75", "87.07.14-120.75"),  # BE
    ("numéro de registre national 87071412075", "87071412075"),  # BE, in French
    ("Steuer-ID: 47 159 023 846", "47 159 023 846"),  # DE
    ("numéro de sécurité sociale : 1 87 03 75 042 000 16", "1 87 03 75 042 000 16"),  # FR
    ("DNI: 48.213.567-R", "48.213.567-R"),  # ES, printed with thousands dots
    ("NIE Y4821356H", "Y4821356H"),  # ES, foreigners
    ("número de identidad de extranjero: Y-4821356-H", "Y-4821356-H"),
    ("numer PESEL: 87031412341", "87031412341"),  # PL
    ("personnummer 870314-1237", "870314-1237"),  # SE
    ("CPR-nummer: 140387-1230", "140387-1230"),  # DK
    ("henkilötunnus 140387-123V", "140387-123V"),  # FI
    ("rodné číslo 870314/1238", "870314/1238"),  # CZ/SK
    ("CNP 1870314123459", "1870314123459"),  # RO
    ("ЕГН 8703141234", "8703141234"),  # BG
    ("OIB: 48273561901", "48273561901"),  # HR
    ("EMŠO 1403987500124", "1403987500124"),  # SI
    ("asmens kodas 38703141238", "38703141238"),  # LT
    ("personas kods 140387-12343", "140387-12343"),  # LV
    ("isikukood 38703141238", "38703141238"),  # EE
    ("AMKA 14038712346", "14038712346"),  # GR
    ("NIF (contribuinte) 248 157 361", "248 157 361"),  # PT
    ("Sozialversicherungsnummer 1235 140387", "1235 140387"),  # AT
    ("national identification number: 87031412341", "87031412341"),  # English words, PESEL checksum
]

NATIONAL_FALSE = [
    "order 87031412341 shipped",  # passes PESEL, names an order
    "invoice 1870314123459",  # passes CNP
    "ref 140387-1230",  # passes CPR
    "tracking 38703141238",  # passes LT and EE
    "row 48273561901 of the table",  # passes OIB
    "Y4821356H",  # a NIE shape alone
    "PESEL 87031412342",  # a PESEL word, a wrong check digit
    "CNP 1870314123458",
]


@pytest.mark.parametrize(("text", "value"), NATIONAL_TRUE, ids=[c[0][:30] for c in NATIONAL_TRUE])
def test_national_number_named_in_its_language(text: str, value: str) -> None:
    assert _found(text, "pii.national_id") == [value]


@pytest.mark.parametrize("text", NATIONAL_FALSE, ids=[c[:30] for c in NATIONAL_FALSE])
def test_checksum_alone_or_wrong_check_digit_is_no_national_number(text: str) -> None:
    assert _found(text, "pii.national_id") == []


# --- IP addresses -----------------------------------------------------------------------------------

IP_TRUE = [
    ("Failed password for root from 3.120.5.6 port 22 ssh2", "3.120.5.6"),
    ("ssh root@3.120.5.6", "3.120.5.6"),
    ("X-Forwarded-For: 84.241.22.7, 10.0.0.1", "84.241.22.7"),
    ("allow 3.120.5.6;", "3.120.5.6"),  # nginx access control
    ("deny 84.241.22.0/24;", "84.241.22.0"),
    ("[UFW BLOCK] IN=eth0 OUT= MAC=00:11 SRC=3.120.5.6 DST=10.0.0.2", "3.120.5.6"),
    ('{"client_ip": "3.120.5.6"}', "3.120.5.6"),
    ("3.120.5.6 - - [12/Mar/2024:10:00:01 +0100] \"GET / HTTP/1.1\" 200", "3.120.5.6"),
    ("upstream server 3.120.5.6:8080", "3.120.5.6"),
    ("remote [2a02:a46c:1::5]:443", "2a02:a46c:1::5"),
]

IP_FALSE = [
    "SQLite 3.41.0.7 bundled",  # a product name, then its version
    "sqlite@3.41.0.7",  # npm-style package@version
    "requires foo==1.22.4.3",  # a pip pin
    '[assembly: AssemblyVersion("4.2.100.12")]',  # an identifier ending in a version word
    "app_version=2.14.3.11",
    "duration 12.34.56.78",
    "Art. 12.1.2.3 van de wet",  # an article number
    "ModSecurity rule 94.21.0.1 matched",  # a rule id
    "gps 52.37.21.4",
]


@pytest.mark.parametrize(("text", "value"), IP_TRUE, ids=[c[0][:30] for c in IP_TRUE])
def test_addresses_in_logs_headers_and_access_rules(text: str, value: str) -> None:
    assert _found(text, "pii.ip_address") == [value]


@pytest.mark.parametrize("text", IP_FALSE, ids=[c[:30] for c in IP_FALSE])
def test_versions_rule_ids_and_numbered_things_are_no_addresses(text: str) -> None:
    assert _found(text, "pii.ip_address") == []


# --- column names -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind"), [
    ("fødselsdato", "pii.date_of_birth"), ("Födelsedatum", "pii.date_of_birth"),
    ("FechaNacimiento", "pii.date_of_birth"), ("data_di_nascita", "pii.date_of_birth"),
    ("syntymäaika", "pii.date_of_birth"), ("BDAY", "pii.date_of_birth"),
    ("CPR-nummer", "pii.national_id"), ("henkilötunnus", "pii.national_id"), ("NIE", "pii.national_id"),
    ("rodné_číslo", "pii.national_id"), ("EMŠO", "pii.national_id"), ("isikukood", "pii.national_id"),
    ("OIB", "pii.national_id"), ("CNP", "pii.national_id"), ("numero_contribuinte", "pii.national_id"),
    ("ipv6", "pii.ip_address"), ("IP-Adresse", "pii.ip_address"), ("x-real-ip", "pii.ip_address"),
])
def test_column_names_in_eu_languages(name: str, kind: str) -> None:
    meaning = vocabulary.vocabulary().meaning(name)
    assert meaning is not None and meaning.kind == kind


@pytest.mark.parametrize("name", ["created_at", "order_date", "expiry_date", "appointment_date",
                                  "release_date", "niet_actief", "nieuwsbrief", "volgnummer"])
def test_other_date_and_number_columns_name_nothing_personal(name: str) -> None:
    meaning = vocabulary.vocabulary().meaning(name)
    assert meaning is None or meaning.type is None


def test_an_hr_export_with_eu_column_names(tmp_path: Path) -> None:
    rows = [["nombre", "fecha_nacimiento", "NIE", "fecha_alta", "pedido"],
            ["Ana", "1985-03-12", "Y4821356H", "2024-03-12", "87031412341"],
            ["Luis", "19761104", "Y4821356H", "2024-03-13", "1870314123459"]]
    path = tmp_path / "empleados.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    text_scan = structured.plain_text_scan(path, path.name)
    found = structured.scan_structured(path, path.name, frozenset({"pii"}), text_scan) or []
    columns = {(str(f.location.get("column")), f.type) for f in found if "rows" in f.location}
    # the hire date and the order numbers (which pass PESEL and CNP) are not reported
    assert columns == {("fecha_nacimiento", "pii.date_of_birth"), ("NIE", "pii.national_id")}


@pytest.mark.parametrize(("text", "value"), [
    ("The birthdate is 5/20/1981", "5/20/1981"),  # the US order, where the day-first reading is no date
    ("Patient DOB 03/25/1985", "03/25/1985"),
    ("DOB 1948-06-12 00:00:00.0", "1948-06-12"),
    ("dob: 1997-07-16T19:20:30+01:00", "1997-07-16"),
])
def test_us_order_and_timestamps_after_a_birth_word(text: str, value: str) -> None:
    assert _found(text, "pii.date_of_birth") == [value]


def test_an_ambiguous_date_is_read_day_first() -> None:
    assert date_of_birth.parse("04/07/1976") == date(1976, 7, 4)
    assert date_of_birth.parse("13/13/1976") is None  # neither order names a date


@pytest.mark.parametrize("text", ["nieuwe klant Y4821356H", "wegnemen 8703141234"])
def test_short_national_names_inside_other_words_name_nothing(text: str) -> None:
    # NIE and EGN checksums pass; the letters stand inside Dutch and English words
    assert _found(text, "pii.national_id") == []
