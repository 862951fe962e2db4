"""Both scanners on seeds, exports and fixtures: one finding per column with its count, masked everywhere.

The files are those of tests/detection/test_structured.py (a seed migration with INSERT and COPY, a
CSV and a TSV export, an XLSX export with real date cells, a JSON and a YAML fixture), put in a tree
and scanned end to end by the registered code and document scanners; the result, the CSV and SARIF
exports, the PDF report and the log are then searched for every planted value.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from services.exports.csv_export import to_csv_text
from services.exports.sarif import to_sarif
from services.reporting.model import build_model
from services.reporting.pdf import ReportMeta, render_pdf
from services.scanners import get_scanner
from tests.detection.test_structured import (
    BIRTH_DATES,
    BSNS,
    EMAILS,
    IBANS,
    ORDER_NUMBERS,
    PHONES,
    RAW_VALUES,
    SEED,
    YAML_FIXTURE,
    _export_rows,
    write_csv,
)
from tests.reporting.pdftext import pdf_text
from utils.config import get_settings


def run(scanner: str, path: Path) -> dict[str, Any]:
    return get_scanner(scanner).scan({"path": str(path)}, lambda percent, message: None)


def tree(root: Path) -> Path:
    """A project with a seed migration, CSV/TSV/XLSX exports and JSON/YAML fixtures."""
    project = root / "crm"
    for folder in ("db/migrations", "exports", "data", "config"):
        (project / folder).mkdir(parents=True)
    (project / "db/migrations/V2__seed.sql").write_text(SEED, encoding="utf-8")
    write_csv(project / "exports/klanten.csv", _export_rows())
    write_csv(project / "exports/klanten.tsv", _export_rows(), delimiter="\t")
    customers = [{"id": 100 + i, "email": EMAILS[i], "dateOfBirth": BIRTH_DATES[i], "createdAt": "2024-01-02",
                  "orderNumber": ORDER_NUMBERS[i], "version": "10.0.19045.1"} for i in range(3)]
    (project / "data/customers.json").write_text(json.dumps({"customers": customers}, indent=2),
                                                 encoding="utf-8")
    (project / "config/users.yml").write_text(YAML_FIXTURE, encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klanten"
    sheet.append(["Naam", "Geboortedatum", "IBAN", "Aangemaakt op"])
    for i in range(3):  # real Excel date cells, as an export writes them
        sheet.append([f"Klant {i}", dt.datetime.fromisoformat(BIRTH_DATES[i]), IBANS[i],
                      dt.datetime(2024, 1, 2 + i)])
    workbook.save(project / "exports/klanten.xlsx")
    return project


def columns_of(result: dict[str, Any], name: str) -> dict[tuple[str, str], int]:
    """(column, type) -> count of the column findings in the file `name`; a column reported twice fails."""
    found: dict[tuple[str, str], int] = {}
    for finding in result["findings"]:
        location = finding["location"]
        if location["path"].endswith(name) and "rows" in location:
            key = (location["column"], finding["type"])
            assert key not in found, key
            found[key] = location["count"]
    return found


def per_line(result: dict[str, Any], name: str) -> list[str]:
    return [f["type"] for f in result["findings"] if f["location"]["path"].endswith(name)
            and f["category"] == "pii" and "rows" not in f["location"]]


SEED_COLUMNS = {("bsn", "pii.bsn"): 3, ("geboortedatum", "pii.date_of_birth"): 3,
                ("postcode", "pii.postcode"): 3, ("telefoon", "pii.phone"): 3, ("email", "pii.email"): 2,
                ("opmerking", "pii.email"): 1}
EXPORT_COLUMNS = {("BSN", "pii.bsn"): 3, ("Geboortedatum", "pii.date_of_birth"): 3,
                  ("Postcode", "pii.postcode"): 3, ("Telefoon", "pii.phone"): 3,
                  ("E-mailadres", "pii.email"): 3, ("Rekeningnummer", "pii.iban"): 3,
                  ("Opmerkingen", "pii.phone"): 1}
JSON_COLUMNS = {("customers[].email", "pii.email"): 3, ("customers[].dateOfBirth", "pii.date_of_birth"): 3}


def assert_nothing_raw(result: dict[str, Any], tmp_path: Path, log: str) -> None:
    """No planted value in the result, its CSV and SARIF exports, its PDF report or the log."""
    data, _ = render_pdf(build_model([result]), ReportMeta("Org", "Report", "en", dt.date(2026, 1, 1)))
    (tmp_path / "report.pdf").write_bytes(data)
    outputs = {"result": json.dumps(result), "csv": to_csv_text([result]),
               "sarif": json.dumps(to_sarif(result)), "pdf": pdf_text(tmp_path / "report.pdf"), "log": log}
    for name, text in outputs.items():
        for value in RAW_VALUES:
            assert value not in text, f"a raw value leaked into the {name}"


def test_the_code_scanner_reports_each_column_once_with_its_count(
        scan_root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = run("code", tree(scan_root))
    assert columns_of(result, "V2__seed.sql") == SEED_COLUMNS
    assert columns_of(result, "klanten.csv") == EXPORT_COLUMNS
    assert columns_of(result, "klanten.tsv") == EXPORT_COLUMNS
    assert columns_of(result, "customers.json") == JSON_COLUMNS
    # a committed workbook is read as the document scanner reads it (tests/scanners/test_code_documents.py)
    assert columns_of(result, "klanten.xlsx") == {("Geboortedatum", "pii.date_of_birth"): 3,
                                                  ("IBAN", "pii.iban"): 3}
    assert set(columns_of(result, "users.yml")) == {
        ("users[].birth_date", "pii.date_of_birth"), ("users[].contact.mobiel", "pii.phone"),
        ("users[].contact.zip", "pii.postcode"), ("users[].notes", "pii.email")}
    for name in ("V2__seed.sql", "klanten.csv", "klanten.tsv", "customers.json", "users.yml"):
        assert per_line(result, name) == [], name  # no value is reported again per cell
    assert result["notes"] == []
    assert_nothing_raw(result, tmp_path, caplog.text)


def test_the_document_scanner_reads_the_same_files_and_the_workbook_by_column(
        scan_root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = run("document", tree(scan_root))
    assert columns_of(result, "V2__seed.sql") == SEED_COLUMNS
    assert columns_of(result, "klanten.csv") == EXPORT_COLUMNS
    assert columns_of(result, "customers.json") == JSON_COLUMNS
    # Excel date cells under Geboortedatum are dates of birth; those under "Aangemaakt op" are not
    assert columns_of(result, "klanten.xlsx") == {("Geboortedatum", "pii.date_of_birth"): 3,
                                                  ("IBAN", "pii.iban"): 3}
    (dob,) = [f for f in result["findings"] if f["location"]["path"].endswith("klanten.xlsx")
              and f["type"] == "pii.date_of_birth"]
    assert dob["location"]["sheet"] == "Klanten" and dob["location"]["cell"] == "B2"
    assert dob["location"]["rows"] == [2, 3, 4]
    for name in ("V2__seed.sql", "klanten.csv", "klanten.xlsx", "customers.json"):
        assert per_line(result, name) == [], name
    assert result["notes"] == []
    assert_nothing_raw(result, tmp_path, caplog.text)


def test_exports_and_the_report_show_one_line_per_column_with_its_count(scan_root: Path,
                                                                         tmp_path: Path) -> None:
    result = run("code", tree(scan_root))
    csv_lines = [line for line in to_csv_text([result]).splitlines() if "V2__seed.sql" in line]
    assert any("klanten.bsn count=3" in line and "pii.bsn" in line for line in csv_lines)
    sarif = to_sarif(result)["runs"][0]["results"]
    (bsn_result,) = [r for r in sarif if r["ruleId"] == "pii.bsn" and r["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"].endswith("V2__seed.sql")]
    assert "in column klanten.bsn: 3 values" in bsn_result["message"]["text"]
    assert bsn_result["properties"]["count"] == 3 and bsn_result["properties"]["rows"] == [11, 12, 16]
    assert bsn_result["locations"][0]["physicalLocation"]["region"] == {"startLine": 11}
    model = build_model([result])
    (section,) = [s for s in model.sections if s.type == "pii.bsn"]
    lines = {group.location: group.count for group in section.groups}
    assert lines["db/migrations/V2__seed.sql klanten.bsn"] == 3
    assert lines["exports/klanten.csv BSN"] == 3
    data, _ = render_pdf(model, ReportMeta("Org", "Report", "en", dt.date(2026, 1, 1)))
    (tmp_path / "report.pdf").write_bytes(data)
    assert "klanten.bsn" in pdf_text(tmp_path / "report.pdf")


# --- bounds: a clear result, not a hang -----------------------------------------------------------

def test_rows_past_the_setting_are_scanned_line_by_line_and_the_result_says_so(
        scan_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DG_STRUCTURED_MAX_ROWS", "3")
    get_settings.cache_clear()
    write_csv(scan_root / "big.csv", [["email"]] + [[EMAILS[i % 3]] for i in range(7)])
    for scanner in ("code", "document"):
        result = run(scanner, scan_root)
        assert columns_of(result, "big.csv") == {("email", "pii.email"): 3}
        assert sorted(f["location"]["line"] for f in result["findings"] if "rows" not in f["location"]) == [
            5, 6, 7, 8]
        (note,) = result["notes"]
        assert note["path"].endswith("big.csv") and "DG_STRUCTURED_MAX_ROWS" in note["note"]


def test_a_very_wide_row_and_an_unclosed_quote_end_with_a_note(scan_root: Path) -> None:
    width = 20_000  # wider than any spreadsheet (16,384 columns), each column its own (`column N`)
    header = ["naam"] + [""] * (width - 2) + ["email"]
    row = ["Jan"] + [""] * (width - 2) + [EMAILS[0]]  # in a column past the last one kept: still found
    write_csv(scan_root / "wide.csv", [header, row], delimiter=",")
    # a quote that never closes makes the rest of the file one field, larger than csv's field limit
    (scan_root / "bomb.csv").write_text(f"naam,email\nJan,{EMAILS[1]}\n\"" + "x" * 300_000 + "\n",
                                        encoding="utf-8")
    result = run("document", scan_root)
    notes = {Path(n["path"]).name: n["note"] for n in result["notes"]}
    assert "columns past the first 16384 were read as one" in notes["wide.csv"]
    assert notes["bomb.csv"] == "not read by column (Error): scanned line by line"
    wide = [f for f in result["findings"] if f["location"]["path"].endswith("wide.csv")]
    assert [(f["type"], f["location"]["column"], f["location"]["count"]) for f in wide] == [
        ("pii.email", "(columns past 16384)", 1)]
    # the bomb is read as text: its address is still found, on its line
    assert [(f["type"], f["location"]["line"]) for f in result["findings"]
            if f["location"]["path"].endswith("bomb.csv")] == [("pii.email", 2)]
    # the extractor names the malformed file as well; the wide one read cleanly
    assert [(Path(e["path"]).name, e["kind"]) for e in result["errors"]] == [("bomb.csv", "corrupt")]


def test_bsn_and_phone_of_the_planted_rows_are_valid() -> None:
    """The planted values are real of their type, so a miss above is a miss of the scanner."""
    from stdnum.nl import bsn

    assert all(bsn.is_valid(number) for number in BSNS) and len(PHONES) == 3
