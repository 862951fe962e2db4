"""Personal-data classes of issue 15, round 7: identity documents of several countries, foreign phone
numbers in a named column, a licence number that is no phone number.

Each value is written here from the public format it follows, never copied from a corpus:
- Dutch passport / identity-card numbers (Rijksdienst voor Identiteitsgegevens, since 2014): two letters,
  six letters or digits, one digit, never the letter O;
- other EU states' document numbers as ICAO 9303 documents print them: Germany nine signs of
  C F G H J K L M N P R T V W X Y Z and digits, France two digits two letters five digits, Belgium two
  letters six digits;
- the Belgian national number (yymmdd-serial-mod 97, printed `87.03.14-123.44` on the eID) and the French
  NIR (13 digits and a 97-complement key), which a register notes where an identity document is asked;
- German (015x/016x/017x mobiles) and Belgian (04xx mobiles) numbers in national notation (ITU-T E.164
  national prefix 0), as a register of people from several countries keeps them;
- the ten-digit Dutch driving-licence number (RDW), often led by a zero like a Dutch area code.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from services.detection import scan_text, structured
from services.detection.structured import validators
from services.results import Finding

ACTIONABLE = 0.5
KINDS = frozenset({"pii"})
NL_DOCUMENTS = ("NXR4K7PL2", "BFRTLKHW5", "JK81MN4P7", "XT2Z9Q4R1")  # 2 letters, 6 signs, a digit, no O
BE_NN = "87.03.14-123.44"  # 1987-03-14, serial 123, 97 - (870314123 mod 97) = 44
FR_NIR = "1 85 03 75 123 456 41"  # man, 1985-03, dept 75, key 97 - (1850375123456 mod 97) = 41
FOREIGN_PHONES = ("0171 2345678", "0152-23456789", "0471 23 45 67", "0496 12 34 56")  # DE, DE, BE, BE


def _columns(tmp_path: Path, rows: list[list[str]]) -> dict[tuple[str, str], Finding]:
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    text_scan = structured.plain_text_scan(path, path.name)
    found = structured.scan_structured(path, path.name, KINDS, text_scan) or []
    return {(str(f.location.get("column")), f.type): f for f in found
            if "rows" in f.location and f.confidence >= ACTIONABLE}


def _alerts(text: str, kind: str) -> list[str]:
    lines = text.split("\n")
    return [lines[int(str(f.location["line"])) - 1][slice(*f.explanation["span"])] for f in scan_text(text)
            if f.type == kind and f.confidence >= ACTIONABLE]


def test_the_example_values_are_valid() -> None:
    assert all(validators.valid_document(d) for d in NL_DOCUMENTS)
    assert validators.valid_national_id(BE_NN) and validators.valid_national_id(FR_NIR)
    assert not any(validators.valid_phone(p) for p in FOREIGN_PHONES)  # not Dutch numbers


# --- a column named for an identity document ------------------------------------------------------------

@pytest.mark.parametrize("header", ["id_document", "ID-document", "identiteitsbewijs", "legitimatiebewijs",
                                    "identity_document", "Passnummer"])
def test_an_identity_document_column_holds_document_and_national_numbers(tmp_path: Path,
                                                                        header: str) -> None:
    rows = [["naam", header], *[[f"P{i}", d] for i, d in enumerate(NL_DOCUMENTS)],
            ["Q", BE_NN], ["R", FR_NIR]]
    found = _columns(tmp_path, rows)
    assert found[(header, "pii.passport")].location["rows"] == [2, 3, 4, 5]
    assert found[(header, "pii.national_id")].location["rows"] == [6, 7]


def test_a_ledger_documentnummer_column_is_no_column_of_national_numbers(tmp_path: Path) -> None:
    # consecutive invoice numbers: one in eleven passes the BSN 11-proof by chance
    numbers = [str(202611001 + i) for i in range(12)]
    assert any(validators.valid_bsn(n) for n in numbers)
    found = _columns(tmp_path, [["documentnummer", "bedrag"], *[[n, "12,50"] for n in numbers]])
    assert not [key for key in found if key[0] == "documentnummer"]


def test_nine_digit_record_numbers_do_not_pass_as_czech_birth_numbers() -> None:
    # before 1954 a rodné číslo had no check digit: a date-like start is all it proves
    assert not validators.valid_national_id("202611001")


def test_a_document_id_column_is_a_record_key(tmp_path: Path) -> None:
    rows = [["document_id", "titel"], *[[f"DOC{i}A2024", "notulen"] for i in range(5)]]
    assert not [key for key in _columns(tmp_path, rows) if key[0] == "document_id"]


def test_a_column_of_document_types_names_no_document(tmp_path: Path) -> None:
    rows = [["naam", "id_document_type"], ["A", "paspoort"], ["B", "ID-kaart"], ["C", "rijbewijs"]]
    assert not [key for key in _columns(tmp_path, rows) if key[0] == "id_document_type"]


# --- other EU states' passport numbers in free text ----------------------------------------------------

EU_PASSPORT_TRUE = [
    ("Reisepassnummer: C4J9KL7T2", "C4J9KL7T2"),  # DE
    ("Passeport n° 12AB34567, délivré à Lyon", "12AB34567"),  # FR
    ("Paspoort: EH123456 (België)", "EH123456"),  # BE
    ("Numero passaporto YA1234567", "YA1234567"),  # IT
]
EU_PASSPORT_FALSE = [
    "Factuur AB123456 is verstuurd",  # a BE-shaped code without a passport word
    "Document number: AB123456 (credit note)",  # a BE or ES shape under a ledger's word
    "Passport photo: 35x45 mm, taken less than 6 months ago",
    "passport_status=PENDINGXX",  # letters only
    "Paspoort verloopt op 12-03-2031, afspraak 24AB3456",  # eight signs: no state's format
]


@pytest.mark.parametrize(("text", "value"), EU_PASSPORT_TRUE, ids=[c[1] for c in EU_PASSPORT_TRUE])
def test_an_eu_passport_number_is_found_beside_its_own_label(text: str, value: str) -> None:
    assert _alerts(text, "pii.passport") == [value]


@pytest.mark.parametrize("text", EU_PASSPORT_FALSE, ids=[c[:24] for c in EU_PASSPORT_FALSE])
def test_document_shaped_codes_without_a_passport_word_are_not_passports(text: str) -> None:
    assert _alerts(text, "pii.passport") == []


# --- phone numbers in another country's national notation, under a phone column ----------------------

def test_a_phone_column_holds_numbers_in_other_countries_national_notation(tmp_path: Path) -> None:
    rows = [["naam", "telefoon"], ["A", "06 12 34 56 78"],
            *[[f"B{i}", p] for i, p in enumerate(FOREIGN_PHONES)]]
    found = _columns(tmp_path, rows)
    assert found[("telefoon", "pii.phone")].location["rows"] == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("value", ["onbekend", "0000000000", "2024-11-30", "12345", "0612",
                                   "01-03-1985 10:00", "00000000000000000000"])
def test_a_phone_column_does_not_take_what_is_no_number(tmp_path: Path, value: str) -> None:
    found = _columns(tmp_path, [["naam", "telefoon"], ["A", value]])
    assert ("telefoon", "pii.phone") not in found


def test_foreign_national_notation_needs_the_column_name(tmp_path: Path) -> None:
    # without a phone name a 0-led digit run proves nothing: libphonenumber takes nearly every one
    rows = [["code", "kolom"], *[[f"C{i}", p] for i, p in enumerate(FOREIGN_PHONES * 2)]]
    assert not [key for key in _columns(tmp_path, rows) if key[1] == "pii.phone"]


# --- a driving-licence number is no phone number -------------------------------------------------------

def test_a_labelled_licence_number_is_a_licence_not_a_phone_number() -> None:
    text = "Rijbewijsnummer: 0512345678"
    assert _alerts(text, "pii.drivers_license") == ["0512345678"]
    assert _alerts(text, "pii.phone") == []


@pytest.mark.parametrize("text", ["Rijbewijs B, mobiel 0612345678", "Tel: 0512 345678",
                                  "Driving licence: full. Phone 0201234567"])
def test_a_phone_number_beside_a_licence_word_stays_a_phone_number(text: str) -> None:
    assert len(_alerts(text, "pii.phone")) == 1


# --- an organisation's function mailboxes ---------------------------------------------------------------

FUNCTION_MAILBOXES = ["patientenservice@kliniek.nl", "studentenzaken@hogeschool.nl", "examencommissie@uni.nl",
                      "jeugdteam@gemeente.nl", "ouderportaal@school.nl", "debiteurenbeheer@incasso.nl",
                      "onderhoud@woningcorporatie.nl", "bestuur@vereniging.nl", "dossiers@notaris.nl",
                      "salaris@loonbureau.nl", "offerte@dakdekker.nl", "hallo@startup.nl"]
PERSONAL_MAILBOXES = ["jhoekstra@planet.nl", "pieter@bakkerij.nl", "k.teamer@ziggo.nl",
                      "servaas.dekker@kpn.nl", "zakenman1970@hotmail.com", "anna_beheerder@gmail.com",
                      "tom.post@live.nl"]


@pytest.mark.parametrize("address", FUNCTION_MAILBOXES)
def test_a_department_or_function_mailbox_names_no_person(address: str) -> None:
    assert _alerts(f"Mail ons via {address} of bel.", "pii.email") == []


@pytest.mark.parametrize("address", PERSONAL_MAILBOXES)
def test_a_persons_mailbox_is_still_found(address: str) -> None:
    assert _alerts(f"Van: {address}", "pii.email") == [address]


# --- Postfix relay hosts -------------------------------------------------------------------------------

def test_the_mail_relay_a_message_went_to_is_no_persons_address() -> None:
    line = ("Dec  1 10:00:00 mx1 postfix/smtp[2211]: 9A1B2C3D: to=<a@b.nl>, "
            "relay=mx1.provider.net[145.53.20.11]:25, delay=0.4, status=sent")
    assert _alerts(line, "pii.ip_address") == []


@pytest.mark.parametrize("line", [
    "Dec  1 10:00:00 mx1 postfix/smtpd[2211]: connect from unknown[145.53.20.11]",
    "Dec  1 10:00:00 mx1 postfix/smtpd[2211]: 9A1B2C3D: client=dsl-1.isp.nl[145.53.20.11]",
    "Dec  1 10:00:00 app sshd[812]: Accepted password for piet from 145.53.20.11 port 50122 ssh2",
])
def test_a_connecting_clients_address_is_still_found(line: str) -> None:
    assert _alerts(line, "pii.ip_address") == ["145.53.20.11"]


# --- German and French phone column names ---------------------------------------------------------------

@pytest.mark.parametrize("header", ["Telefon", "Mobilnummer", "Rufnummer", "numero_telephone"])
def test_german_and_french_phone_headers_name_a_phone_column(tmp_path: Path, header: str) -> None:
    rows = [["Name", header], *[[f"N{i}", p] for i, p in enumerate(FOREIGN_PHONES)]]
    assert _columns(tmp_path, rows)[(header, "pii.phone")].location["count"] == len(FOREIGN_PHONES)


# --- the RvIG test-set BSNs -------------------------------------------------------------------------------

RVIG_TEST_BSNS = ("999990019", "999991772", "999998882")  # 99999xxxx passing the 11-proof


def test_the_test_set_numbers_pass_the_11_proof() -> None:
    from stdnum.nl import bsn

    assert all(bsn.is_valid(n) for n in RVIG_TEST_BSNS)


@pytest.mark.parametrize("number", RVIG_TEST_BSNS)
def test_an_rvig_test_bsn_is_a_note_not_an_alert(number: str) -> None:
    assert _alerts(f"BSN: {number}", "pii.bsn") == []
    assert [f.type for f in scan_text(f"BSN: {number}")] == ["pii.bsn"]  # still reported, as a note


def test_an_rvig_test_bsn_does_not_count_in_a_bsn_column(tmp_path: Path) -> None:
    rows = [["naam", "bsn"], ["Test", RVIG_TEST_BSNS[0]], ["Jan", "111222333"], ["Piet", "232262536"]]
    assert _columns(tmp_path, rows)[("bsn", "pii.bsn")].location["rows"] == [3, 4]


@pytest.mark.parametrize("number", ["999989005", "199999004"])
def test_bsns_outside_the_test_range_are_still_found(number: str) -> None:
    assert _alerts(f"BSN: {number}", "pii.bsn") == [number]


# --- versions a changelog upgrades to --------------------------------------------------------------------

@pytest.mark.parametrize("text", ["- Upgrade Laravel to 11.31.0.2", "Bump guzzle from 17.2.10.4 to 17.2.10.5",
                                  "Upgraded the driver to 12.4.100.3 (security fix)"])
def test_a_version_a_dependency_is_upgraded_to_is_no_address(text: str) -> None:
    assert _alerts(text, "pii.ip_address") == []


def test_an_address_on_a_line_about_an_upgrade_is_still_found() -> None:
    assert _alerts("login from 84.104.160.93 after the upgrade", "pii.ip_address") == ["84.104.160.93"]


# --- addresses in calendar and address-book files ---------------------------------------------------------

POSTCODE_TRUE = [
    ("LOCATION:Kerkstraat 12\\, 1234 AB Utrecht", "Kerkstraat 12\\, 1234 AB"),  # RFC 5545 escaped comma
    ("ADR;TYPE=HOME:;;Oranjehof 4;Gouda;;2801 AB;Nederland", "2801 AB;Nederland"),  # RFC 6350 ADR
    ("ADR:;;Het Rond 1;Ede;;6711 AA;", "6711 AA"),
]
POSTCODE_FALSE = [
    "ADR;TYPE=WORK:;;Postbus 100;Utrecht;;3500 AA;Nederland",  # a postal box locates an organisation
    "PADR: 1234 AB",  # `adr` inside another word is no ADR property
    "X-RADR;1234 AB",
]


@pytest.mark.parametrize(("text", "value"), POSTCODE_TRUE, ids=[c[0][:20] for c in POSTCODE_TRUE])
def test_a_postcode_in_an_icalendar_or_vcard_address_is_found(text: str, value: str) -> None:
    assert _alerts(text, "pii.postcode") == [value]


@pytest.mark.parametrize("text", POSTCODE_FALSE, ids=[c[:20] for c in POSTCODE_FALSE])
def test_postcode_shapes_without_a_persons_address_are_not_postcodes(text: str) -> None:
    assert _alerts(text, "pii.postcode") == []


# --- an organisation's contact line and account -----------------------------------------------------------

ORGANISATION_LINES = [
    "<p>Contact: 030-2345678, info@kliniek.nl</p>",
    "Bel 0575-123456 of mail studentenzaken@hogeschool.nl",
    "Vragen? patientenservice@ziekenhuis.nl · (020) 123 45 67",
]


@pytest.mark.parametrize("line", ORGANISATION_LINES, ids=[c[:20] for c in ORGANISATION_LINES])
def test_a_landline_beside_a_function_mailbox_is_the_organisations(line: str) -> None:
    assert _alerts(line, "pii.phone") == []


@pytest.mark.parametrize(("line", "number"), [
    ("Jan: 030-2345678, jan.devries@kpn.nl", "030-2345678"),  # a person's own mailbox beside it
    ("Contact: 06-12345678, info@kliniek.nl", "06-12345678"),  # a mobile is carried by a person
    ("Bel mij op 030-2345678 (info@kliniek.nl weet ervan)", "030-2345678"),  # said in the first person
])
def test_a_persons_number_stays_found_beside_a_mailbox(line: str, number: str) -> None:
    assert _alerts(line, "pii.phone") == [number]


@pytest.mark.parametrize("line", [
    "Doneren: NL91 ABNA 0417 1643 00 t.n.v. Stichting De Zonnebloem.",
    "Betaal op NL91ABNA0417164300 t.n.v. Bakkerij Jansen B.V.",
    "IBAN NL91ABNA0417164300 ten name van Vereniging Dorpsbelang",
    "Rekening NL91ABNA0417164300, t.n.v. de Gemeente Utrecht",
])
def test_an_account_held_by_a_legal_entity_is_no_personal_data(line: str) -> None:
    assert _alerts(line, "pii.iban") == []


@pytest.mark.parametrize("line", [
    "IBAN NL91ABNA0417164300 t.n.v. J. de Vries",
    "Mijn rekening: NL91ABNA0417164300 (t.n.v. mevr. Stichter)",
    "NL91ABNA0417164300\nt.n.v. Stichting De Zonnebloem",  # the holder line of another entry
])
def test_a_persons_account_stays_found(line: str) -> None:
    assert _alerts(line, "pii.iban") == ["NL91ABNA0417164300"]
