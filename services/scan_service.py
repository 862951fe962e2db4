"""The one place the UI, the REST API and the CLI submit and read scans through.

Built on ProcessManager (the job protocol) and utils/repositories (history after the Redis TTL).
Every call takes the caller's organisation and behaves as if another organisation's job did not
exist: its id gives `JobNotFoundError`, exactly like an id that was never issued, so ids cannot be
probed. Nothing here returns a job's request (it may hold a DSN with a password).
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from werkzeug.utils import secure_filename

from services import billing, scanners
from services.inputs.paths import refuse_foreign_data_paths
from services.job_credentials import credential_store, kept_apart
from services.process_manager import ProcessManager
from services.scope import ARTIFACTS_DIR, org_upload_dir, scope_for, scoped
from utils import database_manager
from utils.config import Settings, get_settings
from utils.errors import (
    InvalidRequestError,
    JobNotFinishedError,
    JobNotFoundError,
    RequestTooLargeError,
)
from utils.ipc_manager import TERMINAL_STATES, valid_timeout
from utils.repositories import audit, scans, submissions

log = logging.getLogger(__name__)

COPY_CHUNK = 1024 * 1024
DEFAULT_UPLOAD_NAME = "upload"
MAX_UPLOAD_NAME_CHARS = 200  # secure_filename keeps ASCII only (a character is a byte); file systems take 255
MAX_SUFFIX_CHARS = 16  # room for ".tar.gz" and ".docx": readers choose by the name's suffixes
ARTIFACT_TYPES = ("image/png", "image/tiff", "image/jpeg")  # what scans write; others are served as bytes
REPORTS_DIR = "reports"  # report files a scan writes, beside the organisation's uploads
MAX_REQUEST_DEPTH = 32  # scan requests are a few levels deep; results handed to a report add about four
HISTORY_MAX = 500  # the repository caps pages at this size too
MAX_SEARCH_CHARS = 200  # PostgreSQL text cannot hold NUL, and a longer search matches nothing anyway
REPORT_FORMATS: dict[str, tuple[str, str]] = {  # format -> (mime type, file extension)
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "sarif": ("application/sarif+json", "sarif"),
}
NOT_FOUND = "no scan with this id"  # one message for unknown and foreign ids alike
AVAILABLE, NO_WORKER = "available", "no worker running"  # else the registry's reason (not available yet, …)


class ScanService:
    """Submit, follow, cancel, list and export the scans of one organisation at a time."""

    def __init__(self, settings: Settings | None = None, manager: ProcessManager | None = None,
                 db: database_manager.Database | None = None) -> None:
        self.settings = settings or get_settings()
        self.manager = manager or ProcessManager(self.settings)
        self.db = db
        self.credentials = credential_store(self.manager.queue.redis, self.settings)

    # --- submitting ------------------------------------------------------------------------
    def submit(self, org_id: str, user_id: str | None, scanner: object, request: dict[str, Any], *,
               timeout_s: float | None = None) -> str:
        """Queue a scan for the organisation after the scanner, size, upload-owner and quota checks."""
        org = _org(org_id)
        declaration = scanners.require_available(scanner)
        billing.require_in_plan(org, declaration.name)  # "not in your plan" says more than a shape error
        self._check_request(org, request)
        request = self._confine_outputs(org, declaration, request)  # safety first, then the shape
        request = declaration.validate(request)
        name = declaration.name
        # the quota is checked before queueing, so a refused scan never reaches a worker, and under the
        # organisation's lock until the job's `scan.submitted` entry is committed (see Submission)
        with submissions.Submission(org, db=self.db) as submission:
            billing.check_quota(org, name, submission=submission)
            # a git_url's credentials never ride in the job (Redis keeps payloads on disk): kept apart
            with kept_apart(self.credentials, org, request) as queued:
                job_id = self.manager.submit_scan_job(name, queued, org_id=org, user_id=user_id,
                                                      timeout_s=_timeout(timeout_s, self.settings))
            submission.record(user_id, job_id, {"scanner": name})
        log.info("scan service: org %s queued %s job %s", org, name, job_id)
        return job_id

    def _check_request(self, org_id: str, request: Any) -> None:
        if not isinstance(request, dict):
            raise InvalidRequestError("request must be a JSON object")
        strings = request_strings(request)
        size = len(json.dumps(request, separators=(",", ":")).encode())
        if size > self.settings.max_request_bytes:
            raise RequestTooLargeError(
                f"scan request is {size} bytes, over the {self.settings.max_request_bytes}-byte limit; "
                "upload files and pass their path instead of their contents")
        scope = scope_for(org_id, self.settings)
        for value in strings:
            refuse_foreign_data_paths(value, scope)

    def _confine_outputs(self, org_id: str, declaration: scanners.ScannerDeclaration,
                         request: dict[str, Any]) -> dict[str, Any]:
        """A relative `output` field is written among the organisation's uploads, not the data dir root."""
        confined = dict(request)
        for field in declaration.fields_of("output"):
            output = request.get(field.name)
            if isinstance(output, str) and output.strip() and not output.startswith(("/", "~")):
                confined[field.name] = str(self._org_dir(org_id) / REPORTS_DIR / output)
                refuse_foreign_data_paths(confined[field.name], scope_for(org_id, self.settings))
        return confined

    def _org_dir(self, org_id: str) -> Path:
        return org_upload_dir(self.settings, org_id)

    # --- reading ---------------------------------------------------------------------------
    def status(self, org_id: str, job_id: str) -> dict[str, Any]:
        """{job_id, scanner, state, percent, message, created_at} of one of the organisation's jobs."""
        org, job = _org(org_id), _job_id(job_id)
        record = self.manager.get_job_status(job)
        if record:
            self._require_owner(org, record.get("org_id"))
            return _status_from_record(job, record)
        return _status_from_row(job, self._stored(org, job))

    def result(self, org_id: str, job_id: str) -> dict[str, Any] | None:
        """The job's result (Redis first, PostgreSQL after the TTL); None while it has not finished."""
        org, job = _org(org_id), _job_id(job_id)
        record = self.manager.get_job_status(job)
        if not record:
            return _result_from_row(job, self._stored(org, job))
        self._require_owner(org, record.get("org_id"))
        found = self.manager.get_scan_result(job)
        if found is None and record.get("state") in TERMINAL_STATES:
            row = scans.get_scan(job, db=self.db)  # result expired before the record
            return None if row is None else _result_from_row(job, row)
        return found

    def cancel(self, org_id: str, job_id: str, user_id: str | None = None) -> str:
        """Cancel a queued or running job; returns the state it was found in or moved to."""
        org, job = _org(org_id), _job_id(job_id)
        record = self.manager.get_job_status(job)
        if not record:
            return str(self._stored(org, job)["job_state"])  # finished long ago: nothing to cancel
        self._require_owner(org, record.get("org_id"))
        state = self.manager.cancel_scan_job(job)
        self._audit("scan.cancelled", org, user_id, job, {"state": state})
        return state

    def history(self, org_id: str, limit: int = 50, offset: int = 0,
                search: str | None = None) -> list[dict[str, Any]]:
        """The organisation's finished scans from PostgreSQL, newest first."""
        if search is not None and (len(search) > MAX_SEARCH_CHARS or "\x00" in search):
            raise InvalidRequestError(f"search must be at most {MAX_SEARCH_CHARS} characters, without NUL")
        limit = max(1, min(int(limit), HISTORY_MAX))
        rows = scans.list_scans(_org(org_id), limit, max(0, int(offset)), search, db=self.db)
        return [{k: v for k, v in row.items() if k != "org_id"} for row in rows]

    def _stored(self, org_id: str, job_id: str) -> dict[str, Any]:
        row = scans.get_scan(job_id, db=self.db)
        if row is None or row.get("org_id") != org_id:
            raise JobNotFoundError(NOT_FOUND)
        return row

    @staticmethod
    def _require_owner(org_id: str, owner: str | None) -> None:
        if owner != org_id:
            raise JobNotFoundError(NOT_FOUND)

    # --- files -----------------------------------------------------------------------------
    def save_upload(self, org_id: str, filename: str, data: bytes | IO[bytes]) -> Path:
        """Write an upload to `upload_dir/<org>/<uuid>/<safe name>`, refusing it over max_upload_bytes."""
        directory = self._org_dir(_org(org_id)) / str(uuid.uuid4())
        directory.mkdir(parents=True)
        target = directory / _upload_name(filename)
        try:
            _write_limited(target, data, self.settings.max_upload_bytes)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        return target.resolve()

    def export(self, org_id: str, job_id: str, fmt: str, language: str = "en") -> tuple[bytes, str, str]:
        """(content, mime type, file name) of the job's result as a pdf/json/csv/sarif report."""
        if fmt not in REPORT_FORMATS:
            raise InvalidRequestError(f"format must be one of {', '.join(REPORT_FORMATS)}")
        result = self.result(org_id, job_id)
        if result is None:
            raise JobNotFinishedError("the scan has not finished yet")
        # a section draws evidence images only from this organisation's own files
        with scoped(scope_for(_org(org_id), self.settings)):
            data = render_report(result, fmt, language)
        mime, extension = REPORT_FORMATS[fmt]
        name = f"dataguardian-{result.get('scanner') or 'scan'}-{_job_id(job_id)[:8]}.{extension}"
        return data, mime, name

    def artifact(self, org_id: str, job_id: str, index: int) -> tuple[bytes, str, str]:
        """(content, mime type, file name) of a file the job wrote for its organisation (a redacted copy).

        The result names the file, and a result is only as trustworthy as its path: the file is served
        only when it lies in this organisation's own artifacts folder.
        """
        result = self.result(org_id, job_id)
        if result is None:
            raise JobNotFinishedError("the scan has not finished yet")
        listed = result.get("artifacts")
        if not isinstance(listed, list) or not 0 <= index < len(listed) \
                or not isinstance(listed[index], dict):
            raise JobNotFoundError("the scan wrote no such file")
        entry = listed[index]
        folder = (self._org_dir(_org(org_id)) / ARTIFACTS_DIR).resolve()
        path = Path(str(entry.get("path") or "")).resolve()
        if not entry.get("path") or not path.is_relative_to(folder) or not path.is_file():
            raise JobNotFoundError("the scan's file is not available (removed, or not this organisation's)")
        mime = str(entry.get("media_type") or "application/octet-stream")
        return path.read_bytes(), mime if mime in ARTIFACT_TYPES else "application/octet-stream", path.name

    # --- scanners --------------------------------------------------------------------------
    def scanner_availability(self) -> dict[str, str]:
        """Per registered scanner: available, no worker running, or why it cannot run (not built, …)."""
        return {name: self._availability(name) for name in scanners.scanner_names()}

    def _availability(self, name: str) -> str:
        reason = scanners.unavailable_because(name)
        if reason is not None:
            return reason
        return AVAILABLE if self.manager.queue.scanner_stats(name).workers > 0 else NO_WORKER

    def _audit(self, action: str, org_id: str, user_id: str | None, target: str,
               details: dict[str, Any]) -> None:
        audit.append_audit(action, org_id=org_id, actor_user_id=user_id, target=target,
                           details=details, db=self.db)


