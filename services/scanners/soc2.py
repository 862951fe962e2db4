"""The SOC 2 scanner: Trust Services Criteria readiness from a config tree and a questionnaire.

Evidence is parsed, not grepped, from Terraform (modules, their calls and defaults, evaluated per
instance), Kubernetes manifests, Dockerfiles, CI pipelines, nginx/Apache configs and IAM policy JSON
(services/scanners/soc2_checks/), plus the code scanner's secret findings with their own severity
and confidence (documentation and expressions left out). Organisational controls (CC1-CC5 and
friends) come from the questionnaire in data/soc2_v2.yaml. Every observation passes, fails or is
not assessed (an expression the tree does not decide); every criterion gets a status (pass, fail,
manual, not_assessed) with the files behind it, every category a readiness score, and every
failure a finding.

Request: `path` (file or directory inside the allowed scan roots) and/or `answers` (question id ->
true/false); `options.code_scan` (default true) runs the code scanner for secrets in code.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from services.inputs.paths import resolve_scan_path
from services.results import Finding, Severity, build_result, status_for, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.soc2_checks import terraform
from services.scanners.soc2_checks.common import EXPRESSION, Observation, ParseError
from services.scanners.soc2_checks.registry import CHECKERS, classify
from services.scanners.soc2_checks.repository import tree_checks
from services.scanners.soc2_checks.tf_databases import CHECKOV_IDS
from utils.errors import InvalidRequestError, ScannerNotAvailableError

logger = logging.getLogger(__name__)

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
QUESTIONNAIRE_PATH = Path(__file__).parent / "data" / "soc2_v2.yaml"
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
                       ".terraform", ".tox", "vendor"})
MAX_FILE_BYTES = 2 * 1024 * 1024  # configuration files are small; larger ones are data, not config
MAX_FILES = 20_000  # evidence files read per scan; a tree beyond this is not a config repository
MAX_EVIDENCE_PER_CRITERION = 25  # the table stays readable; the findings keep every failure
MAX_NOT_ASSESSED = 500  # settings listed as not assessed; the check rows keep the full count
# secrets in documentation are samples: a guide's example password is no credential of the system
DOC_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".adoc", ".asciidoc", ".textile", ".org")
MAX_LINE_CHARS = 4096  # of a line re-read to tell a literal from an expression
STATUSES = ("pass", "fail", "manual", "not_assessed")
PARSED_CONFIDENCE = 0.9  # parsed configuration can still be overridden at deploy time
_CATEGORY_PREFIX = re.compile(r"^(CC|PI|A|C|P)\d")


class Soc2Scanner:
    """Scanner that assesses SOC 2 readiness."""

    name = "soc2"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Collect evidence from `path`, read `answers`, and report criteria, readiness and gaps."""
        started_at = utc_now_iso()
        questionnaire = _questionnaire()
        answers = validate_answers(request.get("answers", {}), questionnaire)
        code_scan = _option(request, "code_scan", True)
        if not request.get("path") and not answers:
            raise InvalidRequestError("soc2: give a path to assess, answers to the questionnaire, or both")
        evidence = _Evidence()
        if request.get("path"):
            root = resolve_scan_path(request["path"])
            _collect_files(root, evidence, progress)
            if code_scan:
                _collect_code_secrets(root, evidence, progress)
            else:
                evidence.not_assessed["secrets_in_code"] = "code scan turned off in the request"
        else:
            evidence.not_assessed.update({check: "no path given" for check in questionnaire["checks"]})
        progress(95.0, "assessing criteria")
        return _result(self.name, questionnaire, evidence, answers, started_at)


def load_questionnaire() -> dict[str, Any]:
    """The SOC 2 criteria, checks and questions (a copy the caller may change), for the UI."""
    return copy.deepcopy(_questionnaire())


@functools.lru_cache(maxsize=1)
def _questionnaire() -> dict[str, Any]:
    with QUESTIONNAIRE_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=_YAML_LOADER)
    return data


def validate_answers(answers: Any, questionnaire: dict[str, Any]) -> dict[str, bool]:
    """Check that `answers` maps known question ids to true/false (null = unanswered)."""
    if not isinstance(answers, dict):
        raise InvalidRequestError("soc2: answers must be an object of question id -> true/false")
    known = {q["id"] for q in questionnaire["questions"]}
    for question_id, value in answers.items():
        if question_id not in known:
            raise InvalidRequestError(f"soc2: unknown question {str(question_id)[:80]!r}")
        if value is not None and not isinstance(value, bool):
            raise InvalidRequestError(f"soc2: question {question_id!r} expects true or false")
    return {k: v for k, v in answers.items() if v is not None}


