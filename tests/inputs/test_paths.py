"""resolve_scan_path: inside the allowed roots or a named error."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.inputs.paths import resolve_scan_path, resolve_within_roots
from utils.config import get_settings
from utils.errors import InvalidRequestError, UnsafeInputError


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "sub" / "a.txt").write_text("hello")
    (outside / "secret.txt").write_text("not yours")
    return root, outside


def test_file_inside_root_resolves(roots: tuple[Path, Path]) -> None:
    root, _ = roots
    assert resolve_within_roots(str(root / "sub" / "a.txt"), [root]) == (root / "sub" / "a.txt").resolve()
    assert resolve_within_roots(root, [root]) == root.resolve()


def test_path_outside_roots_is_unsafe(roots: tuple[Path, Path]) -> None:
    root, outside = roots
    with pytest.raises(UnsafeInputError, match="outside the allowed scan roots"):
        resolve_within_roots(str(outside / "secret.txt"), [root])


def test_dotdot_escape_is_unsafe(roots: tuple[Path, Path]) -> None:
    root, _ = roots
    with pytest.raises(UnsafeInputError):
        resolve_within_roots(str(root / "sub" / ".." / ".." / "outside" / "secret.txt"), [root])


def test_symlink_pointing_out_is_unsafe(roots: tuple[Path, Path]) -> None:
    root, outside = roots
    (root / "link").symlink_to(outside / "secret.txt")
    (root / "dirlink").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeInputError):
        resolve_within_roots(str(root / "link"), [root])
    with pytest.raises(UnsafeInputError):
        resolve_within_roots(str(root / "dirlink" / "secret.txt"), [root])


def test_prefix_sibling_is_not_inside(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "root-evil").mkdir()
    with pytest.raises(UnsafeInputError):
        resolve_within_roots(str(tmp_path / "root-evil"), [tmp_path / "root"])


def test_missing_path_inside_root_is_invalid(roots: tuple[Path, Path]) -> None:
    root, _ = roots
    with pytest.raises(InvalidRequestError, match="does not exist") as caught:
        resolve_within_roots(str(root / "nope.txt"), [root])
    assert not isinstance(caught.value, UnsafeInputError)


def test_missing_path_outside_root_does_not_reveal_existence(roots: tuple[Path, Path]) -> None:
    root, outside = roots
    with pytest.raises(UnsafeInputError):
        resolve_within_roots(str(outside / "nope.txt"), [root])


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", None, 42])
def test_malformed_path_is_invalid(bad: object, roots: tuple[Path, Path]) -> None:
    with pytest.raises(InvalidRequestError):
        resolve_within_roots(bad, [roots[0]])  # type: ignore[arg-type]


def test_resolve_scan_path_uses_settings(roots: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, outside = roots
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    get_settings.cache_clear()
    try:
        assert resolve_scan_path(str(root / "sub")) == (root / "sub").resolve()
        with pytest.raises(UnsafeInputError):
            resolve_scan_path(str(outside))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
