"""A real API stack for the REST API and scan service tests: session Redis and PostgreSQL, two
organisations with keys. tests/rest_api/conftest.py and tests/test_scan_service.py bind its fixtures."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from flask import Flask
from flask.testing import FlaskClient

from rest_api.app import create_app
from services.persistence import OutboxDrainer
from services.scan_service import ScanService
from tests.planted import AWS_KEY, BSN, EMAIL, GH_TOKEN, IBAN, PLANTED  # noqa: F401 - re-exported
from tests.runtime.conftest import FAST_SETTINGS, Platform
from tests.servers import RedisServer, free_port, stop_process, wait_until
from utils import database_manager
from utils.config import Settings, get_settings
from utils.repositories import api_keys, organisations

ROOT = Path(__file__).resolve().parents[2]
FAKE_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"  # never checked here


@dataclass(frozen=True)
class Tenant:
    """An organisation with one user and one API key."""

    org_id: str
    user_id: str
    key_id: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def assert_no_planted(*outputs: str | bytes) -> None:
    """Fail if a planted raw value appears in any output."""
    for output in outputs:
        text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
        for value in PLANTED:
            assert value not in text, f"raw planted value leaked: {value[:4]}…"


def planted_zip() -> bytes:
    """A small source tree with a secret and personal data in it, as a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shop/settings.py", f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nDEBUG = True\n')
        archive.writestr("shop/views.py", "import logging\nlog = logging.getLogger(__name__)\n"
                         f"# support: {EMAIL}, BSN {BSN}, IBAN {IBAN}\n")
        archive.writestr("tests/test_api.py", f'TOKEN = "{GH_TOKEN}"\n')
    return buffer.getvalue()


@pytest.fixture
def api_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, redis_server: RedisServer,
                 redis_client: redis.Redis, postgres_url: str) -> Iterator[Settings]:
    """DG_* settings exported for this test (worker children read the same), caches reset around it."""
    env = {**FAST_SETTINGS, "DG_REDIS_URL": redis_server.url, "DG_DATABASE_URL": postgres_url,
           "DG_DATA_DIR": str(tmp_path / "var"), "DG_SCAN_ROOTS": str(tmp_path / "roots"),
           "DG_API_RATE_LIMIT": "10000/minute", "DG_API_AUTH_FAILURE_LIMIT": "10000/minute",
           "DG_MAX_UPLOAD_BYTES": str(256 * 1024),
           "DG_MAX_REQUEST_BYTES": str(16 * 1024)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "roots").mkdir()
    get_settings.cache_clear()
    monkeypatch.setattr(database_manager, "_default", None)  # the process-wide pool follows the new URL
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def db(api_settings: Settings) -> Iterator[database_manager.Database]:
    """A pool on the freshly migrated session database."""
    database = database_manager.Database.from_settings(api_settings)
    database_manager.migrate(database)
    yield database
    database.close()


def make_tenant(db: database_manager.Database, name: str) -> Tenant:
    """An organisation on the plan with every scanner, one analyst and one API key."""
    org_id = organisations.create_organisation(name, plan="enterprise", db=db)
    user_id = organisations.create_user(org_id, f"analyst@{name.lower()}.example", "analyst", FAKE_HASH,
                                        db=db)
    key_id, key = api_keys.create_api_key(org_id, "ci", user_id=user_id, db=db)
    return Tenant(org_id, user_id, key_id, key)


@pytest.fixture
def org_a(db: database_manager.Database) -> Tenant:
    return make_tenant(db, "Alpha")


@pytest.fixture
def org_b(db: database_manager.Database) -> Tenant:
    return make_tenant(db, "Bravo")


@pytest.fixture
def service(api_settings: Settings, db: database_manager.Database) -> ScanService:
    return ScanService(api_settings, db=db)


@pytest.fixture
def app(api_settings: Settings, service: ScanService, db: database_manager.Database) -> Iterator[Flask]:
    application = create_app(api_settings, service, db)
    yield application
    close_limiters(application)


def close_limiters(app: Flask) -> None:
    """Close the Redis pool of each rate limiter of `app` now, not whenever the garbage collector gets
    to it (an app is a reference cycle, and a pool collected with it can warn of an unclosed socket)."""
    for limiter in app.extensions.get("limiter", ()):
        limiter.storage.storage.connection_pool.disconnect()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def platform(api_settings: Settings) -> Iterator[Platform]:
    """Real worker processes under a ProcessManager, stopped by PID at the end."""
    running = Platform(api_settings)
    yield running
    running.close()


def drain(service: ScanService, db: database_manager.Database) -> int:
    """Write finished jobs from the Redis outbox to PostgreSQL, as the launcher's drainer does."""
    return OutboxDrainer(service.manager.queue, db, "rest-api-test").drain_once()


@dataclasses.dataclass
class Served:
    """The API as a real process on a free port."""

    base: str
    log_path: Path

    def get(self, path: str, tenant: Tenant, **kwargs: Any) -> requests.Response:
        return requests.get(self.base + path, headers=tenant.headers, timeout=30, **kwargs)


@pytest.fixture
def served(api_settings: Settings, db: database_manager.Database) -> Iterator[Served]:
    """`python -m rest_api --port N` with this test's settings, stopped by PID."""
    port = free_port()
    log_path = api_settings.data_dir / "api.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "rest_api", "--port", str(port)], cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/api/v1/health", proc), 20, what="the API process")
        yield Served(base, log_path)
    finally:
        stop_process(proc)


def _answers(url: str, proc: subprocess.Popen[bytes]) -> bool:
    assert proc.poll() is None, "the API process exited"
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False
