"""The report scanner: every format end to end, safe output paths, validation, progress, no leaks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from services.scanners import get_scanner
from services.scanners.base import no_progress
from tests.reporting.pdftext import pdf_text
from tests.reporting.samples import ALL_SCANNERS, PLANTED, code_result, database_result
from utils.config import get_settings
from utils.errors import InvalidRequestError, RequestTooLargeError, ScanCancelledError, UnsafeInputError


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """DG_DATA_DIR pointed at a fresh directory, settings re-read around the test."""
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("DG_DATA_DIR", str(root))
    monkeypatch.delenv("DG_SCAN_ROOTS", raising=False)
    get_settings.cache_clear()
    yield root
    monkeypatch.undo()
    get_settings.cache_clear()


def run(request: dict[str, Any], progress: Any = no_progress) -> dict[str, Any]:
    """Run the registered report scanner in-process."""
    return get_scanner("report").scan(request, progress)


def all_results() -> list[dict[str, Any]]:
    """One result of every scanner."""
    return [make() for make in ALL_SCANNERS.values()]


def assert_clean(*texts: str) -> None:
    """Fail if a planted raw value appears in any of the texts."""
    assert not [value for value in PLANTED for text in texts if value in text]


def test_pdf_report_end_to_end(data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = run({"results": all_results(), "format": "pdf", "language": "nl", "output": "q4/audit.pdf",
                  "organisation": "Bakkerij De Vries B.V."})
    report = result["report"]
    path = Path(report["path"])
    assert path == (data_dir / "reports" / "q4" / "audit.pdf").resolve()
    data = path.read_bytes()
    assert report["format"] == "pdf" and report["bytes"] == len(data)
    assert report["sha256"] == hashlib.sha256(data).hexdigest()
    assert report["pages"] == len(PdfReader(str(path)).pages)
    assert result["scanner"] == "report" and result["status"] == "completed"
    assert result["findings"] == [] and result["summary"]["items_scanned"] == len(ALL_SCANNERS)
    text = pdf_text(path)
    assert "Managementsamenvatting" in text and "Bakkerij De Vries B.V." in text
    assert_clean(text, json.dumps(result), caplog.text)
    assert not list(path.parent.glob(".audit.pdf.*")), "temporary file left behind"


def test_same_input_gives_the_same_pdf(data_dir: Path) -> None:
    first = run({"results": [code_result()], "output": "a.pdf"})["report"]
    second = run({"results": [code_result()], "output": "b.pdf"})["report"]
    assert first["sha256"] == second["sha256"]


def test_json_export_through_the_scanner(data_dir: Path) -> None:
    results = all_results()
    request = {"results": results, "format": "json", "output": "scan.json", "organisation": "Org"}
    report = run(request)["report"]
    text = Path(report["path"]).read_text(encoding="utf-8")
    document = json.loads(text)
    assert report["pages"] is None and report["format"] == "json"
    assert document["meta"]["organisation"] == "Org"
    assert sum(len(r["findings"]) for r in document["results"]) == sum(len(r["findings"]) for r in results)
    assert_clean(text)


def test_csv_export_through_the_scanner(data_dir: Path) -> None:
    request = {"results": [code_result(), database_result()], "format": "csv", "output": "f.csv"}
    report = run(request)["report"]
    text = Path(report["path"]).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    first = [(r["scanner"], r["type"]) for r in rows][:2]
    assert first == [("code", "secret.aws_access_key"), ("code", "pii.bsn")]
    assert len(rows) == 6
    assert_clean(text)


def test_sarif_export_through_the_scanner(data_dir: Path) -> None:
    report = run({"results": [code_result()], "format": "sarif", "output": "code.sarif"})["report"]
    log = json.loads(Path(report["path"]).read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in results} == {rule["id"] for rule in rules}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert_clean(Path(report["path"]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("output", ["../../etc/report.pdf", "/etc/report.pdf", "/tmp/../etc/x.pdf",
                                    "reports/../../../outside.pdf"])
def test_output_outside_the_data_directory_is_refused(data_dir: Path, output: str) -> None:
    with pytest.raises(UnsafeInputError):
        run({"results": [code_result()], "output": output})
    assert not Path("/etc/report.pdf").exists()


def test_output_through_a_symlink_out_of_the_data_directory_is_refused(
        data_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (data_dir / "reports").mkdir()
    (data_dir / "reports" / "link").symlink_to(outside)
    with pytest.raises(UnsafeInputError):
        run({"results": [code_result()], "output": "link/r.pdf"})
    assert list(outside.iterdir()) == []


def test_output_inside_a_scan_root_is_allowed(data_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "share"
    root.mkdir()
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    get_settings.cache_clear()
    report = run({"results": [code_result()], "format": "csv", "output": str(root / "out.csv")})["report"]
    assert Path(report["path"]) == (root / "out.csv").resolve()


@pytest.mark.parametrize(("request_", "error"), [
    ({"results": [], "output": "x.pdf"}, InvalidRequestError),
    ({"results": "nope", "output": "x.pdf"}, InvalidRequestError),
    ({"results": [{"findings": []}], "output": "x.pdf"}, InvalidRequestError),
    ({"results": [{"scanner": "code", "findings": [{"type": "pii.bsn", "severity": "huge"}]}],
      "output": "x.pdf"}, InvalidRequestError),
    ({"results": [{"scanner": "code", "findings": [{"type": "pii.bsn", "severity": "low", "location": "x"}]}],
      "output": "x.pdf"}, InvalidRequestError),
    ({"results": [{"scanner": "code", "findings": [{"type": "pii.bsn", "severity": "low",
                                                    "gdpr_articles": "Art. 9"}]}], "output": "x.pdf"},
     InvalidRequestError),
    ({"format": "docx", "output": "x.pdf"}, InvalidRequestError),
    ({"language": "de", "output": "x.pdf"}, InvalidRequestError),
    ({"organisation": 5, "output": "x.pdf"}, InvalidRequestError),
    ({"title": "x" * 500, "output": "x.pdf"}, InvalidRequestError),
    ({"output": ""}, InvalidRequestError),
    ({"output": "reports"}, InvalidRequestError),
    ({"results": [{"scanner": "code", "findings": []}] * 101, "output": "x.pdf"}, RequestTooLargeError),
], ids=["no-results", "results-not-list", "no-scanner", "bad-severity", "bad-location", "bad-articles",
        "format", "language", "organisation-type", "title-length", "empty-output", "output-is-directory",
        "too-many"])
def test_bad_requests_raise_named_errors(data_dir: Path, request_: dict[str, Any], error: type) -> None:
    (data_dir / "reports" / "reports").mkdir(parents=True)
    request = {"results": [code_result()], **request_}
    with pytest.raises(error) as raised:
        run(request)
    assert_clean(str(raised.value))


def test_logo_inside_the_data_directory_is_drawn_on_the_cover(data_dir: Path) -> None:
    logo = data_dir / "logo.png"
    Image.new("RGB", (400, 120), (30, 58, 95)).save(logo)
    report = run({"results": [code_result()], "output": "logo.pdf", "logo": str(logo)})["report"]
    cover = PdfReader(report["path"]).pages[0]
    assert len(cover.images) == 1


def test_logo_outside_the_roots_or_not_an_image_is_refused(data_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "logo.png"
    Image.new("RGB", (10, 10)).save(outside)
    with pytest.raises(UnsafeInputError):
        run({"results": [code_result()], "output": "a.pdf", "logo": str(outside)})
    fake = data_dir / "logo.png"
    fake.write_text("not an image")
    gif = data_dir / "logo.gif"
    Image.new("RGB", (10, 10)).save(gif)
    for path in (fake, gif):
        with pytest.raises(InvalidRequestError):
            run({"results": [code_result()], "output": "a.pdf", "logo": str(path)})
    assert not (data_dir / "reports" / "a.pdf").exists()


def test_progress_is_reported_and_cancellation_propagates(data_dir: Path) -> None:
    calls: list[float] = []
    run({"results": all_results(), "output": "p.pdf"}, lambda percent, message: calls.append(percent))
    assert calls[0] < calls[-1] == 100.0 and calls == sorted(calls) and len(calls) >= 5

    def cancel(percent: float, message: str) -> None:
        if percent > 40:
            raise ScanCancelledError("cancelled")

    with pytest.raises(ScanCancelledError):
        run({"results": all_results(), "output": "cancelled.pdf"}, cancel)
    assert not list((data_dir / "reports").glob("*cancelled*"))


def test_report_scanner_imports_no_runtime_infrastructure() -> None:
    code = ("import sys, services.scanners.report, services.exports.sarif, services.exports.csv_export;"
            "banned = ('redis', 'flask', 'psycopg2', 'services.scanner_processes');"
            "print(sorted(m for m in banned if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_report_of_a_real_document_scan(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "share"
    root.mkdir()
    raw_bsn, raw_iban, raw_email = "111222333", "NL91ABNA0417164300", "jan.jansen@bakkerij-devries.nl"
    (root / "klant.txt").write_text(f"Klant: Jan\nBSN: {raw_bsn}\nIBAN {raw_iban}\nmail {raw_email}\n",
                                    encoding="utf-8")
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    get_settings.cache_clear()
    scanned = get_scanner("document").scan({"path": str(root)}, no_progress)
    assert {f["type"] for f in scanned["findings"]} >= {"pii.bsn", "pii.iban", "pii.email"}
    report = run({"results": [scanned], "language": "nl", "output": "document.pdf"})["report"]
    text = pdf_text(Path(report["path"]))
    assert f"{scanned['summary']['compliance_score']}/100" in text
    assert all(f["evidence"] in text for f in scanned["findings"])
    assert "klant.txt" in text and "Beveiliging van de verwerking" in text
    assert not [value for value in (raw_bsn, raw_iban, raw_email) if value in text]
