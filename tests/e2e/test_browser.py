"""End to end in real headless Chromium through nginx: sign in, code-scan an uploaded archive with a
planted secret, wait for the result, download the PDF; nothing raw reaches the page, the PDF or logs."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from pypdf import PdfReader

from tests.e2e.platform import (
    VIEWPORT,
    RunningPlatform,
    code_scan_of_upload,
    launch_chromium,
    running_platform,
    sign_in,
    zip_file,
)

ADMIN_PASSWORD = "E2e-Admin-Pw-9137-zq"
PLANTED_SECRET = "AKIAQ7RTPLANTED4UIXZ"  # a well-formed AWS key id that exists nowhere
SOURCE = (f'AWS_ACCESS_KEY_ID = "{PLANTED_SECRET}"\n'
          "import logging\nlog = logging.getLogger(__name__)\n"
          "def store(user):\n    log.info('user bsn %s', user.bsn)\n")


@pytest.fixture
def platform() -> Iterator[RunningPlatform]:
    """The launcher with a code worker, the UI, the API and nginx."""
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
