"""Sign-in in real headless Chromium against `streamlit run app.py`: reloads keep it, sign-out ends it.

AppTest cannot reload a page (a reload starts a new Streamlit session that only the cookie bridges),
so this one runs the real server and browser.
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


@pytest.mark.slow
def test_sign_in_survives_a_reload_and_sign_out_ends_it(ui_server: str, world: World, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(ui_server)
            page.get_by_label("E-mail address").fill(world["a_admin"].email)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            signed_in = page.get_by_text("Acme Analytics BV · admin")
            signed_in.wait_for(timeout=WAIT_MS)
            # the cookie is written by a small script that runs after the page has drawn: wait for it
            page.wait_for_function("document.cookie.includes('dg_session=')", timeout=WAIT_MS)
            cookie = next(c for c in page.context.cookies() if c["name"] == "dg_session")
            assert cookie["sameSite"] == "Strict" and cookie["value"]

            page.goto(f"{ui_server}/users")  # a new Streamlit session: resumed from the cookie
            page.get_by_role("heading", name="Users").wait_for(timeout=WAIT_MS)
            # the members table is a canvas grid: its cells exist in the DOM but are not "visible"
            page.get_by_text("viewer@acme.example").first.wait_for(state="attached", timeout=WAIT_MS)
            page.screenshot(path=str(tmp_path / "users.png"))
            assert PASSWORD not in page.content()

            page.get_by_role("button", name="Sign out").click()
            page.get_by_text("You have signed out").wait_for(timeout=WAIT_MS)
            page.reload()
            page.get_by_role("button", name="Sign in").wait_for(timeout=WAIT_MS)
            assert not signed_in.count()
        finally:
            browser.close()


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
