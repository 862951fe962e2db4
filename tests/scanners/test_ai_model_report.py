"""The AI model scanner's own sections: the PDF report shows the AI Act class with its articles, the
file-safety verdict and the bias table (in English and Dutch), and the UI view draws the same."""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from tests.planted import PLANTED
from tests.reporting.pdftext import pdf_text
from tests.scanners import ai_model_fixtures as fx
from utils.config import get_settings


@pytest.fixture
def scan_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Scan roots and a data directory of this test's own."""
    root = tmp_path / "roots"
    root.mkdir()
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield root
    monkeypatch.undo()
    get_settings.cache_clear()


def assessed(root: Path, marker: Path) -> dict[str, Any]:
    """A result with an unsafe pickle, a clean ONNX model, a biased dataset and a high-risk class."""
    (root / "models").mkdir()
    (root / "models" / "evil.pkl").write_bytes(pickle.dumps(fx.RunsShell(marker)))
    fx.write_onnx(root / "models" / "score.onnx", ["gender", "x"])
    fx.write_hiring_csv(root / "train.csv", biased=True)
    return get_scanner("ai_model").scan(
        {
            "path": str(root / "models"),
            "dataset": str(root / "train.csv"),
            "answers": {"annex_iii": ["recruitment"], "role": "provider"},
            "options": {"protected_attribute": "gender", "label_column": "hired"},
        },
        no_progress,
    )


def report(result: dict[str, Any], language: str) -> str:
    """The text of the PDF report built from `result`."""
    done = get_scanner("report").scan(
        {"results": [result], "output": f"{uuid.uuid4().hex}.pdf", "language": language}, no_progress
    )
    return pdf_text(Path(done["report"]["path"]))


def test_the_pdf_shows_the_class_with_its_articles_the_file_verdict_and_the_bias_table(
    scan_root: Path, tmp_path: Path
) -> None:
    result = assessed(scan_root, tmp_path / "PWNED")
    english = report(result, "en")
    for text in (
        "AI model assessment",
        "EU AI Act: high-risk",
        "Art. 6(2), Annex III 4(a)",
        "Art. 9",
        "File safety: unsafe",
        "evil.pkl",
        "demographic_parity_difference",
        "Outcome differences",
    ):
        assert text in english, text
    dutch = report(result, "nl")
    assert "AI-verordening: hoog risico" in dutch and "Veiligheid van de bestanden: unsafe" in dutch
    for value in PLANTED:
        assert value not in english and value not in dutch


def _draw(result: dict[str, object]) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from ui.components.assessments import render_sections

    render_sections(dict(result))


def test_the_ui_view_draws_the_section(scan_root: Path, tmp_path: Path) -> None:
    result = assessed(scan_root, tmp_path / "PWNED")
    app = AppTest.from_function(_draw, args=(result,), default_timeout=30).run()
    assert not app.exception
    assert [h.value for h in app.subheader] == ["AI model assessment"]
    shown = " ".join(m.value for m in app.markdown)
    assert "high_risk" in shown and "File safety\\: unsafe" in shown  # literal() escapes the colon
    assert len(app.dataframe) == 3  # obligations, model files, bias table
