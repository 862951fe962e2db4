"""Users, API keys, billing and system health pages, roles, and the cross-organisation rule (AppTest)."""

from __future__ import annotations

import hashlib
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import pytest
from streamlit.testing.v1 import AppTest

from services import accounts
from services.process_manager import ProcessManager, ProcessSpec, ProcState
from services.scanner_processes.http import create_app, serve_in_thread
from tests.servers import wait_until
from tests.ui.conftest import MAX_FAILURES, PASSWORD, World, rendered_text, shown
from ui.navigation import PAGES
from utils.config import Settings, get_settings
from utils.errors import AuthenticationError
from utils.repositories import api_keys, audit, scans

ADMIN_PAGES = ["ui/pages/users.py", "ui/pages/api_keys.py", "ui/pages/billing.py",
               "ui/pages/system_health.py"]
ORG_B_MARKERS = ("zyxwv", "qorbin", "xanthe", "yolanda")  # every org B name and address contains one
ATTACKER = "203.0.113.7"  # a documentation address (RFC 5737)


def _open(app: AppTest, page: str) -> AppTest:
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _table_rows(app: AppTest) -> list[dict[str, object]]:
    return [row for frame in app.dataframe for row in frame.value.to_dict("records")]


def _all_rows(url: str, table: str) -> str:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - fixed names
            return "\n".join(row[0] for row in cur.fetchall())
    finally:
        conn.close()


@pytest.mark.parametrize("member", ["a_viewer", "a_analyst"])
def test_non_admins_cannot_reach_admin_pages(app_as: Callable[[str], AppTest], member: str) -> None:
    app = app_as(member)
    for page in ADMIN_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(page)  # not registered for this role: no URL leads there
    assert "Users" not in rendered_text(app) and "API keys" not in rendered_text(app)


def test_admin_reaches_every_page_it_may_open(app_as: Callable[[str], AppTest]) -> None:
    app = app_as("a_admin")
    for entry in PAGES:
        _open(app, entry.path)
        assert app.title and not app.exception


def _seed_org_b_scan(world: World) -> str:
    """A finished scan of org B in PostgreSQL whose finding names an org B path."""
    job_id = str(uuid.uuid4())
    job = {"id": job_id, "org_id": world.org_b, "user_id": world["b_analyst"].user_id,
           "scanner": "code", "created_at": time.time() - 60}
    finding = {"type": "pii.email", "category": "pii", "severity": "high", "confidence": 0.9,
               "location": {"path": "zyxwv-crm/customers.csv", "line": 3},
               "evidence": "y******@zyxwv.example", "gdpr_articles": ["Art. 5"], "remediation": "remove it"}
    scans.save_scan_result(job, {"scanner": "code", "status": "completed", "findings": [finding],
                                 "summary": {"compliance_score": 40, "risk_level": "high",
                                             "findings_by_severity": {"high": 1}}})
    return job_id


def test_org_a_admin_never_sees_org_b(app_as: Callable[[str], AppTest], world: World) -> None:
    org_b_admin = accounts.sign_in(world["b_admin"].email, PASSWORD)
    accounts.create_api_key(org_b_admin, "zyxwv-deploy-key")
    org_b_job = _seed_org_b_scan(world)
    app = app_as("a_admin")
    seen = []
    for entry in PAGES:
        text = rendered_text(_open(app, entry.path)).lower()
        seen.append(text)
        assert not [m for m in (*ORG_B_MARKERS, org_b_job) if m in text], entry.path
    assert "vera viewer" in "\n".join(seen) or "viewer@acme.example" in "\n".join(seen)
    # the control: org B's admin does see its own members and key
    app_b = app_as("b_admin")
    assert "yolanda@zyxwv-holding.example" in rendered_text(_open(app_b, "ui/pages/users.py"))
    assert "zyxwv-deploy-key" in rendered_text(_open(app_b, "ui/pages/api_keys.py"))
    assert org_b_job in rendered_text(_open(app_b, "ui/pages/history.py"))