def _option(request: Request, name: str, default: bool) -> bool:
    options = request.get("options") or {}
    if not isinstance(options, dict):
        raise InvalidRequestError("soc2: options must be an object")
    value = options.get(name, default)
    if not isinstance(value, bool):
        raise InvalidRequestError(f"soc2: option {name} must be true or false")
    return value


class _Evidence:
    """What the scan gathered: observations, per-file errors and checks it could not run."""

    def __init__(self) -> None:
        self.observations: list[Observation] = []
        self.errors: list[dict[str, Any]] = []
        self.not_assessed: dict[str, str] = {}
        self.modules_not_read: list[dict[str, Any]] = []
        self.excluded_secrets = {"documentation": 0, "expression": 0}
        self.kinds: dict[str, int] = {}
        self.files = 0
        self.bytes = 0

    def error(self, relpath: str, message: str) -> None:
        """Record a file that could not be read; the scan goes on."""
        self.errors.append({"path": relpath, "error": message})
        logger.info("scanner soc2: skipped %s: %s", relpath, message)


# --- evidence from files ------------------------------------------------------------------------


def _collect_files(root: Path, evidence: _Evidence, progress: Progress) -> None:
    base = root if root.is_dir() else root.parent
    files = list(_walk(root, base, evidence))
    tf_files: list[tuple[Path, str]] = []
    for index, (path, relpath, kind) in enumerate(files):
        if index % 50 == 0:
            progress(5.0 + 55.0 * index / max(1, len(files)), f"reading {relpath}")
        evidence.kinds[kind] = evidence.kinds.get(kind, 0) + 1
        evidence.files += 1
        evidence.bytes += path.stat().st_size
        if kind == "terraform":
            tf_files.append((path, relpath))
            continue
        try:
            evidence.observations.extend(CHECKERS[kind](path, relpath))
        except (ParseError, OSError) as error:
            evidence.error(relpath, str(error) if isinstance(error, ParseError) else "cannot be read")
    found = terraform.check_tree(tf_files)
    evidence.observations.extend(found.observations)
    evidence.modules_not_read = found.modules_not_read
    for relpath, message in found.errors:
        evidence.error(relpath, message)
    if root.is_dir():
        observations, errors = tree_checks(root, evidence.kinds, evidence.observations)
        evidence.observations.extend(observations)
        for relpath, message in errors:
            evidence.error(relpath, message)


def _walk(root: Path, base: Path, evidence: _Evidence) -> Iterator[tuple[Path, str, str]]:
    candidates = [root] if root.is_file() else _tree_files(root)
    count = 0
    for path in candidates:
        relpath = path.relative_to(base).as_posix()
        if path.is_symlink() or not path.is_file():
            continue  # a symlink could lead outside the scan root
        kind = classify(relpath, path)
        if kind is None:
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            evidence.error(relpath, f"larger than {MAX_FILE_BYTES} bytes, not read")
            continue
        count += 1
        if count > MAX_FILES:
            evidence.error(".", f"more than {MAX_FILES} evidence files; the rest were not read")
            return
        yield path, relpath, kind


def _tree_files(root: Path) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            yield Path(directory) / name


def _collect_code_secrets(root: Path, evidence: _Evidence, progress: Progress) -> None:
    from services.scanners import get_scanner  # the registry imports this module lazily

    try:
        scanner = get_scanner("code")
    except ScannerNotAvailableError:
        evidence.not_assessed["secrets_in_code"] = "code scanner not available"
        return

    def sub_progress(percent: float, message: str) -> None:
        progress(60.0 + 0.35 * percent, f"code scan: {message}")

    result = scanner.scan({"path": str(root)}, sub_progress)
    base = root if root.is_dir() else root.parent
    secrets = [f for f in result.get("findings", []) if str(f.get("type", "")).startswith("secret.")
               and not f.get("suppressed")]
    kept = [o for f in secrets if (o := _secret_evidence(f, base, evidence)) is not None]
    evidence.observations.extend(kept)
    if not kept:
        evidence.observations.append(Observation("secrets_in_code", True, None, None,
                                                 "the code scanner found no secrets outside documentation"))


