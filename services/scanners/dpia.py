"""The DPIA scanner: a data protection impact assessment from questionnaire answers.

The questionnaire is versioned data (data/dpia_v1.yaml), shaped like GDPR Art. 35(7) and the CNIL
PIA method. `scan` validates the answers against it, decides whether a DPIA is required (the EDPB
WP248 criteria and the Dutch AP list), builds a risk register (severity x likelihood, lowered by the
measures claimed, raised by evidence from other scans) and turns every gap and risk into a finding.

Request: `answers` (question id -> answer) and optional `evidence` (findings of other scans).
"""

from __future__ import annotations

import copy
import fnmatch
import functools
import logging
import math
import re
from pathlib import Path
from typing import Any

import yaml

from services.results import Finding, Severity, build_result, utc_now_iso
from services.scanners.base import Progress, Request, Result
from utils.errors import ConfigError, InvalidRequestError

logger = logging.getLogger(__name__)

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
QUESTIONNAIRE_PATH = Path(__file__).parent / "data" / "dpia_v1.yaml"
QUESTION_TYPES = ("bool", "choice", "multi", "text", "level")
MAX_TEXT_CHARS = 4000  # a long description is fine; a pasted dataset is not an answer
MAX_EVIDENCE_ITEMS = 10_000
UNANSWERED = "unanswered"
# Each two measures claimed on an axis lower it one level (rounded up): one measure already
# helps, but no single measure takes a "maximum" risk down to "negligible".
MEASURES_PER_LEVEL = 2
SEVERITY_ORDER = [s.value for s in Severity]
# residual level -> finding severity; a low residual risk is accepted, so it costs no points
RISK_FINDING_SEVERITY = {"low": Severity.INFO, "moderate": Severity.MEDIUM,
                         "high": Severity.HIGH, "very_high": Severity.CRITICAL}
ALWAYS_ENGAGED = ("Art. 5", "Art. 6", "Art. 25", "Art. 32")  # principles, lawfulness, by design, security
_ARTICLE_NUMBER = re.compile(r"Art\. (\d+)")


class DpiaScanner:
    """Scanner that assesses questionnaire answers as a DPIA."""

    name = "dpia"

    def scan(self, request: Request, progress: Progress) -> Result:
        """Validate the answers, assess them and return findings plus the `dpia` section."""
        started_at = utc_now_iso()
        questionnaire = _questionnaire()
        answers = validate_answers(request.get("answers", {}), questionnaire)
        evidence = _validate_evidence(request.get("evidence", []))
        progress(30.0, f"assessing {len(answers)} answers and {len(evidence)} evidence items")
        assessment, findings = assess(questionnaire, answers, evidence)
        progress(100.0, f"DPIA verdict: {assessment['verdict']}")
        logger.info("scanner dpia: verdict %s, %d findings", assessment["verdict"], len(findings))
        return build_result(self.name, findings, started_at=started_at, items_scanned=len(answers),
                            extra={"dpia": assessment})


def load_questionnaire() -> dict[str, Any]:
    """The DPIA questionnaire (a copy the caller may change), for rendering the form."""
    return copy.deepcopy(_questionnaire())


@functools.lru_cache(maxsize=1)
def _questionnaire() -> dict[str, Any]:
    with QUESTIONNAIRE_PATH.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_YAML_LOADER)
    _check_questionnaire(data)
    return data


def _check_questionnaire(data: dict[str, Any]) -> None:
    # the questionnaire ships with the code: a mistake in it must stop the worker at start-up
    ids = [q["id"] for q in data["questions"]]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{QUESTIONNAIRE_PATH.name}: duplicate question ids")
    for question in data["questions"]:
        if question["type"] not in QUESTION_TYPES:
            raise ConfigError(f"{QUESTIONNAIRE_PATH.name}: question {question['id']!r} has an unknown type")
        if question["type"] in ("choice", "multi") and not question.get("options"):
            raise ConfigError(f"{QUESTIONNAIRE_PATH.name}: question {question['id']!r} has no options")
        for target in question.get("applies_if", {}):
            if target not in ids:
                raise ConfigError(
                    f"{QUESTIONNAIRE_PATH.name}: {question['id']!r} depends on unknown {target!r}")


# --- validation ---------------------------------------------------------------------------------


