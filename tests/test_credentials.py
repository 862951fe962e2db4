"""The embedded servers' credentials file: made once, private, reused; and the URLs built from it."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest

from utils import credentials
from utils.config import Settings
from utils.credentials import PG_APP_ROLE, EmbeddedCredentials
from utils.errors import ConfigError


def test_made_once_readable_by_its_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / credentials.CREDENTIALS_FILE
    first = credentials.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credentials.load_or_create(path) == first == credentials.load(path)
    values = [first.postgres_superuser_password, first.postgres_app_password, first.redis_password]
    assert len(set(values)) == 3 and all(len(v) >= 43 for v in values)  # 32 random bytes each
    assert credentials.load_or_create(tmp_path / "other.json") != first
    assert not any(v in repr(first) for v in values)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["credentials.json", "other.json"]  # no leftovers


def test_launchers_racing_at_first_start_agree_on_one_set(tmp_path: Path) -> None:
    path = tmp_path / credentials.CREDENTIALS_FILE
    seen: list[EmbeddedCredentials] = []
    threads = [threading.Thread(target=lambda: seen.append(credentials.load_or_create(path)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and len(set(seen)) == 1


def test_a_file_others_could_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / credentials.CREDENTIALS_FILE
    credentials.load_or_create(path)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by other users"):
        credentials.load(path)


@pytest.mark.parametrize("content", ["not json", "[]", json.dumps({"redis_password": "x" * 40}),
                                     json.dumps({"postgres_superuser_password": "a" * 40,
                                                 "postgres_app_password": "b" * 40,
                                                 "redis_password": "short"}),
                                     json.dumps({"postgres_superuser_password": "a" * 40,
                                                 "postgres_app_password": "b" * 40,
                                                 "redis_password": "c" * 39 + "\nrename-command"})])
def test_a_malformed_file_is_refused_with_its_name(tmp_path: Path, content: str) -> None:
    path = tmp_path / credentials.CREDENTIALS_FILE
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(ConfigError, match=str(path)):
        credentials.load(path)


def test_embedded_urls_carry_the_passwords_and_configured_ones_are_kept(tmp_path: Path) -> None:
    embedded = Settings.from_env({"DG_DATA_DIR": str(tmp_path), "DG_REDIS_PORT": "7001",
                                  "DG_POSTGRES_PORT": "7002"})
    with pytest.raises(ConfigError, match="launcher writes"):
        embedded.effective_redis_url()  # nothing is made behind the launcher's back
    made = credentials.load_or_create(embedded.credentials_path)
    assert embedded.effective_redis_url() == f"redis://:{made.redis_password}@127.0.0.1:7001/0"
    assert embedded.effective_database_url() == (
        f"postgresql://{PG_APP_ROLE}:{made.postgres_app_password}@127.0.0.1:7002/dataguardian")
    assert made.redis_password not in repr(embedded)
    external = Settings.from_env({"DG_DATA_DIR": str(tmp_path / "none"),
                                  "DG_REDIS_URL": "redis://:their-secret@cache.internal:6379/2",
                                  "DG_DATABASE_URL": "postgresql://app:their-secret@db.internal/crm"})
    assert external.effective_redis_url() == "redis://:their-secret@cache.internal:6379/2"
    assert external.effective_database_url() == "postgresql://app:their-secret@db.internal/crm"
    assert "their-secret" not in repr(external)
