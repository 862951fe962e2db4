"""Files that cannot be read end in an ExtractionError of the right kind, never a raw value."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from services.extraction import ErrorKind, ExtractionError, ExtractOptions
from tests.corpus.formats import render_all
from tests.extraction.planted import BSN, PLANTED, extract_all, planted_samples, value_locations
from tests.inputs.bombs import zip_bomb

TWO_GIB = 2 * 1024 * 1024 * 1024


def _error(path: Path, options: ExtractOptions | None = None) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract_all(path, options)
    message = str(caught.value)
    assert path.name in message
    assert not any(value in message for value in PLANTED)
    return caught.value


def test_password_protected_pdf_is_encrypted(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("user-secret", "owner-secret"))
    pdf.drawString(72, 720, f"BSN {BSN}")
    pdf.save()
    assert _error(path).kind is ErrorKind.ENCRYPTED


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "owner-only.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("", "owner-secret"))
    pdf.drawString(72, 720, f"Burgerservicenummer van de klant: {BSN}")
    pdf.save()
    assert value_locations(extract_all(path), BSN) == [{"line": 1, "page": 1}]


def test_not_a_pdf_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not a pdf body at all\n")
    assert _error(path).kind is ErrorKind.CORRUPT


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pptx", ".odt"])
def test_corrupt_office_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"PK\x03\x04 definitely not a complete package")
    assert _error(path).kind is ErrorKind.CORRUPT


# the part each format's parser reads first and whole: where a disguised bomb puts its zeros
BOMB_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml",
              ".pptx": "ppt/slides/slide1.xml", ".odt": "content.xml", ".ods": "content.xml"}


@pytest.mark.parametrize("suffix", sorted(BOMB_PARTS))
def test_zip_bomb_named_as_an_office_file_is_unsafe(tmp_path: Path, suffix: str) -> None:
    path = zip_bomb(tmp_path / f"report{suffix}", mib=300, name=BOMB_PARTS[suffix])
    error = _error(path)
    assert error.kind is ErrorKind.UNSAFE and "archive bomb" in str(error)


def test_office_package_at_ordinary_compression_is_not_a_bomb(tmp_path: Path) -> None:
    # 2 MiB of varied text compresses a few times, as real document parts do: left to the parser,
    # which finds no [Content_Types].xml here and names the file corrupt, not unsafe
    path = tmp_path / "large.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        text = "".join(f"<w:p>{i * 7919 % 100003}</w:p>" for i in range(150_000))
        package.writestr("word/document.xml", text)
    assert _error(path).kind is ErrorKind.CORRUPT


def test_docx_missing_its_document_part_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "hollow.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    assert _error(path).kind is ErrorKind.CORRUPT


def test_password_protected_docx_is_encrypted(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    [(plain, _)] = render_all(tmp_path / "plain", planted_samples(), ["docx"])
    locked = tmp_path / "locked.docx"
    with open(plain, "rb") as source, open(locked, "wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    assert _error(locked).kind is ErrorKind.ENCRYPTED


def test_file_over_the_size_limit_is_too_large_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(TWO_GIB)
    error = _error(path)
    assert error.kind is ErrorKind.TOO_LARGE
    assert "over the limit" in str(error)
    small = tmp_path / "small.csv"
    small.write_text(f"bsn\n{BSN}\n")
    assert _error(small, ExtractOptions(max_file_bytes=5)).kind is ErrorKind.TOO_LARGE


def test_invalid_utf8_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "damaged.txt"
    path.write_bytes("Naam: José\n".encode() + b"kapot \xff\xfe hier\n" + f"BSN {BSN}\n".encode())
    options = ExtractOptions()
    chunks = extract_all(path, options)
    assert value_locations(chunks, BSN) == [{"line": 3}]
    assert value_locations(chunks, "José") == [{"line": 1}]
    [(kind, message)] = options.warnings
    assert kind is ErrorKind.DECODING
    assert "invalid utf-8 on 1 line(s), first at line 2" in message


def test_binary_file_with_unknown_suffix_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "blob.dat"
    path.write_bytes(bytes(range(256)) * 8)
    assert _error(path).kind is ErrorKind.UNSUPPORTED


def test_xml_entity_bomb_is_unsafe(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 10))
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>')
    assert _error(path).kind is ErrorKind.UNSAFE


def test_malformed_xml_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<a>\n<b>unclosed\n</a>\n")
    error = _error(path)
    assert error.kind is ErrorKind.CORRUPT
    assert "line 3" in str(error)


def _png_header_only(path: Path, width: int, height: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">L", len(data)) + kind + data + struct.pack(">L", zlib.crc32(kind + data))

    ihdr = struct.pack(">2L5B", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b""))
                     + chunk(b"IEND", b""))


def test_image_pixel_bomb_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    _png_header_only(path, 40000, 40000)
    assert _error(path).kind is ErrorKind.TOO_LARGE


def test_corrupt_image_and_rtf_and_eml(tmp_path: Path) -> None:
    image = tmp_path / "broken.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    rtf = tmp_path / "broken.rtf"
    rtf.write_text("not rtf at all")
    mail = tmp_path / "broken.eml"
    mail.write_bytes(b"")
    msg = tmp_path / "broken.msg"
    msg.write_bytes(b"not an outlook message")
    for path in (image, rtf, mail, msg):
        assert _error(path).kind is ErrorKind.CORRUPT


def test_short_text_layer_is_kept_when_ocr_reads_less(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "short.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("Helvetica", 1)  # too small to be rendered legibly, still in the text layer
    pdf.drawString(72, 720, f"BSN {BSN}")
    pdf.save()
    assert value_locations(extract_all(path), BSN) == [{"line": 1, "page": 1}]
