"""DPIA scanner: verdicts for low-, high-risk and borderline processing, risk register, validation."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from services.scanners.dpia import load_questionnaire, risk_level
from utils.errors import InvalidRequestError

PLANTED_BSN = "111222333"
PLANTED_KEY = "AKIAIOSFODNN7EXAMPLE"

SAFEGUARDS = {
    "processing_purposes": "Newsletter to customers who subscribed",
    "legal_basis": "consent", "consent_withdrawal": True, "purpose_limitation": True,
    "data_minimisation": True, "accuracy_measures": True, "information_provided": True,
    "rights_procedure": True, "retention_defined": True, "processors_used": True,
    "processor_agreements": True, "dpo_consulted": True, "signed_off": True,
}
LOW_RISKS = {
    f"{risk}_{axis}": "limited" for risk in ("illegitimate_access", "unwanted_modification", "disappearance")
    for axis in ("severity", "likelihood")
}
NO_SCREENING = {q["id"]: False for q in load_questionnaire()["questions"] if q["section"] == "screening"}

LOW_RISK = {**NO_SCREENING, **SAFEGUARDS, **LOW_RISKS, "data_categories": ["identification", "contact"]}
BORDERLINE = {**LOW_RISK, "wp248_large_scale": True}
HIGH_RISK = {
    **NO_SCREENING, **SAFEGUARDS,
    "wp248_evaluation_scoring": True, "wp248_automated_decisions": True, "wp248_sensitive_data": True,
    "wp248_vulnerable_subjects": True, "ap_health_data": True, "ap_profiling": True,
    "data_categories": ["identification", "national_id", "special_category"],
    "special_category_exception": False, "human_review": False,
    "transfers_outside_eea": True, "transfer_safeguard": "none",
    "illegitimate_access_severity": "maximum", "illegitimate_access_likelihood": "significant",
    "unwanted_modification_severity": 3, "unwanted_modification_likelihood": 2,
    "disappearance_severity": 2, "disappearance_likelihood": 2,
    "disappearance_measures": ["backups", "restore_tests"],
}
AP_ONLY = {**LOW_RISK, "ap_camera_surveillance": True}


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Run the registered dpia scanner in-process."""
    return get_scanner("dpia").scan(request, no_progress)


@pytest.mark.parametrize(
    ("answers", "verdict", "required", "cited"),
    [
        (LOW_RISK, "not_required", False, []),
        (BORDERLINE, "recommended", False, ["wp248_large_scale"]),
        (AP_ONLY, "required", True, ["ap_camera_surveillance"]),
        (HIGH_RISK, "required", True, ["wp248_evaluation_scoring", "wp248_automated_decisions",
                                       "wp248_sensitive_data", "wp248_vulnerable_subjects",
                                       "ap_health_data", "ap_profiling"]),
    ],
    ids=["low-risk", "borderline-one-criterion", "ap-list-alone", "high-risk"],
)
def test_verdict_cites_each_criterion(answers: dict[str, Any], verdict: str, required: bool,
                                      cited: list[str]) -> None:
    dpia = run({"answers": answers})["dpia"]
    assert dpia["verdict"] == verdict
    assert dpia["required"] is required
    assert [reason["criterion"] for reason in dpia["reasons"]] == cited
    assert all(reason["text"]["en"] and reason["text"]["nl"] for reason in dpia["reasons"])
    assert dpia["unanswered_screening"] == []


def test_low_risk_has_no_gaps_and_low_residual_risk() -> None:
    result = run({"answers": LOW_RISK})
    dpia = result["dpia"]
    assert dpia["gaps"] == []
    assert dpia["residual_risk"] == "moderate"  # limited x limited = 4
    assert result["summary"]["compliance_score"] >= 85
    assert "Art. 35" not in dpia["gdpr_articles"]
    assert {"Art. 5", "Art. 6", "Art. 25", "Art. 28", "Art. 32"} <= set(dpia["gdpr_articles"])


