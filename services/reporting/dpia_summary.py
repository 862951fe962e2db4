"""The DPIA part of a report: verdict, exemption, grounds, risks before and after measures, Art. 36(1).

Read from a result's `dpia` section field by field (a result given to the report scanner is input
like any other): only the fields named here are copied, every text is bounded, a malformed part is
left out, and free-text answers (purposes, impacts, the DPO's opinion, who signed) never are, so the
report cannot show more than the questionnaire's own wording, ids and levels. dpia_v1 sections have
no exemption, kinds or prior-consultation part and read as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("required", "recommended", "not_required", "incomplete")
LEVELS = ("low", "moderate", "high", "very_high")
MAX_REASONS = 40  # 26 screening criteria and 3 mandatory cases fit
MAX_RISKS = 20
MAX_ITEMS = 30  # measures, articles and triggers per row
MAX_CHARS = 300  # a questionnaire text is a sentence


@dataclass
class DpiaReason:
    """One ground of the screening: a criterion met or a mandatory case, and what became of it."""

    text: dict[str, str]
    ground: str  # wp248, ap_list or art35_3
    articles: list[str]
    set_aside: bool  # neutralised or lifted by the exemption


@dataclass
class DpiaRisk:
    """One risk of the register that applies."""

    risk: str
    title: dict[str, str]
    kind: str
    inherent: str  # level id or "not_assessed"
    inherent_rating: str  # "4x3", or "" when not assessed
    residual: str
    residual_rating: str
    measures: dict[str, list[str]]  # en, nl: the questionnaire's names, or the ids of a dpia_v1 register


@dataclass
class DpiaSummary:
    """What a report says about one DPIA result."""

    job_id: str
    version: str
    verdict: str
    required: bool
    exemption: dict[str, str] | None  # en, nl
    exemption_articles: list[str]
    mandatory_cases: list[str]
    reasons: list[DpiaReason] = field(default_factory=list)
    risks: list[DpiaRisk] = field(default_factory=list)
    prior_consultation: bool = False
    consultation_risks: list[dict[str, str]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


def dpia_summaries(results: Sequence[dict[str, Any]]) -> list[DpiaSummary]:
    """One summary per result that carries a readable `dpia` section."""
    found = []
    for result in results:
        section = result.get("dpia")
        if isinstance(section, dict) and section.get("verdict") in VERDICTS:
            found.append(_summary(str(result.get("job_id") or "-"), section))
    return found


def _summary(job_id: str, section: dict[str, Any]) -> DpiaSummary:
    exemption = section.get("exemption") if isinstance(section.get("exemption"), dict) else None
    consultation = section.get("prior_consultation")
    consultation = consultation if isinstance(consultation, dict) else {}
    return DpiaSummary(
        job_id=_clip(job_id), version=_clip(section.get("questionnaire_version") or "dpia_v1"),
        verdict=section["verdict"], required=section.get("required") is True,
        exemption=_texts(exemption.get("text")) if exemption else None,
        exemption_articles=_strings(exemption.get("articles")) if exemption else [],
        mandatory_cases=_strings(section.get("mandatory_cases")),
        reasons=[r for r in map(_reason, _items(section.get("reasons"), MAX_REASONS)) if r],
        risks=[r for r in map(_risk, _items(section.get("risk_register"), MAX_RISKS)) if r],
        prior_consultation=consultation.get("required") is True,
        consultation_risks=[t for t in (_texts(r.get("title")) for r in _items(consultation.get("risks"),
                                                                              MAX_RISKS)) if t],
        articles=_strings(section.get("gdpr_articles"), limit=80),
    )


def _reason(item: dict[str, Any]) -> DpiaReason | None:
    text = _texts(item.get("text"))
    if not text:
        return None
    return DpiaReason(text=text, ground=_clip(item.get("list") or ""),
                      articles=_strings(item.get("articles")),
                      set_aside=bool(item.get("neutralised_by")) or item.get("lifted") is True)


def _risk(item: dict[str, Any]) -> DpiaRisk | None:
    title = _texts(item.get("title"))
    if not title or item.get("applicable") is False:
        return None
    inherent, inherent_rating = _level(item.get("inherent"))
    residual, residual_rating = _level(item.get("residual"))
    return DpiaRisk(risk=_clip(item.get("risk") or ""), title=title,
                    kind="rights" if item.get("kind") == "rights" else "security",
                    inherent=inherent, inherent_rating=inherent_rating, residual=residual,
                    residual_rating=residual_rating, measures=_measures(item))


def _measures(item: dict[str, Any]) -> dict[str, list[str]]:
    labels = item.get("measure_labels")
    if isinstance(labels, dict) and all(isinstance(labels.get(lang), list) for lang in ("en", "nl")):
        return {lang: _strings(labels[lang]) for lang in ("en", "nl")}
    ids = _strings(item.get("measures"))
    return {"en": ids, "nl": ids}


def _level(part: Any) -> tuple[str, str]:
    if not isinstance(part, dict) or part.get("level") not in LEVELS:
        return "not_assessed", ""
    severity, likelihood = part.get("severity"), part.get("likelihood")
    rating = f"{severity}x{likelihood}" if all(type(v) is int for v in (severity, likelihood)) else ""
    return str(part["level"]), rating


def _items(value: Any, limit: int) -> list[dict[str, Any]]:
    return [item for item in value[:limit] if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: Any, limit: int = MAX_ITEMS) -> list[str]:
    return [_clip(v) for v in value[:limit] if isinstance(v, str)] if isinstance(value, list) else []


def _texts(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in ("en", "nl")):
        return None
    return {lang: _clip(value[lang]) for lang in ("en", "nl")}


def _clip(value: Any) -> str:
    text = str(value)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 3] + "..."
