"""The EU AI Act classification: a risk class, the article that decides it, and the obligations that follow.

The questionnaire and every rule are versioned data (services/scanners/data/ai_act_v1.yaml, which
explains the order of the classes); the conditions are the DPIA questionnaire's language
(services/scanners/dpia_assessment/conditions.py). A rule here is `all_of`, `any_of` and `none_of`
lists of such conditions. Derived facts (`derived`) are computed first and read like answers.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from services.detection.types import type_info
from services.results import Finding, Severity
from services.scanners.dpia_assessment.conditions import Condition, holds, question_ids
from utils.errors import ConfigError, InvalidRequestError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
QUESTIONNAIRES = {"ai_act_v1": DATA_DIR / "ai_act_v1.yaml"}
CURRENT_VERSION = "ai_act_v1"
CLASSES = ("out_of_scope", "prohibited", "high_risk", "transparency", "minimal")
QUESTION_TYPES = ("bool", "choice", "multi", "text")
MAX_TEXT_CHARS = 4000
ROLES_SEEING = {"provider": ("provider", "any"), "deployer": ("deployer", "any")}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_questionnaire(version: str | None = None) -> dict[str, Any]:
    """The AI Act questionnaire (a copy the caller may change): the current one, or `version`."""
    return copy.deepcopy(_questionnaire(version or CURRENT_VERSION))


@functools.lru_cache(maxsize=len(QUESTIONNAIRES))
def _questionnaire(version: str) -> dict[str, Any]:
    path = QUESTIONNAIRES.get(version)
    if path is None:
        raise InvalidRequestError(f"ai_model: unknown questionnaire version {version[:40]!r}")
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=_YAML_LOADER)
    check_questionnaire(data, path.name)  # it ships with the code: a mistake stops the worker at start-up
    return data


def check_questionnaire(data: dict[str, Any], name: str) -> None:
    """Refuse a questionnaire whose rules read unknown questions, dates or classes (ConfigError)."""
    ids = [q["id"] for q in data["questions"]]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{name}: duplicate question ids")
    for question in data["questions"]:
        if question["type"] not in QUESTION_TYPES:
            raise ConfigError(f"{name}: question {question['id']!r} has an unknown type")
    known = set(ids) | set(data["derived"])
    if [c["id"] for c in data["classes"]] != list(CLASSES):
        raise ConfigError(f"{name}: classes must be {', '.join(CLASSES)} in that order")
    for where, condition in _all_conditions(data):
        unknown = [qid for qid in question_ids(condition) if qid not in known]
        if unknown:
            raise ConfigError(f"{name}: {where} reads unknown question {unknown[0]!r}")
    for group in data["obligations"].values():
        for obligation in group:
            if obligation["applies"] not in data["dates"]:
                raise ConfigError(f"{name}: obligation {obligation['article']} names an unknown date")


def _all_conditions(data: dict[str, Any]) -> list[tuple[str, Condition]]:
    rules: list[tuple[str, dict[str, Any]]] = [(r["id"], r) for c in data["classes"] for r in c["rules"]]
    rules += [(fact, rule) for fact, spec in data["derived"].items() for rule in spec["any_rule"]]
    rules += [(o["article"], o["when"]) for g in data["obligations"].values() for o in g if "when" in o]
    found = [
        (where, c)
        for where, rule in rules
        for key in ("all_of", "any_of", "none_of")
        for c in rule.get(key, ())
    ]
    found += [(q["id"], q["applies_if"]) for q in data["questions"] if "applies_if" in q]
    return found


# --- answers -------------------------------------------------------------------------------------


def validate_answers(answers: Any, questionnaire: dict[str, Any]) -> dict[str, Any]:
    """The answers checked against the questionnaire: unknown ids and wrong shapes are refused."""
    if not isinstance(answers, dict):
        raise InvalidRequestError("ai_model: answers must be an object of question id -> answer")
    by_id = {q["id"]: q for q in questionnaire["questions"]}
    checked: dict[str, Any] = {}
    for question_id, value in answers.items():
        question = by_id.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            raise InvalidRequestError(f"ai_model: unknown question {str(question_id)[:80]!r}")
        if value is not None:  # the form sends null for a question left open
            checked[question_id] = _checked(question, value)
    return checked


def _checked(question: dict[str, Any], value: Any) -> Any:
    kind, qid = question["type"], question["id"]
    allowed = [o["value"] for o in question.get("options", ())]
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "choice" and isinstance(value, str) and value in allowed:
        return value
    if (
        kind == "multi"
        and isinstance(value, list)
        and all(isinstance(v, str) and v in allowed for v in value)
    ):
        return [option for option in allowed if option in value]  # questionnaire order, no duplicates
    if kind == "text" and isinstance(value, str) and len(value) <= MAX_TEXT_CHARS:
        return value.strip()
    expected = {"bool": "true or false", "text": f"text of at most {MAX_TEXT_CHARS} characters"}.get(
        kind, f"{'a list of' if kind == 'multi' else 'one of'}: {', '.join(allowed)}"
    )
    raise InvalidRequestError(f"ai_model: question {qid!r} expects {expected}")


# --- classification ------------------------------------------------------------------------------


def rule_holds(rule: dict[str, Any], answers: dict[str, Any]) -> bool:
    """All of `all_of`, one of `any_of` (when given) and none of `none_of` hold."""
    any_of = rule.get("any_of", ())
    return (
        all(holds(c, answers) for c in rule.get("all_of", ()))
        and (not any_of or any(holds(c, answers) for c in any_of))
        and not any(holds(c, answers) for c in rule.get("none_of", ()))
    )


def with_derived(questionnaire: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers plus the derived facts (true or false)."""
    facts = {
        name: any(rule_holds(rule, answers) for rule in spec["any_rule"])
        for name, spec in questionnaire["derived"].items()
    }
    return {**answers, **facts}