def _secret_evidence(finding: dict[str, Any], base: Path, evidence: _Evidence) -> Observation | None:
    """A code-scanner secret as SOC 2 evidence, with its severity and confidence; None when excluded."""
    location = finding.get("location") or {}
    relpath = _relative(location.get("path"), base)
    line = location.get("line")
    if relpath and relpath.lower().endswith(DOC_SUFFIXES):
        evidence.excluded_secrets["documentation"] += 1
        return None
    inside = relpath is not None and not Path(relpath).is_absolute() and ".." not in Path(relpath).parts
    if inside and isinstance(line, int) and assigns_expression(base / str(relpath), line):
        evidence.excluded_secrets["expression"] += 1
        return None
    return Observation("secrets_in_code", False, relpath, line,
                       f"{finding['type']} found by the code scanner",
                       rule=str(finding["type"]), severity=str(finding.get("severity") or "critical"),
                       confidence=_confidence(finding.get("confidence")))


def _confidence(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and 0.0 <= value <= 1.0 else 1.0


def assigns_expression(path: Path, line: int) -> bool:
    """True when the value assigned on that line is an expression (var.x, `? null : var.pw`, ${...})."""
    text = _line(path, line)
    if text is None:
        return False
    _, sep, value = _split_assignment(text)
    return bool(sep) and bool(EXPRESSION.search(value)) and not _quoted_literal(value)


def _split_assignment(text: str) -> tuple[str, str, str]:
    match = re.search(r"=>|:=|=|:", text)
    if match is None:
        return text, "", ""
    return text[:match.start()], match.group(0), text[match.end():]


def _quoted_literal(value: str) -> bool:
    # "Planted-${x}" is a template, but "Pa$$w0rd" or 'abc' without interpolation is a literal
    stripped = value.strip().rstrip(",;")
    quoted = len(stripped) > 1 and stripped[0] == stripped[-1] and stripped[0] in "\"'"
    return quoted and "${" not in stripped and "{{" not in stripped


def _line(path: Path, number: int) -> str | None:
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for index, text in enumerate(handle, 1):
                if index == number:
                    return text[:MAX_LINE_CHARS]
    except OSError:
        return None
    return None


def _relative(path: Any, base: Path) -> str | None:
    if not isinstance(path, str):
        return None
    candidate = Path(path)
    return candidate.relative_to(base).as_posix() if candidate.is_relative_to(base) else path


# --- assessment ---------------------------------------------------------------------------------


def _result(name: str, questionnaire: dict[str, Any], evidence: _Evidence, answers: dict[str, bool],
            started_at: str) -> Result:
    table = criteria_table(questionnaire, evidence.observations, evidence.not_assessed, answers)
    findings = _findings(questionnaire, evidence.observations, answers)
    soc2 = {
        "questionnaire_version": questionnaire["version"],
        "criteria": table,
        "readiness": readiness(questionnaire, table),
        "gaps": [{"criterion": row["criterion"], "title": row["title"],
                  "checks": [c["check"] for c in row["checks"] if c["status"] == "fail"],
                  "questions": [q["question"] for q in row["questions"] if q["answer"] is False]}
                 for row in table if row["status"] == "fail"],
        "files_by_kind": dict(sorted(evidence.kinds.items())),
        "not_assessed": [_evidence_row(o) for o in evidence.observations
                         if not o.assessed][:MAX_NOT_ASSESSED],
        "modules_not_read": evidence.modules_not_read,
        "secrets_excluded": dict(evidence.excluded_secrets),
    }
    # failed (not assessed) only when errors left nothing to judge: no observation and no answer
    status = status_for(len(evidence.observations) + len(answers), evidence.errors)
    logger.info("scanner soc2: %d files, %d findings, %d errors", evidence.files, len(findings),
                len(evidence.errors))
    return build_result(name, findings, started_at=started_at, items_scanned=evidence.files,
                        bytes_scanned=evidence.bytes, errors=evidence.errors, status=status,
                        extra={"soc2": soc2})


def criteria_table(questionnaire: dict[str, Any], observations: list[Observation],
                   not_assessed: dict[str, str], answers: dict[str, bool]) -> list[dict[str, Any]]:
    """One row per criterion: status, the checks and questions behind it, and evidence files."""
    rows = []
    for criterion, title in questionnaire["criteria"].items():
        checks = [c for c, spec in questionnaire["checks"].items() if criterion in spec["criteria"]]
        check_rows = [_check_row(c, observations, not_assessed) for c in checks]
        question_rows = [{"question": q["id"], "answer": answers.get(q["id"])}
                         for q in questionnaire["questions"] if criterion in q["criteria"]]
        cited = sorted((o for o in observations if o.check in checks), key=_evidence_order)
        rows.append({
            "criterion": criterion, "title": title, "category": category_of(criterion),
            "status": _criterion_status(check_rows, question_rows),
            "checks": check_rows, "questions": question_rows,
            "evidence": [_evidence_row(o) for o in cited[:MAX_EVIDENCE_PER_CRITERION]],
            "evidence_omitted": max(0, len(cited) - MAX_EVIDENCE_PER_CRITERION),
        })
    return rows


def _evidence_order(observation: Observation) -> int:
    return {"fail": 0, "not_assessed": 1, "pass": 2}[observation.status]


def _check_row(check: str, observations: list[Observation], not_assessed: dict[str, str]) -> dict[str, Any]:
    mine = [o for o in observations if o.check == check]
    failed = sum(o.failed for o in mine)
    unknown = sum(not o.assessed for o in mine)
    row: dict[str, Any] = {"check": check, "passed": len(mine) - failed - unknown, "failed": failed,
                           "not_assessed": unknown}
    if failed:
        row["status"] = "fail"
    elif check in not_assessed:
        row.update(status="not_assessed", reason=not_assessed[check])
    elif unknown:
        # a setting we could not resolve may hide a failure: no pass on partial evidence
        row.update(status="not_assessed", reason=f"{unknown} setting(s) written as expressions the tree "
                                                 "does not decide")
    else:
        row["status"] = "pass" if mine else "no_evidence"
    return row


def _criterion_status(checks: list[dict[str, Any]], questions: list[dict[str, Any]]) -> str:
    if any(c["status"] == "fail" for c in checks) or any(q["answer"] is False for q in questions):
        return "fail"
    if any(c["status"] == "not_assessed" for c in checks):
        return "not_assessed"  # a check we could not run may hide a failure: no pass on partial evidence
    if any(q["answer"] is None for q in questions):
        return "manual"
    passed = any(c["status"] == "pass" for c in checks) or any(q["answer"] for q in questions)
    return "pass" if passed else "not_assessed"


def _evidence_row(observation: Observation) -> dict[str, Any]:
    row = {"check": observation.check, "status": observation.status, "path": observation.path,
           "line": observation.line, "message": observation.message}
    if observation.rule:
        row["rule"] = observation.rule
    row.update(dict(observation.context))
    return row


def category_of(criterion: str) -> str:
    """Trust Services category of a criterion id (CC -> security, A -> availability, ...)."""
    match = _CATEGORY_PREFIX.match(criterion)
    prefix = match.group(1) if match else ""
    return {"CC": "security", "A": "availability", "C": "confidentiality",
            "PI": "processing_integrity", "P": "privacy"}.get(prefix, "security")


def readiness(questionnaire: dict[str, Any], table: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per category: criteria counted by status and score = pass / (pass + fail + manual)."""
    scores = {}
    for category in questionnaire["categories"]:
        counts = {status: 0 for status in STATUSES}
        for row in table:
            if row["category"] == category:
                counts[row["status"]] += 1
        assessed = counts["pass"] + counts["fail"] + counts["manual"]
        # not-assessed criteria are left out: no evidence is not the same as a failed control
        score = round(100 * counts["pass"] / assessed) if assessed else None
        scores[category] = {"score": score, **counts}
    return scores


def _findings(questionnaire: dict[str, Any], observations: list[Observation],
              answers: dict[str, bool]) -> list[Finding]:
    checks = questionnaire["checks"]
    findings = [_check_finding(o, checks[o.check]) for o in observations if o.failed]
    for question in questionnaire["questions"]:
        if answers.get(question["id"]) is False:
            findings.append(Finding(
                type=f"soc2.control.{question['id']}", category="soc2", severity=Severity.MEDIUM,
                confidence=1.0, location={"question": question["id"]}, evidence="answer: no",
                remediation=question["remediation"],
                explanation={"criteria": question["criteria"], "question": question["text"]}))
    return findings


def _check_finding(observation: Observation, spec: dict[str, Any]) -> Finding:
    location: dict[str, Any] = {"path": observation.path or "."}
    if observation.line:
        location["line"] = observation.line
    explanation: dict[str, Any] = {"criteria": spec["criteria"], "check": spec["en"]}
    if observation.rule:
        explanation["rule"] = observation.rule
        checkov = CHECKOV_IDS.get(observation.rule)
        if checkov:
            explanation["checkov"] = list(checkov)
    explanation.update(dict(observation.context))
    return Finding(
        type=f"soc2.{observation.check}", category="soc2",
        # evidence that comes with its own judgement (the code scanner's) keeps it
        severity=Severity(observation.severity or spec["severity"]),
        confidence=observation.confidence if observation.confidence is not None else PARSED_CONFIDENCE,
        location=location, evidence=observation.message,
        gdpr_articles=tuple(spec.get("gdpr_articles") or ()), remediation=spec["remediation"],
        explanation=explanation)
