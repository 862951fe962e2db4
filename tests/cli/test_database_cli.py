"""`cli.py scan database TARGET`: a DSN (password and all, in-process only) or a local SQLite file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.scanners import database_fixtures as fx

pg_target = fx.pg_target


def test_cli_scans_a_dsn_locally_without_showing_its_password(cli: Callable[..., Any],
                                                              pg_target: str) -> None:
    run = cli("scan", "database", pg_target, "--local", "--format", "json", "--option", "sample_size=40",
              "--fail-on", "high",
              extra_env={"DG_ALLOW_PRIVATE_TARGETS": "1"})
    output = run.stdout.decode() + run.stderr
    assert run.code == 1, run.stderr  # personal data at or above the default --fail-on
    assert "pii.bsn" in output and "klanten" in output
    assert fx.PASSWORD not in output


def test_cli_scans_a_local_sqlite_file(cli: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    conn = sqlite3.connect(path)
    fx.seed(conn, "sqlite")
    conn.close()
    run = cli("scan", "database", path, "--local", "--format", "json")
    report = json.loads(run.stdout)
    types = {f["type"] for result in report.get("results", [report]) for f in result.get("findings", [])}
    assert "pii.bsn" in types, run.stderr


def test_cli_refuses_a_dsn_to_a_private_address_without_the_test_opt_in(cli: Callable[..., Any]) -> None:
    run = cli("scan", "database", "postgresql://u:Pl4nted-DSN-s3cret@127.0.0.1:5433/dataguardian", "--local")
    assert run.code == 2 and "not a public address" in run.stderr
    assert fx.PASSWORD not in run.stderr
