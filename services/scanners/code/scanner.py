"""The `code` scanner: secrets, personal data and privacy-relevant code in a source tree.

Request (one source):
- `path`: a file or directory inside the allowed scan roots;
- `archive`: path of an uploaded zip/tar inside the allowed scan roots (extracted safely);
- `git_url`: https, ssh or file URL, cloned shallowly with a time and size limit. Credentials in it
  (`user:password@`, `token@`) are split off at submission: the job carries the bare URL and
  `git_credential_ref`, which the worker runtime resolves and hands over in memory.
`options`:
- `history` (bool): also report secrets added in earlier commits (git sources and work trees);
- `baseline` (list of fingerprints, or a previous result): accepted findings, shown as suppressed;
- `ignore` (list of fingerprints): findings to suppress (a `.dgignore` file in the root adds more);
- `max_files` (int), `max_file_bytes` (int): bounds; files beyond them are skipped with a reason;
- `kinds` (list): categories or types to look for (default pii, secret, special, code).

Documents committed to the tree (PDF, office, OpenDocument; files.py) are read through the document
scanner's extraction without OCR, within `max_file_bytes` and extraction's own bounds (pages, cells,
archive-bomb limits of the package); one that cannot be read is a skip with the reason, never an error
that stops the scan. Pictures are left to the image scanner.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.detection import scan_stream, structured
from services.detection.suppression import Suppressions, apply, fingerprints_from, read_ignore_file
from services.detection.types import TYPES
from services.extraction.base import ExtractionError, ExtractOptions
from services.inputs.paths import resolve_scan_path
from services.results import Finding, ResultStatus, Severity, build_result, status_for, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.code import history
from services.scanners.code.files import KIND_NOTES, SourceFile, kinds_for, walk
from utils.config import get_settings
from utils.errors import InvalidRequestError, TargetUnavailableError

logger = logging.getLogger(__name__)

DEFAULT_KINDS = frozenset({"pii", "secret", "special", "code"})
MAX_FILES = 50_000
MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files in a source tree are data dumps or binaries
GIT_TIMEOUT_S = 120.0
PROGRESS_EVERY = 50  # files per progress report
IGNORE_FILE = ".dgignore"
FIXTURE_DIRS = frozenset({"test", "tests", "testing", "fixtures", "__fixtures__", "testdata", "__tests__",
                          "spec", "specs", "mocks", "examples", "example", "samples", "docs"})
FIXTURE_CONFIDENCE = 0.3
PROGRESS_INTERVAL_S = 1.0  # progress from inside a long document, so a cancel or deadline stops it there


@dataclass(frozen=True)
class CodeOptions:
    """Validated `options` of a code scan request."""

    history: bool = False
    max_files: int = MAX_FILES
    max_file_bytes: int = MAX_FILE_BYTES
    kinds: frozenset[str] = DEFAULT_KINDS
    ignore: frozenset[str] = frozenset()
    baseline: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, raw: Any) -> CodeOptions:
        """Options from the request, refusing wrong types with InvalidRequestError."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise InvalidRequestError("options must be an object")
        return cls(
            history=_bool(raw, "history", False),
            max_files=_positive(raw, "max_files", MAX_FILES),
            max_file_bytes=_positive(raw, "max_file_bytes", MAX_FILE_BYTES),
            kinds=_kinds(raw.get("kinds")),
            ignore=fingerprints_from(raw.get("ignore"), name="ignore"),
            baseline=fingerprints_from(raw.get("baseline"), name="baseline"),
        )


def _bool(raw: dict[str, Any], name: str, default: bool) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise InvalidRequestError(f"option {name!r} must be true or false")
    return value


def _positive(raw: dict[str, Any], name: str, default: int) -> int:
    # the default is also the ceiling: a request may lower a limit, never raise it past what keeps a
    # worker safe from bombs and runaway scans
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= default:
        raise InvalidRequestError(f"option {name!r} must be a positive integer, at most {default}")
    return value


def _kinds(raw: Any) -> frozenset[str]:
    if raw is None:
        return DEFAULT_KINDS
    if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
        raise InvalidRequestError("option 'kinds' must be a non-empty list of categories or types")
    unknown = [k for k in raw if k not in TYPES and k not in ("pii", "secret", "special", "code")]
    if unknown:
        raise InvalidRequestError(f"option 'kinds' names unknown types: {', '.join(sorted(unknown))}")
    return frozenset(raw)


