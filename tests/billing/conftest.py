"""Billing fixtures: a database of their own on the session PostgreSQL, migrated once; orgs on plans.

Every billing test works on organisations it creates (fresh UUIDs) and events it names, so they
share one migrated database instead of paying a schema drop and migration each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest

from tests.rest_api.stack import (  # noqa: F401 - the REST API stack, for the webhook endpoint test
    api_settings,
    app,
    client,
    db,
    service,
)
from tests.servers import PostgresServer
from utils import database_manager as dbm
from utils.config import Settings, get_settings
from utils.credentials import PG_APP_ROLE
from utils.repositories import organisations

WEBHOOK_SECRET = "whsec_test_" + "b1ll1ng" * 4
STRIPE_KEY = "sk_test_" + "k3y" * 8
PRICES = "starter:price_starter_test,professional:price_pro_test"


BILLING_DATABASE = "dg_billing_tests"


@pytest.fixture(scope="session")
def billing_database(postgres_server: PostgresServer) -> str:
    """URL of a database created and migrated once per session on the session PostgreSQL."""
    conn = psycopg2.connect(postgres_server.admin_url)  # the application role may not create databases
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {BILLING_DATABASE}")
        cur.execute(f"CREATE DATABASE {BILLING_DATABASE} OWNER {PG_APP_ROLE}")
    conn.close()
    url = postgres_server.url.rsplit("/", 1)[0] + "/" + BILLING_DATABASE
    database = dbm.Database(url, minconn=0, maxconn=1)
    dbm.migrate(database)
    database.close()
    return url


@pytest.fixture
def billing_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, billing_database: str) -> Iterator[Settings]:
    """Settings with Stripe configured (fake key and secret) on the billing database."""
    env = {"DG_DATABASE_URL": billing_database, "DG_DATA_DIR": str(tmp_path / "var"),
           "STRIPE_SECRET_KEY": STRIPE_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "DG_STRIPE_PRICES": PRICES}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    monkeypatch.setattr(dbm, "_default", None)  # the process-wide pool follows the new URL
    yield get_settings()
    dbm.get_database().close()
    get_settings.cache_clear()


@pytest.fixture
def make_org(billing_env: Settings) -> Callable[..., str]:
    """Create an organisation on a plan; returns its id."""
    def make(name: str = "Acme", plan: str = "free") -> str:
        return organisations.create_organisation(name, plan=plan)

    return make
