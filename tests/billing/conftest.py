"""Billing fixtures: the session PostgreSQL, migrated, as the process-wide database; orgs on plans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from utils import database_manager as dbm
from utils.config import Settings, get_settings

WEBHOOK_SECRET = "whsec_test_" + "b1ll1ng" * 4
STRIPE_KEY = "sk_test_" + "k3y" * 8
PRICES = "starter:price_starter_test,professional:price_pro_test"


@pytest.fixture
def billing_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, postgres_url: str) -> Iterator[Settings]:
    """Settings with Stripe configured (fake key and secret) on the session database."""
    env = {"DG_DATABASE_URL": postgres_url, "DG_DATA_DIR": str(tmp_path / "var"),
           "STRIPE_SECRET_KEY": STRIPE_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "DG_STRIPE_PRICES": PRICES}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    monkeypatch.setattr(dbm, "_default", None)  # the process-wide pool follows the new URL
    dbm.migrate()
    yield get_settings()
    dbm.get_database().close()
    get_settings.cache_clear()


@pytest.fixture
def make_org(billing_env: Settings) -> Callable[..., str]:
    """Create an organisation on a plan; returns its id."""
    def make(name: str = "Acme", plan: str = "free") -> str:
        return dbm.create_organisation(name, plan=plan)

    return make
