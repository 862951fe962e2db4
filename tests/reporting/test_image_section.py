"""The image scanner's report section and UI view: per picture what was found and the redacted preview,
never the original; a forged preview in a result is not drawn."""

from __future__ import annotations

import base64
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from services.scanners.image.faces import find_faces
from tests.reporting.pdftext import pdf_text
from tests.scanners import image_fixtures as fx
from utils.config import get_settings


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """An image scan (no OCR: the text path is the scanner tests' business) of a face and a GPS photo."""
    base = tmp_path_factory.mktemp("image-report")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DG_SCAN_ROOTS", str(base / "roots"))
        patch.setenv("DG_DATA_DIR", str(base / "data"))
        get_settings.cache_clear()
        (base / "roots").mkdir()
        fx.face_photo().save(base / "roots" / "face.jpg")
        fx.landscape().save(base / "roots" / "gps.jpg", "JPEG", exif=fx.camera_exif())
        result = get_scanner("image").scan({"path": str(base / "roots"), "options": {"ocr": False}},
                                           no_progress)
        yield base, result
    get_settings.cache_clear()


def _report(results: list[dict[str, Any]], language: str = "en") -> Path:
    done = get_scanner("report").scan({"results": results, "output": f"{uuid.uuid4().hex}.pdf",
                                       "language": language}, no_progress)
    return Path(done["report"]["path"])


def _embedded(pdf: Path) -> list[Image.Image]:
    return [Image.open(io.BytesIO(image.data)) for page in PdfReader(str(pdf)).pages for image in page.images]


def test_the_report_lists_each_picture_with_its_redacted_preview(
        pictures: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    base, result = pictures
    monkeypatch.setenv("DG_SCAN_ROOTS", str(base / "roots"))
    monkeypatch.setenv("DG_DATA_DIR", str(base / "data"))
    get_settings.cache_clear()
    pdf = _report([result])
    text = pdf_text(pdf)
    assert "Pictures 2 pictures read; 1 with faces, 1 with a GPS position, 0 with personal data" in text
    assert "face.jpg image.face x1" in text and "image.gps_location x1" in text
    embedded = _embedded(pdf)
    assert len(embedded) == 2 and all(max(image.size) <= 160 for image in embedded)
    original = fx.face_photo()
    original.thumbnail((160, 160))
    assert find_faces(original.resize((512, 512)))  # the original, that small, still shows a face
    assert not any(find_faces(image.convert("RGB").resize((512, 512))) for image in embedded)
    assert "Afbeeldingen" in pdf_text(_report([result], language="nl"))
    for value in fx.PLANTED_RAW:
        assert value not in text
    get_settings.cache_clear()


def _png_data_url() -> str:
    buffer = io.BytesIO()
    fx.face_photo(128).save(buffer, "PNG")
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def _big_jpeg_data_url() -> str:
    buffer = io.BytesIO()
    fx.face_photo(600).save(buffer, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("forged", [_png_data_url(), _big_jpeg_data_url(), "data:image/jpeg;base64,!!",
                                    "/etc/passwd", 12, None])
def test_a_forged_preview_is_never_drawn(pictures: tuple[Path, dict[str, Any]], forged: object,
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, result = pictures
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    altered = json.loads(json.dumps(result))
    for row in altered["image"]["images"]:
        row["preview"] = forged
    pdf = _report([altered])
    assert pdf_text(pdf).count("no preview") == 2 and _embedded(pdf) == []
    get_settings.cache_clear()


def _draw(result: dict[str, object]) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from ui.components.assessments import render_sections

    render_sections(dict(result))


def test_the_view_shows_the_pictures_and_their_redacted_previews(
        pictures: tuple[Path, dict[str, Any]]) -> None:
    _, result = pictures
    app = AppTest.from_function(_draw, args=(result,), default_timeout=30).run()
    assert not app.exception
    assert [h.value for h in app.subheader] == ["Pictures"]
    table = app.dataframe[0].value
    assert list(table["faces"]) == [1, 0] and list(table["thumbnail"]) == ["none", "none"]
    assert "image.gps_location" in table["metadata"][1]
    assert len(app.get("image")) == 2