def render_report(result: dict[str, Any], fmt: str, language: str) -> bytes:
    """Render one result in-process with the report scanner's renderers (nothing written to disk)."""
    from services.scanners import report

    if language not in ("en", "nl"):
        raise InvalidRequestError("language must be en or nl")
    spec = report.ReportRequest(results=report.validate_results([result]), format=fmt, language=language,
                                output=Path("/dev/null"), organisation="", title="", logo=None)
    data, _pages = report.render(spec, _no_progress)
    return data


def _no_progress(percent: float, message: str) -> None:
    """Exports run in the request thread: there is no job to report progress to."""


def _upload_name(filename: str | None) -> str:
    """A safe file name for an upload, short enough for any file system, its suffixes kept."""
    name = secure_filename(filename or "") or DEFAULT_UPLOAD_NAME
    if len(name) <= MAX_UPLOAD_NAME_CHARS:
        return name
    suffix = "".join(Path(name).suffixes[-2:])
    if len(suffix) > MAX_SUFFIX_CHARS:
        suffix = ""
    return name[:MAX_UPLOAD_NAME_CHARS - len(suffix)] + suffix


def _write_limited(target: Path, data: bytes | IO[bytes], limit: int) -> None:
    if isinstance(data, bytes | bytearray):
        if len(data) > limit:
            raise RequestTooLargeError(f"upload is over the {limit}-byte limit")
        target.write_bytes(data)
        return
    written = 0
    with open(target, "xb") as out:
        while chunk := data.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                raise RequestTooLargeError(f"upload is over the {limit}-byte limit")
            out.write(chunk)


