"""DPIA scanner: screening and exemptions, Art. 36 at high residual risk, measures weighed, rights risks,
articles cited exactly, transfers, criminal data, Art. 35(9), evidence weighed by confidence, validation
and the questionnaire versions. The authorities' own examples are in test_dpia_golden.py."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from services.scanners.dpia import load_questionnaire, risk_level
from services.scanners.dpia_assessment.citations import citation_key
from utils.errors import InvalidRequestError

PLANTED_BSN = "111222333"
PLANTED_KEY = "AKIAIOSFODNN7EXAMPLE"
QUESTIONS = load_questionnaire()["questions"]
SECURITY = ("illegitimate_access", "unwanted_modification", "disappearance")

SAFEGUARDS = {
    "processing_purposes": "Newsletter to customers who subscribed",
    "legal_basis": "consent", "consent_withdrawal": True, "purpose_limitation": True,
    "data_minimisation": True, "accuracy_measures": True, "information_provided": True,
    "rights_procedure": True, "retention_defined": True, "processors_used": True,
    "processor_agreements": True, "dpo_consulted": True, "data_subject_views": True, "signed_off": True,
}
LOW_RISKS = {f"{risk}_{axis}": "limited" for risk in SECURITY for axis in ("severity", "likelihood")}
NO_SCREENING = {q["id"]: False for q in QUESTIONS
                if q.get("criterion") or (q["section"] == "exemptions" and q["type"] == "bool")}

LOW_RISK = {**NO_SCREENING, **SAFEGUARDS, **LOW_RISKS, "data_categories": ["identification", "contact"]}
BORDERLINE = {**LOW_RISK, "wp248_large_scale": True}
HIGH_RISK = {
    **NO_SCREENING, **SAFEGUARDS,
    "wp248_evaluation_scoring": True, "wp248_automated_decisions": True, "wp248_sensitive_data": True,
    "wp248_vulnerable_subjects": True, "ap_health_data": True, "ap_profiling": True,
    "data_categories": ["identification", "national_id", "special_category"],
    "special_category_ground": "none", "human_review": False,
    "transfers_outside_eea": True, "transfer_safeguard": "none",
    "illegitimate_access_severity": "maximum", "illegitimate_access_likelihood": "significant",
    "unwanted_modification_severity": 3, "unwanted_modification_likelihood": 2,
    "disappearance_severity": 2, "disappearance_likelihood": 2,
    "disappearance_measures": ["backups", "restore_tests"],
}
AP_ONLY = {**LOW_RISK, "ap_camera_surveillance": True}
# WP248's national credit database, rated as a careful DPO would (test_dpia_golden.py has the rest)
CREDIT_DATABASE = {
    **LOW_RISK, "legal_basis": "legitimate_interests",
    "wp248_evaluation_scoring": True, "wp248_automated_decisions": True, "wp248_prevents_rights": True,
    "wp248_sensitive_data": True, "wp248_large_scale": True, "ap_credit_scores": True, "human_review": True,
    "data_categories": ["identification", "national_id", "financial"],
    "illegitimate_access_severity": "significant", "illegitimate_access_likelihood": "maximum",
    "wrongful_exclusion_severity": "maximum", "wrongful_exclusion_likelihood": "significant",
    "discrimination_severity": "significant", "discrimination_likelihood": "limited",
}
FOUR_SECURITY_MEASURES = ["encryption", "access_control", "mfa", "logging_monitoring"]


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Run the registered dpia scanner in-process."""
    return get_scanner("dpia").scan(request, no_progress)


def dpia_of(answers: dict[str, Any], **request: Any) -> dict[str, Any]:
    """The `dpia` section for these answers."""
    return run({"answers": answers, **request})["dpia"]


def finding_types(answers: dict[str, Any]) -> set[str]:
    """The finding types of an assessment."""
    return {f["type"] for f in run({"answers": answers})["findings"]}


def entry(dpia: dict[str, Any], risk: str) -> dict[str, Any]:
    """One risk of the register."""
    return next(e for e in dpia["risk_register"] if e["risk"] == risk)


