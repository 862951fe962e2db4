"""End to end in real headless Chromium through nginx: sign in, code-scan an uploaded archive with a
planted secret, wait for the result, download the PDF; nothing raw reaches the page, the PDF or logs.
Then the front door's defences: hostile file names show as text and load nothing, the session cookie
is HttpOnly and SameSite=Strict, the UI works under its Content-Security-Policy, and nginx shows the
public only a minimal /health."""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import BrowserContext, Cookie, Page, expect, sync_playwright
from pypdf import PdfReader

from tests.e2e.platform import (
    UI_TIMEOUT_MS,
    VIEWPORT,
    RunningPlatform,
    code_scan_of_upload,
    launch_chromium,
    open_page,
    running_platform,
    settle,
    sign_in,
    zip_file,
)
from tests.servers import wait_until

ADMIN_PASSWORD = "E2e-Admin-Pw-9137-zq"
PLANTED_SECRET = "AKIAQ7RTPLANTED4UIXZ"  # a well-formed AWS key id that exists nowhere
SOURCE = (f'AWS_ACCESS_KEY_ID = "{PLANTED_SECRET}"\n'
          "import logging\nlog = logging.getLogger(__name__)\n"
          "def store(user):\n    log.info('user bsn %s', user.bsn)\n")


@pytest.fixture(scope="module")
def platform() -> Iterator[RunningPlatform]:
    """The launcher with a code worker, the UI, the API and nginx (one for the module: it starts slowly)."""
    with running_platform(ADMIN_PASSWORD, scanners="code") as running:
        yield running


@pytest.fixture
def page() -> Iterator[Page]:
    """A fresh Chromium page that accepts downloads."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser.new_page(viewport=VIEWPORT, accept_downloads=True)
        finally:
            browser.close()


def _download(page: Page, label: str) -> str:
    """Click a download button and return the file's text."""
    with page.expect_download() as download:
        page.get_by_role("button", name=label, exact=True).click()
    return Path(download.value.path()).read_text(encoding="utf-8")


