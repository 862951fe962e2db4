"""Personal-data detectors (issue 15): the shapes people write values in, and the look-alikes that are not.

Every case here was written for this file from public format descriptions (E.123 and national
numbering plans, RFC 5322 and RFC 4291, the SWIFT IBAN registry, PostNL addressing, CLDR date
formats) and from the kinds of false alarms peers' test suites guard against; none is copied.
"""

from __future__ import annotations

import pytest

from services.detection import scan_text
from services.results import Severity

ACTIONABLE = 0.5


def _found(text: str, kind: str) -> list[str]:
    """The values of `kind` reported as alerts (confidence >= ACTIONABLE), in text order."""
    lines = text.split("\n")
    return [lines[int(str(f.location["line"])) - 1][slice(*f.explanation["span"])] for f in scan_text(text)
            if f.type == kind and f.confidence >= ACTIONABLE]


# --- 1. phone numbers as people write them ----------------------------------------------------------

PHONE_TRUE = [
    ("Bel me op 06 12 34 56 78 na vijf uur.", "06 12 34 56 78"),
    ("Mobiel: +31 6 1234 5678", "+31 6 1234 5678"),
    ("tel. 0031 6 12 34 56 78", "0031 6 12 34 56 78"),
    ("Kantoor +31 (0)20 123 4567", "+31 (0)20 123 4567"),
    ("Telefoon (020) 123 4567", "(020) 123 4567"),
    ("telefoon: 010 - 123 45 67", "010 - 123 45 67"),
    ("gsm 06-12 34 56 78", "06-12 34 56 78"),
    ("Tel 030/2345678", "030/2345678"),
    ("telefoonnummer 06.12.34.56.78", "06.12.34.56.78"),
    ("+31-6-12345678 (privé)", "+31-6-12345678"),
    ("Mobiel 0612345678", "0612345678"),  # compact, with a phone word
    ("GSM +32 470 12 34 56", "+32 470 12 34 56"),  # Belgium
    ("Handy: +49 151 23456789", "+49 151 23456789"),  # Germany
    ("portable +33 6 12 34 56 78", "+33 6 12 34 56 78"),  # France
    ("phone +44 20 7123 4567", "+44 20 7123 4567"),  # United Kingdom
    ("telefono +39 347 123 4567", "+39 347 123 4567"),  # Italy
]

PHONE_FALSE = [
    "Aangemaakt 01-03-1985 10:00 door de beheerder",  # a date and a time
    "Ordernummer 0612345678 is verzonden",  # another scheme's number
    "IBAN NL91 ABNA 0417 1643 00",  # the digit groups of an account number
    "versie 2.0.12.34.56 uitgebracht",  # a version string
    "phone 0123456789",  # no such Dutch area code
    "call +1 212 555 0147",  # outside the EU/EEA regions we report
    "ratio 12:34:56:78 and time 10:30",
]


@pytest.mark.parametrize(("text", "value"), PHONE_TRUE, ids=[c[1] for c in PHONE_TRUE])
def test_phone_numbers_as_people_write_them(text: str, value: str) -> None:
    assert _found(text, "pii.phone") == [value]


@pytest.mark.parametrize("text", PHONE_FALSE, ids=[c[:30] for c in PHONE_FALSE])
def test_phone_look_alikes_are_not_reported(text: str) -> None:
    assert _found(text, "pii.phone") == []


def test_phone_validation_is_libphonenumber_not_a_table() -> None:
    # 097 is a Dutch machine-to-machine range libphonenumber knows is not a subscriber line:
    # whatever a regex allowed, the library's metadata has the last word
    assert _found("tel 097 1234 5678", "pii.phone") == []


# --- 2. e-mail look-alikes ------------------------------------------------------------------------

EMAIL_TRUE = [
    ("From: Sanne de Vries <sanne.devries@ziggo.nl>", "sanne.devries@ziggo.nl"),
    ("Stuur het naar p.bakker@xs4all.nl, graag voor vrijdag.", "p.bakker@xs4all.nl"),
    ("Reply-To: jan.jansen+news@kpn.nl", "jan.jansen+news@kpn.nl"),
    ("mail me at lars.olsen@posteo.de: I'm away", "lars.olsen@posteo.de"),  # a colon and a space
]

