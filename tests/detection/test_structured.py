"""Structure-aware detection: columns of seeds, exports and fixtures found once each, with count and rows.

Every file here is read the way the code scanner reads it (services.detection.structured.
plain_text_scan); tests/scanners/test_structured_scan.py runs both scanners end to end. Values are
valid of their type (python-stdnum, libphonenumber); hard negatives sit beside them in the same
files: order numbers that pass the 11-proof, invoice and release dates, versions, ids.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stdnum.nl import bsn

from services.detection import structured
from services.detection.structured import columns, records, sql, validators, vocabulary
from services.results import Finding

KINDS = frozenset({"pii", "secret", "special", "code"})
BSNS = ("111222333", "123456782", "232262536")
ORDER_NUMBERS = ("202401005", "202401017", "202401029")  # 9 digits passing the 11-proof, as orders may
IBANS = ("NL91ABNA0417164300", "DE89370400440532013000", "NL20INGB0001234567")
EMAILS = ("jan.devries@gmail.com", "p.jansen@hotmail.nl", "fatima.elamrani@ziggo.nl")
PHONES = ("06 12 34 56 78", "+31 6 1234 5678", "0031 6 87654321")
POSTCODES = ("1234 AB", "3511EK", "9711 LM")
BIRTH_DATES = ("1985-03-12", "1990-11-30", "1972-07-04")
RAW_VALUES = (*BSNS, *IBANS, *EMAILS, *PHONES, *POSTCODES, *BIRTH_DATES)


def scan(path: Path, kinds: frozenset[str] = KINDS) -> list[Finding]:
    """The code scanner's reading of one file: structured when it parses, as text otherwise."""
    text_scan = structured.plain_text_scan(path, path.name)
    found = structured.scan_structured(path, path.name, kinds, text_scan)
    return found if found is not None else text_scan(lambda sheet, line: kinds)


def by_column(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    """Column findings by (column label, type); fails when a (column, type) is reported twice."""
    table: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        if "rows" in finding.location:
            key = (finding.location["column"], finding.type)
            assert key not in table, f"{key} reported twice"
            table[key] = finding
    return table


def of_type(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.type == kind]


def assert_masked(findings: list[Finding]) -> None:
    dumped = json.dumps([f.to_dict() for f in findings])
    for value in RAW_VALUES:
        assert value not in dumped, "a raw value leaked into a finding"


def write_csv(path: Path, rows: list[list[Any]], delimiter: str = ";") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return path


# --- the vocabulary --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind"), [
    ("geboortedatum", "pii.date_of_birth"), ("dateOfBirth", "pii.date_of_birth"),
    ("Date of Birth", "pii.date_of_birth"), ('"k"."geboortedatum"', "pii.date_of_birth"),
    ("klant_postcode", "pii.postcode"), ("BillingZipCode", "pii.postcode"), ("klanttelefoon", "pii.phone"),
    ("TelefoonnummerPrive", "pii.phone"), ("E-mailadres", "pii.email"), ("phones", "pii.phone"),
    ("id_kaart", "pii.passport"), ("Rekeningnummer", "pii.iban"), ("BSN", "pii.bsn"),
    ("ordernummer", "not_personal"), ("factuurdatum", "not_personal"), ("klant_id", "not_personal"),
    ("version", "not_personal"), ("achternaam", "person"), ("number", "generic"),
])
def test_field_names_are_normalised_and_matched(name: str, kind: str) -> None:
    meaning = vocabulary.vocabulary().meaning(name)
    assert meaning is not None and meaning.kind == kind


@pytest.mark.parametrize("name", ["omschrijving", "status", "", "   ", "x" * 500])
def test_names_the_vocabulary_does_not_know_mean_nothing(name: str) -> None:
    assert vocabulary.vocabulary().meaning(name) is None


def test_a_vocabulary_naming_an_unknown_type_or_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown type"):
        vocabulary.build({"types": {"pii.shoe_size": ["schoenmaat"]}})
    with pytest.raises(ValueError, match="both"):
        vocabulary.build({"types": {"pii.phone": ["tel"]}, "not_personal": ["tel"]})


# --- column validators: true and false examples ---------------------------------------------------