# --- screening -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answers", "verdict", "required", "cited"),
    [
        (LOW_RISK, "not_required", False, []),
        (BORDERLINE, "not_required", False, ["wp248_large_scale"]),
        ({**BORDERLINE, "illegitimate_access_likelihood": "significant"}, "recommended", False,
         ["wp248_large_scale"]),
        (AP_ONLY, "required", True, ["ap_camera_surveillance"]),
        (HIGH_RISK, "required", True, ["wp248_evaluation_scoring", "wp248_automated_decisions",
                                       "wp248_sensitive_data", "wp248_vulnerable_subjects",
                                       "ap_health_data", "ap_profiling", "art35_3_a"]),
    ],
    ids=["low-risk", "one-criterion-rated-moderate", "one-criterion-rated-high", "ap-list-alone",
         "high-risk"],
)
def test_verdict_cites_each_criterion(answers: dict[str, Any], verdict: str, required: bool,
                                      cited: list[str]) -> None:
    dpia = dpia_of(answers)
    assert dpia["verdict"] == verdict
    assert dpia["required"] is required
    assert [reason["criterion"] for reason in dpia["reasons"]] == cited
    assert all(reason["text"]["en"] and reason["text"]["nl"] for reason in dpia["reasons"])
    assert dpia["unanswered_screening"] == []


def test_sensitive_and_vulnerable_criteria_follow_from_the_data_categories_and_subjects() -> None:
    dpia = dpia_of({**LOW_RISK, "data_categories": ["criminal"], "data_subjects": ["employees"],
                    "criminal_data_ground": "uavg_33_own_purposes"})
    sources = {r["criterion"]: r["source"] for r in dpia["reasons"]}
    assert sources == {"wp248_sensitive_data": "implied", "wp248_vulnerable_subjects": "implied"}
    assert dpia["verdict"] == "required"


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
    assert dpia_of(answers)["verdict"] == "required"
    assert dpia_of({"wp248_large_scale": True})["verdict"] == "incomplete"


def test_conditional_questions_only_apply_when_triggered() -> None:
    no_processors = {**LOW_RISK, "processors_used": False, "processor_agreements": False}
    assert "dpia.gap.processor_agreements" not in finding_types(no_processors)
    assert "dpia.gap.processor_agreements" in finding_types({**LOW_RISK, "processor_agreements": False})


# --- exemptions ------------------------------------------------------------------------------------

PHYSICIAN = {**LOW_RISK, "legal_basis": "contract", "data_categories": ["identification", "special_category"],
             "data_subjects": ["patients"], "special_category_ground": "health_care"}


def test_an_individual_physician_needs_no_dpia_even_when_scale_and_health_data_are_ticked() -> None:
    assert dpia_of(PHYSICIAN)["verdict"] == "required"  # sensitive + vulnerable: two criteria
    answered_wide = {**PHYSICIAN, "exempt_individual_professional": True, "wp248_large_scale": True,
                     "ap_health_data": True}
    dpia = dpia_of(answered_wide)
    assert (dpia["verdict"], dpia["required"]) == ("not_required", False)
    assert dpia["exemption"]["exemption"] == "individual_professional"
    assert dpia["exemption"]["articles"] == ["Recital 91"]
    neutralised = {r["criterion"] for r in dpia["reasons"]
                   if r["neutralised_by"] == "individual_professional"}
    assert neutralised == {"wp248_large_scale", "ap_health_data"}  # not on a large scale (Recital 91)
    assert dpia["mandatory_cases"] == [] and dpia["wp248_criteria_met"] == 2
    assert "Recital 91" in dpia["gdpr_articles"] and "Art. 35(3)(b)" not in dpia["gdpr_articles"]


def test_recital_91_does_not_lift_another_type_of_the_ap_list() -> None:
    dpia = dpia_of({**PHYSICIAN, "exempt_individual_professional": True, "ap_biometric_data": True})
    assert dpia["verdict"] == "required" and dpia["obligation_grounds"] == ["ap_list", "wp248"]


