"""The database scanner against real servers: SQLite files, the suite's PostgreSQL and a MariaDB started
here as an unprivileged user. Every planted column is found, the decoys are not reported high, sampling is
random, bad input has a clear outcome, and the password never appears in any output."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg2
import pytest

from services.scanners.base import no_progress
from services.scanners.database import DatabaseScanner
from tests.planted import PLANTED as PLANTED_VALUES
from tests.scanners import database_fixtures as fx
from tests.scanners.database_fixtures import DB_NAME, USER, mariadb_dsn, superuser_url
from tests.servers import MariaDbServer, PostgresServer, free_port
from utils.config import get_settings
from utils.errors import InvalidRequestError, UnsafeInputError

pg_target, mariadb = fx.pg_target, fx.mariadb  # module-scoped fixtures shared with the platform tests


@pytest.fixture(autouse=True)
def private_targets(monkeypatch: pytest.MonkeyPatch, scan_root: Path) -> Iterator[Path]:
    """Test servers live on 127.0.0.1: allowed here, as in tests/inputs/test_git.py."""
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "1")
    get_settings.cache_clear()
    yield scan_root
    get_settings.cache_clear()


@pytest.fixture
def sqlite_file(scan_root: Path) -> Path:
    path = scan_root / "shop.db"
    conn = sqlite3.connect(path)
    fx.seed(conn, "sqlite")
    conn.close()
    return path


def scan(request: dict[str, Any]) -> dict[str, Any]:
    return DatabaseScanner().scan(request, no_progress)


def by_column(result: dict[str, Any]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in result["database"]["map"]:
        found.setdefault((row["table"], row["column"]), []).append(row)
    return found


def assert_map(result: dict[str, Any]) -> None:
    """Every planted column found with its type; decoys not high; the hashed column protected."""
    assert result["status"] == "completed", result["errors"]
    found = by_column(result)
    for (table, column), kind in fx.PLANTED.items():
        rows = found.get((table, column), [])
        assert any(r["type"] == kind and r["confidence"] >= 0.5 for r in rows), (table, column, rows)
    for key in fx.DECOYS:
        for row in found.get(key, []):
            assert row["severity"] not in ("high", "critical") and row["confidence"] < 0.4, row
    klanten = next(t for t in result["database"]["tables"] if t["table"] == "klanten")
    assert fx.PROTECTED[1] in klanten["protected_columns"]
    assert fx.PROTECTED[1] not in klanten["plaintext_columns"]
    assert "bsn" in klanten["plaintext_columns"]
    assert klanten["estimated_rows"] and klanten["retention"]["rows_older"] == fx.PEOPLE
    assert "database.retention_exceeded" in {f["type"] for f in result["findings"]}
    email = next(r for r in found[("klanten", "email")] if r["type"] == "pii.email")
    assert email["share"] == 1.0 and "@kpn.nl" in email["example"] and email["example"] != "klant1@kpn.nl"
    notes = next(r for r in found[("klanten", "notes")] if r["type"] == "pii.email")
    assert 0.2 < notes["share"] < 0.8  # every other row hides an address
    customers = next(t for t in result["database"]["tables"] if t["table"] == "customers")
    assert customers["sampled_rows"] == fx.PEOPLE
    assert_clean(result)


def assert_clean(*outputs: object) -> None:
    text = "\n".join(o if isinstance(o, str) else json.dumps(o, default=str) for o in outputs)
    assert fx.PASSWORD not in text and quote(fx.PASSWORD, safe="") not in text
    for value in PLANTED_VALUES:
        assert value not in text, value[:4]


def test_sqlite_file_map_finds_every_planted_column_and_no_decoy(sqlite_file: Path) -> None:
    assert_map(scan({"path": str(sqlite_file)}))
    assert_map(scan({"dsn": f"sqlite://{sqlite_file}"}))


def test_postgresql_map_and_the_password_in_no_output(pg_target: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = scan({"dsn": pg_target, "options": {"sample_size": 150}})
    assert_map(result)
    assert result["database"]["target"].startswith(f"postgresql://{USER}@")
    big = next(t for t in result["database"]["tables"] if t["table"] == "big_log")
    assert big["estimated_rows"] > 100_000  # the large table is sampled from a BERNOULLI fraction
    assert_clean(result, caplog.text)


def test_mariadb_map_and_the_password_in_no_output(mariadb: MariaDbServer,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = scan({"dsn": mariadb_dsn(mariadb)})
    assert_map(result)
    assert result["database"]["engine"] == "mysql"
    big = next(t for t in result["database"]["tables"] if t["table"] == "big_log")
    assert big["estimated_rows"] > 100_000  # sampled from a RAND() fraction
    assert_clean(result, caplog.text)


def test_sampling_is_random_not_the_first_rows(sqlite_file: Path, pg_target: str,
                                               mariadb: MariaDbServer) -> None:
    """events.payload holds personal values only in its last 5% of rows: the first rows show none."""
    for target in ({"path": str(sqlite_file)}, {"dsn": pg_target}, {"dsn": mariadb_dsn(mariadb)}):
        request: dict[str, Any] = {**target, "options": {"sample_size": 300}}
        found = by_column(scan(request))
        large = [("big_log", "line")] if "dsn" in request else []
        for key in [("events", "payload"), *large]:
            rows = found.get(key, [])
            assert any(r["type"] == "pii.email" and 0 < r["share"] < 0.3 for r in rows), (key, rows)


def test_a_binary_column_is_counted_not_read(sqlite_file: Path) -> None:
    result = scan({"path": str(sqlite_file)})
    customers = [c for t in result["database"]["tables"] if t["table"] == "customers" for c in [t]]
    assert customers
    assert not any(r["column"] == "photo" for r in result["database"]["map"])


def test_wrong_password_is_a_clear_refusal_without_the_password(pg_target: str,
                                                                mariadb: MariaDbServer) -> None:
    wrong = "Wr0ng-planted-pass"
    for dsn in (pg_target.replace(quote(fx.PASSWORD, safe=""), wrong), mariadb_dsn(mariadb, wrong)):
        with pytest.raises(InvalidRequestError, match="refused the login") as caught:
            scan({"dsn": dsn})
        assert wrong not in str(caught.value) and fx.PASSWORD not in str(caught.value)


def test_a_refused_connection_is_a_failed_result_naming_the_host() -> None:
    result = scan({"dsn": f"postgresql://{USER}:{fx.PASSWORD}@127.0.0.1:{free_port()}/x"})
    assert result["status"] == "failed" and result["summary"]["compliance_score"] is None
    assert result["errors"][0]["target"] == "127.0.0.1"
    assert_clean(result)
    result = scan({"dsn": f"mysql://{USER}:{fx.PASSWORD}@127.0.0.1:{free_port()}/x"})
    assert result["status"] == "failed" and "127.0.0.1" in result["errors"][0]["error"]


@pytest.mark.parametrize("dsn", [
    "oracle://u:p@h/db", "postgresql://u:p@/db", "postgresql://u@%2Ftmp/db",
    "postgresql://u:p@h/db?host=/tmp",
    "postgresql://u:p@h1,h2/db", "mysql://u:p@h:99999/db", "postgresql://u:p@h", "sqlite://relative.db",
    "postgresql://:p@h/db", "postgresql://u:p@h/db?password=q"])
def test_a_malformed_dsn_is_refused_with_its_reason(dsn: str) -> None:
    with pytest.raises(InvalidRequestError):
        scan({"dsn": dsn})


def test_the_platforms_own_database_is_refused_without_the_test_opt_in(
        monkeypatch: pytest.MonkeyPatch, pg_target: str) -> None:
    monkeypatch.setenv("DG_ALLOW_PRIVATE_TARGETS", "0")
    get_settings.cache_clear()
    with pytest.raises(UnsafeInputError, match="not a public address"):
        scan({"dsn": pg_target})


def test_a_query_past_the_statement_timeout_costs_its_table_only(
        monkeypatch: pytest.MonkeyPatch, pg_target: str, postgres_server: PostgresServer) -> None:
    """Another session holds big_log locked: the sampling query waits for it until the timeout stops it."""
    monkeypatch.setenv("DG_DATABASE_STATEMENT_TIMEOUT_S", "0.5")
    get_settings.cache_clear()
    holder = psycopg2.connect(superuser_url(postgres_server, DB_NAME))
    try:
        with holder.cursor() as cur:
            cur.execute("LOCK TABLE big_log IN ACCESS EXCLUSIVE MODE")
        result = scan({"dsn": pg_target})
    finally:
        holder.rollback()
        holder.close()
    failed = {e["table"]: e["error"] for e in result["errors"]}
    assert "statement timeout" in failed.get("public.big_log", ""), result["errors"]
    assert "public.klanten" not in failed
    assert result["status"] == "degraded" and result["summary"]["compliance_score"] is not None


def test_a_very_wide_table_is_read_in_bounded_queries(scan_root: Path) -> None:
    """SQLite's widest table (2,000 columns; PostgreSQL stops at 1,600, MySQL at 4,096) is read 250
    columns a query; the scan's column budget cuts the rest with a note."""
    path = scan_root / "wide.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE wide (" + ", ".join(f"c{i} TEXT" for i in range(1999)) + ", e_mail TEXT)")
    conn.execute("INSERT INTO wide VALUES (" + ", ".join(["'x'"] * 1999) + ", 'wide.user@kpn.nl')")
    conn.commit()
    conn.close()
    result = scan({"path": str(path)})
    assert result["database"]["columns_total"] == 2000
    assert any(r["column"] == "e_mail" and r["type"] == "pii.email" for r in result["database"]["map"])