EMAIL_FALSE = [
    "git remote add origin git@github.com:acme/payments.git",
    "scp build.tar deploy@build.acme.nl:releases/2024/",  # SCP target: a mailbox never takes a path
    "Message-ID: <20240312.4711.jdevries@mail.kpn.nl>",
    "In-Reply-To: <CAHx9k2p.0042@smtp.acme-mail.nl>",
    "References: <a1b2c3.44@mx.ziggo.nl>\n <d4e5f6.45@mx.ziggo.nl>\n <g7h8i9.46@mx.ziggo.nl>",
    "<img src=\"img/avatar@2x.png\"> and logo@3x.webp",
    "npm install @babel/core@7.24.0 @angular/cli@17.3.1",
    "\"dependencies\": {\"@acme/ui-kit\": \"^2.1.0\", \"@types/node@20.11.5\": \"*\"}",
    "Contact user@yourdomain.com or firstname.lastname@company.test",
]


@pytest.mark.parametrize(("text", "value"), EMAIL_TRUE, ids=[c[1] for c in EMAIL_TRUE])
def test_email_addresses_of_people(text: str, value: str) -> None:
    assert _found(text, "pii.email") == [value]


@pytest.mark.parametrize("text", EMAIL_FALSE, ids=[c[:30] for c in EMAIL_FALSE])
def test_email_look_alikes_are_not_reported(text: str) -> None:
    assert _found(text, "pii.email") == []


def test_email_in_a_header_after_a_message_id_header_is_found() -> None:
    text = "Message-ID: <x1.2@mail.kpn.nl>\nFrom: Eva Smit <eva.smit@planet.nl>\n"
    assert _found(text, "pii.email") == ["eva.smit@planet.nl"]


# --- 3. IP addresses ------------------------------------------------------------------------------

IP_TRUE = [
    ("client 84.241.22.7 connected", "84.241.22.7"),
    ("Failed password for admin from 145.53.12.9 port 22 ssh2", "145.53.12.9"),
    ("84.241.22.7 - - [12/Mar/2024:10:00:01 +0100] \"GET / HTTP/1.1\" 200", "84.241.22.7"),
    ("login from 2a02:a46c:1::5 accepted", "2a02:a46c:1::5"),
    ("remote_addr=2A02:A46C:0000:0000:0000:0000:0000:0005", "2A02:A46C:0000:0000:0000:0000:0000:0005"),
    ("peer [2001:67c:2e8:22::c100:68b]:443 closed", "2001:67c:2e8:22::c100:68b"),
    ("X-Forwarded-For: ::ffff:84.241.22.7", "::ffff:84.241.22.7"),
    ("upstream 84.241.22.7:8443 timed out", "84.241.22.7"),
    # shaped like thousands separators (one address in four is), but on a log line, not among figures
    ("145.100.200.250 - - [12/Mar/2024:10:00:01 +0100] \"GET /index.html HTTP/1.1\" 200 5120",
     "145.100.200.250"),
]

IP_FALSE = [
    "Omzet;1.100.200.250;985.300.120;12,5",  # thousands separators in a spreadsheet export
    "Zie sectie 4.3.2.1 van de handleiding",  # a section number
    "Release 121.0.6167.85 is out",  # a version string
    "OID 1.3.6.1.4.1.311 identifies the vendor",  # an object identifier
    "gateway 192.168.1.1, vpn 10.8.0.1, lab 172.16.5.4",  # private ranges
    "docs use 192.0.2.10, 198.51.100.7, 203.0.113.9 and 2001:db8::1",  # documentation ranges
    "link-local fe80::1%eth0 and loopback ::1 and 127.0.0.1",
    "nameserver 8.8.8.8 and 2606:4700:4700::1111",  # public resolvers
    "slice = row[1::2]; t = '12:30::5'",
    "Bedrag: € 1.250.300.400",
    "built from source, release 2.4.100.201",  # a version word outweighs "from" and "source"
    "libfoo 4.12.100.17 (build) for host systems",
]


@pytest.mark.parametrize(("text", "value"), IP_TRUE, ids=[c[1] for c in IP_TRUE])
def test_ip_addresses_of_visitors(text: str, value: str) -> None:
    assert _found(text, "pii.ip_address") == [value]


@pytest.mark.parametrize("text", IP_FALSE, ids=[c[:30] for c in IP_FALSE])
def test_dotted_numbers_and_reserved_ranges_are_not_reported(text: str) -> None:
    assert _found(text, "pii.ip_address") == []


def test_a_column_of_addresses_is_not_a_column_of_figures() -> None:
    text = "145.100.200.250,84.241.122.107\n212.120.100.101,84.241.122.108\n"
    assert _found(text, "pii.ip_address") == ["145.100.200.250", "84.241.122.107", "212.120.100.101",
                                              "84.241.122.108"]


def test_an_address_in_a_firewall_rule_is_found() -> None:
    # "table" before a number makes it a table number, but only as a word: not inside "iptables"
    assert _found("iptables -A INPUT -s 84.241.22.7 -j DROP", "pii.ip_address") == ["84.241.22.7"]


