"""Render labelled samples into every format the document scanner reads, with the expected findings.

`render_all(dest_dir)` writes the samples of `tests.corpus.labelled.labelled_samples()` (or the
samples given) as txt, csv, json, xml, html, a PDF with a text layer, a scanned PDF and PNG pages
(text only as pixels, for the OCR path), docx, xlsx, pptx, odt, rtf and eml. It returns
`[(path, expected)]`, where each expected entry is `{"type", "location", "sample"}` and `location`
holds the keys a finding of that sample must carry (line, page, sheet/cell, slide, part).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from html import escape
from pathlib import Path
from typing import Any

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FORMATS = ("txt", "csv", "json", "xml", "html", "pdf", "scanned_pdf", "png", "docx", "xlsx", "pptx",
           "odt", "rtf", "eml")
SCAN_LINES_PER_PAGE = 12  # keeps a rendered page near A4 proportions at a legible size
PDF_LINES_PER_PAGE = 40
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # xlsx and xml refuse these

Expected = dict[str, Any]
Rendered = list[tuple[Path, list[Expected]]]


def render_all(dest_dir: Path, samples: Sequence[Any] | None = None,
               formats: Sequence[str] = FORMATS) -> Rendered:
    """Write every sample in every format under `dest_dir`; return (path, expected findings) pairs."""
    if samples is None:
        from tests.corpus.labelled import labelled_samples

        samples = labelled_samples()
    dest_dir.mkdir(parents=True, exist_ok=True)
    rendered: Rendered = []
    for name in formats:
        rendered += RENDERERS[name](list(samples), dest_dir)
    return rendered


def flat(sample: Any) -> str:
    """The sample's text on one line (one cell, paragraph or slide per sample)."""
    return _CONTROL.sub(" ", " ".join(str(sample.text).splitlines()))


def _types(sample: Any) -> list[str]:
    return [span[0] for span in sample.spans]


def _expect(sample: Any, index: int, location: dict[str, Any]) -> list[Expected]:
    return [{"type": kind, "location": dict(location), "sample": index} for kind in _types(sample)]


def _one_per_line(samples: list[Any], first_line: int) -> list[Expected]:
    expected: list[Expected] = []
    for index, sample in enumerate(samples):
        expected += _expect(sample, index, {"line": first_line + index})
    return expected


# --- text formats --------------------------------------------------------------------------------

def render_txt(samples: list[Any], dest: Path) -> Rendered:
    """Plain UTF-8 text, samples one after the other with their own line breaks."""
    path = dest / "samples.txt"
    lines: list[str] = []
    expected: list[Expected] = []
    for index, sample in enumerate(samples):
        text = str(sample.text)
        for kind, start, _end in sample.spans:
            line = len(lines) + 1 + text[:start].count("\n")
            expected.append({"type": kind, "location": {"line": line}, "sample": index})
        lines += text.split("\n")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [(path, expected)]


def render_csv(samples: list[Any], dest: Path) -> Rendered:
    """A two-column CSV (id, text) with a header row."""
    path = dest / "samples.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "text"])
    writer.writerows([index, flat(sample)] for index, sample in enumerate(samples))
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return [(path, _one_per_line(samples, 2))]


def render_json(samples: list[Any], dest: Path) -> Rendered:
    """A JSON array with one object per line."""
    path = dest / "samples.json"
    rows = [json.dumps({"id": i, "text": flat(s)}, ensure_ascii=False) for i, s in enumerate(samples)]
    path.write_text("[\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8")
    return [(path, _one_per_line(samples, 2))]


def render_xml(samples: list[Any], dest: Path) -> Rendered:
    """An XML document with one <sample> element per line."""
    path = dest / "samples.xml"
    body = [f'  <sample id="{i}">{escape(flat(s), quote=False)}</sample>' for i, s in enumerate(samples)]
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<samples>\n' + "\n".join(body)
                    + "\n</samples>\n", encoding="utf-8")
    return [(path, _one_per_line(samples, 3))]


def render_html(samples: list[Any], dest: Path) -> Rendered:
    """An HTML page with one paragraph per line."""
    path = dest / "samples.html"
    body = [f"<p>{escape(flat(s))}</p>" for s in samples]
    path.write_text("<!DOCTYPE html>\n<html><body>\n" + "\n".join(body) + "\n</body></html>\n",
                    encoding="utf-8")
    return [(path, _one_per_line(samples, 3))]


def render_rtf(samples: list[Any], dest: Path) -> Rendered:
    """An RTF document with one paragraph per sample (non-ASCII as \\uN escapes)."""
    path = dest / "samples.rtf"
    paragraphs = [_rtf_escape(flat(s)) + "\\par" for s in samples]
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\n" + "\n".join(paragraphs) + "\n}\n",
                    encoding="ascii")
    return [(path, _one_per_line(samples, 1))]


def _rtf_escape(text: str) -> str:
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) > 127:
            code = ord(char) if ord(char) < 32768 else ord(char) - 65536
            out.append(f"\\u{code}?")
        else:
            out.append(char)
    return "".join(out)