def test_high_risk_register_gaps_and_articles() -> None:
    result = run({"answers": HIGH_RISK})
    dpia = result["dpia"]
    types = {f["type"] for f in result["findings"]}
    assert {"dpia.gap.special_category_exception", "dpia.gap.transfer_safeguard",
            "dpia.gap.human_review"} <= set(types)
    assert "dpia.prior_consultation_required" in types  # 4 x 3 access risk stays very high
    register = {entry["risk"]: entry for entry in dpia["risk_register"]}
    access = register["illegitimate_access"]
    assert access["inherent"] == {"severity": 4, "likelihood": 3, "level": "very_high"}
    assert access["residual"] == access["inherent"]  # no measures claimed
    # two measures on different axes each lower one level: 2x2 becomes 1x1
    assert register["disappearance"]["residual"] == {"severity": 1, "likelihood": 1, "level": "low"}
    assert dpia["mitigations"]["disappearance"] == ["backups", "restore_tests"]
    for article in ("Art. 9", "Art. 22", "Art. 35", "Art. 44", "Art. 32"):
        assert article in dpia["gdpr_articles"]
    assert result["summary"]["compliance_score"] < run({"answers": LOW_RISK})["summary"]["compliance_score"]


def test_claimed_measures_lower_the_residual_risk() -> None:
    base = {**LOW_RISK, "illegitimate_access_severity": 4, "illegitimate_access_likelihood": 4}
    bare = run({"answers": base})["dpia"]["risk_register"][0]
    measured = run({"answers": {**base, "illegitimate_access_measures": [
        "encryption", "access_control", "mfa", "logging_monitoring", "pseudonymisation"]}})
    entry = measured["dpia"]["risk_register"][0]
    assert bare["residual"]["level"] == "very_high"
    assert entry["residual"] == {"severity": 3, "likelihood": 2, "level": "high"}


def test_evidence_raises_risk_and_is_cited_without_its_value(caplog: pytest.LogCaptureFixture) -> None:
    evidence = [
        {"type": "pii.bsn", "severity": "high", "scanner": "code",
         "location": {"path": "app/log.py", "line": 12}, "evidence": PLANTED_BSN},
        {"type": "secret.aws_access_key", "severity": "critical",
         "location": {"path": "settings.py", "line": 3}, "evidence": PLANTED_KEY},
        {"type": "special.health", "severity": "medium", "location": {"path": "db.sql", "line": 1}},
    ]
    caplog.set_level(logging.DEBUG)
    result = run({"answers": LOW_RISK, "evidence": evidence})
    dpia = result["dpia"]
    access = dpia["risk_register"][0]
    assert access["raised_by_evidence"] is True
    assert access["inherent"]["likelihood"] == 3  # limited (2) + 1 for the evidence
    cited = [item["location"]["path"] for item in access["evidence"]]
    assert cited == ["app/log.py", "settings.py", "db.sql"]
    assert dpia["risk_register"][2]["evidence"] == []  # nothing about disappearance
    # special-category data found by a scan meets the sensitive-data criterion
    assert len(dpia["reasons"]) == 1
    assert dpia["reasons"][0]["criterion"] == "wp248_sensitive_data"
    assert dpia["reasons"][0]["source"] == "evidence"
    assert dpia["verdict"] == "recommended"
    output = json.dumps(result) + caplog.text
    assert PLANTED_BSN not in output and PLANTED_KEY not in output


def test_unanswered_questions_are_gaps_with_lower_confidence() -> None:
    result = run({"answers": {}})
    by_type = {f["type"]: f for f in result["findings"]}
    assert by_type["dpia.gap.legal_basis"]["evidence"] == "answer: not answered"
    assert by_type["dpia.gap.legal_basis"]["confidence"] < 1.0
    assert len(result["dpia"]["unanswered_screening"]) == 26  # 9 WP248 criteria + 17 AP types
    assert result["dpia"]["residual_risk"] == "not_assessed"
    assert result["dpia"]["verdict"] == "incomplete"
    assert result["dpia"]["required"] is False


