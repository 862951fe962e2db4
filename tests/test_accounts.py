"""services/accounts.py against the session PostgreSQL: sign-in, lockout, sessions, members, keys."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import argon2.profiles
import psycopg2
import pytest
from argon2 import PasswordHasher

from services import accounts
from utils import database_manager as dbm
from utils.config import get_settings
from utils.errors import (
    AccountLockedError,
    AuthenticationError,
    ConfigError,
    InvalidCredentialsError,
    InvalidRequestError,
    PermissionDeniedError,
)

PASSWORD = "Planted-Pass-7731-xyz"  # grep target: must never appear anywhere but the argon2 input
OTHER_PASSWORD = "Other-Org-Pass-5519-q"
CHEAP_HASHER = PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


@pytest.fixture
def accounts_db(monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> Iterator[str]:
    """Settings pointed at a freshly migrated session database, lockout after three failures."""
    for key, value in {"DG_DATABASE_URL": postgres_url, "DG_LOGIN_MAX_FAILURES": "3",
                       "DG_LOGIN_LOCKOUT_S": "600", "DG_ADMIN_EMAIL": "first@example.org"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DG_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(dbm, "_default", None)
    # argon2's test profile keeps the file fast; test_production_hasher checks the real parameters
    monkeypatch.setattr(accounts, "_hasher", lambda: CHEAP_HASHER)
    dbm.migrate()
    yield postgres_url
    dbm.get_database().close()
    get_settings.cache_clear()


def _dump(url: str) -> str:
    """Every row of the account tables as text, to grep for planted secrets."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            rows = []
            for table in ("users", "sessions", "audit_log", "api_keys", "organisations"):
                cur.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608 - fixed names
                rows += [r[0] for r in cur.fetchall()]
    finally:
        conn.close()
    return "\n".join(rows)


def _actions(org_id: str | None = None) -> list[str]:
    return [entry["action"] for entry in dbm.list_audit(org_id)]


def test_production_hasher_is_argon2id_with_rfc_9106_parameters() -> None:
    hasher = accounts._hasher()
    assert hasher is not CHEAP_HASHER
    expected = argon2.profiles.RFC_9106_LOW_MEMORY
    assert (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        argon2.Type.ID, expected.time_cost, expected.memory_cost, expected.parallelism)
    assert accounts._verify(accounts.hash_password(PASSWORD), PASSWORD)


@pytest.mark.parametrize(("role", "allowed"), [
    ("admin", {"view", "scan", "manage_users", "manage_keys", "billing", "system"}),
    ("analyst", {"view", "scan"}),
    ("viewer", {"view"}),
    ("intruder", set()),
])
def test_role_allows_exactly_its_actions(role: str, allowed: set[str]) -> None:
    assert {a for a in accounts.ACTIONS if accounts.role_allows(role, a)} == allowed
    assert not accounts.role_allows(role, "delete_everything")


