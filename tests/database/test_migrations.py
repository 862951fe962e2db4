"""Numbered SQL migrations: in order, once, also when several processes start together."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg2.errors
import pytest

from utils.database_manager import MIGRATIONS_DIR, Database, load_migrations, migrate
from utils.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4

# Each process prints the versions it applied. The extra migrations make the race real (a slow one
# keeps the lock held while the others arrive) and make a double application visible (a counter).
MIGRATE_SCRIPT = """
import json, sys
from pathlib import Path
from utils.database_manager import Database, migrate
db = Database(sys.argv[1], minconn=0, maxconn=1, wait_s=30)
print(json.dumps(migrate(db, Path(sys.argv[2]))))
"""
SHIPPED = [m.version for m in load_migrations()]  # the repository's own migrations: 1..n
NEXT = SHIPPED[-1] + 1  # test migrations go on top of them, whatever n is today
EXTRA_MIGRATIONS = {
    f"{NEXT:04d}_slow.sql": "CREATE TABLE applied_count (n integer NOT NULL); SELECT pg_sleep(0.3);",
    f"{NEXT + 1:04d}_count.sql": "INSERT INTO applied_count VALUES (1);",
}
ALL = [*SHIPPED, NEXT, NEXT + 1]


def _migrations_with_extras(tmp_path: Path) -> Path:
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    for name, sql in EXTRA_MIGRATIONS.items():
        (directory / name).write_text(sql, encoding="utf-8")
    return directory


def _tables(db: Database) -> set[str]:
    with db.transaction() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row["tablename"] for row in cur.fetchall()}


def test_first_run_applies_everything_and_second_run_nothing(postgres_url: str) -> None:
    db = Database(postgres_url, minconn=0, maxconn=2)
    assert migrate(db) == SHIPPED == list(range(1, len(SHIPPED) + 1))
    assert migrate(db) == []
    assert {"organisations", "users", "api_keys", "scans", "findings", "usage", "audit_log",
            "stripe_events", "schema_migrations"} <= _tables(db)
    db.close()


def test_concurrent_processes_apply_each_migration_exactly_once(postgres_url: str, tmp_path: Path) -> None:
    directory = _migrations_with_extras(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", MIGRATE_SCRIPT, postgres_url, str(directory)],
                              cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(PROCESSES)]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * PROCESSES, [err for _, err in outputs]
    applied = [json.loads(out) for out, _ in outputs]
    assert sorted(v for versions in applied for v in versions) == ALL
    assert sorted(applied, key=len) == [[]] * (PROCESSES - 1) + [ALL]  # one did all, others none
    db = Database(postgres_url, minconn=0, maxconn=1)
    with db.transaction() as cur:
        cur.execute("SELECT count(*) AS n FROM applied_count")
        assert cur.fetchone()["n"] == 1
        cur.execute("SELECT version FROM schema_migrations ORDER BY version")
        assert [row["version"] for row in cur.fetchall()] == ALL
    db.close()


def test_new_migration_is_applied_on_top(postgres_url: str, tmp_path: Path) -> None:
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    db = Database(postgres_url, minconn=0, maxconn=1)
    assert migrate(db, directory) == SHIPPED
    (directory / f"{NEXT:04d}_more.sql").write_text("CREATE TABLE more (id integer);", encoding="utf-8")
    assert migrate(db, directory) == [NEXT]
    assert "more" in _tables(db)
    db.close()


def test_edited_applied_migration_is_refused(postgres_url: str, tmp_path: Path) -> None:
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_a.sql").write_text("CREATE TABLE a (id integer);", encoding="utf-8")
    db = Database(postgres_url, minconn=0, maxconn=1)
    migrate(db, directory)
    (directory / "0001_a.sql").write_text("CREATE TABLE a (id bigint);", encoding="utf-8")
    with pytest.raises(ConfigError, match="edited"):
        migrate(db, directory)
    db.close()


@pytest.mark.parametrize("names", [["1_short.sql"], ["0001_a.sql", "0001_b.sql"], ["0001_Upper.sql"]])
def test_badly_named_migrations_are_refused(tmp_path: Path, names: list[str]) -> None:
    for name in names:
        (tmp_path / name).write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_migrations(tmp_path)


def test_failing_migration_applies_nothing(postgres_url: str, tmp_path: Path) -> None:
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_ok.sql").write_text("CREATE TABLE ok (id integer);", encoding="utf-8")
    (directory / "0002_bad.sql").write_text("CREATE TABLE broken (id nosuchtype);", encoding="utf-8")
    db = Database(postgres_url, minconn=0, maxconn=1)
    with pytest.raises(psycopg2.errors.UndefinedObject):
        migrate(db, directory)
    assert "ok" not in _tables(db)  # one transaction: all or nothing
    db.close()


def _insert_scan(cur: Any, status: str, score: int | None, risk: str, job_state: str = "succeeded") -> str:
    job_id = str(uuid.uuid4())
    summary = {"compliance_score": score, "risk_level": risk, "score_breakdown": [{"type": "pii.bsn"}]}
    cur.execute("INSERT INTO scans (job_id, scanner, status, job_state, created_at, compliance_score, "
                "risk_level, summary) VALUES (%s, 'document', %s, %s, now(), %s, %s, %s)",
                (job_id, status, job_state, score, risk, json.dumps(summary)))
    return job_id


def test_failed_scans_lose_the_score_they_were_stored_with(postgres_url: str, tmp_path: Path) -> None:
    """Before 0004 a failed scan was stored as 100/low (and a job that never ran as 'unknown')."""
    (fix,) = [m for m in load_migrations() if m.name == "not_assessed"]
    directory = tmp_path / "migrations"
    directory.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        if int(path.name[:4]) < fix.version:
            shutil.copy(path, directory)
    db = Database(postgres_url, minconn=0, maxconn=1)
    migrate(db, directory)
    with db.transaction() as cur:
        bomb = _insert_scan(cur, "failed", 100, "low")
        never_ran = _insert_scan(cur, "failed", None, "unknown", job_state="timed_out")
        partial = _insert_scan(cur, "degraded", 72, "medium")
    assert fix.version in migrate(db)
    with db.transaction() as cur:
        cur.execute("SELECT job_id::text AS id, compliance_score, risk_level, summary FROM scans")
        rows = {row["id"]: row for row in cur.fetchall()}
        for job_id in (bomb, never_ran):
            row = rows[job_id]
            assert (row["compliance_score"], row["risk_level"]) == (None, "not_assessed")
            summary = row["summary"]
            assert (summary["compliance_score"], summary["risk_level"], summary["score_breakdown"]) == (
                None, "not_assessed", [])
        assert (rows[partial]["compliance_score"], rows[partial]["risk_level"]) == (72, "medium")
        with pytest.raises(psycopg2.errors.CheckViolation):
            _insert_scan(cur, "failed", 100, "low")  # and the table refuses a scored failed scan
    db.close()