def test_art35_10_needs_a_legal_obligation_or_public_task() -> None:
    claimed = {**AP_ONLY, "exempt_art35_10": True}
    result = run({"answers": claimed})
    assert result["dpia"]["verdict"] == "required" and result["dpia"]["exemption"] is None
    refused = next(f for f in result["findings"] if f["type"] == "dpia.exemption_not_applicable")
    assert refused["location"]["question"] == "exempt_art35_10"
    assert refused["gdpr_articles"] == ["Art. 35(10)"] and refused["severity"] == "medium"
    assert result["dpia"]["exemptions_refused"][0]["reason"]["nl"]
    lawful = dpia_of({**claimed, "legal_basis": "public_task"})
    assert (lawful["verdict"], lawful["exemption"]["exemption"]) == ("not_required", "art35_10")


PUBLIC_CAMERAS = {**LOW_RISK, "wp248_systematic_monitoring": True, "monitoring_public_area": True,
                  "wp248_large_scale": True, "ap_camera_surveillance": True}


def test_an_art35_5_list_cannot_lift_a_mandatory_case_of_art35_3() -> None:
    dpia = dpia_of({**PUBLIC_CAMERAS, "exempt_art35_5_list": True})
    assert dpia["mandatory_cases"] == ["Art. 35(3)(c)"] and dpia["verdict"] == "required"
    assert [r["exemption"] for r in dpia["exemptions_refused"]] == ["art35_5_list"]
    listed = dpia_of({**LOW_RISK, "data_subjects": ["employees"], "wp248_systematic_monitoring": True,
                      "exempt_art35_5_list": True, "exempt_art35_5_entry": "CNIL 2019-118, access control"})
    assert (listed["verdict"], listed["exemption"]["exemption"]) == ("not_required", "art35_5_list")


def test_an_existing_dpia_of_similar_processing_covers_even_art35_3() -> None:
    result = run({"answers": {**PUBLIC_CAMERAS, "exempt_similar_dpia": True}})
    dpia = result["dpia"]
    assert (dpia["verdict"], dpia["exemption"]["exemption"]) == ("not_required", "similar_dpia")
    assert dpia["mandatory_cases"] == ["Art. 35(3)(c)"] and all(r["lifted"] for r in dpia["reasons"])
    gap = next(f for f in result["findings"] if f["type"] == "dpia.gap.similar_dpia_reference")
    assert gap["severity"] == "medium" and gap["gdpr_articles"] == ["Art. 35(1)"]


# --- risks, measures and prior consultation ----------------------------------------------------------

def test_rights_risks_apply_only_when_the_answers_trigger_them() -> None:
    quiet = dpia_of(LOW_RISK)
    assert [e["risk"] for e in quiet["risk_register"] if e["applicable"]] == list(SECURITY)
    assert not any(f.startswith("dpia.risk.discrimination") for f in finding_types(LOW_RISK))
    watched = dpia_of({**LOW_RISK, "ap_employee_monitoring": True, "wp248_evaluation_scoring": True})
    assert entry(watched, "chilling_effect")["triggered_by"] == ["ap_employee_monitoring"]
    assert entry(watched, "discrimination")["triggered_by"] == ["wp248_evaluation_scoring"]
    assert not entry(watched, "wrongful_exclusion")["applicable"]
    rated = dpia_of({**LOW_RISK, "loss_of_control_severity": 2, "loss_of_control_likelihood": 3})
    assert entry(rated, "loss_of_control")["applicable"] and entry(rated, "loss_of_control")["assessed"]


def test_a_high_residual_risk_requires_prior_consultation_not_only_a_very_high_one() -> None:
    high = {**LOW_RISK, "illegitimate_access_severity": "significant", "illegitimate_access_likelihood": 2}
    result = run({"answers": high})
    assert entry(result["dpia"], "illegitimate_access")["residual"]["level"] == "high"  # 3 x 2
    consultation = next(f for f in result["findings"] if f["type"] == "dpia.prior_consultation_required")
    assert consultation["gdpr_articles"] == ["Art. 36(1)"] and consultation["location"] == {
        "risk": "illegitimate_access"}
    assert result["dpia"]["prior_consultation"]["required"] is True
    assert "Art. 36(1)" in result["dpia"]["gdpr_articles"]
    moderated = {**high, "illegitimate_access_measures": ["encryption"]}  # 3 x 1
    assert "dpia.prior_consultation_required" not in finding_types(moderated)
    assert dpia_of(moderated)["prior_consultation"] == {"required": False, "articles": ["Art. 36(1)"],
                                                        "risks": []}