def test_sign_in_opens_a_session_and_stores_only_an_argon2_hash(accounts_db: str,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    org_id, user_id = accounts.create_organisation_with_admin("Acme BV", "Admin@Acme.example", PASSWORD)
    session = accounts.sign_in("admin@acme.example", PASSWORD)  # addresses match in any case
    assert (session.user_id, session.org_id, session.org_name, session.role) == (user_id, org_id, "Acme BV",
                                                                                "admin")
    assert accounts.session_valid(session)
    stored = dbm.get_user_by_email("admin@acme.example")
    assert stored is not None and stored["password_hash"].startswith("$argon2id$")
    assert "auth.sign_in" in _actions(org_id)
    dumped = _dump(accounts_db)
    assert PASSWORD not in dumped and session.token not in dumped
    assert PASSWORD not in caplog.text and session.token not in caplog.text
    assert session.token not in repr(session)


def test_wrong_password_and_unknown_address_fail_alike(accounts_db: str) -> None:
    accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    with pytest.raises(InvalidCredentialsError) as wrong:
        accounts.sign_in("admin@acme.example", PASSWORD + "x")
    with pytest.raises(InvalidCredentialsError) as unknown:
        accounts.sign_in("nobody@acme.example", PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    assert PASSWORD not in str(wrong.value) and "acme" not in str(unknown.value)
    assert wrong.value.http_status == 401
    assert _actions().count("auth.sign_in_failed") == 2


def test_lockout_after_the_configured_failures_refuses_even_the_right_password(accounts_db: str) -> None:
    org_id, _ = accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            accounts.sign_in("admin@acme.example", "wrong-password-123")
    with pytest.raises(AccountLockedError, match="locked for up to 10 minutes"):
        accounts.sign_in("admin@acme.example", "wrong-password-123")
    with pytest.raises(AccountLockedError):
        accounts.sign_in("admin@acme.example", PASSWORD)
    assert "auth.lockout" in _actions(org_id) and "auth.sign_in_refused" in _actions(org_id)
    assert issubclass(AccountLockedError, AuthenticationError)


def test_a_success_resets_the_failure_count(accounts_db: str) -> None:
    accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            accounts.sign_in("admin@acme.example", "wrong-password-123")
    accounts.sign_in("admin@acme.example", PASSWORD)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):  # not locked: the count started again
            accounts.sign_in("admin@acme.example", "wrong-password-123")


def test_sessions_expire_and_end_at_sign_out(accounts_db: str) -> None:
    org_id, _ = accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    session = accounts.sign_in("admin@acme.example", PASSWORD)
    assert not accounts.session_valid(session, now=session.expires_at + 1)
    other = accounts.sign_in("admin@acme.example", PASSWORD)
    accounts.sign_out(session)
    assert not accounts.session_valid(session)
    assert accounts.session_valid(other)  # only the session signed out ends
    assert not accounts.session_valid(None)
    assert "auth.sign_out" in _actions(org_id)


def test_role_change_and_deactivation_end_sessions(accounts_db: str) -> None:
    org_id, _ = accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    admin = accounts.sign_in("admin@acme.example", PASSWORD)
    analyst_id = accounts.add_member(admin, "ana@acme.example", "analyst", PASSWORD, "Ana")
    analyst = accounts.sign_in("ana@acme.example", PASSWORD)
    assert analyst.role == "analyst" and analyst.display_name == "Ana"
    accounts.change_role(admin, analyst_id, "viewer")
    assert not accounts.session_valid(analyst)
    assert accounts.sign_in("ana@acme.example", PASSWORD).role == "viewer"
    accounts.deactivate_member(admin, analyst_id)
    with pytest.raises(InvalidCredentialsError):
        accounts.sign_in("ana@acme.example", PASSWORD)
    with pytest.raises(PermissionDeniedError):
        accounts.deactivate_member(admin, admin.user_id)
    assert {"user.role_changed", "user.deactivated"} <= set(_actions(org_id))


def test_members_and_keys_stay_inside_their_organisation(accounts_db: str) -> None:
    accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    accounts.create_organisation_with_admin("Other NV", "admin@other.example", OTHER_PASSWORD)
    acme = accounts.sign_in("admin@acme.example", PASSWORD)
    other = accounts.sign_in("admin@other.example", OTHER_PASSWORD)
    other_key_id, _ = accounts.create_api_key(other, "other-ci")
    assert [m["email"] for m in accounts.list_members(acme)] == ["admin@acme.example"]
    assert accounts.list_api_keys(acme) == []
    with pytest.raises(InvalidRequestError):
        accounts.change_role(acme, other.user_id, "viewer")
    with pytest.raises(InvalidRequestError):
        accounts.revoke_api_key(acme, other_key_id)
    assert accounts.sign_in("admin@other.example", OTHER_PASSWORD).role == "admin"
    assert accounts.list_api_keys(other)[0]["revoked_at"] is None


def test_non_admins_may_not_manage(accounts_db: str) -> None:
    org_id, _ = accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    accounts.create_member(org_id, "view@acme.example", "viewer", PASSWORD)
    viewer = accounts.sign_in("view@acme.example", PASSWORD)
    for call in (lambda: accounts.list_members(viewer), lambda: accounts.list_api_keys(viewer),
                 lambda: accounts.create_api_key(viewer, "x"),
                 lambda: accounts.add_member(viewer, "x@acme.example", "admin", PASSWORD)):
        with pytest.raises(PermissionDeniedError):
            call()


def test_api_key_is_returned_once_and_stored_hashed(accounts_db: str) -> None:
    accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    admin = accounts.sign_in("admin@acme.example", PASSWORD)
    key_id, key = accounts.create_api_key(admin, "ci")
    listed = accounts.list_api_keys(admin)
    assert [(k["id"], k["name"]) for k in listed] == [(key_id, "ci")] and key.startswith(listed[0]["prefix"])
    assert key not in json.dumps(listed, default=str) and key not in _dump(accounts_db)
    found = dbm.find_api_key(key)
    assert found is not None and found["org_id"] is not None
    accounts.revoke_api_key(admin, key_id)
    assert dbm.find_api_key(key) is None


@pytest.mark.parametrize("password", ["short", "x" * 2000])
def test_unacceptable_passwords_are_refused_without_echo(accounts_db: str, password: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", password)
    assert password not in str(refused.value)
    with pytest.raises(InvalidRequestError):
        accounts.create_organisation_with_admin("Acme BV", "not-an-address", PASSWORD)


def test_bootstrap_admin_gets_a_one_time_password_once(accounts_db: str) -> None:
    password = accounts.ensure_bootstrap_admin()
    assert password and len(password) >= accounts.MIN_PASSWORD_LENGTH
    assert accounts.sign_in("first@example.org", password).role == "admin"
    assert accounts.ensure_bootstrap_admin() is None
    assert dbm.count_users() == 1


def test_bootstrap_admin_takes_the_configured_password(accounts_db: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DG_ADMIN_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    assert accounts.ensure_bootstrap_admin() is None  # the operator chose it: nothing to print
    assert accounts.sign_in("first@example.org", PASSWORD).org_name == "DataGuardian"
    assert PASSWORD not in _dump(accounts_db)


def test_bootstrap_admin_refuses_a_weak_configured_password(accounts_db: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DG_ADMIN_PASSWORD", "admin123")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="DG_ADMIN_PASSWORD") as refused:
        accounts.ensure_bootstrap_admin()
    assert "admin123" not in str(refused.value) and dbm.count_users() == 0


def test_a_token_resumes_only_a_live_session(accounts_db: str) -> None:
    accounts.create_organisation_with_admin("Acme BV", "admin@acme.example", PASSWORD)
    session = accounts.sign_in("admin@acme.example", PASSWORD)
    resumed = accounts.resume_session(session.token)
    assert resumed is not None and (resumed.user_id, resumed.role) == (session.user_id, "admin")
    assert accounts.resume_session(session.token, now=session.expires_at + 1) is None
    assert accounts.resume_session("x" * 500) is None and accounts.resume_session("") is None
    accounts.sign_out(session)
    assert accounts.resume_session(session.token) is None