def test_a_database_of_10000_columns_is_read_up_to_the_budget_and_the_rest_listed(scan_root: Path) -> None:
    """Five tables of SQLite's widest (2,000 columns each): 5,000 are read (DG_DATABASE_MAX_COLUMNS), the
    other 5,000 are named in `skipped` with their count; the scan completes on what it read."""
    path = scan_root / "tenk.db"
    conn = sqlite3.connect(path)
    for t in range(5):
        conn.execute(f"CREATE TABLE w{t} (" + ", ".join(f"c{i} TEXT" for i in range(2000)) + ")")
        conn.execute(f"INSERT INTO w{t} VALUES (" + ", ".join(["'x'"] * 2000) + ")")
    conn.commit()
    conn.close()
    result = scan({"path": str(path)})
    assert result["status"] == "completed" and result["database"]["columns_total"] == 5000
    assert sum(s["columns"] for s in result["database"]["skipped"]) == 5000


def test_columns_past_the_scan_budget_are_listed_not_read(scan_root: Path, monkeypatch: pytest.MonkeyPatch,
                                                          sqlite_file: Path) -> None:
    monkeypatch.setenv("DG_DATABASE_MAX_COLUMNS", "15")
    get_settings.cache_clear()
    result = scan({"path": str(sqlite_file)})
    assert result["database"]["columns_total"] == 15
    assert any("DG_DATABASE_MAX_COLUMNS" in s["reason"] for s in result["database"]["skipped"])


