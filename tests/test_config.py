"""Settings: what the documentation table shows."""

from __future__ import annotations

import pytest

from utils.config import Settings


def test_the_settings_table_shows_defaults_never_the_secrets_in_effect(
        monkeypatch: pytest.MonkeyPatch) -> None:
    planted = {"DG_ADMIN_PASSWORD": "Planted-Admin-Pw-8841", "DG_API_KEY": "dg_planted_api_key_5521",
               "DG_STRIPE_SECRET_KEY": "sk_live_plantedplantedplanted0042"}
    for name, value in planted.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert settings.admin_password == planted["DG_ADMIN_PASSWORD"]  # the values are in effect
    table = {name: default for name, default, _ in settings.documented()}
    assert not set(planted.values()) & {str(v) for v in table.values()}
    assert all(table[name] is None for name in planted)
    assert table["DG_JOB_TIMEOUT_S"] == Settings().job_timeout_s
    assert "Planted" not in repr(settings) and "planted" not in repr(settings)
