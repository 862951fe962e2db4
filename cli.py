"""`python cli.py scan SCANNER [TARGET ...]`: run a DataGuardian Pro scan from a shell or a CI pipeline.

`python cli.py hook [--baseline FILE] FILE ...` is the pre-commit hook (.pre-commit-hooks.yaml): the
code scanner, in this process, over the named files of the repository in the working directory (the
staged files pre-commit passes), each found under its path in the repository so a baseline made by a
full scan and the `.dgignore` file match; masked findings at or above `--fail-on` (default high) are
listed one per line and fail it.

Two ways to run, same output:
- `--local` runs the scanner in this process (services.scanners.get_scanner), no server needed;
- otherwise the scan goes to a running platform over the REST API (`--api-url`/`--api-key`, default
  DG_API_URL/DG_API_KEY): the target is uploaded (a directory as a tar.gz), the job submitted and
  polled, then the report downloaded.

The report (json, csv, sarif or pdf; evidence is always masked) goes to stdout or `--output`;
progress and the summary go to stderr. The `report` scanner renders result JSON files in-process in
both modes: it needs no platform and has nothing to upload.

Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or input error, 3 platform unreachable
(or the platform could not finish the scan). Ctrl-C cancels a remote scan and exits 130. A scan that
could not read its input (status `failed`: a bomb, a corrupt file, a repository that cannot be cloned)
is not assessed: its report is still written, and the exit code is 2 whatever `--fail-on` says, so a
pipeline never passes on input that was never read. A `degraded` scan (part of its input unread) exits
by its findings like a completed one, with a warning naming how many items were not read.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from services import scanners
from services.results import ResultStatus, Severity, is_assessed
from services.scanners.declaration import ScannerDeclaration
from utils.config import get_settings
from utils.errors import DataGuardianError, TargetUnavailableError

if TYPE_CHECKING:  # imported where used: a local scan in a pre-commit hook should not pay for HTTP
    import requests

log = logging.getLogger("cli")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("json", "csv", "sarif", "pdf")
SEVERITIES = tuple(s.value for s in Severity)  # most severe first
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
DSN_SHAPE = re.compile(r"^(postgresql|postgres|mysql|mariadb|sqlite)://", re.IGNORECASE)  # else a local file
URL_SHAPE = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:")  # scheme://… or git@host:org/repo
EXCLUDED_DIRS = frozenset({".git"})  # history is not uploaded: a code scan of history takes a git URL
POLL_INTERVAL_S = 0.5
HTTP_TIMEOUT_S = 60.0  # an upload of a few hundred MB over a slow link still fits; a dead host fails fast
CONNECT_TIMEOUT_S = 5.0
PROGRESS_EVERY_S = 0.5  # local scans report per file: one stderr line per half second is plenty
JSON_REPORT_FORMAT = "dataguardian-report"  # services/exports/json_export.py's envelope
HOOK_FAIL_ON = "high"  # a commit is stopped for what fails a CI gate at --fail-on high, not for notes
TERMINAL_STATES = ("succeeded", "failed", "timed_out", "cancelled", "dead")
UNFINISHED_IS_UNREACHABLE = ("timed_out", "dead")  # the platform, not the input, could not finish


class CliError(Exception):
    """A failure the user can act on: a message for stderr and the exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 through CliError, so usage errors share one path."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see --help)")


