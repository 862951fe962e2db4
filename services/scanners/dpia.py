"""The DPIA scanner: a data protection impact assessment from questionnaire answers.

The questionnaire is versioned data (data/dpia_v2.yaml; dpia_v1.yaml stays readable for stored
results that name it), shaped like GDPR Art. 35(7) and the CNIL PIA method. `scan` validates the
answers against the current version (answers to dpia_v1 ids are accepted: kept ids mean the same,
retired ones are mapped), decides whether a DPIA is required (Art. 35(3), the AP's Art. 35(4) list,
the WP248 rev.01 criteria, and the exemptions of Recital 91, Art. 35(5), 35(10) and an existing
similar DPIA), builds a risk register (security and rights and freedoms; measures weighed by their
documented amounts; evidence from other scans weighed by severity and confidence), finds whether
prior consultation (Art. 36(1)) is needed, and turns every gap and risk into a finding.
The rules live in services/scanners/dpia_assessment.

Request: `answers` (question id -> answer) and optional `evidence` (findings of other scans: type,
severity, confidence, scanner, location; never their evidence text).
"""

from __future__ import annotations

import copy
import functools
import logging
import math
from pathlib import Path
from typing import Any

import yaml

from services.results import Finding, Severity, build_result, utc_now_iso
from services.scanners.base import Progress, Request, Result
from services.scanners.dpia_assessment import register as risk_register
from services.scanners.dpia_assessment.citations import citations
from services.scanners.dpia_assessment.conditions import applies, articles_if, question_ids
from services.scanners.dpia_assessment.register import build_register, risk_level
from services.scanners.dpia_assessment.screening import screen, verdict
from utils.errors import ConfigError, InvalidRequestError

__all__ = ["DpiaScanner", "assess", "load_questionnaire", "risk_level", "validate_answers"]

logger = logging.getLogger(__name__)

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
DATA_DIR = Path(__file__).parent / "data"
QUESTIONNAIRES = {"dpia_v1": DATA_DIR / "dpia_v1.yaml", "dpia_v2": DATA_DIR / "dpia_v2.yaml"}
CURRENT_VERSION = "dpia_v2"  # the version every new assessment uses
QUESTIONNAIRE_PATH = QUESTIONNAIRES[CURRENT_VERSION]
QUESTION_TYPES = ("bool", "choice", "multi", "text", "level")
MAX_TEXT_CHARS = 4000  # a long description is fine; a pasted dataset is not an answer
MAX_EVIDENCE_ITEMS = 10_000
UNANSWERED = "unanswered"
DEFAULT_EVIDENCE_CONFIDENCE = 1.0  # a finding that states no confidence is taken as its scanner reported it
SEVERITY_ORDER = [s.value for s in Severity]
# residual level -> finding severity; a low residual risk is accepted, so it costs no points
RISK_FINDING_SEVERITY = {"low": Severity.INFO, "moderate": Severity.MEDIUM,
                         "high": Severity.HIGH, "very_high": Severity.CRITICAL}
PRIOR_CONSULTATION_ARTICLES = ("Art. 36(1)",)
CARRIED_OUT = ("required", "recommended")  # verdicts under which a DPIA is made


