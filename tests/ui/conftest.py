"""Shared UI fixtures: settings on the session Redis/PostgreSQL, two seeded organisations, AppTest.

`ui_env` points every setting at the session servers (a fresh, migrated schema per test) with a
launcher ops port nothing listens on. `world` seeds two organisations with an admin, an analyst and a
viewer each; org B's names are distinctive so a test can assert they never appear for org A.
`app_as("a_admin")` returns an AppTest of app.py already signed in as that user (after one run).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import argon2.profiles
import pytest
import redis
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AlertBase, HeadingBase, Markdown

from services import accounts, scan_service
from tests.servers import PostgresServer, RedisServer, free_port
from utils import database_manager as dbm
from utils.config import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PASSWORD = "Ui-Planted-Pw-4471-kq"  # every seeded user's password; grep target in rendered output
APP_TIMEOUT_S = 30  # one run of a page; generous for a loaded 2-core machine, not a timing assertion
MAX_FAILURES = 3
CHEAP_HASHER = PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # ui.components.text.literal's escapes


@dataclass(frozen=True)
class Member:
    """A seeded user."""

    user_id: str
    org_id: str
    email: str
    role: str
    display_name: str


@dataclass(frozen=True)
class World:
    """Two organisations, A ("Acme Analytics BV") and B ("Zyxwv Holding NV"), three members each."""

    org_a: str
    org_b: str
    members: dict[str, Member]

    def __getitem__(self, key: str) -> Member:
        return self.members[key]


@pytest.fixture
def ui_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, postgres_url: str, redis_server: RedisServer,
           postgres_server: PostgresServer) -> Iterator[Settings]:
    """Settings of this test, exported to the environment, on a freshly migrated database."""
    env = {"DG_DATABASE_URL": postgres_url, "DG_REDIS_URL": redis_server.url,
           "DG_DATA_DIR": str(tmp_path / "var"), "DG_SCAN_ROOTS": str(tmp_path),
           "DG_OPS_PORT": str(free_port()), "DG_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
           "DG_LOGIN_LOCKOUT_S": "600"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("DG_ADMIN_PASSWORD", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        monkeypatch.delenv(key, raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(dbm, "_default", None)
    # argon2's own test profile: the production cost (~0.3 s a hash here) would dominate every test;
    # tests/test_accounts.py checks the production parameters
    monkeypatch.setattr(accounts, "_hasher", lambda: CHEAP_HASHER)
    dbm.migrate()
    yield get_settings()
    dbm.get_database().close()
    get_settings.cache_clear()


def _seed_org(name: str, prefix: str, people: list[tuple[str, str, str]]) -> tuple[str, dict[str, Member]]:
    (admin_email, _, admin_name), *others = people
    org_id, admin_id = accounts.create_organisation_with_admin(name, admin_email, PASSWORD)
    members = {f"{prefix}_admin": Member(admin_id, org_id, admin_email, "admin", admin_name)}
    for email, role, display in others:
        user_id = accounts.create_member(org_id, email, role, PASSWORD, display)
        members[f"{prefix}_{role}"] = Member(user_id, org_id, email, role, display)
    return org_id, members


@pytest.fixture(autouse=True)
def fresh_scan_service(monkeypatch: pytest.MonkeyPatch, redis_client: redis.Redis) -> Iterator[None]:
    """An empty Redis, and a process-wide ScanService built from this test's settings, closed after it
    (one built by an earlier test in this process would keep that test's data directory)."""
    monkeypatch.setattr(scan_service, "_service", None)
    yield
    if scan_service._service is not None:
        scan_service._service.manager.close()


@pytest.fixture
def world(ui_env: Settings) -> World:
    """Org A and org B with an admin, an analyst and a viewer each (org B's names are distinctive)."""
    org_a, members_a = _seed_org("Acme Analytics BV", "a", [
        ("admin@acme.example", "admin", "Alice Admin"), ("analyst@acme.example", "analyst", "Arthur Analyst"),
        ("viewer@acme.example", "viewer", "Vera Viewer")])
    org_b, members_b = _seed_org("Zyxwv Holding NV", "b", [
        ("qorbin@zyxwv-holding.example", "admin", "Qorbin Zyxwv"),
        ("xanthe@zyxwv-holding.example", "analyst", "Xanthe Zyxwv"),
        ("yolanda@zyxwv-holding.example", "viewer", "Yolanda Zyxwv")])
    return World(org_a, org_b, {**members_a, **members_b})


def new_app() -> AppTest:
    """An AppTest of app.py, not yet run."""
    return AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)


@pytest.fixture
def app_as(world: World) -> Callable[[str], AppTest]:
    """A factory: `app_as("a_admin")` is an AppTest signed in as that member, run once."""

    def make(key: str) -> AppTest:
        app = new_app()
        app.session_state["dg_session"] = accounts.sign_in(world[key].email, PASSWORD)
        return app.run()

    return make


def rendered_text(app: AppTest) -> str:
    """Everything rendered on the current page and the sidebar (each element's proto, tables as CSV,
    and each Markdown text as the browser shows it, without its escapes)."""
    parts: list[str] = []
    for node in _walk(app._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        if getattr(node, "type", None) == "arrow_data_frame":
            parts.append(node.value.to_csv())
        elif isinstance(node, Markdown | AlertBase | HeadingBase) and isinstance(node.value, str):
            parts.append(shown(node.value))
    return "\n".join(parts)


def shown(markdown: str) -> str:
    """Markdown text as the browser shows it: backslash escapes of ASCII punctuation removed."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown)


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
