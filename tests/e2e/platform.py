"""The whole platform as a user runs it (`python launcher.py` behind nginx) and a headless Chromium
driving its UI. Shared by tests/e2e/test_browser.py and scripts/screenshots.py, so the screenshots
in docs/ show exactly the path the end-to-end test checks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, expect

from tests.servers import free_port, free_port_block, wait_until

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's; `playwright install` cannot download here
ADMIN_EMAIL = "admin@dataguardian.local"  # the launcher's first admin (DG_ADMIN_EMAIL default)
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}
START_TIMEOUT_S = 60
UI_TIMEOUT_MS = 30_000  # one page render on a loaded 2-core machine; not a timing assertion
SCAN_TIMEOUT_MS = 60_000
STOP_TIMEOUT_S = 30
DETAIL_LINK = "Open the scan detail"


@dataclass(frozen=True)
class RunningPlatform:
    """A launcher child and where to reach it."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    url: str  # nginx, the front door
    admin_password: str
    ops_url: str  # the launcher's own /health and /stats, on loopback only
    env: dict[str, str]  # what the launcher was started with (its ports and data dir among them)

    def log_text(self) -> str:
        """Every log the platform wrote (launcher output and each process's log)."""
        logs = [self.data_dir / "launcher.out", *sorted((self.data_dir / "log").glob("*.log"))]
        return "\n".join(p.read_text(errors="replace") for p in logs if p.is_file())


def _env(data_dir: Path, admin_password: str) -> dict[str, str]:
    env = {**os.environ, "DG_DATA_DIR": str(data_dir), "DG_WORKER_BASE_PORT": str(free_port_block(12)),
           "DG_UI_PORT": str(free_port()), "DG_API_PORT": str(free_port()), "DG_OPS_PORT": str(free_port()),
           "DG_NGINX_PORT": str(free_port()), "DG_NGINX_LISTEN": "127.0.0.1",
           "DG_REDIS_PORT": str(free_port()), "DG_POSTGRES_PORT": str(free_port()),
           "DG_SHUTDOWN_GRACE_S": "5", "DG_ADMIN_PASSWORD": admin_password}
    for key in ("DG_REDIS_URL", "DG_DATABASE_URL", "DG_ADMIN_EMAIL"):
        env.pop(key, None)
    return env


def _ui_ready(platform: RunningPlatform) -> bool:
    if platform.process.poll() is not None:
        raise AssertionError(f"the launcher exited:\n{platform.log_text()[-3000:]}")
    try:
        return requests.get(f"{platform.url}/_stcore/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def running_platform(admin_password: str, scanners: str = "code") -> Iterator[RunningPlatform]:
    """`python launcher.py --scanners …` in a private data dir on free ports; stopped by PID after."""
    data_dir = Path(tempfile.mkdtemp(prefix="dg-e2e-"))
    data_dir.chmod(0o755)  # nginx workers run as nobody and must reach their temp dirs
    env = _env(data_dir, admin_password)
    with open(data_dir / "launcher.out", "ab") as out:
        proc = subprocess.Popen([sys.executable, "launcher.py", "--scanners", scanners], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    platform = RunningPlatform(proc, data_dir, f"http://127.0.0.1:{env['DG_NGINX_PORT']}", admin_password,
                               f"http://127.0.0.1:{env['DG_OPS_PORT']}", env)
    try:
        wait_until(lambda: _ui_ready(platform), START_TIMEOUT_S, step_s=0.3, what="the UI behind nginx")
        yield platform
    finally:
        _stop(proc)
        subprocess.run(["rm", "-rf", str(data_dir)], check=False)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT_S)


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Debian Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)


def settle(page: Page) -> None:
    """Wait until Streamlit has finished its script run (no running indicator, no stale elements)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=UI_TIMEOUT_MS)


def sign_in(page: Page, platform: RunningPlatform) -> None:
    """Sign in as the first admin through the sign-in form; ends on the dashboard."""
    page.goto(platform.url + "/")
    page.get_by_label("E-mail address").fill(ADMIN_EMAIL)
    page.get_by_role("textbox", name="Password").fill(platform.admin_password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for(timeout=UI_TIMEOUT_MS)
    settle(page)


def open_page(page: Page, title: str, heading: str | None = None) -> None:
    """Open a page from the sidebar navigation and wait for its heading (default: the link's title)."""
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=heading or title, exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    settle(page)


def code_scan_of_upload(page: Page, archive: Path) -> str:
    """Upload `archive` to a code scan, wait for it to finish, open its detail page; returns its URL."""
    open_page(page, "New scan")
    page.locator("input[type=file]").set_input_files(str(archive))
    page.get_by_text(archive.name).wait_for(timeout=UI_TIMEOUT_MS)
    link = page.get_by_role("link", name=DETAIL_LINK)
    earlier = link.get_attribute("href") if link.count() else None  # the previous scan's, if shown
    page.get_by_role("button", name="Start code scan").click()
    href = page.wait_for_function(  # the link of the new job, which appears once it finished
        "([text, earlier]) => [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
        ".find((h, i) => document.querySelectorAll('a')[i].textContent.includes(text) && h !== earlier)",
        arg=[DETAIL_LINK, earlier], timeout=SCAN_TIMEOUT_MS).json_value()
    settle(page)
    expect(page.get_by_text("Scan finished.")).to_have_count(1, timeout=UI_TIMEOUT_MS)
    page.locator(f'a[href="{href}"]').click()
    page.get_by_role("heading", name="Downloads").wait_for(timeout=UI_TIMEOUT_MS)
    settle(page)
    return page.url


def zip_file(path: Path, files: dict[str, str]) -> Path:
    """Write a zip archive of `files` (name -> text) at `path`."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path