def test_four_security_measures_do_not_take_a_national_credit_database_to_moderate() -> None:
    bare = dpia_of(CREDIT_DATABASE)
    assert bare["residual_risk"] == "very_high"
    result = run({"answers": {**CREDIT_DATABASE, "illegitimate_access_measures": FOUR_SECURITY_MEASURES}})
    dpia = result["dpia"]
    access = entry(dpia, "illegitimate_access")
    assert access["inherent"]["level"] == "very_high"  # 3 x 4
    # 1 + 1 + 1 + 1/2 claimed on likelihood, capped at the 2 levels access controls can take off
    assert access["reduction"] == {"severity": 0, "likelihood": 2, "capped": True,
                                   "claimed": {"severity": 0.0, "likelihood": 3.5}}
    assert access["residual"] == {"severity": 3, "likelihood": 2, "level": "high"}
    # security measures do nothing for the refusals the database causes
    exclusion = entry(dpia, "wrongful_exclusion")
    assert exclusion["residual"] == exclusion["inherent"] == {"severity": 4, "likelihood": 3,
                                                              "level": "very_high"}
    assert dpia["residual_risk"] == "very_high" and dpia["prior_consultation"]["required"]
    kept = {r["risk"] for r in dpia["prior_consultation"]["risks"]}
    assert kept == {"illegitimate_access", "wrongful_exclusion", "discrimination"}  # 3 x 2, no measures
    measured = dpia_of({**CREDIT_DATABASE, "wrongful_exclusion_measures": [
        "accuracy_checks", "human_review", "prior_notice", "contest_rectify", "registration_expiry"]})
    # 2.5 levels of likelihood claimed, 2 allowed; 1.5 of severity, 1 allowed: never below 3 x 1
    assert entry(measured, "wrongful_exclusion")["residual"] == {"severity": 3, "likelihood": 1,
                                                                 "level": "moderate"}


@pytest.mark.parametrize(("measures", "residual"), [
    ([], (4, 4)),
    (["logging_monitoring"], (4, 4)),  # half a level counts only with another half
    (["logging_monitoring", "encryption"], (4, 3)),
    (["encryption", "access_control", "mfa", "logging_monitoring"], (4, 2)),  # capped at 2
    (["pseudonymisation", "minimised_data"], (3, 4)),  # severity: at most 1
])
def test_measures_are_weighed_by_their_documented_amount_and_capped(measures: list[str],
                                                                     residual: tuple[int, int]) -> None:
    dpia = dpia_of({**LOW_RISK, "illegitimate_access_severity": 4, "illegitimate_access_likelihood": 4,
                    "illegitimate_access_measures": measures})
    got = entry(dpia, "illegitimate_access")["residual"]
    assert (got["severity"], got["likelihood"]) == residual


def test_the_chilling_effect_of_monitoring_cannot_be_measured_away() -> None:
    dpia = dpia_of({**LOW_RISK, "ap_employee_monitoring": True, "chilling_effect_severity": 4,
                    "chilling_effect_likelihood": 4, "chilling_effect_measures": [
                        "on_suspicion_only", "limited_scope", "aggregate_only", "short_retention"]})
    chilling = entry(dpia, "chilling_effect")
    assert chilling["residual"] == {"severity": 3, "likelihood": 3, "level": "very_high"}