def classify(questionnaire: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The `ai_act` section: the class, the deciding rule and article, every rule that held, obligations."""
    if not answers:
        return {
            "questionnaire_version": questionnaire["version"],
            "assessed": False,
            "risk_class": None,
            "decided_by": None,
            "matched": [],
            "art6_3_exception": None,
            "transparency_duties": [],
            "gpai": None,
            "obligations": [],
        }
    facts = with_derived(questionnaire, answers)
    points = _annex_iii_points(questionnaire, facts)
    matched = [
        {"class": c["id"], "rule": r["id"], "article": r["article"], **_annex(r, points)}
        for c in questionnaire["classes"]
        for r in c["rules"]
        if rule_holds(r, facts)
    ]
    decided = matched[0]
    exception = _art6_3_exception(questionnaire, facts, decided["class"])
    groups = _obligation_groups(decided["class"], facts, exception)
    return {
        "questionnaire_version": questionnaire["version"],
        "assessed": True,
        "risk_class": decided["class"],
        "decided_by": decided,
        "matched": matched,
        "art6_3_exception": exception,
        "transparency_duties": list(
            dict.fromkeys(m["article"] for m in matched if m["class"] == "transparency")
        ),
        "gpai": _gpai(facts),
        "obligations": _obligations(questionnaire, facts, groups),
    }


def _annex(rule: dict[str, Any], points: list[str]) -> dict[str, Any]:
    """The Annex point a rule rests on: the Annex III points answered, for a rule on Annex III."""
    if "annex" not in rule:
        return {}
    return {"annex": rule["annex"] if rule["annex"] != "Annex III" or not points else ", ".join(points)}


def _annex_iii_points(questionnaire: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    question = next(q for q in questionnaire["questions"] if q["id"] == "annex_iii")
    chosen = facts.get("annex_iii") or []
    return [o["article"] for o in question["options"] if o["value"] in chosen]


def _art6_3_exception(
    questionnaire: dict[str, Any], facts: dict[str, Any], risk_class: str
) -> dict[str, Any] | None:
    """The Art. 6(3) condition that takes an Annex III system out of high-risk, when one does."""
    condition = facts.get("art6_3_condition")
    if (
        risk_class in ("out_of_scope", "prohibited", "high_risk")
        or not facts.get("annex_iii_applies")
        or condition in (None, "none")
    ):
        return None
    question = next(q for q in questionnaire["questions"] if q["id"] == "art6_3_condition")
    option = next(o for o in question["options"] if o["value"] == condition)
    return {"condition": condition, "article": option["article"]}


def _obligation_groups(risk_class: str, facts: dict[str, Any], exception: dict[str, Any] | None) -> list[str]:
    if risk_class == "out_of_scope":
        return []
    groups = ["all", risk_class] if risk_class in ("prohibited", "high_risk", "minimal") else ["all"]
    if risk_class != "prohibited":
        groups.append("transparency")
    if exception:
        groups.append("art6_3_exception")
    if facts.get("gpai_model"):
        # Art. 55 adds to Art. 53; it also lifts the open-source exemption of Art. 53(2)
        groups += ["gpai", "gpai_systemic_risk"] if facts.get("gpai_systemic_risk") else ["gpai"]
    return groups


def _gpai(facts: dict[str, Any]) -> dict[str, Any] | None:
    if not facts.get("gpai_model"):
        return None
    systemic = facts.get("gpai_systemic_risk") is True
    return {
        "systemic_risk": systemic,
        "open_source": facts.get("gpai_open_source") is True,
        "articles": ["Art. 53", "Art. 54", *(["Art. 55"] if systemic else [])],
    }


def _obligations(
    questionnaire: dict[str, Any], facts: dict[str, Any], groups: list[str]
) -> list[dict[str, Any]]:
    role = facts.get("role")
    seen = (
        ROLES_SEEING.get(role, ("provider", "deployer", "any"))
        if isinstance(role, str)
        else ("provider", "deployer", "any")
    )
    dates = questionnaire["dates"]
    found: list[dict[str, Any]] = []
    for group in groups:
        for item in questionnaire["obligations"][group]:
            if item["who"] not in seen or ("when" in item and not rule_holds(item["when"], facts)):
                continue
            if any(o["article"] == item["article"] and o["who"] == item["who"] for o in found):
                continue  # listed once: Art. 53(1)(a) is in both general-purpose groups
            date = dates[_date_key(item, facts)]
            found.append(
                {
                    "article": item["article"],
                    "who": item["who"],
                    "en": item["en"],
                    "nl": item["nl"],
                    "applies_from": date["from"],
                    "date_article": date["article"],
                    "group": group,
                }
            )
    return found


def _date_key(item: dict[str, Any], facts: dict[str, Any]) -> str:
    # Art. 111(3): a general-purpose model on the market before 2 August 2025 has until 2 August 2027
    if item["applies"] == "gpai" and facts.get("gpai_placed_before_2025_08"):
        return "gpai_existing"
    # Art. 113(c): the obligations of an Annex I product (Art. 6(1)) apply a year after the rest
    if (
        item["applies"] == "general"
        and facts.get("annex_i_product")
        and facts.get("annex_i_third_party_assessment")
    ):
        return "annex_i"
    return str(item["applies"])


# --- findings ------------------------------------------------------------------------------------

CLASS_FINDINGS = {
    "prohibited": ("ai.act_prohibited", Severity.CRITICAL),
    "high_risk": ("ai.act_high_risk", Severity.HIGH),
}


def act_findings(section: dict[str, Any]) -> list[Finding]:
    """One finding for a prohibited or high-risk class, one for an Art. 6(3) exception, one for
    transparency duties and one for general-purpose model duties."""
    if not section["assessed"]:
        return []
    decided = section["decided_by"]
    findings = []
    if decided["class"] in CLASS_FINDINGS:
        kind, severity = CLASS_FINDINGS[decided["class"]]
        findings.append(
            _finding(
                kind,
                severity,
                decided["rule"],
                [decided["article"], *_annexes(decided)],
                section,
                decided["class"],
            )
        )
    if section["art6_3_exception"]:
        findings.append(
            _finding(
                "ai.act_annex_iii_exception",
                Severity.LOW,
                section["art6_3_exception"]["condition"],
                [section["art6_3_exception"]["article"], "Art. 6(4)", "Art. 49(2)"],
                section,
                "art6_3_exception",
            )
        )
    if section["transparency_duties"] and decided["class"] not in ("prohibited", "out_of_scope"):
        findings.append(
            _finding(
                "ai.act_transparency",
                Severity.MEDIUM,
                "art50",
                section["transparency_duties"],
                section,
                "transparency",
            )
        )
    if section["gpai"]:
        systemic = section["gpai"]["systemic_risk"]
        findings.append(
            _finding(
                "ai.act_gpai",
                Severity.HIGH if systemic else Severity.MEDIUM,
                "gpai_systemic_risk" if systemic else "gpai",
                section["gpai"]["articles"],
                section,
                "gpai",
                "gpai_systemic_risk",
            )
        )
    return findings


def _annexes(decided: dict[str, Any]) -> list[str]:
    return [decided["annex"]] if "annex" in decided else []


def _finding(
    kind: str, severity: Severity, rule: str, articles: list[str], section: dict[str, Any], *groups: str
) -> Finding:
    obligations = [o for o in section["obligations"] if o["group"] in groups]
    return Finding(
        type=kind,
        category="ai",
        severity=severity,
        confidence=1.0,
        location={"question": rule, "section": "ai_act"},
        evidence=f"{section['risk_class']}: {', '.join(articles)}",
        gdpr_articles=tuple(f"AI Act {a}" for a in dict.fromkeys(articles)),
        remediation=type_info(kind).remediation,
        explanation={
            "obligations": [f"{o['article']}: {o['en']} (from {o['applies_from']})" for o in obligations]
        },
    )
