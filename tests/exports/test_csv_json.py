"""CSV and JSON exports parse back, keep every finding, escape formulas and carry no raw value."""

from __future__ import annotations

import csv
import io
import json

import pytest

from services.exports.csv_export import COLUMNS, escape_cell, to_csv_bytes
from services.exports.json_export import to_json_bytes
from services.results import ResultStatus, Severity, build_result, utc_now_iso
from tests.reporting.samples import ALL_SCANNERS, PLANTED, _result, finding


def all_results() -> list[dict]:
    """One realistic result of every scanner."""
    return [make() for make in ALL_SCANNERS.values()]


def parse_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV export as dicts."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_one_row_per_finding_with_location_and_masked_evidence() -> None:
    results = all_results()
    data = to_csv_bytes(results)
    rows = parse_csv(data)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == sum(len(r["findings"]) for r in results)
    by_type = {(row["scanner"], row["type"]): row for row in rows}
    bsn = by_type[("code", "pii.bsn")]
    assert bsn["location"] == "tests/fixtures/users.py:4"
    assert json.loads(bsn["location_json"]) == {"path": "tests/fixtures/users.py", "line": 4}
    assert bsn["evidence"] == "111******"
    assert by_type[("database", "pii.email")]["location"] == "public.customers.email"
    assert by_type[("document", "pii.iban")]["location"] == "hr/salaris.pdf p.3"
    assert by_type[("code", "secret.password")]["suppressed"] == "true"
    text = data.decode("utf-8-sig")
    assert all(value not in text for value in PLANTED)


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_are_escaped(cell: str) -> None:
    assert escape_cell(cell) == "'" + cell


def test_formula_injection_in_a_finding_reaches_the_file_escaped() -> None:
    hostile = finding("pii.email", "pii", Severity.LOW, {"path": "=cmd|' /C calc'!A0", "line": 1},
                      "x", evidence="=1+1", remediation="@SUM(1)")
    rows = parse_csv(to_csv_bytes([_result("code", [hostile])]))
    assert rows[0]["evidence"] == "'=1+1"
    assert rows[0]["remediation"] == "'@SUM(1)"
    assert rows[0]["location"].startswith("'=cmd")
    assert all(not value.startswith(("=", "+", "-", "@")) for value in rows[0].values())


def test_json_keeps_summaries_and_findings_but_not_unknown_fields() -> None:
    results = all_results()
    data = to_json_bytes(results, meta={"organisation": "Bakkerij De Vries"})
    document = json.loads(data)
    assert document["format"] == "dataguardian-report"
    assert document["meta"]["organisation"] == "Bakkerij De Vries"
    assert [r["scanner"] for r in document["results"]] == list(ALL_SCANNERS)
    for original, exported in zip(results, document["results"], strict=True):
        assert exported["summary"]["compliance_score"] == original["summary"]["compliance_score"]
        assert [f["evidence"] for f in exported["findings"]] == [f["evidence"] for f in original["findings"]]
        assert "raw_request" not in exported
        assert all("raw_value" not in f for f in exported["findings"])
    assert all(value.encode() not in data for value in PLANTED)


@pytest.mark.parametrize("written_by", ["this version", "an older version"])
def test_json_gives_a_scan_that_could_not_read_its_input_no_score(written_by: str) -> None:
    partial = finding("pii.bsn", "pii", Severity.HIGH, {"path": "contract.pdf", "page": 1}, "111222333")
    result = build_result("document", [partial], started_at=utc_now_iso(), status=ResultStatus.FAILED,
                          errors=[{"path": "contract.pdf", "kind": "corrupt", "message": "unreadable"}])
    if written_by == "an older version":  # result files from before this rule said 100 / low
        result["summary"].update(compliance_score=100, risk_level="low")
    exported = json.loads(to_json_bytes([result]))["results"][0]
    assert exported["status"] == "failed"
    assert exported["summary"]["compliance_score"] is None
    assert exported["summary"]["risk_level"] == "not_assessed"
    assert exported["summary"]["score_breakdown"] == []
    assert [f["type"] for f in exported["findings"]] == ["pii.bsn"]  # what it read is still reported
