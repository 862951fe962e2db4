"""A scan that could not read its input, on every page: "not assessed", never "100 / low".

The scan is a real document scan of a corrupt PDF, run by a real worker behind the new-scan form or
in-process and stored as the drainer stores it; the pages run in AppTest on the session Redis and
PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from services.scanners import get_scanner
from tests.runtime.conftest import Platform
from tests.ui.conftest import World, shown
from tests.ui.test_scan_pages import (
    PAGE_TIMEOUT_S,
    PAGES,
    ROOT,
    code_result,
    page,
    professional_analyst,
    start_workers,
    store,
    wait_for_finish,
)
from ui.components import charts
from utils.config import Settings

CORRUPT_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a PDF body\n%%EOF"


def unreadable_result(tmp_path: Path) -> dict[str, Any]:
    """A real document scan of a corrupt PDF: status failed."""
    path = tmp_path / "contract.pdf"
    path.write_bytes(CORRUPT_PDF)
    result = get_scanner("document").scan({"path": str(path)}, lambda percent, message: None)
    assert result["status"] == "failed"
    return {**result, "job_state": "succeeded"}  # as the worker runtime records it: the scan ran


def test_the_detail_page_says_not_assessed(tmp_path: Path, world: World) -> None:
    job_id = store(unreadable_result(tmp_path), world.org_a)
    app = page("scan_detail", "a_viewer", world, job=job_id)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["Compliance score"], metrics["Risk level"]) == ("not assessed", "not assessed")
    assert shown(app.error[0].value).startswith("Not assessed: this scan could not read its input (1 errors)")
    assert "100" not in (metrics["Compliance score"], metrics["Risk level"])


def test_history_and_dashboard_leave_unassessed_scans_out_of_the_scores(tmp_path: Path, world: World) -> None:
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    scored = code_result(tmp_path)
    store(scored, world.org_a, start)
    failed = store(unreadable_result(tmp_path), world.org_a, start + timedelta(days=1))  # the newest
    history = page("history", "a_viewer", world)
    table = history.dataframe[0].value
    row = table[table["id"] == failed].iloc[0]
    assert row["risk"] == "not assessed" and row["score"] != row["score"]  # NaN: an empty cell
    dashboard = page("dashboard", "a_viewer", world)
    metrics = {m.label: m.value for m in dashboard.metric}
    assert metrics["Latest score"] == str(scored["summary"]["compliance_score"])  # not the failed one's
    assert any("1 of these scans are not assessed" in c.value for c in dashboard.caption)
    # the trend plots the scored scan only, also when an old row still carries a score beside `failed`
    rows = [{"created_at": (start + timedelta(days=day)).isoformat(), "scanner": "document", "status": status,
             "compliance_score": score} for day, status, score in ((0, "completed", 70), (1, "failed", 100))]
    assert list(charts.score_trend(rows)["score"]) == [70.0]


def test_the_progress_panel_does_not_call_an_unreadable_upload_finished(ui_env: Settings,
                                                                        world: World) -> None:
    platform = Platform(ui_env)
    try:
        start_workers(platform, "document")
        app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
        app.session_state["dg_session"] = professional_analyst()
        app.run()
        app.selectbox(key="new_scan_scanner").set_value("document").run()
        app.file_uploader(key="document_path").set_value(("contract.pdf", CORRUPT_PDF, "application/pdf"))
        app.button(key="FormSubmitter:document_form-Start document scan").click().run()
        assert not app.exception and not app.error, [e.value for e in app.error]
        job_id = wait_for_finish(app)
    finally:
        platform.close()
    assert not app.success, [s.value for s in app.success]  # not "Scan finished." as if it were clean
    assert shown(app.error[0].value).startswith(
        "Scan finished. Not assessed: this scan could not read its input")
    detail = AppTest.from_file(str(ROOT / PAGES["scan_detail"]), default_timeout=PAGE_TIMEOUT_S)
    detail.session_state["dg_session"] = app.session_state["dg_session"]
    detail.query_params["job"] = job_id
    detail.run()
    assert {m.label: m.value for m in detail.metric}["Compliance score"] == "not assessed"
