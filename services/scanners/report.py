"""The report scanner: one or more scan results rendered as a PDF, JSON, CSV or SARIF file.

Request: `results` (list of scan results), `format` (`pdf`, `json`, `csv`, `sarif`; default pdf),
`language` (`en`, `nl`; default en), `output` (file to write; relative paths are taken under
`<data_dir>/reports`; it must resolve inside the data directory or an allowed scan root),
optional `organisation`, `title` and `logo` (path of a PNG/JPEG inside the same roots).
The result carries `report: {path, format, pages, bytes, sha256}`; it has no findings of its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.exports.common import write_atomically
from services.exports.csv_export import to_csv_bytes
from services.exports.json_export import to_json_bytes
from services.exports.sarif import to_sarif_log
from services.inputs.paths import MAX_PATH_CHARS, in_scope, resolve_in_scope
from services.reporting.i18n import LANGUAGES
from services.reporting.model import build_model
from services.results import Severity, build_result, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scope import ScanScope, current_scope, in_job_scope
from utils.config import get_settings
from utils.errors import InvalidRequestError, RequestTooLargeError, UnsafeInputError

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "json", "csv", "sarif")
MAX_RESULTS = 100  # a report of more scans than this is several reports
MAX_FINDINGS = 250_000  # bounded memory; the PDF itself stays short through grouping
MAX_TEXT = 200  # organisation and title
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_PIXELS = 16_000_000  # a 4000 x 4000 logo is already far more than a cover needs
LOGO_FORMATS = ("PNG", "JPEG")
REPORTS_SUBDIR = "reports"
_SEVERITIES = {s.value for s in Severity}


@dataclass(frozen=True)
class ReportRequest:
    """A validated report request."""

    results: list[dict[str, Any]]
    format: str
    language: str
    output: Path
    organisation: str
    title: str
    logo: Path | None


class ReportScanner:
    """Scanner that renders scan results into a report file."""

    name = "report"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Validate the request, render the report, write it atomically and describe the file."""
        started_at = utc_now_iso()
        spec = parse_request(request)
        progress(10.0, f"rendering {spec.format} report of {len(spec.results)} scan results")
        data, pages = render(spec, progress)
        write_atomically(spec.output, data)
        digest = hashlib.sha256(data).hexdigest()
        progress(100.0, f"wrote {spec.format} report ({len(data)} bytes)")
        logger.info("scanner report: %s report of %d results, %d bytes, %s pages",
                    spec.format, len(spec.results), len(data), pages)
        report = {"path": str(spec.output), "format": spec.format, "pages": pages,
                  "bytes": len(data), "sha256": digest}
        return build_result("report", [], started_at=started_at, items_scanned=len(spec.results),
                            bytes_scanned=len(data), extra={"report": report})


def render(spec: ReportRequest, progress: Progress) -> tuple[bytes, int | None]:
    """The report's bytes and, for a PDF, its page count."""
    if spec.format == "pdf":
        # reportlab and Pillow take a third of a second to import: a CLI run writing SARIF never needs them
        from services.reporting.pdf import ReportMeta, render_pdf

        model = build_model(spec.results)
        progress(30.0, f"aggregated {model.total} findings into {len(model.sections)} types")
        meta = ReportMeta(spec.organisation, spec.title, spec.language, datetime.now(UTC).date(), spec.logo)
        return render_pdf(model, meta, progress, spec.results)
    exporters: dict[str, Callable[[], bytes]] = {
        "json": lambda: to_json_bytes(spec.results, meta=_json_meta(spec)),
        "csv": lambda: to_csv_bytes(spec.results),
        "sarif": lambda: _sarif_bytes(spec.results),
    }
    return exporters[spec.format](), None


def _sarif_bytes(results: list[dict[str, Any]]) -> bytes:
    return json.dumps(to_sarif_log(results), indent=2, ensure_ascii=False).encode("utf-8")


def _json_meta(spec: ReportRequest) -> dict[str, Any]:
    return {"organisation": spec.organisation, "title": spec.title, "language": spec.language,
            "generated_at": utc_now_iso()}


def parse_request(request: Request) -> ReportRequest:
    """Check every field of a report request; raise InvalidRequestError / UnsafeInputError."""
    if not isinstance(request, dict):
        raise InvalidRequestError("report request must be an object")
    fmt = _choice(request, "format", FORMATS, "pdf")
    language = _choice(request, "language", LANGUAGES, "en")
    scope = report_scope()
    logo = request.get("logo")
    return ReportRequest(
        results=validate_results(request.get("results")), format=fmt, language=language,
        output=resolve_output(request.get("output"), scope), organisation=_text(request, "organisation"),
        title=_text(request, "title"), logo=_logo(logo, scope) if logo else None,
    )


def report_scope() -> ScanScope:
    """Where reports may be written and logos read; a relative output goes under the first root.

    In a worker's job: the job's organisation's uploads and the scan roots (services/scope.py); the
    submission already turned a relative output into a path among the organisation's uploads. In-process
    (the CLI's --local): the data directory and the allowed scan roots.
    """
    if in_job_scope():
        return current_scope()
    settings = get_settings()
    return ScanScope(None, (settings.data_dir.resolve(), *settings.allowed_scan_roots))


