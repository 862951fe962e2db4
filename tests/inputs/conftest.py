"""Fixtures for the safe-input tests."""

from __future__ import annotations

from pathlib import Path

import pytest


def files_outside(base: Path, *inside: Path) -> set[Path]:
    """Every path under `base` that is not under one of `inside`."""
    return {
        p for p in base.rglob("*")
        if not any(p == root or p.is_relative_to(root) for root in inside)
    }


@pytest.fixture
def outside_guard(tmp_path: Path):
    """`check = outside_guard()` snapshots tmp_path outside dest; `check()` asserts nothing new appeared."""
    dest = tmp_path / "dest"

    def start():
        before = files_outside(tmp_path, dest)

        def check() -> None:
            after = files_outside(tmp_path, dest)
            assert after == before, f"written outside dest: {sorted(after - before)}"

        return check

    return start