def test_users_page_adds_changes_and_deactivates_members(app_as: Callable[[str], AppTest],
                                                         world: World) -> None:
    app = _open(app_as("a_admin"), "ui/pages/users.py")
    assert {r["e-mail"] for r in _table_rows(app)} == {"admin@acme.example", "analyst@acme.example",
                                                       "viewer@acme.example"}
    new_password = "New-Member-Pw-9931-zz"
    app.text_input[0].input("nina@acme.example")
    app.text_input[1].input("Nina New")
    app.selectbox[0].select("viewer")
    app.text_input[2].input(new_password)
    app.button(key="FormSubmitter:add_member-Add member").click().run()
    assert "nina@acme.example added as viewer." in [shown(s.value) for s in app.success]
    assert new_password not in rendered_text(app)
    assert accounts.sign_in("nina@acme.example", new_password).role == "viewer"

    nina = next(m for m in accounts.list_members(accounts.sign_in(world["a_admin"].email, PASSWORD))
                if m["email"] == "nina@acme.example")
    app.selectbox(key="member").select(nina["id"])
    app.selectbox(key="new_role").select("analyst")
    app.button(key="change_role").click().run()
    assert {r["e-mail"]: r["role"] for r in _table_rows(app)}["nina@acme.example"] == "analyst"
    app.selectbox(key="member").select(nina["id"])
    app.button(key="deactivate").click().run()
    assert app.success[0].value.startswith("Member deactivated")
    with pytest.raises(accounts.InvalidCredentialsError):
        accounts.sign_in("nina@acme.example", new_password)
    app.selectbox(key="member").select(nina["id"])
    app.button(key="reactivate").click().run()
    assert accounts.sign_in("nina@acme.example", new_password).role == "analyst"


def test_a_short_password_is_refused_on_the_users_page(app_as: Callable[[str], AppTest]) -> None:
    app = _open(app_as("a_admin"), "ui/pages/users.py")
    app.text_input[0].input("short@acme.example")
    app.text_input[2].input("short-pw")
    app.button(key="FormSubmitter:add_member-Add member").click().run()
    assert "at least 12 characters" in app.error[0].value and "short-pw" not in rendered_text(app)


def test_api_key_is_shown_once_and_stored_only_hashed(app_as: Callable[[str], AppTest],
                                                      ui_env: Settings) -> None:
    app = _open(app_as("a_admin"), "ui/pages/api_keys.py")
    app.text_input[0].input("ci-pipeline")
    app.button(key="FormSubmitter:create_key-Create key").click().run()
    key = app.code[0].value
    assert key.startswith("dgp_") and len(key) > 40
    assert [r["name"] for r in _table_rows(app)] == ["ci-pipeline"]
    stored = _all_rows(ui_env.effective_database_url(), "api_keys")
    assert key not in stored and hashlib.sha256(key.encode()).hexdigest() in stored
    app.run()  # any next click: the key is gone for good
    assert key not in rendered_text(app) and not app.code
    assert key not in repr(app.session_state.to_dict())
    app.selectbox(key="revoke_key_id").select_index(0)
    app.button(key="revoke").click().run()
    assert _table_rows(app)[0]["revoked"]


def test_system_health_says_when_the_launcher_is_unreachable(app_as: Callable[[str], AppTest]) -> None:
    app = _open(app_as("a_admin"), "ui/pages/system_health.py")
    assert "unreachable" in app.error[0].value
    assert app.dataframe  # the breakers still come from Redis


class _OpsView:
    """What the launcher's ops endpoint serves: its ProcessManager's health and stats."""

    def __init__(self, manager: ProcessManager) -> None:
        self.manager = manager

    def health(self) -> dict[str, Any]:
        return self.manager.health_check()

    def stats(self) -> dict[str, Any]:
        return {"ready": True, **self.manager.stats()}


@pytest.fixture
def ops_endpoint(ui_env: Settings) -> Iterator[ProcessManager]:
    """A real ProcessManager supervising one child, its /stats served on the UI's configured ops port."""
    manager = ProcessManager(ui_env)
    spec = ProcessSpec("sleeper-1", [sys.executable, "-c", "import time; time.sleep(60)"], scanner="code")
    manager.add(spec)
    manager.start(spec.name)

    def running() -> bool:
        manager.tick(time.monotonic())
        return manager.children[spec.name].state == ProcState.RUNNING

    wait_until(running, 20, what="sleeper RUNNING")
    server = serve_in_thread(create_app(_OpsView(manager)), ui_env.bind_host, ui_env.ops_port)
    yield manager
    server.close()
    manager.stop([spec.name], 5)
    manager.close()


