"""Every benchmark under bench/ still imports and exposes `main`: a bench that rots is a figure we lose."""

from __future__ import annotations

import importlib
import json
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


def _blind_set(root: Path, positives: list[dict[str, object]]) -> Path:
    """A one-file blind set: a note about a union member and a patient, labelled with `positives`."""
    root.mkdir()
    notes = "Medewerker Jan Visser is vakbondslid.\nPatiënt Anna Bos heeft diabetes.\n"
    (root / "notes.txt").write_text(notes, encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"files": {"notes.txt": {"positives": positives}}}),
                                        encoding="utf-8")
    return root


HEALTH_LABEL = {"type": "special.health", "value": "diabetes", "line": 2}


def test_a_type_added_after_a_set_was_written_is_not_scored_where_the_set_left_it_unlabelled(
        tmp_path: Path) -> None:
    from bench import blind_sets

    score = blind_sets.score_set(_blind_set(tmp_path / "blind_x", [HEALTH_LABEL]), "document")
    assert (score.family("special").tp, score.family("special").fp) == (1, 0)


def test_a_set_that_labels_the_added_type_is_scored_on_it(tmp_path: Path) -> None:
    from bench import blind_sets

    union = {"type": "special.trade_union", "value": "vakbondslid", "line": 2}  # at the wrong line
    score = blind_sets.score_set(_blind_set(tmp_path / "blind_y", [HEALTH_LABEL, union]), "document")
    assert (score.family("special").tp, score.family("special").fp, score.family("special").fn) == (1, 1, 1)
