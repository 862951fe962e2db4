"""The DPIA's risk register: inherent and residual risk per feared event, measures weighed, evidence too.

Severity and likelihood are rated on the four CNIL levels (1-4). A measure lowers one axis of its own
risk by the number of levels the questionnaire documents for it (`by`, a half level counting only
with another half); the sum per axis is rounded down and capped by the risk's `max_reduction`, so no
number of ticked measures takes an inherently very high risk below what measures can address.
Evidence from other scans raises a risk's likelihood one level when it weighs enough: severity points
(the scoring formula's) times confidence, each finding type counted once at its strongest.
"""

from __future__ import annotations

import fnmatch
import math
from typing import Any

from services.scanners.dpia_assessment.conditions import articles_if, holds, question_ids
from services.scoring import SEVERITY_POINTS

LEVELS = ("low", "moderate", "high", "very_high")
AXES = ("severity", "likelihood")
HIGH_LEVELS = ("high", "very_high")  # a residual risk at these levels needs prior consultation
_ROUNDING = 1e-9  # 0.5 + 0.5 must count as one whole level despite binary fractions


def risk_level(severity: int, likelihood: int) -> str:
    """Risk level of a severity x likelihood pair, each on the four CNIL levels."""
    product = severity * likelihood
    if product <= 2:
        return "low"
    if product <= 4:
        return "moderate"
    return "high" if product <= 8 else "very_high"


def build_register(questionnaire: dict[str, Any], answers: dict[str, Any],
                   evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One register entry per feared event of the questionnaire."""
    return [_entry(questionnaire, risk, answers, evidence) for risk in questionnaire["risks"]]


def _entry(questionnaire: dict[str, Any], risk: dict[str, Any], answers: dict[str, Any],
           evidence: list[dict[str, Any]]) -> dict[str, Any]:
    rid = risk["id"]
    severity, likelihood = answers.get(f"{rid}_severity"), answers.get(f"{rid}_likelihood")
    triggers = triggered_by(risk, answers)
    rated = severity is not None or likelihood is not None
    cited = cited_evidence(questionnaire, rid, evidence)
    weight = evidence_weight(cited)
    options = measure_options(questionnaire, rid)
    measures = answers.get(f"{rid}_measures", [])
    entry: dict[str, Any] = {
        "risk": rid, "kind": risk["kind"], "title": {"en": risk["en"], "nl": risk["nl"]},
        "articles": [*risk["articles"], *articles_if(risk, answers)],
        "applicable": risk["kind"] == "security" or bool(triggers) or rated, "triggered_by": triggers,
        "sources": answers.get(f"{rid}_sources", []), "impacts": answers.get(f"{rid}_impacts", ""),
        "measures": measures,
        "measure_labels": {lang: [options[m][lang] for m in measures] for lang in ("en", "nl")},
        "evidence": cited, "evidence_weight": weight,
        "raised_by_evidence": False, "assessed": False,
    }
    if not entry["applicable"] or severity is None or likelihood is None:
        return entry
    raised = weight >= questionnaire["evidence_raise_weight"]
    if raised:
        likelihood = min(4, likelihood + 1)  # a real weakness found by a scan makes the event likelier
    reduction = weigh_measures(risk, options, measures)
    residual_sev = max(1, severity - reduction["severity"])
    residual_lik = max(1, likelihood - reduction["likelihood"])
    entry.update(assessed=True, raised_by_evidence=raised, reduction=reduction,
                 inherent={"severity": severity, "likelihood": likelihood,
                           "level": risk_level(severity, likelihood)},
                 residual={"severity": residual_sev, "likelihood": residual_lik,
                           "level": risk_level(residual_sev, residual_lik)})
    return entry


def triggered_by(risk: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """The questions whose answers make a rights risk applicable (security risks always apply)."""
    found: list[str] = []
    for condition in risk.get("triggers", ()):
        if holds(condition, answers):
            found += [q for q in question_ids(condition) if q not in found]
    return found


def measure_options(questionnaire: dict[str, Any], rid: str) -> dict[str, dict[str, Any]]:
    """The measures a risk's questionnaire offers, by value."""
    question = next(q for q in questionnaire["questions"]
                    if q.get("risk") == rid and q.get("role") == "measures")
    return {option["value"]: option for option in question["options"]}


def weigh_measures(risk: dict[str, Any], options: dict[str, dict[str, Any]],
                   measures: list[str]) -> dict[str, Any]:
    """Levels taken off each axis by the claimed measures: their amounts summed, rounded down, capped."""
    claimed = dict.fromkeys(AXES, 0.0)
    for measure in measures:
        claimed[options[measure]["reduces"]] += float(options[measure]["by"])
    whole = {axis: math.floor(claimed[axis] + _ROUNDING) for axis in AXES}
    caps = risk["max_reduction"]
    return {**{axis: min(whole[axis], int(caps[axis])) for axis in AXES},
            "claimed": claimed, "capped": any(whole[axis] > caps[axis] for axis in AXES)}


def cited_evidence(questionnaire: dict[str, Any], rid: str,
                   evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings of other scans that bear on a risk."""
    rules = [rule for rule in questionnaire["evidence_rules"] if rid in rule.get("risks", [])]
    return [item for item in evidence
            if any(fnmatch.fnmatchcase(item["type"], rule["match"]) for rule in rules)]


def evidence_weight(items: list[dict[str, Any]]) -> float:
    """Severity points x confidence, each finding type once at its strongest (repeats add nothing)."""
    strongest: dict[str, float] = {}
    for item in items:
        weight = SEVERITY_POINTS[item["severity"]] * item["confidence"]
        strongest[item["type"]] = max(strongest.get(item["type"], 0.0), weight)
    return round(sum(strongest.values()), 2)


def assessed(register: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The applicable entries with both ratings."""
    return [entry for entry in register if entry["applicable"] and entry["assessed"]]


def overall_residual(register: list[dict[str, Any]]) -> str:
    """The highest residual level of the register, or not_assessed."""
    levels = [entry["residual"]["level"] for entry in assessed(register)]
    return max(levels, key=LEVELS.index) if levels else "not_assessed"


def high_residual(register: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries whose residual risk stays high or very high after measures."""
    return [entry for entry in assessed(register) if entry["residual"]["level"] in HIGH_LEVELS]


def inherent_high(register: list[dict[str, Any]]) -> bool:
    """True when the controller's own ratings put any risk at high or above before measures."""
    return any(entry["inherent"]["level"] in HIGH_LEVELS for entry in assessed(register))
