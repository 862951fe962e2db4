"""The API scanner's form: base URL, document URL and both users' tokens (masked inputs) go to a real api
worker through Redis; the scan's page shows the scanner's own section; no token is rendered or stored."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.local_sites import LocalSite, serving
from tests.runtime.conftest import Platform
from tests.scanners.api_sites import TOKEN_A, TOKEN_B, leaky_api
from tests.ui.conftest import rendered_text
from tests.ui.test_scan_pages import (
    PAGE_TIMEOUT_S,
    PAGES,
    ROOT,
    professional_analyst,
    run_form,
    start_workers,
)
from utils.config import Settings, get_settings


@pytest.fixture
def leaky(ui_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    """The planted API on 127.0.0.1, which this test's worker may reach."""
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    with serving(leaky_api()) as site:
        yield site
    get_settings.cache_clear()


def test_the_api_form_runs_a_scan_with_masked_tokens_and_the_page_shows_its_section(
        ui_env: Settings, leaky: LocalSite) -> None:
    platform = Platform(ui_env)
    try:
        start_workers(platform, "api")
        app = AppTest.from_file(str(ROOT / PAGES["new_scan"]), default_timeout=PAGE_TIMEOUT_S)
        app.session_state["dg_session"] = professional_analyst()
        app.run()

        def fill(a: AppTest) -> None:
            a.text_input(key="api_base_url").input(leaky.url("/"))
            a.text_input(key="api_spec").input(leaky.url("/openapi.json"))
            a.text_input(key="api_bearer_token").input(TOKEN_A)
            a.text_input(key="api_other_bearer_token").input(TOKEN_B)
            a.number_input(key="api_burst").set_value(3)

        app.selectbox(key="new_scan_scanner").set_value("api").run()
        assert app.text_input(key="api_bearer_token").proto.type == app.text_input(
            key="api_bearer_token").proto.PASSWORD
        result = run_form(app, "api", fill, "Start API scan")
    finally:
        platform.close()
    assert {"api.broken_object_authorization", "api.unauthenticated_personal_data"} <= {
        f["type"] for f in result["findings"]}
    assert {method for method, _ in leaky.requests} <= {"GET", "HEAD", "OPTIONS"}
    detail = AppTest.from_file(str(ROOT / PAGES["scan_detail"]), default_timeout=PAGE_TIMEOUT_S)
    detail.session_state["dg_session"] = app.session_state["dg_session"]
    detail.query_params["job"] = result["job_id"]
    detail.run()
    assert not detail.exception
    assert "API endpoints" in [h.value for h in detail.subheader]
    shown = rendered_text(detail) + "\n".join(c.value for c in detail.code) + json.dumps(result)
    assert "$TOKEN_B" in shown
    assert TOKEN_A not in shown and TOKEN_B not in shown