def request_strings(request: Any) -> list[str]:
    """Every string of a JSON request (the places it can name a path), after checking every value.

    Whatever entry point a request came through (API, UI, CLI), what reaches a queue is JSON a worker
    can keep to: at most MAX_REQUEST_DEPTH levels deep (a deeper one overflows json's recursion),
    finite numbers (NaN or Infinity would slip past every range check), and text that is valid Unicode
    (a lone surrogate cannot be encoded as UTF-8 for Redis or PostgreSQL).
    """
    strings: list[str] = []
    pending: list[tuple[Any, int]] = [(request, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_REQUEST_DEPTH:
            raise InvalidRequestError(f"request is nested more than {MAX_REQUEST_DEPTH} levels deep")
        if isinstance(value, str):
            strings.append(_unicode(value))
        elif isinstance(value, float) and not math.isfinite(value):
            raise InvalidRequestError("request holds a number that is not finite (NaN or Infinity)")
        elif isinstance(value, dict):
            strings.extend(_unicode(str(key)) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return strings


def _unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequestError("request text must be valid Unicode (it holds a lone surrogate)") from None
    return text


def _org(org_id: str) -> str:
    try:
        return str(uuid.UUID(str(org_id)))
    except ValueError:
        raise InvalidRequestError("org_id is not a UUID") from None


def _job_id(job_id: str) -> str:
    try:
        return str(uuid.UUID(str(job_id)))
    except ValueError:
        raise JobNotFoundError(NOT_FOUND) from None  # a malformed id is simply unknown


def _timeout(timeout_s: float | None, settings: Settings) -> float | None:
    if timeout_s is None:
        return None
    if not valid_timeout(timeout_s) or timeout_s > settings.max_job_timeout_s:
        raise InvalidRequestError(f"timeout_s must be a number of seconds above 0 and at most "
                                  f"{settings.max_job_timeout_s:g}")
    return float(timeout_s)


def _status_from_record(job_id: str, record: dict[str, str]) -> dict[str, Any]:
    state = record.get("state", "queued")
    percent = 100.0 if state == "succeeded" else float(record.get("percent") or 0.0)
    return {"job_id": job_id, "scanner": record.get("scanner", ""), "state": state, "percent": percent,
            "message": record.get("message", ""), "created_at": _iso_seconds(record.get("created_at"))}


def _status_from_row(job_id: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"job_id": job_id, "scanner": row["scanner"], "state": row["job_state"], "percent": 100.0,
            "message": row.get("error") or "", "created_at": row.get("created_at")}


def _result_from_row(job_id: str, row: dict[str, Any]) -> dict[str, Any]:
    keys = ("scanner", "status", "job_state", "started_at", "finished_at", "summary", "errors", "findings")
    sections = row.get("sections")
    result = {**(sections if isinstance(sections, dict) else {}), "job_id": job_id,
              **{k: row.get(k) for k in keys}}
    if row.get("error"):
        result["error"] = row["error"]
    return result


def _iso_seconds(value: str | None) -> str | None:
    try:
        return datetime.fromtimestamp(float(value or ""), UTC).isoformat()
    except ValueError:
        return None


_service: ScanService | None = None
_service_lock = threading.Lock()


def get_scan_service() -> ScanService:
    """The process-wide service, built from settings on first use."""
    global _service
    with _service_lock:
        if _service is None:
            _service = ScanService()
        return _service