def validate_answers(answers: Any, questionnaire: dict[str, Any]) -> dict[str, Any]:
    """Check `answers` against the questionnaire and return them normalised (levels as 1-4)."""
    if not isinstance(answers, dict):
        raise InvalidRequestError("dpia: answers must be an object of question id -> answer")
    by_id = {q["id"]: q for q in questionnaire["questions"]}
    normalised: dict[str, Any] = {}
    for question_id, value in answers.items():
        question = by_id.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            raise InvalidRequestError(f"dpia: unknown question {str(question_id)[:80]!r}")
        if value is None:  # the form sends null for a question left open
            continue
        normalised[question_id] = _VALIDATORS[question["type"]](question, value, questionnaire)
    return normalised


def _option_values(question: dict[str, Any]) -> list[str]:
    return [option["value"] for option in question["options"]]


def _bool(question: dict[str, Any], value: Any, _: dict[str, Any]) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequestError(f"dpia: question {question['id']!r} expects true or false")
    return value


def _choice(question: dict[str, Any], value: Any, _: dict[str, Any]) -> str:
    allowed = _option_values(question)
    if value not in allowed:
        raise InvalidRequestError(f"dpia: question {question['id']!r} expects one of: {', '.join(allowed)}")
    return str(value)


def _multi(question: dict[str, Any], value: Any, _: dict[str, Any]) -> list[str]:
    allowed = _option_values(question)
    if not isinstance(value, list) or any(item not in allowed for item in value):
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
    # only the citation travels on: type, severity, scanner and where; never the evidence text
    return {
        "type": item["type"][:100],
        "severity": severity,
        "scanner": str(item.get("scanner", ""))[:40],
        "location": {k: location[k] for k in _LOCATION_KEYS if isinstance(location.get(k), (str, int))},
    }


# --- assessment ---------------------------------------------------------------------------------


def assess(questionnaire: dict[str, Any], answers: dict[str, Any],
           evidence: list[dict[str, Any]]) -> tuple[dict[str, Any], list[Finding]]:
    """Assess validated answers: the `dpia` section of the result and its findings."""
    screening = _screening(questionnaire, answers, evidence)
    register = [_risk_entry(questionnaire, risk, answers, evidence) for risk in questionnaire["risks"]]
    findings = _gap_findings(questionnaire, answers)
    findings += [_risk_finding(entry, screening["required"]) for entry in register]
    findings += _prior_consultation(register)
    assessment = {
        "questionnaire_version": questionnaire["version"],
        **screening,
        "context": _section_answers(questionnaire, answers, "context"),
        "risk_register": register,
        "mitigations": {entry["risk"]: entry["measures"] for entry in register},
        "residual_risk": _overall_residual(register),
        "gaps": [f.location["question"] for f in findings if f.type.startswith("dpia.gap.")],
        "gdpr_articles": _articles_engaged(questionnaire, answers, screening, findings),
        "evidence_cited": sum(len(entry["evidence"]) for entry in register),
    }
    return assessment, findings


def _questions(questionnaire: dict[str, Any], **where: Any) -> list[dict[str, Any]]:
    return [q for q in questionnaire["questions"] if all(q.get(k) == v for k, v in where.items())]


