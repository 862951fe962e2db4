"""Sections scanners declare for themselves (`report_section`, `view`): drawn in the PDF and the UI, with
evidence images only from the report's own scope. Uses the tiny scanner of tests/scanners/tiny.py."""

from __future__ import annotations

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
from services.scope import artifact_dir, scope_for, scoped
from tests.reporting.pdftext import pdf_text
from utils.config import get_settings

TINY = "tests.scanners.tiny:TINY"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data directory, the tiny scanner registered, settings re-read around the test."""
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("DG_DATA_DIR", str(root))
    monkeypatch.setenv("DG_EXTRA_SCANNERS", TINY)
    monkeypatch.delenv("DG_SCAN_ROOTS", raising=False)
    get_settings.cache_clear()
    yield root
    monkeypatch.undo()
    get_settings.cache_clear()


def _tiny(text: str = "three little words", image: str | None = None) -> dict[str, Any]:
    result = get_scanner("tiny").scan({"text": text}, no_progress)
    if image is not None:
        result["tiny"]["image"] = image
    return result


def _png(folder: Path) -> str:
    path = folder / "evidence.png"
    Image.new("RGB", (80, 40), (200, 30, 30)).save(path)
    return str(path)


def _report(results: list[dict[str, Any]], language: str = "en") -> Path:
    done = get_scanner("report").scan({"results": results, "output": f"{uuid.uuid4().hex}.pdf",
                                       "language": language}, no_progress)
    return Path(done["report"]["path"])


def _images(pdf: Path) -> int:
    return sum(len(page.images) for page in PdfReader(str(pdf)).pages)


def test_a_declared_section_is_drawn_in_the_report_language_with_its_evidence_image(data_dir: Path) -> None:
    pdf = _report([_tiny(image=_png(artifact_dir("tiny")))])
    assert "Tiny section" in pdf_text(pdf) and "3 words read" in pdf_text(pdf)
    assert _images(pdf) == 1
    assert "Kleine sectie" in pdf_text(_report([_tiny()], language="nl"))


def test_an_image_outside_the_report_scope_is_never_drawn(data_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    pdf = _report([_tiny(image=_png(outside)), _tiny(image="/etc/passwd"), _tiny(image="x" * 5000)])
    assert pdf_text(pdf).count("no image") == 3 and _images(pdf) == 0


def test_another_organisations_evidence_is_never_drawn(data_dir: Path) -> None:
    org_a, org_b = str(uuid.uuid4()), str(uuid.uuid4())
    with scoped(scope_for(org_b)):
        theirs = _png(artifact_dir("tiny"))
    with scoped(scope_for(org_a)):
        mine = _png(artifact_dir("tiny"))
        pdf = _report([_tiny(image=theirs), _tiny(image=mine)])
    assert pdf_text(pdf).count("no image") == 1 and _images(pdf) == 1
    assert Path(mine).is_relative_to(get_settings().upload_dir.resolve() / org_a)


def test_a_section_that_cannot_be_read_is_left_out_and_the_report_stands(data_dir: Path) -> None:
    broken = _tiny()
    broken["tiny"] = "not a section"
    text = pdf_text(_report([broken]))
    assert "[tiny: section left out, its result could not be read]" in text


def _draw(result: dict[str, object]) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from ui.components.assessments import render_sections

    render_sections(dict(result))


def test_the_declared_view_draws_the_section_in_the_ui(data_dir: Path) -> None:
    app = AppTest.from_function(_draw, args=(_tiny(),), default_timeout=30).run()
    assert not app.exception
    assert [h.value for h in app.subheader] == ["Tiny section"]
    assert "3 words read" in [m.value for m in app.markdown]
