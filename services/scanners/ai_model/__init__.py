"""The AI model scanner: unsafe model files, sensitive inputs, the EU AI Act class, model-card gaps and
bias in training data, in one assessment.

Request: `path` (a model file or a directory of them, inside the scan scope), optional `dataset` (a CSV
or Parquet file), optional `answers` (the AI Act questionnaire, services/scanners/data/ai_act_v1.yaml)
and `options`:

- `max_file_bytes` (int, DEFAULT_MAX_FILE_BYTES): larger model files are not read: `unverifiable`.
- `max_files` (int, DEFAULT_MAX_FILES): files looked at under a directory.
- `protected_attribute`, `label_column`, `prediction_column` (strings, MAX_COLUMN_CHARS): columns of
  the dataset for the fairness metrics; a protected attribute needs a label or a prediction.

Nothing is ever unpickled, no Lambda deserialised, no ONNX external data opened (pickles.py,
formats.py). Per-file problems (a 0-byte file, a truncated zip, an unknown pickle protocol, a file over
the size cap) go to `errors` and make the file `unverifiable`; the result is `degraded`, or `failed`
when no file at all could be read and nothing else was asked.

The result's own section, `ai_model`: `file_safety` (the worst verdict), `models` (per file: format,
framework, size, inputs, outputs, verdict, the analysers' words), `ai_act` (ai_act.classify), `model_card`
and `dataset` (rows, personal-data columns, the fairness table).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.inputs.files import iter_files
from services.inputs.paths import resolve_scan_path
from services.results import Finding, Severity, build_result, status_for, utc_now_iso
from services.scanners.ai_model import ai_act, dataset, formats, pickles
from services.scanners.base import Progress, Request, Result
from utils.errors import InvalidRequestError

__all__ = ["AiModelScanner", "load_questionnaire"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024  # pickles are read whole into memory for fickling
DEFAULT_MAX_FILES = 1000
MAX_COLUMN_CHARS = 200  # a column name longer than this is not a column name
MODEL_CARD_NAMES = ("model_card.md", "modelcard.md", "README.md", "readme.md")
MAX_CARD_BYTES = 1024 * 1024
HEAD_BYTES = 16
EXCLUDE_DIRS = (".git", "__pycache__", ".venv", "node_modules")


def load_questionnaire() -> dict[str, Any]:
    """The current AI Act questionnaire (the declaration's `answers` field renders it)."""
    return ai_act.load_questionnaire()


@dataclass(frozen=True)
class Options:
    """Validated request options (see the module docstring)."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_files: int = DEFAULT_MAX_FILES
    columns: dataset.Columns = dataset.Columns()

    @classmethod
    def from_request(cls, raw: object) -> Options:
        """Options from the request's `options`; InvalidRequestError names a bad one."""
        raw = {} if raw is None else raw
        if not isinstance(raw, dict):
            raise InvalidRequestError("ai_model: options must be an object")
        known = {"max_file_bytes", "max_files", "protected_attribute", "label_column", "prediction_column"}
        unknown = sorted(str(k) for k in raw if k not in known)
        if unknown:
            raise InvalidRequestError(f"ai_model: unknown options: {', '.join(unknown[:10])}")
        return cls(
            max_file_bytes=_bounded_int(raw, "max_file_bytes", DEFAULT_MAX_FILE_BYTES),
            max_files=_bounded_int(raw, "max_files", DEFAULT_MAX_FILES),
            columns=dataset.Columns(
                *(_column(raw, k) for k in ("protected_attribute", "label_column", "prediction_column"))
            ),
        )


def _bounded_int(raw: dict[str, Any], name: str, upper: int) -> int:
    value = raw.get(name, upper)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= upper:
        # a request may lower a limit, never raise it: the limits are what stop a runaway scan
        raise InvalidRequestError(f"ai_model: option {name} must be an integer from 1 to {upper}")
    return value


def _column(raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > MAX_COLUMN_CHARS
        or any(ord(c) < 32 for c in value)
    ):
        raise InvalidRequestError(
            f"ai_model: option {name} must be a column name of 1 to {MAX_COLUMN_CHARS} printable characters"
        )
    return value


@dataclass
class _Run:
    options: Options
    progress: Progress
    findings: list[Finding] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    models: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    files_read: int = 0
    bytes_read: int = 0

    def error(self, display: str, kind: str, message: str) -> None:
        """A per-item problem: recorded, and the scan goes on."""
        logger.warning("ai_model: %r: %s", display, message)
        self.errors.append({"path": display, "kind": kind, "message": message})


class AiModelScanner:
    """Assesses model files, the AI Act class, the model card and a training dataset together."""

    name = "ai_model"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Scan what the request names; see the module docstring."""
        started_at = utc_now_iso()
        options = Options.from_request(request.get("options"))
        questionnaire = ai_act.load_questionnaire()
        answers = ai_act.validate_answers(request.get("answers", {}), questionnaire)
        if options.columns.protected is None and (options.columns.label or options.columns.prediction):
            raise InvalidRequestError("ai_model: a label or prediction column needs a protected_attribute")
        if request.get("dataset") is None and options.columns != dataset.Columns():
            raise InvalidRequestError("ai_model: dataset columns are named but no dataset is given")
        root = resolve_scan_path(request.get("path"))  # type: ignore[arg-type]
        table_path = resolve_scan_path(request["dataset"]) if request.get("dataset") else None
        run = _Run(options, progress)
        progress(0.0, "listing model files")
        _scan_models(run, root)
        if not run.models:  # never an empty pass: say that nothing was there to assess
            run.error(
                root.name,
                "no_models",
                "no model file found (pickle, PyTorch, Keras, HDF5, safetensors, ONNX)",
            )
        card = _model_card(run, root)
        data_section = _scan_dataset(run, table_path) if table_path else None
        progress(95.0, "classifying under the AI Act")
        act = ai_act.classify(questionnaire, answers)
        run.findings += ai_act.act_findings(act)
        section = {
            "file_safety": pickles.worst([m["verdict"] for m in run.models]) if run.models else None,
            "models": run.models,
            "ai_act": act,
            "model_card": card,
            "dataset": data_section,
            "skipped": run.skipped,
            "notes": run.notes,
        }
        progress(100.0, f"{len(run.models)} model files, class {act['risk_class'] or 'not assessed'}")
        logger.info(
            "ai_model: %d model files, %d findings, %d errors",
            len(run.models),
            len(run.findings),
            len(run.errors),
        )
        read = run.files_read + (1 if data_section else 0) + (1 if act["assessed"] else 0)
        return build_result(
            self.name,
            run.findings,
            started_at=started_at,
            items_scanned=run.files_read,
            bytes_scanned=run.bytes_read,
            errors=run.errors,
            status=status_for(read, run.errors),
            extra={"ai_model": section},
        )


# --- model files ---------------------------------------------------------------------------------


def _scan_models(run: _Run, root: Path) -> None:
    def skipped(path: Path, reason: str) -> None:
        run.skipped.append({"path": _shown(path, root), "reason": reason})

    files = list(
        iter_files(root, exclude_dirs=EXCLUDE_DIRS, max_files=run.options.max_files + 1, on_skip=skipped)
    )
    if len(files) > run.options.max_files:
        run.skipped.append({"path": root.name, "reason": f"more than {run.options.max_files} files"})
        files = files[: run.options.max_files]
    for index, path in enumerate(files):
        run.progress(5.0 + 70.0 * index / max(len(files), 1), f"reading {_shown(path, root)}")
        _scan_model(run, path, _shown(path, root))


def _shown(path: Path, root: Path) -> str:
    return path.name if path == root else f"{root.name}/{path.relative_to(root).as_posix()}"


def _scan_model(run: _Run, path: Path, display: str) -> None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    kind = formats.sniff(path, head)
    if kind is None:
        if path.name not in MODEL_CARD_NAMES:
            run.skipped.append({"path": display, "reason": "not a model format"})
        return
    entry: dict[str, Any] = {"path": display, "kind": kind, "size": size, "verdict": "safe"}
    run.models.append(entry)
    if size == 0:
        _unverifiable(run, entry, "empty", "the file is empty (0 bytes): nothing to load or verify")
        return
    if size > run.options.max_file_bytes:
        _unverifiable(
            run, entry, "too_large", f"larger than the {run.options.max_file_bytes}-byte cap: not read"
        )
        return
    try:
        _READERS[kind](run, path, entry)
    except formats.ModelFormatError as error:
        _unverifiable(run, entry, "corrupt", str(error))
        return
    run.files_read += entry["verdict"] != "unverifiable"  # a file we could not see to its end is not assessed
    run.bytes_read += size
    _model_findings(run, entry)


def _unverifiable(run: _Run, entry: dict[str, Any], kind: str, message: str) -> None:
    run.error(entry["path"], kind, message)
    entry.update(verdict="unverifiable", reasons=[message])
    run.findings.append(_file_finding("ai.model_unverifiable", Severity.MEDIUM, entry, message))


def _read_pickle(run: _Run, path: Path, entry: dict[str, Any]) -> None:
    check = pickles.check_pickle(path.read_bytes())
    entry.update(
        format="pickle", framework=_framework(check.globals), pickles=[check.to_dict()], verdict=check.verdict
    )


def _read_numpy(run: _Run, path: Path, entry: dict[str, Any]) -> None:
    check = pickles.check_numpy(path.read_bytes())
    entry.update(
        format="numpy",
        framework="numpy",
        pickles=[check.to_dict()] if check else [],
        verdict=check.verdict if check else "safe",
    )


def _read_zip(run: _Run, path: Path, entry: dict[str, Any]) -> None:
    try:
        checks = list(pickles.check_zip(path.read_bytes(), run.options.max_file_bytes))
    except (pickles.zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise formats.ModelFormatError(f"truncated or damaged zip archive ({type(error).__name__})") from None
    names = [g for c in checks for g in c.globals]
    entry.update(
        format="zip",
        framework=_framework(names),
        pickles=[c.to_dict() for c in checks],
        verdict=pickles.worst([c.verdict for c in checks]),
    )
    if not checks:
        entry["reasons"] = ["no pickle inside the archive"]


def _framework(globals_: list[str]) -> str:
    roots = {name.split(".", 1)[0] for name in globals_}
    return next((f for f in ("torch", "sklearn", "numpy", "joblib") if f in roots), "unknown")


def _read_info(reader: Callable[[Path], formats.ModelInfo]) -> Callable[[_Run, Path, dict[str, Any]], None]:
    def read(run: _Run, path: Path, entry: dict[str, Any]) -> None:
        info = reader(path)
        entry.update(info.to_dict())
        entry["verdict"] = "unsafe" if info.lambda_layers else "safe"

    return read


_READERS: dict[str, Callable[[_Run, Path, dict[str, Any]], None]] = {
    "pickle": _read_pickle,
    "numpy": _read_numpy,
    "zip": _read_zip,
    "keras": _read_info(formats.read_keras_archive),
    "hdf5": _read_info(formats.read_hdf5),
    "keras_json": _read_info(formats.read_keras_json),
    "safetensors": _read_info(formats.read_safetensors),
    "onnx": _read_info(formats.read_onnx),
}


def _model_findings(run: _Run, entry: dict[str, Any]) -> None:
    verdict = entry["verdict"]
    stream_checks = entry.get("pickles", [])
    if stream_checks and verdict == "unsafe":
        dangerous = sorted({g for c in stream_checks for g in c["dangerous"]})
        run.findings.append(
            _file_finding(
                "ai.unsafe_model_file",
                Severity.CRITICAL,
                entry,
                f"calls {', '.join(dangerous[:5]) or 'code'} when loaded",
            )
        )
    elif stream_checks and verdict == "review":
        outside = sorted({g for c in stream_checks for g in c["outside_allow_list"]})
        run.findings.append(
            _file_finding(
                "ai.model_file_review",
                Severity.MEDIUM,
                entry,
                f"imports {', '.join(outside[:5])}, outside the allow-list",
            )
        )
    elif stream_checks and verdict == "unverifiable":
        reasons = sorted({r for c in stream_checks for r in c["reasons"]})
        run.error(entry["path"], "unverifiable", "; ".join(reasons[:3]))
        run.findings.append(
            _file_finding("ai.model_unverifiable", Severity.MEDIUM, entry, "; ".join(reasons[:3]))
        )
    for layer in entry.get("lambda_layers", []):
        run.findings.append(
            _file_finding("ai.keras_lambda", Severity.HIGH, entry, f"Lambda layer {layer[:80]!r}")
        )
    if entry.get("external_data"):
        run.findings.append(
            _file_finding(
                "ai.onnx_external_data",
                Severity.LOW,
                entry,
                f"{len(entry['external_data'])} external data location(s), not opened",
            )
        )
    for name in entry.get("inputs", []):
        _sensitive_name(run, entry["path"], name, "input")


def _file_finding(kind: str, severity: Severity, entry: dict[str, Any], evidence: str) -> Finding:
    from services.detection.types import type_info

    info = type_info(kind)
    return Finding(
        type=kind,
        category="ai",
        severity=severity,
        confidence=1.0,
        location={"path": entry["path"]},
        evidence=evidence[:300],
        gdpr_articles=info.articles,
        remediation=info.remediation,
        explanation={"verdict": entry["verdict"]},
    )


def _sensitive_name(run: _Run, display: str, name: str, where: str) -> None:
    found = formats.sensitive_attribute(name)
    if found is None:
        return
    from services.detection.types import type_info

    attribute, special = found
    info = type_info("ai.sensitive_input")
    articles = info.articles + (("GDPR Art. 9(1)",) if special else ())
    run.findings.append(
        Finding(
            type="ai.sensitive_input",
            category="ai",
            severity=Severity.HIGH if special else Severity.MEDIUM,
            confidence=0.8,
            location={"path": display, where: name[:200]},
            evidence=f"{where} {name[:80]!r} names {attribute.replace('_', ' ')}",
            gdpr_articles=articles,
            remediation=info.remediation,
            explanation={"attribute": attribute, "special_category": special},
        )
    )


# --- model card ----------------------------------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$|^([A-Za-z_][\w -]*):", re.MULTILINE)


def _model_card(run: _Run, root: Path) -> dict[str, Any]:
    """Which items of the documented checklist the model card covers (a directory's card only)."""
    checklist = ai_act.load_questionnaire()["model_card"]
    if not root.is_dir():
        return {"checked": False, "reason": "a single file was scanned: no model card to read"}
    card = next(
        (root / n for n in MODEL_CARD_NAMES if (root / n).is_file() and not (root / n).is_symlink()), None
    )
    if card is None:
        run.findings.append(_card_finding("ai.model_card_missing", root.name, [i["id"] for i in checklist]))
        return {"checked": True, "file": None, "covered": [], "missing": [i["id"] for i in checklist]}
    with card.open("rb") as handle:
        text = handle.read(MAX_CARD_BYTES).decode("utf-8", "replace")
    headings = " | ".join(m.group(1) or m.group(2) for m in _HEADING.finditer(text)).lower()
    covered = [i["id"] for i in checklist if any(word in headings for word in i["words"])]
    missing = [i["id"] for i in checklist if i["id"] not in covered]
    if missing:
        run.findings.append(_card_finding("ai.model_card_incomplete", f"{root.name}/{card.name}", missing))
    return {"checked": True, "file": card.name, "covered": covered, "missing": missing}


def _card_finding(kind: str, display: str, missing: list[str]) -> Finding:
    from services.detection.types import type_info

    info = type_info(kind)
    return Finding(
        type=kind,
        category="ai",
        severity=info.severity,
        confidence=1.0,
        location={"path": display},
        evidence=f"missing: {', '.join(missing)}",
        gdpr_articles=info.articles,
        remediation=info.remediation,
        explanation={"missing": missing},
    )


# --- dataset -------------------------------------------------------------------------------------


def _scan_dataset(run: _Run, path: Path) -> dict[str, Any]:
    display = path.name
    if path.suffix.lower() not in dataset.SUFFIXES or not path.is_file():
        raise InvalidRequestError(f"ai_model: the dataset must be a {' or '.join(dataset.SUFFIXES)} file")
    run.progress(80.0, f"reading dataset {display}")
    started = time.monotonic()
    if path.stat().st_size > run.options.max_file_bytes:  # one CSV line may be the whole file: cap the bytes
        run.error(display, "too_large", f"larger than the {run.options.max_file_bytes}-byte cap: not read")
        return {"path": display, "read": False}
    try:
        frame = dataset.read_table(path)
    except dataset.DatasetError as error:
        run.error(display, "corrupt", str(error))
        return {"path": display, "read": False}
    dataset.check_columns(frame, run.options.columns)
    for column in frame.columns:
        _sensitive_name(run, display, str(column), "column")
    run.progress(85.0, f"looking for personal data in {display}")
    found = dataset.personal_data(
        path, frame, display, lambda text: run.notes.append({"path": display, "note": text})
    )
    run.findings += found
    run.progress(90.0, f"measuring outcome differences in {display}")
    fairness = dataset.fairness(frame, run.options.columns)
    run.findings += dataset.bias_findings(fairness, display)
    return {
        "path": display,
        "read": True,
        "rows": len(frame),
        "columns": len(frame.columns),
        "personal_data_columns": sorted(
            {str(f.location.get("column")) for f in found if f.location.get("column")}
        ),
        "fairness": fairness,
        "seconds": round(time.monotonic() - started, 2),
    }
