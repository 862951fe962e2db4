"""SARIF 2.1.0 export: required shape, rules, start lines, suppressions, no raw values."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from services.exports.sarif import artifact_uri, to_sarif, to_sarif_log
from services.results import ResultStatus, build_result, utc_now_iso
from tests.reporting.samples import ALL_SCANNERS, PLANTED, code_result, database_result

# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) a consumer relies on: required
# properties and types of log, run, tool, driver, rule, result and physical location.
_MESSAGE = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_REGION = {"type": "object", "properties": {"startLine": {"type": "integer", "minimum": 1},
                                            "startColumn": {"type": "integer", "minimum": 1}}}
_PHYSICAL = {
    "type": "object", "required": ["artifactLocation"],
    "properties": {"artifactLocation": {"type": "object", "required": ["uri"],
                                        "properties": {"uri": {"type": "string", "format": "uri-reference"}}},
                   "region": _REGION},
}
_RESULT = {
    "type": "object", "required": ["message", "ruleId"],
    "properties": {
        "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": 0},
        "level": {"enum": ["none", "note", "warning", "error"]}, "message": _MESSAGE,
        "locations": {"type": "array", "items": {
            "type": "object", "properties": {"physicalLocation": _PHYSICAL}}},
        "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
        "suppressions": {"type": "array", "items": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"enum": ["inSource", "external"]}}}},
    },
}
_RULE = {"type": "object", "required": ["id"], "properties": {
    "id": {"type": "string"}, "shortDescription": _MESSAGE,
    "defaultConfiguration": {"type": "object", "properties": {
        "level": {"enum": ["none", "note", "warning", "error"]}}}}}
SARIF_SHAPE = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"}, "$schema": {"type": "string"},
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": _RULE}}}}},
                "results": {"type": "array", "items": _RESULT},
            }}},
    },
}


def roundtrip(log: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The log serialised and parsed back, plus its text."""
    text = json.dumps(log)
    return json.loads(text), text


def test_code_result_is_valid_sarif_with_rules_and_start_lines() -> None:
    log, text = roundtrip(to_sarif(code_result()))
    jsonschema.validate(log, SARIF_SHAPE)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(
        ["secret.aws_access_key", "pii.bsn", "pii.email", "secret.password"])
    by_rule = {row["ruleId"]: row for row in run["results"]}
    aws = by_rule["secret.aws_access_key"]
    assert aws["level"] == "error"
    assert rules[aws["ruleIndex"]]["id"] == "secret.aws_access_key"
    physical = aws["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "src/settings.py"
    assert physical["region"]["startLine"] == 12
    assert "AKIA" in aws["message"]["text"] and "*" in aws["message"]["text"]
    assert by_rule["pii.email"]["level"] == "note"
    assert by_rule["secret.password"]["suppressions"] == [{"kind": "external", "status": "accepted"}]
    assert "suppressions" not in aws
    assert all(value not in text for value in PLANTED)


def test_every_finding_becomes_one_result_with_a_fingerprint() -> None:
    result = code_result()
    run = to_sarif(result)["runs"][0]
    assert len(run["results"]) == len(result["findings"])
    assert sorted(r["partialFingerprints"]["dataguardianFingerprint/v1"] for r in run["results"]) == sorted(
        f["fingerprint"] for f in result["findings"])
    assert run["automationDetails"]["id"] == "code/job-code-0001"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_findings_without_a_path_keep_a_logical_location() -> None:
    run = to_sarif(database_result())["runs"][0]
    names = [r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in run["results"]]
    assert names == ["public.customers.email", "public.payments.card_no"]


def test_log_of_every_scanner_is_valid_and_free_of_raw_values() -> None:
    log, text = roundtrip(to_sarif_log([make() for make in ALL_SCANNERS.values()]))
    jsonschema.validate(log, SARIF_SHAPE)
    assert len(log["runs"]) == len(ALL_SCANNERS)
    assert all(value not in text for value in PLANTED)


def test_artifact_uris_are_uri_references() -> None:
    assert artifact_uri("./src/my file.py") == "src/my%20file.py"
    assert artifact_uri("/srv/repo/a.py") == "file:///srv/repo/a.py"
    assert artifact_uri("src\\win\\a.py") == "src/win/a.py"


def test_failed_scan_reports_unsuccessful_invocation_with_notifications() -> None:
    result = code_result()
    result["status"] = "failed"
    result["errors"] = [{"path": "big.bin", "error": "file too large"}]
    invocation = to_sarif(result)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts[1:] == ["file too large"] and texts[0].startswith("not assessed: the scan could not read")


@pytest.mark.parametrize("written_by", ["this version", "an older version"])
def test_a_scan_that_could_not_read_its_input_has_no_score_in_sarif(written_by: str) -> None:
    unreadable = [{"path": "bomb.zip", "kind": "unsafe", "message": "archive bomb"}]
    result = build_result("document", [], started_at=utc_now_iso(), errors=unreadable,
                          status=ResultStatus.FAILED)
    if written_by == "an older version":  # result files from before this rule said 100 / low
        result["summary"].update(compliance_score=100, risk_level="low")
    run = to_sarif(result)["runs"][0]
    assert run["properties"]["summary"] == {"compliance_score": None, "risk_level": "not_assessed",
                                            "findings_total": 0}
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"
