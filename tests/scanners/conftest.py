"""Fixtures shared by the scanner tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from utils.config import get_settings


@pytest.fixture
def scan_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory inside the allowed scan roots, with a data directory of the test's own; the settings
    are read again around the test."""
    root = tmp_path / "roots"
    root.mkdir()
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield root
    monkeypatch.undo()
    get_settings.cache_clear()
