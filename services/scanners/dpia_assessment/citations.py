"""The articles a DPIA engages: each only when its condition holds, with its paragraph, in reading order.

Sources: the screening reasons whose ground obliges (an exemption's own articles instead when it
lifts them);
every finding; the option chosen in an applicable question (the legal basis, the Art. 9(2) or Art. 10
ground, the transfer mechanism, a data category); a question marked `cites_when` (true: answered yes;
answered: answered at all; a list: answered with one of its values); a section's own articles once
any of its questions is answered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from services.results import Finding
from services.scanners.dpia_assessment.conditions import applies, articles_if

_ARTICLE = re.compile(r"^(?:(?P<law>[A-Z]{2,}) )?Art\. (?P<number>\d+)(?P<rest>.*)$")
_RECITAL = re.compile(r"^Recital (?P<number>\d+)$")
_PART = re.compile(r"\(([^)]*)\)")


def citations(questionnaire: dict[str, Any], answers: dict[str, Any], screening: dict[str, Any],
              findings: Iterable[Finding]) -> list[str]:
    """Every article the assessment engages, GDPR first, then recitals, then other laws."""
    cited: set[str] = set()
    for reason in screening["reasons"]:
        # a criterion alone engages Art. 35(1) only when its ground obliges (two WP248 criteria)
        obliges = reason["list"] in screening["obligation_grounds"]
        if obliges and not reason["neutralised_by"] and not reason["lifted"]:
            cited.update(reason["articles"])
    if screening["exemption"]:
        cited.update(screening["exemption"]["articles"])
    for finding in findings:
        cited.update(finding.gdpr_articles)
    answered = [q for q in questionnaire["questions"] if q["id"] in answers]
    for question in answered:
        if applies(question, answers):
            cited.update(_answer_articles(question, answers))
    sections = {q["section"] for q in answered}
    for section in questionnaire["sections"]:
        if section["id"] in sections:
            cited.update(section.get("articles", ()))
    return sorted(cited, key=citation_key)


def _answer_articles(question: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    value = answers[question["id"]]
    chosen = value if isinstance(value, list) else [value]
    found = [article for option in question.get("options", ()) if option["value"] in chosen
             for article in option.get("articles", ())]
    when = question.get("cites_when")
    if (when is True and value is True) or (when == "answered" and value not in ("", [])) \
            or (isinstance(when, list) and value in when):
        found += [*question.get("articles", ()), *articles_if(question, answers)]
    return found


def citation_key(citation: str) -> tuple[Any, ...]:
    """Sort key: GDPR articles by number and paragraph, then recitals, then other laws by name."""
    article = _ARTICLE.match(citation)
    if article:
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _PART.findall(article["rest"]))
        law = article["law"] or ""
        return (2 if law else 0, law, int(article["number"]), parts, citation)
    recital = _RECITAL.match(citation)
    if recital:
        return (1, "", int(recital["number"]), (), citation)
    return (3, citation, 0, (), citation)
