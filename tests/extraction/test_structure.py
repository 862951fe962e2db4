"""Locations inside structured files: tables, headers, notes, attachments, long lines, encodings."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from services.extraction import ErrorKind, ExtractOptions, extract_file
from services.extraction.base import MAX_CHUNK_CHARS, MAX_LINE_CHARS
from tests.corpus.formats import render_all
from tests.extraction.planted import BSN, EMAIL, IBAN, PHONE, extract_all, planted_samples, value_locations


def test_docx_tables_and_headers_are_located(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "table.docx"
    document = docx.Document()
    document.add_paragraph("Klantenlijst")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "naam"
    table.cell(1, 1).text = f"IBAN {IBAN}"
    document.add_paragraph(f"BSN {BSN}")
    document.sections[0].header.paragraphs[0].text = f"Contact {EMAIL}"
    document.save(str(path))
    chunks = extract_all(path)
    assert value_locations(chunks, IBAN) == [{"line": 2, "table": 1, "row": 2, "column": 2}]
    assert value_locations(chunks, BSN)[0]["line"] == 3
    assert value_locations(chunks, EMAIL)[0] == {"line": 1, "part": "header", "section": 1}


def test_xlsx_numbers_and_sheets(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "numbers.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Leeg"
    sheet = workbook.create_sheet("Personeel")
    sheet["C7"] = int(BSN)
    sheet["D7"] = 31612345678.0
    workbook.save(str(path))
    chunks = extract_all(path)
    assert value_locations(chunks, BSN) == [{"line": 7, "sheet": "Personeel", "cell": "C7"}]
    assert value_locations(chunks, "31612345678") == [{"line": 7, "sheet": "Personeel", "cell": "D7"}]
    assert not value_locations(chunks, "31612345678.0")


def test_pptx_tables_and_notes_carry_their_slide(tmp_path: Path) -> None:
    import pptx
    from pptx.util import Inches

    path = tmp_path / "deck.pptx"
    presentation = pptx.Presentation()
    presentation.slides.add_slide(presentation.slide_layouts[6])
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(1), Inches(4), Inches(2)).table
    table.cell(1, 0).text = f"BSN {BSN}"
    slide.notes_slide.notes_text_frame.text = f"Bel {PHONE}"
    presentation.save(str(path))
    chunks = extract_all(path)
    assert [loc["slide"] for loc in value_locations(chunks, BSN)] == [2]
    assert [loc["slide"] for loc in value_locations(chunks, PHONE)] == [2]


def test_eml_headers_html_body_and_attachment(tmp_path: Path) -> None:
    [(attachment, _)] = render_all(tmp_path / "att", planted_samples(), ["docx"])
    message = EmailMessage()
    message["From"] = f"Jan Jansen <{EMAIL}>"
    message["Subject"] = "Dossier"
    message.set_content("Zie bijlage.")
    message.add_alternative(f"<html><body><p>Zie bijlage.</p>\n<p>Bel {PHONE}</p></body></html>",
                            subtype="html")
    message.add_attachment(attachment.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="../../dossier.docx")
    path = tmp_path / "mail.eml"
    path.write_bytes(message.as_bytes())
    chunks = extract_all(path)
    assert value_locations(chunks, EMAIL) == [{"line": 1, "part": "header", "header": "From"},
                                              {"line": 4, "attachment": "dossier.docx"}]
    [phone] = value_locations(chunks, PHONE)[:1]
    assert phone["part"] == "body" and phone["line"] == 2
    [bsn] = value_locations(chunks, BSN)
    assert bsn == {"line": 2, "attachment": "dossier.docx"}  # the path in the mail is dropped


def test_long_line_is_cut_but_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "minified.json"
    long_line = '{"data": "' + "x" * (MAX_LINE_CHARS * 2 + 10) + '"}'
    path.write_text(f"{long_line}\n{{\"bsn\": \"{BSN}\"}}\n")
    chunks = extract_all(path)
    assert value_locations(chunks, BSN) == [{"line": 2}]
    assert all(len(line) <= MAX_LINE_CHARS for c in chunks for line in c.text.split("\n"))


def test_chunks_of_long_lines_stay_bounded(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    lines = ["y" * (MAX_LINE_CHARS - 1)] * 40 + [f"klant {BSN}"]
    path.write_text("\n".join(lines))
    chunks = extract_all(path)
    assert len(chunks) == 3
    assert all(len(c.text) <= MAX_CHUNK_CHARS + MAX_LINE_CHARS for c in chunks)
    assert value_locations(chunks, BSN) == [{"line": 41}]


def test_html_scripts_are_skipped_and_attributes_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(f'<html><head><script>var bsn = "{BSN}";</script></head>\n'
                    f'<body><input value="{IBAN}">\n<a href="mailto:{EMAIL}">mail</a></body></html>')
    chunks = extract_all(path)
    assert value_locations(chunks, BSN) == []
    assert value_locations(chunks, IBAN) == [{"line": 2}]
    assert value_locations(chunks, EMAIL) == [{"line": 3}]


def test_legacy_encoded_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "oud.csv"
    path.write_bytes(("naam;bsn\nJosé Müller;" + BSN + "\nÉén patiënt;geen\n").encode("cp1252") * 20)
    options = ExtractOptions()
    chunks = extract_all(path, options)
    assert options.warnings == []
    assert value_locations(chunks, "José Müller")[0] == {"line": 2}
    assert value_locations(chunks, BSN)[1] == {"line": 5}


def test_large_text_is_chunked_with_correct_offsets(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    lines = [f"regel {n}" for n in range(1, 2001)]
    lines[1499] = f"klant {BSN}"
    path.write_text("\n".join(lines))
    chunks = extract_all(path)
    assert len(chunks) == 4
    assert value_locations(chunks, BSN) == [{"line": 1500}]


def test_large_text_file_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "export.log"
    row = "12345;Jan Jansen;Dorpsstraat 1;1234 AB;Groningen;klant sinds 2001;actief\n"
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(120_000):
            handle.write(row)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        lines = sum(chunk.text.count("\n") + 1 for chunk in extract_file(path, ExtractOptions()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert lines == 120_000
    assert size > 8 * 1024 * 1024
    assert peak < size / 8, f"peak {peak} bytes for a {size}-byte file"


def test_opendocument_spreadsheet_cells_are_paragraph_lines(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Klanten")
    for values in (["naam", "iban"], ["Jan", IBAN]):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    path = tmp_path / "klanten.ods"
    document.save(str(path))
    assert value_locations(extract_all(path), IBAN) == [{"line": 4}]


def test_misnamed_pdf_is_read_by_its_content(tmp_path: Path) -> None:
    [(pdf, _)] = render_all(tmp_path / "src", planted_samples(), ["pdf"])
    misnamed = tmp_path / "upload.txt"
    misnamed.write_bytes(pdf.read_bytes())
    assert value_locations(extract_all(misnamed), BSN) == [{"line": 2, "page": 1}]


def test_misnamed_pdf_without_a_binary_head_is_read_as_a_pdf(tmp_path: Path) -> None:
    # an uncompressed PDF is ASCII in its first kilobytes: its magic bytes, not a NUL, say what it is
    from reportlab.pdfgen import canvas

    misnamed = tmp_path / "contract"
    pdf = canvas.Canvas(str(misnamed), pageCompression=0)
    pdf.drawString(72, 720, f"BSN van de klant: {BSN}")
    pdf.save()
    assert b"\x00" not in misnamed.read_bytes()[:8192]
    assert value_locations(extract_all(misnamed), BSN) == [{"line": 1, "page": 1}]


def test_csv_cells_are_unescaped_and_labelled_with_their_header(tmp_path: Path) -> None:
    path = tmp_path / "klanten.csv"
    path.write_text(
        "naam;bsn;notitie\n"
        f'Jan;{BSN};"zegt ""bel {PHONE}""\nen mail {EMAIL}"\n'
        f'Piet;;"{{""iban"": ""{IBAN}""}}"\n'
    )
    chunks = extract_all(path)
    text = "\n".join(c.text for c in chunks)
    assert f"bsn: {BSN}" in text  # the header is the context a bare number needs
    assert f'zegt "bel {PHONE}"' in text
    assert f'{{"iban": "{IBAN}"}}' in text  # quotes undoubled: the value is seen as written
    assert value_locations(chunks, BSN) == [{"line": 2}]
    assert value_locations(chunks, EMAIL) == [{"line": 2}]  # a quoted cell spanning lines 2-3
    assert value_locations(chunks, IBAN) == [{"line": 4}]


def test_tsv_and_malformed_csv(tmp_path: Path) -> None:
    tsv = tmp_path / "export.tsv"
    tsv.write_text(f"naam\tiban\nJan\t{IBAN}\n")
    assert value_locations(extract_all(tsv), f"iban: {IBAN}") == [{"line": 2}]
    broken = tmp_path / "broken.csv"
    broken.write_text('a,b\n"' + "x" * 140_000 + '",1\n' + f"c,{BSN}\n")  # over csv's field limit
    options = ExtractOptions()
    chunks = extract_all(broken, options)
    assert value_locations(chunks, BSN) == [{"line": 3}]
    assert [kind for kind, _ in options.warnings] == [ErrorKind.CORRUPT]


def test_json_string_escapes_are_undone_on_their_line(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{\n  "code": "DB[\\"password\\"] = \\"geheim\\"\\nklaar",\n'
                    f'  "naam": "Jos\\u00e9 {EMAIL}"\n}}\n')
    chunks = extract_all(path)
    assert value_locations(chunks, 'DB["password"] = "geheim"\\nklaar') == [{"line": 2}]
    assert value_locations(chunks, f"José {EMAIL}") == [{"line": 3}]


def test_lines_are_numbered_as_editors_and_grep_count_them(tmp_path: Path) -> None:
    """CR CR LF (CRLF written again through a text-mode layer) is one line break, as editors, grep and
    git count it; CRLF, LF and an old Mac's lone CR are one each."""
    path = tmp_path / "agenda.ics"
    path.write_bytes(b"BEGIN:VEVENT\r\r\nSUMMARY:gesprek\r\r\n" + f"DESCRIPTION:{EMAIL}\r\r\n".encode()
                     + b"END:VEVENT\r\nmac\r" + f"{BSN}\n".encode())
    chunks = extract_all(path)
    assert value_locations(chunks, EMAIL) == [{"line": 3}]
    assert value_locations(chunks, BSN) == [{"line": 6}]
