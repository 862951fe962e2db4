"""The PDF report: every scanner's result shape, both languages, suppressed findings, big reports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from services import scoring
from services.reporting.model import build_model
from services.reporting.pdf import ReportMeta, render_pdf
from services.results import ResultStatus, Severity, build_result, unfinished_result, utc_now_iso
from tests.reporting.pdftext import pdf_pages, pdf_text
from tests.reporting.samples import (
    ALL_SCANNERS,
    PLANTED,
    RAW_BSN,
    _result,
    code_result,
    finding,
    large_result,
)

DAY = date(2026, 11, 23)
EN_HEADINGS = ("Executive summary", "Findings by type and location", "GDPR article mapping",
               "Prioritised remediation plan", "Appendix: scope and method", "How the score is computed")
NL_HEADINGS = ("Managementsamenvatting", "Bevindingen per type en locatie", "Koppeling aan AVG-artikelen",
               "Geprioriteerd herstelplan", "Bijlage: reikwijdte en methode", "Zo wordt de score berekend")
# what each scanner's locations look like in the findings tables
LOCATIONS = {
    "code": ["src/settings.py", "12", "tests/fixtures/users.py"],
    "document": ["hr/salaris.pdf", "p3", "hr/verzuim.xlsx", "2026:18"],
    "image": ["photos/team.jpg", "scans/card.png"],
    "database": ["public.customers", "email", "public.payments", "card_no"],
    "website": ["https://shop.example.nl/", "https://shop.example.nl/checkout"],
    "api": ["https://api.example.nl/v1/users", "GET"],
    "ai_model": ["models/churn.pkl", "models/MODEL_CARD.md"],
    "dpia": ["question=retention_defined", "question=illegitimate_access"],
    "soc2": ["infra/main.tf", "k8s/deploy.yaml"],
}


def render(tmp_path: Path, results: list[dict[str, Any]], language: str = "en", **meta: Any) -> Path:
    """Render results to tmp_path/report.pdf and check the returned page count against the file."""
    meta = {"organisation": "Bakkerij De Vries B.V.", "title": "", **meta}
    data, pages = render_pdf(build_model(results), ReportMeta(language=language, generated=DAY, **meta))
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    assert len(PdfReader(str(path)).pages) == pages
    return path


def assert_no_raw_values(text: str) -> None:
    """Fail if any planted raw value reached the document."""
    leaked = [value for value in PLANTED if value in text]
    assert not leaked, f"raw values in report: {len(leaked)}"


@pytest.mark.parametrize("scanner", list(ALL_SCANNERS))
def test_every_scanner_result_renders_with_figures_locations_and_masked_evidence(
        tmp_path: Path, scanner: str) -> None:
    result = ALL_SCANNERS[scanner]()
    text = pdf_text(render(tmp_path, [result]))
    summary = result["summary"]
    active = [f for f in result["findings"] if not f.get("suppressed")]
    assert f"{summary['compliance_score']}/100" in text
    assert f"{len(active)} findings in 1 scans" in text
    for severity, count in summary["findings_by_severity"].items():
        if severity != "info":
            assert f"{count - _suppressed(result, severity)} {severity}" in text
    for location in LOCATIONS[scanner]:
        assert location in text
    for row in active:
        assert row["evidence"] in text
        assert row["type"] in text
    assert_no_raw_values(text)


def _suppressed(result: dict[str, Any], severity: str) -> int:
    return sum(1 for f in result["findings"] if f.get("suppressed") and f["severity"] == severity)


@pytest.mark.parametrize(("language", "present", "absent"), [
    ("en", EN_HEADINGS, NL_HEADINGS), ("nl", NL_HEADINGS, EN_HEADINGS)])
def test_all_scanners_in_one_report_in_each_language(
        tmp_path: Path, language: str, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    results = [make() for make in ALL_SCANNERS.values()]
    text = pdf_text(render(tmp_path, results, language))
    for heading in present:
        assert heading in text
    for heading in absent:
        assert heading not in text
    expected = scoring.score_findings(f for r in results for f in r["findings"]).score
    assert f"{expected}/100" in text
    assert "23 november 2026" in text.lower()
    security = {"en": "Security of processing", "nl": "Beveiliging van de verwerking"}[language]
    assert security in text
    assert_no_raw_values(text)


def test_dutch_report_translates_enumerations(tmp_path: Path) -> None:
    text = pdf_text(render(tmp_path, [code_result()], "nl"))
    dutch = ("Broncode", "voltooid", "Kritiek", "Verloren punten", "Bewijs (gemaskeerd)", "Vertrouwelijk")
    for label in dutch:
        assert label in text
    for english in ("Source code", "completed", "Points lost", "Evidence (masked)", "Confidential"):
        assert english not in text


def test_suppressed_findings_have_their_own_section_and_no_score(tmp_path: Path) -> None:
    result = code_result()
    pages = pdf_pages(render(tmp_path, [result]))
    before, marker, after = " ".join(pages).partition("Suppressed findings Findings marked")
    assert marker
    section = after.split("Appendix: scope and method", 1)[0]
    assert "deploy/app.env" in section and "secret.password" in section
    assert "deploy/app.env" not in before
    # the suppressed high finding is not scored: the report shows the result's own score
    assert f"{result['summary']['compliance_score']}/100" in pages[1]
    assert "3 findings in 1 scans" in pages[1] and "1 suppressed" in pages[1]


def test_appendix_explains_the_formula_and_each_breakdown(tmp_path: Path) -> None:
    result = code_result()
    text = pdf_text(render(tmp_path, [result]))
    assert f"min({scoring.CAP_PER_TYPE:g}, sum of severity points x confidence)" in text
    assert f"critical {scoring.SEVERITY_POINTS['critical']:g}" in text
    for row in result["summary"]["score_breakdown"]:
        assert re.search(rf"{re.escape(row['type'])} {row['findings']} {row['points']:g}", text)
    assert "job-code-0001" in text


def test_five_thousand_findings_stay_short_and_grouped(tmp_path: Path) -> None:
    result = large_result(5000)
    path = render(tmp_path, [result])
    pages = pdf_pages(path)
    assert len(pages) <= 12
    text = " ".join(pages)
    assert "5000 findings in 1 scans" in text
    assert re.search(r"pii\.bsn: 834 findings in \d+ locations", text)
    assert re.search(r"\.\.\. and \d+ more locations with \d+ findings", text)
    assert f"{result['summary']['compliance_score']}/100" in text
    assert_no_raw_values(text)


def test_markup_in_values_is_printed_not_interpreted(tmp_path: Path) -> None:
    hostile = finding("pii.email", "pii", Severity.LOW, {"path": "a<b>&c</b>.py", "line": 1}, "x",
                      evidence="<font size=40>j***@x.nl</font>")
    text = pdf_text(render(tmp_path, [_result("code", [hostile])], organisation="A & B <Ltd>"))
    assert "a<b>&c</b>.py" in text
    assert "<font size=40>j***@x.nl</font>" in text
    assert "A & B <Ltd>" in text


def test_failed_scan_is_listed_without_a_score(tmp_path: Path) -> None:
    failed = unfinished_result("website", "timed_out", "scan timed out after 600 s")
    text = pdf_text(render(tmp_path, [failed]))
    assert "not assessed" in text
    assert "scan timed out after 600 s" in text
    assert "No findings." in text


def _unreadable(written_by: str = "this version") -> dict[str, Any]:
    """A document scan that could not read its input, with one finding from before it stopped."""
    partial = finding("pii.bsn", "pii", Severity.HIGH, {"path": "contract.pdf", "page": 1}, RAW_BSN)
    result = build_result("document", [partial], started_at=utc_now_iso(), status=ResultStatus.FAILED,
                          errors=[{"path": "contract.pdf", "kind": "corrupt", "message": "unreadable"}])
    if written_by == "an older version":  # result files from before this rule said 100 / low
        result["summary"].update(compliance_score=100, risk_level="low")
    return result


@pytest.mark.parametrize(("language", "words"), [("en", "not assessed"), ("nl", "niet beoordeeld")])
@pytest.mark.parametrize("written_by", ["this version", "an older version"])
def test_a_scan_that_could_not_read_its_input_is_not_assessed(tmp_path: Path, language: str, words: str,
                                                              written_by: str) -> None:
    pages = pdf_pages(render(tmp_path, [_unreadable(written_by)], language=language))
    summary = pages[1]  # the executive summary: both KPIs and the per-scan row say so, no score anywhere
    assert summary.count(words) >= 3, summary
    assert "/100" not in " ".join(pages)
    assert "pii.bsn" in " ".join(pages)  # the finding it read before it stopped is still listed


def test_the_overall_score_leaves_out_scans_that_are_not_assessed(tmp_path: Path) -> None:
    scanned = code_result()
    model = build_model([scanned, _unreadable()])
    assert model.score == scoring.score_findings(f for f in scanned["findings"] if not f.get("suppressed"))
    assert (model.not_assessed, model.partial) == (1, 0)
    text = pdf_text(render(tmp_path, [scanned, _unreadable()]))
    assert f"{model.score.score}/100" in text and "Scans not assessed: 1." in text


def test_a_partly_read_scan_keeps_its_score_marked_partial(tmp_path: Path) -> None:
    read = finding("pii.bsn", "pii", Severity.HIGH, {"path": "a.txt", "line": 1}, RAW_BSN)
    result = build_result("document", [read], started_at=utc_now_iso(), items_scanned=1,
                          status=ResultStatus.DEGRADED, errors=[{"path": "b.zip", "message": "archive bomb"}])
    text = pdf_text(render(tmp_path, [result], language="nl"))
    assert f"{result['summary']['compliance_score']}/100" in text
    assert "gedeeltelijk voltooid" in text
    assert "Scans die hun invoer maar gedeeltelijk konden lezen: 1" in text


def test_names_outside_latin_1_are_printed_not_boxed(tmp_path: Path) -> None:
    row = finding("pii.email", "pii", Severity.LOW, {"path": "użytkownicy/Łódź_Привет.csv", "line": 7}, "x",
                  evidence="ż***@ö.nl")
    text = pdf_text(render(tmp_path, [_result("document", [row])], organisation="Zoë & Łukasz"))
    assert "użytkownicy/Łódź_Привет.csv" in text
    assert "ż***@ö.nl" in text and "Zoë & Łukasz" in text


@pytest.mark.parametrize(("language", "words"), [
    ("en", ("Data protection impact assessment", "Verdict: a DPIA is required.",
            "Mandatory case: Art. 35(3)(a).",
            "Prior consultation of the supervisory authority is required (Art. 36(1))",
            "Wrongful exclusion from a service, contract or right", "rights and freedoms", "very high (4x3)",
            "Encryption at rest and in transit (-1 likelihood)")),
    ("nl", ("Gegevensbeschermingseffectbeoordeling (DPIA)", "Oordeel: een DPIA is verplicht.",
            "Voorafgaande raadpleging van de toezichthouder is vereist (art. 36 lid 1)",
            "Onterechte uitsluiting van een dienst, overeenkomst of recht", "rechten en vrijheden",
            "zeer hoog (4x3)", "Versleuteling in opslag en transport (-1 waarschijnlijkheid)")),
])
def test_a_dpia_report_shows_its_risks_and_the_prior_consultation(tmp_path: Path, language: str,
                                                                   words: tuple[str, ...]) -> None:
    from tests.reporting.test_model import PURPOSE_SENTENCE, credit_database_dpia

    text = pdf_text(render(tmp_path, [credit_database_dpia()], language))
    for word in words:
        assert word in text, word
    assert PURPOSE_SENTENCE not in text


def test_an_exempt_dpia_says_why_and_that_no_consultation_is_needed(tmp_path: Path) -> None:
    from tests.scanners.test_dpia_golden import CASES, assess

    physician = assess(next(case for case in CASES if case["id"] == "individual_physician"))
    text = pdf_text(render(tmp_path, [physician]))
    assert "Verdict: no DPIA is required." in text and "Exemption: Processing of patients'" in text
    assert "(Recital 91)" in text and "prior consultation (Art. 36(1)) is not required" in text
