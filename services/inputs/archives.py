"""Extract zip and tar archives without letting them escape their directory or fill the disk.

Every limit is enforced on the bytes actually decompressed, never on the sizes an archive claims
in its headers: a bomb is stopped by the bytes it produces, a lying header changes nothing.
Members that are refused (traversal, links, device files, oversized or over-compressed files)
are listed in `ExtractReport.skipped` and extraction goes on; an archive that as a whole exceeds
the member count or the total size stops with UnsafeInputError.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from services.inputs.paths import is_within
from utils.errors import InvalidRequestError, UnsafeInputError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
_COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ")  # gzip, bzip2, xz
_DRIVE = re.compile(r"^[A-Za-z]:")
# what a corrupt or truncated member stream raises from the stdlib decompressors
_STREAM_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError, ValueError,
)
# zipfile adds these for encrypted members and unknown compression methods
_MEMBER_ERRORS: tuple[type[BaseException], ...] = (NotImplementedError, RuntimeError, *_STREAM_ERRORS)


@dataclass(frozen=True)
class ArchiveLimits:
    """How much an archive may expand to; each default is generous for real uploads, tiny for bombs."""

    max_members: int = 10_000  # members per archive, nested ones included
    max_total_bytes: int = 1024 * 1024 * 1024  # decompressed bytes across all members and levels
    max_file_bytes: int = 256 * 1024 * 1024  # one member
    max_ratio: float = 100.0  # decompressed/compressed; text rarely passes 20, bombs pass 1000
    ratio_floor_bytes: int = 1024 * 1024  # smaller outputs are never judged by ratio
    max_depth: int = 1  # 1 = only this archive; 2 = also archives found inside it, and so on


@dataclass
class ExtractReport:
    """What an extraction wrote and what it refused."""

    root: Path
    files: int = 0
    bytes: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    decompressed: int = 0  # work done: bytes inflated, including members later refused

    def skip(self, member: str, reason: str) -> None:
        """Record a refused member."""
        logger.info("archives: skipped member %r: %s", member, reason)
        self.skipped.append({"member": member, "reason": reason})


class _MemberRefused(Exception):
    """One member broke a per-member rule; the archive goes on."""


def is_archive(path: Path) -> bool:
    """True when `path`'s name says it is a zip or tar archive we extract."""
    return archive_kind(path) is not None


def archive_kind(path: Path) -> str | None:
    """'zip', 'tar' or None, from the file name."""
    name = path.name.lower()
    if name.endswith(ZIP_SUFFIXES):
        return "zip"
    if name.endswith(TAR_SUFFIXES):
        return "tar"
    return None


def safe_extract(archive: Path, dest: Path, limits: ArchiveLimits | None = None) -> ExtractReport:
    """Extract `archive` (zip or tar, gz/bz2/xz) into `dest` within `limits`."""
    dest.mkdir(parents=True, exist_ok=True)
    run = _Extraction(limits or ArchiveLimits(), ExtractReport(root=dest.resolve()))
    run.extract(Path(archive), run.report.root, depth=1, prefix="")
    return run.report


