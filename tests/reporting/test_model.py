"""The report model: bounded grouping, totals that add up, the one scoring formula, no raw fields."""

from __future__ import annotations

from typing import Any

from services import scoring
from services.reporting import model as report_model
from services.reporting.dpia_summary import dpia_summaries
from services.reporting.model import build_model, location_key, position_text, sort_articles
from services.results import Severity, unfinished_result
from services.scanners import get_scanner
from services.scanners.base import no_progress
from tests.reporting.samples import ALL_SCANNERS, _result, code_result, finding, large_result


def test_large_result_is_grouped_within_bounds_and_totals_add_up() -> None:
    result = large_result(5000)
    model = build_model([result])
    assert model.total == 5000
    assert sum(section.count for section in model.sections) == 5000
    for section in model.sections:
        assert len(section.groups) <= report_model.GROUPS_PER_TYPE
        assert sum(g.count for g in section.groups) + section.hidden_findings == section.count
        assert len(section.groups) + section.hidden_groups == section.locations
        assert all(len(g.examples) <= report_model.EXAMPLES_PER_GROUP for g in section.groups)
        assert all(len(g.positions) <= report_model.POSITIONS_PER_GROUP for g in section.groups)
    assert model.score is not None
    assert model.score.score == result["summary"]["compliance_score"]


def test_sections_are_ordered_worst_first_then_by_points() -> None:
    model = build_model([make() for make in ALL_SCANNERS.values()])
    ranks = [report_model.severity_rank(s.worst) for s in model.sections]
    assert ranks == sorted(ranks)
    assert model.sections[0].worst == "critical"


def test_suppressed_findings_are_kept_apart_and_not_scored() -> None:
    result = code_result()
    model = build_model([result])
    assert model.suppressed_total == 1
    assert [f["type"] for _, f in model.suppressed] == ["secret.password"]
    assert "secret.password" not in [s.type for s in model.sections]
    active = [f for f in result["findings"] if not f.get("suppressed")]
    assert model.score == scoring.score_findings(active)
    assert model.scans[0].findings == 3 and model.scans[0].suppressed == 1


def test_model_never_carries_fields_other_than_the_exportable_ones() -> None:
    model = build_model([code_result()])
    text = repr(model)
    assert "raw_value" not in text and "raw_request" not in text
    assert "111222333" not in text and "AKIAIOSFODNN7EXAMPLE" not in text


def test_scans_without_a_score_give_no_overall_score() -> None:
    model = build_model([unfinished_result("api", "failed", "connection refused")])
    assert model.score is None
    assert model.scans[0].score is None and model.scans[0].errors == ["connection refused"]


def test_location_keys_and_positions_for_each_location_shape() -> None:
    assert location_key({"path": "a.py", "line": 3}) == "a.py"
    assert position_text({"path": "a.py", "line": 3}) == "3"
    assert position_text({"path": "r.pdf", "page": 2}) == "p2"
    assert position_text({"path": "x.xlsx", "sheet": "2026", "line": 18}) == "2026:18"
    assert location_key({"schema": "public", "table": "t", "column": "c"}) == "public.t"
    assert position_text({"schema": "public", "table": "t", "column": "c"}) == "c"
    assert location_key({"url": "https://x.nl/a"}) == "https://x.nl/a"
    assert location_key({"question": "q1"}) == "question=q1"


def test_articles_sort_by_number_then_other_laws() -> None:
    assert sort_articles({"Art. 32", "Art. 5", "UAVG Art. 46", "Art. 9", "AI Act Art. 14"}) == [
        "Art. 5", "Art. 9", "Art. 32", "AI Act Art. 14", "UAVG Art. 46"]
    assert sort_articles(["GDPR Art. 32", "UAVG Art. 46", "GDPR Art. 5(1)(c)", "GDPR Art. 87"]) == [
        "GDPR Art. 5(1)(c)", "GDPR Art. 32", "GDPR Art. 87", "UAVG Art. 46"]


