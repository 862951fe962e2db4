"""The DPIA golden set: processing operations from the authorities' own examples, each with the verdict
its source gives and the sentence that decides it (fixtures/dpia_golden.yaml). Every case must agree,
and every case that keeps a high residual risk must carry the Art. 36(1) prior-consultation finding."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.scanners import get_scanner
from services.scanners.base import no_progress
from services.scanners.dpia import load_questionnaire

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "dpia_golden.yaml"
VERDICTS = ("required", "not_required", "recommended")
HIGH = ("high", "very_high")


@cache
def golden() -> dict[str, Any]:
    """The golden data file, read once."""
    return yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))


def golden_answers(case: dict[str, Any]) -> dict[str, Any]:
    """A case's answers: every screening criterion and exemption "no" unless named, then the defaults."""
    questions = load_questionnaire()["questions"]
    closed = {q["id"]: False for q in questions
              if q.get("criterion") or (q["section"] == "exemptions" and q["type"] == "bool")}
    return {**closed, **golden()["defaults"], **case["answers"]}


def assess(case: dict[str, Any]) -> dict[str, Any]:
    """The scanner's result for one golden case."""
    return get_scanner("dpia").scan({"answers": golden_answers(case)}, no_progress)


def disagreements(case: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Where the assessment differs from what the case expects (empty: it agrees)."""
    dpia, expect = result["dpia"], case["expect"]
    exemption = dpia["exemption"]["exemption"] if dpia["exemption"] else None
    cited = set(dpia["gdpr_articles"])
    found = {
        "verdict": (dpia["verdict"], expect["verdict"]),
        "exemption": (exemption, expect["exemption"]),
        "mandatory cases": (dpia["mandatory_cases"], expect["mandatory_cases"]),
        "prior consultation": (dpia["prior_consultation"]["required"], expect["prior_consultation"]),
        "articles missing": (sorted(set(expect["articles"]) - cited), []),
        "articles over-cited": (sorted(set(expect["not_articles"]) & cited), []),
    }
    return [f"{what}: got {got!r}, expected {want!r}" for what, (got, want) in found.items() if got != want]


def agreement() -> tuple[int, int]:
    """(cases whose verdict agrees with the source, cases)."""
    cases = golden()["cases"]
    agreed = sum(assess(case)["dpia"]["verdict"] == case["expect"]["verdict"] for case in cases)
    return agreed, len(cases)


CASES = golden()["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_golden_case_agrees_with_its_source(case: dict[str, Any]) -> None:
    result = assess(case)
    problems = disagreements(case, result)
    assert not problems, f"{case['source']}: {case['quote']}\n" + "\n".join(problems)
    dpia = result["dpia"]
    assert dpia["unanswered_screening"] == [] and dpia["exemptions_refused"] == []
    types = {finding["type"] for finding in result["findings"]}
    assert "dpia.risk_not_assessed" not in types, "a careful DPO rates every risk that applies"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_high_residual_risk_carries_a_prior_consultation_finding(case: dict[str, Any]) -> None:
    result = assess(case)
    register = result["dpia"]["risk_register"]
    high = {e["risk"] for e in register
            if e["applicable"] and e["assessed"] and e["residual"]["level"] in HIGH}
    consultation = [f for f in result["findings"] if f["type"] == "dpia.prior_consultation_required"]
    assert bool(high) == bool(consultation)
    if high:
        assert consultation[0]["gdpr_articles"] == ["Art. 36(1)"]
        assert set(consultation[0]["location"]["risk"].split(",")) == high
        assert {r["risk"] for r in result["dpia"]["prior_consultation"]["risks"]} == high


def test_golden_set_covers_the_sources_and_agrees_in_full() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 20 and len(set(ids)) == len(ids)
    assert all(case["source"].strip() and len(case["quote"]) > 40 for case in CASES)
    assert {case["expect"]["verdict"] for case in CASES} == set(VERDICTS)
    sources = " ".join(case["source"] for case in CASES)
    table = sum("III.B.a, table" in case["source"] for case in CASES)
    assert table == 9, "every row of WP248's table of examples"
    assert sources.count("AP list") >= 10 and "Guidelines 3/2019" in sources and "01/2020" in sources
    assert "Art. 35(5)" in sources and "Art. 35(10)" in sources and "Recital 91" in sources
    assert agreement() == (len(CASES), len(CASES))