class DpiaScanner:
    """Scanner that assesses questionnaire answers as a DPIA."""

    name = "dpia"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Validate the answers, assess them and return findings plus the `dpia` section."""
        started_at = utc_now_iso()
        questionnaire = _questionnaire(CURRENT_VERSION)
        answers = validate_answers(request.get("answers", {}), questionnaire)
        evidence = _validate_evidence(request.get("evidence", []))
        progress(30.0, f"assessing {len(answers)} answers and {len(evidence)} evidence items")
        assessment, findings = assess(questionnaire, answers, evidence)
        progress(100.0, f"DPIA verdict: {assessment['verdict']}")
        logger.info("scanner dpia: verdict %s, %d findings", assessment["verdict"], len(findings))
        return build_result(self.name, findings, started_at=started_at, items_scanned=len(answers),
                            extra={"dpia": assessment})


def load_questionnaire(version: str | None = None) -> dict[str, Any]:
    """A DPIA questionnaire (a copy the caller may change): the current one, or `version` by name."""
    return copy.deepcopy(_questionnaire(version or CURRENT_VERSION))


@functools.lru_cache(maxsize=len(QUESTIONNAIRES))
def _questionnaire(version: str) -> dict[str, Any]:
    path = QUESTIONNAIRES.get(version)
    if path is None:
        raise InvalidRequestError(f"dpia: unknown questionnaire version {version[:40]!r}")
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=_YAML_LOADER)
    # the questionnaire ships with the code: a mistake in it must stop the worker at start-up
    _check_questions(data, path.name)
    if version == CURRENT_VERSION:
        _check_rules(data, path.name)
    return data


def _check_questions(data: dict[str, Any], name: str) -> None:
    ids = [q["id"] for q in data["questions"]]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{name}: duplicate question ids")
    for question in data["questions"]:
        if question["type"] not in QUESTION_TYPES:
            raise ConfigError(f"{name}: question {question['id']!r} has an unknown type")
        if question["type"] in ("choice", "multi") and not question.get("options"):
            raise ConfigError(f"{name}: question {question['id']!r} has no options")
        for target in question.get("applies_if", {}):
            if target not in ids:
                raise ConfigError(f"{name}: {question['id']!r} depends on unknown {target!r}")


def _check_rules(data: dict[str, Any], name: str) -> None:
    by_id = {q["id"]: q for q in data["questions"]}
    for where, condition in _conditions(data):
        unknown = [qid for qid in question_ids(condition) if qid not in by_id]
        if unknown:
            raise ConfigError(f"{name}: {where} reads unknown question {unknown[0]!r}")
    for exemption in data["exemptions"]:
        if by_id.get(exemption["question"], {}).get("type") != "bool":
            raise ConfigError(f"{name}: exemption {exemption['id']!r} needs a yes/no question")
        if (exemption.get("requires") or exemption.get("not_when")) and "not_applicable" not in exemption:
            raise ConfigError(f"{name}: exemption {exemption['id']!r} can be refused but says not why")
    for risk in data["risks"]:
        _check_risk(risk, data["questions"], name)
    for retired in data.get("retired_questions", ()):
        if retired["id"] in by_id or retired["replaced_by"] not in by_id:
            raise ConfigError(f"{name}: retired question {retired['id']!r} clashes or has no replacement")


def _conditions(data: dict[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for item in [*data["questions"], *data["risks"]]:
        found += [(item["id"], rule["when"]) for rule in item.get("articles_if", ())]
        found += [(item["id"], c) for key in ("implied_by", "triggers") for c in item.get(key, ())]
    found += [(case["id"], c) for case in data["art35_3"] for c in case["all_of"]]
    found += [(e["id"], c) for e in data["exemptions"] for c in e.get("requires", ())]
    return found


def _check_risk(risk: dict[str, Any], questions: list[dict[str, Any]], name: str) -> None:
    roles = {q["role"]: q for q in questions if q.get("risk") == risk["id"]}
    if not {"measures", "severity", "likelihood"} <= set(roles):
        raise ConfigError(f"{name}: risk {risk['id']!r} lacks a measures, severity or likelihood question")
    if set(risk["max_reduction"]) != set(risk_register.AXES):
        raise ConfigError(f"{name}: risk {risk['id']!r} needs max_reduction for severity and likelihood")
    for option in roles["measures"]["options"]:
        amount = option.get("by")
        if option.get("reduces") not in risk_register.AXES or not isinstance(amount, int | float) \
                or isinstance(amount, bool) or not 0 < amount <= 3:
            raise ConfigError(f"{name}: measure {option['value']!r} of {risk['id']!r} needs reduces and by")


# --- validation ---------------------------------------------------------------------------------


def validate_answers(answers: Any, questionnaire: dict[str, Any]) -> dict[str, Any]:
    """Check `answers` against the questionnaire and return them normalised (levels as 1-4)."""
    if not isinstance(answers, dict):
        raise InvalidRequestError("dpia: answers must be an object of question id -> answer")
    by_id = {q["id"]: q for q in questionnaire["questions"]}
    retired = {r["id"]: r for r in questionnaire.get("retired_questions", ())}
    normalised: dict[str, Any] = {}
    mapped: dict[str, Any] = {}
    for question_id, value in answers.items():
        known = isinstance(question_id, str) and (question_id in by_id or question_id in retired)
        if not known:
            raise InvalidRequestError(f"dpia: unknown question {str(question_id)[:80]!r}")
        if value is None:  # the form sends null for a question left open
            continue
        if question_id in retired:
            mapped.update(_retired_answer(retired[question_id], value, by_id, questionnaire))
        else:
            normalised[question_id] = _VALIDATORS[by_id[question_id]["type"]](by_id[question_id], value,
                                                                              questionnaire)
    return {**mapped, **normalised}  # an answer to the new question wins over a mapped old one


def _retired_answer(retired: dict[str, Any], value: Any, by_id: dict[str, dict[str, Any]],
                    questionnaire: dict[str, Any]) -> dict[str, Any]:
    """A dpia_v1 answer to a retired question, as the answer to the question that replaced it."""
    _VALIDATORS[retired["type"]](retired, value, questionnaire)
    replacement = next((new for old, new in retired.get("map", {}).items() if _same(old, value)), None)
    if replacement is None:
        return {}
    target = by_id[retired["replaced_by"]]
    return {target["id"]: _VALIDATORS[target["type"]](target, replacement, questionnaire)}


def _same(old: Any, value: Any) -> bool:
    return type(old) is type(value) and old == value


def _option_values(question: dict[str, Any]) -> list[str]:
    return [option["value"] for option in question["options"]]


def _bool(question: dict[str, Any], value: Any, _: dict[str, Any]) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequestError(f"dpia: question {question['id']!r} expects true or false")
    return value


def _choice(question: dict[str, Any], value: Any, _: dict[str, Any]) -> str:
    allowed = _option_values(question)
    if not isinstance(value, str) or value not in allowed:
        raise InvalidRequestError(f"dpia: question {question['id']!r} expects one of: {', '.join(allowed)}")
    return value


def _multi(question: dict[str, Any], value: Any, _: dict[str, Any]) -> list[str]:
    allowed = _option_values(question)
    if not isinstance(value, list) or any(not isinstance(item, str) or item not in allowed for item in value):
        raise InvalidRequestError(
            f"dpia: question {question['id']!r} expects a list of: {', '.join(allowed)}")
    return [item for item in allowed if item in value]  # questionnaire order, no duplicates


def _text(question: dict[str, Any], value: Any, _: dict[str, Any]) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS:
        raise InvalidRequestError(
            f"dpia: question {question['id']!r} expects text of at most {MAX_TEXT_CHARS} characters")
    return value.strip()


def _level(question: dict[str, Any], value: Any, questionnaire: dict[str, Any]) -> int:
    levels = questionnaire["levels"]
    for level in levels:
        if value == level["value"] or (type(value) is int and value == level["score"]):
            return int(level["score"])
    names = ", ".join(level["value"] for level in levels)
    raise InvalidRequestError(f"dpia: question {question['id']!r} expects a level 1-4 or one of: {names}")


_VALIDATORS = {"bool": _bool, "choice": _choice, "multi": _multi, "text": _text, "level": _level}
_LOCATION_KEYS = ("path", "line", "page", "url", "table", "column", "question")


def _validate_evidence(evidence: Any) -> list[dict[str, Any]]:
    if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE_ITEMS:
        raise InvalidRequestError(f"dpia: evidence must be a list of at most {MAX_EVIDENCE_ITEMS} findings")
    return [_evidence_item(index, item) for index, item in enumerate(evidence)]


def _evidence_item(index: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("type"), str):
        raise InvalidRequestError(f"dpia: evidence item {index} must be a finding with a string type")
    severity = item.get("severity", "info")
    if severity not in SEVERITY_ORDER:
        raise InvalidRequestError(f"dpia: evidence item {index} has an unknown severity")
    raw_location = item.get("location")
    location: dict[str, Any] = raw_location if isinstance(raw_location, dict) else {}
    # only the citation travels on: type, severity, confidence, scanner and where; never the evidence text
    return {
        "type": item["type"][:100],
        "severity": severity,
        "confidence": _confidence(index, item.get("confidence", DEFAULT_EVIDENCE_CONFIDENCE)),
        "scanner": str(item.get("scanner", ""))[:40],
        "location": {k: location[k] for k in _LOCATION_KEYS if isinstance(location.get(k), (str, int))},
    }


def _confidence(index: int, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not 0 <= value <= 1:
        raise InvalidRequestError(f"dpia: evidence item {index} needs a confidence between 0 and 1")
    return float(value)


# --- assessment ---------------------------------------------------------------------------------


def assess(questionnaire: dict[str, Any], answers: dict[str, Any],
           evidence: list[dict[str, Any]]) -> tuple[dict[str, Any], list[Finding]]:
    """Assess validated answers: the `dpia` section of the result and its findings."""
    screening = screen(questionnaire, answers, evidence)
    register = build_register(questionnaire, answers, evidence)
    outcome = verdict(screening, register)
    in_dpia = outcome in CARRIED_OUT  # the articles on a DPIA's content hold only when one is made
    content = tuple(questionnaire["dpia_content_articles"])
    consultation = prior_consultation(register)
    findings = _gap_findings(questionnaire, answers, in_dpia)
    findings += [_refused_exemption_finding(refused) for refused in screening["exemptions_refused"]]
    findings += [_risk_finding(entry, screening["required"], () if in_dpia else content)
                 for entry in register if entry["applicable"]]
    findings += _prior_consultation_findings(consultation)
    cited = citations(questionnaire, answers, screening, findings)
    assessment = {
        "questionnaire_version": questionnaire["version"],
        "verdict": outcome,
        **screening,
        "context": _section_answers(questionnaire, answers, "context"),
        "risk_register": register,
        "mitigations": {entry["risk"]: entry["measures"] for entry in register if entry["applicable"]},
        "residual_risk": risk_register.overall_residual(register),
        "prior_consultation": consultation,
        "gaps": [f.location["question"] for f in findings if f.type.startswith("dpia.gap.")],
        "gdpr_articles": list(_kept(cited, () if in_dpia else content)),
        "evidence_cited": sum(len(entry["evidence"]) for entry in register),
    }
    return assessment, findings


def _section_answers(questionnaire: dict[str, Any], answers: dict[str, Any],
                     section: str) -> dict[str, Any]:
    ids = [q["id"] for q in questionnaire["questions"] if q["section"] == section]
    return {qid: answers[qid] for qid in ids if qid in answers}


def _gap_findings(questionnaire: dict[str, Any], answers: dict[str, Any], in_dpia: bool) -> list[Finding]:
    findings = []
    for question in questionnaire["questions"]:
        gap = question.get("gap")
        if not gap or not applies(question, answers) or (gap.get("dpia_only") and not in_dpia):
            continue
        value = answers.get(question["id"], UNANSWERED)
        when = gap["when"] if isinstance(gap["when"], list) else [gap["when"]]
        # `value in when` would treat True as 1 and False as 0; compare types too
        if any(_same(w, value) for w in when):
            findings.append(_gap_finding(question, gap, value, answers))
    return findings


def _gap_finding(question: dict[str, Any], gap: dict[str, Any], value: Any,
                 answers: dict[str, Any]) -> Finding:
    shown = {True: "yes", False: "no"}.get(value, value) if value != UNANSWERED else "not answered"
    return Finding(
        type=f"dpia.gap.{question['id']}",
        category="dpia",
        severity=Severity(gap["severity"]),
        confidence=0.6 if value == UNANSWERED else 1.0,  # an open question may hide a safeguard
        location={"question": question["id"], "section": question["section"]},
        evidence=f"answer: {shown}",
        gdpr_articles=tuple(dict.fromkeys([*question.get("articles", []), *articles_if(question, answers)])),
        remediation=gap["remediation"],
        explanation={"question": question["text"]},
    )


def _refused_exemption_finding(refused: dict[str, Any]) -> Finding:
    return Finding(
        type="dpia.exemption_not_applicable", category="dpia", severity=Severity.MEDIUM, confidence=1.0,
        location={"question": refused["question"], "section": "exemptions"}, evidence="answer: yes",
        gdpr_articles=tuple(refused["articles"]), remediation=refused["reason"]["en"],
        explanation={"exemption": refused["exemption"], "reason": refused["reason"]})


def _risk_finding(entry: dict[str, Any], required: bool, left_out: tuple[str, ...]) -> Finding:
    location = {"risk": entry["risk"]}
    if not entry["assessed"]:
        return Finding(
            type="dpia.risk_not_assessed", category="dpia",
            severity=Severity.MEDIUM if required else Severity.INFO, confidence=1.0,
            location=location, evidence="severity or likelihood not answered",
            gdpr_articles=_kept(("Art. 35(7)(c)",), left_out),
            remediation="Rate the severity and likelihood of this risk to data subjects.",
            explanation={"risk": entry["title"], "triggered_by": entry["triggered_by"]})
    inherent, residual = entry["inherent"], entry["residual"]
    return Finding(
        type=f"dpia.risk.{entry['risk']}", category="dpia",
        severity=RISK_FINDING_SEVERITY[residual["level"]], confidence=1.0, location=location,
        evidence=f"inherent {inherent['level']} ({inherent['severity']}x{inherent['likelihood']}), "
                 f"residual {residual['level']} ({residual['severity']}x{residual['likelihood']})",
        gdpr_articles=_kept(entry["articles"], left_out),
        remediation="Add measures that address this risk until the residual risk is acceptable, or consult "
                    "the AP before processing (Art. 36(1)).",
        explanation={"risk": entry["title"], "measures": entry["measures"], "reduction": entry["reduction"],
                     "triggered_by": entry["triggered_by"], "evidence": entry["evidence"],
                     "raised_by_evidence": entry["raised_by_evidence"]})


def _kept(articles: Any, left_out: tuple[str, ...]) -> tuple[str, ...]:
    """`articles` without those starting with one of `left_out` (none left out when it is empty)."""
    return tuple(a for a in articles if not (left_out and a.startswith(left_out)))


def prior_consultation(register: list[dict[str, Any]]) -> dict[str, Any]:
    """Art. 36(1): consult the AP before processing whenever a high or very high residual risk remains."""
    remaining = risk_register.high_residual(register)
    return {"required": bool(remaining), "articles": list(PRIOR_CONSULTATION_ARTICLES),
            "risks": [{"risk": e["risk"], "title": e["title"], "residual": e["residual"]} for e in remaining]}


def _prior_consultation_findings(consultation: dict[str, Any]) -> list[Finding]:
    if not consultation["required"]:
        return []
    risks = consultation["risks"]
    listed = ", ".join(f"{r['risk']} ({r['residual']['level']} {r['residual']['severity']}x"
                       f"{r['residual']['likelihood']})" for r in risks)
    return [Finding(
        type="dpia.prior_consultation_required", category="dpia", severity=Severity.HIGH,
        confidence=1.0, location={"risk": ",".join(r["risk"] for r in risks)},
        evidence=f"{len(risks)} risk(s) remain high or very high after measures: {listed}",
        gdpr_articles=PRIOR_CONSULTATION_ARTICLES,
        remediation="Consult the Autoriteit Persoonsgegevens before starting the processing, or add measures "
                    "until no high residual risk remains.",
        explanation={"risks": [r["title"] for r in risks]})]