def test_hostile_identifiers_are_quoted_and_bounded(scan_root: Path, mariadb: MariaDbServer) -> None:
    path = scan_root / "hostile.db"
    conn = sqlite3.connect(path)
    name = 'x"; DROP TABLE keep; --'
    conn.execute("CREATE TABLE keep (id INTEGER)")
    conn.execute(f'CREATE TABLE "{name.replace(chr(34), chr(34) * 2)}" ("e""mail" TEXT, "{"y" * 300}" TEXT)')
    conn.execute(f'INSERT INTO "{name.replace(chr(34), chr(34) * 2)}" VALUES (?, ?)',
                 ("h.ostile@kpn.nl", "z"))
    conn.commit()
    conn.close()
    result = scan({"path": str(path)})
    assert any(r["table"] == name and r["type"] == "pii.email" for r in result["database"]["map"])
    assert any("longer than 128" in s["reason"] for s in result["database"]["skipped"])
    root = mariadb.root(DB_NAME)
    with root.cursor() as cur:
        cur.execute("CREATE TABLE `we``ird; DROP TABLE klanten` (`mail``x` VARCHAR(80))")
        cur.execute("INSERT INTO `we``ird; DROP TABLE klanten` VALUES ('h.ostile@kpn.nl')")
    root.close()
    result = scan({"dsn": mariadb_dsn(mariadb)})
    assert any(r["table"] == "we`ird; DROP TABLE klanten" for r in result["database"]["map"])
    assert any(t["table"] == "klanten" for t in result["database"]["tables"])
    root = mariadb.root(DB_NAME)
    with root.cursor() as cur:
        cur.execute("DROP TABLE `we``ird; DROP TABLE klanten`")
    root.close()


def test_a_sqlite_path_must_be_a_sqlite_file_in_scope(scan_root: Path, tmp_path: Path) -> None:
    (scan_root / "notes.txt").write_text("not a database")
    with pytest.raises(InvalidRequestError, match="not a SQLite database"):
        scan({"path": str(scan_root / "notes.txt")})
    outside = tmp_path / "outside.db"
    sqlite3.connect(outside).close()
    with pytest.raises(InvalidRequestError):
        scan({"path": str(outside)})


def test_the_sqlite_file_is_opened_read_only(sqlite_file: Path) -> None:
    before = sqlite_file.read_bytes()
    scan({"path": str(sqlite_file)})
    assert sqlite_file.read_bytes() == before
    assert not list(sqlite_file.parent.glob("shop.db-*"))  # no journal or WAL


