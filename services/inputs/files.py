"""Walk a directory tree without leaving it, and tell text files from binary ones by content."""

from __future__ import annotations

import codecs
import logging
import os
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import charset_normalizer

logger = logging.getLogger(__name__)

BINARY_SAMPLE_BYTES = 8 * 1024  # enough to see NULs and magic numbers; never the whole file
ENCODING_SAMPLE_BYTES = 64 * 1024  # charset-normalizer is reliable from a few KB on
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: same prefix
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

SkipHandler = Callable[[Path, str], None]


def iter_files(
    root: Path,
    *,
    exclude_dirs: Collection[str] = (),
    max_files: int | None = None,
    on_skip: SkipHandler | None = None,
) -> Iterator[Path]:
    """Regular files under `root`, in a stable order; symbolic links and special files are skipped."""
    skip = on_skip or _log_skip
    if root.is_symlink() or not root.is_dir():
        if root.is_file() and not root.is_symlink():
            yield root
        else:
            skip(root, "not a regular file or directory")
        return
    for count, path in enumerate(_walk(root, frozenset(exclude_dirs), skip), start=1):
        if max_files is not None and count > max_files:
            skip(root, f"more than {max_files} files; the rest were not scanned")
            return
        yield path


def _walk(root: Path, exclude: frozenset[str], skip: SkipHandler) -> Iterator[Path]:
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            skip(directory, f"cannot be listed: {error.strerror}")
            continue
        subdirs = []
        for entry in entries:
            # links are never followed: a link may point anywhere on the server
            if entry.is_symlink():
                skip(Path(entry.path), "symbolic link not followed")
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in exclude:
                    subdirs.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield Path(entry.path)
            else:
                skip(Path(entry.path), "special file skipped")
        stack.extend(reversed(subdirs))


def _log_skip(path: Path, reason: str) -> None:
    logger.info("inputs: skipped %s: %s", path, reason)


def read_sample(path: Path, size: int) -> bytes:
    """The first `size` bytes of `path` (a sparse or huge file is never read further)."""
    with open(path, "rb") as handle:
        return handle.read(size)


def is_binary(path: Path) -> bool:
    """True when the start of the file does not look like text in any encoding."""
    return is_binary_bytes(read_sample(path, BINARY_SAMPLE_BYTES), complete=False)


def is_binary_bytes(sample: bytes, *, complete: bool = True) -> bool:
    """True when `sample` does not look like text; `complete` says it is the whole content."""
    if not sample or _bom_encoding(sample):
        return False
    if b"\x00" in sample:
        return True
    if _is_utf8(sample, complete=complete):
        return False
    return charset_normalizer.from_bytes(sample).best() is None


def sniff_text_encoding(source: Path | bytes) -> str | None:
    """Best-guess encoding of a text file or byte sample; None when it does not look like text."""
    if isinstance(source, (bytes, bytearray)):
        sample, complete = bytes(source), True
    else:
        sample = read_sample(source, ENCODING_SAMPLE_BYTES + 1)
        complete = len(sample) <= ENCODING_SAMPLE_BYTES
        sample = sample[:ENCODING_SAMPLE_BYTES]
    bom = _bom_encoding(sample)
    if bom:
        return bom
    if _is_utf8(sample, complete=complete) or _is_damaged_utf8(sample):
        return "utf-8"
    match = charset_normalizer.from_bytes(sample).best()
    return match.encoding if match else None


def _bom_encoding(sample: bytes) -> str | None:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    return None


def _is_damaged_utf8(sample: bytes) -> bool:
    """UTF-8 text with a few invalid bytes (charset-normalizer would guess a legacy code page)."""
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid_non_ascii = sum(1 for char in text if ord(char) > 127) - invalid
    # legacy code pages almost never form valid multi-byte sequences by chance
    return valid_non_ascii > 0 and invalid <= 4 * valid_non_ascii


def _is_utf8(sample: bytes, *, complete: bool) -> bool:
    # an incremental decoder tolerates a character cut off at the end of a sample
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True
