"""SQLite targets: an uploaded or server-side file, opened read-only and immutable.

The file is found through resolve_scan_path (the job's own uploads and the operator's scan roots), must
start with SQLite's header, and is opened as `file:…?mode=ro&immutable=1` with `query_only` and
`trusted_schema=OFF` (a hostile file's views and triggers cannot call functions), so nothing is
written and no journal is created. Views and virtual tables are not read: a virtual table runs code of
its module. Each query is bounded in time by a progress handler that interrupts it at the
statement timeout, the only timeout SQLite has.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from services.inputs.paths import resolve_scan_path
from services.scanners.database.sources import ColumnInfo, QueryError, TableInfo
from utils.errors import InvalidRequestError

HEADER = b"SQLite format 3\x00"
PROGRESS_STEPS = 10_000  # virtual-machine instructions between two looks at the clock


def quoted(name: str) -> str:
    """An SQLite identifier: in double quotes, a double quote doubled."""
    return '"' + name.replace('"', '""') + '"'


class SqliteSource:
    """A read-only SQLite file."""

    engine = "sqlite"
    host = None

    def __init__(self, path: str, statement_timeout_s: float) -> None:
        self.path = _checked_file(path)
        self.timeout_s = statement_timeout_s
        self._deadline = float("inf")
        uri = f"file:{quote(str(self.path))}?mode=ro&immutable=1"
        try:
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
            self.conn.execute("PRAGMA query_only = ON")
            self.conn.execute("PRAGMA trusted_schema = OFF")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            raise InvalidRequestError(f"{self.path.name} is not a readable SQLite database") from None
        self.conn.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        self.conn.set_progress_handler(self._overdue, PROGRESS_STEPS)

    def _overdue(self) -> int:
        return 1 if time.monotonic() > self._deadline else 0

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        self._deadline = time.monotonic() + self.timeout_s
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise QueryError(f"stopped at the statement timeout ({self.timeout_s:g} s)") from None
            raise QueryError(f"query failed ({type(error).__name__})") from None
        except sqlite3.DatabaseError as error:
            raise QueryError(f"query failed ({type(error).__name__})") from None
        finally:
            self._deadline = float("inf")

    def tables(self, schemas: list[str]) -> list[TableInfo]:
        """Every ordinary table of the file (schema `main`)."""
        rows = self._query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                           "'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        found = []
        for name, sql in rows:
            if str(sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
                continue
            columns = [ColumnInfo(str(c[1]), str(c[2] or "").lower())
                       for c in self._query(f"PRAGMA table_info({quoted(str(name))})")]
            found.append(TableInfo("main", str(name), columns))
        for table in found:
            count = self._query(f"SELECT count(*) FROM {quoted(table.name)}")
            table.estimated_rows = int(count[0][0]) if count else None
        return found

    def sample(self, table: TableInfo, columns: list[ColumnInfo], rows: int) -> list[tuple[Any, ...]]:
        """Rows ordered at random over the whole table (SQLite keeps only the top `rows` while sorting)."""
        listed = ", ".join(quoted(c.name) for c in columns)
        return self._query(f"SELECT {listed} FROM {quoted(table.name)} ORDER BY random() LIMIT ?", (rows,))

    def oldest(self, table: TableInfo, column: ColumnInfo, cutoff: datetime) -> tuple[Any, int]:
        """The oldest value and the rows before `cutoff` (ISO text compares as dates do)."""
        name = quoted(column.name)
        found = self._query(f"SELECT min({name}), sum(CASE WHEN {name} < ? THEN 1 ELSE 0 END) FROM "
                            f"{quoted(table.name)}", (cutoff.isoformat(sep=" "),))
        return found[0][0], int(found[0][1] or 0)

    def close(self) -> None:
        """Close the file."""
        self.conn.close()


def _checked_file(path: str) -> Path:
    resolved = resolve_scan_path(path)
    try:
        with resolved.open("rb") as handle:
            head = handle.read(len(HEADER))
    except IsADirectoryError:
        raise InvalidRequestError(f"{resolved.name} is a directory, not a SQLite file") from None
    except OSError:
        raise InvalidRequestError(f"{resolved.name} cannot be read") from None
    if head != HEADER:
        raise InvalidRequestError(f"{resolved.name} is not a SQLite database (no SQLite header)")
    return resolved
