"""Sign-in, lockout, expiry and sign-out through the real app.py in AppTest."""

from __future__ import annotations

from collections.abc import Callable

import psycopg2
import pytest
from streamlit.testing.v1 import AppTest

from services import accounts
from tests.servers import free_port
from tests.ui.conftest import MAX_FAILURES, PASSWORD, World, new_app, rendered_text
from utils import database_manager as dbm
from utils.config import Settings
from utils.repositories import audit


def _submit(app: AppTest, email: str, password: str) -> AppTest:
    app.text_input(key="sign_in_email").input(email)
    app.text_input(key="sign_in_password").input(password)
    return app.button(key="FormSubmitter:sign_in-Sign in").click().run()


def _on_sign_in_form(app: AppTest) -> bool:
    return [t.key for t in app.text_input] == ["sign_in_email", "sign_in_password"]


def _sidebar_text(app: AppTest) -> str:
    return " ".join(str(element.value) for element in (*app.sidebar.markdown, *app.sidebar.caption))


def test_signed_out_visitor_sees_only_the_sign_in_form(world: World) -> None:
    app = new_app().run()
    assert not app.exception and _on_sign_in_form(app)
    assert "Acme" not in rendered_text(app) and "Zyxwv" not in rendered_text(app)
    assert not app.sidebar.button  # no sign-out, no navigation


def test_sign_in_shows_user_organisation_and_role(world: World) -> None:
    app = _submit(new_app().run(), world["a_analyst"].email, PASSWORD)
    assert not app.exception and not _on_sign_in_form(app)
    assert "Arthur Analyst" in _sidebar_text(app) and "Acme Analytics BV · analyst" in _sidebar_text(app)
    assert app.session_state["dg_session"].user_id == world["a_analyst"].user_id
    assert PASSWORD not in rendered_text(app)
    assert PASSWORD not in repr(app.session_state.to_dict())  # the form cleared the typed password


def test_wrong_password_is_refused_without_saying_which_part(world: World) -> None:
    app = _submit(new_app().run(), world["a_viewer"].email, PASSWORD + "!")
    assert _on_sign_in_form(app) and "dg_session" not in app.session_state
    assert [e.value for e in app.error] == ["wrong e-mail address or password"]
    app = _submit(app, "nobody@acme.example", PASSWORD)
    assert [e.value for e in app.error] == ["wrong e-mail address or password"]
    assert PASSWORD not in rendered_text(app)


def test_lockout_after_repeated_failures_refuses_the_right_password(world: World) -> None:
    app = new_app().run()
    for _ in range(MAX_FAILURES - 1):
        app = _submit(app, world["a_viewer"].email, "not-the-password-1")
        assert "wrong e-mail" in app.error[0].value
    app = _submit(app, world["a_viewer"].email, "not-the-password-1")
    assert "locked" in app.error[0].value
    app = _submit(app, world["a_viewer"].email, PASSWORD)
    assert "locked" in app.error[0].value and _on_sign_in_form(app)
    assert "auth.lockout" in [entry["action"] for entry in audit.list_audit(world.org_a)]


def test_expired_session_goes_back_to_sign_in(app_as: Callable[[str], AppTest], ui_env: Settings) -> None:
    app = app_as("a_admin")
    assert not _on_sign_in_form(app)
    conn = psycopg2.connect(ui_env.effective_database_url())
    with conn, conn.cursor() as cur:  # the server-side expiry, as if the lifetime had passed
        cur.execute("UPDATE sessions SET expires_at = now() - interval '1 second'")
    conn.close()
    app.run()
    assert _on_sign_in_form(app) and "dg_session" not in app.session_state
    assert "Your session has ended" in app.info[0].value


def test_session_past_its_own_expiry_is_dropped(app_as: Callable[[str], AppTest]) -> None:
    import dataclasses

    app = app_as("a_viewer")
    session = app.session_state["dg_session"]
    app.session_state["dg_session"] = dataclasses.replace(session, expires_at=session.expires_at - 10**6)
    assert _on_sign_in_form(app.run())


def test_sign_out_ends_the_session_everywhere(app_as: Callable[[str], AppTest], world: World) -> None:
    app = app_as("a_analyst")
    session = app.session_state["dg_session"]
    app.sidebar.button(key="sign_out").click().run()
    assert _on_sign_in_form(app) and "You have signed out" in app.info[0].value
    assert not accounts.session_valid(session)  # a copied token is dead too
    assert "auth.sign_out" in [entry["action"] for entry in audit.list_audit(world.org_a)]


def test_role_change_by_an_admin_ends_the_members_session(app_as: Callable[[str], AppTest],
                                                          world: World) -> None:
    app = app_as("a_analyst")
    admin = accounts.sign_in(world["a_admin"].email, PASSWORD)
    accounts.change_role(admin, world["a_analyst"].user_id, "viewer")
    assert _on_sign_in_form(app.run())


def test_database_outage_shows_a_message_not_a_traceback(app_as: Callable[[str], AppTest],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_as("a_viewer")
    live = dbm.get_database()
    dead = dbm.Database(f"postgresql://127.0.0.1:{free_port()}/gone", wait_s=0.1)
    monkeypatch.setattr(dbm, "_default", dead)
    app.run()
    assert not app.exception and "unreachable" in app.error[0].value
    monkeypatch.setattr(dbm, "_default", live)  # so the fixture closes the pool it opened


def _change_password(app: AppTest, current: str, new: str, again: str | None = None) -> AppTest:
    app.text_input(key="current_password").input(current)
    app.text_input(key="new_password").input(new)
    app.text_input(key="new_password_again").input(new if again is None else again)
    return app.button(key="FormSubmitter:change_password-Change password").click().run()


def test_a_user_changes_their_own_password_on_my_account(app_as: Callable[[str], AppTest],
                                                         world: World) -> None:
    new_password = "Changed-Pw-5582-zq"
    elsewhere = accounts.sign_in(world["a_analyst"].email, PASSWORD)
    app = app_as("a_analyst")
    app.switch_page("ui/pages/account.py").run()
    app = _change_password(app, PASSWORD, new_password, again=new_password + "x")
    assert "differ" in app.error[0].value
    app = _change_password(app, "not-the-password-1", new_password)
    assert "current password is not right" in app.error[0].value
    app = _change_password(app, PASSWORD, new_password)
    assert not app.error and "Password changed" in app.success[0].value
    assert new_password not in rendered_text(app) and PASSWORD not in rendered_text(app)
    assert not _on_sign_in_form(app.run())  # this sign-in goes on ...
    assert not accounts.session_valid(elsewhere)  # ... the others ended
    assert accounts.sign_in(world["a_analyst"].email, new_password).role == "analyst"
    assert "user.password_changed" in [entry["action"] for entry in audit.list_audit(world.org_a)]