# --- arguments ------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The command line: `scan SCANNER [TARGET ...]` with its options, the scanners from the registry."""
    parser = _Parser(prog="python cli.py", description="DataGuardian Pro command line")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    scan = commands.add_parser("scan", help="run a scan and write its report", epilog=_scanners_help(),
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    scan.add_argument("scanner", choices=scanners.scanner_names(), metavar="SCANNER",
                      help="one of the scanners below")
    scan.add_argument("targets", nargs="*", metavar="TARGET", help="what to scan (see each scanner below)")
    scan.add_argument("--format", choices=FORMATS, default="json", help="report format (default json)")
    scan.add_argument("--fail-on", choices=SEVERITIES, help="exit 1 when a finding is at least this severe")
    scan.add_argument("--output", type=Path, help="write the report here instead of stdout")
    scan.add_argument("--language", choices=("en", "nl"), default="en")
    scan.add_argument("--answers", type=Path, help="questionnaire answers (YAML or JSON) for "
                      f"{_questionnaire_scanners()}")
    scan.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                      help="scanner option; VALUE is read as JSON when it parses (true, 3, [..]); a token or "
                           "password option also takes env:NAME, read from the environment")
    scan.add_argument("--local", action="store_true", help="run in this process, without a platform")
    scan.add_argument("--api-url", help="platform API, e.g. https://dg.example/api/v1 (default DG_API_URL)")
    scan.add_argument("--api-key", help="API key (default DG_API_KEY)")
    scan.add_argument("--server-path", action="store_true",
                      help="remote: TARGET is already a path on the platform's host; do not upload it")
    scan.add_argument("--timeout", type=float, help="remote: seconds to wait for the scan (default: job "
                      "timeout x attempts)")
    hook = commands.add_parser("hook", help="pre-commit: the code scanner over the named files of the "
                               "repository in the working directory")
    hook.add_argument("files", nargs="*", metavar="FILE", help="files relative to the working directory")
    hook.add_argument("--baseline", type=Path, help="accepted findings: a JSON report or result of an "
                      "earlier code scan of the repository, or a list of fingerprints")
    hook.add_argument("--fail-on", choices=SEVERITIES, default=HOOK_FAIL_ON,
                      help=f"exit 1 when a finding is at least this severe (default {HOOK_FAIL_ON})")
    return parser


def _scanners_help() -> str:
    """One entry per registered scanner: what it finds, what TARGET it takes, its options."""
    lines = ["scanners:"]
    for name in scanners.scanner_names():
        declaration = scanners.declaration(name)
        reason = declaration.unavailable_because()
        lines.append(f"  {name:10} {declaration.summary}{f' ({reason})' if reason else ''}")
        lines.append(f"  {'':10} TARGET: {_target_words(declaration)}")
        if declaration.options:
            lines.append(f"  {'':10} --option: {', '.join(f.name for f in declaration.options)}")
    return "\n".join(lines)


def _target_words(declaration: ScannerDeclaration) -> str:
    if declaration.fields_of("results"):
        return "one or more result JSON files (rendered here, no platform needed)"
    words = [_TARGET_WORDS.get((f.kind, f.upload), f.label.lower()) for f in _target_fields(declaration)]
    if not words:
        return "none" + (" (--answers FILE)" if declaration.fields_of("questionnaire") else "")
    optional = declaration.any_of and any(f.kind == "questionnaire" for f in declaration.fields)
    return " or ".join(words) + (", and/or --answers FILE" if optional else "")


_TARGET_WORDS = {("path", "archive"): "an archive (zip, tar)", ("path", None): "a directory or file",
                 ("path", "file"): "a file, directory or archive", ("path", "tree"): "a directory",
                 ("url", None): "a URL", ("dsn", None): "a connection string"}


def _questionnaire_scanners() -> str:
    names = scanners.with_fields(("questionnaire",))
    listed = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)
    return f"{listed} scanners"


def parse_options(pairs: Sequence[str], secret: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`--option k=v` pairs as a dict; values are JSON when they parse, else strings. A `secret` option is
    a string as given, or `env:NAME` read from the environment (a command line is visible to `ps`)."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--option must look like KEY=VALUE, got {pair!r}")
        if key.strip() in secret:
            options[key.strip()] = _secret_value(key.strip(), raw)
            continue
        try:
            options[key.strip()] = json.loads(raw)
        except ValueError:
            options[key.strip()] = raw
    return options


def _secret_value(key: str, raw: str) -> str:
    if not raw.startswith("env:"):
        return raw
    value = os.environ.get(raw[4:])
    if value is None:
        raise CliError(f"--option {key}={raw}: the environment has no {raw[4:]}")
    return value


