"""The scan pages (dashboard, new scan, scan detail, history) in AppTest, on real Redis, PostgreSQL
and worker processes: forms, live progress, findings, downloads, history paging, the cross-organisation
rule and the DPIA evidence hand-off."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from services import scan_service
from services.persistence import OutboxDrainer
from services.process_manager import ProcState, worker_spec
from services.scanners import get_scanner
from tests.runtime.conftest import Platform
from tests.servers import free_port, wait_until
from tests.ui.conftest import PASSWORD, World, rendered_text
from ui.components import charts, findings, scan_forms
from utils import database_manager as dbm
from utils.config import Settings, get_settings
from utils.repositories import organisations, scans, usage

PLANTED_SECRET = "AKIAQ7RTPLANTED4UIXZ"  # a well-formed AWS key id that exists nowhere
PLANTED_BSN = "111222333"  # passes the 11-proof
SOURCE = (f'AWS_ACCESS_KEY_ID = "{PLANTED_SECRET}"\n'
          "import logging\nlog = logging.getLogger(__name__)\n"
          "def store(user):\n    log.info('user bsn %s', user.bsn)\n"
          f"    return '{PLANTED_BSN}'\n")
PAGES = {"dashboard": "ui/pages/dashboard.py", "new_scan": "ui/pages/new_scan.py",
         "scan_detail": "ui/pages/scan_detail.py", "history": "ui/pages/history.py"}
ROOT = Path(__file__).resolve().parents[2]
PAGE_TIMEOUT_S = 30
JOB_WAIT_S = 60


def page(name: str, member: str, world: World, **query: str) -> AppTest:
    """An AppTest of one scan page, signed in as `member`, with `query` as URL query parameters."""
    from services import accounts

    app = AppTest.from_file(str(ROOT / PAGES[name]), default_timeout=PAGE_TIMEOUT_S)
    app.session_state["dg_session"] = accounts.sign_in(world[member].email, PASSWORD)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def code_result(tmp_path: Path) -> dict[str, Any]:
    """A real code-scanner result on the planted source, run in-process."""
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    (source / "app.py").write_text(SOURCE)
    return get_scanner("code").scan({"path": str(source)}, lambda percent, message: None)


def store(result: dict[str, Any], org_id: str, created_at: datetime | None = None) -> str:
    """Persist a result as a finished job of `org_id` (the repository the drainer uses)."""
    job_id = str(uuid.uuid4())
    job = {"id": job_id, "scanner": result["scanner"], "org_id": org_id, "attempts": 1,
           "created_at": (created_at or datetime.now(UTC)).isoformat()}
    scans.save_scan_result(job, result)
    return job_id


def assert_no_planted(text: str) -> None:
    """No planted raw value anywhere in what a page rendered or stored."""
    for raw in (PLANTED_SECRET, PLANTED_BSN, PASSWORD):
        assert raw not in text


# --- pure helpers ---------------------------------------------------------------------------------

def test_findings_filters_and_rows_keep_evidence_masked(tmp_path: Path, ui_env: Settings) -> None:
    result = code_result(tmp_path)
    items = result["findings"]
    assert {f["type"] for f in items} >= {"secret.aws_access_key", "code.pii_logging"}
    secrets = findings.filter_findings(items, severities=["critical"])
    assert [f["type"] for f in secrets] == ["secret.aws_access_key"]
    assert findings.filter_findings(items, types=["code.pii_logging"])[0]["location"]["line"] == 5
    assert findings.filter_findings(items, path_search="APP.PY") == items
    assert findings.filter_findings(items, path_search="other.py") == []
    rows = findings.table_rows(items)
    assert rows[0]["location"].startswith("app.py:") and "Art. 32" in rows[0]["GDPR articles"]
    assert_no_planted(json.dumps(rows))


def test_dpia_evidence_cites_type_severity_and_place_never_the_evidence(tmp_path: Path,
                                                                        ui_env: Settings) -> None:
    result = code_result(tmp_path)
    doubted = [{**f, "confidence": 0.2} for f in result["findings"]]
    evidence = scan_forms.evidence_from_result({**result, "findings": doubted + result["findings"] * 3})
    assert sorted(e["type"] for e in evidence) == sorted({f["type"] for f in result["findings"]})
    assert all(set(e) == {"type", "severity", "confidence", "scanner", "location"} for e in evidence)
    assert evidence[0]["location"] == {"path": "app.py", "line": 1}
    # each citation keeps the strongest confidence of its findings, for the DPIA to weigh
    strongest = {f["type"]: f["confidence"] for f in result["findings"]}
    assert {e["type"]: e["confidence"] for e in evidence} == strongest
    assert_no_planted(json.dumps(evidence))


def test_dashboard_figures_come_from_the_stored_summaries(tmp_path: Path, ui_env: Settings) -> None:
    result = code_result(tmp_path)
    day = datetime(2026, 11, 20, 9, tzinfo=UTC)
    rows = [{"scanner": "code", "created_at": (day + timedelta(days=i)).isoformat(),
             "compliance_score": 60 + 10 * i, "summary": result["summary"]} for i in range(3)]
    critical = result["summary"]["findings_by_severity"]["critical"]
    assert charts.severity_totals(rows)["critical"] == 3 * critical
    assert charts.type_totals(rows)["secret.aws_access_key"] == 3
    assert list(charts.score_trend(rows)["score"]) == [60.0, 70.0, 80.0]
    assert charts.scans_per_day(rows)["code"].tolist() == [1, 1, 1]


# --- pages ----------------------------------------------------------------------------------------

@pytest.fixture
def code_worker(ui_env: Settings) -> Iterator[Platform]:
    """One real code worker process (and the supervisor ticking it) on this test's settings."""
    platform = Platform(ui_env)
    platform.start_workers("code")
    yield platform
    platform.close()


