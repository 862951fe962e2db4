"""Every benchmark under bench/ still imports and exposes `main`: a bench that rots is a figure we lose."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"
BENCH_MODULES = sorted(p.stem for p in BENCH_DIR.glob("*.py") if p.stem != "__init__")


def test_bench_directory_is_not_empty() -> None:
    assert len(BENCH_MODULES) >= 7, BENCH_MODULES


@pytest.mark.parametrize("name", BENCH_MODULES)
def test_bench_module_imports_and_has_main(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "main", None)), f"bench/{name}.py has no main()"
