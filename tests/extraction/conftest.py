"""The planted samples rendered once per session into every format with a text layer."""

from __future__ import annotations

import pytest

from tests.corpus.formats import Rendered, render_all
from tests.extraction.planted import planted_samples


@pytest.fixture(scope="session")
def rendered_text_formats(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The planted samples in every format that has a text layer (OCR formats have their own test)."""
    formats = ("txt", "csv", "json", "xml", "html", "pdf", "docx", "xlsx", "pptx", "odt", "rtf", "eml")
    return render_all(tmp_path_factory.mktemp("formats"), planted_samples(), formats)