def zip_of(files: dict[str, str]) -> bytes:
    """A zip archive of `files` (name -> text), built in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def submit_code_upload(app: AppTest, data: bytes) -> AppTest:
    """Choose the code scanner, upload an archive and press start."""
    app.selectbox(key="new_scan_scanner").set_value("code").run()
    app.file_uploader(key="code_archive").set_value(("project.zip", data, "application/zip"))
    return app.button(key="FormSubmitter:code_form-Start code scan").click().run()


def wait_for_finish(app: AppTest) -> str:
    """Rerun the page (as the polling fragment would) until it shows its job finished; the job id."""
    job_id = app.session_state["dg_current_job"]

    def finished() -> bool:
        app.run()
        return "dg_finished_jobs" in app.session_state and job_id in app.session_state["dg_finished_jobs"]

    wait_until(finished, JOB_WAIT_S, step_s=0.5, what="the scan finished on the page")
    assert any("Open the scan detail" in m.value for m in app.markdown) or app.page_link
    return str(job_id)


def test_code_scan_on_an_uploaded_archive_runs_on_a_worker_and_shows_on_the_detail_page(
        world: World, code_worker: Platform) -> None:
    app = submit_code_upload(page("new_scan", "a_analyst", world), zip_of({"src/app.py": SOURCE}))
    assert not app.exception and not app.error
    job_id = app.session_state["dg_current_job"]
    assert app.progress, "live progress is shown while the job runs"
    wait_for_finish(app)
    assert "succeeded" in app.progress[0].proto.text and app.success[0].value == "Scan finished."
    detail = page("scan_detail", "a_analyst", world, job=job_id)
    assert not detail.exception and not detail.error
    metrics = {m.label: m.value for m in detail.metric}
    assert int(metrics["Compliance score"]) < 100 and metrics["Risk level"] != "-"
    table = detail.dataframe[0].value
    assert {"secret.aws_access_key", "code.pii_logging"} <= set(table["type"])
    assert "src/app.py:1" in set(table["location"])
    assert [b.label for b in detail.download_button] == ["PDF", "JSON", "CSV", "SARIF"]
    detail.multiselect(key="detail_severity").set_value(["critical"]).run()
    assert list(detail.dataframe[0].value["type"]) == ["secret.aws_access_key"]
    assert_no_planted(rendered_text(detail) + rendered_text(app))


def test_another_organisations_scan_is_not_found_on_the_detail_page(tmp_path: Path, world: World) -> None:
    job_b = store(code_result(tmp_path), world.org_b)
    app = page("scan_detail", "a_admin", world, job=job_b)
    assert [e.value for e in app.error] == ["Scan not found."]
    assert not app.dataframe and not app.metric and not app.download_button
    own = page("scan_detail", "b_viewer", world, job=job_b)
    assert not own.error and own.dataframe  # the same id opens for its own organisation
    assert not own.button  # a viewer cannot start a DPIA, so no evidence hand-off
    unknown = page("scan_detail", "a_admin", world, job=str(uuid.uuid4()))
    assert [e.value for e in unknown.error] == ["Scan not found."]
    typed = page("scan_detail", "a_admin", world)
    assert typed.info[0].value.startswith("Open a scan from the history")
    typed.text_input(key="detail_job_id").input(job_b).run()  # pasting the id does not help either
    assert [e.value for e in typed.error] == ["Scan not found."] and not typed.dataframe



def test_dpia_evidence_hand_off_ends_in_a_dpia_that_cites_the_code_findings(
        tmp_path: Path, world: World, app_as: Callable[[str], AppTest], ui_env: Settings) -> None:
    code = code_result(tmp_path)
    code_job = store(code, world.org_a)
    platform = Platform(ui_env)
    try:
        platform.start_workers("dpia")
        app = app_as("a_analyst")
        app.query_params["job"] = code_job
        app.switch_page(PAGES["scan_detail"]).run()
        app.button(key="use_as_dpia_evidence").click().run()
        assert app.success[0].value.startswith("The findings summary is ready")
        assert app.page_link[0].proto.page == "new_scan"  # a real link within the navigation
        app.switch_page(PAGES["new_scan"]).run()
        assert app.selectbox(key="new_scan_scanner").value == "dpia"
        assert "secret.aws_access_key" in app.info[0].value and app.checkbox(key="dpia_use_evidence").value
        app.radio(key="dpia_wp248_large_scale").set_value(True)
        app.selectbox(key="dpia_illegitimate_access_severity").set_value("significant")
        app.selectbox(key="dpia_illegitimate_access_likelihood").set_value("limited")
        app.button(key="FormSubmitter:dpia_form-Start DPIA").click().run()
        assert not app.error and not app.exception
        wait_for_finish(app)
        dpia_job = app.session_state["dg_current_job"]
    finally:
        platform.close()
    result = scan_service.get_scan_service().result(world.org_a, dpia_job)
    assert result is not None and result["scanner"] == "dpia"
    access = next(e for e in result["dpia"]["risk_register"] if e["risk"] == "illegitimate_access")
    cited = {item["type"] for item in access["evidence"]}
    assert cited == {f["type"] for f in code["findings"]} and access["raised_by_evidence"]
    assert access["inherent"]["likelihood"] == 3  # "limited" (2), one level up for the critical secret
    app.switch_page(PAGES["scan_detail"])
    app.query_params["job"] = dpia_job
    app.run()
    assert not app.exception and app.subheader[0].value == "DPIA"
    shown = app.dataframe[1].value  # the evidence the DPIA cites, as the page shows it
    assert set(shown["finding type"]) == cited and set(shown["scanner"]) == {"code"}
    assert_no_planted(json.dumps(result) + rendered_text(app))


def test_dpia_form_answers_exemptions_works_council_and_rights_risks(
        world: World, app_as: Callable[[str], AppTest], ui_env: Settings) -> None:
    platform = Platform(ui_env)
    try:
        platform.start_workers("dpia")
        app = app_as("a_analyst")
        app.switch_page(PAGES["new_scan"]).run()
        app.selectbox(key="new_scan_scanner").set_value("dpia").run()
        for question in ("wp248_evaluation_scoring", "wp248_prevents_rights", "ap_credit_scores",
                         "exempt_art35_10"):
            app.radio(key=f"dpia_{question}").set_value(True)
        app.radio(key="dpia_data_subject_views").set_value(False)
        app.multiselect(key="dpia_data_categories").set_value(["identification", "financial"])
        app.multiselect(key="dpia_data_subjects").set_value(["employees"])
        app.selectbox(key="dpia_legal_basis").set_value("legitimate_interests")
        app.selectbox(key="dpia_works_council").set_value("not_involved")
        app.selectbox(key="dpia_wrongful_exclusion_severity").set_value("maximum")
        app.selectbox(key="dpia_wrongful_exclusion_likelihood").set_value("significant")
        app.multiselect(key="dpia_wrongful_exclusion_measures").set_value(["accuracy_checks"])
        app.button(key="FormSubmitter:dpia_form-Start DPIA").click().run()
        assert not app.error and not app.exception
        wait_for_finish(app)
        dpia_job = app.session_state["dg_current_job"]
    finally:
        platform.close()
    result = scan_service.get_scan_service().result(world.org_a, dpia_job)
    assert result is not None
    dpia = result["dpia"]
    assert dpia["questionnaire_version"] == "dpia_v2" and dpia["verdict"] == "required"
    assert [r["exemption"] for r in dpia["exemptions_refused"]] == ["art35_10"]  # legitimate interests
    exclusion = next(e for e in dpia["risk_register"] if e["risk"] == "wrongful_exclusion")
    assert exclusion["triggered_by"] == ["wp248_prevents_rights", "ap_credit_scores"]
    assert exclusion["residual"] == {"severity": 4, "likelihood": 2, "level": "high"}
    assert dpia["prior_consultation"]["required"] and "Art. 36(1)" in dpia["gdpr_articles"]
    types = {f["type"] for f in result["findings"]}
    assert {"dpia.gap.works_council", "dpia.gap.views_not_sought_reason",
            "dpia.exemption_not_applicable", "dpia.prior_consultation_required"} <= types
    app.switch_page(PAGES["scan_detail"])
    app.query_params["job"] = dpia_job
    app.run()
    assert not app.exception and app.subheader[0].value == "DPIA"
    assert any("Prior consultation of the Autoriteit Persoonsgegevens required (Art. 36(1))" in e.value
               for e in app.error)
    assert any("Exemption claimed that does not apply" in w.value for w in app.warning)
    rows = app.dataframe[0].value
    shown = dict(zip(rows["risk"], rows["residual"], strict=True))
    assert shown["Wrongful exclusion from a service, contract or right"] == "high (4x2)"
    assert "Chilling effect" not in " ".join(rows["risk"])  # not triggered by these answers


V1_SECTION = {  # the `dpia` section as dpia_v1 wrote it: no exemptions, no kinds, no confidence
    "questionnaire_version": "dpia_v1", "required": True, "verdict": "required",
    "reasons": [{"criterion": "ap_health_data", "list": "ap_list", "source": "answer",
                 "text": {"en": "Are health data processed?", "nl": "Gezondheid?"}, "articles": ["Art. 9"]}],
    "wp248_criteria_met": 0, "ap_list_matches": 1, "unanswered_screening": [], "context": {},
    "risk_register": [{"risk": "illegitimate_access", "title": {"en": "Illegitimate access", "nl": "x"},
                       "articles": ["Art. 32"], "sources": [], "impacts": "", "measures": ["mfa"],
                       "evidence": [{"type": "pii.email", "severity": "low", "scanner": "code",
                                     "location": {"path": "a.py", "line": 1}}],
                       "assessed": True, "raised_by_evidence": False,
                       "inherent": {"severity": 4, "likelihood": 4, "level": "very_high"},
                       "residual": {"severity": 4, "likelihood": 3, "level": "very_high"}}],
    "mitigations": {"illegitimate_access": ["mfa"]}, "residual_risk": "very_high", "gaps": [],
    "gdpr_articles": ["Art. 9", "Art. 35"], "evidence_cited": 1,
}


def _draw_dpia(section: dict[str, object]) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from ui.components.assessments import render_dpia

    render_dpia(section)


def test_a_dpia_v1_section_is_still_drawn(ui_env: Settings) -> None:
    app = AppTest.from_function(_draw_dpia, args=(V1_SECTION,), default_timeout=PAGE_TIMEOUT_S).run()
    assert not app.exception and app.subheader[0].value == "DPIA"
    assert list(app.dataframe[0].value["residual"]) == ["very_high (4x3)"]
    assert list(app.dataframe[1].value["finding type"]) == ["pii.email"]
    assert not app.warning and len(app.error) == 1  # the verdict; v1 knew no prior-consultation section


def seed_history(world: World, tmp_path: Path) -> dict[str, list[str]]:
    """30 code scans and 3 DPIAs for org A over 11 days, 2 code scans for org B."""
    code = code_result(tmp_path)
    dpia = get_scanner("dpia").scan({"answers": {"wp248_large_scale": True}}, lambda p, m: None)
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    ids: dict[str, list[str]] = {"a": [], "a_dpia": [], "b": []}
    for i in range(30):
        ids["a"].append(store(code, world.org_a, start + timedelta(days=i % 10, minutes=i)))
    for i in range(3):
        ids["a_dpia"].append(store(dpia, world.org_a, start + timedelta(days=10, minutes=i)))
    ids["b"] = [store(code, world.org_b) for _ in range(2)]
    ids["critical_a"] = [str(30 * _critical(code) + 3 * _critical(dpia))]
    return ids


def _critical(result: dict[str, Any]) -> int:
    return int(result["summary"]["findings_by_severity"]["critical"])


def test_history_pages_and_searches_the_organisations_own_scans(tmp_path: Path, world: World) -> None:
    ids = seed_history(world, tmp_path)
    app = page("history", "a_viewer", world)
    first = app.dataframe[0].value
    assert len(first) == 25 and list(first["scanner"][:3]) == ["dpia"] * 3  # newest first
    assert not app.button(key="history_next").disabled and app.button(key="history_previous").disabled
    app.button(key="history_next").click().run()
    second = app.dataframe[0].value
    assert len(second) == 8 and app.button(key="history_next").disabled
    shown = set(first["id"]) | set(second["id"])
    assert shown == set(ids["a"]) | set(ids["a_dpia"]) and not shown & set(ids["b"])
    app.text_input(key="history_search").input("dpia").run()
    found = app.dataframe[0].value
    assert set(found["id"]) == set(ids["a_dpia"]) and app.caption[-1].value == "page 1"
    assert app.caption[0].value == "Select a row to open its scan."
    app.session_state["history_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    app.run()
    assert any(f"job={found['id'][1]}" in m.value for m in app.markdown)  # a link to that scan's page
    assert "Zyxwv" not in rendered_text(app)


def test_dashboard_charts_the_organisations_own_scans(tmp_path: Path, world: World) -> None:
    ids = seed_history(world, tmp_path)
    app = page("dashboard", "a_viewer", world)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Scans"] == "33"  # org B's two scans are not counted
    assert [metrics["Critical findings"]] == ids["critical_a"]  # from the stored summaries, org A only
    assert len(app.get("vega_lite_chart")) == 4
    assert [s.value for s in app.subheader] == ["Scans over time", "Compliance score trend",
                                                "Findings by severity", "Findings by type"]
    empty = page("dashboard", "b_admin", world)
    assert {m.label: m.value for m in empty.metric}["Scans"] == "2"


def test_scanners_not_built_are_shown_disabled(world: World, later_scanner: str) -> None:
    app = page("new_scan", "a_admin", world)
    labels = app.selectbox(key="new_scan_scanner").options
    assert "later (not available yet)" in labels and "code" in labels
    app.selectbox(key="new_scan_scanner").set_value(later_scanner).run()
    assert app.info[0].value == "The later scanner is not available yet."
    assert app.button(key="start_not_available").disabled and not app.get("form")


def test_a_scanner_declared_outside_the_registry_gets_a_form_from_its_declaration(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # the sixth scanner of tests/test_registry.py: registered by setting, with no UI code of its own
    monkeypatch.setenv("DG_EXTRA_SCANNERS", "tests.scanners.tiny:TINY,tests.scanners.tiny:NEEDY")
    get_settings.cache_clear()
    app = page("new_scan", "a_analyst", world)
    labels = app.selectbox(key="new_scan_scanner").options
    assert "tiny" in labels
    assert "needy (not available on this machine (executable dg-no-such-program missing))" in labels
    app.selectbox(key="new_scan_scanner").set_value("tiny").run()
    app.text_input(key="tiny_text").input("hello")  # inside the form: sent with its button
    app.checkbox(key="tiny_shout").check()
    app.button(key="FormSubmitter:tiny_form-Start tiny scan").click().run()
    assert not app.error, [e.value for e in app.error]
    job_id = app.session_state["dg_current_job"]
    record = scan_service.get_scan_service().manager.get_job_status(job_id)
    assert record["scanner"] == "tiny" and record["state"] == "queued"


def test_a_form_without_its_input_says_so_and_queues_nothing(world: World) -> None:
    app = page("new_scan", "a_analyst", world)
    app.radio(key="code_source").set_value("Path on the server").run()
    app.button(key="FormSubmitter:code_form-Start code scan").click().run()
    assert [e.value for e in app.error] == ["Give the scan a source first."]
    app.selectbox(key="new_scan_scanner").set_value("document").run()
    app.button(key="FormSubmitter:document_form-Start document scan").click().run()
    assert [e.value for e in app.error] == ["Upload a file first."]
    assert "dg_current_job" not in app.session_state


def test_a_queued_scan_can_be_cancelled_from_its_progress(world: World) -> None:
    app = page("new_scan", "a_analyst", world)  # no code worker runs: the job stays queued
    assert "No code worker is running" in app.warning[0].value
    app = submit_code_upload(app, zip_of({"a.py": "x = 1\n"}))
    job_id = app.session_state["dg_current_job"]
    assert "queued" in app.progress[0].proto.text
    app.button(key=f"cancel_{job_id}").click().run()
    app.run()
    assert app.warning[-1].value == "Scan cancelled." and "cancelled" in app.progress[0].proto.text


def test_a_viewer_cannot_open_the_new_scan_page(world: World) -> None:
    app = page("new_scan", "a_viewer", world)
    assert app.error[0].value == "Your role (viewer) does not give access to this page."
    assert not app.selectbox


def test_plan_and_quota_refusals_are_shown_and_nothing_is_queued(world: World) -> None:
    app = page("new_scan", "a_analyst", world)  # org A is on the default Free plan
    assert app.caption[0].value.startswith("Free plan · 0 of 50 scans used")
    assert "soc2 (not in the Free plan)" in app.selectbox(key="new_scan_scanner").options
    app.selectbox(key="new_scan_scanner").set_value("soc2").run()
    app.radio(key="soc2_code_of_conduct").set_value(True)
    app.button(key="FormSubmitter:soc2_form-Start SOC 2 assessment").click().run()
    assert app.error[0].value.startswith("the soc2 scanner is not included in the Free plan; upgrade to")
    usage.record_usage(world.org_a, amount=50)
    app = submit_code_upload(page("new_scan", "a_analyst", world), zip_of({"a.py": "x = 1\n"}))
    assert app.error[0].value.startswith("monthly quota of 50 scans reached (50 used); upgrade to")
    assert "dg_current_job" not in app.session_state and not app.progress
    queue = scan_service.get_scan_service().manager.queue
    assert queue.scanner_stats("code").counters["submitted"] == 0  # refused before it was queued


def start_workers(platform: Platform, *scanners: str) -> None:
    """One worker per scanner, started together (Platform.start_workers waits for each in turn)."""
    children = []
    for scanner in scanners:
        spec = worker_spec(platform.settings, scanner, free_port(), 0)
        children.append(platform.manager.add(spec))
        platform.manager.start(spec.name)
    for child in children:
        wait_until(lambda c=child: c.state == ProcState.RUNNING, JOB_WAIT_S, what=f"{child.spec.name} up")


def professional_analyst() -> Any:
    """A signed-in analyst of a new organisation on the Professional plan (every scanner)."""
    from services import accounts

    org_id = organisations.create_organisation("Pro Org BV", plan="professional")
    accounts.create_member(org_id, "pro@pro.example", "analyst", PASSWORD, "Pat Pro")
    return accounts.sign_in("pro@pro.example", PASSWORD)


def run_form(app: AppTest, scanner: str, fill: Callable[[AppTest], object], submit: str) -> dict[str, Any]:
    """Pick `scanner`, fill its form, submit, wait for the job and return its result."""
    app.selectbox(key="new_scan_scanner").set_value(scanner).run()
    fill(app)
    app.button(key=f"FormSubmitter:{scanner}_form-{submit}").click().run()
    assert not app.error and not app.exception, [e.value for e in app.error]
    job_id = wait_for_finish(app)
    result = scan_service.get_scan_service().result(app.session_state["dg_session"].org_id, job_id)
    assert result is not None and result["job_state"] == "succeeded", result
    return result


def test_document_soc2_and_report_forms_run_their_scans(ui_env: Settings, world: World) -> None:
    platform = Platform(ui_env)
    try:
        start_workers(platform, "document", "soc2", "report")
        app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
        app.session_state["dg_session"] = professional_analyst()
        app.run()
        letter = f"Klant: Jan Jansen\nBSN: {PLANTED_BSN}\nIBAN: NL91ABNA0417164300\n"
        document = run_form(app, "document", lambda a: a.file_uploader(key="document_path").set_value(
            ("letter.txt", letter.encode(), "text/plain")), "Start document scan")
        assert {"pii.bsn", "pii.iban"} <= {f["type"] for f in document["findings"]}
        tree = zip_of({"Dockerfile": "FROM python:3.11-slim\nCOPY . /app\n",
                       ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps: []\n"})

        def soc2_inputs(a: AppTest) -> None:
            a.file_uploader(key="soc2_path").set_value(("infra.zip", tree, "application/zip"))
            a.radio(key="soc2_code_of_conduct").set_value(True)

        soc2 = run_form(app, "soc2", soc2_inputs, "Start SOC 2 assessment")
        assert soc2["soc2"]["files_by_kind"] == {"dockerfile": 1, "github_actions": 1}
        assert next(c for c in soc2["soc2"]["criteria"] if c["criterion"] == "CC1.1")["status"] == "pass"
        # the launcher's drainer writes finished jobs to PostgreSQL; the report form lists those
        assert OutboxDrainer(platform.manager.queue, dbm.get_database(), "ui-test").drain_once() == 2
        app.run()
        report = run_form(app, "report", lambda a: a.multiselect(key="report_results").set_value(
            [document["job_id"]]), "Build report")
        assert report["report"]["format"] == "pdf" and report["report"]["pages"] >= 1, report["report"]
    finally:
        platform.close()
    detail = AppTest.from_file(str(ROOT / PAGES["scan_detail"]), default_timeout=PAGE_TIMEOUT_S)
    detail.session_state["dg_session"] = app.session_state["dg_session"]
    detail.query_params["job"] = report["job_id"]
    detail.run()
    assert [b.label for b in detail.download_button] == [
        f"Download the pdf report ({report['report']['pages']} pages)"]
    shown = rendered_text(detail)
    detail.query_params["job"] = soc2["job_id"]
    detail.run()
    assert detail.subheader[0].value == "SOC 2 readiness"
    assert set(detail.dataframe[0].value["category"]) == set(soc2["soc2"]["readiness"])
    shown += rendered_text(detail) + rendered_text(app)
    assert_no_planted(shown + json.dumps([document, soc2, report]))


def test_website_form_runs_a_scan_and_the_detail_page_shows_its_consent_table(
        ui_env: Settings, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.local_sites import serving
    from tests.scanners import website_sites as sites

    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")  # the worker child reads it: the test's own site only
    platform = Platform(ui_env)
    try:
        start_workers(platform, "website")
        app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
        app.session_state["dg_session"] = professional_analyst()
        app.run()
        with serving(sites.tracker_app(), "127.0.0.2") as tracker, \
                serving(sites.bad_app(tracker.url("").rstrip("/"))) as bad:
            def inputs(a: AppTest) -> None:
                a.text_input(key="website_url").set_value(bad.url("/"))
                a.selectbox(key="website_mode").set_value("static")
                a.number_input(key="website_delay_s").set_value(0.0)

            website = run_form(app, "website", inputs, "Start website scan")
    finally:
        platform.close()
    assert {"web.form_over_http", "cookie.before_consent"} <= {f["type"] for f in website["findings"]}
    detail = AppTest.from_file(str(ROOT / PAGES["scan_detail"]), default_timeout=PAGE_TIMEOUT_S)
    detail.session_state["dg_session"] = app.session_state["dg_session"]
    detail.query_params["job"] = website["job_id"]
    detail.run()
    assert "Website: cookies, trackers and consent" in [h.value for h in detail.subheader]
    assert "_pk_id.1.1fff (127.0.0.1)" in set(detail.dataframe[0].value["cookie or host"])
    assert_no_planted(rendered_text(detail) + json.dumps(website))


def test_the_database_form_queues_a_dsn_whose_password_is_kept_apart(world: World) -> None:
    password = "Pl4nted-UI-dsn-pass"
    app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
    app.session_state["dg_session"] = professional_analyst()
    app.run()
    app.selectbox(key="new_scan_scanner").set_value("database").run()
    dsn_input = app.text_input(key="database_dsn")
    assert dsn_input.proto.type == dsn_input.proto.PASSWORD  # typed hidden
    dsn_input.input(f"postgresql://reader:{password}@db.example.org:5432/crm")
    app.button(key="FormSubmitter:database_form-Start database scan").click().run()
    assert not app.error, [e.value for e in app.error]
    record = scan_service.get_scan_service().manager.get_job_status(app.session_state["dg_current_job"])
    assert record["scanner"] == "database" and password not in json.dumps(record, default=str)
def test_image_form_runs_on_a_worker_and_the_detail_page_offers_the_redacted_copy(
        ui_env: Settings, world: World) -> None:
    from tests.scanners.image_fixtures import face_photo, jpeg_bytes

    platform = Platform(ui_env)
    try:
        start_workers(platform, "image")
        app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
        app.session_state["dg_session"] = professional_analyst()
        app.run()

        def inputs(a: AppTest) -> None:
            a.file_uploader(key="image_path").set_value(("team.jpg", jpeg_bytes(face_photo(256)),
                                                         "image/jpeg"))
            a.checkbox(key="image_redact").check()

        result = run_form(app, "image", inputs, "Start image scan")
    finally:
        platform.close()
    assert [f["type"] for f in result["findings"]] == ["image.face"]
    detail = AppTest.from_file(str(ROOT / PAGES["scan_detail"]), default_timeout=PAGE_TIMEOUT_S)
    detail.session_state["dg_session"] = app.session_state["dg_session"]
    detail.query_params["job"] = result["job_id"]
    detail.run()
    assert not detail.exception and not detail.error
    assert "Pictures" in [h.value for h in detail.subheader] and len(detail.get("image")) == 1
    labels = [b.label for b in detail.download_button]
    assert labels[:4] == ["PDF", "JSON", "CSV", "SARIF"]
    assert labels[4].startswith("Download image-0001.redacted.png (redacted copy of ")
    other = page("scan_detail", "a_admin", world, job=result["job_id"])
    assert [e.value for e in other.error] == ["Scan not found."] and not other.download_button
