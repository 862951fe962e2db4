"""Target databases for the database scanner's tests: the same tables seeded into SQLite, PostgreSQL and
MariaDB, with personal data under Dutch and English names, personal data hidden under neutral names
(`notes`, `extra`), neutral data under personal-sounding names (the decoys), a hashed column, and a
table whose personal values sit only in its last rows."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg2
import pytest

from tests.planted import BSN, EMAIL, IBAN
from tests.servers import MariaDbServer, PostgresServer
from utils.credentials import PG_SUPERUSER

DB_NAME = "dg_scan_target"
USER = "dg_scanner"
PASSWORD = "Pl4nted-DSN-s3cret"  # the scanner user's password: grepped for in every output
OLD = datetime(2015, 6, 1, 9, 30)
PEOPLE = 120
LATE_ROWS, LATE_PERSONAL = 12_000, 600  # a large table; personal values only in its last rows

# (table, column) pairs the scanner must report with a personal-data type, and that type
PLANTED = {
    ("klanten", "bsn"): "pii.bsn",
    ("klanten", "email"): "pii.email",
    ("klanten", "telefoon"): "pii.phone",
    ("klanten", "geboortedatum"): "pii.date_of_birth",
    ("klanten", "iban"): "pii.iban",
    ("klanten", "notes"): "pii.email",
    ("klanten", "extra.contact.mobiel"): "pii.phone",
    ("klanten", "diagnose"): "special.health",
    ("customers", "email_address"): "pii.email",
    ("customers", "phone_number"): "pii.phone",
    ("customers", "date_of_birth"): "pii.date_of_birth",
    ("customers", "religion"): "special.religion",
}
DECOYS = {("producten", "email"), ("producten", "bsn"), ("producten", "telefoon"), ("producten", "iban")}
PROTECTED = ("klanten", "bsn_hash")

BSNS = ("111222333", "123456782", "111111110", "999999990")  # each passes the 11-proof
PHONES = ("+31 6 12345678", "06-23456789", "+31 20 7654321")


def _tables(dialect: str) -> list[str]:
    json_type = {"postgresql": "jsonb", "mysql": "JSON", "sqlite": "TEXT"}[dialect]
    stamp = "TIMESTAMP" if dialect != "mysql" else "DATETIME"
    return [
        "CREATE TABLE klanten (id INTEGER PRIMARY KEY, voornaam VARCHAR(80), bsn VARCHAR(20),"
        " email VARCHAR(200), telefoon VARCHAR(40), geboortedatum DATE, iban VARCHAR(40), notes TEXT,"
        f" extra {json_type},"
        f" diagnose VARCHAR(200), bsn_hash VARCHAR(64), aangemaakt {stamp})",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name VARCHAR(80), email_address VARCHAR(200),"
        " phone_number VARCHAR(40), date_of_birth DATE, religion VARCHAR(80), photo "
        + {"postgresql": "BYTEA", "mysql": "BLOB", "sqlite": "BLOB"}[dialect] + ")",
        "CREATE TABLE producten (id INTEGER PRIMARY KEY, email VARCHAR(80), bsn VARCHAR(20),"
        " telefoon VARCHAR(40), iban VARCHAR(40), omschrijving TEXT, prijs DECIMAL(10,2))",
        "CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT)",
    ]


def _klanten(i: int) -> tuple[Any, ...]:
    email = EMAIL if i == 0 else f"klant{i}@kpn.nl"
    return (i, "Jan", BSN if i == 0 else BSNS[i % len(BSNS)], email, PHONES[i % len(PHONES)], "1984-02-29",
            IBAN, f"Belde op {i}: mail terug naar anna.{i}@ziggo.nl" if i % 2 else "geen bijzonderheden",
            json.dumps({"contact": {"mobiel": "06-12345678", "voorkeur": "avond"}}),
            "Diabetes type 2, insuline",
            hashlib.sha256(f"bsn{i}".encode()).hexdigest(), OLD)


def _customers(i: int) -> tuple[Any, ...]:
    return (i, "Anna", f"anna.{i}@xs4all.nl", PHONES[(i + 1) % len(PHONES)], "1990-07-14", "Rooms-katholiek",
            bytes(range(256)) * 2)


def _producten(i: int) -> tuple[Any, ...]:
    return (i, f"SKU-{i:06d}-NL", f"{100000001 + i * 7}", f"TEL-{i:05d}", f"ART-{i:08d}",
            "Grijze bureaustoel met armleuningen", 149.95)


def _events(i: int) -> tuple[Any, ...]:
    late = i >= LATE_ROWS - LATE_PERSONAL
    return (i, f"order shipped to piet.{i}@hetnet.nl" if late else f"order {i} shipped to warehouse 3")


ROWS: dict[str, tuple[Callable[[int], tuple[Any, ...]], int]] = {
    "klanten": (_klanten, PEOPLE), "customers": (_customers, PEOPLE), "producten": (_producten, PEOPLE),
    "events": (_events, LATE_ROWS)}


def seed(conn: Any, dialect: str) -> None:
    """Create and fill the tables through a DB-API connection of `dialect` (postgresql, mysql, sqlite)."""
    mark = "?" if dialect == "sqlite" else "%s"
    cursor = conn.cursor()
    for statement in _tables(dialect):
        cursor.execute(statement)
    for table, (make, count) in ROWS.items():
        rows = [make(i) for i in range(count)]
        cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join([mark] * len(rows[0]))})", rows)
    conn.commit()


def superuser_url(server: PostgresServer, dbname: str) -> str:
    return server.layout.url(PG_SUPERUSER, server.credentials.postgres_superuser_password, dbname=dbname)


@pytest.fixture(scope="session")  # the scanner, platform and CLI tests share it: seeding takes seconds
def pg_target(postgres_server: PostgresServer) -> Iterator[str]:
    """A seeded database on the suite's PostgreSQL and a user who may only read it; its DSN."""
    admin = psycopg2.connect(postgres_server.admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        cur.execute(f"DROP ROLE IF EXISTS {USER}")
        cur.execute(f"CREATE ROLE {USER} LOGIN PASSWORD %s", (PASSWORD,))
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    target = psycopg2.connect(superuser_url(postgres_server, DB_NAME))
    seed(target, "postgresql")
    with target.cursor() as cur:
        # a large table (sampled from a BERNOULLI fraction) whose personal values are its last 5% of rows
        cur.execute("CREATE TABLE big_log (id INTEGER PRIMARY KEY, line TEXT)")
        cur.execute("INSERT INTO big_log SELECT g, CASE WHEN g > 190000 THEN 'sent to piet.' || g || "
                    "'@hetnet.nl' ELSE 'order ' || g || ' shipped' END FROM generate_series(1, 200000) g")
        cur.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {USER}")
        cur.execute("ANALYZE")
    target.commit()
    target.close()
    host, port = "127.0.0.1", postgres_server.layout.port
    yield f"postgresql://{USER}:{quote(PASSWORD, safe='')}@{host}:{port}/{DB_NAME}"
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"DROP ROLE IF EXISTS {USER}")
    admin.close()


