"""iter_files never leaves its root; is_binary and sniff_text_encoding look at content, not names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.inputs.files import is_binary, iter_files, sniff_text_encoding

TWO_GIB = 2 * 1024 * 1024 * 1024


def test_walk_skips_symlinks_and_excluded_dirs(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (root / "b" / "c").mkdir(parents=True)
    (root / ".git").mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("outside")
    (root / "a.txt").write_text("a")
    (root / "b" / "c" / "d.txt").write_text("d")
    (root / ".git" / "config").write_text("x")
    (root / "file-link").symlink_to(outside / "secret.txt")
    (root / "dir-link").symlink_to(outside, target_is_directory=True)
    os.mkfifo(root / "pipe")
    skipped: list[tuple[Path, str]] = []
    found = list(iter_files(root, exclude_dirs={".git"}, on_skip=lambda p, r: skipped.append((p, r))))
    assert found == [root / "a.txt", root / "b" / "c" / "d.txt"]
    reasons = {p.name: r for p, r in skipped}
    assert reasons["file-link"] == reasons["dir-link"] == "symbolic link not followed"
    assert reasons["pipe"] == "special file skipped"


def test_walk_stops_at_max_files(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text("x")
    skipped: list[tuple[Path, str]] = []
    found = list(iter_files(tmp_path, max_files=3, on_skip=lambda p, r: skipped.append((p, r))))
    assert len(found) == 3
    assert "more than 3 files" in skipped[0][1]


def test_walk_of_a_single_file_yields_it(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("x")
    assert list(iter_files(path)) == [path]


def test_sparse_two_gib_file_is_sniffed_without_reading_it(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.bin"
    with open(sparse, "wb") as handle:
        handle.truncate(TWO_GIB)
    assert sparse.stat().st_size == TWO_GIB
    assert is_binary(sparse)
    assert list(iter_files(tmp_path)) == [sparse]


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"plain ascii text\n", False),
        ("Zoë woont in Groningen\n".encode(), False),
        ("café crème, naïve".encode("cp1252") * 20, False),
        ("UTF-16 tekst".encode("utf-16"), False),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), True),
        (bytes(range(256)) * 4, True),
        (b"", False),
    ],
)
def test_is_binary(tmp_path: Path, data: bytes, binary: bool) -> None:
    path = tmp_path / "sample"
    path.write_bytes(data)
    assert is_binary(path) is binary


def test_sniff_text_encoding(tmp_path: Path) -> None:
    assert sniff_text_encoding("Zoë".encode() * 10) == "utf-8"
    assert sniff_text_encoding("x".encode("utf-8-sig")) == "utf-8-sig"
    assert sniff_text_encoding("Groningen".encode("utf-16")) == "utf-16"
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Één patiënt met diabetes, één café en één crème brûlée.\n".encode("cp1252") * 30)
    encoding = sniff_text_encoding(legacy)
    assert encoding is not None
    assert legacy.read_bytes().decode(encoding).startswith("Één patiënt")


def test_sniff_tolerates_a_character_cut_at_the_sample_end(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    # 64 KiB sample boundary falls inside a two-byte character
    path.write_bytes(b"a" * (64 * 1024 - 1) + "é".encode() * 10)
    assert sniff_text_encoding(path) == "utf-8"


def test_utf8_with_a_few_invalid_bytes_is_still_utf8() -> None:
    damaged = "Naam: José Müller\n".encode() + b"kapot \xff\xfe\n" + "Straße 12, café\n".encode()
    assert sniff_text_encoding(damaged) == "utf-8"