def test_every_measure_documents_what_it_reduces_and_by_how_much() -> None:
    questionnaire = load_questionnaire()
    for risk in questionnaire["risks"]:
        assert set(risk["max_reduction"]) == {"severity", "likelihood"}, risk["id"]
        question = next(q for q in QUESTIONS if q.get("risk") == risk["id"] and q["role"] == "measures")
        for option in question["options"]:
            amount = "1/2" if option["by"] == 0.5 else str(option["by"])
            axis = {"likelihood": ("likelihood", "waarschijnlijkheid"), "severity": ("severity", "ernst")}
            assert f"(-{amount} {axis[option['reduces']][0]})" in option["en"], option["value"]
            assert f"(-{amount} {axis[option['reduces']][1]})" in option["nl"], option["value"]


def test_a_measure_of_one_risk_does_not_lower_another() -> None:
    answers = {**LOW_RISK, "illegitimate_access_severity": 3, "illegitimate_access_likelihood": 3,
               "unwanted_modification_severity": 3, "unwanted_modification_likelihood": 3,
               "unwanted_modification_measures": ["access_control", "integrity_checks"]}
    dpia = dpia_of(answers)
    assert entry(dpia, "illegitimate_access")["residual"]["likelihood"] == 3
    assert entry(dpia, "unwanted_modification")["residual"]["likelihood"] == 1
    assert dpia["mitigations"]["illegitimate_access"] == []


def test_high_risk_register_gaps_and_articles() -> None:
    result = run({"answers": HIGH_RISK})
    dpia = result["dpia"]
    types = {f["type"] for f in result["findings"]}
    assert {"dpia.gap.special_category_ground", "dpia.gap.transfer_safeguard",
            "dpia.gap.human_review", "dpia.prior_consultation_required"} <= types
    access = entry(dpia, "illegitimate_access")
    assert access["inherent"] == {"severity": 4, "likelihood": 3, "level": "very_high"}
    assert access["residual"] == access["inherent"]  # no measures claimed
    # two measures on different axes each lower one level: 2x2 becomes 1x1
    assert entry(dpia, "disappearance")["residual"] == {"severity": 1, "likelihood": 1, "level": "low"}
    assert dpia["mitigations"]["disappearance"] == ["backups", "restore_tests"]
    assert result["summary"]["compliance_score"] < run({"answers": LOW_RISK})["summary"]["compliance_score"]


# --- articles ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("categories", "cited", "not_cited"), [
    (["financial", "location"], [], ["Art. 9(1)", "Art. 10"]),  # highly personal, neither Art. 9 nor 10
    (["special_category"], ["Art. 9(1)"], ["Art. 10"]),
    (["criminal"], ["Art. 10"], ["Art. 9(1)"]),
])
def test_sensitive_data_cites_art_9_or_10_only_for_their_own_data(categories: list[str], cited: list[str],
                                                                   not_cited: list[str]) -> None:
    dpia = dpia_of({**CREDIT_DATABASE, "data_categories": categories,
                    "special_category_ground": "explicit_consent", "criminal_data_ground": "uavg_32"})
    sensitive = next(r for r in dpia["reasons"] if r["criterion"] == "wp248_sensitive_data")
    assert sensitive["articles"] == ["Art. 35(1)", *cited]
    assert set(cited) <= set(dpia["gdpr_articles"]) and not set(not_cited) & set(dpia["gdpr_articles"])


def test_art35_3_c_only_for_a_publicly_accessible_area_on_a_large_scale() -> None:
    workstations = dpia_of({**LOW_RISK, "wp248_systematic_monitoring": True, "monitoring_public_area": False,
                            "wp248_large_scale": True, "ap_employee_monitoring": True,
                            "data_subjects": ["employees"], "works_council": "consent_obtained"})
    assert "Art. 35(3)(c)" not in workstations["gdpr_articles"] and workstations["mandatory_cases"] == []
    assert {"Art. 35(1)", "Art. 35(4)", "WOR Art. 27(1)(k)", "WOR Art. 27(1)(l)"} <= set(
        workstations["gdpr_articles"])
    streets = dpia_of(PUBLIC_CAMERAS)
    assert streets["mandatory_cases"] == ["Art. 35(3)(c)"] and "Art. 35(3)(c)" in streets["gdpr_articles"]