@pytest.fixture(scope="module")
def mariadb() -> Iterator[MariaDbServer]:
    """A MariaDB server for this module, seeded, with a read-only user."""
    root = Path(tempfile.mkdtemp(prefix="dg-mariadb-"))
    server = MariaDbServer(root)
    server.start()
    try:
        conn = server.root()
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {DB_NAME}")
            cur.execute(f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY %s", (PASSWORD,))
            cur.execute(f"GRANT SELECT ON {DB_NAME}.* TO '{USER}'@'127.0.0.1'")
        conn.close()
        target = server.root(DB_NAME)
        seed(target, "mysql")
        with target.cursor() as cur:  # a large table (RAND() fraction), personal values in its last 5%
            cur.execute("CREATE TABLE big_log (id INTEGER PRIMARY KEY, line TEXT)")
            cur.execute("INSERT INTO big_log SELECT seq, IF(seq > 114000, CONCAT('sent to piet.', seq, "
                        "'@hetnet.nl'), CONCAT('order ', seq, ' shipped')) FROM seq_1_to_120000")
            cur.execute("ANALYZE TABLE big_log")
            cur.fetchall()
        target.commit()
        target.close()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def mariadb_dsn(server: MariaDbServer, password: str = PASSWORD) -> str:
    return f"mysql://{USER}:{quote(password, safe='')}@127.0.0.1:{server.port}/{DB_NAME}"


