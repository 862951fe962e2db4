"""Documents committed to a source tree (spreadsheets, Word files, PDFs) are read by the code scanner as
the document scanner reads them, located by sheet and row, paragraph or page; one it cannot read (a
corrupt workbook, a zip bomb named .docx, an encrypted PDF) is a skip with its reason, and the scan
goes on. Pictures are left to the image scanner. Evidence is masked everywhere."""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import Any

import pytest

from services.scanners import get_scanner
from tests.inputs.bombs import zip_bomb

AWS_KEY = "AKIA2E0A8F3B244C9986"
BSNS = ("111222333", "123456782", "232262536")  # pass the 11-proof; made up
EMAILS = ("jan.jansen@kpn.nl", "p.devries@ziggo.nl", "a.elamrani@xs4all.nl")
PHONES = ("06 12 34 56 78", "06 87 65 43 21", "06 11 22 33 44")
POSTCODES = ("1234 AB", "3511 EK", "9711 LM")
IBAN = "NL91ABNA0417164300"  # the textbook example IBAN
PLANTED = (AWS_KEY, *BSNS, *EMAILS, *PHONES, *POSTCODES, IBAN)


def _scan(root: Path, options: dict[str, Any] | None = None, progress: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {"path": str(root)}
    if options:
        request["options"] = options
    return get_scanner("code").scan(request, progress or (lambda percent, message: None))


def _assert_masked(*outputs: str) -> None:
    for output in outputs:
        for value in PLANTED:
            assert value not in output, "a raw planted value in the output"


def _xlsx(path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klanten"
    sheet.append(["Naam", "BSN", "E-mailadres", "Telefoon", "Postcode"])
    for i in range(3):
        sheet.append([f"Klant {i}", BSNS[i], EMAILS[i], PHONES[i], POSTCODES[i]])
    workbook.create_sheet("Leeg").append(["Omschrijving"])
    workbook.save(path)


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Arbeidsovereenkomst")  # paragraph 1
    document.add_paragraph("Tussen partijen is het volgende overeengekomen.")  # 2
    document.add_paragraph(f"Burgerservicenummer werknemer: {BSNS[0]}")  # 3
    document.add_paragraph(f"Loon wordt gestort op rekening {IBAN}.")  # 4
    document.save(str(path))


def _pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Huurcontract, pagina 1: algemene bepalingen zonder persoonsgegevens.")
    pdf.showPage()
    pdf.drawString(72, 720, "Huurder en verhuurder komen het volgende overeen.")
    pdf.drawString(72, 700, f"BSN huurder: {BSNS[1]}")
    pdf.showPage()
    pdf.drawString(72, 720, f"Contact voor de huurder: {EMAILS[1]}")
    pdf.save()


def _repository(root: Path) -> Path:
    """A committed project: code, a customer workbook, a contract in Word and a three-page PDF."""
    repo = root / "crm"
    for folder in ("src", "exports", "contracts", "docs/legal"):
        (repo / folder).mkdir(parents=True)
    (repo / "src" / "app.py").write_text(f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n', encoding="utf-8")
    _xlsx(repo / "exports" / "klanten.xlsx")
    _docx(repo / "contracts" / "arbeidsovereenkomst.docx")
    _pdf(repo / "docs" / "legal" / "huurcontract.pdf")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit",
                    "-qm", "init"], check=True)
    return repo


def _of(result: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["location"]["path"] == path]


def test_committed_workbook_word_file_and_pdf_are_found_where_they_are(
        scan_root: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = _scan(_repository(scan_root))
    assert result["status"] == "completed" and result["errors"] == []
    assert result["summary"]["items_scanned"] == 4
    # the workbook: one finding per column under its header, with the sheet and every row
    columns = {(f["location"]["column"], f["type"]): f["location"]
               for f in _of(result, "exports/klanten.xlsx")}
    assert set(columns) == {("BSN", "pii.bsn"), ("E-mailadres", "pii.email"), ("Telefoon", "pii.phone"),
                            ("Postcode", "pii.postcode")}
    assert all(loc["sheet"] == "Klanten" and loc["rows"] == [2, 3, 4] and loc["count"] == 3
               for loc in columns.values())
    assert columns[("BSN", "pii.bsn")]["cell"] == "B2"
    # the Word file: by paragraph
    word = {(f["type"], f["location"]["line"]) for f in _of(result, "contracts/arbeidsovereenkomst.docx")}
    assert word == {("pii.bsn", 3), ("pii.iban", 4)}
    # the PDF: by page (and line within it)
    pages = {(f["type"], f["location"]["page"]) for f in _of(result, "docs/legal/huurcontract.pdf")}
    assert pages == {("pii.bsn", 2), ("pii.email", 3)}
    # nothing of .git is read, and no document is skipped
    assert all(not f["location"]["path"].startswith(".git") for f in result["findings"])
    assert {s["path"] for s in result["skipped"]} == {".git/"}
    _assert_masked(json.dumps(result), caplog.text)


def test_documents_are_suppressed_by_baseline_and_looked_into_only_for_what_can_live_there(
        scan_root: Path) -> None:
    repo = _repository(scan_root)
    first = _scan(repo)
    assert not any(f["type"].startswith("code.") for f in first["findings"]
                   if not f["location"]["path"].endswith(".py"))
    again = _scan(repo, {"baseline": first})
    assert all(f["suppressed"] for f in again["findings"])
    assert {f["location"]["path"] for f in again["findings"]} == {"src/app.py", "exports/klanten.xlsx",
                                                                  "contracts/arbeidsovereenkomst.docx",
                                                                  "docs/legal/huurcontract.pdf"}
    secrets_only = _scan(repo, {"kinds": ["secret"]})
    assert {f["location"]["path"] for f in secrets_only["findings"]} == {"src/app.py"}


def test_an_inline_dg_ignore_in_a_document_paragraph_suppresses_it(scan_root: Path) -> None:
    import docx

    repo = scan_root / "repo"
    repo.mkdir()
    document = docx.Document()
    document.add_paragraph(f"Voorbeeld-BSN uit de handleiding: {BSNS[2]}  dg:ignore")
    document.add_paragraph(f"BSN van de klant: {BSNS[0]}")
    document.save(str(repo / "handleiding.docx"))
    found = {(f["location"]["line"], f.get("suppressed", False)) for f in _scan(repo)["findings"]}
    assert found == {(1, True), (2, False)}


def test_unreadable_documents_are_reported_skips_and_the_scan_completes(
        scan_root: Path, caplog: pytest.LogCaptureFixture) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    caplog.set_level(logging.DEBUG)
    repo = scan_root / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(f'KEY = "{AWS_KEY}"\n', encoding="utf-8")
    (repo / "klanten.xlsx").write_bytes(b"PK\x03\x04" + f"BSN {BSNS[0]}".encode())  # a damaged workbook
    zip_bomb(repo / "contract.docx", mib=300, name="word/document.xml")  # 300 MiB of zeros, named as Word
    locked = canvas.Canvas(str(repo / "locked.pdf"), encrypt=StandardEncryption("user-pw", "owner-pw"))
    locked.drawString(72, 720, f"BSN {BSNS[0]}")
    locked.save()
    result = _scan(repo)
    assert result["status"] == "completed" and result["errors"] == []
    assert [f["type"] for f in result["findings"]] == ["secret.aws_access_key"]
    reasons = {s["path"]: s["reason"] for s in result["skipped"]}
    assert reasons["klanten.xlsx"].startswith("document not read (corrupt): klanten.xlsx")
    assert reasons["contract.docx"].startswith("document not read (unsafe): contract.docx")
    assert "archive bomb" in reasons["contract.docx"]
    assert reasons["locked.pdf"] == "document not read (encrypted): locked.pdf: PDF is password-protected"
    _assert_masked(json.dumps(result), caplog.text)


def test_pictures_legacy_office_files_and_lfs_pointers_are_named_skips(scan_root: Path) -> None:
    repo = scan_root / "repo"
    repo.mkdir()
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (repo / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # an OLE compound file
    (repo / "tool.bin").write_bytes(bytes(64))
    oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 12345\n"
    (repo / "scan.pdf").write_text(pointer, encoding="utf-8")
    (repo / "contract").write_bytes(_pdf_bytes(scan_root))  # a PDF by its first bytes, whatever its name
    result = _scan(repo)
    reasons = {s["path"]: s["reason"] for s in result["skipped"]}
    assert reasons == {
        "logo.png": "image: left to the image scanner (text in a picture needs OCR)",
        "old.xls": "legacy binary Office format: not read (saved as .docx, .xlsx or .pptx it would be)",
        "tool.bin": "binary content",
        "scan.pdf": "Git LFS pointer (the file's content is not in the tree)",
    }
    assert {(f["type"], f["location"]["page"]) for f in _of(result, "contract")} == {("pii.bsn", 2),
                                                                                     ("pii.email", 3)}


def _pdf_bytes(tmp: Path) -> bytes:
    path = tmp / "made.pdf"
    _pdf(path)
    data = path.read_bytes()
    path.unlink()
    return data


def test_a_cancel_inside_a_document_stops_the_scan(scan_root: Path) -> None:
    repo = scan_root / "repo"
    repo.mkdir()
    _pdf(repo / "huurcontract.pdf")

    class Cancelled(Exception):
        pass

    def progress(percent: float, message: str) -> None:
        if "(part" in message:  # progress from inside the document: where a deadline or cancel lands
            raise Cancelled

    with pytest.raises(Cancelled):
        _scan(repo, progress=progress)