def test_system_health_shows_the_launchers_processes_and_queues(app_as: Callable[[str], AppTest],
                                                               ops_endpoint: ProcessManager) -> None:
    app = _open(app_as("a_admin"), "ui/pages/system_health.py")
    assert not app.error
    processes = app.dataframe[0].value.to_dict("records")
    assert [(p["process"], p["state"], p["restarts"]) for p in processes] == [("sleeper-1", "RUNNING", 0)]
    assert processes[0]["pid"] == ops_endpoint.children["sleeper-1"].pid and processes[0]["RSS (MiB)"] > 0
    assert [q["scanner"] for q in app.dataframe[1].value.to_dict("records")] == ["code"]


def test_billing_without_stripe_shows_plan_and_usage_and_says_not_configured(
        app_as: Callable[[str], AppTest], world: World) -> None:
    _seed_org_b_scan(world)  # another organisation's scan never counts here
    app = _open(app_as("a_admin"), "ui/pages/billing.py")
    assert app.metric[0].value == "Free"
    assert "0 of 50 scans used" in rendered_text(app)
    assert "Billing is not configured" in app.info[0].value
    assert not app.main.button  # no Stripe actions without a key


def test_billing_with_stripe_offers_upgrades_and_explains_a_missing_customer(
        app_as: Callable[[str], AppTest], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_not_a_real_key")
    monkeypatch.setenv("DG_STRIPE_PRICES", "starter:price_starter,professional:price_pro")
    get_settings.cache_clear()
    app = _open(app_as("a_admin"), "ui/pages/billing.py")
    assert [b.label for b in app.main.button] == ["Upgrade to Starter", "Upgrade to Professional",
                                             "Manage subscription and invoices"]
    app.button(key="portal").click().run()  # answered before any call to Stripe: no customer yet
    assert "no Stripe customer for this organisation yet" in app.error[0].value
    assert "sk_test_not_a_real_key" not in rendered_text(app)


def _lock(email: str, source: str) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(email, "not-the-password-1", source)


def test_users_page_unlocks_a_member(app_as: Callable[[str], AppTest], world: World) -> None:
    viewer = world["a_viewer"]
    _lock(viewer.email, ATTACKER)
    app = _open(app_as("a_admin"), "ui/pages/users.py")
    assert {r["e-mail"]: r["locked until"] for r in _table_rows(app)}[viewer.email]
    app.selectbox(key="member").select(viewer.user_id)
    app.button(key="unlock").click().run()
    assert "Sign-in unlocked." in [s.value for s in app.success]
    assert not {r["e-mail"]: r["locked until"] for r in _table_rows(app)}[viewer.email]
    assert accounts.sign_in(viewer.email, PASSWORD, ATTACKER).role == "viewer"
    assert "user.unlocked" in [e["action"] for e in audit.list_audit(world.org_a)]


def test_users_page_resets_a_password_and_shows_it_once(app_as: Callable[[str], AppTest], world: World,
                                                        ui_env: Settings) -> None:
    analyst = world["a_analyst"]
    analyst_session = accounts.sign_in(analyst.email, PASSWORD)
    app = _open(app_as("a_admin"), "ui/pages/users.py")
    app.selectbox(key="member").select(analyst.user_id)
    app.button(key="reset_password").click().run()
    assert not app.error and "shown only this once" in app.success[0].value
    one_time = app.code[0].value
    assert len(one_time) >= accounts.MIN_PASSWORD_LENGTH
    assert not accounts.session_valid(analyst_session)
    assert accounts.sign_in(analyst.email, one_time).role == "analyst"
    with pytest.raises(accounts.InvalidCredentialsError):
        accounts.sign_in(analyst.email, PASSWORD)
    assert one_time not in _all_rows(ui_env.effective_database_url(), "audit_log")
    app.run()  # any next click: the password is gone for good
    assert one_time not in rendered_text(app) and not app.code
    assert one_time not in repr(app.session_state.to_dict())


def test_users_page_deactivation_revokes_the_members_keys(app_as: Callable[[str], AppTest],
                                                          world: World) -> None:
    admin = accounts.sign_in(world["a_admin"].email, PASSWORD)
    ops_id = accounts.add_member(admin, "ops@acme.example", "admin", PASSWORD)
    _, key = accounts.create_api_key(accounts.sign_in("ops@acme.example", PASSWORD), "ops-ci")
    app = _open(app_as("a_admin"), "ui/pages/users.py")
    app.selectbox(key="member").select(ops_id)
    app.button(key="deactivate").click().run()
    assert "API keys are revoked" in app.success[0].value
    assert api_keys.find_api_key(key) is None
    app.selectbox(key="member").select(ops_id)
    app.button(key="reactivate").click().run()
    assert "stay revoked" in app.success[0].value and api_keys.find_api_key(key) is None
