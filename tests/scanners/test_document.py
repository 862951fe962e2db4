"""The document scanner end to end: real files of every format, real detection, real errors."""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.scanners import get_scanner
from tests.corpus.formats import render_all
from tests.extraction.planted import BSN, IBAN, PLANTED, planted_samples
from tests.inputs.bombs import zip_bomb
from utils.config import get_settings
from utils.errors import InvalidRequestError, ScanCancelledError, UnsafeInputError

TEXT_FORMATS = ("txt", "csv", "json", "xml", "html", "pdf", "docx", "xlsx", "pptx", "odt", "rtf", "eml")


@pytest.fixture
def scan_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory the settings allow scans of (DG_SCAN_ROOTS), settings re-read around the test."""
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    get_settings.cache_clear()
    yield root
    monkeypatch.undo()
    get_settings.cache_clear()


class ProgressLog:
    """A progress sink that remembers every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, percent: float, message: str) -> None:
        self.calls.append((percent, message))


def scan(path: Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the registered document scanner in-process."""
    request: dict[str, Any] = {"path": str(path)}
    if options is not None:
        request["options"] = options
    return get_scanner("document").scan(request, ProgressLog())


def assert_no_raw_values(*outputs: str) -> None:
    """Fail if any planted raw value appears in any output."""
    for output in outputs:
        for value in PLANTED:
            assert value not in output, f"raw planted value leaked: {value[:3]}…"


def found_at(result: dict[str, Any], kind: str, name: str) -> list[dict[str, Any]]:
    """Locations of findings of `kind` in the file whose path ends with `name`."""
    return [f["location"] for f in result["findings"]
            if f["type"] == kind and f["location"]["path"].endswith(name)]


def covers(location: dict[str, Any], expected: dict[str, Any]) -> bool:
    """A finding at the expected place, or a column finding whose rows hold it (structured files)."""
    if "rows" not in location:
        return expected.items() <= location.items()
    row = expected.get("line") or int("".join(c for c in str(expected.get("cell", "")) if c.isdigit()) or 0)
    return row in location["rows"] and expected.get("sheet") == location.get("sheet")


def test_every_format_is_scanned_at_the_right_place(
    scan_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rendered = render_all(scan_root, planted_samples(), TEXT_FORMATS)
    result = scan(scan_root)
    assert result["status"] == "completed", result["errors"]
    assert result["summary"]["items_scanned"] == len(rendered)
    samples = planted_samples()
    for path, expected in rendered:
        for entry in expected:
            if entry["type"] not in ("pii.bsn", "pii.iban", "pii.email"):
                continue  # the phone detector's coverage is the detection bench's business
            locations = found_at(result, entry["type"], path.name)
            assert any(covers(loc, entry["location"]) for loc in locations), (
                path.name, entry["type"], entry["location"], locations, samples[entry["sample"]].spans)
    assert_no_raw_values(json.dumps(result), caplog.text)


def test_scanned_pdf_is_read_with_ocr(scan_root: Path) -> None:
    render_all(scan_root, planted_samples()[:3], ["scanned_pdf"])
    result = scan(scan_root / "scanned.pdf")
    assert result["errors"] == []
    assert [loc["page"] for loc in found_at(result, "pii.bsn", "scanned.pdf")] == [1]
    assert [loc["page"] for loc in found_at(result, "pii.iban", "scanned.pdf")] == [1]
    assert_no_raw_values(json.dumps(result))


def _broken_files(root: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(root / "locked.pdf"), encrypt=StandardEncryption("user-secret", "owner"))
    pdf.drawString(72, 720, f"BSN {BSN}")
    pdf.save()
    (root / "corrupt.docx").write_bytes(b"PK\x03\x04" + f"BSN {BSN}".encode())
    (root / "latin.txt").write_bytes("Zoë\n".encode() + b"\xff\xfe kapot\n" + f"IBAN {IBAN}\n".encode())
    (root / "large.csv").write_text(f"bsn\n{BSN}\n" + "x" * 200_000)


def test_broken_files_end_in_errors_while_the_rest_is_scanned(
    scan_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    render_all(scan_root, planted_samples(), ["txt", "docx"])
    _broken_files(scan_root)
    result = scan(scan_root, {"max_file_bytes": 100_000})
    assert result["status"] == "degraded"
    errors = {Path(e["path"]).name: e for e in result["errors"]}
    assert errors["locked.pdf"]["kind"] == "encrypted"
    assert "password-protected" in errors["locked.pdf"]["message"]
    assert errors["corrupt.docx"]["kind"] == "corrupt"
    assert errors["large.csv"]["kind"] == "too_large"
    assert errors["latin.txt"]["kind"] == "decoding"
    assert "invalid utf-8" in errors["latin.txt"]["message"]
    # the good files and the damaged-but-readable one were still scanned
    assert found_at(result, "pii.bsn", "samples.txt") and found_at(result, "pii.bsn", "samples.docx")
    assert [loc["line"] for loc in found_at(result, "pii.iban", "latin.txt")] == [3]
    assert result["summary"]["items_scanned"] == 3
    assert_no_raw_values(json.dumps(result), caplog.text)


def test_archive_members_are_scanned_and_hostile_members_reported(scan_root: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    extracted_in = tmp_path / "tmp"
    extracted_in.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(extracted_in))
    rendered = render_all(scan_root / "src", planted_samples(), ["txt", "xlsx"])
    archive = scan_root / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path, _ in rendered:
            zf.write(path, f"docs/{path.name}")
        zf.writestr("../escape.txt", f"BSN {BSN}")
    zip_bomb(scan_root / "bomb.zip", mib=512)
    result = scan(scan_root, {"exclude_dirs": ["src"]})
    assert result["status"] == "degraded"
    [cell] = found_at(result, "pii.bsn", "upload.zip!/docs/samples.xlsx")
    assert (cell["sheet"], cell["cell"]) == ("Samples", "A2")
    assert [loc["line"] for loc in found_at(result, "pii.bsn", "upload.zip!/docs/samples.txt")] == [2]
    errors = {e["path"]: e for e in result["errors"]}
    assert errors[f"{scan_root}/upload.zip!/../escape.txt"]["message"] == "path traversal (..)"
    assert "archive bomb" in errors[f"{scan_root}/bomb.zip!/zeros.bin"]["message"]
    assert not (scan_root.parent / "escape.txt").exists()
    assert not list(extracted_in.iterdir()), "the extraction directory outlived the scan"
    assert_no_raw_values(json.dumps(result))


def test_request_errors_are_named(scan_root: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text(f"BSN {BSN}")
    with pytest.raises(UnsafeInputError):
        scan(tmp_path / "outside.txt")
    with pytest.raises(InvalidRequestError, match="does not exist"):
        scan(scan_root / "missing.pdf")
    with pytest.raises(InvalidRequestError, match="unknown options: colour"):
        scan(scan_root, {"colour": "blue"})
    with pytest.raises(InvalidRequestError, match="max_files"):
        scan(scan_root, {"max_files": 0})
    with pytest.raises(InvalidRequestError, match="not cookies"):
        scan(scan_root, {"kinds": ["pii", "cookies"]})
    with pytest.raises(InvalidRequestError, match="ocr_languages"):
        scan(scan_root, {"ocr_languages": "eng; rm -rf /"})


def test_progress_is_reported_and_cancellation_propagates(scan_root: Path) -> None:
    render_all(scan_root, planted_samples(), ["txt", "csv", "json"])
    progress = ProgressLog()
    get_scanner("document").scan({"path": str(scan_root)}, progress)
    percents = [p for p, _ in progress.calls]
    assert percents == sorted(percents) and percents[-1] == 100.0
    assert sum("scanning" in m for _, m in progress.calls) == 3

    def cancel(percent: float, message: str) -> None:
        if "samples.csv" in message:
            raise ScanCancelledError("cancelled")

    with pytest.raises(ScanCancelledError):
        get_scanner("document").scan({"path": str(scan_root)}, cancel)


def test_nothing_readable_is_a_failed_result(scan_root: Path) -> None:
    (scan_root / "corrupt.xlsx").write_bytes(b"not a workbook")
    result = scan(scan_root / "corrupt.xlsx")
    assert result["status"] == "failed"
    assert [e["kind"] for e in result["errors"]] == ["corrupt"]


def _many_members(path: Path, count: int = 20_000) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(count):
            archive.writestr(f"m/{index}.txt", "")


def _corrupt_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a PDF body\n%%EOF")


HOSTILE = {"zip bomb": lambda root: zip_bomb(root / "bomb.zip", mib=200),
           "20,000 members": lambda root: _many_members(root / "many.zip"),
           "corrupt pdf": lambda root: _corrupt_pdf(root / "contract.pdf")}


@pytest.mark.parametrize("hostile", HOSTILE)
def test_input_that_cannot_be_read_is_not_assessed(scan_root: Path, hostile: str) -> None:
    HOSTILE[hostile](scan_root)
    result = scan(scan_root)  # the directory holds only the hostile file: nothing at all was read
    assert result["status"] == "failed" and result["summary"]["items_scanned"] == 0 and result["errors"]
    summary = result["summary"]
    assert (summary["compliance_score"], summary["risk_level"], summary["score_breakdown"]) == (
        None, "not_assessed", [])


def test_a_partly_readable_input_keeps_the_score_of_what_was_read(scan_root: Path) -> None:
    (scan_root / "notes.txt").write_text(f"BSN {BSN}\n")
    zip_bomb(scan_root / "bomb.zip", mib=200)
    result = scan(scan_root)
    assert result["status"] == "degraded" and result["summary"]["items_scanned"] == 1
    assert result["summary"]["compliance_score"] < 100 and result["summary"]["risk_level"] != "not_assessed"


def test_unsupported_files_and_links_are_skipped_not_errors(scan_root: Path, tmp_path: Path) -> None:
    render_all(scan_root, planted_samples(), ["txt"])
    (scan_root / "video.mp4").write_bytes(bytes(range(256)) * 64)
    outside = tmp_path / "outside.txt"
    outside.write_text(f"BSN {BSN}")
    (scan_root / "link.txt").symlink_to(outside)
    result = scan(scan_root)
    assert result["status"] == "completed"
    skipped = {Path(s["path"]).name: s["reason"] for s in result["skipped"]}
    assert "unsupported binary format" in skipped["video.mp4"]
    assert skipped["link.txt"] == "symbolic link not followed"
    assert all("outside.txt" not in f["location"]["path"] for f in result["findings"])
    assert result["summary"]["items_scanned"] == 1


def test_tar_gz_upload_is_scanned(scan_root: Path) -> None:
    import tarfile

    rendered = render_all(scan_root / "src", planted_samples(), ["odt"])
    archive = scan_root / "export.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(rendered[0][0], "export/samples.odt")
    result = scan(archive)
    assert result["status"] == "completed"
    assert [loc["line"] for loc in found_at(result, "pii.iban", "export.tar.gz!/export/samples.odt")] == [3]


def test_kinds_narrow_what_is_looked_for(scan_root: Path) -> None:
    render_all(scan_root, planted_samples(), ["txt"])
    assert found_at(scan(scan_root), "pii.bsn", "samples.txt")
    assert scan(scan_root, {"kinds": ["secret"]})["findings"] == []