class CodeScanner:
    """Scans a source tree, an uploaded archive or a git repository."""

    name = "code"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan the source the request names and return the result."""
        started = utc_now_iso()
        options = CodeOptions.parse(request.get("options"))
        with contextlib.ExitStack() as cleanup:
            # made only for an archive or a clone: a path scan needs none (its rmtree was a tenth of a
            # small scan)
            def workdir() -> Path:
                return Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="dg-code-")))

            try:
                root, source, unread = _materialise(request, options, workdir, progress)
            except TargetUnavailableError as error:  # git host down or its breaker open: say so
                return _unreachable_result(started, request, error)
            run = _Run(root, options, progress, unread)
            run.scan_tree()
            if options.history:
                run.scan_history()
        return run.result(started, source)


def _materialise(request: Request, options: CodeOptions, workdir: Callable[[], Path],
                 progress: Progress) -> tuple[Path, dict[str, Any], list[dict[str, Any]]]:
    """The local root to scan, a description of the source, and the errors of what it could not read.

    Archive members that safe extraction refused (bombs, traversal, encrypted, links) are errors, as in
    the document scanner: they are input the scan did not read, so a tree of nothing else is not assessed.
    """
    given = [key for key in ("path", "archive", "git_url") if request.get(key) is not None]
    if len(given) != 1:
        raise InvalidRequestError("a code scan needs exactly one of 'path', 'archive' or 'git_url'")
    key = given[0]
    if key == "path":
        return resolve_scan_path(request["path"]), {"path": str(request["path"])}, []
    # archives and git are imported here: a path scan (the CLI, a pre-commit hook) never needs tarfile,
    # zipfile or the git client and its credential store
    if key == "archive":
        from services.inputs.archives import safe_extract

        archive = resolve_scan_path(request["archive"])
        progress(1.0, "extracting archive")
        report = safe_extract(archive, workdir() / "archive")
        unread = [{"path": str(s.get("member", "")), "error": str(s.get("reason", ""))}
                  for s in report.skipped]
        return report.root, {"archive": archive.name}, unread
    from services.inputs.git import CREDENTIAL_REF_FIELD, shallow_clone, supplied_credentials

    progress(1.0, "cloning repository")
    settings = get_settings()
    ref = request.get(CREDENTIAL_REF_FIELD)
    # progress is the clone's check too: a cancel or the job's deadline stops git within a poll
    clone = shallow_clone(str(request["git_url"]), workdir() / "repo", timeout_s=GIT_TIMEOUT_S,
                          max_bytes=settings.max_upload_bytes, history=options.history,
                          credentials=None if ref is None else supplied_credentials(ref),
                          check=lambda: progress(1.0, "cloning repository"))
    return clone, {"git_url": _redacted(str(request["git_url"]))}, []


def _unreachable_result(started: str, request: Request, error: TargetUnavailableError) -> Result:
    """`failed`, naming the host and when its breaker lets a clone through; nothing was scanned.

    It is not assessed: a repository that could not be read proves nothing about compliance.
    """
    logger.warning("scanner code: %s", error)
    return build_result("code", [], started_at=started, status=ResultStatus.FAILED,
                        errors=[{"target": error.target, "error": str(error), "retry_at": error.retry_at}],
                        extra={"source": {"git_url": _redacted(str(request.get("git_url")))}})


def _redacted(url: str) -> str:
    """The URL without any user:token@ part (a token in a clone URL is a secret too)."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