def test_summaries_keep_the_paragraph_and_cite_no_dpia_content_when_none_is_made() -> None:
    required = dpia_of(HIGH_RISK)["gdpr_articles"]
    assert "Art. 35" not in required
    assert {"Art. 35(3)(a)", "Art. 35(4)", "Art. 35(7)(c)", "Art. 36(1)"} <= set(required)
    assert required == sorted(required, key=citation_key)
    quiet = dpia_of(LOW_RISK)["gdpr_articles"]
    assert not [a for a in quiet if a.startswith(("Art. 35", "Art. 36", "Art. 39"))]
    assert {"Art. 6(1)(a)", "Art. 7(3)", "Art. 28(1)", "Art. 32(1)(b)"} <= set(quiet)


def test_citations_sort_by_article_then_paragraph_then_other_laws() -> None:
    cited = ["UAVG Art. 33(4)(c)", "Art. 35(10)", "Recital 91", "Art. 9(2)(h)", "Art. 35(3)(a)", "Art. 35(1)",
             "WOR Art. 27(1)(k)", "UAVG Art. 4", "Art. 5(1)(f)"]
    assert sorted(cited, key=citation_key) == [
        "Art. 5(1)(f)", "Art. 9(2)(h)", "Art. 35(1)", "Art. 35(3)(a)", "Art. 35(10)", "Recital 91",
        "UAVG Art. 4", "UAVG Art. 33(4)(c)", "WOR Art. 27(1)(k)"]


# --- transfers, criminal data, Art. 35(9) -------------------------------------------------------------

@pytest.mark.parametrize("safeguard", ["none", None])
def test_a_transfer_outside_the_eea_without_a_safeguard_is_critical(safeguard: str | None) -> None:
    answers = {**AP_ONLY, "transfers_outside_eea": True, "transfer_safeguard": safeguard}
    result = run({"answers": answers})
    gap = next(f for f in result["findings"] if f["type"] == "dpia.gap.transfer_safeguard")
    assert gap["severity"] == "critical" and gap["gdpr_articles"] == ["Art. 44"]
    if safeguard == "none":  # people lose control over data that leave without protection
        loss = entry(result["dpia"], "loss_of_control")
        assert loss["triggered_by"] == ["transfer_safeguard"] and "Art. 44" in loss["articles"]
    covered = dpia_of({**answers, "transfer_safeguard": "bcr"})["gdpr_articles"]
    assert {"Art. 44", "Art. 46(2)(b)", "Art. 47"} <= set(covered) and "Art. 49(1)" not in covered


def test_criminal_data_need_a_ground_of_art_10_and_the_uavg() -> None:
    answers = {**LOW_RISK, "data_categories": ["identification", "criminal"]}
    gap = next(f for f in run({"answers": answers})["findings"]
               if f["type"] == "dpia.gap.criminal_data_ground")
    assert gap["severity"] == "critical" and gap["gdpr_articles"] == ["Art. 10", "UAVG Art. 31"]
    permitted = {**answers, "criminal_data_ground": "uavg_33_permit"}
    assert "dpia.gap.criminal_data_ground" not in finding_types(permitted)
    assert {"Art. 10", "UAVG Art. 33(4)(c)"} <= set(dpia_of(permitted)["gdpr_articles"])


def test_the_views_of_data_subjects_and_the_works_council_art35_9() -> None:
    employees = {**AP_ONLY, "data_subjects": ["employees"], "ap_employee_monitoring": True,
                 "data_subject_views": False}
    result = run({"answers": employees})
    by_type = {f["type"]: f for f in result["findings"]}
    assert by_type["dpia.gap.views_not_sought_reason"]["gdpr_articles"] == ["Art. 35(9)"]
    council = by_type["dpia.gap.works_council"]
    assert council["severity"] == "high"
    assert council["gdpr_articles"] == ["Art. 35(9)", "WOR Art. 27(1)(k)", "WOR Art. 27(1)(l)"]
    heard = {**employees, "views_not_sought_reason": "The works council represents them.",
             "works_council": "consent_obtained"}
    assert not {"dpia.gap.views_not_sought_reason", "dpia.gap.works_council"} & finding_types(heard)
    assert "dpia.gap.views_not_sought_reason" not in finding_types({**LOW_RISK, "data_subject_views": False})