class _Extraction:
    """State shared by one archive and the archives nested in it: limits, budget and report."""

    def __init__(self, limits: ArchiveLimits, report: ExtractReport) -> None:
        self.limits = limits
        self.report = report
        self.members = 0

    def extract(self, archive: Path, dest: Path, *, depth: int, prefix: str) -> None:
        """Extract one archive level into `dest`, then any nested archives if depth allows."""
        kind = archive_kind(archive) or _sniff_kind(archive)
        dest.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        if kind == "zip":
            self._extract_zip(archive, dest, prefix, written)
        elif kind == "tar":
            self._extract_tar(archive, dest, prefix, written)
        else:
            raise InvalidRequestError(f"not a zip or tar archive: {archive.name}")
        if depth < self.limits.max_depth:
            for path in written:
                if is_archive(path):
                    self._extract_nested(path, depth=depth + 1, prefix=prefix)

    def _extract_nested(self, path: Path, *, depth: int, prefix: str) -> None:
        # the inner archive is replaced by a directory of the same name: a/b.zip/c.txt
        member = prefix + str(path.relative_to(self.report.root))
        staging = path.with_name(path.name + ".extracting")
        try:
            self.extract(path, staging, depth=depth, prefix=member + "/")
        except InvalidRequestError as error:
            if isinstance(error, UnsafeInputError):
                raise
            self.report.skip(member, str(error))
            shutil.rmtree(staging, ignore_errors=True)
            return
        self.report.bytes -= path.stat().st_size
        self.report.files -= 1
        path.unlink()
        staging.rename(path)

    # --- zip -------------------------------------------------------------------------------

    def _extract_zip(self, archive: Path, dest: Path, prefix: str, written: list[Path]) -> None:
        try:
            with zipfile.ZipFile(archive) as zf:
                infos = zf.infolist()
                self._count(len(infos), archive)
                size = archive.stat().st_size
                for info in infos:
                    self._zip_member(zf, info, dest, prefix, written, size)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
            raise InvalidRequestError(f"corrupt zip archive {archive.name}: {error}") from None

    def _zip_member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, prefix: str,
                    written: list[Path], archive_size: int) -> None:
        name = prefix + info.filename
        file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip records no Unix mode
        try:
            parts = _safe_parts(info.filename)
            if file_type == stat.S_IFLNK:
                raise _MemberRefused("symbolic link not extracted")
            if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise _MemberRefused("special file not extracted")
            if info.is_dir():
                _make_dir(dest, parts)
                return
            if info.flag_bits & 0x1:
                raise _MemberRefused("encrypted member")
            with zf.open(info) as source:
                # a header may overstate the compressed size; the archive's own size may not lie
                compressed = min(info.compress_size, archive_size)
                written.append(self._write(source, dest, parts, compressed))
        except _MemberRefused as refusal:
            self.report.skip(name, str(refusal))
        except _MEMBER_ERRORS as error:
            self.report.skip(name, f"unreadable member: {error}")

    # --- tar -------------------------------------------------------------------------------

    def _extract_tar(self, archive: Path, dest: Path, prefix: str, written: list[Path]) -> None:
        # a compressed stream must be decompressed to skip over a member, so the position of
        # the next header is itself bounded: no seek may pass max_ratio x the archive's size
        cap = None
        if _is_compressed(archive):
            cap = max(self.limits.ratio_floor_bytes, int(self.limits.max_ratio * archive.stat().st_size))
        with _open_tar(archive) as tf:
            try:
                for member in _iter_tar(tf, cap, archive.name):
                    self._count(1, archive)
                    self._tar_member(tf, member, dest, prefix, written)
            except _STREAM_ERRORS as error:
                self.report.skip(prefix + archive.name, f"archive is corrupt or truncated: {error}")

    def _tar_member(self, tf: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, prefix: str,
                    written: list[Path]) -> None:
        name = prefix + member.name
        try:
            # our rules first (the data filter would quietly strip a leading /), then the
            # stdlib's own verdict on traversal, links pointing out and device files
            parts = _safe_parts(member.name)
            checked = tarfile.data_filter(member, str(dest))
            if checked is None:
                raise _MemberRefused("refused by tarfile data filter")
            if checked.isdir():
                _make_dir(dest, parts)
                return
            if checked.issym() or checked.islnk():
                raise _MemberRefused("link not extracted")
            if not checked.isreg():
                raise _MemberRefused("special file not extracted")
            if checked.size > self.limits.max_file_bytes:
                raise _MemberRefused(f"file larger than {self.limits.max_file_bytes} bytes")
            source = tf.extractfile(checked)
            if source is None:
                raise _MemberRefused("no data")
            with source:
                written.append(self._write(source, dest, parts, None))
        except tarfile.FilterError as error:
            self.report.skip(name, str(error))
        except _MemberRefused as refusal:
            self.report.skip(name, str(refusal))

    # --- shared ----------------------------------------------------------------------------

    def _count(self, members: int, archive: Path) -> None:
        self.members += members
        if self.members > self.limits.max_members:
            raise UnsafeInputError(
                f"archive {archive.name} has more than {self.limits.max_members} members"
            )

    def _write(self, source: IO[bytes], dest: Path, parts: list[str], compressed: int | None) -> Path:
        target = _new_file_path(dest, parts)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            raise _MemberRefused("duplicate member name") from None
        except OSError as error:
            raise _MemberRefused(f"cannot be written: {error.strerror}") from None
        try:
            with os.fdopen(fd, "wb") as sink:
                size = self._copy(source, sink, compressed)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self.report.files += 1
        self.report.bytes += size
        return target

    def _copy(self, source: IO[bytes], sink: IO[bytes], compressed: int | None) -> int:
        limits = self.limits
        size = 0
        while chunk := source.read(CHUNK_BYTES):
            size += len(chunk)
            self.report.decompressed += len(chunk)
            if self.report.decompressed > limits.max_total_bytes:
                raise UnsafeInputError(
                    f"archive expands beyond the limit of {limits.max_total_bytes} bytes"
                )
            if size > limits.max_file_bytes:
                raise _MemberRefused(f"file larger than {limits.max_file_bytes} bytes")
            if compressed is not None and size > limits.ratio_floor_bytes \
                    and size > limits.max_ratio * max(compressed, 1):
                raise _MemberRefused(f"compression ratio above {limits.max_ratio:g} (archive bomb)")
            sink.write(chunk)
        return size


def _open_tar(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise InvalidRequestError(f"corrupt tar archive {archive.name}: {error}") from None


def _is_compressed(archive: Path) -> bool:
    with open(archive, "rb") as handle:
        magic = handle.read(6)
    return magic.startswith(_COMPRESSED_MAGIC)


def _iter_tar(tf: tarfile.TarFile, cap: int | None, archive_name: str) -> Iterator[tarfile.TarInfo]:
    while True:
        if cap is not None and tf.offset > cap:
            raise UnsafeInputError(
                f"tar archive {archive_name} expands beyond {cap} bytes (compression bomb)"
            )
        member = tf.next()
        if member is None:
            return
        yield member


def _sniff_kind(path: Path) -> str | None:
    try:
        if zipfile.is_zipfile(path):
            return "zip"
        return "tar" if tarfile.is_tarfile(path) else None
    except OSError:
        return None


def _safe_parts(name: str) -> list[str]:
    """Path components of a member name, refusing absolute paths and `..`."""
    text = name.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise _MemberRefused("absolute path")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _MemberRefused("path traversal (..)")
    if not parts or any("\x00" in part for part in parts):
        raise _MemberRefused("invalid member name")
    return parts


def _make_dir(dest: Path, parts: list[str]) -> None:
    target = dest.joinpath(*parts)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _MemberRefused(f"directory cannot be created: {error.strerror}") from None
    _check_inside(dest, target)


def _new_file_path(dest: Path, parts: list[str]) -> Path:
    target = dest.joinpath(*parts)
    if len(parts) > 1:
        _make_dir(dest, parts[:-1])
    _check_inside(dest, target.parent)
    return target


def _check_inside(dest: Path, path: Path) -> None:
    # we never create links, but dest may already hold some: resolve before trusting a path
    if not is_within(path.resolve(), dest.resolve()):
        raise _MemberRefused("would be written outside the destination")
