"""Compiled prefilter databases kept on disk, so a new process loads one instead of compiling it.

Compiling the hyperscan database of the default selection takes about a second, most of a one-file
scan from the command line (issue 15); loading a serialised one takes a millisecond. A file is named
after a key over everything the compiled database depends on: this format, the hyperscan version, the
machine, the prefilter module's own source and every pattern with its flags. A changed detector set,
library or prefilter never meets a stale database.

A hyperscan database is executable matching code, trusted as such by the library: a file another local
user could have written is never loaded. The directory is made 0700 and used only when it is a real
directory (not a symbolic link) owned by this user and writable by no one else; a file is read only
when it is a regular file owned by this user, writable by no one else, at most MAX_FILE_BYTES, names
the expected key and matches its SHA-256. Anything else (corrupt, truncated, foreign, another version)
is ignored and rebuilt. Files are opened relative to the checked directory (no path is looked up
twice) and written under a temporary name, then renamed into place, so a racing process reads a
whole file or none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

FORMAT = 1
MAGIC = b"DGPREFILTER\n"
PREFIX, SUFFIX = "prefilter-", ".hsdb"
MAX_FILE_BYTES = 64 * 1024 * 1024  # the default selection serialises to ~1 MB; a larger file is not ours
MAX_HEADER_BYTES = 64 * 1024  # the JSON header: the key, a checksum and a few hundred pattern ids
KEEP_FILES = 32  # databases kept per directory: every selection in use, a few versions back
STALE_TEMPORARY_S = 3600.0  # a temporary file this old was left by a process that died writing it
_LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class Cached:
    """A serialised database and the ids of its patterns that may span lines."""

    database: bytes
    whole: frozenset[int]


def cache_key(hyperscan_version: str, patterns: Iterable[tuple[str, int]]) -> str:
    """The key of one selection: every pattern with its flags, and what compiling them depends on."""
    digest = hashlib.sha256()
    own_source = Path(__file__).with_name("prefilter.py")
    try:
        source = own_source.read_bytes()
    except OSError:  # frozen or zipped: the version and the patterns still key it
        source = b""
    for part in (str(FORMAT), hyperscan_version, os.uname().machine, hashlib.sha256(source).hexdigest()):
        digest.update(part.encode() + b"\0")
    for pattern, flags in patterns:
        digest.update(f"{flags}\0{pattern}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load(directory: Path, key: str) -> Cached | None:
    """The database stored under `key`, or None when there is none or it cannot be trusted."""
    folder = _open_directory(directory, create=False)
    if folder is None:
        return None
    try:
        return _read(folder, _name(key), key)
    finally:
        os.close(folder)


def store(directory: Path, key: str, cached: Cached) -> None:
    """Write the database under `key` (atomically, mode 0600) and prune the oldest others."""
    folder = _open_directory(directory, create=True)
    if folder is None:
        return
    try:
        _write(folder, _name(key), _encode(key, cached))
        _prune(folder)
    except OSError as error:  # a full or read-only disk costs the next process a compile, nothing more
        logger.warning("detection: prefilter cache not written to %s (%s)", directory, error.strerror)
    finally:
        os.close(folder)


def _name(key: str) -> str:
    return f"{PREFIX}{key[:40]}{SUFFIX}"


def _open_directory(directory: Path, *, create: bool) -> int | None:
    """A descriptor of the cache directory when it is private to this user, else None (and why, once)."""
    try:
        if create:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        logger.warning("detection: prefilter cache %s not used (%s)", directory, error.strerror)
        return None
    problem = _not_private(os.fstat(folder), stat.S_ISDIR)
    if problem:
        os.close(folder)
        logger.warning("detection: prefilter cache %s not used: %s", directory, problem)
        return None
    return folder


def _not_private(info: os.stat_result, kind: Callable[[int], bool]) -> str | None:
    """Why a file or directory could hold another user's content (None when it cannot)."""
    if not kind(info.st_mode):
        return "not a regular directory or file"
    if info.st_uid != os.geteuid():
        return f"owned by uid {info.st_uid}, not by this user"
    if info.st_mode & 0o022:
        return f"writable by other users (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _read(folder: int, name: str, key: str) -> Cached | None:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    except FileNotFoundError:
        return None
    except OSError as error:
        logger.warning("detection: prefilter cache file %s ignored (%s)", name, error.strerror)
        return None
    try:
        info = os.fstat(fd)
        problem = _not_private(info, stat.S_ISREG)
        if problem is None and info.st_size > MAX_FILE_BYTES:
            problem = f"larger than {MAX_FILE_BYTES} bytes"
        data = b"" if problem else _read_all(fd, info.st_size)
    finally:
        os.close(fd)
    cached, problem = (None, problem) if problem else _decode(data, key)
    if problem:
        logger.warning("detection: prefilter cache file %s ignored and rebuilt: %s", name, problem)
    return cached


def _read_all(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size + 1  # one more byte shows a file that grew since fstat
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _encode(key: str, cached: Cached) -> bytes:
    header = json.dumps({"format": FORMAT, "key": key, "sha256": hashlib.sha256(cached.database).hexdigest(),
                         "whole": sorted(cached.whole)}, separators=(",", ":")).encode()
    return MAGIC + _LENGTH.pack(len(header)) + header + cached.database


def _decode(data: bytes, key: str) -> tuple[Cached | None, str | None]:
    """The cached database in `data`, or why the bytes are not one for `key`."""
    start = len(MAGIC) + _LENGTH.size
    if not data.startswith(MAGIC) or len(data) < start:
        return None, "not a prefilter cache file"
    (length,) = _LENGTH.unpack_from(data, len(MAGIC))
    if length > MAX_HEADER_BYTES or start + length > len(data):
        return None, "truncated or corrupt header"
    try:
        header = json.loads(data[start:start + length])
        expected = (header["format"], header["key"], header["sha256"])
        whole = frozenset(int(i) for i in header["whole"])
    except (ValueError, KeyError, TypeError):
        return None, "corrupt header"
    database = data[start + length:]
    if expected != (FORMAT, key, hashlib.sha256(database).hexdigest()):
        return None, "another key, format or checksum"
    return Cached(database, whole), None


def _write(folder: int, name: str, data: bytes) -> None:
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


def _prune(folder: int) -> None:
    """Keep the KEEP_FILES newest databases; drop temporary files a dead process left behind."""
    now = time.time()
    databases: list[tuple[float, str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            modified = entry.stat(follow_symlinks=False).st_mtime
            if entry.name.startswith(PREFIX) and entry.name.endswith(SUFFIX):
                databases.append((modified, entry.name))
            elif entry.name.startswith("." + PREFIX) and now - modified > STALE_TEMPORARY_S:
                _unlink(folder, entry.name)
    for _modified, name in sorted(databases, reverse=True)[KEEP_FILES:]:
        _unlink(folder, name)


def _unlink(folder: int, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):  # a racing process pruned it first
        os.unlink(name, dir_fd=folder)
