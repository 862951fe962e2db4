"""With Redis or PostgreSQL unreachable the API answers 503 JSON with Retry-After (never a 500 or a hang),
its health says why, and it takes submissions again within about a second of PostgreSQL's return."""

from __future__ import annotations

import dataclasses
import functools

import pytest

from rest_api.app import create_app
from services.scan_service import ScanService
from tests.rest_api.stack import Tenant, make_tenant
from tests.servers import PostgresServer, free_port, wait_until
from utils import database_manager
from utils.config import Settings, get_settings


def test_redis_down_is_503_json(api_settings: Settings, db: database_manager.Database, org_a: Tenant) -> None:
    dead = dataclasses.replace(api_settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    client = create_app(dead, ScanService(dead, db=db), db).test_client()
    health = client.get("/api/v1/health")
    assert health.status_code == 503
    assert health.get_json()["redis"].startswith("unavailable") and health.get_json()["postgres"] == "ok"
    for response in (client.get("/api/v1/scans", headers=org_a.headers),
                     client.post("/api/v1/scans", json={"scanner": "dpia", "request": {}},
                                 headers=org_a.headers)):
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.get_json()["error"]["code"] == "service_unavailable"
        assert response.headers["Retry-After"] == "1"


def test_postgres_down_is_503_with_retry_after_and_back_within_a_second(
        api_settings: Settings, stoppable_postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DG_DATABASE_URL", stoppable_postgres.url)  # billing reads the process's database
    get_settings.cache_clear()
    monkeypatch.setattr(database_manager, "_default", None)
    settings = get_settings()
    db = database_manager.get_database()
    database_manager.migrate(db)
    tenant = make_tenant(db, "Outage")
    client = create_app(settings, ScanService(settings, db=db), db).test_client()
    submit = functools.partial(client.post, "/api/v1/scans", json={"scanner": "dpia", "request": {}},
                               headers=tenant.headers)
    assert submit().status_code == 202
    stoppable_postgres.stop()
    refusals = [submit() for _ in range(8)]  # enough to open the breaker
    for response in refusals:
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "1"  # the breaker tries again within a second
    stoppable_postgres.start()
    wait_until(lambda: submit().status_code == 202, 3, step_s=0.1, what="a submission after the return")
