"""With Redis unreachable the API answers 503 JSON (never a 500 or a hang) and its health says why."""

from __future__ import annotations

import dataclasses

from rest_api.app import create_app
from services.scan_service import ScanService
from tests.rest_api.stack import Tenant
from tests.servers import free_port
from utils import database_manager
from utils.config import Settings


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