def resolve_output(output: object, scope: ScanScope) -> Path:
    """Resolve the output path (symlinks included) and refuse it outside `scope`."""
    if not isinstance(output, str) or not output.strip():
        raise InvalidRequestError("output must be a non-empty path string")
    if "\x00" in output:
        raise UnsafeInputError("output path contains a NUL byte")
    if len(output) > MAX_PATH_CHARS:
        raise InvalidRequestError(f"output path is longer than {MAX_PATH_CHARS} characters")
    path = Path(output).expanduser()
    if not path.is_absolute():
        if not scope.roots:
            raise UnsafeInputError("this job may write no report: it has no organisation and no scan roots")
        path = scope.roots[0] / REPORTS_SUBDIR / path
    resolved = path.resolve()
    if not in_scope(resolved, scope) or resolved in scope.roots:
        logger.warning("scanner report: refused output path outside the allowed roots: %s", output)
        raise UnsafeInputError(f"output path is outside the data directory and scan roots: {output}")
    if resolved.is_dir():
        raise InvalidRequestError(f"output path is a directory: {output}")
    resolved.parent.mkdir(parents=True, exist_ok=True)
    return resolved


def validate_results(results: object) -> list[dict[str, Any]]:
    """Check the results are scan results (scanner, summary, findings with known severities)."""
    if not isinstance(results, list) or not results:
        raise InvalidRequestError("results must be a non-empty list of scan results")
    if len(results) > MAX_RESULTS:
        raise RequestTooLargeError(f"a report takes at most {MAX_RESULTS} scan results")
    total = 0
    for index, result in enumerate(results):
        total += _check_result(index, result)
    if total > MAX_FINDINGS:
        raise RequestTooLargeError(f"a report takes at most {MAX_FINDINGS} findings (got {total})")
    return results


def _check_result(index: int, result: object) -> int:
    if not isinstance(result, dict) or not isinstance(result.get("scanner"), str):
        raise InvalidRequestError(f"results[{index}] is not a scan result (no scanner name)")
    if not isinstance(result.get("summary", {}), dict):
        raise InvalidRequestError(f"results[{index}].summary must be an object")
    findings = result.get("findings", [])
    if not isinstance(findings, list):
        raise InvalidRequestError(f"results[{index}].findings must be a list")
    for number, finding in enumerate(findings):
        _check_finding(f"results[{index}].findings[{number}]", finding)
    return len(findings)


def _check_finding(where: str, finding: object) -> None:
    if not isinstance(finding, dict) or not isinstance(finding.get("type"), str):
        raise InvalidRequestError(f"{where} is not a finding (no type)")
    if finding.get("severity") not in _SEVERITIES:
        raise InvalidRequestError(f"{where} has an unknown severity")
    if not isinstance(finding.get("location", {}), dict):
        raise InvalidRequestError(f"{where}.location must be an object")
    articles = finding.get("gdpr_articles", [])
    if not isinstance(articles, (list, tuple)) or not all(isinstance(a, str) for a in articles):
        raise InvalidRequestError(f"{where}.gdpr_articles must be a list of strings")


def _choice(request: Request, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.get(key, default)
    if value not in allowed:
        raise InvalidRequestError(f"{key} must be one of {', '.join(allowed)}")
    return str(value)


def _text(request: Request, key: str) -> str:
    value = request.get(key) or ""
    if not isinstance(value, str):
        raise InvalidRequestError(f"{key} must be a string")
    if len(value) > MAX_TEXT:
        raise InvalidRequestError(f"{key} is longer than {MAX_TEXT} characters")
    return " ".join(value.split())  # no newlines or control whitespace on the cover


def _logo(logo: object, scope: ScanScope) -> Path:
    if not isinstance(logo, str):
        raise InvalidRequestError("logo must be a path string")
    path = resolve_in_scope(logo, scope)
    if not path.is_file():
        raise InvalidRequestError(f"logo is not a file: {logo}")
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise RequestTooLargeError(f"logo is larger than {MAX_LOGO_BYTES} bytes")
    _check_image(path)
    return path


def _check_image(path: Path) -> None:
    """Refuse a logo Pillow cannot read as PNG/JPEG or whose pixel count is absurd (a pixel bomb)."""
    from PIL import Image as PILImage  # only a PDF with a logo needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as image:
                fmt, (width, height) = image.format, image.size
                image.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning):
        raise InvalidRequestError(f"logo is not a readable PNG or JPEG image: {path.name}") from None
    if fmt not in LOGO_FORMATS:
        raise InvalidRequestError(f"logo must be a PNG or JPEG image: {path.name}")
    if width * height > MAX_LOGO_PIXELS:
        raise RequestTooLargeError(f"logo has more than {MAX_LOGO_PIXELS} pixels: {path.name}")