def test_the_map_as_csv_and_pdf_escapes_hostile_names(scan_root: Path) -> None:
    """A column named like a spreadsheet formula stays text in the CSV; the PDF section draws the map."""
    from services.exports.database_map import to_csv_bytes
    from services.scanners import get_scanner
    from tests.reporting.pdftext import pdf_text

    path = scan_root / "formula.db"
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE "<b>klant</b>" ("=HYPERLINK(""http://x"")" TEXT, e_mail TEXT)')
    conn.executemany('INSERT INTO "<b>klant</b>" VALUES (?, ?)',
                     [(f"a.b{i}@kpn.nl", f"c.d{i}@kpn.nl") for i in range(20)])
    conn.commit()
    conn.close()
    result = scan({"path": str(path)})
    csv_text = to_csv_bytes(result).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\r\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
    assert "e_mail" in csv_text
    for language, heading in (("en", "Personal-data map"), ("nl", "Kaart van persoonsgegevens")):
        done = get_scanner("report").scan({"results": [result], "output": f"map-{language}.pdf",
                                           "language": language}, no_progress)
        text = pdf_text(Path(done["report"]["path"]))
        assert heading in text and "<b>klant</b>" in text and "e_mail" in text


def _draw(result: dict[str, object]) -> None:
    # AppTest runs this function's source on its own: it imports what it needs itself
    from ui.components.assessments import render_sections

    render_sections(dict(result))


def test_the_ui_view_shows_the_map(sqlite_file: Path) -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_draw, args=(scan({"path": str(sqlite_file)}),), default_timeout=30).run()
    assert not app.exception
    assert "Personal-data map" in [h.value for h in app.subheader]
    assert len(app.dataframe) == 2


def test_special_categories_are_found_in_free_text_values(scan_root: Path) -> None:
    path = scan_root / "care.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contactmomenten (id INTEGER, opmerking TEXT)")
    conn.executemany("INSERT INTO contactmomenten VALUES (?, ?)", [
        (i, "Patiënt heeft diabetes type 2 en gebruikt dagelijks insuline" if i % 3 == 0
         else "Klant wil graag teruggebeld worden") for i in range(60)])
    conn.commit()
    conn.close()
    (row,) = scan({"path": str(path)})["database"]["map"]
    assert row["type"] == "special.health" and row["basis"] == "values" and 0.2 < row["share"] < 0.5
    assert "insuline" not in row["example"]


def test_an_unreachable_host_opens_its_breaker_and_later_scans_are_refused_at_once() -> None:
    from services.scanners.base import LocalBreakers, install_outbound_guard

    previous = install_outbound_guard(LocalBreakers(fail_max=2, reset_s=60))  # this test's own breakers
    try:
        dsn = f"mysql://{USER}:{fx.PASSWORD}@127.0.0.1:{free_port()}/x"
        results = [scan({"dsn": dsn}) for _ in range(3)]
    finally:
        install_outbound_guard(previous)
    assert all(r["status"] == "failed" for r in results)
    assert "circuit breaker for 127.0.0.1 is open" in results[-1]["errors"][0]["error"]
    assert results[-1]["errors"][0]["retry_at"]
    assert_clean(*results)


def test_the_session_is_read_only_even_for_a_user_who_may_write(
        postgres_server: PostgresServer, pg_target: str, mariadb: MariaDbServer) -> None:
    from services.inputs.dsn import parse_dsn
    from services.scanners.database.mysql import MysqlSource
    from services.scanners.database.postgres import PostgresSource
    from services.scanners.database.sources import QueryError

    dsn, password = parse_dsn(superuser_url(postgres_server, DB_NAME).replace("postgres://", "postgresql://"))
    sources: list[Any] = [PostgresSource(dsn, "127.0.0.1", password or "", connect_timeout_s=5,
                                         statement_timeout_s=5)]
    root, _ = parse_dsn(f"mysql://root@127.0.0.1:{mariadb.port}/{DB_NAME}")
    sources.append(MysqlSource(root, "127.0.0.1", "", connect_timeout_s=5, statement_timeout_s=5))
    for source in sources:
        try:
            with pytest.raises(QueryError):
                source._query("CREATE TABLE written_by_scan (i INTEGER)")
        finally:
            source.close()


def test_the_scanner_imports_no_platform_infrastructure_and_drivers_only_when_connecting() -> None:
    import subprocess
    import sys

    code = ("import sys, services.scanners.database; "
            "print(sorted({'redis', 'flask', 'psycopg2', 'pymysql', 'services.scanner_processes'} & "
            "set(sys.modules)))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2]).stdout
    assert output.strip() == "[]"