@pytest.mark.slow
def test_sign_in_scan_an_upload_and_download_its_pdf_in_chromium(
        platform: RunningPlatform, page: Page, tmp_path: Path) -> None:
    sign_in(page, platform)
    archive = zip_file(tmp_path / "project.zip", {"src/settings.py": SOURCE})
    detail_url = code_scan_of_upload(page, archive)
    assert "scan_detail?job=" in detail_url
    expect(page.get_by_text(re.compile(r"^(\d+) of \1 findings$"))).to_be_visible()
    page.get_by_text("GDPR articles and remediation per finding").click()
    details = page.get_by_test_id("stExpander")
    expect(details.get_by_text("secret.aws_access_key", exact=True)).to_be_visible()
    page.screenshot(path=str(tmp_path / "scan-detail.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "aws_access_key" in text.replace("\n", "") and PLANTED_SECRET not in text
    assert download.value.suggested_filename.endswith(".pdf")
    exports = {fmt: _download(page, fmt) for fmt in ("JSON", "CSV", "SARIF")}
    exported = json.loads(exports["JSON"])["results"][0]["findings"]
    assert "secret.aws_access_key" in {f["type"] for f in exported}
    assert "secret.aws_access_key" in exports["CSV"]
    assert json.loads(exports["SARIF"])["runs"][0]["results"]
    assert not any(PLANTED_SECRET in text for text in exports.values())
    for shown in (page.content(), platform.log_text()):
        assert PLANTED_SECRET not in shown and ADMIN_PASSWORD not in shown
    assert (tmp_path / "scan-detail.png").stat().st_size > 10_000


# --- the front door's defences ---------------------------------------------------------------------

class Beacon:
    """An HTTP server on 127.0.0.1 that records every request it gets: a page must send it none."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def beacon() -> Iterator[Beacon]:
    """A request counter on a free loopback port."""
    server = Beacon()
    yield server
    server.close()


def _session_cookie(context: BrowserContext) -> Cookie | None:
    return next((c for c in context.cookies() if c["name"] == "dg_session" and c["value"]), None)


def _hostile_archive(tmp_path: Path, beacon: Beacon) -> tuple[Path, list[str]]:
    """A project whose directory names are Markdown: an image from the beacon and a link elsewhere.

    A "/" would split the name into directories, so the URLs spell it as an entity (Markdown decodes
    entities in link targets); the backticks close the code span a location used to be shown in.
    """
    image = f"![x](http:&#47;&#47;127.0.0.1:{beacon.port}&#47;beacon.png)"
    link = "[click](http:&#47;&#47;evil.example)"
    files = {f"src/`{image}`/settings.py": SOURCE, f"src/`{link}`/keys.py": SOURCE}
    return zip_file(tmp_path / "hostile.zip", files), [image, link]


@pytest.mark.slow
def test_hostile_names_cookie_and_content_policy_in_chromium(
        platform: RunningPlatform, beacon: Beacon, tmp_path: Path) -> None:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            blocked: list[str] = []  # what the Content-Security-Policy refused, as Chromium reports it
            page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
            sign_in(page, platform)
            cookie = wait_until(lambda: _session_cookie(context), UI_TIMEOUT_MS / 1000, step_s=0.2,
                                what="the session cookie")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
            assert "dg_session" not in page.evaluate("document.cookie")  # no script can read it

            archive, shown = _hostile_archive(tmp_path, beacon)
            code_scan_of_upload(page, archive)
            page.get_by_text("GDPR articles and remediation per finding").click()
            details = page.get_by_test_id("stExpander")
            for text in shown:
                expect(details.get_by_text(text, exact=False).first).to_be_visible()
            expect(page.locator("a[href*='evil.example']")).to_have_count(0)
            expect(page.locator("img[src*='beacon']")).to_have_count(0)

            open_page(page, "Dashboard")  # the charts (vega) draw under the policy too
            expect(page.locator(".vega-embed").first).to_be_visible(timeout=UI_TIMEOUT_MS)
            page.goto(f"{platform.url}/users")  # a new Streamlit session, resumed from the HttpOnly cookie
            page.get_by_role("heading", name="Users").wait_for(timeout=UI_TIMEOUT_MS)
            settle(page)
            assert ADMIN_PASSWORD not in page.content()

            page.get_by_role("button", name="Sign out").click()
            page.get_by_text("You have signed out").wait_for(timeout=UI_TIMEOUT_MS)
            wait_until(lambda: _session_cookie(context) is None, UI_TIMEOUT_MS / 1000, step_s=0.2,
                       what="the session cookie to be cleared")
            page.reload()
            page.get_by_role("button", name="Sign in").wait_for(timeout=UI_TIMEOUT_MS)
            assert beacon.hits == [] and blocked == []
        finally:
            browser.close()
    assert ADMIN_PASSWORD not in platform.log_text()


def test_front_door_headers_and_what_it_shows_of_the_platform(platform: RunningPlatform) -> None:
    ui = requests.get(f"{platform.url}/", timeout=10)
    assert ui.status_code == 200 and "text/html" in ui.headers["Content-Type"]
    policy = dict(part.strip().split(" ", 1) for part in ui.headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["img-src"].split() == ["'self'", "data:", "blob:"]  # no remote image, whatever a page says
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert ui.headers["X-Frame-Options"] == "DENY" and ui.headers["X-Content-Type-Options"] == "nosniff"
    assert ui.headers["Referrer-Policy"] == "no-referrer"

    health = requests.get(f"{platform.url}/health", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    stats = requests.get(f"{platform.url}/stats", timeout=10)
    assert stats.status_code == 404 and "processes" not in stats.text
    # the full figures stay on the launcher's loopback port, where the system health page reads them
    assert "processes" in requests.get(f"{platform.ops_url}/stats", timeout=10).json()
    assert "processes" in requests.get(f"{platform.ops_url}/health", timeout=10).json()