def render_eml(samples: list[Any], dest: Path) -> Rendered:
    """An e-mail whose plain-text body holds one sample per line (no addresses in the headers)."""
    path = dest / "samples.eml"
    message = EmailMessage()
    message["Subject"] = "Labelled corpus"
    message.set_content("\n".join(flat(s) for s in samples) + "\n")
    path.write_bytes(message.as_bytes())
    expected = _one_per_line(samples, 1)
    for entry in expected:
        entry["location"]["part"] = "body"
    return [(path, expected)]


# --- office formats ------------------------------------------------------------------------------

def render_docx(samples: list[Any], dest: Path) -> Rendered:
    """A Word document with one paragraph per sample (line n = paragraph n)."""
    import docx

    path = dest / "samples.docx"
    document = docx.Document()
    for sample in samples:
        document.add_paragraph(flat(sample))
    document.save(str(path))
    return [(path, _one_per_line(samples, 1))]


def render_xlsx(samples: list[Any], dest: Path) -> Rendered:
    """A workbook with one sample per row in column A of sheet 'Samples'."""
    import openpyxl

    path = dest / "samples.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Samples"
    expected: list[Expected] = []
    for index, sample in enumerate(samples):
        sheet.cell(row=index + 1, column=1, value=flat(sample))
        expected += _expect(sample, index, {"sheet": "Samples", "cell": f"A{index + 1}"})
    workbook.save(str(path))
    return [(path, expected)]


def render_pptx(samples: list[Any], dest: Path) -> Rendered:
    """A presentation with one slide (one text box) per sample."""
    import pptx
    from pptx.util import Inches, Pt

    path = dest / "samples.pptx"
    presentation = pptx.Presentation()
    expected: list[Expected] = []
    for index, sample in enumerate(samples):
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(9), Inches(6))
        box.text_frame.word_wrap = True
        box.text_frame.text = flat(sample)
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        expected += _expect(sample, index, {"slide": index + 1})
    presentation.save(str(path))
    return [(path, expected)]


def render_odt(samples: list[Any], dest: Path) -> Rendered:
    """An OpenDocument text with one paragraph per sample."""
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    path = dest / "samples.odt"
    document = OpenDocumentText()
    for sample in samples:
        document.text.addElement(P(text=flat(sample)))
    document.save(str(path))
    return [(path, _one_per_line(samples, 1))]


# --- PDF and images ------------------------------------------------------------------------------

def render_pdf(samples: list[Any], dest: Path) -> Rendered:
    """A PDF with a text layer (reportlab), PDF_LINES_PER_PAGE samples per page."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    path = dest / "samples.pdf"
    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    expected: list[Expected] = []
    for page, group in enumerate(_pages(samples, PDF_LINES_PER_PAGE), start=1):
        pdf.setFont("DejaVu", 7)
        for row, (index, sample) in enumerate(group):
            pdf.drawString(30, height - 30 - row * 13, flat(sample))
            expected += _expect(sample, index, {"page": page, "line": row + 1})
        pdf.showPage()
    pdf.save()
    return [(path, expected)]


def render_scanned(samples: list[Any], dest: Path, *, as_pdf: bool) -> Rendered:
    """Pages with text only as pixels: one multi-page PDF without text layer, or one PNG per page."""
    pages = list(_pages(samples, SCAN_LINES_PER_PAGE))
    images = [page_image([flat(sample) for _, sample in group]) for group in pages]
    if as_pdf:
        path = dest / "scanned.pdf"
        images[0].save(path, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
        expected = [e for number, group in enumerate(pages, start=1)
                    for index, sample in group for e in _expect(sample, index, {"page": number})]
        return [(path, expected)]
    rendered: Rendered = []
    for number, (image, group) in enumerate(zip(images, pages, strict=True), start=1):
        path = dest / f"scanned-{number}.png"
        image.save(path)
        rendered.append((path, [e for index, sample in group for e in _expect(sample, index, {})]))
    return rendered


def page_image(lines: Sequence[str], *, font_px: int = 40):
    """A white greyscale page with `lines` in black, legible to tesseract at 300 dpi."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(DEJAVU), font_px)
    line_px = int(font_px * 1.6)
    width = max([int(font.getlength(line)) for line in lines] + [800]) + 2 * font_px
    image = Image.new("L", (width, line_px * len(lines) + 2 * font_px), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((font_px, font_px + row * line_px), line, fill=0, font=font)
    return image


def _pages(samples: list[Any], per_page: int) -> list[list[tuple[int, Any]]]:
    numbered = list(enumerate(samples))
    return [numbered[i:i + per_page] for i in range(0, len(numbered), per_page)] or [[]]


RENDERERS: dict[str, Callable[[list[Any], Path], Rendered]] = {
    "txt": render_txt, "csv": render_csv, "json": render_json, "xml": render_xml, "html": render_html,
    "pdf": render_pdf,
    "scanned_pdf": lambda samples, dest: render_scanned(samples, dest, as_pdf=True),
    "png": lambda samples, dest: render_scanned(samples, dest, as_pdf=False),
    "docx": render_docx, "xlsx": render_xlsx, "pptx": render_pptx, "odt": render_odt,
    "rtf": render_rtf, "eml": render_eml,
}
