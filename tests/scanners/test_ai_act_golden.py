"""The AI Act golden set: AI systems the Regulation itself describes, each with the class the Act gives it
and the provision that decides it (fixtures/ai_act_golden.yaml). Every case must agree."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.scanners.ai_model import ai_act

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "ai_act_golden.yaml"
MIN_CASES = 25


@cache
def golden() -> dict[str, Any]:
    """The golden data file, read once."""
    loaded: dict[str, Any] = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    return loaded


def classify(case: dict[str, Any]) -> dict[str, Any]:
    """The `ai_act` section for one case's answers (validated as a request's would be)."""
    questionnaire = ai_act.load_questionnaire()
    answers = ai_act.validate_answers({**golden()["defaults"], **case["answers"]}, questionnaire)
    return ai_act.classify(questionnaire, answers)


def disagreements(case: dict[str, Any], section: dict[str, Any]) -> list[str]:
    """Where the classification differs from what the case expects (empty: it agrees)."""
    expect, decided = case["expect"], section["decided_by"]
    listed = {o["article"] for o in section["obligations"]}
    exception = section["art6_3_exception"]["article"] if section["art6_3_exception"] else None
    found = {
        "class": (decided["class"], expect["class"]),
        "article": (decided["article"], expect["article"]),
        "annex": (decided.get("annex"), expect.get("annex", decided.get("annex"))),
        "art. 6(3) exception": (exception, expect.get("art6_3")),
        "transparency": (
            section["transparency_duties"],
            expect.get("transparency", section["transparency_duties"]),
        ),
        "obligations missing": (sorted(set(expect.get("obligations", ())) - listed), []),
        "obligations over-listed": (sorted(set(expect.get("not_obligations", ())) & listed), []),
    }
    dates = {o["article"]: o["applies_from"] for o in section["obligations"]}
    for article, date in expect.get("dates", {}).items():
        found[f"date of {article}"] = (dates.get(article), date)
    if "gpai" in expect:
        found["gpai"] = ((section["gpai"] or {}).get("systemic_risk"), expect["gpai"]["systemic_risk"])
    return [f"{what}: got {got!r}, expected {want!r}" for what, (got, want) in found.items() if got != want]


def test_the_golden_set_is_large_enough_and_every_case_cites_its_source() -> None:
    cases = golden()["cases"]
    assert len(cases) >= MIN_CASES
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert case["source"] and case["quote"], case["id"]
    classes = {c["expect"]["class"] for c in cases}
    assert classes == set(ai_act.CLASSES), classes  # every class is exercised


@pytest.mark.parametrize("case", golden()["cases"], ids=lambda c: c["id"])
def test_golden_case(case: dict[str, Any]) -> None:
    section = classify(case)
    assert section["assessed"]
    problems = disagreements(case, section)
    assert not problems, f"{case['id']} ({case['source']}): " + "; ".join(problems)


def test_every_obligation_carries_its_article_and_date() -> None:
    case = next(c for c in golden()["cases"] if c["id"] == "medical_device_diagnosis")
    section = classify(case)
    for obligation in section["obligations"]:
        assert obligation["article"].startswith("Art.") and obligation["date_article"].startswith("Art.")
    dates = {o["article"]: o["applies_from"] for o in section["obligations"]}
    assert dates["Art. 9"] == "2027-08-02"  # Art. 113(c): Annex I products a year later
    assert dates["Art. 4"] == "2025-02-02"  # Art. 113(a)


def test_a_rule_reading_an_unknown_question_stops_the_questionnaire_from_loading() -> None:
    from utils.errors import ConfigError

    broken = ai_act.load_questionnaire()
    broken["classes"][1]["rules"][0]["all_of"] = [{"practises": "manipulation"}]  # a misspelt id
    with pytest.raises(ConfigError, match="unknown question 'practises'"):
        ai_act.check_questionnaire(broken, "broken.yaml")