def test_an_address_word_beats_the_shape_of_the_number() -> None:
    # 1.100.200.250 is shaped like thousands separators, but a login line names it an address
    assert _found("login from ip 1.100.200.250", "pii.ip_address") == ["1.100.200.250"]


# --- 4. IBANs of every SEPA country ---------------------------------------------------------------

# one made-up account per SEPA country, check digits computed for this file (national checks included)
SEPA_IBANS = [
    "AD97308023009PF7MVNHRGNE", "AT613553486397671795", "BE87348186892994", "BG52AOTH536357FH9543PP",
    "CH0436843GLZ26W0DGCAK", "CY2217563710A2F12TUUP3VNW0R6", "CZ5774845395851312449346",
    "DE92984330506154035481", "DK1904279697460648", "EE664175921626071356", "ES7799632600390206862968",
    "FI3763377855696134", "FR549590694600X0WA2RSQV9719", "GB69SCXD18155343660296",
    "GI16TDTEJT7B2K36TPW5N0T", "GR679204276RHS69U6MMXCLQE7X", "HR5183341044861452984",
    "HU64085573270840961052714232", "IE38GILG64635488136300", "IS467316849849476710306463",
    "IT68K3071014594BV54ABZNQUJL", "LI4369285ZUEMJXRL3LNC", "LT450201688762165652",
    "LU78405R8VZH3WDW8V4L", "LV83POKK93JEQ2KQXP324", "MC515952027395NMM0HA3LHK461",
    "MT08YQVQ56440RLAFMKCU2K5NCQ55BM", "NL76NYNI9231233993", "NO9727061154421",
    "PL58559462692204374846533540", "PT36312227861893791735457", "RO13ZRMFCJLVXG5N6BMT3SKE",
    "SE0220391945387717662042", "SI90544328146965604", "SK7286918187582032370137",
    "SM95Z48868654915BH8EYPUPVZM", "VA27002546275205453767",
]


def _spaced(compact: str) -> str:
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


@pytest.mark.parametrize("value", SEPA_IBANS, ids=[v[:2] for v in SEPA_IBANS])
def test_iban_of_every_sepa_country_compact_and_spaced(value: str) -> None:
    assert _found(f"Graag overmaken naar {value} t.n.v. J. de Vries", "pii.iban") == [value]
    spaced = _spaced(value)
    assert _found(f"IBAN: {spaced}\n", "pii.iban") == [spaced]
    dashed = spaced.replace(" ", "-")  # as typed into forms that refuse spaces
    assert _found(f"rekening {dashed}; bedrag 12,50", "pii.iban") == [dashed]


def test_an_iban_ends_where_its_country_length_ends() -> None:
    # the group after a spaced IBAN is the next field, not more account characters
    assert _found("NL76 NYNI 9231 2339 93 1250 EUR", "pii.iban") == ["NL76 NYNI 9231 2339 93"]
    assert _found("BE87 3481 8689 2994 2024", "pii.iban") == ["BE87 3481 8689 2994"]


def test_two_ibans_on_one_line_stay_apart() -> None:
    text = "van NL76 NYNI 9231 2339 93 naar BE87 3481 8689 2994 overgemaakt"
    assert _found(text, "pii.iban") == ["NL76 NYNI 9231 2339 93", "BE87 3481 8689 2994"]


IBAN_FALSE = [
    "IBAN NL77NYNI9231233993",  # mod-97 fails
    "IBAN BE88348186892994",  # mod-97 fails
    "IBAN NL76NYNI923123399",  # one digit short of the Dutch length
    "IBAN XX76NYNI9231233993",  # no such country
    "ES7799632600390206862969 cuenta",  # mod-97 fails
    "sku DE92984330506154035481X",  # part of a longer code
]


@pytest.mark.parametrize("text", IBAN_FALSE, ids=[c[:30] for c in IBAN_FALSE])
def test_iban_look_alikes_are_not_reported(text: str) -> None:
    assert _found(text, "pii.iban") == []


def test_iban_national_check_is_applied() -> None:
    # a Belgian IBAN whose mod-97 holds but whose national mod-97 check digits (the last two) do not
    from stdnum import iban
    bban = "348186892995"
    value = "BE" + iban.calc_check_digits("BE00" + bban) + bban
    assert iban.is_valid(value, check_country=False) and not iban.is_valid(value)
    assert _found(f"IBAN {value}", "pii.iban") == []


# --- 5. noise: a checksum alone is a note, special categories need a person ------------------------

