"""OCR preparation: pages are rescaled to the text size tesseract reads best, quotes come out ASCII."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from services.detection import scan_text
from services.extraction.ocr import (
    MAX_SCALE,
    MIN_SCALE,
    TARGET_LINE_PX,
    line_height,
    normalised,
    plain_quotes,
)
from tests.corpus.formats import page_image
from tests.extraction.planted import extract_all

# a made-up key; the name's underscores are what tesseract dropped on large text
SECRET_LINE = "EXACT_CLIENT_SECRET = '4QDN9aNmZdrH'"
RAW_KEY = "4QDN9aNmZdrH"


@pytest.mark.parametrize("font_px", [12, 24, 40, 64])
def test_line_height_follows_the_font_size(font_px: int) -> None:
    page = page_image(["Kerkstraat 12, 1234 AB Utrecht", "jgpq BSN 111222333"], font_px=font_px)
    height = line_height(page)
    assert height is not None
    assert 0.6 * font_px <= height <= 1.1 * font_px


@pytest.mark.parametrize(("font_px", "shrinks"), [(40, True), (64, True), (10, False)])
def test_pages_are_rescaled_towards_the_target_line_height(font_px: int, shrinks: bool) -> None:
    page = page_image(["IBAN NL91ABNA0417164300 voor de betaling"], font_px=font_px)
    before = line_height(page)
    assert before is not None
    scaled = normalised(page)
    assert (scaled.width < page.width) is shrinks and (scaled.width > page.width) is not shrinks
    scale = min(MAX_SCALE, max(MIN_SCALE, TARGET_LINE_PX / before))  # huge text stops at MIN_SCALE
    assert scaled.width == round(page.width * scale)
    after = line_height(scaled)
    assert after is not None and abs(after - before * scale) <= 0.2 * before * scale


def test_a_blank_page_is_left_as_it_is() -> None:
    blank = Image.new("RGB", (300, 200), "white")
    assert line_height(blank.convert("L")) is None
    assert normalised(blank).size == blank.size and normalised(blank).mode == "L"


def test_typographic_quotes_become_ascii() -> None:
    typographic = "key = \u2018abc\u2019; \u201cid\u201d: \u201eval\u201f"
    assert plain_quotes(typographic) == "key = 'abc'; \"id\": \"val\""


def test_underscored_secret_name_on_a_large_scan_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "config.png"
    page_image([SECRET_LINE, "Mail jan.jansen@kpn.nl"], font_px=40).save(path)
    text = "\n".join(chunk.text for chunk in extract_all(path))
    assert "EXACT_CLIENT_SECRET" in text  # tesseract returned "EXACT CLIENT SECRET" on the 40 px page
    found = scan_text(text)
    assert "secret.exact_online" in {f.type for f in found}
    assert all(RAW_KEY not in repr(f) for f in found)


# a made-up Google API key: in DejaVu Sans its capital I is read as a lowercase l ("Alza…")
MAPS_LINE = "const MAPS_KEY = 'AIzaSyD8k2Lm9Qp7Rt4Vw6Xz1Bc3Nf5Hj0Kg2Mq';"


def test_text_read_by_ocr_is_marked_so_and_a_text_layer_is_not(tmp_path: Path) -> None:
    page = page_image([MAPS_LINE, "Mail jan.jansen@kpn.nl"], font_px=40)
    png, scanned = tmp_path / "page.png", tmp_path / "scanned.pdf"
    page.save(png)
    page.save(scanned, "PDF", resolution=300.0)
    plain = tmp_path / "notes.txt"
    plain.write_text(MAPS_LINE + "\n", encoding="utf-8")
    assert [chunk.ocr for chunk in extract_all(png)] == [True]
    assert [chunk.ocr for chunk in extract_all(scanned)] == [True]
    assert [chunk.ocr for chunk in extract_all(plain)] == [False]


def test_a_key_misread_by_ocr_is_found_by_the_document_scanner(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from services.scanners import get_scanner
    from services.scanners.base import no_progress
    from utils.config import get_settings

    page_image([MAPS_LINE], font_px=40).save(tmp_path / "maps.png")
    monkeypatch.setenv("DG_SCAN_ROOTS", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = get_scanner("document").scan({"path": str(tmp_path / "maps.png")}, no_progress)
    finally:
        get_settings.cache_clear()
    [finding] = [f for f in result["findings"] if f["type"] == "secret.gcp_api_key"]
    assert finding["confidence"] >= 0.5
    assert "ocr" in finding["explanation"]  # tesseract 5.3 reads "Alza": only OCR tolerance finds it
    assert "Lm9Qp7" not in repr(result)  # evidence stays masked