# --- evidence ------------------------------------------------------------------------------------------

def secret(confidence: float, **extra: Any) -> dict[str, Any]:
    """A critical secret finding of the code scanner."""
    return {"type": "secret.aws_access_key", "severity": "critical", "confidence": confidence,
            "scanner": "code", "location": {"path": "settings.py", "line": 3}, **extra}


@pytest.mark.parametrize(("evidence", "raised"), [
    ([secret(0.95)], True),
    ([secret(0.3)], False),  # 25 x 0.3 = 7.5 points: a guess is not a critical finding
    ([secret(0.3)] * 50, False),  # repeats of one type add nothing
    ([secret(0.3), {"type": "pii.bsn", "severity": "high", "confidence": 0.4}], True),  # 7.5 + 4
    ([{"type": "pii.email", "severity": "medium", "confidence": 1.0}], False),
])
def test_evidence_raises_a_risk_by_its_weight_not_its_presence(evidence: list[dict[str, Any]],
                                                                raised: bool) -> None:
    access = entry(dpia_of(LOW_RISK, evidence=evidence), "illegitimate_access")
    assert access["raised_by_evidence"] is raised
    assert access["inherent"]["likelihood"] == (3 if raised else 2)


def test_a_low_confidence_finding_does_not_make_the_data_sensitive() -> None:
    guess = {"type": "special.health", "severity": "medium", "confidence": 0.3}
    assert dpia_of(LOW_RISK, evidence=[guess])["reasons"] == []
    reasons = dpia_of(LOW_RISK, evidence=[{**guess, "confidence": 0.9}])["reasons"]
    assert [(r["criterion"], r["source"]) for r in reasons] == [("wp248_sensitive_data", "evidence")]


def test_evidence_is_cited_without_its_value(caplog: pytest.LogCaptureFixture) -> None:
    evidence = [
        {"type": "pii.bsn", "severity": "high", "scanner": "code", "confidence": 0.98,
         "location": {"path": "app/log.py", "line": 12}, "evidence": PLANTED_BSN},
        secret(0.95, evidence=PLANTED_KEY),
        {"type": "special.health", "severity": "medium", "location": {"path": "db.sql", "line": 1}},
    ]
    caplog.set_level(logging.DEBUG)
    result = run({"answers": LOW_RISK, "evidence": evidence})
    access = entry(result["dpia"], "illegitimate_access")
    paths = [item["location"]["path"] for item in access["evidence"]]
    assert paths == ["app/log.py", "settings.py", "db.sql"]
    assert access["evidence"][2]["confidence"] == 1.0  # no confidence stated: taken as reported
    assert access["evidence_weight"] == round(10 * 0.98 + 25 * 0.95 + 4 * 1.0, 2)
    assert entry(result["dpia"], "disappearance")["evidence"] == []
    output = json.dumps(result) + caplog.text
    assert PLANTED_BSN not in output and PLANTED_KEY not in output


@pytest.mark.parametrize("confidence", [float("nan"), 1.5, -0.1, True, "high", None])
def test_evidence_with_an_impossible_confidence_is_refused(confidence: Any) -> None:
    with pytest.raises(InvalidRequestError, match="evidence item 0 needs a confidence between 0 and 1"):
        run({"answers": {}, "evidence": [{**secret(0.5), "confidence": confidence}]})


# --- validation and versions -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"no_such_question": True}, "unknown question 'no_such_question'"),
        ({"wp248_large_scale": "yes"}, "'wp248_large_scale' expects true or false"),
        ({"wp248_large_scale": 1}, "'wp248_large_scale' expects true or false"),
        ({"legal_basis": "because"}, "'legal_basis' expects one of: consent"),
        ({"legal_basis": ["consent"]}, "'legal_basis' expects one of: consent"),
        ({"data_categories": "contact"}, "'data_categories' expects a list of"),
        ({"data_categories": ["contact", "shoe_size"]}, "'data_categories' expects a list of"),
        ({"data_categories": [["contact"]]}, "'data_categories' expects a list of"),
        ({"recipients": 42}, "'recipients' expects text"),
        ({"recipients": "x" * 5000}, "'recipients' expects text"),
        ({"disappearance_severity": 5}, "'disappearance_severity' expects a level 1-4"),
        ({"disappearance_severity": True}, "'disappearance_severity' expects a level 1-4"),
        ({"disappearance_severity": "huge"}, "'disappearance_severity' expects a level 1-4"),
        ({"special_category_exception": "no"}, "'special_category_exception' expects true or false"),
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