def test_article_map_counts_findings_per_article() -> None:
    rows = [finding("pii.bsn", "pii", Severity.HIGH, {"path": f"f{i}.py", "line": 1}, "x", evidence="*",
                    articles=("Art. 9", "UAVG Art. 46")) for i in range(3)]
    rows.append(finding("pii.email", "pii", Severity.LOW, {"path": "g.py", "line": 1}, "x", evidence="*",
                        articles=("Art. 9",)))
    model = build_model([_result("code", rows)])
    assert model.articles == [("Art. 9", ["pii.bsn", "pii.email"], 4), ("UAVG Art. 46", ["pii.bsn"], 3)]


def test_long_evidence_is_clipped_in_examples() -> None:
    row = finding("secret.private_key", "secret", Severity.CRITICAL, {"path": "k.pem", "line": 1}, "x",
                  evidence="-----BEGIN " + "*" * 300)
    group = build_model([_result("code", [row])]).sections[0].groups[0]
    assert len(group.examples[0]) == report_model.EVIDENCE_CHARS and group.examples[0].endswith("...")


# --- the DPIA section ----------------------------------------------------------------------------------

def credit_database_dpia() -> dict[str, Any]:
    """A real DPIA result: WP248's national credit database with four security measures and a purpose
    sentence that must never reach a report."""
    from tests.scanners.test_dpia import CREDIT_DATABASE, FOUR_SECURITY_MEASURES

    answers = {**CREDIT_DATABASE, "illegitimate_access_measures": FOUR_SECURITY_MEASURES,
               "processing_purposes": PURPOSE_SENTENCE}
    return get_scanner("dpia").scan({"answers": answers}, no_progress)


PURPOSE_SENTENCE = "Purpose-sentence-Q7 about Jan Jansen"  # a free-text answer: never copied into a report


def test_a_dpia_result_gives_its_verdict_risks_and_prior_consultation_and_no_free_text() -> None:
    model = build_model([credit_database_dpia()])
    [summary] = model.dpia
    assert (summary.verdict, summary.required, summary.version) == ("required", True, "dpia_v2")
    assert summary.mandatory_cases == ["Art. 35(3)(a)"] and summary.exemption is None
    assert summary.prior_consultation
    consulted = {t["en"] for t in summary.consultation_risks}
    assert "Wrongful exclusion from a service, contract or right" in consulted
    kinds = {risk.risk: risk.kind for risk in summary.risks}
    assert kinds["wrongful_exclusion"] == "rights" and kinds["illegitimate_access"] == "security"
    assert "chilling_effect" not in kinds  # not triggered by these answers
    access = next(r for r in summary.risks if r.risk == "illegitimate_access")
    assert (access.inherent, access.inherent_rating, access.residual, access.residual_rating) == (
        "very_high", "3x4", "high", "3x2")
    assert access.measures["nl"][0] == "Versleuteling in opslag en transport (-1 waarschijnlijkheid)"
    assert "Art. 36(1)" in summary.articles
    assert PURPOSE_SENTENCE not in repr(model)


def test_a_dpia_section_is_read_field_by_field() -> None:
    v1 = {"verdict": "required", "required": True, "secret_note": "111222333",
          "reasons": [{"text": {"en": "Health data?", "nl": "Gezondheid?"}, "list": "ap_list",
                       "articles": ["Art. 9"]}, "not a reason", {"text": "no languages"}],
          "risk_register": [{"risk": "illegitimate_access", "title": {"en": "Access", "nl": "Toegang"},
                             "measures": ["mfa"], "inherent": {"severity": 4, "likelihood": "x",
                                                               "level": "very_high"},
                             "residual": {"level": "apocalyptic"}}],
          "gdpr_articles": ["Art. 9", 35]}
    [summary] = dpia_summaries([{"job_id": "j1", "dpia": v1}, {"dpia": {"verdict": "maybe"}}, {"dpia": []}])
    assert summary.version == "dpia_v1" and [r.ground for r in summary.reasons] == ["ap_list"]
    [risk] = summary.risks
    assert (risk.inherent, risk.inherent_rating, risk.residual) == ("very_high", "", "not_assessed")
    assert risk.measures == {"en": ["mfa"], "nl": ["mfa"]} and summary.articles == ["Art. 9"]
    assert "111222333" not in repr(summary) and not summary.prior_consultation
