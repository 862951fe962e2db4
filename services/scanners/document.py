"""The document scanner: personal data in txt, csv, json, xml, html, pdf, office, e-mail and images.

Request: `path` (a file, a directory or a zip/tar archive inside the allowed scan roots) and
`options`:

- `max_file_bytes` (int, 100 MiB): larger files are reported in `errors` and not read.
- `max_files` (int, 10000): files scanned at most, archive members included.
- `ocr` (bool, true): read scanned PDF pages and images with tesseract.
- `ocr_languages` (str, "eng+nld"): tesseract languages.
- `archive_depth` (int, 2): archive levels opened (2 = an archive and the archives inside it).
- `exclude_dirs` (list of names, [".git", "node_modules", "__pycache__", ".venv"]).
- `kinds` (list of categories: "pii", "secret", "special"; default all): what the detection
  engine looks for.

Each file is extracted into located text chunks (services/extraction) and handed to the detection
engine (services/scanners/extracted.py, shared with the code scanner's reading of committed documents);
extra location keys (page, sheet, cell, slide, e-mail part) are merged into each finding.
Files that cannot be read (corrupt, encrypted, too large, unsafe) become entries in `errors` and
the scan goes on; the result is `degraded` when any such entry exists, `failed` (not assessed: no
score, services/scoring.py) when nothing at all could be read. The result's extra `skipped` list
names what was passed over without being a problem: symbolic links, formats we do not read, files
past `max_files`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.extraction import ErrorKind, ExtractionError, ExtractOptions
from services.inputs.archives import ArchiveLimits, is_archive, safe_extract
from services.inputs.files import iter_files
from services.inputs.paths import resolve_scan_path
from services.results import Finding, build_result, status_for, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.extracted import scan_extracted
from utils.errors import InvalidRequestError, UnsafeInputError

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_FILES = 10_000
DEFAULT_ARCHIVE_DEPTH = 2
MAX_ARCHIVE_DEPTH = 5  # deeper nesting is a bomb technique, not a filing system
DEFAULT_EXCLUDE_DIRS = (".git", "node_modules", "__pycache__", ".venv")
PROGRESS_INTERVAL_S = 1.0  # inside a long file too, so a cancel or deadline is noticed within seconds
CATEGORIES = ("pii", "secret", "special")  # the detection engine's finding categories
_LANGUAGES = re.compile(r"^[a-z_]{3,8}(\+[a-z_]{3,8})*$")


@dataclass(frozen=True)
class DocumentOptions:
    """Validated request options (see the module docstring)."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_files: int = DEFAULT_MAX_FILES
    ocr: bool = True
    ocr_languages: str = "eng+nld"
    archive_depth: int = DEFAULT_ARCHIVE_DEPTH
    exclude_dirs: tuple[str, ...] = DEFAULT_EXCLUDE_DIRS
    kinds: tuple[str, ...] | None = None

    @classmethod
    def from_request(cls, raw: object) -> DocumentOptions:
        """Options from the request's `options` mapping; InvalidRequestError names a bad one."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise InvalidRequestError("document: options must be an object")
        unknown = sorted(set(raw) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise InvalidRequestError(f"document: unknown options: {', '.join(unknown)}")
        values = {name: _OPTION_CHECKS[name](name, value) for name, value in raw.items()}
        return cls(**values)


def _positive_int(name: str, value: object, upper: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (upper and value > upper):
        limit = f" and at most {upper}" if upper else ""
        raise InvalidRequestError(f"document: option {name} must be a positive integer{limit}")
    return value


def _boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequestError(f"document: option {name} must be true or false")
    return value


def _languages(name: str, value: object) -> str:
    if not isinstance(value, str) or not _LANGUAGES.match(value):
        raise InvalidRequestError(f"document: option {name} must look like 'eng+nld'")
    return value


def _names(name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise InvalidRequestError(f"document: option {name} must be a list of non-empty strings")
    return tuple(value)


def _categories(name: str, value: object) -> tuple[str, ...]:
    names = _names(name, value)
    unknown = sorted(set(names) - set(CATEGORIES))
    if unknown:
        raise InvalidRequestError(f"document: option {name} may hold {', '.join(CATEGORIES)}, "
                                  f"not {', '.join(unknown)}")
    return names


_OPTION_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    # a request may lower the limits, never raise them: they are what stops bombs and runaway scans
    "max_file_bytes": lambda name, value: _positive_int(name, value, DEFAULT_MAX_FILE_BYTES),
    "max_files": lambda name, value: _positive_int(name, value, DEFAULT_MAX_FILES),
    "ocr": _boolean,
    "ocr_languages": _languages,
    "archive_depth": lambda name, value: _positive_int(name, value, MAX_ARCHIVE_DEPTH),
    "exclude_dirs": _names,
    "kinds": _categories,
}


@dataclass(frozen=True)
class _Item:
    """One file to scan: where it is on disk and how findings name it."""

    path: Path
    display: str


@dataclass
class _Run:
    """The state of one scan: options, the files found, and what came of them."""

    options: DocumentOptions
    progress: Progress
    workdir: Callable[[], Path]  # made on first use: only archives need one
    items: list[_Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)  # what was read how (structured files)
    files_scanned: int = 0
    bytes_scanned: int = 0
    archives: int = 0
    last_progress: float = 0.0

    def tick(self, percent: float, message: str) -> None:
        """Progress from inside a long file, at most every PROGRESS_INTERVAL_S (it may cancel us)."""
        now = time.monotonic()
        if now - self.last_progress >= PROGRESS_INTERVAL_S:
            self.last_progress = now
            self.progress(percent, message)

    def error(self, display: str, kind: str, message: str) -> None:
        """Record a per-item problem; the scan goes on."""
        logger.warning("document: %r: %s", display, message)  # %r: member names may hold newlines
        self.errors.append({"path": display, "kind": str(kind), "message": message})

    def problem(self, display: str, kind: ErrorKind, message: str) -> None:
        """An error, except that a format we do not read (a video, a binary) is only skipped."""
        if kind is ErrorKind.UNSUPPORTED:
            self.skipped.append({"path": display, "reason": message})
        else:
            self.error(display, kind, message)


class DocumentScanner:
    """Finds personal data in documents, page by page and line by line."""

    name = "document"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan the file, directory or archive named by `request["path"]`."""
        started_at = utc_now_iso()
        options = DocumentOptions.from_request(request.get("options"))
        root = resolve_scan_path(request.get("path"))  # type: ignore[arg-type]
        with contextlib.ExitStack() as cleanup:
            def workdir() -> Path:
                return Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="dg-document-")))

            run = _Run(options, progress, functools.cache(workdir))
            progress(0.0, "listing files")
            _collect(run, root, str(root), depth=0)
            _scan_items(run)
        progress(100.0, f"scanned {run.files_scanned} files")
        logger.info("document: %s: %d files, %d findings, %d errors", root, run.files_scanned,
                    len(run.findings), len(run.errors))
        return build_result(
            self.name, run.findings, started_at=started_at, items_scanned=run.files_scanned,
            bytes_scanned=run.bytes_scanned, errors=run.errors,
            status=status_for(run.files_scanned, run.errors),
            extra={"skipped": run.skipped, "notes": run.notes},
        )


