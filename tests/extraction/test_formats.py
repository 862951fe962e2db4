"""Every format: each planted value is extracted at the page/sheet/slide/line the renderer put it."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.extraction import ExtractOptions
from tests.corpus.formats import Rendered, render_all
from tests.extraction.planted import BSN, IBAN, extract_all, planted_samples, value_locations

FORMAT_FILES = ("samples.txt", "samples.csv", "samples.json", "samples.xml", "samples.html",
                "samples.pdf", "samples.docx", "samples.xlsx", "samples.pptx", "samples.odt",
                "samples.rtf", "samples.eml")


@pytest.mark.parametrize("name", FORMAT_FILES)
def test_planted_values_are_extracted_where_they_were_put(name: str, rendered_text_formats: Rendered) -> None:
    path, expected = next((p, e) for p, e in rendered_text_formats if p.name == name)
    chunks = extract_all(path)
    samples = planted_samples()
    assert len(expected) == 4
    for entry in expected:
        kind, start, end = next(s for s in samples[entry["sample"]].spans if s[0] == entry["type"])
        value = samples[entry["sample"]].text[start:end]
        locations = value_locations(chunks, value)
        assert locations, f"{name}: {entry['type']} not extracted"
        wanted = entry["location"]
        assert any(wanted.items() <= loc.items() for loc in locations), (name, wanted, locations)


def test_scanned_pdf_page_is_read_by_ocr(tmp_path: Path) -> None:
    samples = planted_samples()[:3]  # no text, the BSN, the IBAN
    [(path, expected)] = render_all(tmp_path, samples, ["scanned_pdf"])
    options = ExtractOptions()
    chunks = extract_all(path, options)
    assert options.warnings == []
    for value in (BSN, IBAN):
        assert [loc["page"] for loc in value_locations(chunks, value)] == [1]
    assert {e["location"]["page"] for e in expected} == {1}


def test_png_page_is_read_by_ocr(tmp_path: Path) -> None:
    [(path, _)] = render_all(tmp_path, planted_samples()[1:3], ["png"])
    chunks = extract_all(path)
    assert value_locations(chunks, BSN) and value_locations(chunks, IBAN)


def test_ocr_can_be_switched_off(tmp_path: Path) -> None:
    [(path, _)] = render_all(tmp_path, planted_samples()[1:2], ["scanned_pdf"])
    assert extract_all(path, ExtractOptions(ocr=False)) == []