def _applies(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    for target, expected in question.get("applies_if", {}).items():
        given = answers.get(target)
        if not (expected in given if isinstance(given, list) else given == expected):
            return False
    return True


def _screening(questionnaire: dict[str, Any], answers: dict[str, Any],
               evidence: list[dict[str, Any]]) -> dict[str, Any]:
    by_evidence = _criteria_from_evidence(questionnaire, evidence)
    reasons = []
    for question in _questions(questionnaire, section="screening"):
        source = "answer" if answers.get(question["id"]) is True else by_evidence.get(question["id"])
        if source:
            reasons.append({"criterion": question["id"], "list": question["criterion"], "source": source,
                            "text": question["text"], "articles": question.get("articles", [])})
    wp248 = sum(1 for r in reasons if r["list"] == "wp248")
    ap_hits = sum(1 for r in reasons if r["list"] == "ap_list")
    required = ap_hits > 0 or wp248 >= questionnaire["wp248_threshold"]
    unanswered = [q["id"] for q in _questions(questionnaire, section="screening") if q["id"] not in answers]
    return {"required": required, "verdict": _verdict(required, wp248, unanswered), "reasons": reasons,
            "wp248_criteria_met": wp248, "ap_list_matches": ap_hits, "unanswered_screening": unanswered}


def _verdict(required: bool, wp248: int, unanswered: list[str]) -> str:
    if required:
        return "required"
    if unanswered:
        return "incomplete"  # an open screening question could still make the DPIA mandatory
    # one WP248 criterion alone does not oblige a DPIA, but the choice not to do one must be argued
    return "recommended" if wp248 else "not_required"


def _criteria_from_evidence(questionnaire: dict[str, Any],
                            evidence: list[dict[str, Any]]) -> dict[str, str]:
    met: dict[str, str] = {}
    for rule in questionnaire["evidence_rules"]:
        if rule.get("criterion") and any(_matches(rule, item) for item in evidence):
            met[rule["criterion"]] = "evidence"
    return met


def _matches(rule: dict[str, Any], item: dict[str, Any]) -> bool:
    return fnmatch.fnmatchcase(item["type"], rule["match"])


def _gap_findings(questionnaire: dict[str, Any], answers: dict[str, Any]) -> list[Finding]:
    findings = []
    for question in questionnaire["questions"]:
        gap = question.get("gap")
        if not gap or not _applies(question, answers):
            continue
        value = answers.get(question["id"], UNANSWERED)
        when = gap["when"] if isinstance(gap["when"], list) else [gap["when"]]
        # `value in when` would treat True as 1 and False as 0; compare types too
        if any(type(value) is type(w) and value == w for w in when):
            findings.append(_gap_finding(question, gap, value))
    return findings


def _gap_finding(question: dict[str, Any], gap: dict[str, Any], value: Any) -> Finding:
    shown = {True: "yes", False: "no"}.get(value, value) if value != UNANSWERED else "not answered"
    return Finding(
        type=f"dpia.gap.{question['id']}",
        category="dpia",
        severity=Severity(gap["severity"]),
        confidence=0.6 if value == UNANSWERED else 1.0,  # an open question may hide a safeguard
        location={"question": question["id"], "section": question["section"]},
        evidence=f"answer: {shown}",
        gdpr_articles=tuple(question.get("articles", [])),
        remediation=gap["remediation"],
        explanation={"question": question["text"]},
    )


# --- risk register ------------------------------------------------------------------------------


def _risk_entry(questionnaire: dict[str, Any], risk: dict[str, Any], answers: dict[str, Any],
                evidence: list[dict[str, Any]]) -> dict[str, Any]:
    rid = risk["id"]
    severity, likelihood = answers.get(f"{rid}_severity"), answers.get(f"{rid}_likelihood")
    cited = _risk_evidence(questionnaire, rid, evidence)
    entry: dict[str, Any] = {
        "risk": rid, "title": {"en": risk["en"], "nl": risk["nl"]}, "articles": risk["articles"],
        "sources": answers.get(f"{rid}_sources", []), "impacts": answers.get(f"{rid}_impacts", ""),
        "measures": answers.get(f"{rid}_measures", []), "evidence": cited, "assessed": False,
    }
    if severity is None or likelihood is None:
        return entry
    if _raises(questionnaire, cited):
        likelihood = min(4, likelihood + 1)  # a real weakness found by a scan makes the event likelier
    reduced = _reductions(questionnaire, rid, entry["measures"])
    residual_sev = max(1, severity - reduced["severity"])
    residual_lik = max(1, likelihood - reduced["likelihood"])
    entry.update(assessed=True, raised_by_evidence=_raises(questionnaire, cited),
                 inherent={"severity": severity, "likelihood": likelihood,
                           "level": risk_level(severity, likelihood)},
                 residual={"severity": residual_sev, "likelihood": residual_lik,
                           "level": risk_level(residual_sev, residual_lik)})
    return entry


def risk_level(severity: int, likelihood: int) -> str:
    """Risk level of a severity x likelihood pair, each on the four CNIL levels."""
    product = severity * likelihood
    if product <= 2:
        return "low"
    if product <= 4:
        return "moderate"
    return "high" if product <= 8 else "very_high"


def _risk_evidence(questionnaire: dict[str, Any], rid: str,
                   evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rules = [rule for rule in questionnaire["evidence_rules"] if rid in rule.get("risks", [])]
    return [item for item in evidence if any(_matches(rule, item) for rule in rules)]


def _raises(questionnaire: dict[str, Any], cited: list[dict[str, Any]]) -> bool:
    floor = SEVERITY_ORDER.index(questionnaire["evidence_min_severity"])
    return any(SEVERITY_ORDER.index(item["severity"]) <= floor for item in cited)


def _reductions(questionnaire: dict[str, Any], rid: str, measures: list[str]) -> dict[str, int]:
    question = _questions(questionnaire, risk=rid, role="measures")[0]
    axes = {option["value"]: option["reduces"] for option in question["options"]}
    counts = {"severity": 0, "likelihood": 0}
    for measure in measures:
        counts[axes[measure]] += 1
    return {axis: math.ceil(n / MEASURES_PER_LEVEL) for axis, n in counts.items()}


def _risk_finding(entry: dict[str, Any], required: bool) -> Finding:
    location = {"risk": entry["risk"]}
    if not entry["assessed"]:
        return Finding(
            type="dpia.risk_not_assessed", category="dpia",
            severity=Severity.MEDIUM if required else Severity.INFO, confidence=1.0,
            location=location, evidence="severity or likelihood not answered",
            gdpr_articles=("Art. 35(7)(c)",),
            remediation="Rate the severity and likelihood of this risk to data subjects.",
            explanation={"risk": entry["title"]})
    inherent, residual = entry["inherent"], entry["residual"]
    return Finding(
        type=f"dpia.risk.{entry['risk']}", category="dpia",
        severity=RISK_FINDING_SEVERITY[residual["level"]], confidence=1.0, location=location,
        evidence=f"inherent {inherent['level']} ({inherent['severity']}x{inherent['likelihood']}), "
                 f"residual {residual['level']} ({residual['severity']}x{residual['likelihood']})",
        gdpr_articles=tuple(entry["articles"]),
        remediation="Add measures until the residual risk is acceptable, or consult the AP (Art. 36).",
        explanation={"risk": entry["title"], "measures": entry["measures"],
                     "evidence": entry["evidence"], "raised_by_evidence": entry["raised_by_evidence"]})


def _prior_consultation(register: list[dict[str, Any]]) -> list[Finding]:
    open_risks = [e["risk"] for e in register if e["assessed"] and e["residual"]["level"] == "very_high"]
    if not open_risks:
        return []
    return [Finding(
        type="dpia.prior_consultation_required", category="dpia", severity=Severity.HIGH,
        confidence=1.0, location={"risk": ",".join(open_risks)},
        evidence=f"{len(open_risks)} risk(s) remain very high after measures",
        gdpr_articles=("Art. 36",),
        remediation="Consult the Autoriteit Persoonsgegevens before starting the processing.")]


def _overall_residual(register: list[dict[str, Any]]) -> str:
    order = ["low", "moderate", "high", "very_high"]
    levels = [e["residual"]["level"] for e in register if e["assessed"]]
    return max(levels, key=order.index) if levels else "not_assessed"


def _section_answers(questionnaire: dict[str, Any], answers: dict[str, Any],
                     section: str) -> dict[str, Any]:
    ids = [q["id"] for q in _questions(questionnaire, section=section)]
    return {qid: answers[qid] for qid in ids if qid in answers}


def _articles_engaged(questionnaire: dict[str, Any], answers: dict[str, Any],
                      screening: dict[str, Any], findings: list[Finding]) -> list[str]:
    cited: set[str] = set(ALWAYS_ENGAGED)
    if screening["verdict"] != "not_required":
        cited.add("Art. 35")
    for reason in screening["reasons"]:
        cited.update(reason["articles"])
    for finding in findings:
        cited.update(finding.gdpr_articles)
    for question in questionnaire["questions"]:
        # a question whose "yes" brings a regime into play (processors, transfers) engages it
        if question["section"] == "context" and answers.get(question["id"]) is True:
            cited.update(question.get("articles", []))
    if "special_category" in answers.get("data_categories", []):
        cited.add("Art. 9")
    numbers = {int(m.group(1)) for article in cited if (m := _ARTICLE_NUMBER.match(article))}
    return [f"Art. {n}" for n in sorted(numbers)]