def test_a_bare_eleven_proof_number_is_a_low_note_not_an_alert() -> None:
    findings = [f for f in scan_text("widths = [111222333, 500, 722, 611]") if f.type == "pii.bsn"]
    assert len(findings) == 1
    assert findings[0].confidence < ACTIONABLE and findings[0].severity == Severity.LOW
    assert "checksum alone" in " ".join(findings[0].explanation["downgraded"])


BSN_TRUE = [
    ("BSN: 111222333", "111222333"),
    ("burgerservicenummer 111.222.333", "111.222.333"),
    ("naam;bsn;woonplaats\nJan de Vries;111222333;Gouda", "111222333"),
    ("Sofinummer van werknemer: 111222333", "111222333"),
]


@pytest.mark.parametrize(("text", "value"), BSN_TRUE, ids=[c[1] for c in BSN_TRUE])
def test_a_named_bsn_is_an_alert(text: str, value: str) -> None:
    assert _found(text, "pii.bsn") == [value]


def test_a_bare_eleven_proof_number_in_a_letter_about_a_person_is_an_alert() -> None:
    letter = ("Geachte mevrouw De Vries,\n\n" + "Naar aanleiding van uw aanvraag van vorige maand. " * 12
              + "\n\nUw nummer: 111222333\n")
    assert _found(letter, "pii.bsn") == ["111222333"]
    table = "glyph widths\n" + "Naar aanleiding van uw aanvraag van vorige maand. " * 12 + "\n111222333\n"
    assert _found(table, "pii.bsn") == []


def test_a_bare_card_number_run_is_a_note_and_a_grouped_one_an_alert() -> None:
    assert _found("ts=4929172936488318 rows=12", "pii.credit_card") == []
    assert _found("card_number: 4929172936488318", "pii.credit_card") == ["4929172936488318"]
    assert _found("betaald met 4929 1729 3648 8318", "pii.credit_card") == ["4929 1729 3648 8318"]


SPECIAL_TRUE = [
    ("Patiënt Jan heeft diabetes type 2.", "special.health", "diabetes type 2"),
    ("Mevrouw De Vries is sinds maart zwanger.", "special.health", "zwanger"),
    ("Hij is moslim, zegt zijn collega.", "special.religion", "moslim"),
    ("I have epilepsy and take medication daily.", "special.health", "epilepsy"),
    ("Sollicitant Fatima, Marokkaanse afkomst", "special.ethnicity", "Marokkaanse afkomst"),
]

SPECIAL_FALSE = [
    "def filter_by_ethnicity(ethnicity: str) -> list[Person]:",
    "    :param health: the health of the worker pool",
    "\"religion\": {\"type\": \"string\", \"enum\": [\"christian\", \"muslim\"]}",
    "ethnicity = request.args.get('ethnicity')",
    "Research on patients with diabetes shows a clear trend.",
    "Please enter your religion in the form (optional).",
    "The /health endpoint reports the cancer registry's uptime.",
    "Each user may state his or her religion.",
]


@pytest.mark.parametrize(("text", "kind", "value"), SPECIAL_TRUE, ids=[c[2] for c in SPECIAL_TRUE])
def test_special_category_said_about_a_person(text: str, kind: str, value: str) -> None:
    assert _found(text, kind) == [value]


@pytest.mark.parametrize("text", SPECIAL_FALSE, ids=[c[:30] for c in SPECIAL_FALSE])
def test_special_category_terms_in_code_and_generic_prose_are_not_reported(text: str) -> None:
    assert [f.type for f in scan_text(text) if f.type.startswith("special.")] == []


# --- 6. postcodes and dates of birth with context -------------------------------------------------

POSTCODE_TRUE = [
    ("Kerkstraat 12, 1234 AB Amsterdam", "Kerkstraat 12, 1234 AB"),
    ("Laan van Meerdervoort 12-III;2517 AB Den Haag", "Laan van Meerdervoort 12-III;2517 AB"),
    ("J. de Vries\nKerkstraat 12\n1234 AB  AMSTERDAM", "1234 AB  AMSTERDAM"),
    ("Postcode: 3511 LK", "3511 LK"),
    ("Mevrouw A. Bakker\nLange Voorhout 12\n2514 EA  DEN HAAG", "2514 EA  DEN HAAG"),  # no street word
    ("Sanne de Vries | Kerkstraat 12 | 1234 AB Utrecht", "Kerkstraat 12 | 1234 AB"),  # a signature line
    ("Jan de Vries;Dorpsstraat;14b;3511 LK;Utrecht", "Dorpsstraat;14b;3511 LK"),  # street, number columns
    ("Jan de Vries;Emmalaan;3511 LK;Utrecht", "3511 LK;Utrecht"),  # a street field on the same row
    ("{\"zip_code\": \"3511LK\", \"city\": \"Utrecht\"}", "3511LK"),  # a label as an identifier
    ("homeAddress:\n  city: Utrecht\n  code: 3511 LK", "3511 LK"),
    ("woont op 3511LK, nr. 7", "3511LK, nr. 7"),
]

