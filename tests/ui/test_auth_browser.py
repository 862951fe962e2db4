"""Sign-in throttling in real headless Chromium against `streamlit run app.py`.

The cookie, reloads and sign-out need nginx and the API in front (the cookie is set server-side):
tests/e2e/test_browser.py checks those on the whole platform. Here the UI alone is enough: the browser
sends X-Forwarded-For itself, as nginx would, and the throttle must key on it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.servers import free_port, stop_process, wait_until
from tests.ui.conftest import MAX_FAILURES, PASSWORD, ROOT, World
from utils.config import Settings

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 30_000  # a first page render on a loaded 2-core machine; a deadline, not a measurement


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/_stcore/health", timeout=1).ok
    except requests.RequestException:
        return False


@pytest.fixture
def ui_server(ui_env: Settings, world: World, tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with this test's settings (inherited from the environment)."""
    port = free_port()
    argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(tmp_path / "ui.log", "wb") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _healthy(url), 60, step_s=0.3, what="streamlit health")
        yield url
    finally:
        stop_process(proc)
    assert PASSWORD not in (tmp_path / "ui.log").read_text(errors="replace")


def _sign_in_attempt(page: Any, email: str, password: str) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.slow
def test_a_lock_at_one_address_leaves_the_user_free_at_another(ui_server: str, world: World) -> None:
    """The UI hands the sign-in throttle the address nginx appended to X-Forwarded-For (set here by
    the browser, as nginx would; Streamlit listens on loopback, where nginx is)."""
    email = world["a_viewer"].email
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            attacker = browser.new_context(extra_http_headers={"X-Forwarded-For": "10.1.1.1, 203.0.113.7"})
            page = attacker.new_page()
            page.goto(ui_server)
            for attempt in range(MAX_FAILURES):
                _sign_in_attempt(page, email, f"not-the-password-{attempt}")
                page.get_by_text("wrong e-mail address or password" if attempt < MAX_FAILURES - 1
                                 else "locked for up to").wait_for(timeout=WAIT_MS)
            _sign_in_attempt(page, email, PASSWORD)
            page.get_by_text("locked for up to").wait_for(timeout=WAIT_MS)

            user = browser.new_context(extra_http_headers={"X-Forwarded-For": "198.51.100.20"})
            page = user.new_page()
            page.goto(ui_server)
            _sign_in_attempt(page, email, PASSWORD)
            page.get_by_text("Acme Analytics BV · viewer").wait_for(timeout=WAIT_MS)
        finally:
            browser.close()
