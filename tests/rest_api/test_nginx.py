"""The API behind the nginx configuration the launcher renders: proxied, with uploads and JSON 413s."""

from __future__ import annotations

import dataclasses
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from launcher import nginx_spec
from tests.rest_api.stack import Served, Tenant, planted_zip
from tests.servers import free_port, stop_process, wait_until
from utils.config import Settings


@pytest.fixture
def nginx_base(api_settings: Settings, served: Served) -> Iterator[str]:
    """nginx started from launcher.nginx_spec in front of the served API, stopped by PID."""
    # nginx workers run as nobody: their temp dirs must be reachable, unlike pytest's 0700 tmp_path
    prefix = Path(tempfile.mkdtemp(prefix="dg-api-nginx-"))
    prefix.chmod(0o755)
    settings = dataclasses.replace(api_settings, data_dir=prefix, nginx_port=free_port(),
                                   nginx_listen="127.0.0.1", api_port=int(served.base.rsplit(":", 1)[1]))
    spec = nginx_spec(settings, {})
    proc = subprocess.Popen(spec.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{settings.nginx_port}"
    try:
        wait_until(lambda: _up(base), 10, what="nginx")
        yield base
    finally:
        stop_process(proc, signal.SIGQUIT)
        shutil.rmtree(prefix, ignore_errors=True)


def _up(base: str) -> bool:
    try:
        return requests.get(f"{base}/nginx-health", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def test_the_api_through_the_rendered_nginx(nginx_base: str, org_a: Tenant) -> None:
    health = requests.get(f"{nginx_base}/api/v1/health", timeout=5)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    missing = requests.get(f"{nginx_base}/api/v1/nothing", headers=org_a.headers, timeout=5)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    # 100 KB: over nginx's in-memory body buffer, so it travels through the client_body temp dir
    archive = planted_zip() + b"\0" * 100_000
    upload = requests.post(f"{nginx_base}/api/v1/uploads", headers=org_a.headers, timeout=10,
                           files={"file": ("shop.zip", archive, "application/zip")})
    assert upload.status_code == 201, upload.text
    assert Path(upload.json()["upload"]).read_bytes() == archive
    # over the API's limit (256 KiB in the stack) but under nginx's whole-megabyte one: the API's 413
    mid = requests.post(f"{nginx_base}/api/v1/uploads", headers=org_a.headers, timeout=10,
                        files={"file": ("big.bin", b"\0" * 400_000)})
    assert mid.status_code == 413 and mid.json()["error"]["code"] == "request_too_large"
    # over nginx's limit too: refused at the door, in the same JSON shape
    huge = requests.post(f"{nginx_base}/api/v1/uploads", headers=org_a.headers, timeout=10,
                         files={"file": ("huge.bin", b"\0" * 2_000_000)})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "request_too_large"
