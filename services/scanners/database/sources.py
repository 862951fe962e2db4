"""What the database scanner needs of a target database, whatever its engine.

A `Source` lists tables and their columns, estimates row counts, samples rows at random and finds
the oldest value of a date column. Each engine (postgres.py, mysql.py, sqlite.py) implements it
with its own driver, identifier quoting and sampling query. Names read from the target are hostile:
they are quoted with the engine's own identifier quoting, never formatted into SQL as they are, and
names longer than MAX_IDENTIFIER_CHARS are not queried at all.

Failures are sorted into what the caller can act on: a target that does not answer is
TargetUnavailableError (it counts against the host's circuit breaker), refused credentials or a
missing database are InvalidRequestError, and one query that fails (its statement timeout, a
permission) is a `QueryError`, which costs the scan one table, not the whole database. No message of
a driver is passed on as it is: it could quote the password or a value; each becomes words of ours
plus the driver's error class or code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

MAX_IDENTIFIER_CHARS = 128  # PostgreSQL cuts names at 63 bytes, MySQL at 64 characters; SQLite never
COLUMNS_PER_QUERY = 250  # a sampling query reads this many columns at most (SQLite's default limit is 2,000)
LARGE_TABLE_ROWS = 100_000  # above this estimate a sample is drawn from a random fraction of the table
OVERSAMPLE = 4  # the random fraction of a large table holds this many times the rows the sample needs


class QueryError(Exception):
    """One query on the target failed; the message is ours and safe to show."""


@dataclass(frozen=True)
class ColumnInfo:
    """A column of a target table as the catalogue describes it."""

    name: str
    data_type: str  # the catalogue's type name, lower case


@dataclass
class TableInfo:
    """A target table: its schema (database in MySQL, `main` in SQLite), name, columns and size estimate."""

    schema: str
    name: str
    columns: list[ColumnInfo] = field(default_factory=list)
    estimated_rows: int | None = None


class Source(Protocol):
    """An open, read-only connection to one target database."""

    engine: str

    @property
    def host(self) -> str | None:
        """The breaker's host; None for a local SQLite file."""
        ...

    def tables(self, schemas: list[str]) -> list[TableInfo]:
        """The base tables (no views) of `schemas` (every non-system schema when empty), with columns."""
        ...

    def sample(self, table: TableInfo, columns: list[ColumnInfo], rows: int) -> list[tuple[Any, ...]]:
        """At most `rows` rows of `columns`, drawn at random from the whole table (never the first rows)."""
        ...

    def oldest(self, table: TableInfo, column: ColumnInfo, cutoff: datetime) -> tuple[Any, int]:
        """The column's oldest value and how many rows are older than `cutoff`."""
        ...

    def close(self) -> None:
        """Close the connection (the read-only transaction is rolled back)."""
        ...


DATE_TYPES = ("date", "timestamp", "datetime", "timestamptz")


def is_date_type(data_type: str) -> bool:
    """True for the catalogue's date and time-stamp types (SQLite: a declared type naming one)."""
    lowered = data_type.lower()
    return any(word in lowered for word in DATE_TYPES) and "interval" not in lowered


def as_datetime(value: Any) -> datetime | None:
    """A date-like value from any engine (SQLite returns ISO text) as a naive datetime, or None."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()[:26]).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def quotable(name: str) -> bool:
    """True for a name the scanner will put in a query (quoted): bounded, no NUL."""
    return 0 < len(name) <= MAX_IDENTIFIER_CHARS and "\x00" not in name


def sample_fraction(estimated_rows: int | None, rows: int) -> float | None:
    """The share of a large table to draw a sample from (None: small enough to order all rows at random)."""
    if estimated_rows is None or estimated_rows <= LARGE_TABLE_ROWS:
        return None
    return min(1.0, OVERSAMPLE * rows / estimated_rows)