def load_answers(path: Path | None) -> dict[str, Any] | None:
    """Questionnaire answers from a YAML or JSON file (JSON is YAML)."""
    if path is None:
        return None
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read --answers file {path}: {error.strerror}") from None
    except yaml.YAMLError:
        raise CliError(f"--answers file {path} is not valid YAML or JSON") from None
    if not isinstance(data, dict):
        raise CliError(f"--answers file {path} must hold a mapping of question ids to answers")
    return data


# --- requests -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A scan input as the scanner will see it: its path there, and whether it is an archive."""

    path: str
    archive: bool


Locate = Callable[[Path], Source]


def build_request(args: argparse.Namespace, locate: Locate) -> dict[str, Any]:
    """The scanner's request from the command line, shaped by its declaration; `locate` turns a local
    path into the path the scanner will read."""
    declaration = scanners.declaration(args.scanner)
    targets = list(args.targets)
    request: dict[str, Any] = {}
    questionnaire = next(iter(declaration.fields_of("questionnaire")), None)
    if args.answers is not None and questionnaire is None:
        raise CliError(f"--answers is for the {_questionnaire_scanners()}")
    answers = load_answers(args.answers)
    if answers is not None and questionnaire is not None:
        request[questionnaire.name] = answers
    if args.option:
        request["options"] = parse_options(args.option,
                                           frozenset(f.name for f in declaration.options if f.secret))
    fields = _target_fields(declaration)
    if not fields or (not targets and questionnaire is not None and questionnaire.name in declaration.any_of):
        _expect(targets, 0, f"{declaration.name} takes no TARGET, only --answers FILE")
        if answers is None:
            needs = " or ".join(["a TARGET"] * bool(fields) + ["--answers FILE (the questionnaire answers)"])
            raise CliError(f"{declaration.name} needs {needs}")
        return request
    _expect(targets, 1, f"{declaration.name} takes exactly one TARGET")
    request.update(_target_request(declaration, fields, targets[0], locate))
    return request


def _target_fields(declaration: ScannerDeclaration) -> tuple[Any, ...]:
    """The fields a TARGET can fill: the scanner's main path, URL or DSN (not a logo or a dataset)."""
    main = set(declaration.one_of) | set(declaration.any_of)
    return tuple(f for f in declaration.fields_of("path", "url", "dsn") if f.required or f.name in main)


def _expect(targets: list[str], count: int, message: str) -> None:
    if len(targets) != count:
        raise CliError(message)


def _target_request(declaration: ScannerDeclaration, fields: tuple[Any, ...], target: str,
                    locate: Locate) -> dict[str, Any]:
    by_kind = {kind: [f for f in fields if f.kind == kind] for kind in ("path", "url", "dsn")}
    if by_kind["dsn"] and (DSN_SHAPE.match(target) or not by_kind["path"]):
        return {by_kind["dsn"][0].name: target}
    if by_kind["url"] and (URL_SHAPE.match(target) or not by_kind["path"]):
        return {by_kind["url"][0].name: target}
    source = locate(Path(target).expanduser())
    archive = next((f for f in by_kind["path"] if f.upload == "archive"), None)
    if source.archive and archive is not None:
        return {archive.name: source.path}
    field = next(f for f in by_kind["path"] if f.upload != "archive")
    if field.upload == "tree" and source.archive:
        raise CliError(f"{declaration.name} reads a directory tree, not an archive: run it with --local, or "
                       "name a directory on the platform's host with --server-path")
    return {field.name: source.path}


def existing(path: Path) -> Path:
    """The path, if it exists here; else a usage error naming it."""
    if not path.exists():
        raise CliError(f"{path}: no such file or directory")
    return path


def is_archive(path: Path) -> bool:
    """True for a file whose name says zip or tar archive."""
    return path.is_file() and path.name.lower().endswith(ARCHIVE_SUFFIXES)


# --- results --------------------------------------------------------------------------------------