# --- listing -------------------------------------------------------------------------------------

def _collect(run: _Run, path: Path, display: str, *, depth: int) -> None:
    """Add the files under `path` to the run, opening archives into the work directory."""
    def on_skip(skipped: Path, reason: str) -> None:
        run.skipped.append({"path": _display_of(skipped, path, display), "reason": reason})

    for file in iter_files(path, exclude_dirs=run.options.exclude_dirs, on_skip=on_skip):
        shown = _display_of(file, path, display)
        if len(run.items) >= run.options.max_files:
            run.skipped.append({"path": display, "reason": f"more than {run.options.max_files} files"})
            return
        if is_archive(file) and depth == 0:
            _open_archive(run, file, shown)
        elif is_archive(file):
            run.skipped.append({"path": shown, "reason": "archive nested deeper than archive_depth"})
        else:
            run.items.append(_Item(file, shown))


def _display_of(file: Path, root: Path, display: str) -> str:
    if file == root:
        return display
    return f"{display}/{file.relative_to(root).as_posix()}"


def _open_archive(run: _Run, archive: Path, display: str) -> None:
    run.archives += 1
    dest = run.workdir() / f"archive-{run.archives}"
    limits = ArchiveLimits(max_members=run.options.max_files, max_depth=run.options.archive_depth,
                           max_file_bytes=run.options.max_file_bytes)
    run.progress(0.0, f"extracting {archive.name}")
    try:
        report = safe_extract(archive, dest, limits)
    except UnsafeInputError as error:
        run.error(display, ErrorKind.UNSAFE, str(error))
        return
    except InvalidRequestError as error:
        run.error(display, ErrorKind.CORRUPT, str(error))
        return
    for entry in report.skipped:
        run.error(f"{display}!/{entry['member']}", "archive_member_skipped", entry["reason"])
    # inside an archive, nested archives were already opened up to archive_depth
    _collect(run, report.root, f"{display}!", depth=1)


# --- scanning ------------------------------------------------------------------------------------

def _scan_items(run: _Run) -> None:
    total = max(len(run.items), 1)
    for index, item in enumerate(run.items):
        run.progress(5.0 + 95.0 * index / total, f"scanning {item.display}")
        run.last_progress = time.monotonic()
        _scan_file(run, item, 5.0 + 95.0 * index / total)


def _scan_file(run: _Run, item: _Item, percent: float) -> None:
    options = ExtractOptions(max_file_bytes=run.options.max_file_bytes, ocr=run.options.ocr,
                             ocr_languages=run.options.ocr_languages)
    kinds = frozenset(run.options.kinds or CATEGORIES)
    try:
        run.findings += scan_extracted(
            item.path, item.display, kinds, options, tick=lambda message: run.tick(percent, message),
            note=lambda text: run.notes.append({"path": item.display, "note": text}))
    except ExtractionError as error:
        run.problem(item.display, error.kind, str(error))
        return
    for kind, message in options.warnings:
        run.problem(item.display, kind, message)
    run.files_scanned += 1
    run.bytes_scanned += item.path.stat().st_size
