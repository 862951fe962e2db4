"""The database scanner through the platform: the REST API queues a DSN with a password, a real worker
scans the suite's PostgreSQL, the outbox writes the result to PostgreSQL; the password is then looked
for in every Redis key and value, every row of the platform's tables, every log file and the result.
The CLI is tested in tests/cli/test_database_cli.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis
from flask.testing import FlaskClient

from services.scan_service import ScanService
from tests.rest_api import stack
from tests.rest_api.stack import Tenant
from tests.runtime.conftest import Platform
from tests.scanners import database_fixtures as fx
from utils.config import Settings, get_settings
from utils.redis_keys import KEY_CREDENTIAL

api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a, app, client = stack.org_a, stack.app, stack.client
pg_target = fx.pg_target


@pytest.fixture
def private_targets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Set before api_settings, so the worker children inherit it: the target is on 127.0.0.1."""
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def redis_dump(client: redis.Redis) -> str:
    """Every key and value of the platform's Redis as text."""
    return "\n".join(f"{key!r} {_value(client, key)!r}" for key in client.scan_iter(count=1000))


def _value(client: redis.Redis, key: bytes) -> Any:
    raw: Any = client.type(key)
    kind = raw.decode() if isinstance(raw, bytes) else str(raw)
    if kind == "string":
        return client.get(key)
    if kind == "hash":
        return client.hgetall(key)
    if kind == "list":
        return client.lrange(key, 0, -1)
    if kind == "set":
        return client.smembers(key)
    if kind == "zset":
        return client.zrange(key, 0, -1, withscores=True)
    return client.xrange(key) if kind == "stream" else b""


def postgres_dump(url: str) -> str:
    """Every row of every table of the platform's database as JSON text."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = cur.fetchall()
            rows = []
            for schema, table in tables:
                cur.execute(f'SELECT row_to_json(t)::text FROM "{schema}"."{table}" t')
                rows += [r[0] for r in cur.fetchall()]
        return "\n".join(rows)
    finally:
        conn.close()


def files_text(root: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in root.rglob("*") if p.is_file())


def assert_no_password(text: str) -> None:
    assert fx.PASSWORD not in text


def test_a_dsn_password_is_kept_apart_and_never_stored(
        private_targets: None, api_settings: Settings, client: FlaskClient, org_a: Tenant,
        service: ScanService, platform: Platform, pg_target: str, redis_client: redis.Redis,
        db: object) -> None:
    platform.start_workers("database")
    response = client.post("/api/v1/scans", headers=org_a.headers, json={
        "scanner": "database", "request": {"dsn": pg_target, "options": {"sample_size": 50}}})
    assert response.status_code == 202, response.get_data(as_text=True)
    job_id = response.get_json()["job_id"]
    queued = redis_dump(redis_client)
    assert "dsn_credential_ref" in queued  # the job carries a reference in place of the password
    assert_no_password(queued)
    result = service.manager.queue.wait(job_id, 60)
    assert result is not None and result["status"] == "completed", result
    assert any(r["table"] == "klanten" and r["column"] == "bsn" and r["type"] == "pii.bsn"
               for r in result["database"]["map"])
    stack.drain(service, db)  # type: ignore[arg-type]
    got = client.get(f"/api/v1/scans/{job_id}/result", headers=org_a.headers)
    assert got.status_code == 200
    assert not list(redis_client.scan_iter(KEY_CREDENTIAL.format(id="*")))  # deleted when the job ended
    for text in (json.dumps(result), got.get_data(as_text=True), redis_dump(redis_client),
                 postgres_dump(api_settings.database_url or ""), files_text(api_settings.data_dir)):
        assert_no_password(text)


def test_the_api_refuses_a_forged_credential_reference(private_targets: None, api_settings: Settings,
                                                         client: FlaskClient, org_a: Tenant) -> None:
    response = client.post("/api/v1/scans", headers=org_a.headers, json={
        "scanner": "database", "request": {"dsn": "postgresql://u@db.example.org/x",
                                           "dsn_credential_ref": "A" * 22}})
    assert response.status_code == 400