def failing_findings(results: Sequence[dict[str, Any]], fail_on: str | None) -> int:
    """How many (unsuppressed) findings are at or above the `fail_on` severity."""
    if fail_on is None:
        return 0
    threshold = SEVERITIES.index(fail_on)
    return sum(1 for result in results for f in result.get("findings") or []
               if not f.get("suppressed") and f.get("severity") in SEVERITIES
               and SEVERITIES.index(f["severity"]) <= threshold)


def describe(result: dict[str, Any]) -> str:
    """One line for stderr: scanner, status, findings by severity, score (or why there is none)."""
    summary = result.get("summary") or {}
    counts = summary.get("findings_by_severity") or {}
    by_severity = ", ".join(f"{s} {counts[s]}" for s in SEVERITIES if counts.get(s))
    findings = len(result.get("findings") or [])
    return (f"{result.get('scanner')} scan {result.get('status')}: {findings} findings"
            f"{f' ({by_severity})' if by_severity else ''}, {_score_words(result)}")


def files_written(result: dict[str, Any]) -> list[str]:
    """One line per file the scan wrote (a redacted copy): where it is, or how to download it."""
    listed = result.get("artifacts")
    if not isinstance(listed, list):
        return []
    lines = []
    for index, entry in enumerate(listed):
        if isinstance(entry, dict):
            what = str(entry.get("kind") or "file").replace("_", " ")
            where = entry.get("path") if result.get("job_id") is None else \
                f"GET /scans/{result['job_id']}/artifacts/{index}"
            lines.append(f"  {what} of {entry.get('of')}: {where}")
    return lines


def _score_words(result: dict[str, Any]) -> str:
    unread = len(result.get("errors") or [])
    if not is_assessed(result):
        return f"not assessed (its input could not be read: {unread} errors)"
    score = (result.get("summary") or {}).get("compliance_score")
    if result.get("status") == ResultStatus.DEGRADED.value:
        return f"compliance score {score}, partial ({unread} items could not be read)"
    return f"compliance score {score}"


def render(results: list[dict[str, Any]], fmt: str, language: str) -> bytes:
    """The report of one or more results, rendered in-process (nothing written to disk)."""
    from services.scanners import report

    spec = report.ReportRequest(results=report.validate_results(results), format=fmt, language=language,
                                output=Path(os.devnull), organisation="", title="", logo=None)
    data, _pages = report.render(spec, lambda percent, message: None)
    return data


def write_output(data: bytes, output: Path | None, stdout: IO[bytes]) -> None:
    """The report to --output (atomically) or stdout."""
    if output is None:
        stdout.write(data)
        stdout.flush()
        return
    try:
        with tempfile.NamedTemporaryFile(dir=output.resolve().parent, prefix=f".{output.name}.",
                                         delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, output)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror}") from None


class ProgressPrinter:
    """progress(percent, message) to stderr, at most one line per PROGRESS_EVERY_S (always the last)."""

    def __init__(self, stream: IO[str], every_s: float = PROGRESS_EVERY_S) -> None:
        self.stream = stream
        self.every_s = every_s
        self._last_at = float("-inf")
        self._last: tuple[float, str] | None = None

    def __call__(self, percent: float, message: str) -> None:
        now = time.monotonic()
        if (percent, message) == self._last or (now - self._last_at < self.every_s and percent < 100):
            return
        self._last, self._last_at = (percent, message), now
        print(f"[{percent:5.1f}%] {message}", file=self.stream, flush=True)


# --- local ----------------------------------------------------------------------------------------

def run_local(args: argparse.Namespace, progress: ProgressPrinter) -> list[dict[str, Any]]:
    """Run the scanner in this process; the results to report on."""
    if renders_results(args.scanner):
        return load_results(args.targets)
    try:
        scanner = scanners.get_scanner(scanners.require_available(args.scanner).name)
    except DataGuardianError as error:
        raise CliError(str(error)) from None
    request = build_request(args, _allow_locally)
    try:
        return [scanner.scan(request, progress)]
    except TargetUnavailableError as error:
        raise CliError(str(error), EXIT_UNREACHABLE) from None
    except DataGuardianError as error:
        raise CliError(str(error)) from None