class _Run:
    """State of one scan: findings, counters, skipped items and errors."""

    def __init__(self, root: Path, options: CodeOptions, progress: Progress,
                 unread: list[dict[str, Any]]) -> None:
        self.root = root
        self.options = options
        self.progress = progress
        self.skipped: list[dict[str, str]] = []
        self.errors: list[dict[str, Any]] = list(unread)
        self.notes: list[dict[str, str]] = []
        self.findings: list[Finding] = []
        self.files_scanned = 0
        self.bytes_scanned = 0
        self.percent = 5.0
        self.last_progress = 0.0
        self.ignore = options.ignore | self._ignore_file()

    def _ignore_file(self) -> frozenset[str]:
        path = self.root / IGNORE_FILE
        if self.root.is_dir() and path.is_file() and not path.is_symlink():
            return read_ignore_file(path)
        return frozenset()

    def scan_tree(self) -> None:
        """Walk the root and scan every file it keeps."""
        self.progress(2.0, "listing files")
        found = walk(self.root, max_files=self.options.max_files, max_file_bytes=self.options.max_file_bytes)
        self.skipped += found.skipped
        total = max(1, len(found.files))
        for index, source in enumerate(found.files):
            self.percent = 5.0 + 85.0 * index / total
            if index % PROGRESS_EVERY == 0:
                self.progress(self.percent, f"scanning file {index + 1} of {total}")
            self._scan_file(source)
        self.progress(90.0, f"scanned {self.files_scanned} files")

    def _scan_file(self, source: SourceFile) -> None:
        if source.encoding not in ("utf-8", ""):  # "": a document, decoded by its extractor
            self.notes.append({"path": source.display, "note": f"not UTF-8: decoded as {source.encoding}"})
        kinds = kinds_for(source.kind, self.options.kinds)
        if source.kind in KIND_NOTES:
            self.notes.append({"path": source.display, "note": KIND_NOTES[source.kind]})
        if not kinds:  # nothing requested can live in this kind of file: read, and nothing to find
            self.files_scanned += 1
            self.bytes_scanned += source.size
            return
        fixture = _is_fixture(source.display)
        try:
            for finding in self._findings(source, kinds):
                self.findings.append(_as_fixture(finding) if fixture else finding)
        except ExtractionError as error:  # its message names the file and why, never its content
            self.skipped.append({"path": source.display,
                                 "reason": f"document not read ({error.kind}): {error}"})
            return
        except (OSError, LookupError) as error:
            # the error names the file and the error class; its message could quote content
            self.errors.append({"path": source.display, "error": f"unreadable ({type(error).__name__})"})
            return
        self.files_scanned += 1
        self.bytes_scanned += source.size

    def _findings(self, source: SourceFile, kinds: Any) -> Iterable[Finding]:
        """Seeds, exports and fixtures (sql, csv, json, yaml) by their columns; the rest as text."""
        if source.kind == "document":
            return self._document_findings(source, kinds)
        if structured.handles(source.path):
            text_scan = structured.plain_text_scan(source.path, source.display, source.encoding)
            found = structured.scan_structured(
                source.path, source.display, kinds, text_scan,
                note=lambda text: self.notes.append({"path": source.display, "note": text}))
            if found is not None:
                return found
        with source.path.open(encoding=source.encoding, errors="replace", newline="") as reader:
            return list(scan_stream(reader, path=source.display, kinds=kinds))

    def _document_findings(self, source: SourceFile, kinds: frozenset[str]) -> list[Finding]:
        """A committed document read as the document scanner reads it, without OCR (pictures are the
        image scanner's); what extraction could read only in part becomes a note."""
        from services.scanners.extracted import scan_extracted  # the parsers load for a tree with documents

        options = ExtractOptions(max_file_bytes=self.options.max_file_bytes, ocr=False)
        found = scan_extracted(source.path, source.display, kinds, options, tick=self._tick,
                               note=lambda text: self.notes.append({"path": source.display, "note": text}))
        self.notes += [{"path": source.display, "note": f"read in part ({kind}): {message}"}
                       for kind, message in options.warnings]
        return found

    def _tick(self, message: str) -> None:
        """Progress from inside a document, at most every PROGRESS_INTERVAL_S (it may cancel the scan)."""
        now = time.monotonic()
        if now - self.last_progress >= PROGRESS_INTERVAL_S:
            self.last_progress = now
            self.progress(self.percent, message)

    def scan_history(self) -> None:
        """Secrets added in earlier commits, unless the same secret is already reported."""
        if not history.is_git_repository(self.root):
            self.errors.append({"path": ".", "error": "history requested but no git repository"})
            return
        self.progress(91.0, "reading git history")
        known = {f.fingerprint for f in self.findings}
        self.findings += history.history_findings(self.root, known=known,
                                                  tick=lambda c: self.progress(95.0, f"history at {c}"))

    def result(self, started: str, source: dict[str, Any]) -> Result:
        """The scan result with suppressions applied."""
        rows = apply(self.findings, Suppressions(ignore=self.ignore, baseline=self.options.baseline))
        suppressed = sum(1 for row in rows if row.get("suppressed"))
        status = status_for(self.files_scanned, self.errors)
        logger.info("scanner code: %d files, %d findings (%d suppressed), %d skipped", self.files_scanned,
                    len(rows), suppressed, len(self.skipped))
        return build_result(
            "code", rows, started_at=started, items_scanned=self.files_scanned,
            bytes_scanned=self.bytes_scanned, errors=self.errors, status=status,
            extra={"source": source, "skipped": self.skipped, "notes": self.notes,
                   "suppressed_total": suppressed, "options": {"history": self.options.history,
                                                               "kinds": sorted(self.options.kinds)}},
        )


def _is_fixture(display: str) -> bool:
    parts = display.lower().split("/")
    name = parts[-1]
    return (any(p in FIXTURE_DIRS for p in parts[:-1]) or name.startswith("test_")
            or name.endswith(("_test.py", "_test.go", ".test.js", ".test.ts", ".spec.js", ".spec.ts")))


def _as_fixture(finding: Finding) -> Finding:
    """Secrets in tests, fixtures and docs are reported low: usually fakes, never to be trusted blindly."""
    if finding.category != "secret" or finding.severity == Severity.LOW:
        return finding
    notes = [*finding.explanation.get("downgraded", []), "file is a test fixture or example"]
    return dataclasses.replace(finding, severity=Severity.LOW,
                               confidence=min(finding.confidence, FIXTURE_CONFIDENCE),
                               explanation={**finding.explanation, "downgraded": notes})