@pytest.mark.parametrize(("check", "good", "bad"), [
    (validators.valid_bsn, ["111222333", "1112.22.333", "12345672"], ["111222334", "1234567", "abc"]),
    (validators.valid_birth_date, ["1985-03-12", "12-03-1985", "12 maart 1985", "03/25/1985",
                                   "1985-03-12T00:00:00"], ["2099-01-01", "1.2.3", "12345", "1899-12-31"]),
    (validators.valid_postcode, ["1234 AB", "3511ek", "3511 EK 12"], ["1234 SA", "0123 AB", "12345"]),
    (validators.valid_phone, ["06 12 34 56 78", "+31 6 1234 5678", "020-1234567", "612345678"],
     ["12345", "1234567890", "06 12"]),
    (validators.valid_email, ["jan@gmail.com"], ["info@bedrijf.nl", "jan@example.com", "a@b"]),
    (validators.valid_iban, ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"], ["NL91ABNA0417164301"]),
    (validators.valid_card, ["4539 1488 0343 6467"], ["4111 1111 1111 1111", "1234 5678 9012 3456"]),
])
def test_column_validators(check: Any, good: list[str], bad: list[str]) -> None:
    assert all(check(value) for value in good), [v[:2] for v in good if not check(v)]
    assert not any(check(value) for value in bad), [v[:2] for v in bad if check(v)]


def test_a_phone_number_needs_its_shape_without_a_column_name() -> None:
    assert validators.phone_shaped("06 12 34 56 78")
    assert not validators.phone_shaped("612345678")  # nine bare digits: an id as often as a phone


# --- a seed migration -----------------------------------------------------------------------------

SEED = f"""-- seed for the test environment
CREATE TABLE klanten (
    id serial PRIMARY KEY,
    voornaam text, achternaam text, bsn char(9), geboortedatum date, postcode varchar(7),
    telefoon text, email text, opmerking text
);
CREATE TABLE orders (id int, ordernummer char(9), factuurdatum date, klant_id int);

INSERT INTO public.klanten (id, voornaam, achternaam, bsn, geboortedatum, postcode, telefoon, email, opmerking)
VALUES
    (1, 'Jan', 'de Vries', '{BSNS[0]}', '{BIRTH_DATES[0]}', '{POSTCODES[0]}', '{PHONES[0]}', '{EMAILS[0]}', NULL),
    (2, 'Piet', 'O''Brien', '{BSNS[1]}', DATE '{BIRTH_DATES[1]}', '{POSTCODES[1]}', '{PHONES[1]}', NULL,
     'mail ook naar {EMAILS[2]}');
INSERT INTO orders VALUES (1, '{ORDER_NUMBERS[0]}', '2024-01-05', 1), (2, '{ORDER_NUMBERS[1]}', '2024-02-11', 2);
COPY public.klanten (id, voornaam, achternaam, bsn, geboortedatum, postcode, telefoon, email, opmerking) FROM stdin;
3\tFatima\tEl Amrani\t{BSNS[2]}\t{BIRTH_DATES[2]}\t{POSTCODES[2]}\t{PHONES[2]}\t{EMAILS[1]}\t\\N
\\.
COPY orders (id, ordernummer, factuurdatum, klant_id) FROM stdin;
3\t{ORDER_NUMBERS[2]}\t2024-03-01\t3
\\.
"""  # noqa: E501 (a seed file's lines are as long as they are)


def test_a_seed_migration_is_reported_once_per_column(tmp_path: Path) -> None:
    findings = scan(_write(tmp_path / "V2__seed.sql", SEED))
    columns_found = by_column(findings)
    expected = {  # (column, type): rows holding its values
        ("bsn", "pii.bsn"): [11, 12, 16], ("geboortedatum", "pii.date_of_birth"): [11, 12, 16],
        ("postcode", "pii.postcode"): [11, 12, 16], ("telefoon", "pii.phone"): [11, 12, 16],
        ("email", "pii.email"): [11, 16], ("opmerking", "pii.email"): [13],
    }
    assert {key: f.location["rows"] for key, f in columns_found.items()} == expected
    dob = columns_found[("geboortedatum", "pii.date_of_birth")]
    assert dob.location["table"] == "klanten" and dob.location["line"] == 11
    assert dob.explanation["count"] == 3 and dob.explanation["valid_share"] == 1.0
    assert "geboortedatum" in dob.explanation["matched"] and dob.confidence >= 0.95
    # the hard negatives: order numbers passing the 11-proof, invoice dates, ids
    assert not [f for f in findings if f.type == "pii.bsn" and f.location.get("column") != "bsn"]
    assert len(of_type(findings, "pii.date_of_birth")) == 1
    # the schema is still read as code, and no value is counted a second time per cell
    assert any(f.type == "code.pii_schema" for f in findings)
    assert all("rows" in f.location for f in findings if f.category == "pii")
    assert_masked(findings)


def test_insert_without_a_column_list_takes_the_columns_of_create_table(tmp_path: Path) -> None:
    seed = (f"CREATE TABLE `patients` (`id` int, `birth_date` date, `zip` varchar(7));\n"
            f"INSERT INTO `patients` VALUES (1,'{BIRTH_DATES[0]}','{POSTCODES[0]}'),"
            f"(2,'{BIRTH_DATES[1]}',NULL);\n"
            f"INSERT INTO `patients` VALUES (3,'{BIRTH_DATES[2]}','O\\'Brien');\n")
    found = by_column(scan(_write(tmp_path / "dump.sql", seed)))
    assert found[("birth_date", "pii.date_of_birth")].location["rows"] == [2, 3]
    assert found[("birth_date", "pii.date_of_birth")].explanation["count"] == 3
    assert found[("zip", "pii.postcode")].explanation["count"] == 1


def test_without_create_table_unnamed_columns_are_judged_by_their_values(tmp_path: Path) -> None:
    rows = ",\n".join(f"({i}, '{iban}', '2023-0{i + 1}-01')" for i, iban in enumerate(IBANS))
    found = by_column(scan(_write(tmp_path / "payments.sql", f"INSERT INTO betalingen VALUES\n{rows};\n")))
    assert set(found) == {("column 2", "pii.iban")}
    assert found[("column 2", "pii.iban")].explanation["basis"] == "values"


# --- a CSV export with Dutch headers --------------------------------------------------------------

def _export_rows() -> list[list[str]]:
    header = ["Klantnummer", "Voornaam", "Achternaam", "BSN", "Geboortedatum", "Postcode", "Telefoon",
              "E-mailadres", "Rekeningnummer", "Ordernummer", "Factuurdatum", "Opmerkingen"]
    rows = [header]
    for i in range(3):
        rows.append([str(1000 + i), "Jan", "Jansen", BSNS[i], BIRTH_DATES[i], POSTCODES[i], PHONES[i],
                     EMAILS[i], IBANS[i], ORDER_NUMBERS[i], f"2024-0{i + 1}-15",
                     "geen" if i else f"bel {PHONES[0]}"])
    return rows


def test_a_csv_export_is_reported_once_per_column_with_its_rows(tmp_path: Path) -> None:
    findings = scan(write_csv(tmp_path / "export.csv", _export_rows()))
    found = by_column(findings)
    assert {key for key in found} == {
        ("BSN", "pii.bsn"), ("Geboortedatum", "pii.date_of_birth"), ("Postcode", "pii.postcode"),
        ("Telefoon", "pii.phone"), ("E-mailadres", "pii.email"), ("Rekeningnummer", "pii.iban"),
        ("Opmerkingen", "pii.phone")}
    for key, finding in found.items():
        assert finding.location["rows"] == ([2] if key[0] == "Opmerkingen" else [2, 3, 4]), key
        assert finding.location["line"] == 2
    assert found[("Postcode", "pii.postcode")].explanation["vocabulary"] == "postcode"
    # per-cell findings of those types are not reported again, and the negatives not at all
    assert [f.type for f in findings if f.category == "pii" and "rows" not in f.location] == []
    assert_masked(findings)


def test_a_tsv_without_header_is_judged_by_values(tmp_path: Path) -> None:
    rows = [[str(i), EMAILS[i], POSTCODES[i]] for i in range(3)]
    found = by_column(scan(write_csv(tmp_path / "dump.tsv", rows, delimiter="\t")))
    assert set(found) == {("column 2", "pii.email"), ("column 3", "pii.postcode")}
    assert found[("column 3", "pii.postcode")].location["rows"] == [1, 2, 3]


def test_a_column_needs_ninety_percent_valid_values_without_a_name(tmp_path: Path) -> None:
    mostly = [["code"]] + [[POSTCODES[i % 3]] for i in range(9)] + [["onbekend"]]
    half = [["code"]] + [[POSTCODES[i % 3] if i % 2 else "Utrecht"] for i in range(10)]
    assert set(by_column(scan(write_csv(tmp_path / "mostly.csv", mostly)))) == {("code", "pii.postcode")}
    assert by_column(scan(write_csv(tmp_path / "half.csv", half))) == {}


def test_bsn_by_values_only_in_a_table_about_people(tmp_path: Path) -> None:
    people = [["voornaam", "nummer"]] + [["Jan", number] for number in BSNS]
    found = by_column(scan(write_csv(tmp_path / "people.csv", people), frozenset({"pii.bsn"})))
    assert found[("nummer", "pii.bsn")].explanation["basis"] == "values"
    orders = [["ordernummer", "bedrag"]] + [[number, "12,50"] for number in ORDER_NUMBERS]
    assert of_type(scan(write_csv(tmp_path / "orders.csv", orders)), "pii.bsn") == []


# --- an XLSX export -------------------------------------------------------------------------------

def test_an_xlsx_export_is_reported_once_per_column_per_sheet(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klanten"
    sheet.append(["Klantenoverzicht 2024"])  # a title row above the header
    sheet.append(["Naam", "Geboortedatum", "Telefoon", "BSN", "Tegenrekening info", "Versie"])
    for i in range(3):
        # numbers as a spreadsheet stores them: the phone and the BSN lose their leading zero
        sheet.append([f"Klant {i}", _date(BIRTH_DATES[i]), 612345670 + i * 11 if i else 612345678,
                      int("012345672") if i == 0 else int(BSNS[i]), IBANS[i], "1.2.3.4"])
    workbook.create_sheet("Facturen").append(["Factuurdatum", "Ordernummer"])
    workbook["Facturen"].append([_date("2024-01-05"), int(ORDER_NUMBERS[0])])
    workbook.save(path)
    findings = scan(path)
    found = by_column(findings)
    assert set(found) == {("Geboortedatum", "pii.date_of_birth"), ("Telefoon", "pii.phone"),
                          ("BSN", "pii.bsn"), ("Tegenrekening info", "pii.iban")}
    for finding in found.values():
        assert finding.location["sheet"] == "Klanten" and finding.location["rows"] == [3, 4, 5]
    assert found[("BSN", "pii.bsn")].location["cell"] == "D3"
    assert found[("Tegenrekening info", "pii.iban")].explanation["valid_share"] == 1.0
    assert not [f for f in findings if f.location.get("sheet") == "Facturen" and f.category == "pii"]
    assert_masked(findings)


def _date(text: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text)


# --- JSON and YAML fixtures -----------------------------------------------------------------------

def test_a_json_fixture_reads_keys_at_any_depth_and_arrays_as_tables(tmp_path: Path) -> None:
    customers = [{"id": 100 + i, "email": EMAILS[i], "dateOfBirth": BIRTH_DATES[i],
                  "address": {"postcode": POSTCODES[i], "huisnummer": str(i + 1)},
                  "phones": [{"type": "mobile", "number": PHONES[i]}],
                  "createdAt": f"2024-01-0{i + 1}", "orderNumber": ORDER_NUMBERS[i]} for i in range(3)]
    path = tmp_path / "customers.json"
    path.write_text(json.dumps({"version": "1.2.3.4", "customers": customers}, indent=2), encoding="utf-8")
    findings = scan(path)
    found = by_column(findings)
    assert set(found) == {("customers[].email", "pii.email"),
                          ("customers[].dateOfBirth", "pii.date_of_birth"),
                          ("customers[].address.postcode", "pii.postcode"),
                          ("customers[].phones[].number", "pii.phone")}
    lines = path.read_text(encoding="utf-8").splitlines()
    for (label, _), finding in found.items():
        key = label.rsplit(".", 1)[-1]
        assert finding.location["rows"] == [n for n, text in enumerate(lines, 1) if f'"{key}":' in text]
        assert finding.explanation["count"] == 3
    assert_masked(findings)


YAML_FIXTURE = f"""# users loaded by the test suite
users:
  - name: Jan de Vries
    birth_date: {BIRTH_DATES[0]}
    contact:
      mobiel: "{PHONES[0]}"
      zip: {POSTCODES[0]}
    notes: |
      Belt liever dan dat hij mailt.
      Privé: {EMAILS[0]}
  - name: Piet Jansen
    birth_date: {BIRTH_DATES[1]}
    contact:
      mobiel: "{PHONES[1]}"
releases:
  - version: 1.2.3.4
    date: 2023-03-12
database:
  password: "Zq8!vR2#pL6@wN4x"
"""


def test_a_yaml_fixture_is_reported_per_key_path(tmp_path: Path) -> None:
    findings = scan(_write(tmp_path / "users.yml", YAML_FIXTURE))
    found = by_column(findings)
    assert {k: f.location["rows"] for k, f in found.items()} == {
        ("users[].birth_date", "pii.date_of_birth"): [4, 12],
        ("users[].contact.mobiel", "pii.phone"): [6, 14],
        ("users[].contact.zip", "pii.postcode"): [7], ("users[].notes", "pii.email"): [8, 9, 10]}
    # the release date is no birth date, and the secret in the same file is still found by the text scan
    assert len(of_type(findings, "pii.date_of_birth")) == 1
    assert [f.location["line"] for f in of_type(findings, "secret.password")] == [19]
    assert_masked(findings)


# --- the same date elsewhere is no date of birth -------------------------------------------------

def test_dates_outside_a_birth_date_column_are_not_dates_of_birth(tmp_path: Path) -> None:
    changelog = _write(tmp_path / "CHANGELOG.md", "# Changelog\n\n## 2.4.0 - 1985-03-12\n- fixed login\n"
                                                  "## 2.3.1 (12-03-1985)\nReleased on 12 maart 1985.\n")
    invoices = write_csv(tmp_path / "facturen.csv", [["factuurnummer", "factuurdatum", "bedrag"]]
                         + [[f"F{i}", BIRTH_DATES[i], "10,00"] for i in range(3)])
    releases = _write(tmp_path / "releases.json", json.dumps(
        [{"version": "1.0", "released": BIRTH_DATES[0]}, {"version": "1.1", "date": BIRTH_DATES[1]}]))
    for path in (changelog, invoices, releases):
        assert of_type(scan(path), "pii.date_of_birth") == [], path.name
    births = write_csv(tmp_path / "births.csv", [["birth_date"]] + [[d] for d in BIRTH_DATES])
    assert len(of_type(scan(births), "pii.date_of_birth")) == 1


# --- what does not parse is read as text, and the bounds hold --------------------------------------

def test_a_file_that_does_not_parse_is_scanned_as_text(tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.json", f'{{"contact": {{"bsn": "{BSNS[0]}", "email": "{EMAILS[0]}"\n')
    found = scan(broken)
    assert {f.type for f in found} >= {"pii.bsn", "pii.email"}
    assert all("rows" not in f.location for f in found)
    unlexed = _write(tmp_path / "broken.sql", f"INSERT INTO t (email) VALUES ('{EMAILS[0]}', 'open\n")
    assert [f.type for f in scan(unlexed)] == ["pii.email"]


def test_sql_past_the_tokenizer_budget_is_still_read_as_text(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "PIECE_CHARS", 64)
    monkeypatch.setattr(sql, "MAX_SQL_CHARS", 200)
    lines = [f"INSERT INTO klanten (email) VALUES ('{EMAILS[i % 3]}');" for i in range(12)]
    found = scan(_write(tmp_path / "big.sql", "\n".join(lines) + "\n"))
    column = [f for f in found if "rows" in f.location]
    per_line = [f for f in found if "rows" not in f.location]
    assert len(column) == 1 and column[0].type == "pii.email"
    covered = set(column[0].location["rows"])
    assert covered and sorted(covered | {f.location["line"] for f in per_line}) == list(range(1, 13))
    assert not covered & {f.location["line"] for f in per_line}  # never counted twice


def test_the_cell_budget_leaves_the_rest_to_the_text_scan(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "MAX_CELLS", 4)
    path = write_csv(tmp_path / "many.csv", [["email"]] + [[EMAILS[i % 3]] for i in range(8)])
    found = scan(path)
    (column,) = [f for f in found if "rows" in f.location]
    assert column.location["rows"] == [2, 3, 4, 5]
    assert sorted(f.location["line"] for f in found if "rows" not in f.location) == [6, 7, 8, 9]


def test_rows_listed_are_bounded_and_the_count_is_not(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "MAX_ROWS_LISTED", 5)
    path = write_csv(tmp_path / "many.csv", [["email"]] + [[EMAILS[i % 3]] for i in range(12)])
    (finding,) = scan(path)
    assert finding.location["rows"] == [2, 3, 4, 5, 6]
    assert finding.explanation["count"] == 12 and finding.explanation["rows_truncated"] == 12


def test_yaml_aliases_are_read_once_and_cycles_end(tmp_path: Path) -> None:
    bomb = "a: &a {email: " + EMAILS[0] + "}\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    (finding,) = [f for f in scan(_write(tmp_path / "bomb.yaml", bomb)) if f.type == "pii.email"]
    assert finding.explanation["count"] == 1


def test_order_numbers_pass_the_eleven_proof_by_construction() -> None:
    assert all(bsn.is_valid(number) for number in ORDER_NUMBERS)  # the negatives are real hard ones


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- hard negatives by column name, and names that are values -------------------------------------

def test_created_at_order_id_and_version_columns_are_not_personal_data(tmp_path: Path) -> None:
    """A `created_at` date is no birth date, an `order_id` passing the 11-proof no BSN (even in a
    table about people), a `version` of four dotted numbers no IP address: in CSV, SQL and JSON."""
    header = ["voornaam", "achternaam", "order_id", "created_at", "version"]
    rows = [["Jan", "Jansen", ORDER_NUMBERS[i], BIRTH_DATES[i], f"{i + 4}.{i + 2}.1.{i + 7}"]
            for i in range(3)]
    seed = ("INSERT INTO bestellingen (voornaam, achternaam, order_id, created_at, version) VALUES\n"
            + ",\n".join("(" + ", ".join(f"'{v}'" for v in row) + ")" for row in rows) + ";\n")
    fixture = json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2)
    for path in (write_csv(tmp_path / "orders.csv", [header, *rows]), _write(tmp_path / "orders.sql", seed),
                 _write(tmp_path / "orders.json", fixture)):
        found = scan(path)
        assert [f.type for f in found if f.category == "pii"] == [], path.name
    # the same values under names that say what they are, as a control
    control = [["bsn", "geboortedatum", "ip_adres"]] + [[ORDER_NUMBERS[i], BIRTH_DATES[i], "81.204.17.33"]
                                                        for i in range(3)]
    assert set(by_column(scan(write_csv(tmp_path / "control.csv", control)))) == {
        ("bsn", "pii.bsn"), ("geboortedatum", "pii.date_of_birth"), ("ip_adres", "pii.ip_address")}


def test_a_header_or_key_that_is_a_value_is_never_shown_as_a_column_name(tmp_path: Path) -> None:
    keyed = {"users": {email: {"telefoon": phone} for email, phone in zip(EMAILS, PHONES, strict=True)}}
    found = scan(_write(tmp_path / "keyed.json", json.dumps(keyed, indent=2)))
    assert by_column(found)[("users.*.telefoon", "pii.phone")].location["count"] == 3
    no_header = [[POSTCODES[i], f"Straat {i}", EMAILS[i]] for i in range(3)]  # the first row is data
    columns_found = by_column(scan(write_csv(tmp_path / "adressen.csv", no_header)))
    assert set(columns_found) == {("column 1", "pii.postcode"), ("column 3", "pii.email")}
    assert columns_found[("column 1", "pii.postcode")].location["rows"] == [1, 2, 3]
    assert_masked([*found, *columns_found.values()])
    assert validators.holds_value("1234 AB") and validators.holds_value("06 12345678")
    assert not validators.holds_value("adres_regel_2") and not validators.holds_value("omzet_2024")


def test_a_line_cut_for_its_length_is_left_to_the_text_scan(tmp_path: Path) -> None:
    """A row on a line longer than MAX_LINE_CHARS is read in pieces: its cells would stand under the
    wrong headers, so the row is read as text and the rows around it by column."""
    rows = [["geboortedatum", "opmerking"], [BIRTH_DATES[0], "kort"],
            ["onbekend", "x" * 70_000 + f" {BIRTH_DATES[1]} {EMAILS[0]}"], [BIRTH_DATES[2], "kort"]]
    notes: list[str] = []
    path = write_csv(tmp_path / "long.csv", rows)
    found = structured.scan_structured(path, path.name, KINDS, structured.plain_text_scan(path, path.name),
                                       note=notes.append) or []
    (dob,) = of_type(found, "pii.date_of_birth")
    assert dob.location["rows"] == [2, 4]  # the date in the long note is not put under geboortedatum
    assert [(f.type, f.location["line"]) for f in found if "rows" not in f.location] == [("pii.email", 3)]
    assert notes == ["lines longer than 65536 characters were scanned line by line"]


def test_rows_past_max_rows_are_left_to_the_text_scan_with_a_note(tmp_path: Path) -> None:
    notes: list[str] = []
    path = write_csv(tmp_path / "klanten.csv", [["email"]] + [[EMAILS[i % 3]] for i in range(6)])
    found = structured.scan_structured(path, path.name, KINDS, structured.plain_text_scan(path, path.name),
                                       note=notes.append, max_rows=2) or []
    assert [f.location["count"] for f in found if "rows" in f.location] == [2]
    assert sorted(f.location["line"] for f in found if "rows" not in f.location) == [4, 5, 6, 7]
    assert notes == ["read by column up to more than 2 rows (DG_STRUCTURED_MAX_ROWS); the rest was scanned "
                     "line by line"]


def test_columns_past_max_columns_share_one_and_are_still_searched(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "MAX_COLUMNS", 3)
    path = write_csv(tmp_path / "breed.csv", [["a", "b", "c", "d", "e"], ["x", "y", "z", "w", EMAILS[0]]])
    read = structured.read_records(path)
    assert read is not None and len(read.columns) <= 4
    assert read.notes == ["columns past the first 3 were read as one"]
    (found,) = scan(path)
    assert found.type == "pii.email" and found.location["column"] == records.OVERFLOW_LABEL


ROOT = Path(__file__).resolve().parents[2]
DEEP_SCAN = """
import json, sys
from services.scanners import get_scanner
from services.scanners.base import no_progress
result = get_scanner(sys.argv[1]).scan({"path": sys.argv[2]}, no_progress)
print(json.dumps({"types": sorted({f["type"] for f in result["findings"]}), "status": result["status"]}))
"""


@pytest.mark.parametrize("scanner", ["document", "code"])
def test_a_document_nested_50000_deep_is_read_as_text_and_the_process_lives(tmp_path: Path,
                                                                          scanner: str) -> None:
    """libyaml's composer recurses in C: without the depth check this process dies (SIGSEGV, exit -11)."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "deep.json").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    (tree / "deep.yaml").write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    (tree / "contact.txt").write_text("Mail Petra de Vries: petra.devries@bakkerij-devries.nl\n",
                                      encoding="utf-8")
    env = {**os.environ, "DG_SCAN_ROOTS": str(tmp_path), "DG_DATA_DIR": str(tmp_path / "var")}
    done = subprocess.run([sys.executable, "-c", DEEP_SCAN, scanner, str(tree)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pii.email" in json.loads(done.stdout.strip().splitlines()[-1])["types"]


def test_a_bare_checksum_in_a_document_takes_its_context_from_the_scalars_around_it(tmp_path: Path) -> None:
    """An OpenAPI document's `maximum: 209715200` passes the 11-proof; a description far above it that
    speaks of a person's name and address is no context for it (it was a high BSN when a document's
    scalars were scanned joined); a FHIR-style identifier names its BSN in the field beside it."""
    from services.detection.structured.columns import column_findings
    from services.detection.structured.documents import read_document

    document = {"description": "Naam, adres, woonplaats en geboortedatum van de klant; e-mail en telefoon.",
                "identifier": {"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": BSNS[0]},
                "paths": {f"/v1/item{n}": {"summary": f"item {n}"} for n in range(8)},
                "limits": {"max_file_bytes": {"maximum": 209715200, "minimum": 1}}}
    path = _write(tmp_path / "openapi.json", json.dumps(document, indent=2))
    found = column_findings(read_document(path), "openapi.json", frozenset({"pii"}), lambda: None)
    by_column = {(f.location["column"], f.type): f for f in found}
    assert by_column[("limits.max_file_bytes.maximum", "pii.bsn")].severity.value == "low"
    assert by_column[("identifier.value", "pii.bsn")].severity.value == "high"  # its neighbour names it