POSTCODE_FALSE = [
    "ticket 1234 AB is closed",
    "Postbus 1234, 1000 AB Amsterdam",  # a postal box is an organisation's address
    "Acme B.V., Kerkstraat 1, 1234 AB Utrecht, KvK 12345678",
    "Bakkerij Jansen BV | Dorpsstraat 3 | 3511 LK Utrecht | www.bakkerijjansen.nl",  # a letterhead footer
    "Stichting De Brug, Emmalaan 4, 2514 EA Den Haag",
    "model 2500 XL in stock",
    "memory: 4096 MB per string buffer",  # street-word endings inside other words are no street
    "stack 2048 KB during the ring test",
    "Amsterdam 1012 AB",  # a city name is no address label
    "resolution 1920 PX, padding 8",
    "tar cf - . | gzip > 2048 KB",  # zip inside gzip is no zip code
    "Spring;String;4096 MB;Heidelberg",  # capitalised words with street-like endings are no streets
]


@pytest.mark.parametrize(("text", "value"), POSTCODE_TRUE, ids=[c[1] for c in POSTCODE_TRUE])
def test_postcode_of_a_person(text: str, value: str) -> None:
    assert _found(text, "pii.postcode") == [value]


@pytest.mark.parametrize("text", POSTCODE_FALSE, ids=[c[:30] for c in POSTCODE_FALSE])
def test_postcode_look_alikes_and_company_addresses(text: str) -> None:
    assert _found(text, "pii.postcode") == []


DOB_TRUE = [
    ("geboren op 12 maart 1985 te Gouda", "12 maart 1985"),
    ("Geburtsdatum: 12.03.1985", "12.03.1985"),
    ("née le 3 mars 1990 à Lyon", "3 mars 1990"),
    ("DOB 1985-03-12", "1985-03-12"),
    ("born March 12, 1985 in Leeds", "March 12, 1985"),
    ("12-03-1985 (geboortedatum)", "12-03-1985"),
    ("geb. 4/7/76", "4/7/76"),
]

DOB_FALSE = [
    "Factuurdatum: 12-03-2024",
    "Release 2024-03-12: fixed the birth-date parser",  # a birth word, but after the date in prose
    "geboren 31-02-1985",  # no such date
    "geboren 12-03-2085",  # in the future
]


@pytest.mark.parametrize(("text", "value"), DOB_TRUE, ids=[c[1] for c in DOB_TRUE])
def test_date_of_birth_next_to_a_birth_word(text: str, value: str) -> None:
    assert _found(text, "pii.date_of_birth") == [value]


@pytest.mark.parametrize("text", DOB_FALSE, ids=[c[:30] for c in DOB_FALSE])
def test_other_dates_are_not_birth_dates(text: str) -> None:
    assert _found(text, "pii.date_of_birth") == []


def test_a_date_of_death_after_a_birth_date_is_not_a_birth_date() -> None:
    text = "geboren 12-03-1930, overleden 01-02-2020"
    assert _found(text, "pii.date_of_birth") == ["12-03-1930"]


# --- doctests: a library's examples of a format -------------------------------------------------------

DOCTEST_BSN = '''def validate(number):
    """Check the BSN (burgerservicenummer) of a person.

    >>> validate('1112.22.333')
    '111222333'
    >>> validate('111222334')
    Traceback (most recent call last):
    """
'''


def test_a_number_in_a_doctest_or_its_output_line_is_a_note_not_an_alert() -> None:
    found = [f for f in scan_text(DOCTEST_BSN, path="lib/bsn.py") if f.type == "pii.bsn"]
    assert found and all(f.confidence < 0.4 and "a documentation example (doctest)" in
                         f.explanation.get("downgraded", ()) for f in found)


def test_the_same_number_in_code_below_a_doctest_is_still_an_alert() -> None:
    text = DOCTEST_BSN + "\nclient = {'bsn': '111222333', 'naam': 'J. Jansen'}\n"
    lines = {f.location["line"] for f in scan_text(text, path="lib/bsn.py")
             if f.type == "pii.bsn" and f.confidence >= 0.4}
    assert lines == {text.splitlines().index("client = {'bsn': '111222333', 'naam': 'J. Jansen'}") + 1}
