"""SARIF 2.1.0 export of code findings, for GitHub code scanning and IDE viewers.

One scan result becomes one run: a rule per finding type, a result per finding with its file and
1-based start line, the masked evidence in the message, the fingerprint as a partial fingerprint and
suppressed findings carrying a SARIF suppression. Findings without a path (urls, tables) keep their
location as a logical location so nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from services.exports.common import (
    column_count,
    column_name,
    is_column_finding,
    location_text,
    public_finding,
    public_summary,
    severity_rank,
)

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "DataGuardian Pro"
TOOL_VERSION = "0.1.0"
FINGERPRINT_KEY = "dataguardianFingerprint/v1"
# SARIF has three result levels; critical and high both block, medium warns, the rest inform
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
NOT_ASSESSED_TEXT = "not assessed: the scan could not read its input, so it has no compliance score"
# GitHub code scanning reads a 0.0-10.0 `security-severity` to rank alerts
SARIF_ROWS = 1000  # rows of a column finding listed in its properties (its count says how many in all)
SECURITY_SEVERITY = {"critical": "9.5", "high": "7.5", "medium": "5.0", "low": "2.0", "info": "0.0"}


def to_sarif(result: dict[str, Any]) -> dict[str, Any]:
    """A SARIF 2.1.0 log (as a dict) with one run holding the findings of `result`."""
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run(result)]}


def to_sarif_log(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run per scan result."""
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run(r) for r in results]}


def sarif_run(result: dict[str, Any]) -> dict[str, Any]:
    """One SARIF run: tool with its rules, results and the invocation outcome."""
    findings = [public_finding(f) for f in result.get("findings") or ()]
    rules, index = _rules(findings)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": TOOL_NAME, "semanticVersion": TOOL_VERSION, "version": TOOL_VERSION, "rules": rules,
        }},
        "results": [_result(finding, index) for finding in findings],
        "invocations": [_invocation(result)],
        "properties": {"scanner": result.get("scanner", ""), "summary": _summary(result)},
    }
    if result.get("job_id"):
        run["automationDetails"] = {"id": f"{result.get('scanner', 'scan')}/{result['job_id']}"}
    return run


def _rules(findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    worst: dict[str, dict[str, Any]] = {}
    for finding in findings:
        kind = str(finding.get("type") or "unknown")
        current = worst.get(kind)
        if current is None or severity_rank(finding.get("severity", "")) < severity_rank(current["severity"]):
            worst[kind] = finding
    rules = [_rule(kind, worst[kind]) for kind in sorted(worst)]
    return rules, {rule["id"]: position for position, rule in enumerate(rules)}


def _rule(kind: str, finding: dict[str, Any]) -> dict[str, Any]:
    severity = str(finding.get("severity") or "info")
    articles = finding.get("gdpr_articles") or []
    description = f"{finding.get('category') or 'finding'}: {kind}"
    rule: dict[str, Any] = {
        "id": kind,
        "name": "".join(part.capitalize() for part in kind.replace(".", "_").split("_")),
        "shortDescription": {"text": description},
        "fullDescription": {"text": description + (f" ({', '.join(articles)})" if articles else "")},
        "defaultConfiguration": {"level": LEVELS.get(severity, "note")},
        "properties": {
            "tags": ["privacy", str(finding.get("category") or "finding"), *articles],
            "security-severity": SECURITY_SEVERITY.get(severity, "0.0"),
        },
    }
    if finding.get("remediation"):
        rule["help"] = {"text": str(finding["remediation"])}
    return rule


def _result(finding: dict[str, Any], index: dict[str, int]) -> dict[str, Any]:
    kind = str(finding.get("type") or "unknown")
    severity = str(finding.get("severity") or "info")
    row: dict[str, Any] = {
        "ruleId": kind,
        "ruleIndex": index[kind],
        "level": LEVELS.get(severity, "note"),
        "message": {"text": _message(finding)},
        "locations": [_location(finding["location"])],
        "properties": {
            "severity": severity, "confidence": finding.get("confidence"),
            "category": finding.get("category"), "gdprArticles": finding["gdpr_articles"],
        },
    }
    if is_column_finding(finding["location"]):
        row["properties"].update(count=column_count(finding["location"]),
                                 rows=finding["location"]["rows"][:SARIF_ROWS])
    if finding.get("fingerprint"):
        row["partialFingerprints"] = {FINGERPRINT_KEY: str(finding["fingerprint"])}
    if finding["suppressed"]:
        row["suppressions"] = [{"kind": "external", "status": "accepted"}]
    return row


def _message(finding: dict[str, Any]) -> str:
    text = f"{finding.get('type')} ({finding.get('severity')})"
    location = finding.get("location") or {}
    if is_column_finding(location):  # one result for a whole column of a seed, export or fixture
        text += f" in column {column_name(location)}: {column_count(location)} values"
    if finding.get("evidence"):
        text += f": {finding['evidence']}"
    if finding.get("remediation"):
        text += f". {finding['remediation']}"
    return text


def _location(location: dict[str, Any]) -> dict[str, Any]:
    path = location.get("path")
    if not path:
        return {"logicalLocations": [{"fullyQualifiedName": location_text(location)}]}
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(str(path))}}
    line = _positive_int(location.get("line"))
    if line:
        region: dict[str, Any] = {"startLine": line}
        column = _positive_int(location.get("column"))
        if column:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def artifact_uri(path: str) -> str:
    """A URI reference for a file path: `file:///…` when absolute, percent-encoded relative otherwise."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return "file://" + quote(str(posix))
    return quote(str(posix).removeprefix("./"))


def _positive_int(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def _invocation(result: dict[str, Any]) -> dict[str, Any]:
    failed = result.get("status") == "failed"
    notifications = [
        {"level": "warning", "message": {"text": str(error.get("error") or error)[:500]}}
        for error in result.get("errors") or ()
        if isinstance(error, dict)
    ]
    if failed:  # no result in this run means "not assessed", not "clean"
        notifications.insert(0, {"level": "error", "message": {"text": NOT_ASSESSED_TEXT}})
    return {"executionSuccessful": not failed, "toolExecutionNotifications": notifications}


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    summary = public_summary(result)
    return {key: summary.get(key) for key in ("compliance_score", "risk_level", "findings_total")}
