"""Whether a DPIA is required: the WP248 criteria, the AP's Art. 35(4) list, Art. 35(3), the exemptions.

The obligation has three grounds: a mandatory case of Art. 35(3); a processing type on the Dutch AP's
list (Art. 35(4)); two or more WP248 rev.01 criteria ("in most cases"). An exemption lifts the grounds
it names: an individual physician, health-care professional or lawyer (Recital 91, which also takes
away large scale), a specific law with a DPIA made when it was adopted (Art. 35(10)), an existing DPIA
of very similar processing (Art. 35(1)), or the competent authority's Art. 35(5) list (never against a
case of Art. 35(3)). An exemption claimed whose condition does not hold is refused and reported.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from services.scanners.dpia_assessment.conditions import any_holds, articles_if, holds
from services.scanners.dpia_assessment.register import assessed, inherent_high

GROUNDS = ("art35_3", "ap_list", "wp248")
LISTS = ("wp248", "ap_list")


def screen(questionnaire: dict[str, Any], answers: dict[str, Any],
           evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """The screening part of the `dpia` section: grounds, exemption, reasons, open questions."""
    met = criteria_met(questionnaire, answers, evidence)
    neutralised = _neutralised(questionnaire, answers)
    effective = {**answers, **dict.fromkeys(met, True), **dict.fromkeys(neutralised, False)}
    cases = [case for case in questionnaire["art35_3"] if all(holds(c, effective) for c in case["all_of"])]
    exemption, refused = _exemption(questionnaire, answers, cases)
    lifted = set(exemption["lifts"]) if exemption else set()
    reasons = _criterion_reasons(questionnaire, answers, met, neutralised, lifted)
    reasons += [_case_reason(case, lifted) for case in cases]
    counts = {name: sum(r["list"] == name and not r["neutralised_by"] for r in reasons) for name in LISTS}
    grounds = {"art35_3": bool(cases), "ap_list": counts["ap_list"] > 0,
               "wp248": counts["wp248"] >= questionnaire["wp248_threshold"]}
    unanswered = [q["id"] for q in _criteria(questionnaire) if q["id"] not in answers and q["id"] not in met]
    return {
        "required": any(active and ground not in lifted for ground, active in grounds.items()),
        "obligation_grounds": [ground for ground in GROUNDS if grounds[ground]],
        "reasons": reasons, "mandatory_cases": [case["article"] for case in cases],
        "exemption": _exemption_record(exemption), "exemptions_refused": refused,
        "wp248_criteria_met": counts["wp248"], "ap_list_matches": counts["ap_list"],
        "unanswered_screening": unanswered,
        "open_screening": _open(questionnaire, unanswered, lifted),
    }


def verdict(screening: dict[str, Any], register: list[dict[str, Any]]) -> str:
    """required, not_required, recommended or incomplete."""
    if screening["required"]:
        return "required"
    if screening["open_screening"]:
        return "incomplete"  # an open screening question could still make the DPIA mandatory
    if screening["exemption"]:
        return "not_required"
    # not mandatory, but WP248 rev.01 III.B.a: "where it is not clear whether a DPIA is required, ...
    # a DPIA should nonetheless be carried out": the controller's own ratings say high risk, or one
    # criterion is met and nothing is rated yet
    if inherent_high(register) or (screening["wp248_criteria_met"] and not assessed(register)):
        return "recommended"
    return "not_required"


def criteria_met(questionnaire: dict[str, Any], answers: dict[str, Any],
                 evidence: list[dict[str, Any]]) -> dict[str, str]:
    """Screening criteria met, with how: a yes, implied by other answers, or evidence from a scan."""
    by_evidence = _criteria_from_evidence(questionnaire, evidence)
    met: dict[str, str] = {}
    for question in _criteria(questionnaire):
        qid = question["id"]
        if answers.get(qid) is True:
            met[qid] = "answer"
        elif any_holds(question.get("implied_by", ()), answers):
            met[qid] = "implied"
        elif qid in by_evidence:
            met[qid] = "evidence"
    return met


def _criteria(questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for q in questionnaire["questions"] if q.get("criterion") in LISTS]


def _criteria_from_evidence(questionnaire: dict[str, Any], evidence: list[dict[str, Any]]) -> set[str]:
    # a guess of the detector (low confidence) does not make the data sensitive
    minimum = questionnaire["evidence_criterion_min_confidence"]
    return {rule["criterion"] for rule in questionnaire["evidence_rules"] if rule.get("criterion") and any(
        fnmatch.fnmatchcase(item["type"], rule["match"]) and item["confidence"] >= minimum
        for item in evidence)}


def _usable(exemption: dict[str, Any], answers: dict[str, Any]) -> bool:
    return answers.get(exemption["question"]) is True and all(
        holds(condition, answers) for condition in exemption.get("requires", ()))


def _neutralised(questionnaire: dict[str, Any], answers: dict[str, Any]) -> dict[str, str]:
    """Criteria an applicable exemption takes away (Recital 91: not on a large scale)."""
    return {criterion: exemption["id"] for exemption in questionnaire["exemptions"]
            if _usable(exemption, answers) for criterion in exemption.get("neutralises", ())}


def _exemption(questionnaire: dict[str, Any], answers: dict[str, Any],
               cases: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The first exemption that applies, and the ones claimed whose condition does not hold."""
    chosen, refused = None, []
    for exemption in questionnaire["exemptions"]:
        if answers.get(exemption["question"]) is not True:
            continue
        blocked = "art35_3" in exemption.get("not_when", ()) and bool(cases)
        if not _usable(exemption, answers) or blocked:
            refused.append({"exemption": exemption["id"], "question": exemption["question"],
                            "articles": list(exemption["articles"]),
                            "reason": dict(exemption["not_applicable"])})
        elif chosen is None:
            chosen = exemption
    return chosen, refused


def _exemption_record(exemption: dict[str, Any] | None) -> dict[str, Any] | None:
    if exemption is None:
        return None
    return {"exemption": exemption["id"], "question": exemption["question"],
            "articles": list(exemption["articles"]), "lifts": list(exemption["lifts"]),
            "text": {"en": exemption["en"], "nl": exemption["nl"]}}


def _criterion_reasons(questionnaire: dict[str, Any], answers: dict[str, Any], met: dict[str, str],
                       neutralised: dict[str, str], lifted: set[str]) -> list[dict[str, Any]]:
    reasons = []
    for question in _criteria(questionnaire):
        qid = question["id"]
        if qid not in met:
            continue
        reasons.append({
            "criterion": qid, "list": question["criterion"], "source": met[qid], "text": question["text"],
            "articles": [*question.get("articles", []), *articles_if(question, answers)],
            "neutralised_by": neutralised.get(qid), "lifted": question["criterion"] in lifted,
        })
    return reasons


def _case_reason(case: dict[str, Any], lifted: set[str]) -> dict[str, Any]:
    return {"criterion": case["id"], "list": "art35_3", "source": "answers",
            "text": {"en": case["en"], "nl": case["nl"]}, "articles": [case["article"]],
            "neutralised_by": None, "lifted": "art35_3" in lifted}


def _open(questionnaire: dict[str, Any], unanswered: list[str], lifted: set[str]) -> list[str]:
    """Unanswered criteria that could still make the DPIA mandatory, given the exemption."""
    lists = {q["id"]: q["criterion"] for q in _criteria(questionnaire)}
    still_open = {"ap_list"} - lifted
    if not {"wp248", "art35_3"} <= lifted:
        still_open.add("wp248")  # Art. 35(3)'s cases are built from WP248 answers
    return [qid for qid in unanswered if lists[qid] in still_open]