def test_answers_to_dpia_v1_are_still_accepted() -> None:
    v1, v2 = load_questionnaire("dpia_v1"), load_questionnaire()
    assert (v1["version"], v2["version"]) == ("dpia_v1", "dpia_v2")
    retired = {r["id"]: r for r in v2["retired_questions"]}
    current = {q["id"]: q for q in v2["questions"]}
    for question in v1["questions"]:
        assert question["id"] in current or question["id"] in retired, question["id"]
        if question["id"] in current:
            assert current[question["id"]]["type"] == question["type"], question["id"]
            old = {o["value"] for o in question.get("options", ())}
            assert old <= {o["value"] for o in current[question["id"]].get("options", ())}, question["id"]
    # "no Art. 9(2) exception" in v1 is the ground "none" in v2; "an exception applies" names none
    said_no = {**LOW_RISK, "data_categories": ["special_category"], "special_category_exception": False}
    gap = next(f for f in run({"answers": said_no})["findings"]
               if f["type"] == "dpia.gap.special_category_ground")
    assert gap["evidence"] == "answer: none" and gap["confidence"] == 1.0
    said_yes = next(f for f in run({"answers": {**said_no, "special_category_exception": True}})["findings"]
                    if f["type"] == "dpia.gap.special_category_ground")
    assert said_yes["evidence"] == "answer: not answered"
    named = {**said_no, "special_category_ground": "explicit_consent"}  # the v2 answer wins
    assert "dpia.gap.special_category_ground" not in finding_types(named)
    with pytest.raises(InvalidRequestError, match="unknown questionnaire version"):
        load_questionnaire("dpia_v0")


def test_questionnaire_is_complete_and_bilingual() -> None:
    questionnaire = load_questionnaire()
    questions = questionnaire["questions"]
    assert sum(q.get("criterion") == "wp248" for q in questions) == 9
    assert sum(q.get("criterion") == "ap_list" for q in questions) == 17
    assert {q["section"] for q in questions} == {s["id"] for s in questionnaire["sections"]}
    assert all(s["en"] and s["nl"] for s in questionnaire["sections"])
    for question in questions:
        assert question["text"]["en"] and question["text"]["nl"], question["id"]
        assert question["help"]["en"] and question["help"]["nl"], question["id"]
        assert question["type"] in ("bool", "choice", "multi", "text", "level")
        assert all(o["en"] and o["nl"] for o in question.get("options", ())), question["id"]
    for risk in questionnaire["risks"]:
        roles = {q["role"] for q in questions if q.get("risk") == risk["id"]}
        sources = {"sources"} if risk["kind"] == "security" else set()
        expected = {"impacts", "measures", "severity", "likelihood"} | sources
        assert roles == expected, risk["id"]
        assert risk["en"] and risk["nl"]
    for item in [*questionnaire["exemptions"], *questionnaire["art35_3"]]:
        assert item["en"] and item["nl"], item["id"]
        refusal = item.get("not_applicable", {"en": "-", "nl": "-"})
        assert refusal["en"] and refusal["nl"], item["id"]
    load_questionnaire()["questions"].clear()  # callers get a copy
    assert load_questionnaire()["questions"]


@pytest.mark.parametrize(("severity", "likelihood", "level"), [
    (1, 1, "low"), (1, 2, "low"), (2, 2, "moderate"), (1, 4, "moderate"),
    (2, 3, "high"), (4, 2, "high"), (3, 3, "very_high"), (4, 4, "very_high"),
])
def test_risk_level_matrix(severity: int, likelihood: int, level: str) -> None:
    assert risk_level(severity, likelihood) == level