def test_open_screening_questions_do_not_hide_a_required_dpia() -> None:
    answers = {"wp248_large_scale": True, "wp248_vulnerable_subjects": True}
    assert run({"answers": answers})["dpia"]["verdict"] == "required"
    assert run({"answers": {"wp248_large_scale": True}})["dpia"]["verdict"] == "incomplete"


def test_conditional_questions_only_apply_when_triggered() -> None:
    def gap_types(answers: dict[str, Any]) -> set[str]:
        return {f["type"] for f in run({"answers": answers})["findings"]}

    no_processors = {**LOW_RISK, "processors_used": False, "processor_agreements": False}
    assert "dpia.gap.processor_agreements" not in gap_types(no_processors)
    assert "dpia.gap.processor_agreements" in gap_types({**LOW_RISK, "processor_agreements": False})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"no_such_question": True}, "unknown question 'no_such_question'"),
        ({"wp248_large_scale": "yes"}, "'wp248_large_scale' expects true or false"),
        ({"wp248_large_scale": 1}, "'wp248_large_scale' expects true or false"),
        ({"legal_basis": "because"}, "'legal_basis' expects one of: consent"),
        ({"data_categories": "contact"}, "'data_categories' expects a list of"),
        ({"data_categories": ["contact", "shoe_size"]}, "'data_categories' expects a list of"),
        ({"recipients": 42}, "'recipients' expects text"),
        ({"recipients": "x" * 5000}, "'recipients' expects text"),
        ({"disappearance_severity": 5}, "'disappearance_severity' expects a level 1-4"),
        ({"disappearance_severity": True}, "'disappearance_severity' expects a level 1-4"),
        ({"disappearance_severity": "huge"}, "'disappearance_severity' expects a level 1-4"),
    ],
)
def test_invalid_answers_name_the_question(answers: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message.replace("(", r"\(")):
        run({"answers": answers})


@pytest.mark.parametrize("request_", [
    {"answers": ["wp248_large_scale"]},
    {"answers": {}, "evidence": "pii.bsn"},
    {"answers": {}, "evidence": [{"severity": "high"}]},
    {"answers": {}, "evidence": [{"type": "pii.bsn", "severity": "apocalyptic"}]},
])
def test_malformed_requests_are_invalid(request_: dict[str, Any]) -> None:
    with pytest.raises(InvalidRequestError):
        run(request_)


def test_invalid_answer_error_never_echoes_the_value() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        run({"answers": {"legal_basis": PLANTED_BSN}})
    assert PLANTED_BSN not in str(caught.value)


def test_questionnaire_is_complete_and_bilingual() -> None:
    questionnaire = load_questionnaire()
    questions = questionnaire["questions"]
    assert questionnaire["version"] == "dpia_v1"
    assert sum(q.get("criterion") == "wp248" for q in questions) == 9
    assert sum(q.get("criterion") == "ap_list" for q in questions) == 17
    assert {q["section"] for q in questions} == {s["id"] for s in questionnaire["sections"]}
    for question in questions:
        assert question["text"]["en"] and question["text"]["nl"], question["id"]
        assert question["help"]["en"] and question["help"]["nl"], question["id"]
        assert question["type"] in ("bool", "choice", "multi", "text", "level")
    for risk in questionnaire["risks"]:
        roles = {q["role"] for q in questions if q.get("risk") == risk["id"]}
        assert roles == {"sources", "impacts", "measures", "severity", "likelihood"}
    load_questionnaire()["questions"].clear()  # callers get a copy
    assert load_questionnaire()["questions"]


@pytest.mark.parametrize(("severity", "likelihood", "level"), [
    (1, 1, "low"), (1, 2, "low"), (2, 2, "moderate"), (1, 4, "moderate"),
    (2, 3, "high"), (4, 2, "high"), (3, 3, "very_high"), (4, 4, "very_high"),
])
def test_risk_level_matrix(severity: int, likelihood: int, level: str) -> None:
    assert risk_level(severity, likelihood) == level
