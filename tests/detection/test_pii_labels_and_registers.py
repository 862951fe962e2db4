"""Personal-data classes found on data written outside the team (issue 15, round 4).

Each case is written here from the public format it follows, never copied from a corpus:
- a register of people of several nationalities keeps each person's number in one column
  (`nationaal_id`, `ID-nummer`, `persoonsnummer`): BSNs and other EU numbers side by side;
- a nine-digit number its line labels as another number (kenmerk, polisnummer, order) is no BSN;
- IPv4: product tokens (`Name/1.2.3.4`, RFC 9110), version words on the line before, anonymised
  network addresses, scp/rsync `host:/path` targets;
- role and service mailboxes, Google Cloud service accounts;
- dotted codes under a cost-centre, section or firmware column.
Valid numbers pass their python-stdnum check (BSN 11-proof, Belgian mod-97, PESEL, NIE, CPR, CNP).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from stdnum.nl import bsn

from services.detection import scan_text, structured
from services.detection.detectors import email
from services.detection.structured import validators
from services.results import Finding

ACTIONABLE = 0.5
KINDS = frozenset({"pii"})
BSNS = ("725763863", "162275869", "192285142", "691682483", "987825707", "688136138")
BE_NN = "87031412344"  # 1987-03-14, serial 123, mod-97 check 44
OTHER_EU = (BE_NN, "87031412341", "Y4821356H", "140387-1230", "1870314123459")  # BE, PL, ES, DK, RO
RECORD_NUMBERS = ("29517315914", "89996859558", "91885822937", "78021411753", "84128361028",
                  "36776247603", "13183652505", "65314079800")  # the last two pass a national checksum


def _found(text: str, kind: str) -> list[str]:
    """The values of `kind` reported as alerts (confidence >= ACTIONABLE), in text order."""
    lines = text.split("\n")
    return [lines[int(str(f.location["line"])) - 1][slice(*f.explanation["span"])] for f in scan_text(text)
            if f.type == kind and f.confidence >= ACTIONABLE]


def _columns(tmp_path: Path, name: str, rows: list[list[str]] | dict[str, str],
             ) -> dict[tuple[str, str], Finding]:
    path = tmp_path / name
    if isinstance(rows, dict):
        path.write_text(json.dumps(rows), encoding="utf-8")
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    text_scan = structured.plain_text_scan(path, path.name)
    found = structured.scan_structured(path, path.name, KINDS, text_scan) or []
    return {(str(f.location.get("column")), f.type): f for f in found if "rows" in f.location}


def test_the_example_numbers_are_valid() -> None:
    assert all(bsn.is_valid(n) for n in BSNS)
    assert all(validators.valid_national_id(n) for n in OTHER_EU)
    assert not any(validators.valid_national_id(n) for n in RECORD_NUMBERS[:6])
    assert all(validators.valid_national_id(n) for n in RECORD_NUMBERS[6:])


# --- registers of people of several nationalities -----------------------------------------------------

def test_a_national_id_column_holds_bsns_and_other_eu_numbers(tmp_path: Path) -> None:
    rows = [["naam", "nationaliteit", "nationaal_id"], ["Anna", "NL", BSNS[0]],
            *[[f"P{i}", "EU", number] for i, number in enumerate(OTHER_EU)]]
    found = _columns(tmp_path, "chauffeurs.csv", rows)
    assert found[("nationaal_id", "pii.bsn")].location["rows"] == [2]
    assert found[("nationaal_id", "pii.national_id")].location["rows"] == [3, 4, 5, 6, 7]


@pytest.mark.parametrize("header", ["ID-nummer", "id_nummer", "IdNumber", "identificatienummer",
                                    "persoonsnummer"])
def test_identity_number_headers_name_a_column_of_national_numbers(tmp_path: Path, header: str) -> None:
    rows = [["Kandidaat", header], *[[f"P{i}", number] for i, number in enumerate(OTHER_EU)]]
    found = _columns(tmp_path, "kandidaten.csv", rows)
    assert found[(header, "pii.national_id")].location["count"] == len(OTHER_EU)


def test_a_bsn_column_does_not_report_a_failed_bsn_as_a_foreign_number(tmp_path: Path) -> None:
    # 123456789 fails the 11-proof and passes the Portuguese NIF check; BE_NN cannot be a BSN
    rows = [["naam", "persoonsnummer"], ["A", BSNS[1]], ["B", "123456789"], ["C", BE_NN]]
    found = _columns(tmp_path, "gasten.csv", rows)
    assert found[("persoonsnummer", "pii.bsn")].location["rows"] == [2]
    assert found[("persoonsnummer", "pii.national_id")].location["rows"] == [4]


def test_record_numbers_under_a_loose_id_name_are_no_national_numbers(tmp_path: Path) -> None:
    # two of eight pass some country's checksum by chance: a table's own numbers, not national ones
    rows = [["naam", "id_nummer"], *[[f"R{i}", number] for i, number in enumerate(RECORD_NUMBERS)]]
    found = _columns(tmp_path, "records.csv", rows)
    assert ("id_nummer", "pii.national_id") not in found


# --- numbers labelled as something else ----------------------------------------------------------------

BSN_TRUE = [
    (f"Uw brief met kenmerk {BSNS[0]}\nBetreft BSN {BSNS[1]}", [BSNS[1]]),
    (f"polisnr. {BSNS[2]} / burgerservicenummer {BSNS[3]}", [BSNS[3]]),
    (f"sofinummer {BSNS[0]} (zie ook dossiernummer {BSNS[4]})", [BSNS[0]]),
    (f"De heer Jansen, geboren 12-03-1985, {BSNS[2]}", [BSNS[2]]),  # unlabelled, in a personal record
]
BSN_FALSE = [
    f"Patiënt: mevr. Pauw (geb. 02-11-1961)\nUw bestelling met ordernummer {BSNS[4]} komt morgen.",
    f"Applicant born 7 June 1979 (date of birth verified). Please quote reference {BSNS[5]}.",
    f"cliënt de heer Pauw\n[worker] case {BSNS[1]} closed after 12 days",
    f"Verzekerde: mevr. Pauw; claimnummer {BSNS[3]}",
    f"Factuurnummer {BSNS[0]} - BSN wordt apart gestuurd",
]


@pytest.mark.parametrize(("text", "values"), BSN_TRUE, ids=[c[0][:30] for c in BSN_TRUE])
def test_a_bsn_is_found_where_its_own_label_or_a_record_names_it(text: str, values: list[str]) -> None:
    assert _found(text, "pii.bsn") == values


@pytest.mark.parametrize("text", BSN_FALSE, ids=[c[:30] for c in BSN_FALSE])
def test_a_number_labelled_as_a_case_order_policy_or_reference_is_no_bsn(text: str) -> None:
    assert _found(text, "pii.bsn") == []


# --- IP addresses -------------------------------------------------------------------------------------

IP_TRUE = [
    ('agent="ExampleBrowser Version/9.2"\n84.241.22.7 - - [12/Mar/2024:10:00:01 +0100] "GET /"',
     "84.241.22.7"),  # the version word is on the line before
    ("rsync -az ./site/ www@3.120.5.6:/var/www/site/", "3.120.5.6"),
    ("scp dump.sql deploy@84.241.22.7:~/dumps/", "84.241.22.7"),
    ("block 84.241.22.0/24 at the firewall", "84.241.22.0"),  # a network with its prefix length
]
IP_FALSE = [
    '"Mozilla/5.0 (X11) AppleWebKit/537.36 SomeBrowser/118.2.5.9 Safari/537.36"',
    "Server: ExampleServer/2.4.57.3",
    "visitor address stored anonymised as 84.241.22.0",
    "client 3.120.5.0 (last octet removed)",
]


@pytest.mark.parametrize(("text", "value"), IP_TRUE, ids=[c[0][:30] for c in IP_TRUE])
def test_addresses_after_a_version_line_and_as_copy_targets(text: str, value: str) -> None:
    assert _found(text, "pii.ip_address") == [value]


@pytest.mark.parametrize("text", IP_FALSE, ids=[c[:30] for c in IP_FALSE])
def test_product_versions_and_anonymised_addresses_are_no_addresses(text: str) -> None:
    assert _found(text, "pii.ip_address") == []


def test_dotted_codes_under_cost_centre_section_and_firmware_names(tmp_path: Path) -> None:
    rows = [["Kostenplaats", "Paragraaf", "Omzet"], ["61.230.17.8", "7.12.3.1", "1200"],
            ["62.14.220.3", "7.12.3.2", "800"], ["63.201.9.77", "7.12.4.1", "950"]]
    assert not [k for k in _columns(tmp_path, "omzet.csv", rows) if k[1] == "pii.ip_address"]
    device = {"device": "T-100", "firmware": "9.14.118.3", "firmware_version": "9.14.118.4"}
    assert not [k for k in _columns(tmp_path, "terminal.json", device) if k[1] == "pii.ip_address"]


# --- e-mail addresses ---------------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["secretariaat@advocaten-voorbeeld.nl", "ledenadministratie@club.nl",
                                     "survey-admin@hogeschool.nl", "svc-backup@woningcorporatie.nl",
                                     "verhuur.noord@woningcorporatie.nl", "it-support@school.nl",
                                     "loader@analytics-4313.iam.gserviceaccount.com", "scriba@kerk.nl"])
def test_role_and_service_mailboxes_are_nobody(address: str) -> None:
    assert not email.validate(address)
    assert _found(f"Mail {address} voor vragen", "pii.email") == []


@pytest.mark.parametrize("address", ["jan.devries@gmail.com", "devon@ziggo.nl", "webbe.jansen@kpnmail.nl",
                                     "tom-kramer@planet.nl", "a.secretaris@xs4all.nl"])
def test_peoples_mailboxes_that_start_like_a_role_stay_personal(address: str) -> None:
    assert email.validate(address)
    assert _found(f"Mail {address} voor vragen", "pii.email") == [address]


# --- labels on other lines, vCards, HL7, changelogs ---------------------------------------------------

def test_a_calendar_entrys_next_uid_line_does_not_label_a_phone_number() -> None:
    text = ("SUMMARY:Spreekuur\r\nDESCRIPTION:Tel. ouder 0612873465\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
            "UID:7f3a09c2d1e4@school.nl")
    assert _found(text, "pii.phone") == ["0612873465"]


@pytest.mark.parametrize("text", ["Klantnummer:\n0612873465", "bel 0612873465 (ordernummer)"])
def test_a_label_of_another_number_above_or_beside_it_still_drops_a_bare_digit_run(text: str) -> None:
    assert _found(text, "pii.phone") == []


@pytest.mark.parametrize(("text", "value"), [
    ("EMAIL;TYPE=HOME:jan.devries@outlook.com", "jan.devries@outlook.com"),  # vCard 3.0 (RFC 2426)
    ("item1.EMAIL;type=INTERNET;type=pref:p.jansen@ziggo.nl", "p.jansen@ziggo.nl"),  # Apple vCard
    ("E-mail:fatima.elamrani@kpnmail.nl", "fatima.elamrani@kpnmail.nl"),
])
def test_mailboxes_after_an_email_property_or_label(text: str, value: str) -> None:
    assert _found(text, "pii.email") == [value]


@pytest.mark.parametrize("text", ["redis://app:geheim@cache.ziggo.nl:6379/0", "ftp://jan:w8woord@files.kpn.nl",
                                  "smtp:relay@mail.kpn.nl"])
def test_the_password_of_a_url_is_no_mailbox(text: str) -> None:
    assert _found(text, "pii.email") == []


def test_a_bsn_named_by_its_hl7_identifier_type() -> None:
    text = f"PID|||{BSNS[1]}^^^NLMINBIZA^NNNLD~4471^^^HIS^PI||Pauw^Jan^^^^^L||19610211|M"
    assert _found(text, "pii.bsn") == [BSNS[1]]


def test_other_hl7_identifiers_near_a_bsn_are_no_bsn() -> None:
    # the message control id of the MSH line and a hospital's own patient number pass the 11-proof too
    text = (f"MSH|^~\\&|HIS|ZH|LAB|ZH|20240101||ADT^A04|{BSNS[0]}|P|2.5\n"
            f"PID|||{BSNS[2]}^^^HIS^PI~{BSNS[1]}^^^NLMINBIZA^NNNLD||Pauw^Jan")
    assert _found(text, "pii.bsn") == [BSNS[1]]


@pytest.mark.parametrize("text", ["## [7.3.12.4] - 2023-04-18", "### 5.22.1.9 (2023-01-05)", "# [12.5.11.3]"])
def test_a_changelogs_release_heading_is_no_address(text: str) -> None:
    assert _found(text, "pii.ip_address") == []


def test_an_address_in_a_heading_after_words_is_still_one() -> None:
    assert _found("## Blocked client 84.241.22.7", "pii.ip_address") == ["84.241.22.7"]


# --- document numbers in registers -------------------------------------------------------------------

EU_DOCUMENTS = ("CFH7K29LM", "XY482913", "12AB34567", "ABC123456", "AA1234567", "P1234567", "N123456",
                "NWRKPLTZ4")  # DE, BE, FR, ES, IT/PL, AT, PT, NL (letters only in the middle)
NOT_DOCUMENTS = ("12345678", "123456789", "DOC-2024-001", "onbekend", "1234 AB", "2024-03-12", "ABCDEFGHJ",
                 "06-12345678")


@pytest.mark.parametrize("value", EU_DOCUMENTS)
def test_eu_document_number_formats_under_a_document_column(value: str) -> None:
    assert validators.valid_document(value)


@pytest.mark.parametrize("value", NOT_DOCUMENTS)
def test_digit_runs_codes_and_words_are_no_document_numbers(value: str) -> None:
    assert not validators.valid_document(value)


def test_a_guest_register_with_documents_of_several_countries(tmp_path: Path) -> None:
    rows = [["naam", "documentsoort", "documentnummer"],
            *[[f"G{i}", "paspoort", number] for i, number in enumerate(EU_DOCUMENTS)], ["G9", "geen", "-"]]
    found = _columns(tmp_path, "nachtregister.csv", rows)
    assert found[("documentnummer", "pii.passport")].location["count"] == len(EU_DOCUMENTS)


def test_an_id_number_column_holds_document_and_national_numbers(tmp_path: Path) -> None:
    rows = [["naam", "id_type", "ID-nummer"], ["A", "paspoort", EU_DOCUMENTS[0]], ["B", "ID-kaart",
            EU_DOCUMENTS[7]], ["C", "nationaal", OTHER_EU[1]], ["D", "BSN", BSNS[2]]]
    found = _columns(tmp_path, "bewoners.csv", rows)
    assert found[("ID-nummer", "pii.passport")].location["rows"] == [2, 3]
    assert found[("ID-nummer", "pii.national_id")].location["rows"] == [4]
    assert found[("ID-nummer", "pii.bsn")].location["rows"] == [5]


def test_document_dms_numbers_are_no_passports(tmp_path: Path) -> None:
    rows = [["titel", "documentnummer"], *[[f"Notulen {i}", f"{20240100 + i}"] for i in range(6)]]
    assert ("documentnummer", "pii.passport") not in _columns(tmp_path, "dms.csv", rows)


def test_the_senders_own_address_in_an_email_header(tmp_path: Path) -> None:
    from services.extraction.base import ExtractOptions
    from services.extraction.email import extract_eml

    path = tmp_path / "ziekmelding.eml"
    path.write_text("Received: from relay.example.nl ([10.0.2.5])\nX-Originating-IP: [84.241.22.7]\n"
                    "From: Jan <jan.devries@ziggo.nl>\nTo: intake@zorg.nl\nSubject: ziek\n\nTot morgen.\n",
                    encoding="utf-8")
    text = "\n".join(chunk.text for chunk in extract_eml(path, ExtractOptions()))
    assert _found(text, "pii.ip_address") == ["84.241.22.7"]
    assert _found(text, "pii.email") == ["jan.devries@ziggo.nl"]  # intake@ is a desk, not a person


@pytest.mark.parametrize("card", ["4000 0025 0000 3155", "4000002760003184", "2223 0031 2200 3222"])
def test_published_provider_test_cards_are_no_ones_card(card: str) -> None:
    assert _found(f"Betaald met creditcard {card}", "pii.credit_card") == []


def test_a_card_outside_the_published_test_lists_is_reported() -> None:
    assert _found("Betaald met creditcard 4787 7893 2879 2170", "pii.credit_card") == ["4787 7893 2879 2170"]


# --- an organisation's own contact details -----------------------------------------------------------

ORGANISATION_LINES = [
    "Voorbeeld B.V. - telefoon 020 555 12 40 - KvK 12345678",
    "Hoofdnummer 024 555 18 11 (ma-vr)",
    "Vragen? Onze klantenservice is bereikbaar op 013 555 44 21",
    "Heeft u vragen, bel ons dan op 0183 555 631.",
    "customer service: +31 13 555 4422",
    "Het secretariaat (050 555 17 12) is dagelijks open",
]


@pytest.mark.parametrize("text", ORGANISATION_LINES, ids=[c[:30] for c in ORGANISATION_LINES])
def test_switchboard_service_desk_and_letterhead_numbers_are_the_organisations(text: str) -> None:
    assert _found(text, "pii.phone") == []


@pytest.mark.parametrize(("text", "value"), [
    ("Mijn nummer is 0413 555 716; onze KvK staat op de factuur.", "0413 555 716"),
    ("KvK 12345678\nBel mevrouw Jansen: 06-23456789", "06-23456789"),
    ("Dhr. Pauw, Molenweg 3, 7411 KT Deventer, tel 0570 - 55 23 91", "0570 - 55 23 91"),
    ("Sanne Pauw | support engineer | 06-23456789", "06-23456789"),  # a mobile is someone's own
    ("Bereikbaar via de helpdesk: +31 6 2345 6790", "+31 6 2345 6790"),
])
def test_a_persons_number_beside_organisation_words_elsewhere(text: str, value: str) -> None:
    assert _found(text, "pii.phone") == [value]


@pytest.mark.parametrize("text", ["Inloop in het stadhuis, Markt 4, 7411 GT Deventer",
                                  "Het kerkelijk bureau is verhuisd naar Torenlaan 9, 9711 AB Groningen",
                                  "Post voor het secretariaat: Havenkade 21, 1011 XG Amsterdam"])
def test_the_address_of_a_town_hall_church_office_or_secretariat(text: str) -> None:
    assert _found(text, "pii.postcode") == []


def test_a_persons_address_is_still_one() -> None:
    assert _found("Dhr. Pauw woont op Molenweg 3, 7411 KT Deventer", "pii.postcode") == [
        "Molenweg 3, 7411 KT"]


def test_a_companys_fiscal_number_column_is_no_bsn_column(tmp_path: Path) -> None:
    rows = [["bedrijfsnaam", "fiscaal_identificatienummer", "contactpersoon"],
            *[[f"Voorbeeld {i} B.V.", number, "Sanne Pauw"] for i, number in enumerate(BSNS[:4])]]
    found = _columns(tmp_path, "leveranciers.csv", rows)
    assert not [key for key in found if key[1] in ("pii.bsn", "pii.national_id")]


@pytest.mark.parametrize("text", ["Woonstichting Voorbeeld\nHavenstraat 2, 1011 JM Amsterdam",
                                  "Huisartsenpraktijk Zuid\nLindelaan 4, 3991 KL Houten",
                                  "Installatiebedrijf Pauw\nEnergieweg 7, 8938 AB Leeuwarden",
                                  "Gezondheidscentrum Oost, Parkweg 1, 9711 AB Groningen"])
def test_a_letterheads_organisation_name_makes_its_address_the_organisations(text: str) -> None:
    assert _found(text, "pii.postcode") == []


@pytest.mark.parametrize(("text", "value"), [
    ("Woonstichting Voorbeeld\nHavenstraat 2, 1011 JM Amsterdam\nDe heer Pauw\nMolenweg 43\n7411 KT Deventer",
     "7411 KT Deventer"),  # the addressee below the letterhead
    ("Dhr. Pauw\nSchoolstraat 3, 7411 KT Deventer", "Schoolstraat 3, 7411 KT"),
    ("Thuis (niet op kantoor): Molenweg 3, 7411 KT Deventer", "Molenweg 3, 7411 KT"),
])
def test_a_persons_address_near_organisation_words(text: str, value: str) -> None:
    assert _found(text, "pii.postcode") == [value]
