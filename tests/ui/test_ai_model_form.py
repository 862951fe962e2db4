"""The AI model scanner's form: its questionnaire rendered from ai_act_v1.yaml, uploads of a model and a
dataset, the dataset column options; the scan runs on a real worker and its section shows on the detail
page."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.rest_api.stack import assert_no_planted
from tests.runtime.conftest import Platform
from tests.scanners import ai_model_fixtures as fx
from tests.ui.conftest import World, rendered_text
from tests.ui.test_scan_pages import (
    PAGE_TIMEOUT_S,
    PAGES,
    ROOT,
    professional_analyst,
    run_form,
    start_workers,
)
from utils.config import Settings


def test_ai_model_form_runs_the_scan_and_the_detail_page_shows_its_section(
    ui_env: Settings, world: World, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    dataset = tmp_path / "train.csv"
    fx.write_hiring_csv(dataset, biased=True)
    platform = Platform(ui_env)
    try:
        start_workers(platform, "ai_model")
        app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
        app.session_state["dg_session"] = professional_analyst()
        app.run()

        def fill(a: AppTest) -> None:
            a.file_uploader(key="ai_model_path").set_value(
                ("model.pkl", pickle.dumps(fx.RunsShell(marker)), "application/octet-stream")
            )
            a.file_uploader(key="ai_model_dataset").set_value(("train.csv", dataset.read_bytes(), "text/csv"))
            a.multiselect(key="ai_model_annex_iii").set_value(["recruitment"])
            a.selectbox(key="ai_model_role").set_value("provider")
            a.radio(key="ai_model_interacts_with_people").set_value(True)
            a.text_input(key="ai_model_protected_attribute").input("gender")
            a.text_input(key="ai_model_label_column").input("hired")

        result = run_form(app, "ai_model", fill, "Start AI model scan")
    finally:
        platform.close()
    assert not marker.exists()
    section = result["ai_model"]
    assert section["ai_act"]["risk_class"] == "high_risk" and section["ai_act"]["transparency_duties"] == [
        "Art. 50(1)"
    ]
    assert section["file_safety"] == "unsafe"
    assert section["dataset"]["fairness"]["protected_attribute"] == "gender"
    assert {"ai.unsafe_model_file", "ai.dataset_bias", "ai.act_high_risk"} <= {
        f["type"] for f in result["findings"]
    }
    detail = AppTest.from_file(str(ROOT / PAGES["scan_detail"]), default_timeout=PAGE_TIMEOUT_S)
    detail.session_state["dg_session"] = app.session_state["dg_session"]
    detail.query_params["job"] = result["job_id"]
    detail.run()
    assert not detail.exception
    assert "AI model assessment" in [h.value for h in detail.subheader]
    assert_no_planted(rendered_text(detail) + rendered_text(app) + json.dumps(result))
