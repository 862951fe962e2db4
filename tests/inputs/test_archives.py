"""safe_extract: bombs, traversal, links and device files end in a named error or a skipped entry."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import Literal

import pytest

from services.inputs.archives import ArchiveLimits, safe_extract
from tests.inputs.bombs import MIB, tar_gz_bomb, zip_bomb
from utils.errors import InvalidRequestError, UnsafeInputError


def _reasons(report) -> dict[str, str]:
    return {entry["member"]: entry["reason"] for entry in report.skipped}


def _disk_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def _add_tar(tf: tarfile.TarFile, name: str, data: bytes = b"", **attrs: object) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attrs.items():
        setattr(info, key, value)
    tf.addfile(info, io.BytesIO(data) if data else None)


def test_plain_zip_is_extracted(tmp_path: Path, outside_guard) -> None:
    archive = tmp_path / "ok.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docs/a.txt", "alpha\n" * 100)
        zf.writestr("docs/empty/", "")
        zf.writestr("b.csv", "x,y\n")
    check = outside_guard()
    report = safe_extract(archive, tmp_path / "dest")
    assert (report.files, report.skipped) == (2, [])
    assert report.bytes == 604
    assert (report.root / "docs" / "a.txt").read_text() == "alpha\n" * 100
    assert (report.root / "docs" / "empty").is_dir()
    check()


def test_zip_bomb_member_is_refused_while_extracting(tmp_path: Path, outside_guard) -> None:
    archive = zip_bomb(tmp_path / "bomb.zip", mib=1024)  # 1 GiB of zeros in ~1 MiB
    check = outside_guard()
    report = safe_extract(archive, tmp_path / "dest")
    assert report.files == 0
    assert "compression ratio above 100" in _reasons(report)["zeros.bin"]
    assert _disk_bytes(tmp_path / "dest") == 0
    check()


def test_zip_bomb_with_lying_small_header_sizes_is_still_bounded(tmp_path: Path) -> None:
    archive = zip_bomb(tmp_path / "bomb.zip", mib=64)
    limits = ArchiveLimits(max_file_bytes=8 * MIB, max_ratio=1e9)
    report = safe_extract(archive, tmp_path / "dest", limits)
    assert "file larger than" in _reasons(report)["zeros.bin"]
    assert _disk_bytes(tmp_path / "dest") == 0


def test_total_size_limit_stops_the_archive(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for i in range(6):
            zf.writestr(f"f{i}.bin", bytes(MIB))
    with pytest.raises(UnsafeInputError, match="expands beyond"):
        safe_extract(archive, tmp_path / "dest", ArchiveLimits(max_total_bytes=3 * MIB))
    assert _disk_bytes(tmp_path / "dest") <= 3 * MIB


def test_nested_bomb_is_refused_at_every_level(tmp_path: Path, outside_guard) -> None:
    inner = [zip_bomb(tmp_path / f"inner{i}.zip", mib=512) for i in range(3)]
    archive = tmp_path / "nested.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for path in inner:
            zf.write(path, f"layer/{path.name}")
            path.unlink()
    check = outside_guard()
    report = safe_extract(archive, tmp_path / "dest", ArchiveLimits(max_depth=3))
    reasons = _reasons(report)
    for i in range(3):
        assert "archive bomb" in reasons[f"layer/inner{i}.zip/zeros.bin"]
        assert (report.root / "layer" / f"inner{i}.zip").is_dir()
    assert _disk_bytes(tmp_path / "dest") == 0
    check()


def test_nested_archives_share_one_total_budget(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("big.bin", bytes(2 * MIB))
    archive = tmp_path / "outer.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for i in range(3):
            zf.write(inner, f"copy{i}.zip")
    limits = ArchiveLimits(max_depth=2, max_total_bytes=10 * MIB)
    with pytest.raises(UnsafeInputError, match="expands beyond"):
        safe_extract(archive, tmp_path / "dest", limits)


def test_nesting_depth_is_limited(tmp_path: Path) -> None:
    level3 = tmp_path / "c.zip"
    with zipfile.ZipFile(level3, "w") as zf:
        zf.writestr("deep.txt", "deep")
    level2 = tmp_path / "b.zip"
    with zipfile.ZipFile(level2, "w") as zf:
        zf.write(level3, "c.zip")
    level1 = tmp_path / "a.zip"
    with zipfile.ZipFile(level1, "w") as zf:
        zf.write(level2, "b.zip")
    report = safe_extract(level1, tmp_path / "dest", ArchiveLimits(max_depth=2))
    assert (report.root / "b.zip" / "c.zip").is_file()  # third level stays an archive file
    assert report.files == 1


def test_zip_traversal_absolute_and_symlink_members_are_skipped(tmp_path: Path, outside_guard) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../evil.txt", "escaped")
        zf.writestr("a/../../evil2.txt", "escaped")
        zf.writestr(zipfile.ZipInfo("/tmp/absolute-evil.txt"), "escaped")
        zf.writestr("C:/windows/evil.txt", "escaped")
        zf.writestr("..\\backslash-evil.txt", "escaped")
        link = zipfile.ZipInfo("link-out")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("good.txt", "fine")
    check = outside_guard()
    report = safe_extract(archive, tmp_path / "dest")
    reasons = _reasons(report)
    assert reasons["../evil.txt"] == "path traversal (..)"
    assert reasons["a/../../evil2.txt"] == "path traversal (..)"
    assert reasons["/tmp/absolute-evil.txt"] == "absolute path"
    assert reasons["C:/windows/evil.txt"] == "absolute path"
    assert reasons["..\\backslash-evil.txt"] == "path traversal (..)"
    assert reasons["link-out"] == "symbolic link not extracted"
    assert report.files == 1
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/absolute-evil.txt").exists()
    check()


def test_too_many_members_is_unsafe(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(50):
            zf.writestr(f"f{i}.txt", "x")
    with pytest.raises(UnsafeInputError, match="more than 10 members"):
        safe_extract(archive, tmp_path / "dest", ArchiveLimits(max_members=10))


def test_too_many_tar_members_is_unsafe(tmp_path: Path) -> None:
    archive = tmp_path / "many.tar"
    with tarfile.open(archive, "w") as tf:
        for i in range(50):
            _add_tar(tf, f"f{i}.txt", b"x")
    with pytest.raises(UnsafeInputError, match="more than 10 members"):
        safe_extract(archive, tmp_path / "dest", ArchiveLimits(max_members=10))


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_tar_traversal_links_and_devices_are_skipped(
        tmp_path: Path, mode: Literal["w", "w:gz", "w:bz2", "w:xz"], outside_guard) -> None:
    suffix = {"w": ".tar", "w:gz": ".tar.gz", "w:bz2": ".tar.bz2", "w:xz": ".tar.xz"}[mode]
    archive = tmp_path / f"evil{suffix}"
    with tarfile.open(archive, mode) as tf:
        _add_tar(tf, "../evil.txt", b"escaped")
        _add_tar(tf, "/tmp/absolute-evil.txt", b"escaped")
        _add_tar(tf, "sym-out", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        _add_tar(tf, "sym-rel-out", type=tarfile.SYMTYPE, linkname="../../outside")
        _add_tar(tf, "hard-out", type=tarfile.LNKTYPE, linkname="/etc/passwd")
        _add_tar(tf, "sym-in", type=tarfile.SYMTYPE, linkname="good.txt")
        _add_tar(tf, "dev", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
        _add_tar(tf, "fifo", type=tarfile.FIFOTYPE)
        _add_tar(tf, "good.txt", b"fine")
    check = outside_guard()
    report = safe_extract(archive, tmp_path / "dest")
    reasons = _reasons(report)
    assert set(reasons) == {"../evil.txt", "/tmp/absolute-evil.txt", "sym-out", "sym-rel-out",
                            "hard-out", "sym-in", "dev", "fifo"}
    assert reasons["../evil.txt"] == "path traversal (..)"
    assert reasons["/tmp/absolute-evil.txt"] == "absolute path"
    assert "outside the destination" in reasons["sym-rel-out"]  # the stdlib data filter's verdict
    assert reasons["sym-in"] == "link not extracted"
    assert "is a special file" in reasons["dev"]  # the data filter refuses device files
    assert "is a special file" in reasons["fifo"]
    assert report.files == 1
    assert [p.name for p in report.root.iterdir()] == ["good.txt"]
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/absolute-evil.txt").exists()
    check()


def test_tar_gz_bomb_is_stopped_before_it_is_decompressed(tmp_path: Path, outside_guard) -> None:
    archive = tar_gz_bomb(tmp_path / "bomb.tar.gz", mib=1024)
    check = outside_guard()
    with pytest.raises(UnsafeInputError, match="compression bomb"):
        safe_extract(archive, tmp_path / "dest")
    assert _disk_bytes(tmp_path / "dest") == 0
    check()


def test_tar_bomb_member_read_is_bounded_by_total(tmp_path: Path) -> None:
    archive = tar_gz_bomb(tmp_path / "bomb.tgz", mib=256)
    limits = ArchiveLimits(max_file_bytes=4096 * MIB, max_total_bytes=16 * MIB, max_ratio=1e9)
    with pytest.raises(UnsafeInputError, match="expands beyond"):
        safe_extract(archive, tmp_path / "dest", limits)
    assert _disk_bytes(tmp_path / "dest") == 0


def test_sparse_two_gib_member_claimed_by_header_is_skipped(tmp_path: Path, outside_guard) -> None:
    # the header claims 2 GiB, the stream holds nothing: refused by size, then truncated
    archive = tmp_path / "sparse.tar"
    info = tarfile.TarInfo("sparse.bin")
    info.size = 2 * 1024 * MIB
    archive.write_bytes(info.tobuf(format=tarfile.GNU_FORMAT) + bytes(1024))
    check = outside_guard()
    report = safe_extract(archive, tmp_path / "dest")
    assert "file larger than" in _reasons(report)["sparse.bin"]
    assert report.files == 0
    check()


def test_corrupt_archives_raise_invalid_request(tmp_path: Path) -> None:
    bad_zip = tmp_path / "bad.zip"
    bad_zip.write_bytes(b"PK\x03\x04 this is not really a zip")
    bad_tar = tmp_path / "bad.tar.gz"
    bad_tar.write_bytes(b"\x1f\x8b garbage")
    for archive in (bad_zip, bad_tar):
        with pytest.raises(InvalidRequestError, match="corrupt"):
            safe_extract(archive, tmp_path / "dest")


def test_truncated_tar_keeps_what_was_read(tmp_path: Path) -> None:
    archive = tmp_path / "cut.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        _add_tar(tf, "a.txt", b"first")
        _add_tar(tf, "b.bin", bytes(range(256)) * 4000)
    archive.write_bytes(archive.read_bytes()[:-400])
    report = safe_extract(archive, tmp_path / "dest")
    assert (report.root / "a.txt").read_bytes() == b"first"
    assert any("corrupt or truncated" in entry["reason"] for entry in report.skipped)


def test_existing_symlink_in_dest_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "sub").symlink_to(outside, target_is_directory=True)
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("sub/x.txt", "escaped")
    report = safe_extract(archive, dest)
    assert _reasons(report)["sub/x.txt"] == "would be written outside the destination"
    assert list(outside.iterdir()) == []