def renders_results(scanner: str) -> bool:
    """True for a scanner that renders results (the report scanner): the CLI does it in-process."""
    return bool(scanners.declaration(scanner).fields_of("results"))


def _allow_locally(path: Path) -> Source:
    """Make the target's directory a scan root of this process, so the scanner's sandbox admits it.

    The platform confines scans to DG_SCAN_ROOTS because requests come from elsewhere; a local run
    scans what its own user names. Settings are read from the environment once, so the root is added
    there and the cached settings dropped before the scanner first reads them.
    """
    resolved = existing(path).resolve()
    root = resolved if resolved.is_dir() else resolved.parent
    roots = [str(r) for r in get_settings().scan_roots]
    os.environ["DG_SCAN_ROOTS"] = os.pathsep.join([*roots, str(root)])
    get_settings.cache_clear()
    return Source(str(resolved), is_archive(resolved))


def load_results(files: Sequence[str]) -> list[dict[str, Any]]:
    """Scan results from JSON files: a result, a list of them, or a JSON report, per file."""
    if not files:
        raise CliError("report needs one or more result JSON files as TARGET")
    results: list[dict[str, Any]] = []
    for name in files:
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except OSError as error:
            raise CliError(f"cannot read {name}: {error.strerror}") from None
        except ValueError:
            raise CliError(f"{name} is not JSON (expected a scan result)") from None
        results.extend(_results_in(data))
    return results


def _results_in(data: Any) -> list[Any]:
    """A result, a list of results, or our own JSON report (`--format json`) holding `results`."""
    if isinstance(data, dict) and data.get("format") == JSON_REPORT_FORMAT:
        return list(data.get("results") or [])
    return data if isinstance(data, list) else [data]


# --- remote ---------------------------------------------------------------------------------------

