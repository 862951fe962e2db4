"""Save PNGs of the main UI pages into docs/screenshots/, on a real platform in headless Chromium.

Runs the path tests/e2e/test_browser.py checks (launcher behind nginx, sign-in, a code scan of an
uploaded archive), then a second scan and a DPIA that cites the first scan's findings, so the
dashboard and history have something to show. Usage: `.venv/bin/python scripts/screenshots.py`.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from the repository

from playwright.sync_api import Page, ViewportSize, sync_playwright  # noqa: E402

from tests.e2e.platform import (  # noqa: E402
    DETAIL_LINK,
    SCAN_TIMEOUT_MS,
    UI_TIMEOUT_MS,
    RunningPlatform,
    code_scan_of_upload,
    launch_chromium,
    open_page,
    running_platform,
    settle,
    sign_in,
    zip_file,
)

log = logging.getLogger("screenshots")
OUT = ROOT / "docs" / "screenshots"
# taller than the tests' viewport: Streamlit scrolls inside its own container, not the page
SCREEN: ViewportSize = {"width": 1400, "height": 1250}
CHARTS = 4  # on the dashboard
RENDER_PAUSE_MS = 1500
ROW_MARKER_X, FIRST_ROW_Y = 14, 52  # the selection box of the first row, below the 35 px header
# sample sources: every value is fake (a documentation AWS key id shape, a test BSN, example.com)
SHOP = {"shop/settings.py": 'AWS_ACCESS_KEY_ID = "AKIAQ7RTSAMPLE4DOCSX"\nDEBUG = True\n',
        "shop/customers.py": ("import logging\nlog = logging.getLogger(__name__)\n"
                              "def register(customer):\n    log.info('new customer %s', customer.email)\n"
                              "    log.info('bsn %s', customer.bsn)\n")}
CRM = {"crm/export.py": ("ADMIN_PASSWORD = 'Winter2026!'\nCONTACT = 'j.jansen@example.com'\n"
                         "IBAN = 'NL91ABNA0417164300'\n")}


def shoot(page: Page, name: str) -> None:
    """Screenshot the settled page as docs/screenshots/<name>.png."""
    settle(page)
    page.wait_for_timeout(RENDER_PAUSE_MS)  # a script run can start a moment after the click that caused it
    settle(page)
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    log.info("screenshots: %s.png", name)


def dpia_from_evidence(page: Page) -> None:
    """From a scan's detail page: hand its findings to the DPIA form, answer a little, run it."""
    page.get_by_role("button", name="Use as DPIA evidence").click()
    page.get_by_role("link", name="Open the DPIA form").click()
    page.get_by_role("button", name="Start DPIA").wait_for(timeout=UI_TIMEOUT_MS)
    settle(page)
    question = page.get_by_role("radiogroup", name="Are data processed on a large scale?")
    question.get_by_text("yes").click()
    shoot(page, "new-scan-dpia")
    page.get_by_role("button", name="Start DPIA").click()
    page.get_by_text("Scan finished.").wait_for(timeout=SCAN_TIMEOUT_MS)
    settle(page)
    page.get_by_role("link", name=DETAIL_LINK).click()
    page.get_by_text("Evidence cited from other scans").wait_for(timeout=UI_TIMEOUT_MS)
    shoot(page, "dpia-detail")


def select_first_row(page: Page) -> None:
    """Tick the first row of the history table (drawn on a canvas, so by position) to show its link."""
    box = page.get_by_test_id("stDataFrame").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + ROW_MARKER_X, box["y"] + FIRST_ROW_Y)
    page.get_by_role("link", name=re.compile(r"^Open the \w+ scan of ")).wait_for(timeout=UI_TIMEOUT_MS)


def tour(page: Page, platform: RunningPlatform, work: Path) -> None:
    """Every screenshot, in the order a new user meets the pages."""
    page.goto(platform.url + "/")
    page.get_by_role("button", name="Sign in").wait_for(timeout=UI_TIMEOUT_MS)
    shoot(page, "sign-in")
    sign_in(page, platform)
    code_scan_of_upload(page, zip_file(work / "crm.zip", CRM))
    open_page(page, "New scan")  # the code form, and the scan just finished below it
    shoot(page, "new-scan")
    code_scan_of_upload(page, zip_file(work / "shop.zip", SHOP))
    shoot(page, "scan-detail")
    dpia_from_evidence(page)
    open_page(page, "Dashboard")
    page.locator("[data-testid=stVegaLiteChart]").nth(CHARTS - 1).wait_for(timeout=UI_TIMEOUT_MS)
    shoot(page, "dashboard")
    open_page(page, "History", "Scan history")
    select_first_row(page)
    shoot(page, "history")
    open_page(page, "System health")
    shoot(page, "system-health")


def main() -> int:
    """Start a private platform, take the screenshots, stop it."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    OUT.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    with (tempfile.TemporaryDirectory() as work, running_platform(password, scanners="code,dpia") as platform,
          sync_playwright() as playwright):
        browser = launch_chromium(playwright)
        try:
            tour(browser.new_page(viewport=SCREEN), platform, Path(work))
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