class Api:
    """The platform's REST API with one API key; failures become CliErrors with the right exit code."""

    def __init__(self, base_url: str, key: str) -> None:
        import requests

        base = base_url.rstrip("/")
        self.base = base if base.endswith("/api/v1") else base + "/api/v1"
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {key}", "User-Agent": "dataguardian-cli"})

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request; raise CliError unless it answered 2xx."""
        import requests

        try:
            response = self.http.request(method, self.base + path,
                                         timeout=(CONNECT_TIMEOUT_S, HTTP_TIMEOUT_S), **kwargs)
        except requests.RequestException as error:
            raise CliError(f"platform unreachable at {self.base} ({type(error).__name__})",
                           EXIT_UNREACHABLE) from None
        if response.status_code >= 400:
            raise _api_error(response)
        return response

    def close(self) -> None:
        self.http.close()


def _api_error(response: requests.Response) -> CliError:
    try:
        error = response.json()["error"]
        message = f"{error['message']} (HTTP {response.status_code} {error['code']})"
    except (ValueError, KeyError, TypeError):
        message = f"the platform answered HTTP {response.status_code}"
    code = EXIT_UNREACHABLE if response.status_code >= 500 else EXIT_USAGE
    if response.status_code == 401:
        message = "the platform refused the API key (HTTP 401): check --api-key / DG_API_KEY"
    return CliError(message, code)


def run_remote(args: argparse.Namespace, progress: ProgressPrinter) -> tuple[list[dict[str, Any]], bytes]:
    """Submit the scan to the platform, follow it, and fetch its result and report."""
    settings = get_settings()
    key = args.api_key or settings.api_key
    if not key:
        raise CliError("remote scans need --api-key or DG_API_KEY (or run with --local)")
    api = Api(args.api_url or settings.api_url or f"http://{settings.bind_host}:{settings.api_port}", key)
    try:
        locate = _server_path if args.server_path else (lambda path: _upload(api, path))
        request = build_request(args, locate)
        submitted = api.call("POST", "/scans", json={"scanner": args.scanner, "request": request})
        job_id = submitted.json()["job_id"]
        print(f"submitted {args.scanner} scan {job_id}", file=progress.stream, flush=True)
        _follow(api, job_id, progress, args.timeout or settings.job_timeout_s * settings.max_attempts + 60)
        result = api.call("GET", f"/scans/{job_id}/result").json()
        report = api.call("GET", f"/scans/{job_id}/report",
                          params={"format": args.format, "language": args.language}).content
        return [result], report
    finally:
        api.close()


def _server_path(path: Path) -> Source:
    """--server-path: the platform reads the path itself; an archive is told apart by its name."""
    return Source(str(path), path.name.lower().endswith(ARCHIVE_SUFFIXES))


def _upload(api: Api, path: Path) -> Source:
    """Upload a file, or a directory as a tar.gz; the server path the scan request names."""
    with _upload_body(existing(path)) as (name, body):
        reply = api.call("POST", "/uploads", files={"file": (name, body)}).json()
    return Source(reply["upload"], path.is_dir() or is_archive(path))


@contextmanager
def _upload_body(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    if path.is_file():
        with open(path, "rb") as handle:
            yield path.name, handle
        return
    import tarfile

    with tempfile.TemporaryFile() as spool:
        with tarfile.open(fileobj=spool, mode="w:gz") as archive:
            archive.add(path, arcname=path.resolve().name or "upload",
                        filter=lambda info: None if Path(info.name).name in EXCLUDED_DIRS else info)
        spool.seek(0)
        yield f"{path.resolve().name or 'upload'}.tar.gz", spool


def _follow(api: Api, job_id: str, progress: ProgressPrinter, timeout_s: float) -> None:
    """Poll the job until it ends, printing its progress; Ctrl-C cancels it on the platform."""
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            status = api.call("GET", f"/scans/{job_id}").json()
            progress(float(status.get("percent") or 0.0), f"{status['state']}: {status.get('message') or ''}")
            if status["state"] in TERMINAL_STATES:
                break
            if time.monotonic() > deadline:
                raise CliError(f"scan {job_id} did not finish within {timeout_s:.0f} s", EXIT_UNREACHABLE)
            time.sleep(POLL_INTERVAL_S)
    except KeyboardInterrupt:
        api.call("DELETE", f"/scans/{job_id}")
        raise CliError(f"interrupted: scan {job_id} cancelled", EXIT_INTERRUPTED) from None
    if status["state"] != "succeeded":
        code = EXIT_UNREACHABLE if status["state"] in UNFINISHED_IS_UNREACHABLE else EXIT_USAGE
        raise CliError(f"scan {job_id} {status['state']}: {status.get('message') or 'no message'}", code)


# --- pre-commit hook ------------------------------------------------------------------------------

def hook(args: argparse.Namespace, stdout: IO[bytes], stderr: IO[str]) -> int:
    """Scan the named files as the code scanner scans them in the repository; the exit code."""
    root = Path.cwd().resolve()
    names = in_repository(root, args.files, stderr)
    if not names:
        return EXIT_CLEAN
    options = {"baseline": sorted(baseline_fingerprints(args.baseline))} if args.baseline else {}
    with tempfile.TemporaryDirectory(prefix="dg-hook-") as tmp:
        mirror = copy_into(root, names, Path(tmp))
        _allow_locally(mirror)
        try:
            result = scanners.get_scanner("code").scan({"path": str(mirror), "options": options},
                                                      lambda percent, message: None)
        except DataGuardianError as error:
            raise CliError(str(error)) from None
    stdout.write("".join(f"{line}\n" for line in alert_lines(result, args.fail_on)).encode())
    stdout.flush()
    return _exit_code([result], args.fail_on, stderr)


def copy_into(root: Path, names: list[str], mirror: Path) -> Path:
    """A tree of just these files (and the repository's .dgignore) under their repository paths.

    The scanner reads a tree: this one keeps display paths, and so fingerprints, as a full scan of
    the repository has them. A file the scanner would skip for its size is not copied at all.
    """
    from services.scanners.code.scanner import IGNORE_FILE, MAX_FILE_BYTES

    ignore = root / IGNORE_FILE
    extra = [IGNORE_FILE] if ignore.is_file() and not ignore.is_symlink() else []
    for name in names + extra:
        source = root / name
        if source.stat().st_size > MAX_FILE_BYTES:
            continue
        target = mirror / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return mirror


def in_repository(root: Path, files: Sequence[str], stderr: IO[str]) -> list[str]:
    """The named regular files inside `root` as repository paths; others are passed over, with a word."""
    names: list[str] = []
    for name in files:
        path = root / name
        resolved = path.resolve()
        if path.is_symlink() or not resolved.is_file():
            continue  # a link is not followed (as in a tree scan); a deleted file has nothing to scan
        if not resolved.is_relative_to(root):
            print(f"warning: {name} is outside {root}: not scanned", file=stderr)
            continue
        names.append(resolved.relative_to(root).as_posix())
    return sorted(set(names))


def baseline_fingerprints(path: Path) -> set[str]:
    """Fingerprints of every finding in a baseline file (a JSON report, results, or fingerprints)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read baseline {path}: {error.strerror}") from None
    except ValueError:
        raise CliError(f"baseline {path} is not JSON") from None
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        return set(data)
    found = {f.get("fingerprint") for r in _results_in(data) if isinstance(r, dict)
             for f in r.get("findings") or [] if isinstance(f, dict)}
    return {f for f in found if isinstance(f, str)}


def alert_lines(result: dict[str, Any], fail_on: str) -> list[str]:
    """`path:line: severity type evidence` of each unsuppressed finding at or above `fail_on` (masked)."""
    threshold = SEVERITIES.index(fail_on)
    return [f"{f['location'].get('path')}:{f['location'].get('line')}: {f['severity']} {f['type']} "
            f"{f.get('evidence', '')}" for f in result.get("findings") or []
            if not f.get("suppressed") and SEVERITIES.index(f["severity"]) <= threshold]


# --- entry ----------------------------------------------------------------------------------------

def scan(args: argparse.Namespace, stdout: IO[bytes], stderr: IO[str]) -> int:
    """Run one scan command; the exit code."""
    progress = ProgressPrinter(stderr)
    if args.local or renders_results(args.scanner):
        results = run_local(args, progress)
        data = _render_or_refuse(results, args.format, args.language)
    else:
        results, data = run_remote(args, progress)
    write_output(data, args.output, stdout)
    for result in results:
        print(describe(result), file=stderr)
        for line in files_written(result):
            print(line, file=stderr)
    return _exit_code(results, args.fail_on, stderr)


def _exit_code(results: list[dict[str, Any]], fail_on: str | None, stderr: IO[str]) -> int:
    """Input that was never read comes first: it can neither pass a gate nor be called clean."""
    failing = failing_findings(results, fail_on)
    unassessed = sum(not is_assessed(result) for result in results)
    if unassessed:
        print(f"error: {unassessed} scans not assessed: their input could not be read"
              f"{f' ({failing} findings at or above {fail_on} in what was read)' if failing else ''}",
              file=stderr)
        return EXIT_USAGE
    if failing:
        print(f"{failing} findings at or above {fail_on}: failing", file=stderr)
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _render_or_refuse(results: list[dict[str, Any]], fmt: str, language: str) -> bytes:
    try:
        return render(results, fmt, language)
    except DataGuardianError as error:  # e.g. a report TARGET that is JSON but not a scan result
        raise CliError(str(error)) from None


def main(argv: Sequence[str] | None = None, stdout: IO[bytes] | None = None,
         stderr: IO[str] | None = None) -> int:
    """Parse the command line and run it; the process exit code."""
    stderr = stderr or sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        args = build_parser().parse_args(argv)
        if args.command == "hook":
            return hook(args, stdout or sys.stdout.buffer, stderr)
        return scan(args, stdout or sys.stdout.buffer, stderr)
    except CliError as error:
        print(f"error: {error}", file=stderr)
        return error.code


if __name__ == "__main__":
    raise SystemExit(main())
